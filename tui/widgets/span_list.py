"""The spans of the focused article, one row each: label, text, analyst.

A Line API widget over the article view's own sorted list, so labelling in an article with
5,000 spans redraws a row or two, never a rebuilt list. Choosing a row (enter or a click)
posts :class:`SpanList.Chosen`; the screen moves the article's cursor there.
"""

from __future__ import annotations

from bisect import bisect_left

import regex
from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.timer import Timer

from tui.core.model import LabelSet, Span
from tui.widgets.article_layout import placeholder


def one_line(text: str, cells: int) -> str:
    """The span's text on one safe line of exactly ``cells`` cells: newlines as ⏎,
    controls as placeholders, clusters kept whole, an ellipsis where it is cut."""
    text = text[: cells * 2 + 8]
    if text.isprintable() and cell_len(text) == len(text):
        shown = text  # the common case: nothing to replace, one cell a code point
    else:
        shown = "".join("⏎" if cluster == "\n" else (placeholder(cluster) or cluster)
                        for cluster in regex.findall(r"\X", text))
    if cell_len(shown) > cells:
        shown = set_cell_size(shown, cells - 1) + "…"
    return set_cell_size(shown, cells)


class SpanList(ScrollView, can_focus=True):
    COMPONENT_CLASSES = {"span-list--cursor", "span-list--analyst", "span-list--empty"}
    BINDINGS = [
        Binding("up", "cursor(-1)", show=False),
        Binding("down", "cursor(1)", show=False),
        Binding("pageup", "cursor(-10)", show=False),
        Binding("pagedown", "cursor(10)", show=False),
        Binding("enter", "choose", "Go to span", show=False),
    ]

    class Chosen(Message):
        def __init__(self, span: Span) -> None:
            super().__init__()
            self.span = span

    row: reactive[int] = reactive(0, init=False, repaint=False)

    def __init__(self, labels: LabelSet, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.labels = labels
        self.spans: list[Span] = []
        self.unsaved: set[str] = set()
        # A span's row depends only on what is in this key: rows survive scrolling and
        # the full redraws that a growing list asks for.
        self._strips: LRUCache[tuple[object, ...], Strip] = LRUCache(2048)
        self._fit_timer: Timer | None = None

    def show(self, spans: list[Span], unsaved: set[str]) -> None:
        """Follow this list (the article view's own, kept sorted) from now on."""
        self.spans, self.unsaved = spans, unsaved
        self.refresh_spans(now=True)

    def refresh_spans(self, now: bool = False) -> None:
        """Redraw after the list changed.

        Rows are drawn from the live list, so a new span shows at once; only the scroll
        range (``virtual_size``) waits until the analyst pauses, because changing it costs
        a layout and a full repaint (7.7 ms a label in bench/reader.py).
        """
        self.row = min(self.row, max(len(self.spans) - 1, 0))
        self.refresh()
        if now:
            self._fit_scroll_range()
        elif self._fit_timer is None:
            self._fit_timer = self.set_timer(0.3, self._fit_scroll_range)
        else:
            self._fit_timer.reset()

    def _fit_scroll_range(self) -> None:
        self._fit_timer = None
        size = Size(self.size.width, max(len(self.spans), 1))
        if size != self.virtual_size:
            self.virtual_size = size

    def follow(self, offset: int) -> None:
        """Put the list's cursor on the first span at or after ``offset``."""
        index = bisect_left(self.spans, offset, key=lambda s: s.start)
        self._fit_scroll_range()
        self._move_to(min(index, max(len(self.spans) - 1, 0)))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # While the reader is searching, its keys type the query (see search_bar.py).
        return not getattr(self.screen, "searching", False)

    def render_line(self, y: int) -> Strip:
        index = self.scroll_offset.y + y
        width = self.size.width
        if not self.spans:
            if y == 0:
                style = self.get_component_rich_style("span-list--empty")
                return Strip([Segment(" no spans yet: select text, press 1 2 3", style)]
                             ).crop_extend(0, width, self.rich_style)
            return Strip.blank(width, self.rich_style)
        if index >= len(self.spans):
            return Strip.blank(width, self.rich_style)
        span = self.spans[index]
        selected = index == self.row and self.has_focus
        key = (span.id, span.label, span.annotator, width, selected, span.id in self.unsaved)
        strip = self._strips.get(key)
        if strip is None:
            strip = self._render_span(span, width, selected)
            self._strips[key] = strip
        return strip

    def _render_span(self, span: Span, width: int, selected: bool) -> Strip:
        label = self.labels.get(span.label)
        base = self.rich_style
        if selected:
            base += self.get_component_rich_style("span-list--cursor")
        tag = Style(color=label.colour if label else "#888888", bold=True)
        mark = "!" if span.id in self.unsaved else " "
        name = f"{span.label[:9]:<9}"
        analyst = f" {span.annotator}"
        room = max(width - len(name) - len(analyst) - 2, 4)
        segments = [
            Segment(mark, base + Style(color="red", bold=True)),
            Segment(name, base + tag),
            Segment(" "),
            Segment(one_line(span.text, room), base),
            Segment(analyst, base + self.get_component_rich_style("span-list--analyst")),
        ]
        return Strip(segments).crop_extend(0, width, self.rich_style)

    def action_cursor(self, step: int) -> None:
        if self.spans:
            self._move_to(max(0, min(self.row + step, len(self.spans) - 1)))

    def _move_to(self, row: int) -> None:
        old, self.row = self.row, row
        self.refresh_lines(old)
        self.refresh_lines(row)
        self.scroll_to_region(Region(0, row, 1, 1), animate=False, immediate=True)

    def action_choose(self) -> None:
        if self.spans:
            self.post_message(self.Chosen(self.spans[self.row]))

    def on_click(self, event: events.Click) -> None:
        index = event.y + self.scroll_offset.y
        if 0 <= index < len(self.spans):
            self._move_to(index)
            self.post_message(self.Chosen(self.spans[index]))

    def on_resize(self, event: events.Resize) -> None:
        self.refresh_spans(now=True)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strips.clear()

    def on_focus(self) -> None:
        self.refresh_lines(self.row)

    def on_blur(self) -> None:
        self.refresh_lines(self.row)
