"""The reader: one or two articles side by side, the span list, search and the status bar.

Widgets post messages and keep the cursor; this screen turns keys into edits, saves every
edit through :class:`Dataset` at once, and keeps the undo history. A failed save leaves
the span on screen marked unsaved (``!`` in the list), says why, and ``r`` retries.
"""

from __future__ import annotations

import asyncio
import gc
import time
from typing import ClassVar

import regex
from textual import events
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Static

from tui.core.dataset import Dataset
from tui.core.history import Edit, History
from tui.core.model import GlossError, Span
from tui.keys import READER, bindings
from tui.widgets.article_view import ArticleView
from tui.widgets.search_bar import SearchBar
from tui.widgets.span_list import SpanList
from tui.widgets.status_bar import StatusBar


class ArticlePane(Vertical):
    """One article: its title over its view."""

    def __init__(self, doc_id: str, title: str, heading: str, view: ArticleView) -> None:
        super().__init__(classes="pane")
        self.doc_id = doc_id
        self.title = title
        self.heading = heading
        self.view = view

    def compose(self) -> ComposeResult:
        yield Static(self.heading, classes="pane-title", markup=False)
        yield self.view


class ReaderScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = bindings(READER)  # type: ignore[assignment]

    def __init__(self, dataset: Dataset, doc_ids: list[str], order: list[str]) -> None:
        super().__init__()
        self.dataset = dataset
        self.order = order or list(doc_ids)
        self.initial = doc_ids[:2]
        self.history = History()
        self.pending: dict[str, Edit] = {}
        self.char_mode = False
        self.needle: str | None = None
        self.active: ArticlePane | None = None
        self.save_state = ("nothing to save yet", False)
        self.searching = False
        self.saving = 0  # saves under way
        self._save_order = asyncio.Lock()

    # -- building --------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Horizontal(id="panes"):
            for doc_id in self.initial:
                yield self._pane(doc_id)
            yield SpanList(self.dataset.labels, id="spans")
        yield SearchBar(id="search")
        yield StatusBar(id="status")
        yield Footer()

    def _pane(self, doc_id: str) -> ArticlePane:
        article = self.dataset.article(doc_id)
        document = article.document
        view = ArticleView(document.text, article.spans, self.dataset.labels)
        # The title is most often the text's first line, shown just below: the header
        # says where the article comes from instead.
        source = document.meta.get("source") or document.meta.get("url") or document.title
        heading = f"{source} · {len(document.text):,} characters"
        return ArticlePane(doc_id, document.title, heading, view)

    def on_mount(self) -> None:
        first = self.panes[0]
        self.active = first
        first.view.focus()
        self._follow(first)
        self._status()
        self._settle_heap(collect=False)

    def _settle_heap(self, collect: bool) -> None:
        """Keep the garbage collector off the article's objects.

        A 1 MB article brings tens of thousands of long-lived objects; each full collection
        rescanned them for up to 42 ms (bench/reader.py), stalling a key's frame. Frozen, they
        are skipped (refcounting still frees them). Switching articles unfreezes, collects
        once (the old article's cycles) and freezes again, after the new one is drawn.
        """
        if collect:
            gc.unfreeze()
            gc.collect()
        gc.freeze()

    @property
    def panes(self) -> list[ArticlePane]:
        return list(self.query(ArticlePane))

    @property
    def pane(self) -> ArticlePane:
        return self.active or self.panes[0]

    @property
    def view(self) -> ArticleView:
        return self.pane.view

    def _follow(self, pane: ArticlePane) -> None:
        self.active = pane
        self.query_one(SpanList).show(pane.view.spans, pane.view.unsaved)
        for other in self.panes:
            other.set_class(other is pane, "-active")

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        for pane in self.panes:
            if pane.view.has_focus and pane is not self.active:
                self._follow(pane)
                self._status()

    # -- labelling -------------------------------------------------------------------

    def action_label(self, key: str) -> None:
        label = self.dataset.labels.by_key(key)
        if label is None:
            self.notify(f"no label on key {key}", severity="warning")
            return
        view = self.view
        target = view.target(self.char_mode)
        if target is None:
            self.notify("nothing to label: select some text or put the cursor on a word",
                        severity="warning")
            return
        start, end = target
        same = [s for s in view.spans_at(start) if (s.start, s.end) == (start, end)
                and s.annotator == self.dataset.annotator]
        if same and same[0].label == label.name:
            self.notify(f"already {label.name}")
            return
        if same:
            edit = Edit(self.pane.doc_id, same[0], same[0].relabelled(label.name))
        else:
            try:
                span = Span.new(view.text, start, end, label.name, self.dataset.annotator)
            except GlossError as exc:
                self.notify(str(exc), severity="error")
                return
            edit = Edit(self.pane.doc_id, None, span)
        view.move_to(end)
        self.apply(edit)

    def action_remove_span(self) -> None:
        view = self.view
        spans = view.spans_at(view.cursor) or (view.spans_at(view.cursor - 1)
                                               if view.cursor else [])
        if not spans:
            self.notify("no span under the cursor", severity="warning")
            return
        self.apply(Edit(self.pane.doc_id, spans[0], None))

    def action_undo(self) -> None:
        edit = self.history.undo()
        if edit is None:
            self.notify("nothing to undo")
        else:
            self.apply(edit, record=False)

    def action_redo(self) -> None:
        edit = self.history.redo()
        if edit is None:
            self.notify("nothing to redo")
        else:
            self.apply(edit, record=False)

    def apply(self, edit: Edit, record: bool = True) -> None:
        """Show the edit now; save it in the background, in order, and say how that went.

        The frame after the key already shows the edit (marked unsaved); the status bar
        says "saved" only once the write has returned.
        """
        view = self._view_of(edit.doc_id)
        if view is not None:
            if edit.after is None and edit.before is not None:
                view.remove_span(edit.before.id)
            elif edit.after is not None:
                view.replace_span(edit.after, saved=False)
        if record:
            self.history.record(edit)
        self._refresh_list()
        self.saving += 1
        self._report("saving…")
        # Start writing once the frame showing the edit is on the terminal: a save of a 1 MB
        # article holds the GIL for milliseconds (orjson), which would delay that frame.
        # The FIFO lock in _persist keeps the saves in the order of the keys.
        work = self._persist(edit)
        self.app.after_display(  # type: ignore[attr-defined]
            lambda: self.run_worker(work, group="saves", exit_on_error=False))

    def _view_of(self, doc_id: str) -> ArticleView | None:
        return next((p.view for p in self.panes if p.doc_id == doc_id), None)

    async def _persist(self, edit: Edit) -> None:
        async with self._save_order:  # FIFO: saves reach the disk in the order of the keys
            started = time.perf_counter()
            error: GlossError | None = None
            try:
                if edit.after is None and edit.before is not None \
                        and self.pending.pop(edit.before.id, None) is not None:
                    pass  # it never reached the disk: nothing to remove there
                else:
                    await asyncio.to_thread(self._write, edit)
            except GlossError as exc:
                error = exc
            finally:
                self.saving -= 1
            if error is not None:
                self._failed(edit, error)
            else:
                if edit.after is not None:
                    self.pending.pop(edit.after.id, None)
                    view = self._view_of(edit.doc_id)
                    if view is not None and any(s.id == edit.after.id for s in view.spans):
                        view.mark_saved(edit.after, True)
                elapsed = (time.perf_counter() - started) * 1000
                self._report(f"saved {self._describe(edit)} ({elapsed:.1f} ms)")
            self._refresh_list()

    def _write(self, edit: Edit) -> None:
        if edit.after is not None:
            self.dataset.save_span(edit.doc_id, edit.after)
        elif edit.before is not None:
            self.dataset.remove_span(edit.doc_id, edit.before.id)

    def _failed(self, edit: Edit, exc: GlossError) -> None:
        view = self._view_of(edit.doc_id)
        if edit.after is None and edit.before is not None:
            if view is not None:  # still saved on disk: show it again
                view.add_span(edit.before, saved=True)
            self._report(f"NOT REMOVED: {exc}", error=True)
            return
        assert edit.after is not None
        self.pending[edit.after.id] = edit
        self._report(f"NOT SAVED: {exc} (r retries)", error=True)

    async def wait_for_saves(self) -> None:
        """Return once every save asked for so far has been written (or has failed)."""
        while self.saving:
            async with self._save_order:
                await asyncio.sleep(0)

    @staticmethod
    def _describe(edit: Edit) -> str:
        if edit.after is None and edit.before is not None:
            return f"removal of {edit.before.label} “{edit.before.text[:30]}”"
        assert edit.after is not None
        return f"{edit.after.label} “{edit.after.text[:30]}”"

    def action_retry(self) -> None:
        if not self.pending:
            self.notify("every edit is saved")
            return
        for edit in list(self.pending.values()):
            self.apply(edit, record=False)

    # -- moving around ---------------------------------------------------------------

    def action_next_span(self) -> None:
        view = self.view
        later = [s for s in view.spans if s.start > view.cursor or (
            s.start == view.cursor and view.selection != (s.start, s.end))]
        if later:
            view.select(later[0].start, later[0].end)
            self.query_one(SpanList).follow(later[0].start)

    def action_previous_span(self) -> None:
        view = self.view
        start = view.selection[0] if view.selection else view.cursor
        earlier = [s for s in view.spans if s.start < start]
        if earlier:
            view.select(earlier[-1].start, earlier[-1].end)
            self.query_one(SpanList).follow(earlier[-1].start)

    def on_span_list_chosen(self, event: SpanList.Chosen) -> None:
        self.view.select(event.span.start, event.span.end)
        self.view.focus()

    def action_focus_spans(self) -> None:
        spans = self.query_one(SpanList)
        spans.follow(self.view.cursor)
        spans.focus()

    def on_article_view_changed(self, event: ArticleView.Changed) -> None:
        if event.view is self.view:
            self._status()

    def action_toggle_char_mode(self) -> None:
        self.char_mode = not self.char_mode
        self._status()

    # -- search ----------------------------------------------------------------------

    def action_search(self) -> None:
        """Start a search with an empty query, as vim and less do (enter alone repeats)."""
        self.query_one(SearchBar).open("")
        self.searching = True
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """While searching, keys type the query: the reader's bindings stand aside."""
        return not self.searching

    def search_key(self, event: events.Key) -> None:
        """Edit the open search with ``event``.

        Called by the app for keys no binding took, in the order the keys were pressed: the
        same queue in which bindings are resolved (see widgets/search_bar.py).
        """
        event.stop()
        event.prevent_default()
        bar = self.query_one(SearchBar)
        if event.key == "enter":
            self._end_search()
            self.needle = bar.query_text or self.needle
            self._find(forward=True, from_cursor=bool(bar.query_text))
        elif event.key == "escape":
            self._end_search()
        elif event.key == "backspace":
            bar.backspace()
        elif event.key == "ctrl+u":
            bar.clear()
        elif event.is_printable and event.character:
            bar.type(event.character)

    def _end_search(self) -> None:
        self.searching = False
        self.query_one(SearchBar).close()
        self.refresh_bindings()

    def on_paste(self, event: events.Paste) -> None:
        if self.searching:
            event.stop()
            self.query_one(SearchBar).type(event.text.split("\n")[0])

    def action_next_match(self) -> None:
        self._find(forward=True)

    def action_previous_match(self) -> None:
        self._find(forward=False)

    def _find(self, forward: bool, from_cursor: bool = False) -> None:
        if not self.needle:
            self.notify("no search yet: press /", severity="warning")
            return
        view = self.view
        flags = regex.IGNORECASE | regex.V1 | (0 if forward else regex.REVERSE)
        pattern = regex.compile(regex.escape(self.needle), flags)
        here = view.selection or (view.cursor, view.cursor)
        if forward:  # wrapping round at the end, as less and vim do
            start = here[0] if from_cursor else here[0] + 1
            found = pattern.search(view.text, min(start, len(view.text))) or \
                pattern.search(view.text)
        else:
            found = pattern.search(view.text, 0, here[0]) or pattern.search(view.text)
        if found is None:
            self.notify(f"“{self.needle}” is not in this article", severity="warning")
            return
        view.select(found.start(), found.end())

    # -- articles --------------------------------------------------------------------

    def _place(self, doc_id: str) -> int:
        return self.order.index(doc_id) if doc_id in self.order else -1

    def action_previous_article(self) -> None:
        self._step(-1)

    def action_next_article(self) -> None:
        self._step(1)

    def _step(self, step: int) -> None:
        place = self._place(self.pane.doc_id)
        target = place + step
        if not 0 <= target < len(self.order):
            self.notify("no more articles that way")
            return
        self.show_article(self.order[target])

    def action_mark_done(self) -> None:
        self._mark("done")

    def action_mark_skipped(self) -> None:
        self._mark("skipped")

    def _mark(self, status: str) -> None:
        """Set this analyst's status of the article, then open the next one."""
        try:
            self.dataset.set_status(self.pane.doc_id, status)
        except GlossError as exc:
            self._report(f"NOT SAVED: {exc}", error=True)
            return
        self.notify(f"{status}: {self.pane.title[:60]}")
        self._step(1)

    def show_article(self, doc_id: str, pane: ArticlePane | None = None) -> None:
        """Open ``doc_id`` in ``pane`` (the focused one by default)."""
        pane = pane or self.pane
        new = self._pane(doc_id)
        panes = self.query_one("#panes", Horizontal)
        panes.mount(new, before=pane)
        pane.remove()
        new.view.focus()
        self._follow(new)
        self._status()
        self.call_after_refresh(self._settle_heap, True)

    def action_side_by_side(self) -> None:
        from tui.screens.picker import PickerScreen

        def chosen(doc_id: str | None) -> None:
            if doc_id is None:
                return
            panes = self.panes
            if len(panes) == 1:
                pane = self._pane(doc_id)
                self.query_one("#panes", Horizontal).mount(pane, after=panes[0])
                pane.view.focus()
                self._follow(pane)
                self._status()
                self.call_after_refresh(self._settle_heap, True)
            else:
                other = panes[1] if self.pane is panes[0] else panes[0]
                self.show_article(doc_id, other)

        self.app.push_screen(PickerScreen(self.dataset, "Open beside this article"), chosen)

    def action_open_article(self) -> None:
        from tui.screens.picker import PickerScreen

        def chosen(doc_id: str | None) -> None:
            if doc_id is not None:
                self.show_article(doc_id)

        self.app.push_screen(PickerScreen(self.dataset, "Open in this pane"), chosen)

    def action_switch_pane(self) -> None:
        panes = self.panes
        if len(panes) < 2:
            self.notify("one article open: s opens a second")
            return
        other = panes[1] if self.pane is panes[0] else panes[0]
        other.view.focus()
        self._follow(other)
        self._status()

    # -- status ----------------------------------------------------------------------

    def _refresh_list(self) -> None:
        self.query_one(SpanList).refresh_spans()

    def _report(self, message: str, error: bool = False) -> None:
        self.save_state = (message, error)
        self._status()

    def _status(self) -> None:
        if not self.panes:
            return
        pane = self.pane
        place = self._place(pane.doc_id)
        where = f"{place + 1} / {len(self.order)}" if place >= 0 else "1 / 1"
        view = pane.view
        selection = view.selection
        cursor = (f"sel {selection[0]}–{selection[1]}" if selection
                  else f"at {view.cursor}") + f" of {len(view.text):,}"
        message, error = self.save_state
        if self.saving and not error:
            message = "saving…"
        elif self.pending and not error:
            message, error = f"{len(self.pending)} unsaved (r retries)", True
        self.query_one(StatusBar).show(self.dataset.annotator, f"article {where}",
                                       "char" if self.char_mode else "word", cursor,
                                       message, error)
