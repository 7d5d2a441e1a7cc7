"""The link bar's words: while a link key chooses (`w`, `p`), what enter does and the other
options, each behind its hint letter, then how to move on or cancel.

They fit the width: one line when everything fits; else two, the first saying what enter
does (the claim's and the option's texts shortened first), the second the options (as
many as fit, shortened, the rest counted) and always ``⇥ next  esc cancel``. The reader
draws them in the status line's row, and the legend's too for two lines (``show_mode``
of each): no pane changes its size, so the link key's frame lays nothing out again. Every
text is data: drawn literally, its controls as placeholders (``cut``).
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len

from tui.core.edits import cut
from tui.core.visible import visible
from tui.widgets.bars.status_bar import Piece

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
