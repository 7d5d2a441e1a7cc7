"""The link bar: while a link key chooses (`w`, `p`), what enter does and the other options,
each behind its hint letter, then how to move on or cancel.

It fits what it says to its width: one line when everything fits; else two, the first
saying what enter does (the claim's and the option's texts shortened first), the second
the options (as many as fit, shortened, the rest counted) and always ``⇥ next  esc
cancel``. Every text is data: drawn literally, its controls as placeholders (``cut``).
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len
from rich.segment import Segment
from textual import events
from textual.strip import Strip
from textual.widget import Widget

from tui.core.edits import cut
from tui.core.visible import visible
from tui.widgets.bars.status_bar import LOOKS, Piece

TAIL = "⇥ next  esc cancel"


@dataclass(frozen=True, slots=True)
class ChoiceLine:
    """What the bar says: ``relation`` (SOURCE), the span the key was pressed on
    (``anchor_label`` and ``anchor``), the arrow as the span list draws the link, what
    enter does to the highlighted option (``does`` ``current``), and the options."""

    relation: str
    anchor_label: str
    anchor: str
    arrow: str
    does: str
    current: str
    options: tuple[tuple[str, str, bool], ...]  # (hint letter, text, linked already)
    more: int = 0  # options without a letter


def head(line: ChoiceLine, anchor: int, current: int) -> list[Piece]:
    """What enter does, the anchor cut to ``anchor`` characters, the option to
    ``current``."""
    return [(f" {visible(line.relation)} ", "title"),
            (f" {visible(line.anchor_label)} “{cut(line.anchor, anchor)}” {line.arrow} ",
             "text"),
            ("⏎", "key"), (f" {line.does} “{cut(line.current, current)}” ", "current")]


def options(line: ChoiceLine, each: int, shown: int) -> list[Piece]:
    """The first ``shown`` options, each cut to ``each`` characters, then how many more."""
    pieces: list[Piece] = []
    for letter, text, linked in line.options[:shown]:
        mark = " ✓" if linked else ""
        pieces += [(f" {letter} ", "key"), (f" {cut(text, each)}{mark}  ", "text")]
    more = len(line.options) - shown + line.more
    if more > 0:
        pieces.append((f"+{more}  ", "dim"))
    return pieces


def width_of(pieces: list[Piece]) -> int:
    return sum(cell_len(text) for text, _look in pieces)


def fit(line: ChoiceLine, width: int) -> list[list[Piece]]:
    """The bar's lines at ``width``: one when all of it fits, else two."""
    tail: list[Piece] = [(TAIL, "dim")]
    whole = [*head(line, 28, 40), ("  ", "text"), *options(line, 16, len(line.options)),
             *tail]
    if width_of(whole) <= width:
        return [whole]
    first = head(line, 28, 40)
    for anchor, current in ((28, 40), (20, 40), (12, 32), (12, 24), (8, 16)):
        first = head(line, anchor, current)
        if width_of(first) <= width:
            break
    for each in (16, 12, 8):
        for shown in range(len(line.options), -1, -1):
            second = [*options(line, each, shown), *tail]
            if width_of(second) <= width:
                return [first, second]
    return [first, tail]


class ChoiceBar(Widget):
    DEFAULT_CSS = """
    ChoiceBar {
        height: auto;
        background: $boost;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.line: ChoiceLine | None = None
        self._lines: list[list[Piece]] = []
        self._width = -1
        self.display = False

    def show(self, line: ChoiceLine | None) -> None:
        """Show ``line`` (None: hide the bar)."""
        if line == self.line:
            return
        self.line, self._width = line, -1
        self.display = line is not None
        self._fit(self.size.width or self.app.size.width)  # the screen's: not laid out yet
        self.refresh()

    def on_resize(self, event: events.Resize) -> None:
        self._fit(event.size.width)

    def _fit(self, width: int) -> None:
        if self.line is not None and width != self._width:
            self._width, self._lines = width, fit(self.line, width)
            self.styles.height = len(self._lines)

    def render_line(self, y: int) -> Strip:
        width, base = self.size.width, self.rich_style
        if self.line is None or y >= len(self._lines):
            return Strip.blank(width, base)
        return Strip([Segment(text, base + LOOKS[look]) for text, look in self._lines[y]]
                     ).crop_extend(0, width, base)

    @property
    def plain(self) -> str:
        """The lines as they read (for tests), one after the other."""
        return "\n".join("".join(text for text, _look in line) for line in self._lines)
