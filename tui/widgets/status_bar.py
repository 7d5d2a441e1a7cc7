"""One line at the foot of the reader: who, where, which mode, and whether it is saved."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.widgets import Static

from tui.core.visible import visible


@dataclass(frozen=True, slots=True)
class StatusLine:
    analyst: str
    place: str  # "article 2 / 7"
    mode: str  # "word" or "char"
    cursor: str  # "at 10 of 3,839" or "sel 10–15 of 3,839"
    saved: str  # the focused article's last save, or why it failed
    error: bool = False


class StatusBar(Static):
    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._shown: StatusLine | None = None

    def show(self, line: StatusLine) -> None:
        if line == self._shown:
            return
        self._shown = line
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(f" {visible(line.analyst)} ", "bold reverse")
        text.append(f"  {line.place}  ")
        text.append(f"{line.mode} mode", "bold")
        text.append(f"  {line.cursor}  ")
        text.append(line.saved, "bold white on red" if line.error else "green")
        self.update(text, layout=False)  # one fixed row: never worth a layout pass
        self.set_class(line.error, "-error")
