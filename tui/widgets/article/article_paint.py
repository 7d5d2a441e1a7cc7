"""Drawing one row of an article: its text cut where spans, suggestions, the selection, the
search match, the links and the cursor begin and end, each piece in the style of all that
covers it. A suggestion is underlined, dim, in its label's colour: never a label's look
(no bold, no background), and under NO_COLOR the dim underline alone."""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise
from typing import NamedTuple

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from tui.core.document.model import Span
from tui.core.editing.article_model import ArticleModel
from tui.core.editing.suggestions import ArticleSuggestions
from tui.core.language.text import next_grapheme, previous_grapheme
from tui.widgets.article.article_layout import ArticleLayout
from tui.widgets.palette import MONO, Palette

Extent = tuple[int, int]


class Marks(NamedTuple):
    """What else is drawn over the spans of a row."""

    selection: Extent | None
    match: Extent | None
    cursor: int | None  # None: the view has no focus
    linked: tuple[Extent, ...] = ()  # the spans linked to the one under the cursor
    chosen: Extent | None = None  # the option a link key has highlighted
    hints: dict[int, str] | None = None  # offset -> the hint letter drawn there
    differs: tuple[Extent, ...] = ()  # in a review: spans the other version has not alike


Flags = tuple[bool, bool, bool, bool, bool, bool, bool, bool]


class Painter:
    def __init__(self, model: ArticleModel, layout: ArticleLayout, palette: Palette,
                 component: Callable[[str], Style], analyst: str | None = None,
                 suggested: ArticleSuggestions | None = None) -> None:
        self.model = model
        self.suggested = suggested  # the suggestions drawn (None: none, as in a review)
        self.layout = layout
        self.palette = palette
        self.component = component  # the stylesheet's part, by component class name
        self.analyst = analyst  # draw only this analyst's spans (None: everyone's)
        self._styles: dict[tuple[object, ...], Style] = {}

    def forget_styles(self) -> None:
        self._styles.clear()

    def row(self, row: int, base: Style, marks: Marks) -> Strip:
        layout, text = self.layout, self.model.text
        start, end = layout.extent(row)
        spans = self.model.overlapping(start, max(end, start + 1), self.analyst)
        selection, cursor = marks.selection, marks.cursor
        match = marks.match if marks.match != selection else None
        linked, chosen, hints = marks.linked, marks.chosen, marks.hints or {}
        differs = [(a, b) for a, b in marks.differs if a < end and b > start]
        offered = self.suggested.overlapping(start, max(end, start + 1)) \
            if self.suggested is not None else []
        cuts = {start, end}
        for span in (*spans, *offered):
            cuts.update((span.start, span.end))
        for extent in (*linked, *([chosen] if chosen else ()), *differs):
            cuts.update(extent)
        for offset in hints:
            if start <= offset < end:
                cuts.update((offset, next_grapheme(text, offset)))
        if selection:
            cuts.update((selection[0], next_grapheme(text, selection[0]),
                         previous_grapheme(text, selection[1]), selection[1]))
        if match:
            cuts.update(match)
        if cursor is not None:
            cuts.update((cursor, next_grapheme(text, cursor)))
        points = sorted(c for c in cuts if start <= c <= end)
        segments: list[Segment] = []
        for left, right in pairwise(points):
            covering = tuple(s for s in spans if s.start <= left and s.end >= right)
            under = [s for s in offered if s.start <= left and s.end >= right]
            suggested = min(under, key=lambda s: s.end - s.start).label if under else None
            selected = bool(selection and selection[0] <= left and right <= selection[1])
            hint = hints.get(left)
            flags = (
                selected,
                selected and selection is not None and (
                    left == selection[0] or right == selection[1]),
                bool(match and match[0] <= left and right <= match[1]),
                cursor == left,
                any(a <= left and right <= b for a, b in linked),
                bool(chosen and chosen[0] <= left and right <= chosen[1]),
                hint is not None,
                any(a <= left and right <= b for a, b in differs),
            )
            for _offset, shown, is_placeholder in layout.clusters(left, right):
                if hint is not None:  # the letter over the option's first character
                    shown = hint.ljust(max(cell_len(shown), 1))
                segments.append(Segment(shown, self._style(base, covering, flags,
                                                           is_placeholder, suggested)))
        if cursor is not None and cursor == end and (
                end == len(text) or text[end] == "\n"):
            segments.append(Segment(" ", self._style(
                base, (), (False, False, False, True, False, False, False, False), False)))
        return Strip(segments)

    def _style(self, base: Style, covering: tuple[Span, ...], flags: Flags,
               placeholder: bool, suggested: str | None = None) -> Style:
        unsaved = self.model.is_unsaved
        key = (base, tuple((s.label, unsaved(s.id)) for s in covering), flags, placeholder,
               suggested)
        style = self._styles.get(key)
        if style is None:
            style = self._compose(base, covering, flags, placeholder, suggested)
            self._styles[key] = style
        return style

    def _compose(self, base: Style, covering: tuple[Span, ...], flags: Flags,
                 placeholder: bool, suggested: str | None = None) -> Style:
        style = base
        if placeholder:
            style += self.component("article-view--placeholder")
        if suggested is not None:  # beneath the spans: a label drawn over it wins
            style += self.palette.suggestion(suggested)
        depth: dict[str, int] = {}
        for span in sorted(covering, key=len, reverse=True):  # the innermost drawn last
            depth[span.label] = depth.get(span.label, 0) + 1
            style += self.palette.span(span.label, depth[span.label])
            if self.model.is_unsaved(span.id):
                style += self.component("article-view--unsaved")
        selected, edge, matched, at_cursor, linked, chosen, hint, differs = flags
        if differs:
            style += self.component("article-view--differs")
        if linked:
            style += self.component("article-view--linked")
        if chosen:
            style += self.component("article-view--chosen")
        if matched:
            style += self.component("article-view--match")
        if selected:
            style += self.component("article-view--selection")
        if edge:
            style += self.component("article-view--selection-edge")
        if at_cursor:
            if selected and self.palette.mode == MONO:  # reverse on reverse shows nothing
                style += Style(reverse=False, underline=True, bold=True)
            else:
                style += self.component("article-view--cursor")
        if hint:
            style += self.component("article-view--hint")
        return style
