"""What every screen of articles stands on (the reader and the review): the panes, the
legend, search, the status bar, and the session every edit goes through.

A screen of articles is given the session (``tui/core/editing/session.py``) and composes its
parts (``parts.py``): the reader its keys for claims, the review its bar. Search and an
open part that takes keys (a :class:`Mode`) never move the focus: keys can arrive in
bursts, and Textual picks a key's widget before the keys ahead of it are handled. So the
app hands every key that bubbles back up to :meth:`ReaderBase.take_key` first, in the
order the keys were pressed (docs/architecture.md, "Keys in bursts").
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cached_property
from typing import ClassVar

from textual import events
from textual.app import ComposeResult
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer

from tui.commands import Command, ScreenCommands
from tui.core.document.edits import Edit
from tui.core.editing.article_model import ArticleModel
from tui.core.editing.session import Notice, Session
from tui.core.language.visible import visible
from tui.screens.navigation import BackToLibrary
from tui.screens.parts import Mode
from tui.widgets.article.article_view import ArticleView
from tui.widgets.bars.legend import Legend
from tui.widgets.bars.search_bar import SearchBar
from tui.widgets.bars.status_bar import StatusBar, status_of
from tui.widgets.palette import ANSI16, Palette
from tui.widgets.panes import ArticlePane, Panes


class ReaderBase(Screen[None]):
    COMMANDS = {ScreenCommands}
    # The claims board and the completion of names read the whole dataset once, after the
    # first frame; a screen that offers neither (the review) reads nothing.
    reads_index: ClassVar[bool] = True
    marks_differences: ClassVar[bool] = False  # the review's legend shows a difference
    shows_suggestions: ClassVar[bool] = True  # the review shows none

    def __init__(self, session: Session, colours: str, doc_ids: list[str],
                 order: list[str] | None = None, show: str | None = None) -> None:
        """``colours``: TRUECOLOR, ANSI16 or MONO; ``order``: the articles [ and ] step
        through (None: the library's, once known); ``show``: the id of a span of the first
        article to select once it is drawn."""
        # Classed before it is styled: set in on_mount, the class restyled the whole screen
        super().__init__(classes="-ansi16" if colours == ANSI16 else None)
        self.session = session
        self.colours = colours
        self._order = order
        self.first = doc_ids[:2]
        self.char_mode = False
        self._show = show
        self._unwatch = lambda: None
        self.modes: list[Mode] = []  # the parts that take keys while open

    def compose(self) -> ComposeResult:
        palette = Palette(self.session.labels, self.colours)
        yield self.make_panes(palette)
        yield Legend(palette, differences=self.marks_differences,
                     suggestions=self.shows_suggestions, id="legend")
        yield SearchBar(id="search")
        for part in self.parts():
            if isinstance(part, Mode):
                self.modes.append(part)
            yield part
        yield StatusBar(id="status")
        yield Footer()

    def make_panes(self, palette: Palette) -> Panes:
        return Panes(self.session.models, palette, self.first, id="panes",
                     suggestions=self.session.suggestions if self.shows_suggestions else None)

    def parts(self) -> Iterator[Widget]:
        """The screen's own parts, above the status bar: its bars, and its keys' parts
        (a :class:`Mode` among them takes the keys while it is open)."""
        yield from ()

    @property
    def analyst(self) -> str:
        """Who is working here: the status bar names them."""
        return self.session.analyst

    def on_mount(self) -> None:
        panes = self.panes
        panes.changed.subscribe(self, self.status, immediate=True)
        panes.focus_pane(panes.panes[0])
        self._draw_status()  # the first frame has it, not only the first key's
        self.call_after_refresh(self.session.settle_heap, False)
        if self.reads_index:
            self._unwatch = self.session.watch_index(self.index_read)
            self.call_after_refresh(self.session.read_index)
        if self._show is not None:
            self.call_after_refresh(self.show_span, self.first[0], self._show)

    def on_unmount(self) -> None:
        self._unwatch()

    @property
    def order(self) -> list[str]:
        """The articles [ and ] step through: the library's (read now if not known yet)."""
        if self._order is None:
            self._order = self.session.order or [
                row.id for row in self.session.dataset.summaries()[0]]
        return self._order

    def index_read(self, order: list[str]) -> None:
        """The dataset has been read (in a thread): its order, if this reader has none."""
        if self._order is None:
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

    # -- edits, through the session ----------------------------------------------------

    def apply(self, model: ArticleModel, outcome: Edit | str) -> Edit | None:
        """Apply an edit through the session (shown in this frame, saved after it); None,
        and the reason said, when there is none."""
        return self._done(self.session.apply(model, outcome))

    def _done(self, outcome: Edit | Notice) -> Edit | None:
        if isinstance(outcome, Notice):
            self.say(outcome.text, "warning" if outcome.warning else "information")
            return None
        return outcome

    def action_undo(self) -> None:
        self._done(self.session.undo(self.pane.model))

    def action_redo(self) -> None:
        self._done(self.session.redo(self.pane.model))

    def action_retry(self) -> None:
        if (notice := self.session.retry()) is not None:
            self._done(notice)

    def action_library(self) -> None:
        self.post_message(BackToLibrary())

    def commands(self) -> list[Command]:
        """The palette's commands every screen of articles has (``ScreenCommands``)."""
        return [
            Command("Undo", "the last edit", self.action_undo),
            Command("Redo", "the last undone edit", self.action_redo),
            Command("Retry failed saves", "save again what could not be saved",
                    self.action_retry),
            Command("Back to the library", "every article, its spans and status",
                    self.action_library),
        ]

    # -- the articles in order ---------------------------------------------------------

    def stepped(self, doc_id: str, by: int) -> str | None:
        """The article ``by`` places from ``doc_id`` in the order; None past either end."""
        order = self.order
        target = (order.index(doc_id) if doc_id in order else -1) + by
        return order[target] if 0 <= target < len(order) else None

    def action_step(self, by: int) -> None:
        if (doc_id := self.stepped(self.pane.doc_id, by)) is None:
            self.notify("no more articles that way")
        else:
            self.open_article(doc_id)

    def open_article(self, doc_id: str) -> None:
        """Open ``doc_id`` in place of the focused article ([ and ], d)."""
        raise NotImplementedError

    def marked(self, doc_id: str, said: str, last: str) -> None:
        """An article was marked (done, skipped, reviewed: ``said``): on to the next one;
        after the last, say first that it was the last (``last``)."""
        if self.stepped(doc_id, 1) is None:
            self.say(f"done: {last} · {said}")
        else:
            self.say(said)
            self.action_step(1)

    def show_span(self, doc_id: str, span_id: str) -> None:
        """Select the span ``span_id`` in the pane showing ``doc_id`` (focused)."""
        if not self.panes.show_span(doc_id, span_id):
            self.notify("that span is not there any more", severity="warning")

    # -- modes -----------------------------------------------------------------------

    def take_key(self, event: events.Key) -> bool:
        """Give ``event`` to the open mode (the app calls this for every key that bubbles
        up, in order, before bindings are looked at); False when no mode is open."""
        if self.search_bar.is_open:
            search = self.search_bar.take(event)
            if search is not None and search.needle:
                self.find(search.needle, True, search.from_cursor)
            return True
        return any(mode.take_key(event) for mode in self.modes)

    def on_paste(self, event: events.Paste) -> None:
        if self.search_bar.is_open:
            event.stop()
            self.search_bar.paste(event.text)
        elif any(mode.paste(event.text) for mode in self.modes):
            event.stop()

    def find(self, needle: str, forward: bool, from_cursor: bool = False) -> bool:
        found = self.view.find(needle, forward, from_cursor)
        if not found:
            self.say(f"“{needle}” is not in this article", "warning")
        return found
