"""The reader: one or two articles side by side, each with its span list; search, the
legend and the status bar below.

The screen turns keys into edits (``tui/core/editor.py`` says what each key asks), applies
them to the article's model, which every pane and span list showing that article observes,
and hands them to the save queue. It owns no article state itself.
"""

from __future__ import annotations

from functools import cached_property, partial
from typing import TYPE_CHECKING, ClassVar, cast

from textual import events
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.widgets import Footer

from tui.core import editor
from tui.core.article_model import ArticleModel
from tui.core.edits import Edit
from tui.core.model import GlossError
from tui.core.visible import visible
from tui.keys import READER, bindings
from tui.messages import SpanChosen
from tui.widgets.article_view import ArticleView
from tui.widgets.legend import Legend
from tui.widgets.palette import ANSI16, Palette
from tui.widgets.panes import ArticlePane, Panes
from tui.widgets.search_bar import SearchBar
from tui.widgets.status_bar import StatusBar, status_of

if TYPE_CHECKING:
    from tui.app import GlossApp


class ReaderScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = list(bindings(READER))

    def __init__(self, doc_ids: list[str], order: list[str] | None = None) -> None:
        super().__init__()
        self._order = order
        self.first = doc_ids[:2]
        self.char_mode = False

    @property
    def gloss(self) -> GlossApp:
        return cast("GlossApp", self.app)

    def compose(self) -> ComposeResult:
        palette = Palette(self.gloss.dataset.labels, self.gloss.colours)
        yield Panes(self.gloss.models, palette, self.first, id="panes")
        yield Legend(palette, id="legend")
        yield SearchBar(id="search")
        yield StatusBar(id="status")
        yield Footer()

    def on_mount(self) -> None:
        self.set_class(self.gloss.colours == ANSI16, "-ansi16")
        panes = self.panes
        panes.changed.subscribe(self, self.status, immediate=True)
        panes.focus_pane(panes.panes[0])
        self.call_after_refresh(self.gloss.settle_heap, False)

    @property
    def order(self) -> list[str]:
        """The articles [ and ] step through: the library's (read now if not known yet)."""
        if self._order is None:
            self._order = [row.id for row in self.gloss.dataset.summaries()[0]]
        return self._order

    def set_order(self, order: list[str]) -> None:
        self._order = order
        self.status()

    # Looked up once: the status bar follows every key
    @cached_property
    def panes(self) -> Panes:
        return self.query_one(Panes)

    @property
    def pane(self) -> ArticlePane:
        return self.panes.pane

    @property
    def view(self) -> ArticleView:
        return self.pane.view

    @cached_property
    def search_bar(self) -> SearchBar:
        return self.query_one(SearchBar)

    @cached_property
    def status_bar(self) -> StatusBar:
        return self.query_one(StatusBar)

    def say(self, text: str, severity: SeverityLevel = "information") -> None:
        """A notice that holds data (a span's text, a label, a file name): shown as it is,
        never as markup, its terminal controls as placeholders."""
        self.notify(visible(text), severity=severity, markup=False)

    # -- the status bar --------------------------------------------------------------

    def status(self, pane: ArticlePane | None = None) -> None:
        """Redraw the status bar from the focused pane: called as its caret or its article
        changes, so in the frame of the change."""
        if self.is_mounted and self.panes.active is not None:
            self.status_bar.show(status_of(
                self.gloss.dataset.annotator, self._order, pane or self.pane, self.char_mode))

    # -- editing ---------------------------------------------------------------------

    def apply(self, model: ArticleModel, outcome: editor.Outcome, record: bool = True) -> bool:
        """Apply an edit (shown in this frame), record it for undo and queue its save."""
        if isinstance(outcome, str):
            self.say(outcome, "warning")
            return False
        model.apply(outcome)
        if record:
            model.history.record(outcome)
        self.gloss.saves.submit(model, outcome)
        return True

    def action_label(self, key: str) -> None:
        label = self.gloss.dataset.labels.by_key(key)
        if label is None:
            self.notify(f"no label on key {key}", severity="warning")
            return
        view, model = self.view, self.pane.model
        target = view.target(self.char_mode)
        if target is None:
            self.notify("nothing to label: select some text or put the cursor on a word",
                        severity="warning")
            return
        outcome = editor.label(model, *target, label.name, view.span_here())
        if self.apply(model, outcome) and isinstance(outcome, Edit):
            view.move_to(target[1], span=outcome.changes[0].after)

    def action_label_every(self) -> None:
        self.apply(self.pane.model, editor.label_every(self.pane.model, self.view.span_here()))

    def action_remove_span(self) -> None:
        self.apply(self.pane.model, editor.remove(self.pane.model, self.view.span_here()))

    def action_resize(self, edge: str, step: int) -> None:
        view, model = self.view, self.pane.model
        outcome = editor.resize(model, view.span_here(), edge, step, self.char_mode)
        if self.apply(model, outcome) and isinstance(outcome, Edit):
            after = outcome.changes[0].after
            assert after is not None
            view.select(after.start, after.end, at_start=edge == "start", span=after)

    def action_undo(self) -> None:
        self._again(self.pane.model, self.pane.model.history.undo(), "nothing to undo")

    def action_redo(self) -> None:
        self._again(self.pane.model, self.pane.model.history.redo(), "nothing to redo")

    def _again(self, model: ArticleModel, edit: Edit | None, nothing: str) -> None:
        if edit is None:
            self.notify(nothing)
        else:  # refused if it would make a span that is there again
            self.apply(model, model.check(edit) or edit, record=False)

    def action_retry(self) -> None:
        retried = False
        for model in self.gloss.models.models():
            edit = model.retry()
            if edit is not None:
                self.gloss.saves.submit(model, edit)
                retried = True
        if not retried:
            self.notify("every edit is saved")

    def action_toggle_char_mode(self) -> None:
        self.char_mode = not self.char_mode
        self.status()

    # -- search ----------------------------------------------------------------------

    def action_search(self) -> None:
        self.search_bar.open()

    def take_key(self, event: events.Key) -> bool:
        """Give ``event`` to the open search (the app calls this for every key that bubbles
        up, in order, before bindings are looked at); False when no search is open."""
        bar = self.search_bar
        if not bar.is_open:
            return False
        search = bar.take(event)
        if search is not None and search.needle:
            self._find(search.needle, True, search.from_cursor)
        return True

    def on_paste(self, event: events.Paste) -> None:
        if self.search_bar.is_open:
            event.stop()
            self.search_bar.paste(event.text)

    def action_find(self, forward: bool) -> None:
        needle = self.search_bar.needle
        if not needle:
            self.notify("no search yet: press /", severity="warning")
            return
        self._find(needle, forward)

    def _find(self, needle: str, forward: bool, from_cursor: bool = False) -> None:
        if not self.view.find(needle, forward, from_cursor):
            self.say(f"“{needle}” is not in this article", "warning")

    # -- spans list ------------------------------------------------------------------

    def on_span_chosen(self, message: SpanChosen) -> None:
        span = message.span
        self.view.select(span.start, span.end, at_start=True, span=span)
        self.view.focus()

    def action_focus_spans(self) -> None:
        pane = self.pane
        if not pane.spans.display:
            pane.fold(shown=True)
        span = self.view.span_here()
        if span is not None:
            pane.spans.follow(span)
        pane.spans.focus()

    def action_fold_spans(self) -> None:
        self.pane.fold()
        self.view.focus()

    # -- articles and panes ----------------------------------------------------------

    def action_step(self, step: int) -> None:
        place = self.order.index(self.pane.doc_id) if self.pane.doc_id in self.order else -1
        target = place + step
        if not 0 <= target < len(self.order):
            self.notify("no more articles that way")
            return
        self.open_here(self.order[target])

    def action_mark(self, status: str) -> None:
        """Set this analyst's status of the article, then open the next one."""
        pane = self.pane
        try:
            self.gloss.dataset.set_status(pane.doc_id, status)
        except GlossError as exc:
            self.say(f"NOT SAVED: {exc}", "error")
            return
        self.say(f"{status}: {pane.title[:60]}")
        self.action_step(1)

    def open_here(self, doc_id: str, beside: bool = False) -> None:
        self.panes.open(doc_id, beside)
        self.call_after_refresh(self.gloss.settle_heap, True)

    def action_side_by_side(self) -> None:
        self.gloss.pick("Open beside this article", partial(self.open_here, beside=True))

    def action_open_article(self) -> None:
        self.gloss.pick("Open in this pane", self.open_here)

    def action_switch_pane(self) -> None:
        if not self.panes.switch():
            self.notify("one article open: s opens a second")

    def action_close_pane(self) -> None:
        if not self.panes.close():
            self.notify("one article open: b goes back to the library")

    def action_library(self) -> None:
        self.gloss.back_to_library()
