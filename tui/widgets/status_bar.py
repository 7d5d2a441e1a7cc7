"""One line at the foot of the reader: who, where, which mode, and whether it is saved."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static


class StatusBar(Static):
    def show(self, analyst: str, place: str, mode: str, cursor: str, saved: str,
             error: bool) -> None:
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(f" {analyst} ", "bold reverse")
        text.append(f"  {place}  ")
        text.append(f"{mode} mode", "bold")
        text.append(f"  {cursor}  ")
        text.append(saved, "bold white on red" if error else "green")
        self.update(text, layout=False)  # one fixed row: never worth a layout pass
        self.set_class(error, "-error")
