"""Where each cursor key lands, given the text and how it is wrapped."""

from __future__ import annotations

from tui.core.language.text import (
    next_grapheme,
    next_word_end,
    previous_grapheme,
    previous_word_start,
)
from tui.widgets.article.article_layout import ArticleLayout


def destination(text: str, layout: ArticleLayout, cursor: int, where: str, page: int,
                goal_column: int | None) -> tuple[int, int | None]:
    """The new cursor for the move ``where``, and the column up and down keep to."""
    if where == "left":
        return previous_grapheme(text, cursor), None
    if where == "right":
        return next_grapheme(text, cursor), None
    if where == "word_left":
        return previous_word_start(text, cursor), None
    if where == "word_right":
        return next_word_end(text, cursor), None
    if where == "top":
        return 0, None
    if where == "bottom":
        return len(text), None
    row, column = layout.locate(cursor)
    if where == "home":
        return layout.extent(row)[0], None
    if where == "end":
        return layout.extent(row)[1], None
    step = {"up": -1, "down": 1, "page_up": -page + 1, "page_down": page - 1}[where]
    goal = column if goal_column is None else goal_column
    target = row + step
    if target < 0:
        return 0, goal
    if not layout.has_row(target):  # wrapped up to it: the row count may be an estimate
        return len(text), goal
    return layout.offset_at(target, goal), goal
