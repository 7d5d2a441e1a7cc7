"""One line at the foot of the reader: who, where, which mode, and whether it is saved."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text
from textual.widgets import Static

from tui.core.visible import visible

if TYPE_CHECKING:
    from tui.widgets.panes import ArticlePane


@dataclass(frozen=True, slots=True)
class StatusLine:
    analyst: str
    place: str  # "article 2 / 7"
    mode: str  # "word" or "char"
    cursor: str  # "at 10 of 3,839" or "sel 10–15 of 3,839"
    saved: str  # the focused article's last save, or why it failed
    error: bool = False


def status_of(analyst: str, order: list[str] | None, pane: ArticlePane, char_mode: bool
              ) -> StatusLine:
    """What the status bar says about the focused pane."""
    view, model = pane.view, pane.model
    place = f"{order.index(pane.doc_id) + 1} / {len(order)}" if order and \
        pane.doc_id in order else "…"
    selection = view.selection
    where = (f"sel {selection[0]}–{selection[1]}" if selection else f"at {view.cursor}") \
        + f" of {len(view.text):,}"
    saved, error = model.report.message, model.report.error
    if model.failed and not model.saving and not error:
        saved, error = f"{model.failed} unsaved (r retries)", True
    return StatusLine(analyst, f"article {place}", "char" if char_mode else "word", where,
                      saved, error)


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
