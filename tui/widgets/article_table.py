"""A filterable list of articles: the library, and the pickers of `s` and `o`.

Type to filter (title words, or a status: todo, done, skipped); enter posts
:class:`ArticleTable.Opened` with the article's id.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import DataTable, Input

from tui.core.dataset import ArticleSummary


class ArticleTable(Vertical):
    class Opened(Message):
        def __init__(self, doc_id: str) -> None:
            super().__init__()
            self.doc_id = doc_id

    def __init__(self, rows: list[ArticleSummary], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows = rows

    def compose(self) -> ComposeResult:
        yield Input(placeholder="filter: words of the title, or todo / done / skipped",
                    id="filter")
        table: DataTable[str] = DataTable(cursor_type="row", zebra_stripes=True, id="articles")
        yield table

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_column("#", key="n")
        table.add_column("title", key="title")
        table.add_column("chars", key="chars")
        table.add_column("spans", key="spans")
        table.add_column("status", key="status")
        self.fill("")
        table.focus()

    def fill(self, query: str) -> None:
        table = self.query_one(DataTable)
        table.clear()
        words = query.casefold().split()
        for n, row in enumerate(self.rows, start=1):
            haystack = f"{row.title} {row.status}".casefold()
            if all(word in haystack for word in words):
                title = row.title if len(row.title) <= 64 else row.title[:63] + "…"
                table.add_row(str(n), title, f"{row.length:,}", str(row.spans), row.status,
                              key=row.id)

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
            self.post_message(self.Opened(doc_id))

    def on_key(self, event: object) -> None:
        from textual import events

        if not isinstance(event, events.Key):
            return
        table = self.query_one(DataTable)
        filter_box = self.query_one(Input)
        if table.has_focus and event.character and event.character.isprintable() \
                and event.key not in ("q", "question_mark", "enter"):
            filter_box.focus()
            filter_box.value += event.character
            filter_box.cursor_position = len(filter_box.value)
            event.stop()
        elif filter_box.has_focus and event.key in ("down", "up"):
            table.focus()
            event.stop()
