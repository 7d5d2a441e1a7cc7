"""The library: every article with its title, length, span count and this analyst's status.

An article file that cannot be read is listed below as broken, one literal line each.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Input, Static

from tui.core.dataset import Dataset
from tui.core.visible import visible
from tui.messages import ArticleChosen
from tui.widgets.article_table import ArticleTable

if TYPE_CHECKING:
    from tui.app import GlossApp


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
        yield Static(f" Gloss · {visible(str(self.dataset.folder))} · {len(self.rows)} "
                     f"articles · {done} done by {visible(self.dataset.annotator)}",
                     id="library-title", markup=False)
        yield ArticleTable(self.rows, id="library")
        for problem in self.problems:
            yield Static(f"broken: {visible(problem)}", classes="problem", markup=False)
        yield Footer()

    def on_article_chosen(self, message: ArticleChosen) -> None:
        cast("GlossApp", self.app).open_reader(message.doc_id, self.order)

    @property
    def order(self) -> list[str]:
        return [r.id for r in self.rows]

    def on_screen_resume(self) -> None:
        """Back from the reader: span counts and statuses have changed."""
        self.rows, self.problems = self.dataset.summaries()
        table = self.query_one(ArticleTable)
        table.rows = self.rows
        table.fill(self.query_one(Input).value)

    def action_claims_board(self) -> None:
        def chosen(claim: tuple[str, str] | None) -> None:
            if claim is not None:
                cast("GlossApp", self.app).open_reader(claim[0], self.order, show=claim[1])

        cast("GlossApp", self.app).open_board(None, chosen)

    def action_clear_filter(self) -> None:
        self.query_one(Input).value = ""
