"""Edits: what one key does to an article, as a list of changes.

A change takes one span from ``before`` to ``after`` (None: absent): adding is None -> span,
removing is span -> None, relabelling or resizing is span -> the same span id with another
label or extent. An edit is every change one key made (labelling every occurrence of a name
is one edit of many changes), so it is undone, redone and saved as one. Relations (issue 9)
will join as changes of their own kind in the same list.
"""

from __future__ import annotations

from dataclasses import dataclass

from tui.core.model import Span
from tui.core.visible import visible


@dataclass(frozen=True, slots=True)
class Change:
    before: Span | None
    after: Span | None

    def inverse(self) -> Change:
        return Change(self.after, self.before)

    @property
    def span(self) -> Span:
        """The span as it is after the change (as it was, for a removal)."""
        span = self.after or self.before
        assert span is not None, "a change holds at least one span"
        return span

    @property
    def is_removal(self) -> bool:
        return self.after is None


@dataclass(frozen=True, slots=True)
class Edit:
    doc_id: str
    changes: tuple[Change, ...]

    @classmethod
    def adding(cls, doc_id: str, *spans: Span) -> Edit:
        return cls(doc_id, tuple(Change(None, span) for span in spans))

    @classmethod
    def removing(cls, doc_id: str, span: Span) -> Edit:
        return cls(doc_id, (Change(span, None),))

    @classmethod
    def replacing(cls, doc_id: str, before: Span, after: Span) -> Edit:
        return cls(doc_id, (Change(before, after),))

    def inverse(self) -> Edit:
        """The edit that undoes this one: each change reversed, the last undone first."""
        return Edit(self.doc_id, tuple(c.inverse() for c in reversed(self.changes)))

    def ranges(self) -> list[tuple[int, int]]:
        """Every stretch of text the edit touches (both extents of a resized span)."""
        out = []
        for change in self.changes:
            for span in (change.before, change.after):
                if span is not None:
                    out.append((span.start, span.end))
        return out

    def describe(self, room: int = 40) -> str:
        """One line for the status bar: ``CLAIM “Ukraine agreed…”``, ``removal of …``."""
        first = self.changes[0]
        span = first.span
        quoted = f"{span.label} “{cut(span.text, room)}”"
        if len(self.changes) > 1:
            return f"{len(self.changes)} spans, {quoted} first"
        if first.before is None:
            return quoted
        if first.after is None:
            return f"removal of {quoted}"
        if (first.before.start, first.before.end) != (span.start, span.end):
            return f"{quoted} resized"
        return f"{quoted} (was {first.before.label})"


def cut(text: str, room: int) -> str:
    """``text`` on one safe line of at most ``room`` characters, ``…`` where it is cut (at
    a word's end, when one is near)."""
    line = visible(text)
    if len(line) <= room:
        return line
    kept = line[: max(room - 1, 1)]
    space = kept.rfind(" ")
    if space > len(kept) - 12 and space > 0 and line[len(kept)] != " ":
        kept = kept[:space]
    return kept.rstrip() + "…"
