"""Undo and redo of edits.

Undoing applies the inverse of the last edit; redoing applies it again. Both are applied,
shown and saved like any other edit, so the history only keeps the edits, never state.
"""

from __future__ import annotations

from tui.core.document.edits import Edit


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
