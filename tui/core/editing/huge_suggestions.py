"""A huge article's suggestions: found a stretch at a time around what the reader shows,
and kept for a bounded number of stretches, not for the whole text at once.

The names of a 20 MB article are two million suggestions (1.8 GB held, and 44 s of
processor). Past ``suggestions.HUGE`` characters an article's text is cut in stretches of about
``suggestions.CHUNK`` characters, each ending after a sentence (or a line, or a space) so that
the claim cues and patterns read whole sentences. A stretch is searched when something asks
what is suggested in it (the view drawing a row, a key looking under the cursor), with the
stretches beside it; the last :data:`KEEP` stretches asked about are kept (least recently
used first out), their suggestions in ``found`` and ``offered`` as a small article's are.
The names are found exactly as in the whole text (``SeenNames.find`` with a stretch: a name
running across a cut is found once, in the stretch it starts in); a claim's pronoun, as
between the 32 KB stretches of any article, resolves within its stretch.

``seek`` walks to the next (or previous) suggestion stretch by stretch, asking for those
not searched yet and answering once it knows.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import OrderedDict
from collections.abc import Callable, Iterable

from tui.core.document.suggestion import Suggestion
from tui.core.editing.article_model import ArticleModel
from tui.core.editing.article_suggestions import (
    CHUNK,
    ArticleSuggestions,
    Key,
    Offered,
    Request,
)

KEEP = 48  # stretches kept (about 1.5 M characters, some 200,000 suggestions at most)
BATCH = 8  # stretches handed to the worker at once
AHEAD = 1  # stretches searched beside the one asked about, each way
LOOK = 2_048  # characters looked through for a sentence's end to cut at
_SENTENCE = re.compile(r"[.!?…][\"'”’)\]]*\s+|\n")
_SPACE = re.compile(r"\s+")

Then = Callable[[Suggestion | None], None]


def cut(text: str, at: int) -> int:
    """Where the stretch that would start at ``at`` starts: after the first sentence's end
    (or line break) within :data:`LOOK` characters, else after a space, else at ``at``."""
    if at <= 0 or at >= len(text):
        return min(max(at, 0), len(text))
    end = min(at + LOOK, len(text))
    found = _SENTENCE.search(text, at, end) or _SPACE.search(text, at, end)
    return found.end() if found is not None else at


class Stretches:
    """The stretches of a text: stretch ``i`` is [cut(i * size), cut((i + 1) * size))."""

    def __init__(self, text: str, size: int = CHUNK) -> None:
        self.text = text
        self.size = size
        self.count = max(-(-len(text) // size), 1)

    def bounds(self, index: int) -> tuple[int, int]:
        return cut(self.text, index * self.size), cut(self.text, (index + 1) * self.size)

    def of(self, offset: int) -> int:
        index = min(max(offset, 0) // self.size, self.count - 1)
        return index - 1 if index and offset < self.bounds(index)[0] else index


class HugeSuggestions(ArticleSuggestions):
    def __init__(self, model: ArticleModel, rejected: Iterable[Key],
                 claim_labels: frozenset[str], ask: Callable[[ArticleSuggestions], None],
                 size: int = CHUNK, keep: int = KEEP) -> None:
        super().__init__(model, rejected, claim_labels)
        self.huge = True
        self.stretches = Stretches(model.text, size)
        self._keep = keep
        self._ask = ask  # the session's: hand what is wanted to the worker
        self.kept: OrderedDict[int, tuple[int, int]] = OrderedDict()  # least recent first
        # asked about, not handed over, the latest last; the session asks for it at open
        self._wanted: dict[int, None] = dict.fromkeys(range(min(AHEAD + 1,
                                                                self.stretches.count)))
        self._pending: set[int] = set()  # handed over, not answered
        self._stale = False  # the names changed: the kept stretches are searched again
        self._seek: tuple[int, int, int, int, Then] | None = None

    # -- what is asked about -----------------------------------------------------------

    def want(self, start: int, end: int) -> bool:
        """Ask for the stretches of [start, end) (and those beside them) to be searched;
        True when those of [start, end) are (its suggestions are all known)."""
        stretches = self.stretches
        first, last = stretches.of(start), stretches.of(max(end - 1, start))
        known = True
        for index in range(max(first - AHEAD, 0), min(last + AHEAD + 1, stretches.count)):
            if index in self.kept:
                self.kept.move_to_end(index)
                continue
            if first <= index <= last:
                known = False
            if index not in self._pending:
                self._wanted.pop(index, None)
                self._wanted[index] = None
        while len(self._wanted) > self._keep // 2:  # long scrolled past: not wanted now
            del self._wanted[next(iter(self._wanted))]
        if self._wanted:
            self._ask(self)
        return known

    def overlapping(self, start: int, end: int) -> list[Suggestion]:
        self.want(start - 1, end)  # a suggestion starting just before reaches in
        return super().overlapping(start, end)

    def request(self) -> Request:
        """A search of the stretches asked about last (a few: a key waits for no long
        search of stretches scrolled past), the rest asked for after it."""
        request = super().request()
        if self._stale:
            self._stale = False
            again = {i: None for i in self.kept if i not in self._pending}
            again.update(self._wanted)
            self._wanted = again
        wanted = list(self._wanted)
        taken = wanted[-BATCH:]
        self._wanted = dict.fromkeys(wanted[:-BATCH])
        self._pending.update(taken)
        request.stretches = [(i, *self.stretches.bounds(i)) for i in reversed(taken)]
        if self._wanted:
            self._ask(self)
        return request

    def searched_again(self) -> None:
        """The names changed: every stretch kept is to be searched again."""
        self._stale = True

    # -- the worker's answers ----------------------------------------------------------

    def answered_stretch(self, index: int, found: list[Suggestion], offered: Offered
                         ) -> None:
        """One stretch's answer (on the UI thread): in place of what it had, the least
        recently asked about stretches dropped past ``KEEP``."""
        self._pending.discard(index)
        start, end = self.stretches.bounds(index)
        self._drop(start, end)
        self.kept[index] = (start, end)
        self.kept.move_to_end(index)
        changed = [(start, end)]
        while len(self.kept) > self._keep:
            _, dropped = self.kept.popitem(last=False)
            self._drop(*dropped)
            changed.append(dropped)
        self._insert(self.found, found)
        self._insert(self.offered, [s for s in offered.suggestions
                                    if s.key not in self.rejected])
        self._reach = max(self._reach, offered.reach)
        self._longest = max(self._longest, self._reach)
        self.ready = True
        self._recheck([r for r in self._since if r[1] >= start and r[0] <= end])
        # what changed: the stretches' suggestions, each starting in its stretch
        self._announce([(a, b + self._reach) for a, b in changed], answered=True)
        self._resume()

    def _drop(self, start: int, end: int) -> None:
        for held in (self.found, self.offered):
            low = bisect_left(held, start, key=lambda s: s.start)
            high = bisect_left(held, end, key=lambda s: s.start)
            del held[low:high]

    @staticmethod
    def _insert(held: list[Suggestion], block: list[Suggestion]) -> None:
        if block:
            at = bisect_left(held, block[0].start, key=lambda s: s.start)
            held[at:at] = block

    # -- walking, stretch by stretch ---------------------------------------------------

    def seek(self, offset: int, step: int, then: Then) -> bool:
        """Call ``then`` with the next suggestion after ``offset`` (step 1), or the one
        before (step -1), round the end (None: the article has none); at once when the
        stretches on the way are known, else once they are searched. False when it waits."""
        index = self.stretches.of(offset)
        self._seek = (offset, step, index, 0, then)
        return self._resume()

    def step(self, offset: int, step: int) -> Suggestion | None:
        """The next suggestion when the stretches up to it are known (else None)."""
        found: list[Suggestion | None] = []
        waiting = self._seek
        self.seek(offset, step, found.append)
        self._seek = waiting  # a walk a key began goes on
        return found[0] if found else None

    def _resume(self) -> bool:
        if self._seek is None:
            return True
        offset, step, index, walked, then = self._seek
        count = self.stretches.count
        while walked <= count:
            start, end = self.stretches.bounds(index)
            if index not in self.kept:
                self._seek = (offset, step, index, walked, then)
                self.want(start, end)
                return False
            self.kept.move_to_end(index)
            here = self._in(start, end, offset, step, first=walked == 0,
                            last=walked == count)
            if here is not None:
                self._seek = None
                then(here)
                return True
            index, walked = (index + step) % count, walked + 1
        self._seek = None
        then(None)
        return True

    def _in(self, start: int, end: int, offset: int, step: int, first: bool,
            last: bool) -> Suggestion | None:
        """The first suggestion offered in [start, end) past ``offset`` that way (in the
        stretch the walk began in, only those past it; when it comes round, the others)."""
        offered = self.offered
        low = bisect_left(offered, start, key=lambda s: s.start)
        high = bisect_left(offered, end, key=lambda s: s.start)
        if step > 0:
            if first:
                low = max(low, bisect_right(offered, offset, key=lambda s: s.start))
            elif last:
                high = min(high, bisect_right(offered, offset, key=lambda s: s.start))
            return offered[low] if low < high else None
        if first:
            high = min(high, bisect_left(offered, offset, key=lambda s: s.start))
        elif last:
            low = max(low, bisect_left(offered, offset, key=lambda s: s.start))
        return offered[high - 1] if low < high else None
