"""The search box of the reader.

Keys can arrive in bursts (a fast typist, a paste, SSH): Textual routes each key to the
widget focused when the key is dequeued, before the previous one is handled. So `/` opens
this box as a priority binding (the next keys already come here), enter is handled in order
after the typed text (by the box itself), and a key that reaches the box after it closed (the 3 of
``/Kyiv⏎3``) is not typed in but bubbles on to the bindings of what now has focus.
"""

from __future__ import annotations

from collections.abc import Callable

from textual import events
from textual.widgets import Input


class SearchBox(Input):
    def __init__(self, on_search: Callable[[str], None], on_close: Callable[[], None],
                 *, id: str | None = None) -> None:
        super().__init__(placeholder="search, then enter (n / N: next / previous)", id=id)
        self._on_search = on_search
        self._on_close = on_close

    async def _on_key(self, event: events.Key) -> None:
        # Enter and escape are handled here, in order with the typed text, not as bindings
        # (resolved only once the key has bubbled up to the app, after later keys).
        if not self.display:
            event.prevent_default()  # not typed in (Input's own handler is skipped) ...
            return  # ... but it bubbles on to the bindings of what has focus now
        if event.key in ("enter", "escape"):
            event.stop()
            event.prevent_default()
            if event.key == "enter":
                self._on_search(self.value)
            else:
                self._on_close()
            return
        await super()._on_key(event)
