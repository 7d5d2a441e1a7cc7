"""Each article's counts for the figures, kept by file in memory and between sessions, so
that the stats of 5,000 articles open without reading 5,000 files.

``<dataset>/.cache/figures.json`` holds, for each article file, its signature (inode,
modification time, size) and its :class:`ArticleCounts`. Why it stays right:

- every write of an article file replaces it (a new inode) or changes its time and size, so
  a file whose signature differs from its entry is read again; the signature is taken
  before the file is read, so a file replaced while it is read is read again next time;
- the cache is a cache, never data (``cache_file.py``): one missing, unreadable, of another
  version or label set, or whose entry is not of the shape written here, is a miss, and
  the file is read; it is written only by the app, never by a read-only command;
- a broken article file is never cached: it is read, and named, every time.
"""

from __future__ import annotations

import threading
from operator import itemgetter
from typing import Any

from tui.core.counts.figures import ArticleCounts, Figures, claim_labels, count, figures
from tui.core.document.model import GlossError
from tui.core.store import cache_file
from tui.core.store.dataset import Dataset
from tui.core.store.storage import CorruptFileError

NAME = "figures.json"
VERSION = 2  # 2: the origins of spans
Stamp = list[int]  # a file's signature, as the cache holds it


class Tally:
    """Every article's counts and the figures they last made: counting again reads only
    the files made, replaced or removed since, and makes new figures only when one was.
    One count runs at a time; another thread may watch ``done`` of ``total`` meanwhile.
    ``keep``: write the cache for the next session (the app; never a read-only command)."""

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
        wanted = claim_labels(dataset.labels)
        path = dataset.folder / cache_file.FOLDER / NAME
        key = [VERSION, sorted(wanted)]
        stored: dict[str, list[Any]] = {}
        if wanted != self._wanted:  # a first count, or claims are other labels now
            self._kept, self._wanted = {}, wanted
            stored = cache_file.load(path, key)
            self._on_disk = {i: e[0] for i, e in stored.items() if isinstance(e, list) and e}
        ids = dataset.ids()
        self.done, self.total = 0, len(ids)
        kept: dict[str, tuple[Stamp, ArticleCounts | str]] = {}
        changed = len(ids) != len(self._kept)
        for self.done, doc_id in enumerate(ids, start=1):
            stamp = list(dataset.stamp(doc_id))
            before = self._kept.get(doc_id)
            if before is not None and before[0] == stamp:
                kept[doc_id] = before
                continue
            changed = True
            entry = stored.get(doc_id)
            counts = _from_entry(doc_id, entry) if entry and entry[0] == stamp else None
            if counts is None:
                try:
                    counts = count(dataset.article(doc_id), wanted)
                except CorruptFileError as exc:
                    kept[doc_id] = (stamp, str(exc))
                    continue
                except GlossError:
                    continue  # removed since the folder was listed
            kept[doc_id] = (stamp, counts)
        self._kept = kept
        if self.keep and not dataset.read_only:
            counted = {i: s for i, (s, c) in kept.items() if isinstance(c, ArticleCounts)}
            if counted != self._on_disk:
                cache_file.save(path, key, {i: _entry(s, c) for i, (s, c) in kept.items()
                                            if isinstance(c, ArticleCounts)})
                self._on_disk = counted
        return changed


def _entry(stamp: Stamp, c: ArticleCounts) -> list[Any]:
    return [stamp, c.title, c.added, c.status, c.spans, c.labels, c.analysts,
            c.hours, c.claims, c.origins]


def _from_entry(doc_id: str, entry: Any) -> ArticleCounts | None:
    """The counts an entry holds, or None when it is not of the shape written here (a
    cache edited by hand, or cut short): then the file is read."""
    try:
        _stamp, title, added, status, spans, labels, analysts, hours, claims, origins = entry
    except (TypeError, ValueError):
        return None
    if not (type(title) is str and type(added) is int and type(spans) is int
            and type(status) is dict and type(labels) is dict and type(analysts) is dict
            and type(hours) is list and type(claims) is list and type(origins) is list
            and _types(origins) <= _LIST and set(map(len, origins)) <= _THREE
            and _types(map(_FIRST, origins)) <= _STR and _types(map(_SECOND, origins)) <= _INT
            and _types(map(_THIRD, origins)) <= _INT
            and min(map(min, map(_COUNTS, origins)), default=0) >= 0
            and _types(status.values()) <= _STR
            and _types(labels.values()) <= _INT and _types(analysts.values()) <= _INT
            and _types(hours) <= _LIST and _types(claims) <= _LIST
            and set(map(len, hours)) <= _THREE and set(map(len, claims)) <= _THREE
            and _types(map(_FIRST, hours)) <= _STR and _types(map(_SECOND, hours)) <= _STR
            and _types(map(_THIRD, hours)) <= _INT and _types(map(_FIRST, claims)) <= _STR
            and _types(map(_SECOND, claims)) <= _INT and _types(map(_THIRD, claims)) <= _INT
            and min(map(_THIRD, hours), default=1) > 0
            and min(map(min, map(_COUNTS, claims)), default=0) >= 0
            and min(labels.values(), default=1) > 0 and min(analysts.values(), default=1) > 0
            and sum(labels.values()) == spans == sum(analysts.values())):
        return None
    return ArticleCounts(doc_id, title, added, status, spans, labels, analysts,
                         [tuple(h) for h in hours], [tuple(c) for c in claims],
                         [tuple(o) for o in origins])


_STR, _INT, _LIST, _THREE = {str}, {int}, {list}, {3}
_FIRST, _SECOND, _THIRD, _COUNTS = itemgetter(0), itemgetter(1), itemgetter(2), itemgetter(
    slice(1, 3))


def _types(values: Any) -> set[type]:
    return set(map(type, values))
