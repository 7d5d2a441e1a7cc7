"""The reader's keys for what is said of a span, as a part the reader composes
(``parts.py``): the attribute menu (`m`: a letter sets a value, a claim's source kind and
quote, an actor's kind and country) and the prompt for a value typed in full (`k`: the
name an actor goes by across articles, completed from the dataset's names).

The menu and the prompt are modes of the reader: while one is open it takes every key.
The values are set through the session (``tui/core/editing/session.py``), checked by
``tui/core/editing/linking.py``'s ``set_attribute``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from textual import events
from textual.app import ComposeResult

from tui.commands import Command
from tui.core.document.canonical import fullest_name, suggestions
from tui.core.document.edits import cut
from tui.core.document.model import Span
from tui.core.editing import linking
from tui.core.editing.article_model import ArticleModel
from tui.core.editing.session import Session
from tui.screens.parts import Part
from tui.widgets.bars.menu_bar import MenuBar, MenuItem, Picked
from tui.widgets.bars.prompt_bar import Answer, PromptBar
from tui.widgets.panes import ArticlePane

CANONICAL = "canonical"


@dataclass(frozen=True, slots=True)
class Asking:
    """What the prompt or the menu is open for: an attribute of one span."""

    model: ArticleModel
    span_id: str
    name: str = ""


class AttributeKeys(Part):
    DEFAULT_CSS = """
    AttributeKeys {
        height: auto;
    }
    """

    def __init__(self, session: Session, focused: Callable[[], ArticlePane]) -> None:
        """``focused``: the pane the keys act on (the reader's focused one)."""
        super().__init__()
        self.session = session
        self._focused = focused
        self.asking: Asking | None = None
        self._prompt = PromptBar(id="prompt")
        self._menu = MenuBar(id="menu")
        self._unwatch = lambda: None

    def compose(self) -> ComposeResult:
        yield self._prompt
        yield self._menu

    def on_mount(self) -> None:
        # the dataset's names arrive (read in a thread) while the prompt may be open, or
        # as the screen goes: then there is nothing to suggest to
        self._unwatch = self.session.watch_index(
            lambda _order: self._prompt.refresh_suggestions() if self._prompt.is_attached
            else None)

    def on_unmount(self) -> None:
        self._unwatch()

    def take_key(self, event: events.Key) -> bool:
        if self._prompt.is_open:
            answer = self._prompt.take(event)
            if answer is not None:
                self._answered(answer)
            return True
        if self._menu.is_open:
            picked = self._menu.take(event)
            if picked is not None:
                self._picked(picked)
            return True
        return False

    def paste(self, text: str) -> bool:
        if not self._prompt.is_open:
            return False
        self._prompt.paste(text)
        return True

    def attributes(self) -> None:
        view = self._focused().view
        model, span = view.model, view.span_here()
        if span is None:
            self.notify("no span under the cursor", severity="warning")
            return
        kinds = model.labels.attributes_of(span.label)
        if not kinds:
            self._say(f"a {span.label} has no attributes in this label set")
            return
        items = [MenuItem(kind.name, value, span.attribute(kind.name) == value)
                 for kind in kinds for value in (kind.values or (None,))]
        self.asking = Asking(model, span.id)
        self._menu.open(f"{span.label} “{cut(span.text, 40)}”", items, dict(span.attributes))

    def _picked(self, picked: Picked) -> None:
        asking, item = self.asking, picked.item
        self.asking = None
        if asking is None or item is None:
            return
        span = asking.model.get(asking.span_id)
        if item.value is None:
            self._ask(asking.model, span, item.name)
        else:
            self._apply(asking.model, linking.set_attribute(
                asking.model, span, item.name, None if item.current else item.value))

    def set_attribute(self, name: str, value: str) -> None:
        """Set ``name`` of the span under the cursor (the palette's commands)."""
        view = self._focused().view
        self._apply(view.model, linking.set_attribute(view.model, view.span_here(), name,
                                                      value))

    def ask(self, name: str) -> None:
        """Ask for ``name`` of the span under the cursor, typed in full."""
        view = self._focused().view
        self._ask(view.model, view.span_here(), name)

    def canonical(self) -> None:
        """Name the actor (or place) under the cursor as it is known across articles."""
        self.ask(CANONICAL)

    def _ask(self, model: ArticleModel, span: Span | None, name: str) -> None:
        if span is None:
            self.notify("no span under the cursor", severity="warning")
            return
        kind = model.labels.attribute(name)
        if kind is None or span.label not in kind.labels:
            self._say(f"a {span.label} has no attribute {name}")
            return
        self.asking = Asking(model, span.id, name)
        title = f"{name} of {span.label} “{cut(span.text, 30)}”"
        if name != CANONICAL:
            self._prompt.open(title, span.attribute(name) or "", lambda _typed: [])
            return
        given = self.session.fresh_index().named(span.label, span.text)
        here = [s for s in model.spans if s.label == span.label]
        default = span.attribute(CANONICAL) or (given[0] if given else fullest_name(
            span.text, [s.text for s in here]))

        def suggest(typed: str) -> list[str]:
            """The names given to this text elsewhere, then the dataset's and this
            article's canonical names that match what is typed (read afresh: the
            dataset's may arrive while the prompt is open)."""
            index = self.session.index
            known = index.canonical_names(span.label) + Counter(
                s.attribute(CANONICAL) for s in here if s.attribute(CANONICAL))
            given = index.named(span.label, span.text)
            return list(dict.fromkeys([*given, *suggestions(typed, known.elements())]))

        self._prompt.open(title, default, suggest)

    def _answered(self, answer: Answer) -> None:
        asking, self.asking = self.asking, None
        if asking is None or answer.text is None:
            return
        model = asking.model
        self._apply(model, linking.set_attribute(model, model.get(asking.span_id),
                                                 asking.name, answer.text or None))

    def commands(self) -> list[Command]:
        """The menu, and every attribute the span under the cursor can take."""
        commands = [Command("Attributes of this span", "the menu (m)", self.attributes)]
        span = self._focused().view.span_here()
        if span is None:
            return commands
        for kind in self.session.labels.attributes_of(span.label):
            if not kind.values:
                commands.append(Command(f"Set {kind.name}…", f"of {span.label}"
                                        f" “{cut(span.text, 30)}”", partial(self.ask, kind.name)))
            for value in kind.values:
                commands.append(Command(f"Set {kind.name}: {value}", "on the span under the"
                                        " cursor", partial(self.set_attribute, kind.name, value)))
        return commands
