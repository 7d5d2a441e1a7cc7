"""The review screen's bar: which difference of how many, what it is, what the review holds
of it, the agreements and whether the article is marked reviewed; then each side's spans
of the difference. Below ``TWO_LINES`` columns the sides' spans have a second line of their
own (cut there if they must be), so the counts are never cut; the bar's height follows the
width only, never what it says, so a key never lays the panes out again."""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.strip import Strip
from textual.widget import Widget

from tui.core.review import ReviewLine
from tui.core.visible import visible
from tui.widgets.bars.status_bar import LOOKS

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


TWO_LINES = 140  # columns: narrower, the sides' spans have a line of their own


def lines_of(shown: list[tuple[str, str]], width: int) -> list[list[tuple[str, str]]]:
    """The bar's lines at ``width``: one, or (narrower than ``TWO_LINES``) two, the sides'
    spans (from the first ``·`` that names a side) on the second."""
    if width >= TWO_LINES:
        return [shown]
    split = next((n for n, (text, look) in enumerate(shown)
                  if look == "dim" and text.endswith(": ") and text.startswith("  · ")),
                 len(shown))
    first, second = shown[:split], shown[split:]
    return [first, [(" " + second[0][0].removeprefix("  · "), "dim"), *second[1:]]
            if second else []]


class ReviewBar(Widget):
    DEFAULT_CSS = """
    ReviewBar {
        height: 1;
        background: $boost;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._pieces: list[tuple[str, str]] = []
        self._lines: list[list[tuple[str, str]]] = []
        self._width = -1

    def show(self, line: ReviewLine, left: str, right: str) -> None:
        # names and span texts are data: their controls are shown, never obeyed
        shown = [(visible(text), look) for text, look in pieces(line, left, right)]
        if shown != self._pieces:
            self._pieces, self._width = shown, -1
            self._fit(self.size.width or self.app.size.width)
            self.refresh()

    def on_resize(self, event: events.Resize) -> None:
        self._fit(event.size.width)

    def _fit(self, width: int) -> None:
        if width != self._width:
            self._width, self._lines = width, lines_of(self._pieces, width)
            height = 1 if width >= TWO_LINES else 2
            if self.styles.height is None or self.styles.height.value != height:
                self.styles.height = height

    def render_line(self, y: int) -> Strip:
        width, base = self.size.width, self.rich_style
        if y >= len(self._lines) or not self._pieces:
            return Strip.blank(width, base)
        looks = {**LOOKS, "strong": Style(bold=True)}
        return Strip([Segment(text, base + looks[look]) for text, look in self._lines[y]]
                     ).crop_extend(0, width, base)

    @property
    def plain(self) -> str:
        """The line as it reads (for tests)."""
        return "".join(text for text, _look in self._pieces)
