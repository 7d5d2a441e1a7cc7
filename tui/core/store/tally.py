"""Each article's counts for the figures, kept by file in memory and between sessions, so
that the stats of 100,000 articles open without reading 100,000 files.

Between sessions the counts are the ``counts`` column of the dataset's index
(``article_index.py``: kept by the writers as they save, a row used only while its file's
signature is the one in the row). In memory, a ``Tally`` keeps each article's title and
kind of counts by signature (``index_columns.Kinds``: articles counted alike share one
``ArticleCounts``), so that counting again reads only the files made, replaced or removed
since, and the figures add each kind once (``figures.grouped``). A broken article file is
never counted: it is read, and named, every time.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from tui.core.store.dataset import Dataset

if TYPE_CHECKING:  # the counts are imported at the first count: the reader's start has none
    from tui.core.counts.figures import Figures
    from tui.core.store.index_columns import Kinds

Stamp = tuple[int, int, int]  # a file's signature, as the index holds it


class Tally:
    """Every article's counts and the figures they last made: counting again reads only
    the files made, replaced or removed since, and makes new figures only when one was.
    One count runs at a time; another thread may watch ``done`` of ``total`` meanwhile.
    ``keep``: kept for callers; the index is written by a writable dataset only."""

    def __init__(self, *, keep: bool = False) -> None:
        self.keep = keep
        # id: (signature, (title, number of its kind of counts)), or a broken file's
        # one line
        self._kept: dict[str, tuple[Stamp, tuple[str, int] | str]] = {}
        self._kinds: Kinds | None = None  # made at the first count
        self._wanted: frozenset[str] | None = None
        self._lock = threading.Lock()
        self.done = self.total = 0
        self.last: Figures | None = None  # the figures of the last count

    def figures(self, dataset: Dataset, *, trusted: bool = False) -> Figures:
        """The figures of ``dataset`` as it is on disk now; ``trusted``: as the index's
        rows stand, no file looked at (a first frame, counted again right after)."""
        from tui.core.counts.figures import ArticleCounts, grouped

        with self._lock:
            if self._update(dataset, trusted) or self.last is None:
                kinds = self._kinds.kinds if self._kinds is not None else []
                groups: list[list[tuple[str, str]]] = [[] for _ in kinds]
                problems = []
                for doc_id, (_, made) in self._kept.items():
                    if isinstance(made, str):
                        problems.append(made)
                    else:
                        groups[made[1]].append((doc_id, made[0]))
                self.last = grouped(
                    [(c, articles) for c, articles in zip(kinds, groups, strict=True)
                     if isinstance(c, ArticleCounts)],
                    dataset.labels, str(dataset.folder), dataset.annotator, sorted(problems))
            return self.last

    def _update(self, dataset: Dataset, trusted: bool) -> bool:
        """Count the files that changed; return whether any had."""
        from tui.core.counts.figures import claim_labels
        from tui.core.store.index_columns import Kinds

        wanted = claim_labels(dataset.labels)
        # a first count, or claims are other labels now
        if wanted != self._wanted or self._kinds is None:
            self._kept, self._kinds, self._wanted = {}, Kinds(), wanted
        kept: dict[str, tuple[Stamp, tuple[str, int] | str]] = {}
        before = self._kept
        scan = dataset.index.scan(dataset, "counts", self._progress, self._kinds,
                                  trusted=trusted)
        self.done = 0
        for found in scan:
            self.done += 1
            old = before.get(found.id)
            kept[found.id] = old if old is not None and old[0] == found.stamp else (
                found.stamp, found.payload)
        self.total = scan.total
        for problem in scan.problems:
            kept[problem] = ((0, 0, 0), problem)
        changed = kept.keys() != before.keys() or any(
            kept[i] is not before[i] for i in kept)
        self._kept = kept
        return changed

    def _progress(self, done: int, total: int) -> None:
        self.done, self.total = done, total
