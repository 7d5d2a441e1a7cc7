"""Every key, from the one table in tui/keys.py."""

from __future__ import annotations

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.core.model import LabelSet
from tui.keys import TABLE


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,question_mark", "dismiss(None)", "Close")]

    def __init__(self, labels: LabelSet) -> None:
        super().__init__()
        self.labels = labels

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            labels = Table(title="Labels", expand=True)
            labels.add_column("key", width=12)
            labels.add_column("label")
            for label in self.labels.labels:
                labels.add_row(label.key or "-", f"[bold {label.colour}]{label.name}[/]")
            yield Static(labels)
            for group, keys in TABLE.items():
                table = Table(title=group, expand=True)
                table.add_column("key", width=12)
                table.add_column("does")
                for key in keys:
                    table.add_row(key.shown, key.description, style=None)
                yield Static(table)
            yield Static("escape closes", classes="help-foot")
