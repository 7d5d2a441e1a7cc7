"""Where the analyst is in one article pane: the cursor, the selection, and what it is.

Pure state, no drawing: the article view changes it and redraws the rows it touched.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tui.core.text import snap_to_words
from tui.core.units import balance_quotes, word_at


@dataclass(slots=True)
class Caret:
    cursor: int = 0
    anchor: int | None = None
    # The selection is taken exactly as it is (a search match, a grown unit, a span), not
    # snapped to words
    exact: bool = False
    match: tuple[int, int] | None = None  # the last search match
    span_id: str | None = None  # the span tab (or a label) put the cursor on
    grown: list[tuple[int, int] | None] = field(default_factory=list)  # before each grow
    goal_column: int | None = None  # up and down keep to it

    @property
    def selection(self) -> tuple[int, int] | None:
        if self.anchor is None or self.anchor == self.cursor:
            return None
        return min(self.anchor, self.cursor), max(self.anchor, self.cursor)

    def target(self, text: str, char_mode: bool) -> tuple[int, int] | None:
        """What a label key labels: the selection (snapped to whole words, unless in
        character mode or taken exactly), else the word under the cursor."""
        selection = self.selection
        if selection is None:
            return word_at(text, self.cursor)
        if char_mode or self.exact:
            return selection
        start, end = snap_to_words(text, *selection)
        start, end = balance_quotes(text, start, end)
        return (start, end) if end > start else None

    def select(self, start: int, end: int, at_start: bool = False, exact: bool = True) -> None:
        self.anchor, self.cursor = (end, start) if at_start else (start, end)
        self.exact = exact
        self.goal_column = None

    def place(self, offset: int) -> None:
        """The cursor to ``offset``, no selection, nothing remembered about it."""
        self.cursor, self.anchor, self.exact = offset, None, False
        self.span_id, self.goal_column = None, None
        self.grown.clear()
