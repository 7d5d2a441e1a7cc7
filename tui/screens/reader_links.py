"""The reader's keys for claims: link a claim to its source (`w`) or a place (`p`), walk
the claims still to do (`t`), set what is said of a span (`m`), name an actor across
articles (`k`), and open the claims board (`B`).

A link key opens a choice, a mode of the reader: the likeliest option is highlighted in
the text and the status line says what enter does; tab and shift+tab move through the
options, a hint letter links that one at once, escape cancels. See ``tui/core/linking.py``
for the edits and the ranking.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from textual import events

from tui.core import linking
from tui.core.article_model import ArticleModel
from tui.core.canonical import fullest_name, suggestions
from tui.core.edits import cut
from tui.core.linking import Choice
from tui.core.model import Span
from tui.core.schema import ABOUT, SOURCE
from tui.screens.reader_base import ReaderBase
from tui.widgets.article_view import ArticleView
from tui.widgets.menu_bar import MenuItem, Picked
from tui.widgets.prompt_bar import Answer
from tui.widgets.status_bar import Piece

CANONICAL = "canonical"


@dataclass(slots=True)
class Linking:
    """A link key's choice, and where it was opened."""

    choice: Choice
    model: ArticleModel
    view: ArticleView


@dataclass(frozen=True, slots=True)
class Asking:
    """What the prompt or the menu is open for: an attribute of one span."""

    model: ArticleModel
    span_id: str
    name: str = ""


class LinkKeys(ReaderBase):
    linking: Linking | None = None
    asking: Asking | None = None

    # -- linking ---------------------------------------------------------------------

    def action_link(self, name: str) -> None:
        view, model = self.view, self.pane.model
        caret = view.caret
        current = model.get(caret.span_id) if caret.span_id else None
        analyst = view.painter.analyst
        here = model.at(caret.cursor, analyst) or (
            model.at(caret.cursor - 1, analyst) if caret.cursor else [])
        choice = linking.start(model, name, current, here)
        if isinstance(choice, str):
            self.say(choice, "warning")
            return
        self.linking = Linking(choice, model, view)
        self._show_choice()

    def choosing(self, event: events.Key) -> bool:
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
        self.apply(model, outcome)

    def _show_choice(self) -> None:
        state = self.linking
        assert state is not None
        state.view.show_choice(state.choice)
        self.status_bar.show_mode(choice_line(state.choice))

    def _end_choice(self) -> None:
        state, self.linking = self.linking, None
        if state is not None:
            state.view.show_choice(None)
        self.status_bar.show_mode(None)

    # -- claims still to do ------------------------------------------------------------

    def action_next_todo(self, step: int) -> None:
        """The next (or previous) claim with no source and no source kind, round the end."""
        view, model = self.view, self.pane.model
        todo = [s for s in model.todo() if view.painter.analyst in (None, s.annotator)]
        if not todo:
            self.notify("no claim to do: each has a source or a source kind")
            return
        here = view.cursor
        later = [s for s in todo if s.start > here] if step > 0 else \
            [s for s in reversed(todo) if s.start < here]
        span = (later or (todo if step > 0 else list(reversed(todo))))[0]
        view.select(span.start, span.end, at_start=True, span=span)

    # -- attributes --------------------------------------------------------------------

    def action_attributes(self) -> None:
        model, span = self.pane.model, self.view.span_here()
        if span is None:
            self.notify("no span under the cursor", severity="warning")
            return
        kinds = model.labels.attributes_of(span.label)
        if not kinds:
            self.say(f"a {span.label} has no attributes in this label set", "warning")
            return
        items = [MenuItem(kind.name, value, span.attribute(kind.name) == value)
                 for kind in kinds for value in (kind.values or (None,))]
        self.asking = Asking(model, span.id)
        self.menu_bar.open(f"{span.label} “{cut(span.text, 40)}”", items,
                           dict(span.attributes))

    def picked(self, picked: Picked) -> None:
        asking, item = self.asking, picked.item
        self.asking = None
        if asking is None or item is None:
            return
        span = asking.model.get(asking.span_id)
        if item.value is None:
            self._ask(asking.model, span, item.name)
        else:
            self.apply(asking.model, linking.set_attribute(
                asking.model, span, item.name, None if item.current else item.value))

    def set_attribute(self, name: str, value: str) -> None:
        """Set ``name`` of the span under the cursor (the palette's commands)."""
        model = self.pane.model
        self.apply(model, linking.set_attribute(model, self.view.span_here(), name, value))

    def ask(self, name: str) -> None:
        """Ask for ``name`` of the span under the cursor, typed in full."""
        self._ask(self.pane.model, self.view.span_here(), name)

    def action_canonical(self) -> None:
        """Name the actor (or place) under the cursor as it is known across articles."""
        self._ask(self.pane.model, self.view.span_here(), CANONICAL)

    def _ask(self, model: ArticleModel, span: Span | None, name: str) -> None:
        if span is None:
            self.notify("no span under the cursor", severity="warning")
            return
        kind = model.labels.attribute(name)
        if kind is None or span.label not in kind.labels:
            self.say(f"a {span.label} has no attribute {name}", "warning")
            return
        self.asking = Asking(model, span.id, name)
        title = f"{name} of {span.label} “{cut(span.text, 30)}”"
        if name != CANONICAL:
            self.prompt_bar.open(title, span.attribute(name) or "", lambda _typed: [])
            return
        given = self.gloss.fresh_index().named(span.label, span.text)
        here = [s for s in model.spans if s.label == span.label]
        default = span.attribute(CANONICAL) or (given[0] if given else fullest_name(
            span.text, [s.text for s in here]))

        def suggest(typed: str) -> list[str]:
            """The names given to this text elsewhere, then the dataset's and this
            article's canonical names that match what is typed (read afresh: the
            dataset's may arrive while the prompt is open)."""
            index = self.gloss.index
            known = index.canonical_names(span.label) + Counter(
                s.attribute(CANONICAL) for s in here if s.attribute(CANONICAL))
            given = index.named(span.label, span.text)
            return list(dict.fromkeys([*given, *suggestions(typed, known.elements())]))

        self.prompt_bar.open(title, default, suggest)

    def answered(self, answer: Answer) -> None:
        asking, self.asking = self.asking, None
        if asking is None or answer.text is None:
            return
        model = asking.model
        self.apply(model, linking.set_attribute(model, model.get(asking.span_id),
                                                asking.name, answer.text or None))

    # -- the claims board --------------------------------------------------------------

    def action_claims_board(self) -> None:
        ids = list(dict.fromkeys(p.doc_id for p in self.panes.panes))
        self.gloss.open_board(ids if len(ids) == 2 else None, self._board_chose)

    def _board_chose(self, chosen: tuple[str, str] | None) -> None:
        if chosen is None:
            return
        doc_id, span_id = chosen
        if all(p.doc_id != doc_id for p in self.panes.panes):
            self.panes.open(doc_id)
            self.call_after_refresh(self.show_span, doc_id, span_id)
        else:
            self.show_span(doc_id, span_id)


def choice_line(choice: Choice) -> tuple[Piece, ...]:
    """The status line while a link key chooses: what enter does, then the options."""
    relation, current = choice.relation, choice.current
    linked = current.id in choice.linked
    if linked:
        does = "unlink"
    elif choice.from_head and relation.most is not None and choice.linked:
        does = "replace with"
    else:
        does = "link"
    if choice.from_head:  # as the span list says it: claim ← source @ place
        arrow = {SOURCE: "←", ABOUT: "@"}.get(relation.name, "→")
    else:
        arrow = "→" if relation.name == SOURCE else "←"
    pieces: list[Piece] = [
        (f" {relation.name} ", "title"),
        (f" {choice.anchor.label} “{cut(choice.anchor.text, 28)}” {arrow} ", "text"),
        ("⏎", "key"), (f" {does} “{cut(current.text, 40)}” ", "current"), ("  ", "text")]
    for option, letter in choice.hints()[:12]:
        mark = " ✓" if option.id in choice.linked else ""
        pieces += [(f" {letter} ", "key"), (f" {cut(option.text, 16)}{mark}  ", "text")]
    more = len(choice.options) - 12
    pieces.append((f"+{more}  " if more > 0 else "", "dim"))
    pieces.append(("⇥ next  esc cancel", "dim"))
    return tuple(pieces)
