"""What every part of the reader stands on: its widgets, the status bar, applying an edit,
and the modes that take the keys while they are open (search, a link key choosing, the
attribute menu, a prompt).

A mode never moves the focus: keys can arrive in bursts, and Textual picks a key's widget
before the keys ahead of it are handled. So the app hands every key that bubbles back up
to :meth:`ReaderBase.take_key` first, in the order the keys were pressed, and the open
mode takes it (docs/architecture.md, "Keys in bursts").
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, cast

from textual import events
from textual.app import ComposeResult
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.widgets import Footer

from tui.core.article_model import ArticleModel
from tui.core.edits import Edit
from tui.core.visible import visible
from tui.widgets.article_view import ArticleView
from tui.widgets.legend import Legend
from tui.widgets.menu_bar import MenuBar, Picked
from tui.widgets.palette import ANSI16, Palette
from tui.widgets.panes import ArticlePane, Panes
from tui.widgets.prompt_bar import Answer, PromptBar
from tui.widgets.search_bar import SearchBar
from tui.widgets.status_bar import StatusBar, status_of

if TYPE_CHECKING:
    from tui.app import GlossApp


class ReaderBase(Screen[None]):
    def __init__(self, doc_ids: list[str], order: list[str] | None = None,
                 show: str | None = None) -> None:
        """``show``: the id of a span of the first article to select once it is drawn."""
        super().__init__()
        self._order = order
        self.first = doc_ids[:2]
        self.char_mode = False
        self._show = show

    @property
    def gloss(self) -> GlossApp:
        return cast("GlossApp", self.app)

    def compose(self) -> ComposeResult:
        palette = Palette(self.gloss.dataset.labels, self.gloss.colours)
        yield self.make_panes(palette)
        yield Legend(palette, differences=self.marks_differences, id="legend")
        yield SearchBar(id="search")
        yield PromptBar(id="prompt")
        yield MenuBar(id="menu")
        yield from self.bars()
        yield StatusBar(id="status")
        yield Footer()

    # The claims board and the completion of names read the whole dataset once, after the
    # first frame; a screen that offers neither (the review) reads nothing.
    reads_index = True
    marks_differences = False  # the review's legend shows how a difference looks

    def make_panes(self, palette: Palette) -> Panes:
        return Panes(self.gloss.models, palette, self.first, id="panes")

    def bars(self) -> ComposeResult:
        """The screen's own bars, above the status bar."""
        yield from ()

    @property
    def analyst(self) -> str:
        """Who is working here: the status bar names them."""
        return self.gloss.dataset.annotator

    def on_mount(self) -> None:
        self.set_class(self.gloss.colours == ANSI16, "-ansi16")
        panes = self.panes
        panes.changed.subscribe(self, self.status, immediate=True)
        panes.focus_pane(panes.panes[0])
        self._draw_status()  # the first frame has it, not only the first key's
        self.call_after_refresh(self.gloss.settle_heap, False)
        if self.reads_index:
            self.call_after_refresh(self.gloss.read_index)
        if self._show is not None:
            self.call_after_refresh(self.show_span, self.first[0], self._show)

    @property
    def order(self) -> list[str]:
        """The articles [ and ] step through: the library's (read now if not known yet)."""
        if self._order is None:
            self._order = [row.id for row in self.gloss.dataset.summaries()[0]]
        return self._order

    def set_order(self, order: list[str]) -> None:
        self._order = order
        self.status()

    def index_read(self, order: list[str]) -> None:
        """The dataset has been read (in a thread): its order, if this reader has none
        yet, and the names the prompt suggests."""
        if self._order is None:
            self.set_order(order)
        self.prompt_bar.refresh_suggestions()

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
    def prompt_bar(self) -> PromptBar:
        return self.query_one(PromptBar)

    @cached_property
    def menu_bar(self) -> MenuBar:
        return self.query_one(MenuBar)

    @cached_property
    def status_bar(self) -> StatusBar:
        return self.query_one(StatusBar)

    def say(self, text: str, severity: SeverityLevel = "information") -> None:
        """A notice that holds data (a span's text, a label, a file name): shown as it is,
        never as markup, its terminal controls as placeholders."""
        self.notify(visible(text), severity=severity, markup=False)

    def status(self, pane: ArticlePane | None = None) -> None:
        """Redraw the status bar from the focused pane: called as its caret or its article
        changes, so in the frame of the change."""
        if self.is_mounted:
            self._draw_status(pane)

    def _draw_status(self, pane: ArticlePane | None = None) -> None:
        # on_mount calls this itself: a screen is mounted only once that handler has run
        if self.panes.active is not None:
            self.status_bar.show(status_of(
                self.analyst, self._order, pane or self.pane, self.char_mode))

    def apply(self, model: ArticleModel, outcome: Edit | str, record: bool = True) -> bool:
        """Apply an edit (shown in this frame), record it for undo and queue its save."""
        if isinstance(outcome, str):
            self.say(outcome, "warning")
            return False
        model.apply(outcome)
        if record:
            model.history.record(outcome)
        self.gloss.saves.submit(model, outcome)
        self.gloss.index.touch(model.doc_id)
        return True

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

    def show_span(self, doc_id: str, span_id: str) -> None:
        """Select the span ``span_id`` in the pane showing ``doc_id`` (focused)."""
        pane = next((p for p in self.panes.panes if p.doc_id == doc_id), None)
        span = pane.model.get(span_id) if pane is not None else None
        if pane is None or span is None:
            self.notify("that span is not there any more", severity="warning")
            return
        self.panes.focus_pane(pane)
        pane.view.select(span.start, span.end, at_start=True, span=span)

    # -- modes -----------------------------------------------------------------------

    def take_key(self, event: events.Key) -> bool:
        """Give ``event`` to the open mode (the app calls this for every key that bubbles
        up, in order, before bindings are looked at); False when no mode is open."""
        if self.search_bar.is_open:
            search = self.search_bar.take(event)
            if search is not None and search.needle:
                self.find(search.needle, True, search.from_cursor)
            return True
        if self.prompt_bar.is_open:
            answer = self.prompt_bar.take(event)
            if answer is not None:
                self.answered(answer)
            return True
        if self.menu_bar.is_open:
            picked = self.menu_bar.take(event)
            if picked is not None:
                self.picked(picked)
            return True
        return self.choosing(event)

    def on_paste(self, event: events.Paste) -> None:
        for bar in (self.search_bar, self.prompt_bar):
            if bar.is_open:
                event.stop()
                bar.paste(event.text)

    def find(self, needle: str, forward: bool, from_cursor: bool = False) -> bool:
        if not self.view.find(needle, forward, from_cursor):
            self.say(f"“{needle}” is not in this article", "warning")
            return False
        return True

    def choosing(self, event: events.Key) -> bool:
        """A link key's choice takes ``event`` (the linking keys say how)."""
        return False

    def answered(self, answer: Answer) -> None:
        """The prompt closed with ``answer``."""

    def picked(self, picked: Picked) -> None:
        """The attribute menu closed with ``picked``."""
