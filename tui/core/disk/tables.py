"""One article file's tables while one save changes them: the rules of every write.

A save is one locked read-modify-write of the file (``Dataset._tables``); this is the
modify. An edit made with one key (labelling every occurrence, taking 800 agreements into
a review) is many steps in one write: the rows are looked up by id and by key in indexes
made once, so 800 steps cost 800 lookups, not 800 scans of the file's rows. The rules:

- a span is saved by id (insert or replace: a retry is safe); a span with the same extent,
  label and analyst as another one already there (made by another process) is not saved
  twice: that one is kept and returned;
- removing a span removes its links: no link ever names a span that is not in the file;
- a link is saved only when both its spans are there (the steps of an edit remove links
  first, then change spans, then add links: ``Edit.steps``), and not twice: one with the
  same head, child and label is kept and returned;
- a step that cannot be saved (a link to a span that is not there) fails the whole save,
  and nothing is written. A step of an edit that removes what is not there (it never
  reached the disk, or another process removed it) has nothing to do; asked for alone
  (``remove_span``), it is an error.
"""

from __future__ import annotations

from operator import itemgetter
from typing import Any

from tui.core.disk.article_file import next_key, span_key
from tui.core.document.edits import LinkChange, Step
from tui.core.document.model import GlossError, Relation, Span

_ID = itemgetter("id")
_KEY = itemgetter("start", "end", "label", "annotator")  # a checked row has them all


class ArticleTables:
    def __init__(self, doc_id: str, tables: dict[str, Any]) -> None:
        self.doc_id = doc_id
        self.spans: dict[str, Any] = tables.setdefault("spans", {})
        self.links: dict[str, Any] = tables.setdefault("relations", {})
        self.status: dict[str, Any] = tables.setdefault("status", {})
        self._span_place: dict[str, str] | None = None  # span id -> its row's key
        self._span_of: dict[tuple[Any, ...], str] = {}  # span key -> span id
        self._link_place: dict[str, str] | None = None
        self._link_of: dict[tuple[str, str, str], str] = {}
        self._free_span = self._free_link = 0

    # -- spans -----------------------------------------------------------------------

    def _span_index(self) -> dict[str, str]:
        if self._span_place is None:  # in C: a save of one span on a 5,000-span article
            rows = self.spans.values()
            self._span_place = dict(zip(map(_ID, rows), self.spans, strict=True))
            self._span_of = dict(zip(map(_KEY, rows), map(_ID, rows), strict=True))
            self._free_span = next_key(self.spans)
        return self._span_place

    def save_span(self, span: Span) -> Span:
        places = self._span_index()
        there = self._span_of.get(span.key)
        if there is not None and there != span.id:
            return Span.from_record(self.spans[places[there]])
        place = places.get(span.id)
        if place is None:
            place = places[span.id] = str(self._free_span)
            self._free_span += 1
        else:
            old = self.spans[place]
            if self._span_of.get(span_key(old)) == span.id:
                del self._span_of[span_key(old)]
        self.spans[place] = span.to_record()
        self._span_of[span.key] = span.id
        return span

    def remove_span(self, span_id: str) -> Span:
        places = self._span_index()
        place = places.pop(span_id, None)
        if place is None:
            raise GlossError(f"article {self.doc_id} has no span {span_id}")
        row = self.spans.pop(place)
        if self._span_of.get(span_key(row)) == span_id:
            del self._span_of[span_key(row)]
        gone = [key for key, r in self.links.items() if span_id in (r["head"], r["child"])]
        if gone:
            for key in gone:  # a relation never points at a span that is gone
                del self.links[key]
            self._link_place = None
        return Span.from_record(row)

    def relabel_span(self, span_id: str, label: str) -> Span:
        place = self._span_index().get(span_id)
        if place is None:
            raise GlossError(f"article {self.doc_id} has no span {span_id}")
        return self.save_span(Span.from_record(self.spans[place]).relabelled(label))

    def has_span(self, span_id: str) -> bool:
        return span_id in self._span_index()

    # -- links -----------------------------------------------------------------------

    def _link_index(self) -> dict[str, str]:
        if self._link_place is None:
            self._link_place = {row["id"]: key for key, row in self.links.items()}
            self._link_of = {(r["head"], r["child"], r["label"]): r["id"]
                             for r in self.links.values()}
            self._free_link = next_key(self.links)
        return self._link_place

    def save_relation(self, relation: Relation) -> Relation:
        missing = [i for i in (relation.head, relation.child) if not self.has_span(i)]
        if missing:
            raise GlossError(f"article {self.doc_id} has no span {missing[0]} to link")
        places = self._link_index()
        there = self._link_of.get(relation.key)
        if there is not None and there != relation.id:
            return Relation.from_record(self.links[places[there]])
        place = places.get(relation.id)
        if place is None:
            place = places[relation.id] = str(self._free_link)
            self._free_link += 1
        else:
            old = self.links[place]
            self._link_of.pop((old["head"], old["child"], old["label"]), None)
        self.links[place] = relation.to_record()
        self._link_of[relation.key] = relation.id
        return relation

    def remove_relation(self, relation_id: str) -> Relation:
        place = self._link_index().pop(relation_id, None)
        if place is None:
            raise GlossError(f"article {self.doc_id} has no relation {relation_id}")
        row = self.links.pop(place)
        self._link_of.pop((row["head"], row["child"], row["label"]), None)
        return Relation.from_record(row)

    # -- edits -----------------------------------------------------------------------

    def apply(self, step: Step) -> None:
        """One step of an edit (see ``Edit.steps`` for their order)."""
        if isinstance(step, LinkChange):
            if step.after is not None:
                self.save_relation(step.after)
            elif step.before is not None and step.before.id in self._link_index():
                self.remove_relation(step.before.id)
        elif step.after is not None:
            self.save_span(step.after)
        elif step.before is not None and self.has_span(step.before.id):
            self.remove_span(step.before.id)
