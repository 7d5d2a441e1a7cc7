"""Where the analyst is in one article pane: the cursor, the selection, and what it is.

Pure state, no drawing: the article view changes it and redraws the rows it touched.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tui.core.article_model import ArticleModel
from tui.core.model import Span
from tui.core.search import find
from tui.core.text import snap_to_words
from tui.core.units import balance_quotes, word_at
from tui.widgets.article.article_layout import ArticleLayout
from tui.widgets.article.moves import destination


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

    def move(self, text: str, layout: ArticleLayout, where: str, select: bool, page: int
             ) -> None:
        """A cursor key: move (with shift, extending the selection from where it began)."""
        if select and self.anchor is None:
            self.anchor = self.cursor
        elif not select:
            self.anchor = None
        self.exact, self.span_id, self.match = False, None, None
        self.grown.clear()
        if where not in ("up", "down", "page_up", "page_down"):
            self.goal_column = None
        self.cursor, self.goal_column = destination(text, layout, self.cursor, where, page,
                                                    self.goal_column)

    def find(self, text: str, needle: str, forward: bool, from_cursor: bool) -> bool:
        """Select the next (or previous) match of ``needle``: from the selection's start
        when the search was just typed, else from just after it, as less and vim do."""
        here = self.selection or (self.cursor, self.cursor)
        start = here[0] if from_cursor or not forward else here[0] + 1
        found = find(text, needle, start, forward)
        if found is None:
            return False
        self.select(*found, exact=False)  # labelled as whole words, as any selection is
        self.span_id, self.match = None, found
        self.grown.clear()
        return True

    def place(self, offset: int) -> None:
        """The cursor to ``offset``, no selection, nothing remembered about it."""
        self.cursor, self.anchor, self.exact = offset, None, False
        self.span_id, self.goal_column, self.match = None, None, None
        self.grown.clear()


def span_here(model: ArticleModel, caret: Caret, analyst: str | None = None) -> Span | None:
    """The span the editing keys act on: the one tab or a label put the cursor on, else one
    with exactly the selection's extent, else the innermost under (or just before) the
    cursor."""
    current = model.get(caret.span_id) if caret.span_id else None
    if current is not None and current.start <= caret.cursor <= current.end:
        return current
    selection = caret.selection
    if selection is not None:
        exact = [s for s in model.at(selection[0], analyst) if (s.start, s.end) == selection]
        if exact:
            return exact[0]
    found = model.at(caret.cursor, analyst) or (
        model.at(caret.cursor - 1, analyst) if caret.cursor else [])
    return found[0] if found else None


def next_span(model: ArticleModel, caret: Caret, step: int, analyst: str | None = None
              ) -> Span | None:
    """The span after (step 1) or before (-1) the one the caret is on, in text order (by
    start, the outer before the inner), nested ones included; else the first span from
    the cursor on, or the last one before it."""
    spans = model.spans
    current = model.get(caret.span_id) if caret.span_id else None
    if current is not None and caret.selection == (current.start, current.end):
        index = model.index(current) + step
    elif step > 0:
        index = model.first_from(caret.cursor)
    else:
        index = model.first_from(caret.selection[0] if caret.selection else caret.cursor) - 1
    while 0 <= index < len(spans) and analyst and spans[index].annotator != analyst:
        index += step
    return spans[index] if 0 <= index < len(spans) else None
