"""Undo and redo of span edits.

An edit takes one span from ``before`` to ``after`` (None: absent): adding is None -> span,
removing is span -> None, relabelling is span -> span with another label. Undoing applies
``after -> before``; both directions are saved through the dataset like any edit.
"""

from __future__ import annotations

from dataclasses import dataclass

from tui.core.model import Span


@dataclass(frozen=True, slots=True)
class Edit:
    doc_id: str
    before: Span | None
    after: Span | None

    def inverse(self) -> Edit:
        return Edit(self.doc_id, self.after, self.before)


class History:
    def __init__(self, limit: int = 1000) -> None:
        self.done: list[Edit] = []
        self.undone: list[Edit] = []
        self.limit = limit

    def record(self, edit: Edit) -> None:
        self.done.append(edit)
        del self.done[: -self.limit]
        self.undone.clear()

    def undo(self) -> Edit | None:
        """The edit that undoes the last one, or None when there is nothing to undo."""
        if not self.done:
            return None
        edit = self.done.pop()
        self.undone.append(edit)
        return edit.inverse()

    def redo(self) -> Edit | None:
        if not self.undone:
            return None
        edit = self.undone.pop()
        self.done.append(edit)
        return edit
