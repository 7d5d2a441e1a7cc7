"""The attribute menu of a span (`m`): each attribute its label has, one line each, every
value behind a letter; a letter sets that value (the value it has already: clears it), a
value typed in full (a canonical name, a country) opens the prompt.

A mode of the reader, as search is: the app hands this bar the keys while it is open.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import events
from textual.widgets import Static

from tui.core.edits import cut
from tui.core.linking import HINTS
from tui.core.visible import visible
from tui.widgets.cells import one_line


@dataclass(frozen=True, slots=True)
class MenuItem:
    name: str  # the attribute
    value: str | None  # None: typed in full, in the prompt
    current: bool = False  # the span has this value now


@dataclass(frozen=True, slots=True)
class Picked:
    """What the menu gives when it closes: the item chosen (None: cancelled)."""

    item: MenuItem | None


# What the keys do, said shorter as the screen narrows (the title is cut last)
HELP = ("   a letter sets (its value again clears)   esc closes",
        "   letter: set (again: clear)  esc closes", "  esc closes")


class MenuBar(Static):
    DEFAULT_CSS = """
    MenuBar {
        height: auto;
        max-height: 8;
        background: $boost;
        border-top: hkey $accent;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.is_open = False
        self.items: list[MenuItem] = []
        self.display = False

    def open(self, title: str, items: list[MenuItem], current: dict[str, str]) -> None:
        """``current``: the span's values, shown beside the attributes typed in full."""
        self.is_open, self.display, self.items = True, True, items[:len(HINTS)]
        text = Text(no_wrap=True, overflow="ellipsis")
        width = self.app.size.width  # the bar's, once shown: the screen's
        # the keys said whole when the title, cut, keeps 24 cells; shorter, then shortest
        hint = next((h for h in HELP if min(len(title), 24) + len(h) + 1 <= width), HELP[-1])
        text.append(f" {one_line(visible(title), max(width - len(hint) - 1, 8)).rstrip()}",
                    "bold")
        text.append(f"{hint}\n", "dim")
        names = list(dict.fromkeys(item.name for item in self.items))
        width = max(map(len, names), default=0)
        for n, name in enumerate(names):
            text.append(f"  {visible(name):<{width}}  ")
            for letter, item in zip(HINTS, self.items, strict=False):
                if item.name != name:
                    continue
                text.append(f" {letter} ", "bold reverse")
                shown = item.value if item.value is not None else (
                    cut(current[name], 30) + " (type)" if name in current else "(type)")
                text.append(f" {visible(shown)}", "bold underline" if item.current else "")
                text.append(" ✓  " if item.current else "    ")
            if n < len(names) - 1:
                text.append("\n")
        self.update(text)

    def take(self, event: events.Key) -> Picked | None:
        event.stop()
        event.prevent_default()
        if event.key == "escape":
            self.close()
            return Picked(None)
        character = event.character or ""
        found = HINTS.find(character) if event.is_printable and len(character) == 1 else -1
        if 0 <= found < len(self.items):
            self.close()
            return Picked(self.items[found])
        return None

    def close(self) -> None:
        self.is_open, self.display = False, False
