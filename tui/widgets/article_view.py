"""The article view: the text with its spans, a cursor and a selection, drawn line by line.

A Line API widget (``ScrollView`` + ``render_line``), as measured in DESIGN.md: rows come
from :class:`ArticleLayout` (wrapped once per width), each drawn row is a cached ``Strip``,
and an edit refreshes only the rows it touches, so a key costs the same on a 20 KB and a
1 MB article. The view owns the cursor and the selection; labelling is the screen's job:
it reads :attr:`target` and calls the dataset.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right, insort
from collections.abc import Iterable
from itertools import pairwise
from typing import ClassVar

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import BindingType
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui.core.model import LabelSet, Span
from tui.core.text import (
    next_grapheme,
    next_word_end,
    previous_grapheme,
    previous_word_start,
    snap_to_words,
    word_at,
)
from tui.keys import VIEW, bindings
from tui.widgets.article_layout import ArticleLayout

# Each label draws on its own channel, so a location inside an actor inside a claim shows
# all three: the channel of label n is n % 3 of these, the colour the label's own.
CHANNELS = ("bold", "background", "underline")


def _span_order(span: Span) -> tuple[int, int]:
    return (span.start, -span.end)


class ArticleView(ScrollView, can_focus=True):
    COMPONENT_CLASSES = {
        "article-view--cursor",
        "article-view--selection",
        "article-view--match",
        "article-view--placeholder",
        "article-view--unsaved",
        "article-view--span-bold",
        "article-view--span-background",
        "article-view--span-underline",
    }

    BINDINGS: ClassVar[list[BindingType]] = bindings(VIEW)  # type: ignore[assignment]

    class Changed(Message):
        """The cursor or the selection moved (the status bar shows where)."""

        def __init__(self, view: ArticleView) -> None:
            super().__init__()
            self.view = view

    cursor: reactive[int] = reactive(0, init=False, repaint=False)

    def __init__(self, text: str, spans: Iterable[Span], labels: LabelSet,
                 *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.text = text
        self.layout_ = ArticleLayout(text)
        self.labels = labels
        self.spans: list[Span] = sorted(spans, key=_span_order)
        self._longest = max((len(s) for s in self.spans), default=0)
        self.unsaved: set[str] = set()
        self.selection_anchor: int | None = None
        self.match: tuple[int, int] | None = None
        self._goal_column: int | None = None
        self._dragging = False
        self._strips: LRUCache[int, Strip] = LRUCache(1024)
        self._styles: dict[tuple[object, ...], Style] = {}

    # -- what the screen reads -------------------------------------------------------

    @property
    def selection(self) -> tuple[int, int] | None:
        if self.selection_anchor is None or self.selection_anchor == self.cursor:
            return None
        return min(self.selection_anchor, self.cursor), max(self.selection_anchor, self.cursor)

    def target(self, char_mode: bool) -> tuple[int, int] | None:
        """What a label key labels: the selection (snapped to words, unless in character
        mode or it is a search match), else the word under the cursor."""
        selection = self.selection
        if selection is not None:
            exact = char_mode or selection == self.match  # a search match is what was asked
            start, end = selection if exact else snap_to_words(self.text, *selection)
            return (start, end) if end > start else None
        return word_at(self.text, self.cursor)

    def spans_at(self, offset: int) -> list[Span]:
        """The spans covering ``offset``, innermost (shortest) first."""
        found = [s for s in self._candidates(offset, offset + 1) if s.start <= offset < s.end]
        return sorted(found, key=len)

    # -- what the screen changes -----------------------------------------------------

    def add_span(self, span: Span, saved: bool = True) -> None:
        insort(self.spans, span, key=_span_order)
        self._longest = max(self._longest, len(span))
        self._mark(span, saved)
        self._refresh_range(span.start, span.end)

    def remove_span(self, span_id: str) -> Span | None:
        for i, span in enumerate(self.spans):
            if span.id == span_id:
                del self.spans[i]
                self.unsaved.discard(span_id)
                self._refresh_range(span.start, span.end)
                return span
        return None

    def replace_span(self, span: Span, saved: bool = True) -> None:
        self.remove_span(span.id)
        self.add_span(span, saved)

    def mark_saved(self, span: Span, saved: bool) -> None:
        self._mark(span, saved)
        self._refresh_range(span.start, span.end)

    def _mark(self, span: Span, saved: bool) -> None:
        if saved:
            self.unsaved.discard(span.id)
        else:
            self.unsaved.add(span.id)

    def select(self, start: int, end: int) -> None:
        """Select text[start:end] with the cursor at its end, and bring it into view."""
        old = self._selection_rows()
        self.selection_anchor, self.match = start, (start, end)
        self._set_cursor(end)
        self._refresh_rows(old | self._selection_rows())
        self.scroll_to_offset(start)

    def move_to(self, offset: int) -> None:
        old = self._selection_rows()
        self.selection_anchor = self.match = None
        self._set_cursor(offset)
        self._refresh_rows(old)
        self.scroll_to_offset(offset)

    def scroll_to_offset(self, offset: int) -> None:
        row, column = self.layout_.locate(offset)
        self.scroll_to_region(Region(column, row, 1, 1), animate=False, immediate=True)

    # -- keys ------------------------------------------------------------------------

    def action_move(self, where: str, select: bool = False) -> None:
        old_rows = self._selection_rows()
        if select and self.selection_anchor is None:
            self.selection_anchor = self.cursor
        elif not select:
            self.selection_anchor = None
        self.match = None
        if where not in ("up", "down", "page_up", "page_down"):
            self._goal_column = None
        self._set_cursor(self._destination(where))
        self._refresh_rows(old_rows | self._selection_rows())
        self.scroll_to_offset(self.cursor)

    def _destination(self, where: str) -> int:
        text, cursor, layout = self.text, self.cursor, self.layout_
        if where == "left":
            return previous_grapheme(text, cursor)
        if where == "right":
            return next_grapheme(text, cursor)
        if where == "word_left":
            return previous_word_start(text, cursor)
        if where == "word_right":
            return next_word_end(text, cursor)
        row, column = layout.locate(cursor)
        if where == "home":
            return layout.row_starts[row]
        if where == "end":
            return layout.row_ends[row]
        if where == "top":
            return 0
        if where == "bottom":
            return len(text)
        step = {"up": -1, "down": 1, "page_up": -self.size.height + 1,
                "page_down": self.size.height - 1}[where]
        if self._goal_column is None:
            self._goal_column = column
        target = row + step
        if target < 0:
            return 0
        if target >= layout.rows:
            return len(text)
        return layout.offset_at(target, self._goal_column)

    def action_clear_selection(self) -> None:
        old = self._selection_rows()
        self.selection_anchor = self.match = None
        self._refresh_rows(old)

    def _set_cursor(self, offset: int) -> None:
        old_row = self.layout_.row_of(self.cursor)
        self.cursor = max(0, min(offset, len(self.text)))
        self._refresh_rows({old_row, self.layout_.row_of(self.cursor)})
        self.post_message(self.Changed(self))

    # -- mouse -----------------------------------------------------------------------

    def _offset_at(self, event: events.MouseEvent) -> int:
        # The capture variant also answers for a drag that leaves the text (padding, or
        # past the edge), so a selection can be dragged to a row's very start and end.
        content = event.get_content_offset_capture(self)
        return self.layout_.offset_at(content.y + self.scroll_offset.y,
                                      content.x + self.scroll_offset.x)

    def on_mouse_down(self, event: events.MouseDown) -> None:
        if event.button != 1:
            return
        self.focus()
        old = self._selection_rows()
        offset = self._offset_at(event)
        self.selection_anchor = offset
        self.match = None
        self._set_cursor(offset)
        self._refresh_rows(old)
        self._dragging = True
        self.capture_mouse()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        if not self._dragging:
            return
        old = self._selection_rows()
        self._set_cursor(self._offset_at(event))
        self._refresh_rows(old | self._selection_rows())

    def on_mouse_up(self, event: events.MouseUp) -> None:
        if self._dragging:
            self._dragging = False
            self.release_mouse()

    def on_click(self, event: events.Click) -> None:
        if event.chain == 2:
            word = word_at(self.text, self._offset_at(event))
            if word:
                old = self._selection_rows()
                self.selection_anchor = word[0]
                self._set_cursor(word[1])
                self._refresh_rows(old | self._selection_rows())

    # -- layout and drawing ----------------------------------------------------------

    def on_resize(self, event: events.Resize) -> None:
        self._rewrap()

    def on_mount(self) -> None:
        self._rewrap()

    def _rewrap(self) -> None:
        width = self.scrollable_content_region.width or self.size.width
        if width <= 0:
            return
        if width != self.layout_.width:
            self.layout_.wrap(width)
            self._strips.clear()
        self.virtual_size = Size(width, self.layout_.rows)
        self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips.clear()
        self._styles.clear()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # While the reader is searching, its keys type the query (see search_bar.py).
        return not getattr(self.screen, "searching", False)

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        row = scroll_y + y
        width = self.size.width
        if row >= self.layout_.rows:
            return Strip.blank(width, self.rich_style)
        strip = self._strips.get(row)
        if strip is None:
            strip = self._render_row(row)
            self._strips[row] = strip
        return strip.crop_extend(scroll_x, scroll_x + width, self.rich_style)

    def _render_row(self, row: int) -> Strip:
        layout = self.layout_
        start, end = layout.row_starts[row], layout.row_ends[row]
        spans = [s for s in self._candidates(start, end + 1) if s.start < end and s.end > start]
        selection = self.selection
        match = self.match if self.match != selection else None
        cuts = {start, end}
        for span in spans:
            cuts.update((max(span.start, start), min(span.end, end)))
        for pair in (selection, match):
            if pair:
                cuts.update(x for x in pair if start <= x <= end)
        cursor = self.cursor if self.has_focus else None
        if cursor is not None and start <= cursor < end:
            cuts.update((cursor, next_grapheme(self.text, cursor)))
        points = sorted(c for c in cuts if start <= c <= end)
        segments: list[Segment] = []
        for left, right in pairwise(points):
            covering = tuple(s for s in spans if s.start <= left and s.end >= right)
            flags = (
                bool(selection and selection[0] <= left and right <= selection[1]),
                bool(match and match[0] <= left and right <= match[1]),
                cursor == left,
            )
            for _offset, shown, is_placeholder in layout.clusters(left, right):
                segments.append(Segment(shown, self._style(covering, flags, is_placeholder)))
        if cursor is not None and cursor == end and (
                end == len(self.text) or self.text[end] == "\n"):
            segments.append(Segment(" ", self._style((), (False, False, True), False)))
        return Strip(segments)

    def _style(self, covering: tuple[Span, ...], flags: tuple[bool, bool, bool],
               placeholder: bool) -> Style:
        key = (tuple((s.label, s.id in self.unsaved) for s in covering), flags, placeholder)
        style = self._styles.get(key)
        if style is None:
            style = self._compose_style(covering, flags, placeholder)
            self._styles[key] = style
        return style

    def _compose_style(self, covering: tuple[Span, ...], flags: tuple[bool, bool, bool],
                 placeholder: bool) -> Style:
        style = self.rich_style

        def component(name: str) -> Style:
            # Only what the stylesheet sets for this part, so that a selection's background
            # keeps the label's colour underneath.
            return self.get_component_rich_style(name, partial=True)

        if placeholder:
            style += component("article-view--placeholder")
        for span in sorted(covering, key=len, reverse=True):  # the innermost drawn last
            label = self.labels.get(span.label)
            index = self.labels.index(span.label) if label else 2
            colour = label.colour if label else "#888888"
            channel = CHANNELS[index % len(CHANNELS)]
            shape = component(f"article-view--span-{channel}")
            if channel == "background":
                style += shape + Style(bgcolor=_dim(colour))
            else:
                style += shape + Style(color=colour)
            if span.id in self.unsaved:
                style += component("article-view--unsaved")
        selected, matched, at_cursor = flags
        if matched:
            style += component("article-view--match")
        if selected:
            style += component("article-view--selection")
        if at_cursor:
            style += component("article-view--cursor")
        return style

    # -- bookkeeping -----------------------------------------------------------------

    def _candidates(self, start: int, end: int) -> list[Span]:
        """Spans that may overlap [start, end): those starting less than the longest span
        before it, found by bisection on the sorted starts."""
        low = bisect_left(self.spans, start - self._longest, key=lambda s: s.start)
        high = bisect_right(self.spans, end, key=lambda s: s.start)
        return [s for s in self.spans[low:high] if s.start < end and s.end > start]

    def _selection_rows(self) -> set[int]:
        rows: set[int] = set()
        for pair in (self.selection, self.match):
            if pair:
                rows.update(range(self.layout_.row_of(pair[0]),
                                  self.layout_.row_of(pair[1]) + 1))
        return rows

    def _refresh_range(self, start: int, end: int) -> None:
        self._refresh_rows(set(range(self.layout_.row_of(start),
                                     self.layout_.row_of(end) + 1)))

    def _refresh_rows(self, rows: set[int]) -> None:
        scroll_y = self.scroll_offset.y
        for row in rows:
            self._strips.discard(row)
            if scroll_y <= row < scroll_y + self.size.height:
                self.refresh_lines(row)

    def on_focus(self) -> None:
        self._refresh_rows({self.layout_.row_of(self.cursor)})

    def on_blur(self) -> None:
        self._refresh_rows({self.layout_.row_of(self.cursor)})


def _dim(colour: str) -> str:
    """A label colour at 35% over a dark background, so text on it stays readable."""
    from rich.color import Color

    triplet = Color.parse(colour).get_truecolor()
    r, g, b = (int(c * 0.35 + 24 * 0.65) for c in triplet)
    return f"#{r:02x}{g:02x}{b:02x}"
