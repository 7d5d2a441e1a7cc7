"""Taking one side of a difference, or every agreement, into the reviewed version: as
edits, so that they are shown, undone and saved like any other.

The reviewed version is the reviewer's spans. A span taken from alice is a copy of hers:
annotator the reviewer, ``source`` "alice" (the convention: whose it was; "alice,bob" for
a span both agreed on), a fresh id, her attributes. The links she has between spans the
review holds come with it: its own links (a claim's source and places) and those that
point at it (the claims an actor is the source of), where the claim has room for them.

Taking a side makes the review hold exactly that side there: the review's spans like the
other side's are removed (with their links), and a span of the review that is already
like the side taken gets the side's attributes and links. Taking every agreement only
adds what the review lacks and never changes what the reviewer made.

Pure functions over an :class:`ArticleModel`, as in ``editor.py``: each returns an edit or
the one line saying why there is none.
"""

from __future__ import annotations

from dataclasses import replace

from tui.core.document.edits import Change, Edit, LinkChange
from tui.core.document.model import Relation, Span, new_id, now
from tui.core.editing.article_model import ArticleModel
from tui.core.team.review import LEFT, RIGHT, Comparison, Difference, Key, key_of

Outcome = Edit | str


def take(model: ArticleModel, comparison: Comparison, difference: Difference, which: str,
         reviewer: str) -> Outcome:
    """The edit that makes the review hold ``which`` side (LEFT or RIGHT) of
    ``difference``."""
    chosen = difference.side(which)
    other = difference.side(RIGHT if which == LEFT else LEFT)
    who = comparison.left if which == LEFT else comparison.right
    plan = _Plan(model, reviewer)
    keys = {key_of(s) for s in chosen}
    for span in other:
        there = plan.counterpart(span)
        if there is not None and key_of(span) not in keys:
            plan.remove(there)
    for span in chosen:
        plan.copy(span, who, overwrite=True)
    for span in chosen:
        plan.link_like(span, exact=True)
    edit = plan.edit()
    if edit is None:
        mine = who == reviewer
        return "the review holds that already" if mine or chosen else \
            f"{who} has nothing here, nor has the review"
    return model.check(edit) or edit


def take_agreements(model: ArticleModel, comparison: Comparison, reviewer: str) -> Outcome:
    """The edit that copies into the review every span both sides hold alike, with the
    links between them; what the review has already is left as it is."""
    if not comparison.agreements:
        return "no span is the same on both sides"
    sides = [who for who in (comparison.left, comparison.right) if who != reviewer]
    plan = _Plan(model, reviewer)
    for span, _same in comparison.agreements:
        plan.copy(span, ",".join(sides), overwrite=False)
    for span, _same in comparison.agreements:
        plan.link_like(span, exact=False)
    edit = plan.edit()
    if edit is None:
        return f"the review holds all {len(comparison.agreements)} agreements already"
    return model.check(edit) or edit


class _Plan:
    """The reviewer's spans and links as they will be after the edit being made."""

    def __init__(self, model: ArticleModel, reviewer: str) -> None:
        self.model = model
        self.reviewer = reviewer
        self.removed: dict[str, Span] = {}
        self.changed: dict[str, tuple[Span, Span]] = {}  # id -> (before, after)
        self.added: dict[Key, Span] = {}
        self.unlinked: dict[str, Relation] = {}
        self.linked: list[Relation] = []

    def counterpart(self, span: Span) -> Span | None:
        """The review's span like ``span`` (same extent and label), as it will be."""
        key = key_of(span)
        if key in self.added:
            return self.added[key]
        there = self.model.find(*key, self.reviewer)
        if there is None or there.id in self.removed:
            return None
        return self.changed[there.id][1] if there.id in self.changed else there

    def remove(self, span: Span) -> None:
        self.removed[span.id] = span
        for relation in self.model.links_of(span.id):
            self.unlinked[relation.id] = relation

    def copy(self, span: Span, who: str, overwrite: bool) -> None:
        there = self.counterpart(span)
        if there is None:
            stamp = now()
            self.added[key_of(span)] = Span(  # from a suggestion still, if it was
                span.start, span.end, span.label, span.text, self.reviewer, who, new_id(),
                stamp, stamp, span.attributes, span.origin)
        elif overwrite and there.attributes != span.attributes:
            if key_of(there) in self.added:
                self.added[key_of(there)] = replace(there, attributes=span.attributes)
            else:
                before = self.changed.get(there.id, (there, there))[0]
                self.changed[there.id] = (before, replace(there, attributes=span.attributes,
                                                          updated=now()))

    def links_from(self, head: str, label: str | None = None) -> list[Relation]:
        """The review's links from ``head`` as they will be."""
        kept = [r for r in self.model.links_from(head) if r.id not in self.unlinked]
        return [r for r in [*kept, *(r for r in self.linked if r.head == head)]
                if label is None or r.label == label]

    def link_like(self, span: Span, exact: bool) -> None:
        """Give the review's copy of ``span`` the links ``span`` has to and from spans
        the review holds; ``exact``: and none of its own that ``span`` has not."""
        mine = self.counterpart(span)
        assert mine is not None, "copied before it is linked"
        wanted = set()
        for relation in self.model.links_from(span.id):
            child = self.model.get(relation.child)
            theirs = self.counterpart(child) if child is not None else None
            if theirs is not None:
                wanted.add((relation.label, theirs.id))
        if exact:
            for relation in self.links_from(mine.id):
                if (relation.label, relation.child) not in wanted:
                    self._unlink(relation)
        for label, child in sorted(wanted):
            self._link(mine.id, child, label)
        for relation in self.model.links_to(span.id):
            head = self.model.get(relation.head)
            theirs = self.counterpart(head) if head is not None else None
            if theirs is not None:
                self._link(theirs.id, mine.id, relation.label)

    def _unlink(self, relation: Relation) -> None:
        if relation in self.linked:
            self.linked.remove(relation)
        else:
            self.unlinked[relation.id] = relation

    def _link(self, head: str, child: str, label: str) -> None:
        """Link, unless that link is there or the head has no room left for it."""
        current = self.links_from(head, label)
        if any(r.child == child for r in current):
            return
        kind = self.model.labels.relation(label)
        if kind is not None and kind.most is not None and len(current) >= kind.most:
            return
        self.linked.append(Relation(head, child, label, self.reviewer))

    def edit(self) -> Edit | None:
        spans = {**{s.id: s for s in self.model.spans}, **{s.id: s for s in
                                                            self.added.values()}}
        for _before, after in self.changed.values():
            spans[after.id] = after
        changes = [Change(s, None) for s in self.removed.values()]
        changes += [Change(before, after) for before, after in self.changed.values()]
        changes += [Change(None, s) for s in self.added.values()]
        links = [LinkChange(r, None, spans[r.head], spans[r.child])
                 for r in self.unlinked.values()]
        links += [LinkChange(None, r, spans[r.head], spans[r.child]) for r in self.linked]
        if not changes and not links:
            return None
        return Edit(self.model.doc_id, tuple(changes), tuple(links))
