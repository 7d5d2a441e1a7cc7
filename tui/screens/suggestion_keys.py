"""The reader's keys for suggestions, as a part the reader composes (``parts.py``): accept
the suggestion under the cursor (`y`, a claim with its source's link), reject it (`u`,
kept in the article's file), each then selecting the next suggestion; walk to the next or
previous one (`j`, `J`); and accept every remaining suggestion of the label under the
cursor (`Y`) once a confirmation that says how many is answered (`y` or enter; any
other key cancels): while it asks, the part is a mode and takes the keys.

Accepting is an edit like any other, through the session: undoable in one step, saved
off the frame, shown by every pane. What is offered is the session's
(``tui/core/editing/suggestions.py``); the edits are ``tui/core/editing/accepting.py``'s.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from textual import events

from tui.commands import Command
from tui.core.document.edits import Edit
from tui.core.document.suggestion import Suggestion
from tui.core.editing import accepting
from tui.core.editing.session import Session
from tui.core.editing.suggestions import ArticleSuggestions
from tui.core.language.visible import visible
from tui.screens.parts import Part
from tui.widgets.bars.status_bar import Piece
from tui.widgets.panes import ArticlePane


@dataclass(slots=True)
class Asking:
    """A confirmation open: accept these suggestions of ``label`` in this pane?"""

    pane: ArticlePane
    label: str
    suggestions: list[Suggestion]


class SuggestionKeys(Part):
    DEFAULT_CSS = """
    SuggestionKeys {
        display: none;
    }
    """

    def __init__(self, session: Session, focused: Callable[[], ArticlePane],
                 show: Callable[[list[Piece] | None], None]) -> None:
        """``focused``: the pane the keys act on; ``show``: draws the confirmation's line
        in the status line's row (None: closes it)."""
        super().__init__()
        self.session = session
        self._focused = focused
        self._show = show
        self.asking: Asking | None = None

    def on_mount(self) -> None:
        self.session.suggestions.notices.append(self._said)

    def on_unmount(self) -> None:
        if self._said in self.session.suggestions.notices:
            self.session.suggestions.notices.remove(self._said)

    def _said(self, line: str) -> None:
        """A line of the suggestions' (a model that could not be loaded), said once."""
        self._say(line)

    def _here(self) -> tuple[ArticlePane, ArticleSuggestions, Suggestion | None] | None:
        pane = self._focused()
        suggested = pane.suggested
        if suggested is None:
            return None
        view = pane.view
        selection = view.selection
        if selection is not None:  # a suggestion selected (j, the span list): that one
            exact = [s for s in suggested.overlapping(*selection)
                     if (s.start, s.end) == selection]
            if exact:
                return pane, suggested, exact[0]
        return pane, suggested, suggested.at(view.cursor)

    def _none(self, suggested: ArticleSuggestions | None) -> None:
        if suggested is None or not suggested.ready:
            self._say("suggestions are still being found", "information")
        elif not suggested.offered:
            self._say("no suggestions in this article", "information")
        else:
            self._say("no suggestion under the cursor: j walks to the next one")

    # -- the keys --------------------------------------------------------------------

    def accept(self) -> None:
        found = self._here()
        if found is None or found[2] is None:
            self._none(found[1] if found else None)
            return
        pane, _suggested, suggestion = found
        self._accept(pane, accepting.accept(pane.model, suggestion), suggestion)

    def reject(self) -> None:
        found = self._here()
        if found is None or found[2] is None:
            self._none(found[1] if found else None)
            return
        pane, suggested, suggestion = found
        self.session.reject(suggested, suggestion)
        self._walk(pane, suggestion.start, 1, quiet=True)

    def step(self, step: int) -> None:
        pane = self._focused()
        suggested = pane.suggested
        if suggested is None or not (suggested.offered or suggested.huge):
            self._none(suggested)
            return
        self._walk(pane, pane.view.cursor, step)

    def _walk(self, pane: ArticlePane, offset: int, step: int, quiet: bool = False) -> None:
        """Select the next suggestion that way: a huge article's once the stretches on the
        way are searched (the keys meanwhile are the analyst's)."""
        suggested = pane.suggested

        def then(target: Suggestion | None) -> None:
            if target is not None and pane.is_attached:
                pane.view.select(target.start, target.end, at_start=True)
            elif not quiet:
                self._none(suggested)

        if suggested is None:
            then(None)
        elif not suggested.seek(offset, step, then) and not quiet:
            self._say("finding the next suggestion", "information")

    def accept_every(self) -> None:
        """Ask whether to accept every suggestion of the label under the cursor."""
        found = self._here()
        if found is None or found[2] is None:
            self._none(found[1] if found else None)
            return
        pane, suggested, suggestion = found
        label = suggestion.label
        every = suggested.of_label(label)
        self.asking = Asking(pane, label, every)
        where = "near here" if suggested.huge else "in this article"  # only those searched
        self._show([(f" Accept all {len(every)} suggested {visible(label)} {where}? ",
                     "title"), (" y ", "key"), (" yes  ", "text"), (" any other key ", "key"),
                    (" no", "text")])

    # -- the confirmation, a mode ----------------------------------------------------

    def take_key(self, event: events.Key) -> bool:
        asking = self.asking
        if asking is None:
            return False
        event.stop()
        event.prevent_default()
        self.asking = None
        self._show(None)
        if event.key in ("y", "enter"):
            self._accept(asking.pane, accepting.accept_all(asking.pane.model,
                                                          asking.suggestions), None)
        else:
            self._say(f"nothing accepted: {len(asking.suggestions)} suggested "
                      f"{asking.label} left", "information")
        return True

    def paste(self, text: str) -> bool:
        if self.asking is None:
            return False
        self.asking = None
        self._show(None)
        return True

    def _accept(self, pane: ArticlePane, outcome: Edit | str, suggestion: Suggestion | None
                ) -> None:
        done = self._apply(pane.model, outcome)
        # on to the next, as Prodigy does: y y y ...
        if done is not None and suggestion is not None:
            after = pane.suggested.step(suggestion.start, 1) if pane.suggested else None
            if after is not None:
                pane.view.select(after.start, after.end, at_start=True)
            else:
                made = done.changes[0].after
                pane.view.select(suggestion.start, suggestion.end, at_start=True, span=made)

    # -- the palette -----------------------------------------------------------------

    def commands(self) -> list[Command]:
        return [Command("Accept the suggestion", "under the cursor, with its source (y)",
                        self.accept),
                Command("Reject the suggestion", "kept: not offered again here (u)",
                        self.reject),
                Command("Next suggestion", "(j; J the previous)", lambda: self.step(1)),
                Command("Accept every suggestion of this label", "after a confirmation (Y)",
                        self.accept_every)]
