"""The reader: one or two articles side by side, each with its span list; search, the
legend and the status bar below.

The screen turns keys into edits (``tui/core/editing/editor.py`` says what each key asks) and
hands them to the session, which applies them to the article's model (every pane and span
list showing that article observes it) and saves them. It owns no article state itself.
What it stands on (the panes, search, applying an edit, the modes) is in
``reader_base.py``; the keys for claims, their sources and places are a part it composes,
``ClaimKeys`` (``claim_keys.py``): the reader binds their keys and hands them over.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cached_property, partial
from typing import ClassVar

from textual import on
from textual.binding import BindingType
from textual.widget import Widget

from tui.commands import Command
from tui.core.document.model import Span
from tui.core.editing import editor
from tui.core.language.visible import visible
from tui.keys import bindings
from tui.screens.attribute_keys import AttributeKeys
from tui.screens.claim_keys import ClaimKeys
from tui.screens.navigation import Chosen, OpenBoard, PickArticle
from tui.screens.reader_base import ReaderBase
from tui.screens.suggestion_keys import SuggestionKeys
from tui.widgets.bars.legend import Legend
from tui.widgets.bars.link_line import ChoiceLine, fit
from tui.widgets.bars.status_bar import Piece
from tui.widgets.lists.span_list import SpanList


class ReaderScreen(ReaderBase):
    BINDINGS: ClassVar[list[BindingType]] = list(bindings("reader"))

    def parts(self) -> Iterator[Widget]:
        yield ClaimKeys(self.session, lambda: self.pane, self._link_bar)
        yield AttributeKeys(self.session, lambda: self.pane)
        yield SuggestionKeys(self.session, lambda: self.pane, self.status_bar_mode)

    def status_bar_mode(self, pieces: list[Piece] | None) -> None:
        self.status_bar.show_mode(pieces)

    def _link_bar(self, line: ChoiceLine | None) -> None:
        """The link bar, in the status line's row, and the legend's for a second line: no
        pane changes its size (laying them out again costs the key's frame 10 ms and more)."""
        lines = fit(line, self.size.width) if line is not None else []
        self.legend.show_mode(lines[0] if len(lines) > 1 else None)
        self.status_bar.show_mode(lines[-1] if lines else None)

    @cached_property
    def legend(self) -> Legend:
        return self.query_one(Legend)

    @cached_property
    def claim_keys(self) -> ClaimKeys:
        return self.query_one(ClaimKeys)

    @cached_property
    def attribute_keys(self) -> AttributeKeys:
        return self.query_one(AttributeKeys)

    @cached_property
    def suggestion_keys(self) -> SuggestionKeys:
        return self.query_one(SuggestionKeys)

    # -- editing ---------------------------------------------------------------------

    def action_label(self, key: str) -> None:
        label = self.session.labels.by_key(key)
        if label is None:
            self.notify(f"no label on key {key}", severity="warning")
            return
        view, model = self.view, self.pane.model
        target = view.target(self.char_mode)
        if target is None:
            self.notify("nothing to label: select some text or put the cursor on a word",
                        severity="warning")
            return
        done = self.apply(model, editor.label(model, *target, label.name, view.span_here()))
        if done is not None:
            view.move_to(target[1], span=done.changes[0].after)

    def action_label_every(self) -> None:
        self.apply(self.pane.model, editor.label_every(self.pane.model, self.view.span_here()))

    def action_remove_span(self) -> None:
        self.apply(self.pane.model, editor.remove(self.pane.model, self.view.span_here()))

    def action_resize(self, edge: str, step: int) -> None:
        view, model = self.view, self.pane.model
        done = self.apply(model, editor.resize(model, view.span_here(), edge, step,
                                               self.char_mode))
        if done is not None:
            after = done.changes[0].after
            assert after is not None
            view.select(after.start, after.end, at_start=edge == "start", span=after)

    def action_toggle_char_mode(self) -> None:
        self.char_mode = not self.char_mode
        self.status()

    # -- claims: the keys are the reader's, the work its part's -----------------------

    def action_link(self, name: str) -> None:
        self.claim_keys.link(name)

    def action_next_todo(self, step: int) -> None:
        self.claim_keys.next_todo(step)

    def action_attributes(self) -> None:
        self.attribute_keys.attributes()

    def action_canonical(self) -> None:
        self.attribute_keys.canonical()

    # -- suggestions: the keys are the reader's, the work its part's --------------------

    def action_accept_suggestion(self) -> None:
        self.suggestion_keys.accept()

    def action_reject_suggestion(self) -> None:
        self.suggestion_keys.reject()

    def action_step_suggestion(self, step: int) -> None:
        self.suggestion_keys.step(step)

    def action_accept_every_suggestion(self) -> None:
        self.suggestion_keys.accept_every()

    def action_claims_board(self) -> None:
        ids = list(dict.fromkeys(p.doc_id for p in self.panes.panes))
        self.post_message(OpenBoard(ids if len(ids) == 2 else None, self._board_chose))

    def _board_chose(self, chosen: Chosen | None) -> None:
        if chosen is None:
            return
        doc_id, span_id = chosen
        if all(p.doc_id != doc_id for p in self.panes.panes):
            self.panes.open(doc_id)
            self.call_after_refresh(self.show_span, doc_id, span_id)
        else:
            self.show_span(doc_id, span_id)

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

    @on(SpanList.Chosen)
    def _span_chosen(self, message: SpanList.Chosen) -> None:
        span = message.span
        self.view.select(span.start, span.end, at_start=True,
                         span=span if isinstance(span, Span) else None)
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

    def action_mark(self, status: str) -> None:
        """Set this analyst's status of the article, then open the next one."""
        pane = self.pane
        notice = self.session.set_status(pane.model, status)
        if notice is not None:
            self.say(notice.text, "error")
        else:
            self.marked(pane.doc_id, f"{status}: {pane.title[:60]}", "that was the last article")

    def open_article(self, doc_id: str) -> None:
        self.open_here(doc_id)

    def open_here(self, doc_id: str, beside: bool = False) -> None:
        self.panes.open(doc_id, beside)
        self.call_after_refresh(self.session.settle_heap, True)

    def action_side_by_side(self) -> None:
        self.post_message(PickArticle("Open beside this article",
                                      partial(self.open_here, beside=True)))

    def action_open_article(self) -> None:
        self.post_message(PickArticle("Open in this pane", self.open_here))

    def action_switch_pane(self) -> None:
        if not self.panes.switch():
            self.notify("one article open: s opens a second")

    def action_close_pane(self) -> None:
        if not self.panes.close():
            self.notify("one article open: b goes back to the library")

    # -- the palette -----------------------------------------------------------------

    def commands(self) -> list[Command]:
        commands = [*self.claim_keys.commands(), *self.attribute_keys.commands(),
                    *self.suggestion_keys.commands(), Command(
            "Claims board", "every claim grouped by source (B)", self.action_claims_board)]
        commands += [
            Command("Toggle character mode", "selections stop snapping to words",
                    self.action_toggle_char_mode),
            Command("Mark article done", "and open the next", partial(self.action_mark, "done")),
            Command("Mark article skipped", "and open the next",
                    partial(self.action_mark, "skipped")),
            Command("Open an article side by side", "pick a second article",
                    self.action_side_by_side),
            Command("Close this pane", "the other article stays", self.action_close_pane),
            Command("Fold the span list", "or unfold it", self.action_fold_spans),
            Command("Label every occurrence", "of the span under the cursor",
                    self.action_label_every),
            *super().commands(),
        ]
        rows, _ = self.session.dataset.summaries()
        commands += [Command(f"Open article: {visible(row.title)}", f"{row.length:,}"
                             f" characters, {row.spans} spans"
                             f"{' yours' if len(row.analysts) > 1 else ''}, {row.status}",
                             partial(self.open_here, row.id), discover=False)
                     for row in rows]
        return commands
