"""One article as this process holds it: the one truth every pane and span list observes.

The model keeps the article's spans sorted in text order (by start, the outer before the
inner), answers lookups at an offset and over a range by bisection, holds the relations
between them (a claim's SOURCE and ABOUT links) indexed by either end, knows which spans
and links are not on disk yet, and applies edits. Each change is announced at once to the observers
(plain callbacks): the views redraw the rows it touches and the span lists their rows, in
the frame of the key. Saving is the save queue's job; it reports back through
:meth:`saved`. Two panes showing one article share one model (see :class:`ModelRegistry`),
so a label made in either is in both.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right, insort
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from tui.core.document.edits import Change, Edit, LinkChange, Step, cut
from tui.core.document.history import History
from tui.core.document.model import Document, GlossError, LabelSet, Relation, Span
from tui.core.document.schema import SOURCE
from tui.core.store.dataset import Article


def order(span: Span) -> tuple[int, int, str, str, str]:
    """Text order: by start, the outer before the inner, then a stable tie-break."""
    return (span.start, -span.end, span.label, span.annotator, span.id)


@dataclass(frozen=True, slots=True)
class Report:
    """What the status bar says about saving this article."""

    message: str
    error: bool = False


@dataclass(frozen=True, slots=True)
class ModelEvent:
    """Announced to observers: which stretches of text changed, and why."""

    model: ArticleModel
    kind: str  # "edit" (spans or links changed) or "saved" (only saved marks or the report)
    ranges: tuple[tuple[int, int], ...] = ()
    edit: Edit | None = None  # the edit applied or saved


Observer = Callable[[ModelEvent], None]


class ArticleModel:
    def __init__(self, article: Article, annotator: str, labels: LabelSet | None = None
                 ) -> None:
        self.document: Document = article.document
        self.doc_id = article.document.id
        self.text = article.document.text
        self.annotator = annotator
        self.labels = labels or LabelSet.default()
        self.status = dict(article.status)
        self.rejected = list(article.rejected)  # the suggestions rejected here (rows)
        self.spans: list[Span] = sorted(article.spans, key=order)
        self._links: dict[str, Relation] = {}
        self._from: dict[str, list[Relation]] = {}  # span id -> the links it heads
        self._to: dict[str, list[Relation]] = {}  # span id -> the links that point at it
        for relation in article.relations:
            self._add_link(relation)
        self._todo: tuple[int, list[Span]] = (-1, [])
        self._claim_labels = {r.head for r in self.labels.relations if r.name == SOURCE}
        self._by_id = {s.id: s for s in self.spans}
        self._labelled: dict[str, list[Span]] = {}  # label -> its spans, in text order
        for span in self.spans:
            self._labelled.setdefault(span.label, []).append(span)
        self._keys = {s.key: s.id for s in self.spans}
        self._longest = max((len(s) for s in self.spans), default=0)
        self.history = History()
        self.report = Report("nothing to save yet")
        self._pending: Counter[str] = Counter()  # span or link id -> saves under way
        self._failed: set[str] = set()  # span and link ids whose last save failed (`r`)
        self._observers: list[Observer] = []
        self.version = 0  # bumped by every change of the spans or links
        self._many = (-1, False)  # (version, more than one analyst's spans)

    # -- observing -------------------------------------------------------------------

    def observe(self, observer: Observer) -> Callable[[], None]:
        """Call ``observer`` on every change; returns the function that stops it."""
        self._observers.append(observer)
        return lambda: self._observers.remove(observer) if observer in self._observers \
            else None

    def _announce(self, kind: str, ranges: tuple[tuple[int, int], ...], edit: Edit) -> None:
        event = ModelEvent(self, kind, ranges, edit)
        for observer in list(self._observers):
            observer(event)

    # -- lookups ---------------------------------------------------------------------

    def get(self, span_id: str) -> Span | None:
        return self._by_id.get(span_id)

    def overlapping(self, start: int, end: int, only: str | None = None) -> list[Span]:
        """Spans that share at least one character with [start, end), in text order; a
        span that starts before ``start`` is found by the longest span's reach."""
        low = bisect_left(self.spans, start - self._longest, key=lambda s: s.start)
        high = bisect_right(self.spans, end, key=lambda s: s.start)
        return [s for s in self.spans[low:high] if s.start < end and s.end > start
                and (only is None or s.annotator == only)]

    def at(self, offset: int, only: str | None = None) -> list[Span]:
        """The spans covering ``offset``, innermost (shortest) first."""
        return sorted(self.overlapping(offset, offset + 1, only), key=len)

    def with_extent(self, start: int, end: int, annotator: str) -> list[Span]:
        return [s for s in self.overlapping(start, end, annotator)
                if (s.start, s.end) == (start, end)]

    def find(self, start: int, end: int, label: str, annotator: str) -> Span | None:
        """The span with exactly this extent, label and analyst, if there is one."""
        span_id = self._keys.get((start, end, label, annotator))
        return self._by_id.get(span_id) if span_id else None

    def index(self, span: Span) -> int:
        """Where ``span`` is in text order (where it would go, if it is not there)."""
        return bisect_left(self.spans, order(span), key=order)

    def first_from(self, offset: int) -> int:
        """The index of the first span starting at or after ``offset``."""
        return bisect_left(self.spans, offset, key=lambda s: s.start)

    def of(self, annotator: str | None) -> Iterator[Span]:
        return (s for s in self.spans if annotator is None or s.annotator == annotator)

    def many_analysts(self) -> bool:
        """Has the article the spans of more than one analyst? (Worked out again only
        after an edit.)"""
        if self._many[0] != self.version:
            first = self.spans[0].annotator if self.spans else ""
            self._many = (self.version, any(s.annotator != first for s in self.spans))
        return self._many[1]

    def labelled(self, label: str) -> list[Span]:
        """The spans of ``label`` in text order (not to be changed): a link key ranks
        every actor, a third of the spans, without reading the other two thirds."""
        return self._labelled.get(label, [])

    def snapshot(self) -> Article:
        """The article as it is in this process now (its unsaved edits too)."""
        return Article(self.document, list(self.spans), dict(self.status), 0, self.relations)

    # -- links -----------------------------------------------------------------------

    @property
    def relations(self) -> list[Relation]:
        return list(self._links.values())

    def links_from(self, span_id: str, label: str | None = None) -> list[Relation]:
        """The links ``span_id`` heads (a claim's SOURCE and ABOUT), oldest first."""
        return [r for r in self._from.get(span_id, ()) if label is None or r.label == label]

    def links_to(self, span_id: str, label: str | None = None) -> list[Relation]:
        """The links that point at ``span_id`` (the claims an actor is the source of)."""
        return [r for r in self._to.get(span_id, ()) if label is None or r.label == label]

    def links_of(self, span_id: str) -> list[Relation]:
        return [*self._from.get(span_id, ()), *self._to.get(span_id, ())]

    def link(self, head: str, child: str, label: str) -> Relation | None:
        return next((r for r in self._from.get(head, ()) if r.child == child
                     and r.label == label), None)

    def todo(self) -> list[Span]:
        """This analyst's claims still to do: no SOURCE link and no ``source_kind``, in
        text order (worked out again only after an edit, and after an edit of this model
        only for the spans it touched)."""
        if self._todo[0] != self.version:
            self._todo = (self.version, [s for s in self.spans if self._to_do(s)])
        return self._todo[1]

    def _to_do(self, span: Span) -> bool:
        return span.label in self._claim_labels and span.annotator == self.annotator \
            and span.attribute("source_kind") is None and not self.links_from(span.id, SOURCE)

    def _carry_todo(self, touched: set[str]) -> None:
        """The claims to do after an edit that touched only these spans (their links too),
        from those before it: a scan of 5,000 spans is a millisecond of every key's frame."""
        version, todo = self._todo
        if version != self.version - 1:
            return  # not asked for since an earlier edit: worked out afresh when it is
        kept = [s for s in todo if s.id not in touched]
        for span in map(self._by_id.get, touched):
            if span is not None and self._to_do(span):
                insort(kept, span, key=order)
        self._todo = (self.version, kept)

    def _add_link(self, relation: Relation) -> None:
        self._links[relation.id] = relation
        self._from.setdefault(relation.head, []).append(relation)
        self._to.setdefault(relation.child, []).append(relation)

    def _drop_link(self, relation_id: str) -> Relation | None:
        relation = self._links.pop(relation_id, None)
        if relation is not None:
            for index, end in ((self._from, relation.head), (self._to, relation.child)):
                kept = [r for r in index.get(end, ()) if r.id != relation_id]
                if kept:
                    index[end] = kept
                else:
                    index.pop(end, None)
        return relation

    # -- edits -----------------------------------------------------------------------

    def check(self, edit: Edit) -> str | None:
        """Why ``edit`` cannot be applied (it would make a span or a link twice, or link a
        span that is not there), or None."""
        gone = {c.before.id for c in edit.changes if c.before is not None}
        made: set[tuple[int, int, str, str]] = set()
        for change in edit.changes:
            after = change.after
            if after is None:
                continue
            there = self._keys.get(after.key)
            if (there is not None and there not in gone and there != after.id) \
                    or after.key in made:
                return f"{after.label} “{after.text[:40]}” is already there"
            made.add(after.key)
        kept = {c.after.id for c in edit.changes if c.after}

        def present(span_id: str) -> bool:  # not a set of every span id: one an edit
            return span_id in kept or (span_id in self._by_id and span_id not in gone)

        unlinked = {link.before.id for link in edit.links if link.before is not None}
        linked: set[tuple[str, str, str]] = set()
        for link in edit.links:
            after = link.after
            if after is None:
                continue
            if not (present(after.head) and present(after.child)):
                return f"{after.label}: a span of the link is not there any more"
            there = self.link(*after.key)
            if (there is not None and there.id not in unlinked and there.id != after.id) \
                    or after.key in linked:
                return f"{after.label} “{cut(link.child.text, 30)}” of “" \
                    f"{cut(link.head.text, 40)}” is already there"
            linked.add(after.key)
        return None

    def apply(self, edit: Edit) -> None:
        """Apply every change, mark the spans and links unsaved and announce it (one
        event, with the rows of every span linked to a changed one: a claim's row shows
        its source's name)."""
        if edit.doc_id != self.doc_id:
            raise GlossError(f"an edit of {edit.doc_id} applied to {self.doc_id}")
        ranges = edit.ranges()
        touched: set[str] = set()  # the spans whose links or attributes may have changed
        for step in edit.steps():
            if isinstance(step, LinkChange):
                if step.before is not None:
                    self._drop_link(step.before.id)
                if step.after is not None:
                    self._add_link(step.after)
                self._pending[step.relation.id] += 1
                touched.add(step.relation.head)
                continue
            if step.before is not None:
                self._remove(step.before.id)
                touched.add(step.before.id)
                if step.after is None:  # as on disk: no relation names a span that is gone
                    for relation in self.links_of(step.before.id):
                        self._drop_link(relation.id)
                        touched.add(relation.head)
            if step.after is not None:
                self._insert(step.after)
                touched.add(step.after.id)
            self._pending[step.span.id] += 1
            ranges += self._linked_ranges(step.span.id)
        self.version += 1
        self._carry_todo(touched)
        self.report = Report("saving…")
        self._announce("edit", tuple(ranges), edit)

    def _linked_ranges(self, span_id: str) -> list[tuple[int, int]]:
        ends = {r.head for r in self._to.get(span_id, ())} | \
            {r.child for r in self._from.get(span_id, ())}
        return [(s.start, s.end) for s in map(self._by_id.get, ends) if s is not None]

    # -- saving ----------------------------------------------------------------------

    def is_unsaved(self, item_id: str) -> bool:
        """True while the span (or link) on screen is not the one on disk (saving, or
        failed)."""
        return item_id in self._pending or item_id in self._failed

    def links_unsaved(self, span_id: str) -> bool:
        """Is a link of ``span_id`` not on disk yet?"""
        return any(self.is_unsaved(r.id) for r in self.links_of(span_id))

    @property
    def saving(self) -> bool:
        return bool(self._pending)

    @property
    def failed(self) -> int:
        return len(self._failed)

    def saved(self, edit: Edit, written: int, error: str | None, elapsed_ms: float) -> None:
        """The save queue's answer for ``edit``: its first ``written`` steps (in the order
        of :meth:`Edit.steps`) are on disk; ``error`` says why the next one is not. Called
        on the UI thread."""
        steps = edit.steps()
        for step in steps:
            item = _item_id(step)
            self._pending[item] -= 1
            if self._pending[item] <= 0:
                del self._pending[item]
        for step in steps[:written]:
            self._failed.discard(_item_id(step))
        if error is None:
            self.report = Report(f"saved {edit.describe()} ({elapsed_ms:.1f} ms)")
        else:
            self._keep_failed(steps[written:])
            self.report = Report(f"NOT SAVED: {error} (r retries)", error=True)
        self._announce("saved", tuple(edit.ranges()), edit)

    def _keep_failed(self, steps: tuple[Step, ...]) -> None:
        # The spans first: a link that failed to go is put back only once its spans are
        for step in steps:
            if isinstance(step, LinkChange):
                continue
            if step.after is not None:
                self._failed.add(step.after.id)
            elif step.before is not None and step.before.id not in self._by_id \
                    and step.before.key not in self._keys:
                self._insert(step.before)  # a removal that failed: it is still on disk
                self.version += 1
        for step in steps:
            if not isinstance(step, LinkChange):
                continue
            if step.after is not None:
                if step.after.id in self._links:
                    self._failed.add(step.after.id)
            elif step.before is not None and step.before.id not in self._links and \
                    step.before.head in self._by_id and step.before.child in self._by_id \
                    and self.link(*step.before.key) is None:
                self._add_link(step.before)  # still on disk, as a span removal that failed
                self.version += 1

    def retry(self) -> Edit | None:
        """The edit that saves again what failed, as it is now; None when nothing failed."""
        spans = [self._by_id[i] for i in sorted(self._failed) if i in self._by_id]
        links = [LinkChange(None, self._links[i], self._by_id[self._links[i].head],
                            self._by_id[self._links[i].child])
                 for i in sorted(self._failed) if i in self._links
                 and self._links[i].head in self._by_id and self._links[i].child in self._by_id]
        self._failed.clear()
        if not spans and not links:
            return None
        for item in [*spans, *(link.relation for link in links)]:
            self._pending[item.id] += 1
        self.report = Report("saving…")
        return Edit(self.doc_id, tuple(Change(None, span) for span in spans), tuple(links))

    def _insert(self, span: Span) -> None:
        insort(self.spans, span, key=order)
        insort(self._labelled.setdefault(span.label, []), span, key=order)
        self._by_id[span.id] = span
        self._keys[span.key] = span.id
        self._longest = max(self._longest, len(span))

    def _remove(self, span_id: str) -> Span | None:
        span = self._by_id.pop(span_id, None)
        if span is None:
            return None
        index = self.index(span)
        if index < len(self.spans) and self.spans[index].id == span_id:
            del self.spans[index]
        else:  # never reached: kept sorted by the same key
            self.spans.remove(span)
        labelled = self._labelled[span.label]
        index = bisect_left(labelled, order(span), key=order)
        if index < len(labelled) and labelled[index].id == span_id:
            del labelled[index]
        else:  # never reached, as above
            labelled.remove(span)
        if self._keys.get(span.key) == span_id:
            del self._keys[span.key]
        return span


class ModelRegistry:
    """One model per article id in this process, shared by every pane that shows it.

    A model lives while a pane holds it, and after that until its saves are done; the next
    open reads the article afresh.
    """

    def __init__(self, load: Callable[[str], Article], annotator: str,
                 labels: LabelSet | None = None) -> None:
        self._load = load
        self._annotator = annotator
        self._labels = labels
        self._models: dict[str, ArticleModel] = {}
        self._holders: Counter[str] = Counter()

    def open(self, doc_id: str) -> ArticleModel:
        model = self._models.get(doc_id)
        if model is None:
            model = ArticleModel(self._load(doc_id), self._annotator, self._labels)
            self._models[doc_id] = model
        self._holders[doc_id] += 1
        return model

    def release(self, model: ArticleModel) -> None:
        self._holders[model.doc_id] -= 1
        self.forget_idle()

    def forget_idle(self) -> None:
        for doc_id, model in list(self._models.items()):
            if self._holders[doc_id] <= 0 and not model.saving and not model.failed:
                del self._models[doc_id]
                del self._holders[doc_id]

    def models(self) -> list[ArticleModel]:
        return list(self._models.values())

    def held(self, doc_id: str) -> ArticleModel | None:
        """The model of ``doc_id`` if this process holds one (it has the newest edits)."""
        return self._models.get(doc_id)


def _item_id(step: Step) -> str:
    return step.relation.id if isinstance(step, LinkChange) else step.span.id
