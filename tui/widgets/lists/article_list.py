"""The rows of the library and the pickers: one article a row, under a header that stays.

A Line API widget: only the rows on screen are drawn, so 5,000 articles cost what 20 do,
and filtering is a list of indices (a DataTable measured every cell of every row again
after each key: 4 s to the library's first frame, 0.8 s a key typed into the filter).
Columns: number, title, length, spans, this analyst's status; for a team (an article with
two analysts or more), who marked it done, who reviewed it and how far its first two
analysts agree (span F1, overlapping), and the spans column counts one version, headed by
whose it is (``yours``, or the review's in `gloss review`). The title takes what the others
leave; a narrow team library drops the length. Titles and names are data: drawn literally,
their controls as placeholders, cut whole clusters at a time.
"""

from __future__ import annotations

from dataclasses import dataclass
from operator import attrgetter
from typing import ClassVar, NamedTuple

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import BindingType
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui.core.store.dataset import ArticleSummary
from tui.keys import bindings
from tui.widgets.cells import one_line


class Column(NamedTuple):
    name: str  # its header
    width: int
    right: bool = False  # numbers line up on the right
    cell: str = ""  # which of ``cells`` it shows, when not its name


_LENGTH = attrgetter("length")
_DONE_BY = attrgetter("done_by")


def cells(row: ArticleSummary, n: int) -> dict[str, str]:
    """What each column shows of ``row`` (the title and names not yet made safe)."""
    return {"#": str(n), "title": row.title, "chars": f"{row.length:,}",
            "spans": str(row.spans), "status": row.status, "done by": " ".join(row.done_by),
            "reviewed": " ".join(f"✓ {who}" for who in row.reviewed_by),
            "F1": "–" if row.agreement is None else f"{row.agreement:.2f}"}


def columns(rows: list[ArticleSummary], width: int, team: bool, whose: str = "yours"
            ) -> list[Column]:
    """The columns for this width: every one but the title as wide as it needs (names
    up to a limit), the title the rest; a team's spans column is headed ``whose``."""
    number = len(str(len(rows)))
    # the longest length is the widest written; 100,000 rows measured in C, not one by one
    chars = len(f"{max(map(_LENGTH, rows), default=0):,}")
    spans = whose if team else "spans"
    found = [Column("#", max(number, 1), True), Column("title", 0),
             Column("chars", max(chars, 5), True), Column(spans, max(len(spans), 5), True, "spans"),
             Column("status", 8)]
    if team:
        done = max(map(len, map(" ".join, map(_DONE_BY, rows))), default=0)
        found += [Column("done by", min(max(done, 7), 16)), Column("reviewed", 8),
                  Column("F1", 4, True)]
        if width < 100:
            found.pop(2)  # the length gives way first
    room = width - 1 - sum(c.width + 2 for c in found) + 2
    found[1] = Column("title", max(room, 12))
    return found


class ArticleList(ScrollView, can_focus=True):
    # As Textual's DataTable looks: the header on the panel, every other row lighter
    DEFAULT_CSS = """
    ArticleList {
        height: 1fr;
        overflow-x: hidden;
        scrollbar-gutter: stable;
        scrollbar-size-vertical: 1;
    }

    ArticleList > .article-list--header {
        text-style: bold;
        background: $panel;
        color: $foreground;
    }

    ArticleList:dark > .article-list--stripe {
        background: $surface-darken-1 40%;
    }

    ArticleList > .article-list--stripe {
        background: $surface-lighten-1 50%;
    }

    ArticleList > .article-list--cursor {
        background: $block-cursor-blurred-background;
        color: $block-cursor-blurred-foreground;
    }

    ArticleList:focus > .article-list--cursor {
        background: $block-cursor-background;
        color: $block-cursor-foreground;
        text-style: bold;
    }
    """

    @dataclass
    class Chosen(Message):
        """An article was picked (enter or a click; or enter in the filter above it)."""

        doc_id: str

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "article-list--header", "article-list--cursor", "article-list--stripe"}
    BINDINGS: ClassVar[list[BindingType]] = list(bindings("articles"))

    def __init__(self, rows: list[ArticleSummary], whose: str = "yours", *,
                 id: str | None = None) -> None:
        """``whose``: the spans column's header in a team's library."""
        super().__init__(id=id)
        self.rows = rows
        self.whose = whose
        self.shown: list[int] = list(range(len(rows)))  # indices of the rows that match
        self.row = 0  # the cursor, an index into shown
        self.team = any(len(r.analysts) > 1 for r in rows)
        self._layout: tuple[int, list[Column]] = (-1, [])  # for a width

    def show(self, rows: list[ArticleSummary], shown: list[int]) -> None:
        if rows is not self.rows:
            self.rows, self._layout = rows, (-1, [])
            self.team = any(len(r.analysts) > 1 for r in rows)
        self.shown = shown
        self.row = min(self.row, max(len(shown) - 1, 0))
        self._fit()
        self.refresh()

    def layout(self, width: int) -> list[Column]:
        if self._layout[0] != width:
            self._layout = (width, columns(self.rows, width, self.team, self.whose))
        return self._layout[1]

    @property
    def selected(self) -> ArticleSummary | None:
        return self.rows[self.shown[self.row]] if self.shown else None

    def _fit(self) -> None:
        size = Size(self.scrollable_content_region.width, len(self.shown) + 1)
        if size != self.virtual_size:
            self.virtual_size = size

    def on_resize(self, event: events.Resize) -> None:
        self._fit()

    def render_line(self, y: int) -> Strip:
        width, base = self.scrollable_content_region.width, self.rich_style
        layout = self.layout(width)
        if y == 0:  # the header stays put; the rows scroll under it
            style = base + self.get_component_rich_style("article-list--header")
            return self._strip([c.name for c in layout], layout, style, width)
        index = self.scroll_offset.y + y - 1
        if index >= len(self.shown):
            return Strip.blank(width, base)
        style = base
        if index == self.row:
            style += self.get_component_rich_style("article-list--cursor")
        elif index % 2 == 0:  # as a DataTable stripes them
            style += self.get_component_rich_style("article-list--stripe")
        n = self.shown[index]
        values = cells(self.rows[n], n + 1)
        return self._strip([values[c.cell or c.name] for c in layout], layout, style, width)

    @staticmethod
    def _strip(values: list[str], layout: list[Column], style: Style, width: int) -> Strip:
        segments = [Segment(" ", style)]
        for value, column in zip(values, layout, strict=False):
            text = one_line(value, column.width)
            if column.right:
                text = text.rstrip().rjust(column.width)
            segments += [Segment(text, style), Segment("  ", style)]
        return Strip(segments).crop_extend(0, width, style)

    def action_cursor(self, by: int) -> None:
        if self.shown:
            self.move_to(max(0, min(self.row + by, len(self.shown) - 1)))

    def move_to(self, row: int) -> None:
        old, self.row = self.row, row
        top, height = self.scroll_offset.y, self.size.height - 1
        if row < top:
            self.scroll_to(y=row, animate=False, immediate=True)
        elif row >= top + height:
            self.scroll_to(y=row - height + 1, animate=False, immediate=True)
        for index in (old, row):
            self.refresh_line(index - self.scroll_offset.y + 1)

    def action_choose(self) -> None:
        chosen = self.selected
        if chosen is not None:
            self.post_message(self.Chosen(chosen.id))

    def on_click(self, event: events.Click) -> None:
        index = event.y + self.scroll_offset.y - 1
        if event.y >= 1 and 0 <= index < len(self.shown):
            self.move_to(index)
            self.action_choose()
