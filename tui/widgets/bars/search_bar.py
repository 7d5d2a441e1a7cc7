"""The search prompt of the reader, `/ query▌`, and the search's state: open or not, what
is typed, the last needle (n and N repeat it).

Search is a mode of the reader, not a focused input box. Keys can arrive in bursts (a fast
typist, a paste, SSH), and Textual picks the widget for each key when the key is routed,
before the keys ahead of it are handled, and it resolves bindings only once a key has
bubbled up to the app. With a focus change or a binding in the middle, the keys after `/`
or after enter went astray. So focus stays on the article, and the app hands this bar the
keys that bubble up while it is open, in the order they arrive (see app.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import events
from textual.widgets import Static

from tui.core.visible import visible


@dataclass(frozen=True, slots=True)
class Search:
    """What the bar asks for when it closes: find ``needle`` (None: cancelled)."""

    needle: str | None
    from_cursor: bool = False


class SearchBar(Static):
    DEFAULT_CSS = """
    SearchBar {
        height: 1;
        background: $boost;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.is_open = False
        self.query_text = ""
        self.needle: str | None = None  # the last search, for n and N
        self.display = False

    def open(self) -> None:
        """Start a search with an empty query, as vim and less do (enter alone repeats)."""
        self.is_open, self.query_text, self.display = True, "", True
        self._show()

    def take(self, event: events.Key) -> Search | None:
        """Edit the open search with ``event``; when it ends, say what to find."""
        event.stop()
        event.prevent_default()
        if event.key in ("enter", "escape"):
            self.is_open, self.display = False, False
            if event.key == "escape":
                return Search(None)
            typed = self.query_text
            self.needle = typed or self.needle
            return Search(self.needle, from_cursor=bool(typed))
        if event.key == "backspace":
            self.query_text = self.query_text[:-1]
        elif event.key == "ctrl+u":
            self.query_text = ""
        elif event.is_printable and event.character:
            self.query_text += event.character
        self._show()
        return None

    def paste(self, text: str) -> None:
        self.query_text += text.split("\n")[0]
        self._show()

    def _show(self) -> None:
        line = Text(no_wrap=True, overflow="ellipsis")
        line.append(" / ", "bold")
        line.append(visible(self.query_text))  # literal, controls shown: a paste may hold any
        line.append("▌", "blink")
        line.append("   enter: find   escape: cancel   n / N: next / previous", "dim")
        self.update(line, layout=False)
