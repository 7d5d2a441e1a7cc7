"""Adding many articles to a dataset at once, all or nothing.

An import either puts every one of its articles and labels in place or leaves the dataset
as it was. In order:

1. *check*: every article file it merges into is read and checked (nothing is locked or
   written yet), so a broken file stops the import before the first byte is written;
2. *stage*: new articles go to temp files beside their place, made durable together by one
   ``os.sync()`` (2,000 fsyncs would take seconds);
3. *commit*: a new article is linked into place (``link`` never replaces an article
   another process made meanwhile: that one is merged into instead; it needs no lock, so
   an import of 100,000 articles makes no 100,000 lock files), and under its lock an
   existing one is read again, merged and replaced; then the new labels;
4. on any failure during the commit, what this import put in place is taken back: new
   files removed, merged files restored, each only if nobody has written it since.
"""

from __future__ import annotations

import contextlib
import gc
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from tui.core import token_cache
from tui.core.article_file import Item, merge, new_tables, read_article
from tui.core.model import LabelSet
from tui.core.storage import (
    AtomicStorage,
    StorageError,
    discard,
    fsync_folder,
    read_json,
    signature,
    stage,
    write_atomic,
    write_json_atomic,
)

if TYPE_CHECKING:
    from tui.core.dataset import Dataset



@dataclass(slots=True)
class Staged:
    """New articles already written to temp files beside their place (by a merge, in two
    processes): for each id its temp file, the file's signature and the spans it holds;
    ``load`` gives an article's item and status rows again, should another process make
    the article before it is linked (it is then merged into instead)."""

    temps: dict[str, tuple[str, tuple[int, int, int], int]]
    load: Callable[[str], tuple[Item, list[dict[str, Any]]]]


@dataclass(slots=True)
class _Done:
    """One article this import has put in place, and how to take it back."""

    path: Path
    signature: tuple[int, int, int]
    old: bytes | None  # the file before (None: the article is new)


class BulkImport:
    def __init__(self, dataset: Dataset, items: list[Item], labels: list[str],
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
        self.done: list[_Done] = []

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
        existing = set()
        for doc_id in self.items:  # check: a broken file raises here, nothing written yet
            if f"{doc_id}.json" not in listed:
                continue  # one made after the listing is found by link and merged into
            data = read_json(dataset.path(doc_id))
            if data is not None:
                read_article(dataset.path(doc_id), data)
                existing.add(doc_id)
        if not self.items and not self.labels and self.label_set is None and not self.staged:
            return []
        new = [doc_id for doc_id in self.items if doc_id not in existing]
        dataset._writable()
        folder = str(dataset.folder)
        staged: dict[str, tuple[str, tuple[int, int, int]]] = {}
        try:
            for doc_id in new:
                document, spans, relations = self.items[doc_id]
                tables = new_tables(document)
                added, _ = merge(tables, spans, relations, self.statuses.get(doc_id, ()),
                                 self.replace_statuses)
                staged[doc_id] = stage(f"{folder}/{doc_id}.json", orjson.dumps(tables),
                                       fsync=False)
                self.results[doc_id] = (True, added)
            for doc_id, (temp, made, added) in (self.staged.temps.items() if self.staged
                                                 else ()):
                staged[doc_id] = (temp, made)
                self.results[doc_id] = (True, added)
                self.order.append(doc_id)
            if staged:
                os.sync()
            for doc_id, (temp, made) in staged.items():
                self._link(doc_id, temp, made)
            for doc_id in [d for d in self.items if d not in self.results]:
                self._merge(doc_id)
            if staged:
                fsync_folder(dataset.folder)
            if self.label_set is not None:
                for name in self.labels:
                    self.label_set.add(name)
                dataset.replace_labels(self.label_set)
            elif self.labels:
                dataset.ensure_labels(self.labels)
        except BaseException:
            self._take_back()
            raise
        finally:
            for temp, _ in staged.values():
                discard(temp)
        if self.keep_tokens:
            self._keep_tokens(new)
        return [self.results[doc_id] for doc_id in self.order]

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

    def _link(self, doc_id: str, temp: str, made: tuple[int, int, int]) -> None:
        """Put a staged new article in place. No lock is needed: ``link`` is atomic and
        never replaces a file, and the article's signature is the temp file's (a link
        keeps inode, mtime and size), so a save by someone else in between still tells."""
        path = f"{self.dataset.folder}/{doc_id}.json"
        try:
            os.link(temp, path)
        except FileExistsError:
            del self.results[doc_id]  # made meanwhile by someone else: merged below
            if doc_id not in self.items and self.staged is not None:
                self.items[doc_id], self.statuses[doc_id] = self.staged.load(doc_id)
            return
        except OSError as exc:
            raise StorageError(f"{path}: not saved: {exc.strerror or exc}") from exc
        self.done.append(_Done(Path(path), made, None))

    def _merge(self, doc_id: str) -> None:
        path = self.dataset.path(doc_id)
        document, spans, relations = self.items[doc_id]
        with self.dataset._lock(doc_id):
            old = _read_bytes(path)
            tables = AtomicStorage(path).read()
            if tables is None:
                tables = new_tables(document)
            else:
                read_article(path, tables)
            added, linked = merge(tables, spans, relations, self.statuses.get(doc_id, ()),
                                  self.replace_statuses)
            self.results[doc_id] = (old is None, added)
            if old is None or added or linked:
                write_json_atomic(path, tables)
                self.done.append(_Done(path, signature(path), old))

    def _take_back(self) -> None:
        """Undo what this import put in place, newest first, where nobody wrote since.

        Under the article's lock where it can be taken; where even that fails (someone
        removing the folder of locks as fast as it is made), without it: a partial import
        would be worse than the small race.
        """
        for done in reversed(self.done):
            with contextlib.ExitStack() as held, contextlib.suppress(OSError, StorageError):
                with contextlib.suppress(StorageError):
                    held.enter_context(self.dataset._lock(done.path.stem))
                if signature(done.path) != done.signature:
                    continue  # written by someone else since: theirs now
                if done.old is None:
                    done.path.unlink()
                else:
                    write_atomic(done.path, done.old)


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


def _read_bytes(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None
