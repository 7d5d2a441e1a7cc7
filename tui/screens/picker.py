"""A modal list of articles: `s` opens the chosen one beside, `o` in place."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.core.dataset import Dataset
from tui.keys import bindings
from tui.widgets.lists.article_list import ArticleList
from tui.widgets.lists.article_table import ArticleTable


class PickerScreen(ModalScreen[str | None]):
    BINDINGS: ClassVar[list[BindingType]] = list(bindings("picker"))

    def __init__(self, dataset: Dataset, title: str) -> None:
        super().__init__()
        self.rows, _ = dataset.summaries()
        self.heading = title

    def compose(self) -> ComposeResult:
        with Vertical(id="picker"):
            yield Static(f"{self.heading} (enter opens, escape closes)", classes="picker-title",
                         markup=False)
            yield ArticleTable(self.rows)

    @on(ArticleList.Chosen)
    def _chosen(self, message: ArticleList.Chosen) -> None:
        self.dismiss(message.doc_id)
