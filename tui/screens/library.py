"""The library: every article with its title, length, span count and this analyst's status."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Input, Static

from tui.core.dataset import ArticleSummary, Dataset
from tui.widgets.article_table import ArticleTable


class LibraryScreen(Screen[None]):
    BINDINGS = [
        Binding("escape", "clear_filter", "Clear filter", show=False),
        Binding("question_mark", "app.help", "Keys", key_display="?"),
        Binding("q", "app.quit", "Quit"),
    ]

    def __init__(self, dataset: Dataset) -> None:
        super().__init__()
        self.dataset = dataset
        self.rows, self.problems = dataset.summaries()

    def compose(self) -> ComposeResult:
        done = sum(r.status == "done" for r in self.rows)
        yield Static(f" Gloss · {self.dataset.folder} · {len(self.rows)} articles · "
                     f"{done} done by {self.dataset.annotator}", id="library-title", markup=False)
        yield ArticleTable(self.rows, id="library")
        for problem in self.problems:
            yield Static(f"cannot read {problem}", classes="problem", markup=False)
        yield Footer()

    def on_article_table_opened(self, event: ArticleTable.Opened) -> None:
        from tui.screens.reader import ReaderScreen

        self.app.push_screen(ReaderScreen(self.dataset, [event.doc_id], self.order))

    @property
    def order(self) -> list[str]:
        return [r.id for r in self.rows]

    def on_screen_resume(self) -> None:
        """Back from the reader: span counts and statuses have changed."""
        self.rows, self.problems = self.dataset.summaries()
        table = self.query_one(ArticleTable)
        table.rows = self.rows
        table.fill(self.query_one(Input).value)

    def action_clear_filter(self) -> None:
        self.query_one(Input).value = ""

    def summaries(self) -> list[ArticleSummary]:
        return self.rows
