"""One row of the span list, drawn: a span (its label as the text draws it, its text and
links, its analyst), and the rows of the "suggested" section below the spans (a heading
with how many, then each suggestion's label, text and finder), dim and underlined as the
text draws a suggestion, so that no one takes them for labels."""

from __future__ import annotations

from collections.abc import Callable

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.cache import LRUCache
from textual.strip import Strip

from tui.core.document.model import Span
from tui.core.document.suggestion import Suggestion
from tui.core.language.visible import visible
from tui.widgets.cells import fit_links, one_line
from tui.widgets.palette import Palette

NARROW = 34  # a list narrower than this shortens the label's name to three letters
Part = Callable[[str], Style]  # the list's own style of a part, by component class


def span_row(palette: Palette, part: Part, base: Style, span: Span, width: int,
             unsaved: bool, links: str, analyst: str) -> list[Segment]:
    """``!`` when unsaved, the label as the text draws it (its first three letters in
    a narrow list), the span's text and its links, the analyst (if any): the name
    whole, then the links, each cut alike (a claim keeps its source and its place),
    the text shortened first."""
    style = palette.tag(span.label)
    label = 3 if width < NARROW else 9
    room = width - 2 - label - (1 if analyst else 0)  # the mark and the label's space
    if cell_len(analyst) > room - 3:  # keep three cells of text; cut a very long name
        analyst = one_line(analyst, max(room - 3, 1))
    room = max(room - cell_len(analyst), 0)
    if links and room >= 12:  # the text keeps two fifths of the room, the links the rest
        links = " " + fit_links(links, min(cell_len(links), room - max(room * 2 // 5, 6)
                                           - 1))
    else:
        links = ""
    text = one_line(span.text, room - cell_len(links)) + links
    segments = [Segment("!", base + part("span-list--unsaved"))
                if unsaved else Segment(" ", base),
                Segment(set_cell_size(visible(span.label), label), base + style),
                Segment(" ", base), Segment(text, base)]
    if analyst:
        segments += [Segment(" ", base), Segment(analyst, base + part("span-list--analyst"))]
    return segments


def heading_row(base: Style, part: Part, count: int, width: int) -> Strip:
    words = f" suggested: {count:,} (y accepts, u rejects, j walks) "
    line = one_line(words, max(width, 1))
    return Strip([Segment(line, base + part("span-list--analyst") + Style(bold=True))]
                 ).crop_extend(0, width, base)


def suggestion_row(palette: Palette, base: Style, suggestion: Suggestion, text: str,
                   width: int) -> Strip:
    """``?``, the label drawn as the text draws a suggestion, the suggested text."""
    label = 3 if width < NARROW else 9
    room = max(width - 2 - label, 0)
    look = palette.suggestion(suggestion.label)
    shown = one_line(text[suggestion.start:suggestion.end], room)
    name = set_cell_size(visible(suggestion.label), label).rstrip()
    return Strip([Segment("?", base + Style(dim=True)), Segment(name, base + look),
                  Segment(" " * (label - cell_len(name) + 1), base),
                  Segment(shown, base + Style(dim=True))]).crop_extend(0, width, base)


def suggestion_line(palette: Palette, base: Style, part: Part, offered: list[Suggestion],
                    row: int, text: str, width: int, selected: bool,
                    kept: LRUCache[tuple[object, ...], Strip]) -> Strip:
    """Row ``row`` of the suggested section: its heading (0), then each suggestion; each
    drawn once (``kept``: the list's strips, by what the row shows), not at every frame (a
    1 MB article's list is thousands of suggestions, its screen redrawn at each key)."""
    if row - 1 >= len(offered):
        return Strip.blank(width, base)
    if row == 0:
        return heading_row(base, part, len(offered), width)
    suggestion = offered[row - 1]
    key = ("?", suggestion.label, text[suggestion.start:suggestion.end], width, selected)
    strip = kept.get(key)
    if strip is None:
        strip = kept[key] = suggestion_row(
            palette, base + part("span-list--cursor") if selected else base, suggestion,
            text, width)
    return strip


def changed_rows(before: list[Suggestion] | None, offered: list[Suggestion], spans: int,
                 rows: range) -> list[int]:
    """The rows of ``rows`` (the list's: ``spans`` spans, then the suggested section, its
    heading first) in the suggested section that show something else with ``offered``
    than with ``before`` (None: not known, every one of them)."""
    return [row for row in range(max(spans, rows.start), rows.stop)
            if before is None or _shown(before, row - spans) != _shown(offered, row - spans)]


def _shown(offered: list[Suggestion], row: int) -> object:
    if row == 0:
        return len(offered)  # (0: no heading)
    return (offered[row - 1].label, offered[row - 1].start, offered[row - 1].end) \
        if row - 1 < len(offered) else None


def chosen(spans: list[Span], offered: list[Suggestion], row: int
           ) -> Span | Suggestion | None:
    """What row ``row`` of the list shows: a span, a suggestion, or neither (the heading)."""
    if row < len(spans):
        return spans[row]
    return offered[row - len(spans) - 1] if 0 < row - len(spans) <= len(offered) else None
