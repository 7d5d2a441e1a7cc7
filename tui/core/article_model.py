"""One article as this process holds it: the one truth every pane and span list observes.

The model keeps the article's spans sorted in text order (by start, the outer before the
inner), answers lookups at an offset and over a range by bisection, knows which spans are
not on disk yet, and applies edits. Each change is announced at once to the observers
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

from tui.core.dataset import Article
from tui.core.edits import Change, Edit
from tui.core.history import History
from tui.core.model import Document, GlossError, Relation, Span


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
    kind: str  # "edit" (spans changed) or "saved" (only their saved marks or the report)
    ranges: tuple[tuple[int, int], ...] = ()


Observer = Callable[[ModelEvent], None]


class ArticleModel:
    def __init__(self, article: Article, annotator: str) -> None:
        self.document: Document = article.document
        self.doc_id = article.document.id
        self.text = article.document.text
        self.annotator = annotator
        self.status = dict(article.status)
        self.relations: list[Relation] = list(article.relations)
        self.spans: list[Span] = sorted(article.spans, key=order)
        self._by_id = {s.id: s for s in self.spans}
        self._keys = {s.key: s.id for s in self.spans}
        self._longest = max((len(s) for s in self.spans), default=0)
        self.history = History()
        self.report = Report("nothing to save yet")
        self._pending: Counter[str] = Counter()  # span id -> saves under way
        self._failed: set[str] = set()  # span ids whose last save failed (`r` retries)
        self._observers: list[Observer] = []
        self.version = 0  # bumped by every change of the spans

    # -- observing -------------------------------------------------------------------

    def observe(self, observer: Observer) -> Callable[[], None]:
        """Call ``observer`` on every change; returns the function that stops it."""
        self._observers.append(observer)
        return lambda: self._observers.remove(observer) if observer in self._observers \
            else None

    def _announce(self, kind: str, ranges: tuple[tuple[int, int], ...]) -> None:
        event = ModelEvent(self, kind, ranges)
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

    # -- edits -----------------------------------------------------------------------

    def check(self, edit: Edit) -> str | None:
        """Why ``edit`` cannot be applied (it would make a span twice), or None."""
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
        return None

    def apply(self, edit: Edit) -> None:
        """Apply every change, mark the spans unsaved and announce it (one event)."""
        if edit.doc_id != self.doc_id:
            raise GlossError(f"an edit of {edit.doc_id} applied to {self.doc_id}")
        for change in edit.changes:
            if change.before is not None:
                self._remove(change.before.id)
                if change.after is None:  # as on disk: no relation names a span that is gone
                    self.relations = [r for r in self.relations
                                      if change.before.id not in (r.head, r.child)]
            if change.after is not None:
                self._insert(change.after)
            self._pending[change.span.id] += 1
        self.version += 1
        self.report = Report("saving…")
        self._announce("edit", tuple(edit.ranges()))

    # -- saving ----------------------------------------------------------------------

    def is_unsaved(self, span_id: str) -> bool:
        """True while the span on screen is not the one on disk (saving, or failed)."""
        return span_id in self._pending or span_id in self._failed

    @property
    def saving(self) -> bool:
        return bool(self._pending)

    @property
    def failed(self) -> int:
        return len(self._failed)

    def saved(self, edit: Edit, written: int, error: str | None, elapsed_ms: float) -> None:
        """The save queue's answer for ``edit``: its first ``written`` changes are on disk;
        ``error`` says why the next one is not. Called on the UI thread."""
        for change in edit.changes:
            span_id = change.span.id
            self._pending[span_id] -= 1
            if self._pending[span_id] <= 0:
                del self._pending[span_id]
        for change in edit.changes[:written]:
            self._failed.discard(change.span.id)
        if error is None:
            self.report = Report(f"saved {edit.describe()} ({elapsed_ms:.1f} ms)")
        else:
            self._keep_failed(edit.changes[written:])
            self.report = Report(f"NOT SAVED: {error} (r retries)", error=True)
        self._announce("saved", tuple(edit.ranges()))

    def _keep_failed(self, changes: tuple[Change, ...]) -> None:
        for change in changes:
            if change.after is not None:
                self._failed.add(change.after.id)
            elif change.before is not None and change.before.id not in self._by_id \
                    and change.before.key not in self._keys:
                self._insert(change.before)  # a removal that failed: it is still on disk
                self.version += 1

    def retry(self) -> Edit | None:
        """The edit that saves again what failed, as it is now; None when nothing failed."""
        spans = [self._by_id[i] for i in sorted(self._failed) if i in self._by_id]
        self._failed.clear()
        if not spans:
            return None
        for span in spans:
            self._pending[span.id] += 1
        self.report = Report("saving…")
        return Edit.adding(self.doc_id, *spans)

    def _insert(self, span: Span) -> None:
        insort(self.spans, span, key=order)
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
        if self._keys.get(span.key) == span_id:
            del self._keys[span.key]
        return span


class ModelRegistry:
    """One model per article id in this process, shared by every pane that shows it.

    A model lives while a pane holds it, and after that until its saves are done; the next
    open reads the article afresh.
    """

    def __init__(self, load: Callable[[str], Article], annotator: str) -> None:
        self._load = load
        self._annotator = annotator
        self._models: dict[str, ArticleModel] = {}
        self._holders: Counter[str] = Counter()

    def open(self, doc_id: str) -> ArticleModel:
        model = self._models.get(doc_id)
        if model is None:
            model = ArticleModel(self._load(doc_id), self._annotator)
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
