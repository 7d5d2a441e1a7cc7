"""One open article's suggestions (:class:`ArticleSuggestions`), shared by every pane that
shows it (as its model is): what the finders found there (``found``), and of it what is
offered (``offered``, in text order): not a suggestion rejected in this article by this
analyst, nor one overlapping a span of this analyst that it would clash with (one of its
label, or any span where neither label is a claim's: an actor over a place). An edit of the
model updates ``offered`` at once, for the stretches it touched, in the frame of the key;
panes observe it as they observe the model. The session's worker
(``suggestions.Suggestions``) fills it; a huge article's is ``huge_suggestions``'.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right, insort
from collections.abc import Callable, Iterable, Sequence, Set
from dataclasses import dataclass

from tui.core.document.model import Span
from tui.core.document.suggestion import Suggestion
from tui.core.editing.article_model import ArticleModel, ModelEvent

CHUNK = 32_768  # characters of an article searched at once (cut at a line's end)
HUGE = 2_000_000  # characters: a longer article is searched a stretch at a time, as shown

Key = tuple[int, int, str]
Observer = Callable[["SuggestionEvent"], None]


def text_order(s: Suggestion) -> tuple[int, int, str]:
    return (s.start, -s.end, s.label)


def overlapping(offered: list[Suggestion], longest: int, start: int, end: int
                ) -> list[Suggestion]:
    """The suggestions of ``offered`` (text order, none longer than ``longest``) that share
    a character with [start, end)."""
    low = bisect_left(offered, start - longest, key=lambda s: s.start)
    high = bisect_right(offered, end, key=lambda s: s.start)
    return [s for s in offered[low:high] if s.start < end and s.end > start]


@dataclass(frozen=True, slots=True)
class SuggestionEvent:
    """Announced to a pane: the stretches whose suggestions changed."""

    suggestions: ArticleSuggestions
    # where they changed; a whole article's answer (): anywhere (``changed`` tells)
    ranges: tuple[tuple[int, int], ...]
    # a search answered (not a key): the span list may lay out at once
    answered: bool = False
    # a whole article's answer: what was offered before it (then ``changed`` tells where)
    before: Offered | None = None

    def changed(self, start: int, end: int) -> bool:
        """May what is offered over [start, end) differ from before this event? An answer
        with ``before`` compares them (the suggestions found again are the ones held
        before, ``ArticleSuggestions.the_same``: the lists compare mostly by identity);
        else it is where ``ranges`` are, and anywhere when there are none."""
        if self.before is not None:
            old = overlapping(self.before.suggestions, self.before.longest, start, end)
            return old != self.suggestions.overlapping(start, end)
        return not self.ranges or any(a < end and b > start for a, b in self.ranges)


@dataclass(frozen=True, slots=True)
class Offered:
    """The suggestions of a search offered (text order), the longest found and the longest
    offered (``ArticleSuggestions.offer``)."""

    suggestions: list[Suggestion]
    reach: int
    longest: int


@dataclass(slots=True)
class Request:
    """One article's search, as the worker is handed it."""

    article: ArticleSuggestions
    spans: list[Span]  # the analyst's spans when it was asked for (text order)
    version: int
    rejected: frozenset[Key]
    # a huge article's: (index, start, end) of the stretches to search (huge_suggestions.py)
    stretches: list[tuple[int, int, int]] | None = None


class ArticleSuggestions:
    huge = False  # searched a stretch at a time (huge_suggestions.py): not here

    def __init__(self, model: ArticleModel, rejected: Iterable[Key],
                 claim_labels: frozenset[str]) -> None:
        self.model = model
        self.found: list[Suggestion] = []
        self.offered: list[Suggestion] = []
        self.rejected: set[Key] = set(rejected)
        self.ready = False  # the first search has answered
        self.holders = 0
        self._claims = claim_labels
        self._longest = 0  # of the suggestions offered
        self._reach = 0  # of those found
        self._since: list[tuple[int, int]] = []  # edited since the last search was asked for
        self._observers: list[Observer] = []
        self._stop = model.observe(self._model_changed)

    # -- observing -------------------------------------------------------------------

    def observe(self, observer: Observer) -> Callable[[], None]:
        self._observers.append(observer)
        return lambda: self._observers.remove(observer) if observer in self._observers \
            else None

    def _announce(self, ranges: Iterable[tuple[int, int]], answered: bool = False,
                  before: Offered | None = None) -> None:
        event = SuggestionEvent(self, tuple(ranges), answered, before)
        for observer in list(self._observers):
            observer(event)

    # -- lookups ---------------------------------------------------------------------

    def overlapping(self, start: int, end: int) -> list[Suggestion]:
        """The suggestions offered that share a character with [start, end)."""
        return overlapping(self.offered, self._longest, start, end)

    def at(self, offset: int) -> Suggestion | None:
        """The innermost suggestion offered at ``offset`` (or just before it: the cursor
        after a word)."""
        here = self.overlapping(offset, offset + 1) or (
            self.overlapping(offset - 1, offset) if offset else [])
        return min(here, key=lambda s: (s.end - s.start, s.start)) if here else None

    def step(self, offset: int, step: int) -> Suggestion | None:
        """The next suggestion starting after ``offset`` (step 1) or the one before the
        one starting there (step -1), round the end; None when there is none."""
        offered = self.offered
        if not offered:
            return None
        if step > 0:
            index = bisect_right(offered, offset, key=lambda s: s.start)
            return offered[index % len(offered)]
        index = bisect_left(offered, offset, key=lambda s: s.start) - 1
        return offered[index % len(offered)]

    def seek(self, offset: int, step: int, then: Callable[[Suggestion | None], None]
             ) -> bool:
        """``then(self.step(offset, step))``; a huge article's may wait for a search."""
        then(self.step(offset, step))
        return True

    def want(self, start: int, end: int) -> bool:
        """Are the suggestions of [start, end) all known? (A huge article's are searched
        when asked about.)"""
        return self.ready

    def of_label(self, label: str) -> list[Suggestion]:
        return [s for s in self.offered if s.label == label]

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for s in self.offered:
            out[s.label] = out.get(s.label, 0) + 1
        return out

    # -- what the analyst did --------------------------------------------------------

    def reject(self, suggestion: Suggestion) -> None:
        """Offer ``suggestion`` no more (the session keeps it in the article's file)."""
        self.rejected.add(suggestion.key)
        self._recheck([(suggestion.start, suggestion.end)])

    def _model_changed(self, event: ModelEvent) -> None:
        if event.kind != "edit":
            return
        self._since += event.ranges
        self._recheck(event.ranges)

    def _recheck(self, ranges: Sequence[tuple[int, int]]) -> None:
        """Offer again, or no more, the suggestions found in ``ranges``."""
        if not ranges or not self.found:
            return
        found, changed, reach = self.found, [], self._reach
        for start, end in ranges:
            low = bisect_left(found, start - reach, key=lambda s: s.start)
            high = bisect_right(found, end, key=lambda s: s.start)
            for s in found[low:high]:
                if not ((s.start < end and s.end > start) or s.start == start):
                    continue
                shown = self._offers(s, self.model.overlapping(s.start, s.end,
                                                               self.model.annotator))
                index = bisect_left(self.offered, text_order(s), key=text_order)
                there = index < len(self.offered) and self.offered[index] == s
                if shown and not there:
                    insort(self.offered, s, key=text_order)
                    self._longest = max(self._longest, s.end - s.start)
                    changed.append((s.start, s.end))
                elif there and not shown:
                    del self.offered[index]
                    changed.append((s.start, s.end))
        if changed:
            self._announce(changed)

    def _offers(self, suggestion: Suggestion, spans: Iterable[Span],
                rejected: Set[Key] | None = None) -> bool:
        if suggestion.key in (self.rejected if rejected is None else rejected):
            return False
        return not any(self._clash(suggestion, span) for span in spans
                       if span.start < suggestion.end and span.end > suggestion.start)

    def _clash(self, suggestion: Suggestion, span: Span) -> bool:
        return span.label == suggestion.label or (
            span.label not in self._claims and suggestion.label not in self._claims)

    # -- the worker's answers --------------------------------------------------------

    def request(self) -> Request:
        self._since = []
        spans = [s for s in self.model.spans if s.annotator == self.model.annotator]
        return Request(self, spans, self.model.version, frozenset(self.rejected))

    def the_same(self, found: list[Suggestion]) -> list[Suggestion]:
        """``found`` (a search's, in the worker's thread), each suggestion that the last
        answer found too given as that one: taking the next answer in, the UI thread then
        frees only the suggestions that changed (freeing every one of a 1 MB article's
        17,000 took it 5 ms an answer)."""
        held = {s: s for s in self.found}  # (an answer replaces the list, never edits it)
        return [held.get(s, s) for s in found] if held else found

    def offer(self, request: Request, found: list[Suggestion]) -> Offered:
        """What of ``found`` is offered, by the spans the request was made with, and how
        long the longest of each are (in the worker's thread: a 1 MB article has
        thousands, and their passes on the UI thread took 7 ms an answer)."""
        spans = request.spans
        longest = max((len(s) for s in spans), default=0)
        out = []
        reach = widest = 0
        for s in found:
            size = s.end - s.start
            reach = max(reach, size)
            low = bisect_left(spans, s.start - longest, key=lambda x: x.start)
            high = bisect_right(spans, s.end, key=lambda x: x.start)
            if self._offers(s, spans[low:high], request.rejected):
                out.append(s)
                widest = max(widest, size)
        return Offered(out, reach, widest)

    def answered(self, request: Request, found: list[Suggestion], offered: Offered
                 ) -> None:
        """The worker's answer to ``request`` (on the UI thread): shown, and then
        corrected for whatever was edited or rejected since it was asked for."""
        before = Offered(self.offered, self._reach, self._longest) if self.ready else None
        self.found = found  # in text order: sorted in the worker
        self._reach = offered.reach
        since = self.rejected - request.rejected  # (the worker left out the others)
        self.offered = [s for s in offered.suggestions if s.key not in since] if since \
            else offered.suggestions
        self._longest = offered.longest  # (of those left: at most that)
        self.ready = True
        # every edit since the request, the one before it with a model's answer too
        # (the same request is answered without, then with, the model's suggestions)
        self._recheck(self._since)
        self._announce((), answered=True, before=before)  # ``changed`` tells where

    def searched_again(self) -> None:
        """The names changed (a huge article's kept stretches are searched again)."""

    def close(self) -> None:
        self._stop()
