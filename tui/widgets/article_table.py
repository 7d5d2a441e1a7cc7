"""A filterable list of articles: the library, and the pickers of `s` and `o`.

Type to filter (title words, or a status: todo, done, skipped); enter posts
:class:`ArticleChosen` with the article's id. Titles are data: shown literally, with
terminal controls as placeholders.
"""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable, Input

from tui.core.dataset import ArticleSummary
from tui.core.visible import visible
from tui.messages import ArticleChosen


class FilterBox(Input):
    """The filter: ``q`` in an empty filter quits, as everywhere else in Gloss."""

    async def on_key(self, event: events.Key) -> None:
        if event.key == "q" and not self.value:
            event.prevent_default()
            event.stop()
            await self.run_action("app.quit")


class ArticleTable(Vertical):
    def __init__(self, rows: list[ArticleSummary], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows = rows

    def compose(self) -> ComposeResult:
        yield FilterBox(placeholder="filter: words of the title, or todo / done / skipped",
                        select_on_focus=False, id="filter")
        table: DataTable[str | Text] = DataTable(cursor_type="row", zebra_stripes=True,
                                                 id="articles")
        yield table

    def on_mount(self) -> None:
        self.fill("")
        self.query_one(DataTable).focus()

    def on_resize(self) -> None:
        self.fill(self.query_one(FilterBox).value)

    def fill(self, query: str) -> None:
        """The rows matching ``query``; titles cut to what the width leaves after the
        length, span count and status, so those always show."""
        table: DataTable[str | Text] = self.query_one(DataTable)
        table.clear(columns=True)
        room = max(self.size.width - 2 - 4 - 9 - 7 - 9 - 8, 12)
        table.add_column("#", key="n")
        table.add_column("title", key="title", width=room)
        table.add_column("chars", key="chars")
        table.add_column("spans", key="spans")
        table.add_column("status", key="status")
        words = query.casefold().split()
        for n, row in enumerate(self.rows, start=1):
            haystack = f"{row.title} {row.status}".casefold()
            if all(word in haystack for word in words):
                title = visible(row.title)
                title = title if len(title) <= room else title[: room - 1] + "…"
                table.add_row(str(n), Text(title), f"{row.length:,}", str(row.spans),
                              row.status, key=row.id)

    def on_input_changed(self, event: Input.Changed) -> None:
        self.fill(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        table = self.query_one(DataTable)
        if table.row_count:
            self._open(table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        self._open(event.row_key.value)

    def _open(self, doc_id: str | None) -> None:
        if doc_id:
            self.post_message(ArticleChosen(doc_id))

    def on_key(self, event: events.Key) -> None:
        table = self.query_one(DataTable)
        filter_box = self.query_one(FilterBox)
        if table.has_focus and event.character and event.character.isprintable() \
                and event.key not in ("q", "question_mark", "enter"):
            filter_box.focus()
            filter_box.value += event.character
            filter_box.cursor_position = len(filter_box.value)
            event.stop()
        elif filter_box.has_focus and event.key in ("down", "up"):
            table.focus()
            event.stop()
