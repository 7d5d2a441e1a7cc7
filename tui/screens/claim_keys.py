"""The reader's keys for claims, as a part the reader composes (``parts.py``): link a claim
to its source (`w`) or a place (`p`), and walk the claims still to do (`t`).

A link key opens a choice, a mode of the reader: the likeliest option is highlighted in
the text and the link bar says what enter does; tab and shift+tab move through the
options, a hint letter links that one at once, escape cancels. The link goes through the
session (``tui/core/editing/session.py``); the rules and the ranking are
``tui/core/editing/linking.py``'s.
What is said of a span (`m`, `k`) is the next part, ``attribute_keys.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from textual import events

from tui.commands import Command
from tui.core.document.schema import ABOUT, SOURCE
from tui.core.editing import linking
from tui.core.editing.article_model import ArticleModel
from tui.core.editing.linking import Choice
from tui.core.editing.session import Session
from tui.screens.parts import Part
from tui.widgets.article.article_view import ArticleView
from tui.widgets.bars.link_line import ChoiceLine
from tui.widgets.panes import ArticlePane


@dataclass(slots=True)
class Linking:
    """A link key's choice, and where it was opened."""

    choice: Choice
    model: ArticleModel
    view: ArticleView


class ClaimKeys(Part):
    # Nothing of its own to draw: the link bar is drawn in the reader's bars (``show``)
    DEFAULT_CSS = """
    ClaimKeys {
        display: none;
    }
    """

    def __init__(self, session: Session, focused: Callable[[], ArticlePane],
                 show: Callable[[ChoiceLine | None], None]) -> None:
        """``focused``: the pane the keys act on (the reader's focused one); ``show``: draws
        the link bar (None: closes it)."""
        super().__init__()
        self.session = session
        self._focused = focused
        self._show = show
        self.linking: Linking | None = None

    # -- the keys while a mode is open -----------------------------------------------

    def paste(self, text: str) -> bool:
        return False

    # -- linking ---------------------------------------------------------------------

    def link(self, name: str) -> None:
        view = self._focused().view
        model = view.model
        caret = view.caret
        current = model.get(caret.span_id) if caret.span_id else None
        analyst = view.painter.analyst
        here = model.at(caret.cursor, analyst) or (
            model.at(caret.cursor - 1, analyst) if caret.cursor else [])
        choice = linking.start(model, name, current, here)
        if isinstance(choice, str):
            self._say(choice)
            return
        self.linking = Linking(choice, model, view)
        self._show_choice()

    def take_key(self, event: events.Key) -> bool:
        """While a link key chooses, every key is the choice's."""
        state = self.linking
        if state is None:
            return False
        event.stop()
        event.prevent_default()
        key, character = event.key, event.character or ""
        if key == "escape":
            self._end_choice()
        elif key == "enter":
            self._link(state)
        elif key in ("tab", "shift+tab"):
            state.choice.step(1 if key == "tab" else -1)
            self._show_choice()
        elif event.is_printable and state.choice.pick(character):
            self._link(state)
        return True

    def _link(self, state: Linking) -> None:
        head, child = state.choice.ends()
        model = state.model
        outcome = linking.link(model, state.choice.relation, model.get(head.id) or head,
                               model.get(child.id) or child)
        self._end_choice()
        self._apply(model, outcome)

    def _show_choice(self) -> None:
        state = self.linking
        assert state is not None
        state.view.show_choice(state.choice)
        self._show(choice_line(state.choice))

    def _end_choice(self) -> None:
        state, self.linking = self.linking, None
        if state is not None:
            state.view.show_choice(None)
        self._show(None)

    # -- claims still to do ------------------------------------------------------------

    def next_todo(self, step: int) -> None:
        """The next (or previous) claim with no source and no source kind, round the end."""
        view = self._focused().view
        todo = [s for s in view.model.todo() if view.painter.analyst in (None, s.annotator)]
        if not todo:
            self.notify("no claim to do: each has a source or a source kind")
            return
        here = view.cursor
        later = [s for s in todo if s.start > here] if step > 0 else \
            [s for s in reversed(todo) if s.start < here]
        span = (later or (todo if step > 0 else list(reversed(todo))))[0]
        view.select(span.start, span.end, at_start=True, span=span)

    # -- the palette -------------------------------------------------------------------

    def commands(self) -> list[Command]:
        """Each kind of link, and the claims still to do."""
        return [*(Command(f"Link {r.name}", f"a {r.head} to a {r.child} (or from the"
                          f" {r.child})", partial(self.link, r.name))
                  for r in self.session.labels.relations),
                Command("Next claim to do", "no source and no source kind yet (t)",
                        partial(self.next_todo, 1))]


def choice_line(choice: Choice) -> ChoiceLine:
    """What the link bar says while a link key chooses: what enter does, the options."""
    relation, current = choice.relation, choice.current
    if current.id in choice.linked:
        does = "unlink"
    elif choice.from_head and relation.most is not None and choice.linked:
        does = "replace with"
    else:
        does = "link"
    if choice.from_head:  # as the span list says it: claim ← source @ place
        arrow = {SOURCE: "←", ABOUT: "@"}.get(relation.name, "→")
    else:
        arrow = "→" if relation.name == SOURCE else "←"
    hinted = choice.hints()[:12]
    return ChoiceLine(relation.name, choice.anchor.label, choice.anchor.text, arrow, does,
                      current.text, tuple((letter, option.text, option.id in choice.linked)
                                          for option, letter in hinted),
                      max(len(choice.options) - len(hinted), 0))
