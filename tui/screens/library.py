"""The library: every article with its title, length, span count and this analyst's status;
for a team, who marked it done, who reviewed it and how far its first two analysts agree.
In `gloss review` an article opens in the review screen, else in the reader (the palette's
"Review this article" reviews the one under the cursor from either).

The first frame shows the rows of the dataset's index as they stand; a thread checks
them against the files right after it, and the rows are read again and shown when a file
changed (docs/architecture.md, *A pass*). An article file that cannot be read is listed
below as broken, one literal line each, once checked.
An empty library says how to add articles, and enter imports the samples that ship with
Gloss.
"""

from __future__ import annotations

import gc
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.screen import Screen
from textual.widgets import Footer, Input, Static

from tui.commands import Command, ScreenCommands
from tui.core.document.model import GlossError
from tui.core.language.visible import visible
from tui.core.store.dataset import ArticleSummary, Dataset
from tui.core.store.samples import first_steps, import_samples
from tui.core.team.review import ReviewPlan
from tui.keys import bindings
from tui.screens.navigation import Chosen, OpenBoard, OpenReader, OpenReview
from tui.widgets.lists.article_list import ArticleList
from tui.widgets.lists.article_table import ArticleTable


class LibraryScreen(Screen[None]):
    COMMANDS = {ScreenCommands}
    BINDINGS: ClassVar[list[BindingType]] = list(bindings("library"))

    def __init__(self, dataset: Dataset, plan: ReviewPlan | None = None,
                 reviewing: bool = False) -> None:
        """``plan``: who reviews whom (and so which two analysts' agreement is shown);
        ``reviewing``: the library of `gloss review`, where enter reviews the article."""
        super().__init__()
        self.dataset = dataset
        self.plan = plan or ReviewPlan()
        self.reviewing = reviewing
        # the index's rows as they stand for the first frame, checked against the files
        # right after it (_check): 100,000 stats are a third of the start. The cycle
        # collector's passes over those rows (no cycle among them) wait for that frame
        self._collect = gc.isenabled()
        gc.disable()
        try:
            self.rows, self.problems = self._read(trusted=True)
        except BaseException:
            self._collector_back()
            raise
        self._fresh = True  # the rows were just read: the first resume reads nothing

    def _read(self, trusted: bool = False) -> tuple[list[ArticleSummary], list[str]]:
        pair = self.plan.analysts if len(self.plan.analysts) >= 2 else ()
        return self.dataset.summaries(self.plan.reviewer, pair, trusted=trusted)

    def on_mount(self) -> None:
        self.call_after_refresh(self._check)

    def on_unmount(self) -> None:
        self._collector_back()

    def _collector_back(self) -> None:
        if self._collect:
            self._collect = False
            gc.enable()

    def _check(self) -> None:
        """Check the rows shown against the files, in a thread; read them again and show
        them when any file changed since its row was kept (docs/architecture.md)."""
        self._collector_back()
        shown, dataset = self.order, self.dataset

        def check() -> None:
            if not dataset.unchanged(shown):
                self.app.call_from_thread(self._show, *self._read())

        self.run_worker(check, thread=True, group="library-check", exit_on_error=False)

    def compose(self) -> ComposeResult:
        yield Static(self._title(), id="library-title", markup=False)
        # a team's article: the spans of one version, said in the column's header
        yield ArticleTable(self.rows, "review" if self.reviewing else "yours", id="library")
        for problem in self.problems:
            yield Static(f"broken: {visible(problem)}", classes="problem", markup=False)
        if self._empty:
            self.add_class("-empty")  # the guide instead of an empty table
            yield Static(first_steps(self.dataset.folder), id="library-empty", markup=False)
        yield Footer()

    @property
    def _empty(self) -> bool:
        return not self.rows and not self.problems and not self.reviewing

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self._empty if action == "import_samples" else True

    def action_import_samples(self) -> None:
        try:
            result = import_samples(self.dataset)
        except (GlossError, OSError) as exc:
            self.notify(f"the samples could not be imported: {visible(str(exc))}",
                        severity="error", markup=False)
            return
        self.notify(f"imported {result.articles_added} sample articles", markup=False)
        self._fresh = False
        self.on_screen_resume()
        self.query_one("#library-empty").remove()
        self.remove_class("-empty")
        self.query_one(ArticleList).focus()
        self.refresh_bindings()

    def _title(self) -> str:
        folder = visible(str(self.dataset.folder))
        if not self.reviewing:
            done = sum(r.status == "done" for r in self.rows)
            return (f" Gloss · {folder} · {len(self.rows)} articles · {done} done by "
                    f"{visible(self.dataset.annotator)}")
        reviewed = sum(r.status == "reviewed" for r in self.rows)
        whom = " against ".join(map(visible, self.plan.analysts[:2])) or "first two analysts"
        whom += " against the review" if len(self.plan.analysts) == 1 else ""
        return (f" Gloss review · {folder} · {len(self.rows)} articles · {reviewed} reviewed"
                f" by {visible(self.plan.reviewer)} · {whom}")

    @on(ArticleList.Chosen)
    def _chosen(self, message: ArticleList.Chosen) -> None:
        if self.reviewing:
            self.post_message(OpenReview(message.doc_id, self.order))
        else:
            self.post_message(OpenReader(message.doc_id, self.order))

    @property
    def order(self) -> list[str]:
        return [r.id for r in self.rows]

    def on_screen_resume(self) -> None:
        """Back from the reader: span counts and statuses have changed."""
        if self._fresh:
            self._fresh = False
            return
        self._show(*self._read())

    def _show(self, rows: list[ArticleSummary], problems: list[str]) -> None:
        self.rows = rows
        self.query_one("#library-title", Static).update(self._title())
        table = self.query_one(ArticleTable)
        table.rows = self.rows
        table.fill(self.query_one(Input).value)
        if problems != self.problems:
            self.problems = problems
            self.query(".problem").remove()
            self.mount_all([Static(f"broken: {visible(p)}", classes="problem", markup=False)
                            for p in problems], after=self.query_one(ArticleTable))

    def action_review_selected(self) -> None:
        """Review the article under the cursor (the palette's "Review this article")."""
        chosen = self.query_one(ArticleTable).selected
        if chosen is None:
            self.notify("no article to review", severity="warning")
        else:
            self.post_message(OpenReview(chosen.id, self.order))

    def action_claims_board(self) -> None:
        def chosen(claim: Chosen | None) -> None:
            if claim is not None:
                self.post_message(OpenReader(claim[0], self.order, show=claim[1]))

        self.post_message(OpenBoard(None, chosen))

    def commands(self) -> list[Command]:
        return [
            Command("Claims board", "every claim grouped by source (B in the reader)",
                    self.action_claims_board),
            Command("Review this article", "two versions side by side, saved as "
                    f"{visible(self.plan.reviewer)}", self.action_review_selected),
        ]

    def action_clear_filter(self) -> None:
        self.query_one(Input).value = ""
