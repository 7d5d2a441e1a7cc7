"""The mouse in an article view: a click moves the cursor, a drag selects, a double click
selects a word."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events

from tui.core import names

if TYPE_CHECKING:
    from tui.widgets.article_view import ArticleView


class MouseSelection:
    """Mixed into :class:`ArticleView`, whose caret and layout it moves."""

    _dragging = False

    def _offset_at(self: ArticleView, event: events.MouseEvent) -> int:
        # The capture variant also answers for a drag that leaves the text (padding, or
        # past the edge), so a selection can be dragged to a row's very start and end.
        content = event.get_content_offset_capture(self)
        return self.layout_.offset_at(content.y + self.scroll_offset.y,
                                      content.x + self.scroll_offset.x)

    def on_mouse_down(self: ArticleView, event: events.MouseDown) -> None:
        if event.button != 1:
            return
        self.focus()
        offset = self._offset_at(event)
        old = self._caret_rows()
        self.caret.place(offset)
        self.caret.anchor = offset
        self._moved(old, scroll=False)
        self._dragging = True
        self.capture_mouse()

    def on_mouse_move(self: ArticleView, event: events.MouseMove) -> None:
        if self._dragging:
            old = self._caret_rows()
            self.caret.cursor = self._offset_at(event)
            self._moved(old, scroll=False)

    def on_mouse_up(self: ArticleView, event: events.MouseUp) -> None:
        if self._dragging:
            self._dragging = False
            self.release_mouse()

    def on_click(self: ArticleView, event: events.Click) -> None:
        if event.chain == 2:
            word = names.word_at(self.text, self._offset_at(event))
            if word:
                self.select(*word)
                self.caret.exact = False
