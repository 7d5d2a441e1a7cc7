"""The article view: one article's text with its spans, a cursor and a selection.

A Line API widget (``ScrollView`` + ``render_line``): rows come from :class:`ArticleLayout`
(wrapped once per width), each drawn row is a cached ``Strip``, and a change refreshes only
the rows it touches, so a key costs the same on a 20 KB and a 1 MB article. The spans are
the :class:`ArticleModel`'s: the view observes it and redraws what an edit touched, in
whichever pane the edit was made. The view owns the caret (cursor, selection) and the keys
that move it, and marks the spans linked to the one under the cursor (in a review, those
that differ from the other version too); editing is the reader's, and so is linking, which
shows its choice here (``show_choice``). ``moved`` is published, synchronously, whenever
the caret changes, so the status bar is redrawn in the same frame as the cursor.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar

from rich.style import Style
from textual import events
from textual.binding import BindingType
from textual.cache import LRUCache
from textual.geometry import Region
from textual.signal import Signal
from textual.strip import Strip

from tui.core.document.model import Span
from tui.core.editing.article_model import ArticleModel, ModelEvent
from tui.core.editing.linking import Choice
from tui.core.editing.suggestions import ArticleSuggestions, SuggestionEvent
from tui.keys import bindings
from tui.widgets.article.article_layout import ArticleLayout
from tui.widgets.article.article_mouse import MouseSelection
from tui.widgets.article.article_paint import Marks, Painter
from tui.widgets.article.caret import Caret, next_span, span_here
from tui.widgets.article.grow_keys import GrowKeys
from tui.widgets.article.lazy_wrap import LazyWrap
from tui.widgets.article.link_marks import LinkMarks
from tui.widgets.frame_style import FrameStyle
from tui.widgets.palette import Palette


class ArticleView(MouseSelection, GrowKeys, LazyWrap, FrameStyle, can_focus=True):
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "article-view--cursor", "article-view--selection", "article-view--selection-edge",
        "article-view--match", "article-view--placeholder", "article-view--unsaved",
        "article-view--linked", "article-view--chosen", "article-view--hint",
        "article-view--differs",
    }
    BINDINGS: ClassVar[list[BindingType]] = list(bindings("view"))

    def __init__(self, model: ArticleModel, palette: Palette, analyst: str | None = None,
                 *, id: str | None = None, suggested: ArticleSuggestions | None = None
                 ) -> None:
        super().__init__(id=id)
        self.model = model
        self.text = model.text
        self.layout_ = ArticleLayout(model.text)
        self.caret = Caret()
        self.links = LinkMarks()
        self.differs: tuple[tuple[int, int], ...] = ()  # see show_differences
        self.painter = Painter(model, self.layout_, palette, self._component, analyst,
                               suggested)
        self.moved: Signal[ArticleView] = Signal(self, "moved")
        self._strips: LRUCache[int, Strip] = LRUCache(1024)
        self._stop_observing = model.observe(self._model_changed)
        self._stop_suggested = suggested.observe(self._suggested) if suggested else None

    # -- what the reader reads -------------------------------------------------------

    @property
    def cursor(self) -> int:
        return self.caret.cursor

    @property
    def selection(self) -> tuple[int, int] | None:
        return self.caret.selection

    def target(self, char_mode: bool) -> tuple[int, int] | None:
        return self.caret.target(self.text, char_mode)

    def span_here(self) -> Span | None:
        return span_here(self.model, self.caret, self.painter.analyst)

    # -- what the reader changes -----------------------------------------------------

    def select(self, start: int, end: int, at_start: bool = False,
               span: Span | None = None) -> None:
        """Select text[start:end] (the cursor at its end, or start) and bring it into view."""
        old = self._caret_rows()
        self.caret.select(start, end, at_start)
        self.caret.span_id = span.id if span else None
        self._moved(old)

    def move_to(self, offset: int, span: Span | None = None) -> None:
        old = self._caret_rows()
        self.caret.place(offset)
        self.caret.span_id = span.id if span else None
        self._moved(old)

    def show_choice(self, choice: Choice | None) -> None:
        """Highlight the option a link key offers and the hint letters (None: stop), and
        bring the option into view; the cursor stays where it is."""
        self._refresh_extents(self.links.choose(choice))
        target = choice.current.start if choice is not None else self.caret.cursor
        row, column = self.layout_.locate(target)
        self._sized()
        if choice is None or not self.scroll_offset.y <= row < \
                self.scroll_offset.y + self.size.height:
            self.scroll_to_region(Region(column, row, 1, 1), animate=False, immediate=True)

    def show_differences(self, extents: tuple[tuple[int, int], ...]) -> None:
        """Mark ``extents`` as differing from the other version (a review); () stops."""
        changed = set(self.differs) ^ set(extents)
        self.differs = extents
        self._refresh_extents(changed)

    def find(self, needle: str, forward: bool, from_cursor: bool = False) -> bool:
        """Select the next (or previous) match of ``needle``; False when there is none."""
        old = self._caret_rows()
        if not self.caret.find(self.text, needle, forward, from_cursor):
            return False
        self._moved(old)
        return True

    # -- keys ------------------------------------------------------------------------

    def action_move(self, where: str, select: bool = False) -> None:
        old = self._caret_rows()
        self.caret.move(self.text, self.layout_, where, select, self.size.height)
        self._moved(old)

    def action_clear_selection(self) -> None:
        old = self._caret_rows()
        self.caret.place(self.caret.cursor)
        self._moved(old)

    def action_next_span(self, step: int = 1) -> None:
        """Tab: every span in text order; the cursor goes to the span's start."""
        span = next_span(self.model, self.caret, step, self.painter.analyst)
        if span is None:
            self.notify("no more spans that way")
        else:
            self.select(span.start, span.end, at_start=True, span=span)

    # -- drawing ---------------------------------------------------------------------

    def _component(self, name: str) -> Style:
        # Only what the stylesheet sets for this part, so that a selection's background
        # keeps the label's colour underneath.
        return self.get_component_rich_style(name, partial=True)

    def on_resize(self, event: events.Resize) -> None:
        self._rewrap()

    def on_mount(self) -> None:
        self._rewrap()

    def on_unmount(self) -> None:
        self._stop_observing()
        if self._stop_suggested is not None:
            self._stop_suggested()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips.clear()
        self.painter.forget_styles()

    def render_line(self, y: int) -> Strip:
        if self.layout_.width != self.scrollable_content_region.width:
            self._rewrap()  # the first frame comes before the first Resize event
        scroll_x, scroll_y = self.scroll_offset
        row = scroll_y + y
        width = self.size.width
        if not self.layout_.has_row(row):
            return Strip.blank(width, self.line_style)
        strip = self._strips.get(row)
        if strip is None:
            caret, links = self.caret, self.links
            marks = Marks(caret.selection, caret.match, caret.cursor if self.has_focus else None,
                          links.linked, links.chosen, links.hints, self.differs)
            strip = self.painter.row(row, self.line_style, marks)
            self._strips[row] = strip
        return strip.crop_extend(scroll_x, scroll_x + width, self.line_style)

    # -- bookkeeping -----------------------------------------------------------------

    def _model_changed(self, event: ModelEvent) -> None:
        self._refresh_extents([*event.ranges, *self._follow_links()])

    def _suggested(self, event: SuggestionEvent) -> None:
        if not event.answered:
            self._refresh_extents(event.ranges)
            return
        # an answer: only the rows on screen it changed drawn again (a full frame: 10 ms)
        top, layout = self.scroll_offset.y, self.layout_
        kept: dict[int, Strip] = {}
        for row in filter(layout.has_row, range(top, top + self.size.height)):
            start, end = layout.extent(row)
            if event.changed(start, max(end, start + 1)):  # (as the painter reads)
                self.refresh_lines(row)
            elif (strip := self._strips.get(row)) is not None:
                kept[row] = strip
        self._strips.clear()  # the rows off screen: drawn when shown
        for row, strip in kept.items():
            self._strips[row] = strip

    def _follow_links(self) -> list[tuple[int, int]]:
        return self.links.follow(self.model, self.span_here())

    def _moved(self, old_rows: set[int], scroll: bool = True) -> None:
        self._refresh_rows(old_rows | self._caret_rows() | {
            row for extent in self._follow_links() for row in self._rows(*extent)})
        if scroll:
            row, column = self.layout_.locate(self.caret.cursor)
            self._sized()  # wrapped up to the cursor: the bottom may be known now
            self.scroll_to_region(Region(column, row, 1, 1), animate=False, immediate=True)
        self.moved.publish(self)

    def _caret_rows(self) -> set[int]:
        caret, row_of = self.caret, self.layout_.row_of
        rows = {row_of(caret.cursor)}
        for pair in (caret.selection, caret.match):
            if pair:
                rows.update(self._rows(*pair))
        return rows

    def _rows(self, start: int, end: int) -> range:
        return range(self.layout_.row_of(start), self.layout_.row_of(end) + 1)

    def _refresh_extents(self, extents: Iterable[tuple[int, int]]) -> None:
        self._refresh_rows({row for extent in extents for row in self._rows(*extent)})

    def _refresh_rows(self, rows: set[int]) -> None:
        scroll_y = self.scroll_offset.y
        for row in rows:
            self._strips.discard(row)
            if scroll_y <= row < scroll_y + self.size.height:
                self.refresh_lines(row)

    def on_focus(self) -> None:
        if self.layout_.width:  # not before the first wrap: that comes with the size
            self._refresh_rows({self.layout_.row_of(self.caret.cursor)})

    def on_blur(self) -> None:
        self.on_focus()
