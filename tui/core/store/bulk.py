"""Adding many articles to a dataset at once, all or nothing, across any crash, in memory
bounded by the largest article rather than by the number of articles.

An import either puts every one of its articles and labels in place or leaves the dataset
as it was, whenever it is killed. Its records are taken one at a time, as they are read:

1. *stage*: a record of a new article is made into its article and written at once to a
   temp file beside its place (``commit.py``: named with this process's owner token); a
   record of an article the dataset holds reads and checks that article's file (a broken
   one stops the import: nothing is in place yet, the temp files are removed), merges the
   record into it and writes the result to a temp file likewise, keeping the signature of
   the file it was merged from. A later record of an article already staged (records
   sharing a text, anywhere in the input) is merged into its temp file, read back, which
   is written again. What is kept in memory is small and per article: its temp file, the
   signatures, the spans added; its index row, what it brought to an article merged into
   and the text whose tokens to keep go to a *spool*, a nameless file in the dataset's
   folder that nothing sees and that goes with this process, however it ends;
2. *commit*, under the dataset's exclusive lock (no save, no other commit meanwhile): an
   article merged into that someone saved since, or a new one that someone made since, is
   merged again, from the file as it is now and what this import brought to it (its temp
   file, for a new one; the spool, for one merged into); the label set is read afresh and
   staged if it changes; then every staged file goes in place through one journal
   (``commit.Commit``).
3. After the commit: the index rows are recorded, and the tokens of the new articles kept
   within their time budget, both read back from the spool a batch at a time.

Nothing in place is ever taken back: before the commit point nothing is in place (the
temp files are removed; a killed import's are removed by the next opening), after it
everything goes in place, if not by this process then by the next one to open the dataset.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import tempfile
import time
from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import orjson

from tui.core.disk import failpoints, token_cache
from tui.core.disk.article_file import Item, merge, new_tables, read_article
from tui.core.disk.commit import Commit, Owner, check_staged
from tui.core.disk.files import Missing, NotReadable, open_regular, read_bytes
from tui.core.disk.storage import (
    FILE_MODE,
    TEMP_SUFFIX,
    CorruptFileError,
    StorageError,
    discard,
    parse_json,
    read_locked,
    signature,
    stage,
)
from tui.core.document.model import Document, LabelSet
from tui.core.store.article_index import ArticleIndex, entry


class Target(Protocol):
    """What an import needs of the dataset it adds to (dataset.py's Dataset is one)."""

    folder: Path
    labels: LabelSet
    index: ArticleIndex
    owner: Owner

    def path(self, doc_id: str) -> Path: ...
    def token(self) -> str: ...
    def committing(self) -> AbstractContextManager[None]: ...
    def read_labels(self) -> LabelSet: ...
    def stage_labels(self, labels: LabelSet, change: Commit) -> None: ...

Signature = tuple[int, int, int]


@dataclass(slots=True)
class Staged:
    """New articles already written to temp files beside their place (by a merge, in two
    processes): for each id its temp file, the file's signature and the spans it holds.
    Should another process make the article before the commit, it is merged into instead,
    from the temp file."""

    temps: dict[str, tuple[str, Signature, int]]


# A record: an article's item and the status rows it brings
Record = tuple[Item, Sequence[dict[str, Any]]]
# A place in the spool: offset, length
Place = tuple[int, int]
# Texts whose tokens to keep are handed to the token cache this much at a time (or one
# longer text alone): each hand-over makes one cache file, which later ones are merged with
TOKEN_BATCH_CHARS = 8_000_000
ROW_BATCH = 1000  # index rows recorded in one transaction


class Spool:
    """A nameless file in the dataset's folder (gone with this process, however it ends)
    holding what an import needs again later, so that memory holds only its places."""

    def __init__(self, folder: Path) -> None:
        try:  # never named: nothing is left for anyone to see or tidy
            self.fd = os.open(folder, os.O_TMPFILE | os.O_RDWR | os.O_CLOEXEC, FILE_MODE)
        except OSError:  # a file system without nameless files: named, then unlinked
            self.fd, name = tempfile.mkstemp(dir=folder, prefix=".spool-",
                                             suffix=TEMP_SUFFIX)
            os.unlink(name)
        self.end = 0

    def put(self, data: bytes) -> Place:
        at, self.end = self.end, self.end + len(data)
        view = memoryview(data)
        while view:
            written = os.pwrite(self.fd, view, self.end - len(view))
            view = view[written:]
        return at, len(data)

    def get(self, place: Place) -> bytes:
        at, length = place
        parts = []
        while length:
            part = os.pread(self.fd, length, at)
            if not part:
                raise StorageError("the import's spool file was cut short")
            parts.append(part)
            at, length = at + len(part), length - len(part)
        return b"".join(parts)

    def close(self) -> None:
        os.close(self.fd)


class BulkImport:
    """``records`` are taken one at a time (see the module's docstring); ``labels``, to add
    to the label set, are read only at the commit, so a caller may fill them meanwhile."""

    def __init__(self, dataset: Target, records: Iterable[Record], labels: Iterable[str],
                 label_set: LabelSet | None = None, keep_tokens: bool = True,
                 replace_statuses: bool = True, staged: Staged | None = None) -> None:
        self.dataset = dataset
        self.records = records
        self.staged = staged
        self.replace_statuses = replace_statuses
        self.keep_tokens = keep_tokens
        self.labels = labels
        self.label_set = label_set
        self.folder = str(dataset.folder)  # strings: 100,000 paths, pathlib costs here
        self.order: list[str] = []  # each record's article id
        self.results: dict[str, tuple[bool, int]] = {}  # each article's: new, spans added
        # What is staged: each article's temp file's signature, and the signature of the
        # file it was merged from (None: a new article)
        self.made: dict[str, Signature] = {}
        self.basis: dict[str, Signature | None] = {}
        self.rows: dict[str, Place] = {}  # index rows (added, columns), in the spool
        self.gave: dict[str, Place] = {}  # what the import brings to an article merged into
        self.texts: dict[str, Place] = {}  # texts whose tokens to keep
        self.change: Commit | None = None
        self.spool: Spool | None = None
        self.kept: token_cache.Index | None = None
        self.listed: set[str] = set()

    def run(self) -> list[tuple[bool, int]]:
        """Returns (new, spans added) for each record, in order."""
        try:
            return self._run()
        finally:
            if self.kept is not None:
                self.kept.close()
            if self.spool is not None:
                self.spool.close()

    def _run(self) -> list[tuple[bool, int]]:
        dataset = self.dataset
        self.listed = listed_names(dataset.folder)
        made_folder = not os.path.isdir(self.folder)
        labels: LabelSet | None = None
        try:
            for item, statuses in self.records:
                self._take(item, statuses)
            if not self.results and not self.labels and self.label_set is None \
                    and not self.staged:
                return []
            change = self._change()
            for doc_id, (temp, made, added) in (self.staged.temps.items() if self.staged
                                                 else ()):
                change.add(f"{doc_id}.json", temp)
                self.made[doc_id], self.basis[doc_id] = made, None
                self.results[doc_id] = (True, added)
                self.order.append(doc_id)
            failpoints.point("staged")
            with dataset.committing():
                self._settle(change)
                labels = self._labels()
                if labels is not None:
                    dataset.stage_labels(labels, change)
                change.run()
        except BaseException:
            if self.change is None or not self.change.decided():
                for temp in [*(self.change.temps() if self.change else ()),
                             *(temp for temp, _, _ in (self.staged.temps.values()
                                                        if self.staged else ()))]:
                    discard(temp)
                if made_folder:  # a refused import makes no dataset
                    self.dataset.owner.release()
                    with contextlib.suppress(OSError):
                        self.dataset.folder.rmdir()
            raise
        if labels is not None:
            dataset.labels = labels
        self._record_rows()
        if self.keep_tokens:
            self._keep_tokens()
        return [self.results[doc_id] for doc_id in self.order]

    def _change(self) -> Commit:
        if self.change is None:
            self.change = Commit(self.dataset.folder, self.dataset.token())
        return self.change

    def _take(self, item: Item, statuses: Sequence[dict[str, Any]]) -> None:
        """Merge one record into its article as staged, or as its file holds it, or into
        a new one, and stage the result."""
        document, spans, relations = item
        doc_id = document.id
        self.order.append(doc_id)
        name = f"{doc_id}.json"
        path = f"{self.folder}/{name}"
        change = self._change()
        temp = change.moves.get(name)
        met = doc_id in self.results
        if temp is not None:  # staged already, by an earlier record
            basis = self.basis[doc_id]
            tables = orjson.loads(read_bytes(f"{self.folder}/{temp}"))
        elif met or name in self.listed:
            basis, tables = _read(Path(path))
            if tables is None:
                tables = new_tables(document)  # removed since: made again
            else:
                read_article(Path(path), tables)  # a broken file stops the import here
        else:
            basis, tables = None, new_tables(document)
        added, linked = merge(tables, spans, relations, statuses, self.replace_statuses)
        if basis is not None:  # what this import brings, merged again should it change
            gave = orjson.loads(self._spool().get(self.gave[doc_id])) \
                if doc_id in self.gave else new_tables(document)
            merge(gave, spans, relations, statuses, self.replace_statuses)
            self.gave[doc_id] = self._spool().put(orjson.dumps(gave))
        new, before = self.results.get(doc_id, (basis is None, 0))
        self.results[doc_id] = (new, before + added)
        if temp is not None or basis is None or added or linked:
            if temp is not None:
                discard(f"{self.folder}/{temp}")
                del change.moves[name]
            self._stage(change, path, orjson.dumps(tables), basis, tables)
        if not met and self.keep_tokens and (basis is None or self._untokenized(document)):
            self.texts[doc_id] = self._spool().put(document.text.encode())

    def _spool(self) -> Spool:
        if self.spool is None:
            self.spool = Spool(self.dataset.folder)
        return self.spool

    def _untokenized(self, document: Document) -> bool:
        """Has an article merged into no kept tokens that check out?"""
        with contextlib.suppress(Exception):
            if self.kept is None:
                self.kept = token_cache.Index(self.dataset.folder)
            return self.kept.get(document.id, document.text) is None
        return False

    def _stage(self, change: Commit, path: str, payload: bytes, basis: Signature | None,
               tables: dict[str, Any]) -> None:
        doc_id = path.rpartition("/")[2][:-5]
        temp, made = stage(path, payload, fsync=False, token=change.token)
        change.add(f"{doc_id}.json", temp)
        self.made[doc_id], self.basis[doc_id] = made, basis
        # its row of the index, kept once the commit is in place (a renamed file keeps
        # its signature): worked out now, while the tables are at hand, and spooled
        article = read_article(Path(path), tables)
        # (pickled: a row holds bytes; the spool is read back by this process alone)
        self.rows[doc_id] = self._spool().put(pickle.dumps(
            (article.added, entry(article, self.dataset.labels)), pickle.HIGHEST_PROTOCOL))

    def _settle(self, change: Commit) -> None:
        """Under the dataset's lock, before the commit: an article someone saved since it
        was merged, or made since this import staged it as new, is merged (again) from its
        file as it is now; every other staged file is checked to be still there."""
        folder = self.folder
        for doc_id, basis in list(self.basis.items()):
            name = f"{doc_id}.json"
            now = signature(f"{folder}/{name}")
            if now == (basis or (0, 0, 0)):
                check_staged(f"{folder}/{change.moves[name]}", self.made[doc_id])
                continue
            temp = f"{folder}/{change.moves.pop(name)}"
            del self.basis[doc_id]
            try:  # what this import brings: all of a new article, or as spooled
                gave = orjson.loads(read_bytes(temp) if basis is None
                                    else self._spool().get(self.gave[doc_id]))
            finally:
                discard(temp)
            self._merge_again(change, doc_id, gave)

    def _merge_again(self, change: Commit, doc_id: str, gave: dict[str, Any]) -> None:
        """Merge what this import brings to an article into its file as it is now; stage
        the result if it changes the file."""
        path = self.dataset.path(doc_id)
        brought = read_article(path, gave)
        basis, tables = _read(path)
        if tables is None:
            tables = new_tables(brought.document)
        else:
            read_article(path, tables)
        added, linked = merge(tables, brought.span_rows, brought.relations,
                              gave.get("status", {}).values(), self.replace_statuses)
        self.results[doc_id] = (basis is None, added)
        if basis is None or added or linked:
            self._stage(change, str(path), orjson.dumps(tables), basis, tables)

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

    def _record_rows(self) -> None:
        """Keep the index rows of the articles put in place, a batch at a time."""
        batch: list[tuple[str, Signature, int, dict[str, Any]]] = []
        for doc_id in self.basis:
            if doc_id not in self.rows:
                continue
            added, columns = pickle.loads(self._spool().get(self.rows[doc_id]))
            batch.append((doc_id, self.made[doc_id], added, columns))
            if len(batch) >= ROW_BATCH:
                self.dataset.index.record_made(batch, self.dataset.labels)
                batch = []
        self.dataset.index.record_made(batch, self.dataset.labels)

    def _keep_tokens(self) -> None:
        """Keep the tokens of the new articles, and of the others that have none that check
        out, for the export, within a time budget (see token_cache), a batch at a time.
        The articles are in place by now: nothing here may fail the import."""
        folder = self.dataset.folder
        deadline = time.monotonic() + token_cache.IMPORT_BUDGET_S
        with contextlib.suppress(Exception):
            batch: list[tuple[str, str]] = []
            size = 0
            for doc_id, place in self.texts.items():
                batch.append((doc_id, self._spool().get(place).decode()))
                size += place[1]
                if size >= TOKEN_BATCH_CHARS:
                    token_cache.fill(folder, batch, deadline - time.monotonic())
                    batch, size = [], 0
                    if time.monotonic() >= deadline:
                        return
            token_cache.fill(folder, batch, deadline - time.monotonic())


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
