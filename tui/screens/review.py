"""The review screen: one article, two versions of it side by side (two analysts', or one
analyst's against the reviewed version), each difference marked in the text, named in the
span lists and the review bar; keys take one side, or every agreement, into the reviewed
version, which is saved as an analyst of its own, the reviewer.

What differs and what the review holds is worked out in ``tui/core/team/review.py``, the edits
in ``review_edits.py``; this screen applies them through the article's model like any
edit (shown in the frame of the key, saved off it, undone with ctrl+z) and works the
comparison out again whenever the model changes.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from typing import ClassVar

from textual.binding import BindingType
from textual.widget import Widget

from tui.commands import Command
from tui.core.document.edits import Edit
from tui.core.editing.article_model import ArticleModel, ModelEvent
from tui.core.editing.session import Session
from tui.core.team.review import (
    LEFT,
    RIGHT,
    Comparison,
    ReviewPlan,
    analysts_of,
    compare,
    kinds_of,
    notes,
    review_line,
)
from tui.core.team.review_edits import take, take_agreements
from tui.keys import bindings
from tui.screens.navigation import OpenReview
from tui.screens.reader_base import ReaderBase
from tui.widgets.bars.review_bar import ReviewBar
from tui.widgets.palette import Palette
from tui.widgets.panes import ArticlePane, Panes


class ReviewScreen(ReaderBase):
    BINDINGS: ClassVar[list[BindingType]] = list(bindings("review"))
    reads_index = False
    marks_differences = True
    shows_suggestions = False

    def __init__(self, session: Session, colours: str, doc_id: str, plan: ReviewPlan,
                 order: list[str] | None = None) -> None:
        super().__init__(session, colours, [doc_id, doc_id], order)
        self.doc_id = doc_id
        self.plan = plan
        self.left = self.right = plan.reviewer
        self.versus = (plan.reviewer, plan.reviewer)  # the two sides the article has
        self.comparison = Comparison(plan.reviewer, plan.reviewer, (), ())
        self.current: int | None = None  # the difference the cursor is on
        self._went: int | None = None  # the one tab went to, while the cursor stays in it
        self._ident: tuple[object, ...] | None = None  # the same one, once compared again
        self._model: ArticleModel | None = None
        self._kinds: dict[str, str] = {}  # how each span differs (span lists)
        self._stop_observing = lambda: None

    @property
    def analyst(self) -> str:
        return self.plan.reviewer

    @property
    def model(self) -> ArticleModel:
        assert self._model is not None, "composed first"
        return self._model

    def make_panes(self, palette: Palette) -> Panes:
        self._model = self.session.open(self.doc_id)  # held while the screen is
        sides = self.plan.sides(analysts_of(self._model))
        if sides is not None:
            self.left, self.right = self.versus = sides
        return Panes(self.session.models, palette, self.first,
                     analysts=[self.left, self.right], id="panes")

    def parts(self) -> Iterator[Widget]:
        yield ReviewBar(id="review-bar")

    def on_mount(self) -> None:
        super().on_mount()
        self._stop_observing = self.model.observe(self._model_changed)
        self._compare()
        self.call_after_refresh(self.status)
        if not self.comparison.agreements and not self.comparison.differences and \
                self.left == self.plan.reviewer:
            self.say("nobody but the reviewer has labelled this article", "warning")

    def on_unmount(self) -> None:
        super().on_unmount()
        self._stop_observing()
        if self._model is not None:
            self.session.release(self._model)

    # -- what is shown ---------------------------------------------------------------

    def _model_changed(self, event: ModelEvent) -> None:
        """An edit of the article (made here, undone, redone); one that changes only the
        review leaves two analysts' comparison as it is (the notes and the bar are said
        again)."""
        if event.kind == "edit":
            self._compare(again=not self._only_review(event.edit))

    def _only_review(self, edit: Edit | None) -> bool:
        return edit is not None and self.plan.reviewer not in (self.left, self.right) and \
            all(c.span.annotator == self.plan.reviewer for c in edit.changes)

    def _compare(self, again: bool = True) -> None:
        """Compare the two versions again (after an edit of either), mark the differences
        in each pane and keep the current difference if it is still there; say again
        what the review holds."""
        comparison = self.comparison
        if again:
            comparison = self.comparison = compare(self.model, self.left, self.right)
            self.current = comparison.find(self._ident) if self._ident is not None else None
            self._went = self.current if self._went is not None else None
            self._kinds = kinds_of(comparison)
        said = notes(self.model, self.plan.reviewer, comparison, self._kinds)
        for pane, which in self._sides():
            if again:
                pane.view.show_differences(tuple(
                    (s.start, s.end) for d in comparison.differences for s in d.side(which)))
            pane.spans.show_notes(said)
        self._show_line()

    def _sides(self) -> list[tuple[ArticlePane, str]]:
        return list(zip(self.panes.panes, (LEFT, RIGHT), strict=False))

    def _show_line(self) -> None:
        line = review_line(self.model, self.plan.reviewer, self.comparison, self.current)
        self.query_one(ReviewBar).show(line, self.left, self.right)

    def status(self, pane: ArticlePane | None = None) -> None:
        super().status(pane)
        if self.panes.active is not None:
            self._follow()

    def _follow(self) -> None:
        """The cursor moved: the current difference is the one it is on."""
        here = self._here()
        if here != self._went:
            self._went = None
        if here != self.current:
            self.current = here
            self._ident = self.comparison.differences[here].ident if here is not None \
                else None
            self._show_line()

    def _here(self) -> int | None:
        """The difference the focused pane's cursor is on."""
        which = RIGHT if self.panes.panes.index(self.pane) == 1 else LEFT
        return self.comparison.under(self.view.cursor, which, self.current)

    def go(self, index: int) -> None:
        """Select difference ``index`` in both panes (where it would be, on a side that
        has nothing there) and name it in the bar."""
        difference = self.comparison.differences[index]
        self.current = self._went = index
        self._ident = difference.ident
        for pane, which in self._sides():
            spans = difference.side(which)
            pane.view.select(*difference.extent(which), at_start=True,
                             span=spans[0] if spans else None)
        self._show_line()

    # -- keys ------------------------------------------------------------------------

    def action_next_difference(self, by: int) -> None:
        went = self._went if self._went is not None and self._went == self._here() else None
        index = self.comparison.step(went, self.view.cursor, by)
        if index is None:
            self.notify("no differences: a takes every agreement, d marks it reviewed")
        else:
            self.go(index)

    def action_take(self, which: str) -> None:
        """Take one side of the difference under the cursor (``which``: LEFT or RIGHT, or
        the key pressed, 1 or 2) into the review."""
        which = {"1": LEFT, "2": RIGHT}.get(which, which)
        index = self._here()
        if index is None:
            self.notify("no difference under the cursor: tab goes to the next one",
                        severity="warning")
            return
        difference = self.comparison.differences[index]
        outcome = take(self.model, self.comparison, difference, which, self.plan.reviewer)
        if isinstance(outcome, str):
            self.say(outcome)
        else:
            self.apply(self.model, outcome)
        following = self.comparison.after(difference)  # on to the next difference
        if following is not None:
            self.go(following)

    def action_take_agreements(self) -> None:
        outcome = take_agreements(self.model, self.comparison, self.plan.reviewer)
        if isinstance(outcome, str):
            self.say(outcome)
        elif self.apply(self.model, outcome):
            self.say(f"{len(outcome.changes)} agreements taken into the review")

    def action_against_review(self) -> None:
        """The right pane: the review, or the right analyst again."""
        reviewer = self.plan.reviewer
        if self.versus[1] == reviewer:
            self.notify("one analyst: set against the review already")
            return
        self.right = reviewer if self.right != reviewer else self.versus[1]
        self.panes.focus_pane(self.panes.panes[0])
        self.panes.open(self.doc_id, beside=True, analyst=self.right)
        self.panes.focus_pane(self.panes.panes[0])
        self.current = self._went = self._ident = None
        self._compare()

    def action_mark_reviewed(self) -> None:
        """The reviewer's status of the article: reviewed; then the next article."""
        notice = self.session.set_status(self.model, "reviewed", self.plan.reviewer)
        if notice is not None:
            self.say(notice.text, "error")
            return
        self._show_line()
        self.marked(self.doc_id, f"reviewed: {self.pane.title[:60]}",
                    "that was the last article to review")

    def open_article(self, doc_id: str) -> None:
        self.post_message(OpenReview(doc_id, self.order, replace=True))

    def action_switch_pane(self) -> None:
        self.panes.switch()

    def commands(self) -> list[Command]:
        return [
            Command("Take the left version", "of the difference under the cursor (1)",
                    partial(self.action_take, LEFT)),
            Command("Take the right version", "of the difference under the cursor (2)",
                    partial(self.action_take, RIGHT)),
            Command("Take every agreement", "the spans both versions hold alike (a)",
                    self.action_take_agreements),
            Command("Against the review", "the right pane shows the review, or the analyst"
                    " (v)", self.action_against_review),
            Command("Mark the article reviewed", "and review the next (d)",
                    self.action_mark_reviewed),
            *super().commands(),
        ]
