"""Each article's counts for the figures, kept by file in memory and between sessions, so
that the stats of 100,000 articles open without reading 100,000 files.

Between sessions the counts are the ``counts`` column of the dataset's index
(``article_index.py``: kept by the writers as they save, a row used only while its file's
signature is the one in the row). In memory, a ``Tally`` keeps each article's counts by
signature, so that counting again reads only the files made, replaced or removed since.
A broken article file is never counted: it is read, and named, every time.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from tui.core.store.dataset import Dataset

if TYPE_CHECKING:  # the counts are imported at the first count: the reader's start has none
    from tui.core.counts.figures import ArticleCounts, Figures

Stamp = list[int]  # a file's signature, as the cache holds it


class Tally:
    """Every article's counts and the figures they last made: counting again reads only
    the files made, replaced or removed since, and makes new figures only when one was.
    One count runs at a time; another thread may watch ``done`` of ``total`` meanwhile.
    ``keep``: kept for callers; the index is written by a writable dataset only."""

    def __init__(self, *, keep: bool = False) -> None:
        self.keep = keep
        self._kept: dict[str, tuple[Stamp, ArticleCounts | str]] = {}
        self._wanted: frozenset[str] | None = None
        self._on_disk: dict[str, Stamp] = {}  # what the cache file holds, by signature
        self._lock = threading.Lock()
        self.done = self.total = 0
        self.last: Figures | None = None  # the figures of the last count

    def figures(self, dataset: Dataset) -> Figures:
        """The figures of ``dataset`` as it is on disk now."""
        from tui.core.counts.figures import ArticleCounts, figures

        with self._lock:
            if self._update(dataset) or self.last is None:
                counts = [c for _, c in self._kept.values() if isinstance(c, ArticleCounts)]
                counts.sort(key=lambda c: (c.added, c.id))
                problems = sorted(p for _, p in self._kept.values() if isinstance(p, str))
                self.last = figures(counts, dataset.labels, str(dataset.folder),
                                    dataset.annotator, problems)
            return self.last

    def _update(self, dataset: Dataset) -> bool:
        """Count the files that changed; return whether any had."""
        from tui.core.counts.figures import claim_labels

        wanted = claim_labels(dataset.labels)
        if wanted != self._wanted:  # a first count, or claims are other labels now
            self._kept, self._wanted = {}, wanted
        kept: dict[str, tuple[Stamp, ArticleCounts | str]] = {}
        scan = dataset.index.scan(dataset, "counts", self._progress)
        self.done = 0
        for found in scan:
            self.done += 1
            stamp = list(found.stamp)
            before = self._kept.get(found.id)
            if before is not None and before[0] == stamp:
                kept[found.id] = before
                continue
            kept[found.id] = (stamp, found.payload)
        self.total = scan.total
        for problem in scan.problems:
            kept[problem] = ([0, 0, 0], problem)
        changed = kept.keys() != self._kept.keys() or any(
            kept[i] is not self._kept[i] for i in kept)
        self._kept = kept
        return changed

    def _progress(self, done: int, total: int) -> None:
        self.done, self.total = done, total
