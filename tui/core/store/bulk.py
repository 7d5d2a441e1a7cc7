"""Adding many articles to a dataset at once, all or nothing, across any crash.

An import either puts every one of its articles and labels in place or leaves the dataset
as it was, whenever it is killed. In order:

1. *check*: every article file it merges into is read and checked (nothing is locked or
   written yet), so a broken file stops the import before the first byte is written;
2. *stage*: each new article, and each article it merges into as merged, is written to a
   temp file beside its place (``commit.py``: named with this process's owner token); an
   article merged into keeps the signature of the file it was merged from;
3. *commit*, under the dataset's exclusive lock (no save, no other commit meanwhile): an
   article merged into that someone saved since, or a new one that someone made since, is
   merged again from the file as it is now; the label set is read afresh and staged if it
   changes; then every staged file goes in place through one journal (``commit.Commit``).

Nothing in place is ever taken back: before the commit point nothing is in place (the
temp files are removed), after it everything goes in place, if not by this process then
by the next one to open the dataset.
"""

from __future__ import annotations

import contextlib
import gc
import os
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import orjson

from tui.core.disk import failpoints, token_cache
from tui.core.disk.article_file import Item, merge, new_tables, read_article
from tui.core.disk.commit import Commit, check_staged
from tui.core.disk.files import Missing, NotReadable, open_regular
from tui.core.disk.storage import (
    CorruptFileError,
    StorageError,
    discard,
    parse_json,
    read_json,
    read_locked,
    signature,
    stage,
)
from tui.core.document.model import LabelSet
from tui.core.store.article_index import ArticleIndex, entry


class Target(Protocol):
    """What an import needs of the dataset it adds to (dataset.py's Dataset is one)."""

    folder: Path
    labels: LabelSet
    index: ArticleIndex

    def path(self, doc_id: str) -> Path: ...
    def token(self) -> str: ...
    def committing(self) -> AbstractContextManager[None]: ...
    def read_labels(self) -> LabelSet: ...
    def stage_labels(self, labels: LabelSet, change: Commit) -> None: ...

Signature = tuple[int, int, int]


@dataclass(slots=True)
class Staged:
    """New articles already written to temp files beside their place (by a merge, in two
    processes): for each id its temp file, the file's signature and the spans it holds;
    ``load`` gives an article's item and status rows again, should another process make
    the article before the commit (it is then merged into instead)."""

    temps: dict[str, tuple[str, Signature, int]]
    load: Callable[[str], tuple[Item, list[dict[str, Any]]]]


class BulkImport:
    def __init__(self, dataset: Target, items: list[Item], labels: list[str],
                 label_set: LabelSet | None = None,
                 statuses: dict[str, list[dict[str, Any]]] | None = None,
                 keep_tokens: bool = True, replace_statuses: bool = True,
                 staged: Staged | None = None) -> None:
        self.dataset = dataset
        self.staged = staged
        self.statuses = statuses or {}
        self.replace_statuses = replace_statuses
        self.keep_tokens = keep_tokens
        self.order = [document.id for document, _, _ in items]
        self.items = _combined(items)
        self.labels = labels
        self.label_set = label_set
        self.results: dict[str, tuple[bool, int]] = {}
        # What is staged: each article's temp file's signature, and the signature of the
        # file it was merged from (None: a new article)
        self.made: dict[str, Signature] = {}
        self.basis: dict[str, Signature | None] = {}
        self.rows: dict[str, tuple[int, dict[str, Any]]] = {}  # index rows: added, columns

    def run(self) -> list[tuple[bool, int]]:
        # The import makes no reference cycles, and the collector's passes over the
        # millions of objects it holds (the records read, their spans) cost a third of its
        # time at 100,000 articles: it is paused meanwhile.
        enabled = gc.isenabled()
        gc.disable()
        try:
            return self._run()
        finally:
            if enabled:
                gc.enable()

    def _run(self) -> list[tuple[bool, int]]:
        dataset = self.dataset
        listed = listed_names(dataset.folder)
        existing = []
        for doc_id in self.items:  # check: a broken file raises here, nothing written yet
            if f"{doc_id}.json" not in listed:
                continue  # one made after the listing is found at the commit, merged into
            data = read_json(dataset.path(doc_id))
            if data is not None:
                read_article(dataset.path(doc_id), data)
                existing.append(doc_id)
        if not self.items and not self.labels and self.label_set is None and not self.staged:
            return []
        known = set(existing)
        new = [doc_id for doc_id in self.items if doc_id not in known]
        change = Commit(dataset.folder, dataset.token())
        labels: LabelSet | None = None
        try:
            folder = str(dataset.folder)
            for doc_id in new:
                document, spans, relations = self.items[doc_id]
                tables = new_tables(document)
                added, _ = merge(tables, spans, relations, self.statuses.get(doc_id, ()),
                                 self.replace_statuses)
                self._stage(change, f"{folder}/{doc_id}.json", orjson.dumps(tables), None,
                            tables)
                self.results[doc_id] = (True, added)
            for doc_id, (temp, made, added) in (self.staged.temps.items() if self.staged
                                                 else ()):
                change.add(f"{doc_id}.json", temp)
                self.made[doc_id], self.basis[doc_id] = made, None
                self.results[doc_id] = (True, added)
                self.order.append(doc_id)
            for doc_id in existing:
                self._merge(change, doc_id)
            failpoints.point("staged")
            with dataset.committing():
                self._settle(change)
                labels = self._labels()
                if labels is not None:
                    dataset.stage_labels(labels, change)
                change.run()
        except BaseException:
            if not change.decided():
                for temp in change.temps():
                    discard(temp)
            raise
        if labels is not None:
            dataset.labels = labels
        dataset.index.record_made([(doc_id, self.made[doc_id], *self.rows[doc_id])
                                   for doc_id in self.basis if doc_id in self.rows],
                                  dataset.labels)
        if self.keep_tokens:
            self._keep_tokens(new)
        return [self.results[doc_id] for doc_id in self.order]

    def _stage(self, change: Commit, path: str, payload: bytes, basis: Signature | None,
               tables: dict[str, Any]) -> None:
        doc_id = path.rpartition("/")[2][:-5]
        temp, made = stage(path, payload, fsync=False, token=change.token)
        change.add(f"{doc_id}.json", temp)
        self.made[doc_id], self.basis[doc_id] = made, basis
        # its row of the index, kept once the commit is in place (a renamed file keeps
        # its signature): worked out now, while the tables are at hand, and small
        article = read_article(Path(path), tables)
        self.rows[doc_id] = (article.added, entry(article, self.dataset.labels))

    def _merge(self, change: Commit, doc_id: str) -> None:
        """Merge this import's item into the article's file as it is now; stage the
        result if it changes the file."""
        path = self.dataset.path(doc_id)
        basis, tables = _read(path)
        if tables is None:
            tables = new_tables(self.items[doc_id][0])
        else:
            read_article(path, tables)
        _, spans, relations = self.items[doc_id]
        added, linked = merge(tables, spans, relations, self.statuses.get(doc_id, ()),
                              self.replace_statuses)
        self.results[doc_id] = (basis is None, added)
        if basis is None or added or linked:
            self._stage(change, str(path), orjson.dumps(tables), basis, tables)

    def _settle(self, change: Commit) -> None:
        """Under the dataset's lock, before the commit: an article someone saved since it
        was merged, or made since this import staged it as new, is merged (again) from its
        file as it is now; every other staged file is checked to be still there."""
        folder = str(self.dataset.folder)  # strings: 100,000 paths, pathlib costs here
        for doc_id, basis in list(self.basis.items()):
            name = f"{doc_id}.json"
            now = signature(f"{folder}/{name}")
            if now == (basis or (0, 0, 0)):
                check_staged(f"{folder}/{change.moves[name]}", self.made[doc_id])
                continue
            discard(f"{folder}/{change.moves.pop(name)}")
            del self.basis[doc_id]
            if doc_id not in self.items and self.staged is not None:
                self.items[doc_id], self.statuses[doc_id] = self.staged.load(doc_id)
            self._merge(change, doc_id)

    def _labels(self) -> LabelSet | None:
        """The label set to commit, read afresh under the lock (None: it stays)."""
        if self.label_set is not None:
            for name in self.labels:
                self.label_set.add(name)
            return self.label_set
        if not self.labels:
            return None
        labels = self.dataset.read_labels()
        for name in self.labels:
            labels.add(name)
        return labels

    def _keep_tokens(self, new: list[str]) -> None:
        """Keep the tokens of the new articles, and of the others that have none that check
        out, for the export, within a time budget (see token_cache). The articles are in
        place by now: nothing here may fail the import."""
        folder, made = self.dataset.folder, set(new)
        with contextlib.suppress(Exception):
            kept = token_cache.Index(folder)
            try:
                texts = [(doc_id, document.text)
                         for doc_id, (document, _, _) in self.items.items()
                         if doc_id in made or kept.get(doc_id, document.text) is None]
            finally:
                kept.close()
            token_cache.fill(folder, texts)


def _read(path: Path) -> tuple[Signature | None, Any]:
    """The signature and the parsed tables of the article file at ``path`` (None, None:
    there is none), both of the one file read."""
    try:
        fd = open_regular(path)
    except Missing:
        return None, None
    except NotReadable as exc:
        raise CorruptFileError(f"{path}: cannot read: {exc}; the file is left as it is"
                               ) from exc
    try:
        info = os.fstat(fd)
        data = read_locked(fd)
    finally:
        os.close(fd)
    tables = parse_json(path, data)
    if not isinstance(tables, dict):
        raise CorruptFileError(f"{path}: not a Gloss article file (top level is not an"
                               " object)")
    return (info.st_ino, info.st_mtime_ns, info.st_size), tables


def _combined(items: list[Item]) -> dict[str, Item]:
    """Items sharing an article id become one (the first one's document and meta)."""
    combined: dict[str, Item] = {}
    for document, spans, relations in items:
        if document.id in combined:
            combined[document.id][1].extend(spans)
            combined[document.id][2].extend(relations)
        else:
            combined[document.id] = (document, list(spans), list(relations))
    return combined


def listed_names(folder: Path) -> set[str]:
    """The names in the dataset folder (none when it is not made yet): one listing
    rather than a failed open per new article."""
    try:
        return set(os.listdir(folder))
    except FileNotFoundError:
        return set()
    except OSError as exc:
        raise StorageError(f"{folder}: cannot read the dataset folder: "
                           f"{exc.strerror or exc}") from exc
