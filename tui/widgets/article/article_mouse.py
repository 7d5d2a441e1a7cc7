"""The mouse in an article view: a click moves the cursor, a drag selects, a double click
selects a word."""

from __future__ import annotations

from typing import Protocol

from textual import events
from textual.geometry import Offset

from tui.core import units
from tui.widgets.article.article_layout import ArticleLayout
from tui.widgets.article.caret import Caret


class ArticleView(Protocol):
    """What the mouse moves in the article view (typed here, not imported: the view
    imports this module)."""

    text: str
    layout_: ArticleLayout
    caret: Caret
    scroll_offset: Offset
    _dragging: bool

    def focus(self, scroll_visible: bool = True) -> object: ...
    def capture_mouse(self, capture: bool = True) -> None: ...
    def release_mouse(self) -> None: ...
    def select(self, start: int, end: int, at_start: bool = False) -> None: ...
    def _caret_rows(self) -> set[int]: ...
    def _moved(self, old_rows: set[int], scroll: bool = True) -> None: ...
    def _offset_at(self, event: events.MouseEvent) -> int: ...


class MouseSelection:
    """Mixed into the article view, whose caret and layout it moves."""

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
            word = units.word_at(self.text, self._offset_at(event))
            if word:
                self.select(*word)
                self.caret.exact = False
