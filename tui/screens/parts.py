"""What a part of a screen of articles is (the reader's keys for claims; next, its
suggestions): a widget the screen composes above its status bar, given the session and a
way to reach the focused pane, never the screen itself.

A part's keys are rows of the key table that the screen binds and hands to it (a line a
key); the edits it makes go through the session, like any key's. A part that takes every
key while it is open (a link key choosing, the attribute menu, a prompt) is a
:class:`Mode`: the screen offers it each key before the bindings, in the order the keys
arrived (docs/architecture.md, "Keys in bursts"). A part that has palette commands says
them in ``commands()``, which the screen adds to its own.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

from textual import events
from textual.widget import Widget

from tui.core.document.edits import Edit
from tui.core.editing.article_model import ArticleModel
from tui.core.editing.session import Notice, Session
from tui.core.language.visible import visible


class Part(Widget):
    """What every part does alike: edits through the session, refusals said as notices."""

    session: Session

    def _apply(self, model: ArticleModel, outcome: Edit | str) -> Edit | None:
        """``outcome`` through the session: the edit applied, or None once the reason
        there is none has been said."""
        done = self.session.apply(model, outcome)
        if isinstance(done, Notice):
            self._say(done.text)
            return None
        return done

    def _say(self, text: str, severity: str = "warning") -> None:
        self.notify(visible(text), severity="warning" if severity == "warning"
                    else "information", markup=False)


@runtime_checkable
class Mode(Protocol):
    """A part that takes the keys (and pastes) while it is open."""

    def take_key(self, event: events.Key) -> bool:
        """Take ``event`` if open; False when closed (the key goes on to the bindings)."""
        ...

    def paste(self, text: str) -> bool:
        """Take a paste if open; False when closed."""
        ...
