"""Every key, from the one table in tui/keys.py (with the analyst's keymap, if any), and the
labels as the text draws them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.core.model import LabelSet
from tui.core.visible import visible
from tui.keys import bindings, rows
from tui.widgets.palette import Palette


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = list(bindings("help"))

    def __init__(self, labels: LabelSet, colours: str = "truecolor",
                 keymap: Mapping[str, str] | None = None) -> None:
        """``keymap``: the keys the analyst gave (id: keys), shown in place of the table's."""
        super().__init__()
        self.palette = Palette(labels, colours)
        self.keymap = keymap

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
            for group, keys in rows(self.keymap).items():
                table = Table(title=group, expand=True)
                table.add_column("key", width=12)
                table.add_column("does")
                for key in keys:
                    table.add_row(Text(key.shown), Text(key.description))
                yield Static(table)
            yield Static("escape closes", classes="help-foot")
