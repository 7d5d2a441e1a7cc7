"""Edits: what one key does to an article, as a list of changes.

A change takes one span from ``before`` to ``after`` (None: absent): adding is None -> span,
removing is span -> None, relabelling, resizing or setting an attribute is span -> the same
span id changed. A link change adds or removes one relation (a claim's SOURCE, its ABOUT).
An edit is every change one key made (labelling every occurrence of a name, removing a span
with its links, replacing a claim's source), so it is undone, redone and saved as one.
"""

from __future__ import annotations

from dataclasses import dataclass

from tui.core.document.model import Relation, Span
from tui.core.language.visible import visible


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
class LinkChange:
    """A relation added (None -> relation) or removed (relation -> None). ``head`` and
    ``child`` are its spans as they were when the edit was made: what the status line
    names."""

    before: Relation | None
    after: Relation | None
    head: Span
    child: Span

    def inverse(self) -> LinkChange:
        return LinkChange(self.after, self.before, self.head, self.child)

    @property
    def relation(self) -> Relation:
        relation = self.after or self.before
        assert relation is not None, "a link change holds a relation"
        return relation

    @property
    def is_removal(self) -> bool:
        return self.after is None


Step = Change | LinkChange


@dataclass(frozen=True, slots=True)
class Edit:
    doc_id: str
    changes: tuple[Change, ...]
    links: tuple[LinkChange, ...] = ()

    @classmethod
    def adding(cls, doc_id: str, *spans: Span) -> Edit:
        return cls(doc_id, tuple(Change(None, span) for span in spans))

    @classmethod
    def removing(cls, doc_id: str, span: Span) -> Edit:
        return cls(doc_id, (Change(span, None),))

    @classmethod
    def replacing(cls, doc_id: str, before: Span, after: Span) -> Edit:
        return cls(doc_id, (Change(before, after),))

    def steps(self) -> tuple[Step, ...]:
        """Every change in the order it is applied and saved: links removed first, then the
        spans, then links added, so that no link ever names a span that is not there."""
        gone = tuple(link for link in self.links if link.after is None)
        made = tuple(link for link in self.links if link.after is not None)
        return (*gone, *self.changes, *made)

    def inverse(self) -> Edit:
        """The edit that undoes this one: each change reversed, the last undone first."""
        return Edit(self.doc_id, tuple(c.inverse() for c in reversed(self.changes)),
                    tuple(link.inverse() for link in reversed(self.links)))

    def ranges(self) -> list[tuple[int, int]]:
        """Every stretch of text the edit touches (both extents of a resized span, both
        spans of a link)."""
        out = []
        for change in self.changes:
            for span in (change.before, change.after):
                if span is not None:
                    out.append((span.start, span.end))
        for link in self.links:
            out += [(link.head.start, link.head.end), (link.child.start, link.child.end)]
        return out

    def describe(self, room: int = 40) -> str:
        """One line for the status bar: ``CLAIM “Ukraine agreed…”``, ``removal of …``,
        ``SOURCE “Zelensky” of “the talks…”``, ``quote=direct on CLAIM “…”``."""
        spans = [c for c in self.changes if not _attributes_only(c)]
        if not spans:  # a link made says the most; then a value set; then a link removed
            setting = any(_sets_a_value(c) for c in self.changes)
            if any(link.after for link in self.links) or (self.links and not setting):
                return self._describe_links(room)
            unlinked = f" ({_count(len(self.links), 'link')} removed)" if self.links else ""
            return self._describe_attributes(room) + unlinked
        first = spans[0]
        span = first.span
        quoted = f"{span.label} “{cut(span.text, room)}”"
        links = f" and {_count(len(self.links), 'link')}" if self.links else ""
        if len(spans) > 1:
            return f"{len(spans)} spans, {quoted} first{links}"
        if first.before is None:
            return quoted + links
        if first.after is None:
            return f"removal of {quoted}{links}"
        if (first.before.start, first.before.end) != (span.start, span.end):
            return f"{quoted} resized"
        return f"{quoted} (was {first.before.label}){links}"

    def _describe_links(self, room: int) -> str:
        made = [link for link in self.links if link.after is not None]
        link = made[0] if made else self.links[0]
        relation = link.relation
        words = f"{relation.label} “{cut(link.child.text, room // 2)}” of “" \
            f"{cut(link.head.text, room)}”"
        if not made:
            return f"removal of {words}"
        gone = [g for g in self.links if g.after is None and g.relation.label ==
                relation.label and g.head.id == link.head.id]
        if gone:
            return f"{words} (was “{cut(gone[0].child.text, room // 2)}”)"
        return words

    def _describe_attributes(self, room: int) -> str:
        change = self.changes[0]
        assert change.before is not None and change.after is not None
        before, after = dict(change.before.attributes), dict(change.after.attributes)
        name = next((k for k in sorted({*before, *after}) if before.get(k) != after.get(k)),
                    "attributes")
        said = f"{cut(name, 20)}={cut(after[name], room // 2)}" if name in after else \
            f"{cut(name, 20)} cleared"
        span = change.span
        more = f" (and {len(self.changes) - 1} more)" if len(self.changes) > 1 else ""
        return f"{said} on {span.label} “{cut(span.text, room)}”{more}"


def _attributes_only(change: Change) -> bool:
    """Only the attributes changed (not the extent, nor the label)."""
    before, after = change.before, change.after
    return before is not None and after is not None and before.key == after.key and \
        before.attributes != after.attributes


def _sets_a_value(change: Change) -> bool:
    before, after = change.before, change.after
    return before is not None and after is not None and any(
        before.attribute(name) != value for name, value in after.attributes)


def _count(n: int, what: str) -> str:
    return f"{n} {what}" if n == 1 else f"{n} {what}s"


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
