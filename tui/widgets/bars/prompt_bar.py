"""A one-line prompt for a value typed in full, with suggestions: an actor's canonical name
(completed from the names already in the dataset), a country.

A mode of the reader, as search is (see ``search_bar.py``): focus stays on the article and
the app hands this bar the keys while it is open, in the order they arrive, so a burst
such as ``k⏎`` (take the name offered) lands whole.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rich.text import Text
from textual import events
from textual.widgets import Static

from tui.core.visible import visible

Suggest = Callable[[str], list[str]]


@dataclass(frozen=True, slots=True)
class Answer:
    """What the prompt gives when it closes: the text typed (None: cancelled)."""

    text: str | None


class PromptBar(Static):
    DEFAULT_CSS = """
    PromptBar {
        height: 1;
        background: $boost;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.is_open = False
        self.title = ""
        self.text = ""
        self.options: list[str] = []
        self.index = -1  # the suggestion tab put in the text (-1: none)
        self._suggest: Suggest = lambda _typed: []
        self.display = False

    def open(self, title: str, text: str, suggest: Suggest) -> None:
        """Ask for a value, ``text`` offered (enter takes it as it is)."""
        self.is_open, self.display = True, True
        self.title, self.text, self._suggest = title, text, suggest
        self._typed()

    def refresh_suggestions(self) -> None:
        """The names to suggest have changed (read in a thread): suggest again."""
        if self.is_open and self.index < 0:
            self._typed()

    def take(self, event: events.Key) -> Answer | None:
        """Edit the value with ``event``; when the prompt closes, say what was given."""
        event.stop()
        event.prevent_default()
        key = event.key
        if key in ("enter", "escape"):
            self.is_open, self.display = False, False
            return Answer(self.text.strip() if key == "enter" else None)
        if key in ("tab", "down", "shift+tab", "up") and self.options:
            step = 1 if key in ("tab", "down") else -1
            self.index = (self.index + step) % len(self.options) if self.index >= 0 else (
                0 if step > 0 else len(self.options) - 1)
            self.text = self.options[self.index]
            self._show()
            return None
        if key == "backspace":
            self.text = self.text[:-1]
        elif key == "ctrl+u":
            self.text = ""
        elif event.is_printable and event.character:
            self.text += event.character
        else:
            return None
        self._typed()
        return None

    def paste(self, text: str) -> None:
        self.text += text.split("\n")[0]
        self._typed()

    def _typed(self) -> None:
        self.options, self.index = self._suggest(self.text), -1
        self._show()

    def _show(self) -> None:
        line = Text(no_wrap=True, overflow="ellipsis")
        line.append(f" {visible(self.title)}: ", "bold")
        line.append(visible(self.text))  # literal: typed, pasted or from the data
        line.append("▌", "blink")
        if self.options:
            line.append("   ⇥ ", "dim")
            for n, option in enumerate(self.options[:6]):
                line.append(" · " if n else "", "dim")
                line.append(visible(option), "reverse" if n == self.index else "")
        line.append("   ⏎ set  esc cancel  empty ⏎ clears", "dim")
        self.update(line, layout=False)
