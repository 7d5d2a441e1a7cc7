"""The spans of one article pane, one row each: label, text and links, analyst.

A Line API widget over the :class:`ArticleModel`'s own sorted list, which it observes: an
edit made in any pane redraws the rows on screen, never a rebuilt list, so labelling in an
article with 5,000 spans stays one frame. The label is drawn as the text draws it (the
same palette); a claim shows its links, ``claim ← source @ place`` (``← ?`` while it is
still to do); the analyst's name is never cut; choosing a row (enter or a click) posts
:class:`SpanList.Chosen`. The article's suggestions are listed apart, below the spans,
under a heading that says how many (``span_rows.py`` draws both).
"""

from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from rich.segment import Segment
from textual import events
from textual.binding import BindingType
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.message import Message
from textual.strip import Strip
from textual.timer import Timer

from tui.core.document.model import Span
from tui.core.document.suggestion import Suggestion
from tui.core.editing.article_model import ArticleModel, ModelEvent, order
from tui.core.editing.linking import links_line
from tui.core.editing.suggestions import ArticleSuggestions, SuggestionEvent
from tui.core.language.visible import visible
from tui.keys import bindings
from tui.widgets.frame_style import FrameStyle
from tui.widgets.lists.span_rows import NARROW, changed_rows, chosen, span_row, suggestion_line
from tui.widgets.palette import Palette

if TYPE_CHECKING:  # a review's: the reader's start imports none of the review
    from tui.core.team.review import Notes


class SpanList(FrameStyle, can_focus=True):
    DEFAULT_CSS = """
    SpanList {
        width: 42;
        height: 1fr;
        border-left: vkey $panel-lighten-2;
        overflow-x: hidden;
        scrollbar-gutter: stable;
        scrollbar-size-vertical: 1;
    }

    SpanList:focus {
        border-left: vkey $accent;
    }

    SpanList > .span-list--cursor {
        background: $accent 40%;
    }

    SpanList > .span-list--analyst {
        color: $text-muted;
    }

    SpanList > .span-list--unsaved {
        color: $error;
        text-style: bold;
    }

    SpanList > .span-list--empty {
        color: $text-muted;
        text-style: italic;
    }
    """

    @dataclass
    class Chosen(Message):
        """A row was chosen (enter or a click): go to that span (or suggestion)."""

        span: Span | Suggestion

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "span-list--cursor", "span-list--analyst", "span-list--empty", "span-list--unsaved"}
    BINDINGS: ClassVar[list[BindingType]] = list(bindings("spans"))

    def __init__(self, model: ArticleModel, palette: Palette, analyst: str | None = None,
                 *, id: str | None = None, suggested: ArticleSuggestions | None = None
                 ) -> None:
        super().__init__(id=id)
        self.model = model
        self.palette = palette
        self.analyst = analyst
        self.row = 0
        self._rows: list[Span] | None = None  # the spans shown, when filtered
        # A row depends only on what is in this key: rows survive scrolling and the
        # full redraws that a growing list asks for.
        self._strips: LRUCache[tuple[object, ...], Strip] = LRUCache(2048)
        self._fit_timer: Timer | None = None
        self._stop_observing = model.observe(self._model_changed)
        self.suggested = suggested
        self._stop_suggested = suggested.observe(self._suggested) if suggested else None
        self.notes: Notes | None = None  # said in place of the analyst's name (a review)

    def show_notes(self, notes: Notes | None) -> None:
        """Say ``notes.of(span)`` in place of a span's analyst (a review: how it differs
        from the other version, and whether the review holds it)."""
        if notes is not self.notes:
            self.notes = notes
            self.refresh()

    @property
    def spans(self) -> list[Span]:
        if self.analyst is None:
            return self.model.spans
        if self._rows is None:
            self._rows = list(self.model.of(self.analyst))
        return self._rows

    def _model_changed(self, event: ModelEvent) -> None:
        """Redraw the rows on screen that changed, now: from the first edited span down (the
        rows below it moved), or only the spans just saved. The scroll range
        (``virtual_size``) waits until the analyst pauses, as changing it costs a layout
        and a full repaint (7.7 ms a label)."""
        self._rows = None
        spans = self.spans
        first = min((bisect_left(spans, start, key=lambda s: s.start)
                     for start, _end in event.ranges), default=0)
        top, height = self.scroll_offset.y, self.size.height
        if event.kind == "edit":
            self.row = min(self.row, max(self.rows - 1, 0))
            self._fit_later()
            rows = range(max(first, top), top + height)
        else:
            ends = max((end for _start, end in event.ranges), default=0)
            last = bisect_left(spans, ends, key=lambda s: s.start)
            rows = range(max(first, top), min(last + 1, top + height))
        if len(rows):
            self.refresh_lines(rows.start, len(rows))

    def _suggested(self, event: SuggestionEvent) -> None:
        """The suggestions changed: their rows on screen (below the spans) are drawn again,
        after an answer those that show something else."""
        top, before = self.scroll_offset.y, event.before
        for row in changed_rows(before.suggestions if before else None, self.offered,
                                len(self.spans), range(top, top + self.size.height)):
            self.refresh_lines(row)
        self._fit_scroll_range() if event.answered else self._fit_later()

    @property
    def offered(self) -> list[Suggestion]:
        return self.suggested.offered if self.suggested is not None else []

    @property
    def rows(self) -> int:
        """The spans, then the suggestions under their heading."""
        return len(self.spans) + (len(self.offered) + 1 if self.offered else 0)

    def _fit_later(self) -> None:
        if self._fit_timer is None:
            self._fit_timer = self.set_timer(0.3, self._fit_scroll_range)
        else:
            self._fit_timer.reset()

    def _fit_scroll_range(self) -> None:
        self._fit_timer = None
        size = Size(self.scrollable_content_region.width, max(self.rows, 1))
        if size != self.virtual_size:
            self.virtual_size = size

    def follow(self, span: Span) -> None:
        """Put the list's cursor on ``span`` (or where it would be)."""
        spans = self.spans
        index = min(bisect_left(spans, order(span), key=order), max(len(spans) - 1, 0))
        if index >= self.virtual_size.height:  # a layout pass: only when the row needs it
            self._fit_scroll_range()
        self._move_to(index)

    def render_line(self, y: int) -> Strip:
        spans, width = self.spans, self.scrollable_content_region.width
        index = self.scroll_offset.y + y
        if index >= len(spans) and self.offered:
            return suggestion_line(self.palette, self.line_style, self.get_component_rich_style,
                                   self.offered, index - len(spans), self.model.text, width,
                                   index == self.row and self.has_focus, self._strips)
        if index >= len(spans):
            if spans or y:
                return Strip.blank(width, self.line_style)
            style = self.get_component_rich_style("span-list--empty")
            return Strip([Segment(" no spans yet: select text, press 1 2 3", style)]
                         ).crop_extend(0, width, self.line_style)
        span = spans[index]
        selected = index == self.row and self.has_focus
        model = self.model
        unsaved = model.is_unsaved(span.id) or model.links_unsaved(span.id)
        links = links_line(model, span)
        who = (self.notes.of(span) if self.notes else None) or visible(span.annotator)
        if width < NARROW and who == visible(span.annotator) and not model.many_analysts():
            who = ""  # one analyst's spans in a narrow list: their name says nothing
        key = (span.id, span.label, span.start, span.end, who, width, selected, unsaved, links)
        strip = self._strips.get(key)
        if strip is None:
            base = self.line_style
            if selected:
                base += self.get_component_rich_style("span-list--cursor")
            strip = Strip(span_row(self.palette, self.get_component_rich_style, base, span,
                                   width, unsaved, links, who)
                          ).crop_extend(0, width, self.line_style)
            self._strips[key] = strip
        return strip

    def action_cursor(self, step: int) -> None:
        if self.rows:
            self._move_to(max(0, min(self.row + step, self.rows - 1)))

    def _move_to(self, row: int) -> None:
        old, self.row = self.row, row
        self.refresh_lines(old)
        self.refresh_lines(row)
        top = self.scroll_offset.y
        if not top <= row < top + self.size.height:  # scrolling costs a layout pass
            self.scroll_to_region(Region(0, row, 1, 1), animate=False, immediate=True)

    def action_choose(self) -> None:
        if (row := chosen(self.spans, self.offered, self.row)) is not None:
            self.post_message(self.Chosen(row))

    def on_click(self, event: events.Click) -> None:
        index = event.y + self.scroll_offset.y
        if (row := chosen(self.spans, self.offered, index)) is not None:
            self._move_to(index)
            self.post_message(self.Chosen(row))

    def on_resize(self, event: events.Resize) -> None:
        self._fit_scroll_range()
        self.refresh()

    def on_unmount(self) -> None:
        self._stop_observing()
        if self._stop_suggested is not None:
            self._stop_suggested()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips.clear()

    def on_focus(self) -> None:
        self.refresh_lines(self.row)

    def on_blur(self) -> None:
        self.refresh_lines(self.row)
