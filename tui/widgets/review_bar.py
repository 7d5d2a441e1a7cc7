"""One line of the review screen: which difference of how many, what it is, what the review
holds of it, the agreements and whether the article is marked reviewed; then each side's
spans of the difference, cut first when the line is short."""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip
from textual.widget import Widget

from tui.core.review import ReviewLine
from tui.core.visible import visible
from tui.widgets.status_bar import LOOKS

Piece = tuple[str, Style]


def pieces(line: ReviewLine, left: str, right: str) -> list[tuple[str, str]]:
    """The line as (text, look) pieces, most important first; ``left`` and ``right``
    name the two sides."""
    out: list[tuple[str, str]] = []
    if line.total == 0:
        out.append((" no differences ", "title"))
    elif line.position == 0:
        out += [(f" {line.total} differences ", "title"), ("  tab walks them", "dim")]
    else:
        out += [(f" {line.position} / {line.total} ", "title"), ("  ", "text"),
                (f" {line.name} ", "current"), ("  ", "text"), (line.holds, "strong")]
    if line.reviewed:
        out.append(("  · reviewed ✓", "strong"))
    agreed = f"{line.agreements} agree" + (
        f", {line.agreed_in_review} in the review" if line.agreed_in_review else "")
    out.append((f"  · {agreed}", "dim"))
    if line.position:
        out += [(f"  · {left}: ", "dim"), (line.left, "text"),
                (f"  {right}: ", "dim"), (line.right, "text")]
    return out


class ReviewBar(Widget):
    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._pieces: list[tuple[str, str]] = []
        self._strip: Strip | None = None

    def show(self, line: ReviewLine, left: str, right: str) -> None:
        # names and span texts are data: their controls are shown, never obeyed
        shown = [(visible(text), look) for text, look in pieces(line, left, right)]
        if shown != self._pieces:
            self._pieces, self._strip = shown, None
            self.refresh()

    def render_line(self, y: int) -> Strip:
        width, base = self.size.width, self.rich_style
        if y or not self._pieces:
            return Strip.blank(width, base)
        if self._strip is None or self._strip.cell_length != width:
            looks = {**LOOKS, "strong": Style(bold=True)}
            self._strip = Strip([Segment(text, base + looks[look])
                                 for text, look in self._pieces]).crop_extend(0, width, base)
        return self._strip

    @property
    def plain(self) -> str:
        """The line as it reads (for tests)."""
        return "".join(text for text, _look in self._pieces)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strip = None
