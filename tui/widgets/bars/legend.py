"""One row that is always on screen: how each label, the selection, the search match and a
linked span look, in the colours (or, without colour, the shapes) the text uses; while a
link key chooses and its bar takes two lines, the first of them instead."""

from __future__ import annotations

from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.widgets import Static

from tui.core.language.visible import visible
from tui.widgets.bars.status_bar import LOOKS, Piece
from tui.widgets.palette import Palette


class Legend(Static):
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "legend--selection", "legend--selection-edge", "legend--match", "legend--linked",
        "legend--differs"}

    def __init__(self, palette: Palette, *, differences: bool = False,
                 suggestions: bool = False, id: str | None = None) -> None:
        """``differences``: a review's legend, which shows how a difference looks instead
        of a search match; ``suggestions``: the reader's, which shows a suggestion."""
        super().__init__(id=id)
        self.suggestions = suggestions
        self.palette = palette
        self.differences = differences
        self._mode: list[Piece] | None = None

    def on_mount(self) -> None:
        self._draw()

    def show_mode(self, pieces: list[Piece] | None) -> None:
        """Draw a mode's line (the link bar's first) in place of the legend; None: stop."""
        if pieces != self._mode:
            self._mode = pieces
            self._draw()

    @property
    def mode_plain(self) -> str:
        return "".join(text for text, _look in self._mode or ())

    def notify_style_update(self) -> None:
        super().notify_style_update()
        if self.is_mounted:
            self._draw()

    def _draw(self) -> None:
        if self._mode is not None:
            self.update(Text.assemble(*((text, LOOKS[look]) for text, look in self._mode),
                                      no_wrap=True, overflow="ellipsis"), layout=False)
            return
        part = self.get_component_rich_style
        line = Text(no_wrap=True, overflow="ellipsis")
        for label in self.palette.labels.labels:
            line.append(f" {visible(label.key) or '·'} ", "dim")
            line.append(visible(label.name), self.palette.tag(label.name))  # never markup
            line.append(" ")
        line.append("   ")
        if self.suggestions:  # a suggestion's look, in the first label's colour
            first = self.palette.labels.labels[:1]
            line.append("suggested", self.palette.suggestion(first[0].name) if first
                        else Style(underline=True, dim=True))
            line.append("  ")
        line.append("s", part("legend--selection-edge"))
        line.append("electio", part("legend--selection"))
        line.append("n", part("legend--selection-edge"))
        line.append("  ")
        if self.differences:
            line.append(" differs ", part("legend--differs"))
        else:
            line.append(" match ", part("legend--match"))
        line.append("  ", "")
        line.append(" linked ", part("legend--linked"))
        line.append("  ", "")
        line.append("strike", "strike")
        line.append(" unsaved", "dim")
        self.update(line, layout=False)
