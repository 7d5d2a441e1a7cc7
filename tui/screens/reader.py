"""The reader: one or two articles side by side, each with its span list; search, the
legend and the status bar below.

The screen turns keys into edits (``tui/core/editor.py`` says what each key asks), applies
them to the article's model, which every pane and span list showing that article observes,
and hands them to the save queue. It owns no article state itself. What it stands on (its
widgets, applying an edit, the modes) is in ``reader_base.py``; the keys for claims, their
sources and places in ``reader_links.py``.
"""

from __future__ import annotations

from functools import partial
from typing import ClassVar

from textual.binding import BindingType

from tui.core import editor
from tui.core.edits import Edit
from tui.core.model import GlossError
from tui.keys import CLAIMS, READER, bindings
from tui.messages import SpanChosen
from tui.screens.reader_links import LinkKeys


class ReaderScreen(LinkKeys):
    BINDINGS: ClassVar[list[BindingType]] = [*bindings(READER), *bindings(CLAIMS)]

    # -- editing ---------------------------------------------------------------------

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

    def action_toggle_char_mode(self) -> None:
        self.char_mode = not self.char_mode
        self.status()

    # -- search ----------------------------------------------------------------------

    def action_search(self) -> None:
        self.search_bar.open()

    def action_find(self, forward: bool) -> None:
        needle = self.search_bar.needle
        if not needle:
            self.notify("no search yet: press /", severity="warning")
            return
        self.find(needle, forward)

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
