"""The search prompt of the reader: `/ query▌`.

Search is a mode of the reader, not a focused input box. Keys can arrive in bursts (a fast
typist, a paste, SSH), and Textual picks the widget for each key when the key is routed,
before the keys ahead of it are handled, and it resolves bindings only once a key has
bubbled up to the app. With a focus change or a binding in the middle, the keys after `/`
or after enter went astray. So focus stays on the article, and the reader screen's own key
handler opens this bar on `/` and feeds it the keys, in the order they arrive.
"""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static


class SearchBar(Static):
    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.query_text = ""
        self.display = False

    def open(self, initial: str) -> None:
        self.query_text = initial
        self.display = True
        self._show()

    def close(self) -> None:
        self.display = False

    def type(self, text: str) -> None:
        self.query_text += text
        self._show()

    def backspace(self) -> None:
        self.query_text = self.query_text[:-1]
        self._show()

    def clear(self) -> None:
        self.query_text = ""
        self._show()

    def _show(self) -> None:
        line = Text(no_wrap=True, overflow="ellipsis")
        line.append(" / ", "bold")
        line.append(self.query_text)  # literal: never parsed as markup
        line.append("▌", "blink")
        line.append("   enter: find   escape: cancel   n / N: next / previous", "dim")
        self.update(line, layout=False)
