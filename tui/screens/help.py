"""Every key, from the one table in tui/keys.py, and the labels as the text draws them."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.core.model import LabelSet
from tui.core.visible import visible
from tui.keys import TABLE
from tui.widgets.palette import Palette


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,question_mark", "dismiss(None)", "Close")]

    def __init__(self, labels: LabelSet, colours: str = "truecolor") -> None:
        super().__init__()
        self.palette = Palette(labels, colours)

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help"):
            labels = Table(title="Labels", expand=True)
            labels.add_column("key", width=12)
            labels.add_column("label")
            for label in self.palette.labels.labels:
                # names are data: a Text, never markup
                labels.add_row(Text(visible(label.key) or "-"),
                               Text(visible(label.name), self.palette.tag(label.name)))
            yield Static(labels)
            for group, keys in TABLE.items():
                table = Table(title=group, expand=True)
                table.add_column("key", width=12)
                table.add_column("does")
                for key in keys:
                    table.add_row(Text(key.shown), Text(key.description))
                yield Static(table)
            yield Static("escape closes", classes="help-foot")
