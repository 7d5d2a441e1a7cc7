"""Dataset: the one API for reading and writing annotations.

One TinyDB file per article, ``<folder>/<article id>.json`` (its tables: see
``article_file.py``). Every save takes the dataset's lock (shared) and the article's (the
file itself: ``storage.py``), reads the file, writes the whole new file atomically and
releases: nothing is cached between saves that another process could have changed, so two
processes never lose each other's updates, and when a save method returns the span is on
disk. An edit of many spans is one save (``save_steps``); a write of many files (an
import, a merge, the label set) is one commit (``commit.py``): all of it or none of it,
whenever the process dies. Opening a dataset to write finishes what a dead writer left.

Reading never writes: a dataset opened ``read_only`` (stats, export) never makes its
folder or its label file, nor finishes a commit cut short (it reads its files where they
are), and a dataset that does not exist yet is made by its first write, so a refused
import leaves nothing behind.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import os
import re
import threading
import weakref
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from tui.core.disk import commit, failpoints, later, token_cache
from tui.core.disk.article_file import (
    Article,
    Item,
    find_key,
    next_key,
    read_article,
)
from tui.core.disk.files import Missing, NotReadable, read_signed
from tui.core.disk.storage import (
    LOCK_TIMEOUT_S,
    CorruptFileError,
    StorageError,
    Waiting,
    article_lock,
    discard,
    folder_lock,
    fsync_folder,
    parse_json,
    read_json,
    read_locked,
    signature,
    stage,
    write_reason,
)
from tui.core.disk.tables import ArticleTables
from tui.core.document import rejections
from tui.core.document.edits import Step
from tui.core.document.model import (
    REVIEWER,
    STATUSES,
    Document,
    GlossError,
    LabelSet,
    Relation,
    Span,
    now,
)
from tui.core.document.suggestion import Suggestion
from tui.core.store.library_rows import ArticleSummary, summary

if TYPE_CHECKING:  # imported at first use: the reader's start reads one article, no index
    from tui.core.store.article_index import ArticleIndex
    from tui.core.store.bulk import Staged

__all__ = ["Article", "ArticleSummary", "Dataset", "ImportResult"]

ARTICLE_FILE = re.compile(r"^[0-9a-f]{16}\.json$")
LABELS_FILE = "labels.json"
PATTERNS_FILE = "patterns.jsonl"  # the pattern file given last (suggest/patterns.py)
COMMIT_TIMEOUT_S = 120.0  # a commit waits this long for another one (saying so)
# A save of a file larger than this leaves for after it returns the freeing of the file it
# replaced and its row of the index (``_tables``): on a 20 MB article 5-10 ms and 8 ms of
# a 30 ms save; on a news article of a few KB they cost well under a millisecond
LATER_BYTES = 256 * 1024


@dataclass(slots=True)
class ImportResult:
    articles_added: int = 0
    articles_merged: int = 0
    spans_added: int = 0
    labels_added: list[str] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)


class Dataset:
    def __init__(self, folder: Path | str, annotator: str,
                 lock_timeout: float = LOCK_TIMEOUT_S, *, read_only: bool = False) -> None:
        self.folder = Path(folder)
        self.annotator = annotator
        self.lock_timeout = lock_timeout
        self.read_only = read_only
        # Told once when a commit waits for another process's (the command line says it)
        self.waiting: Waiting | None = None
        self.owner = commit.Owner(self.folder)  # whose temp files this one's are
        weakref.finalize(self, self.owner.release)
        self._pending: dict[str, str] = {}  # a commit cut short: name -> temp to read
        if self.folder.exists() and not self.folder.is_dir():
            raise StorageError(f"{self.folder}: not a folder")
        if self.folder.exists() and not read_only:
            if not os.access(self.folder, os.W_OK | os.X_OK):
                raise StorageError(f"{self.folder}: the dataset folder is not writable")
            commit.tidy(self.folder, lock_timeout)
            token_cache.remove_leftovers(self.folder)
        elif self.folder.is_dir():
            self._pending = commit.pending(self.folder, lock_timeout)
        self._prefix = f"{self.folder}/"
        self._texts: dict[str, Document] = {}  # text never changes under an id: safe to keep
        # The tables this process last wrote, with the file's signature then and the JSON
        # of their article table (see _tables)
        self._parsed: dict[str, tuple[tuple[int, int, int], dict[str, Any], _Written]] = {}
        self._parsed_guard = threading.Lock()  # the reader opens while the writer saves
        self.labels = self.read_labels()
        self._index: ArticleIndex | None = None
        self._index_made = threading.Lock()  # a save's thread and the board's may both ask

    @property
    def index(self) -> ArticleIndex:
        """What every article holds, kept as this process saves (article_index.py): the
        rows of this process's saves are in it (``settle``)."""
        self.settle()
        return self._made_index()

    def settle(self) -> None:
        """Return once the work this process's saves left for after them is done: their
        rows of the index written, the files they replaced freed (``disk/later.py``)."""
        later.settle()

    def _made_index(self) -> ArticleIndex:
        if self._index is None:
            from tui.core.store.article_index import ArticleIndex  # sqlite3, msgspec

            with self._index_made:
                if self._index is None:
                    self._index = ArticleIndex(self.folder, write=not self.read_only)
                    weakref.finalize(self, self._index.close)
        return self._index

    @classmethod
    def existing(cls, folder: Path | str, annotator: str) -> Dataset:
        """A dataset to read only (stats, export): never made if it is not there."""
        folder = Path(folder)
        if folder.exists() and not folder.is_dir():
            raise StorageError(f"{folder}: not a dataset folder")
        if not folder.is_dir():
            raise GlossError(f"no dataset at {folder}")
        return cls(folder, annotator, read_only=True)

    # -- files and locks -------------------------------------------------------------

    def path(self, doc_id: str) -> Path:
        return self.folder / f"{doc_id}.json"

    def stamp(self, doc_id: str) -> tuple[int, int, int]:
        """The signature of the file ``article`` reads for ``doc_id`` (the caches' key)."""
        name = f"{doc_id}.json"
        return signature(self._prefix + self._pending.get(name, name))

    def stat(self, doc_id: str) -> os.stat_result | None:
        """The file ``article`` reads for ``doc_id``, as ``os.stat`` sees it (None: gone)."""
        name = f"{doc_id}.json"
        try:
            return os.stat(self._prefix + self._pending.get(name, name))
        except OSError:
            return None

    def stats(self, ids: Iterable[str]) -> Iterator[os.stat_result | None]:
        """``stat`` of each of ``ids``, one at a time, looked up in the folder opened once:
        one name a file, not the whole path (half the time of 100,000 stats)."""
        try:
            fd = os.open(self.folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        except OSError:
            yield from map(self.stat, ids)
            return
        pending, look = self._pending.get, os.stat
        try:
            for doc_id in ids:
                name = f"{doc_id}.json"
                try:
                    yield look(pending(name, name), dir_fd=fd)
                except OSError:
                    yield None
        finally:
            os.close(fd)

    def _source(self, name: str) -> Path:
        """Where a reader reads the file ``name``: itself, or the temp file a commit cut
        short still has to put in its place (see commit.pending)."""
        return self.folder / self._pending.get(name, name)

    def token(self) -> str:
        """This process's owner token for temp files in the dataset (commit.Owner)."""
        self._writable()
        return self.owner.claim()

    def _writable(self) -> None:
        """Make the folder on the first write; refuse every write when reading only."""
        if self.read_only:
            raise StorageError(f"{self.folder}: opened to read only")
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StorageError(f"{self.folder}: cannot make the dataset folder: "
                               f"{exc.strerror or exc}") from exc

    @contextlib.contextmanager
    def _shared(self) -> Iterator[None]:
        """Hold the dataset's lock shared (a save): no commit of several files runs
        meanwhile. A journal found under it is a dead writer's: finished first."""
        self._writable()
        while True:
            with folder_lock(self.folder, exclusive=False, timeout=self.lock_timeout):
                if not os.path.lexists(self.folder / commit.JOURNAL):
                    yield
                    return
            with folder_lock(self.folder, exclusive=True, timeout=self.lock_timeout):
                commit.recover(self.folder)

    @contextlib.contextmanager
    def committing(self) -> Iterator[None]:
        """Hold the dataset's lock alone, for a commit of several files (``commit.py``);
        a commit cut short by a crash is finished first. Waits for another commit (up to
        ``COMMIT_TIMEOUT_S``), saying so through ``waiting`` after a second."""
        self._writable()
        with folder_lock(self.folder, exclusive=True,
                         timeout=max(COMMIT_TIMEOUT_S, self.lock_timeout),
                         waiting=self.waiting):
            commit.recover(self.folder)
            yield

    # -- labels ----------------------------------------------------------------------

    def read_labels(self) -> LabelSet:
        """The label set as its file holds it now (a commit reads it afresh, locked)."""
        path = self.folder / LABELS_FILE
        records = read_json(self._source(LABELS_FILE))
        if records is None:
            return LabelSet.default()
        try:
            return LabelSet.from_records(records)
        except GlossError as exc:
            raise CorruptFileError(f"{path}: {exc}") from exc

    def stage_labels(self, labels: LabelSet, change: commit.Commit) -> None:
        """Add the label set's file to ``change`` (under the dataset's lock), unless the
        file already holds exactly that set."""
        records = labels.to_records()
        path = self.folder / LABELS_FILE
        if read_json(path) == records:
            return
        temp, _ = stage(str(path), orjson.dumps(records), fsync=False, token=self.token())
        change.add(LABELS_FILE, temp)

    def replace_labels(self, labels: LabelSet) -> None:
        self._change_labels(lambda _: labels)

    def ensure_labels(self, names: Iterable[str]) -> list[str]:
        """Add the labels not yet in the set (a key and a colour each); return the new ones."""
        added: list[str] = []

        def grown(current: LabelSet) -> LabelSet:
            added.extend(n for n in dict.fromkeys(names) if current.get(n) is None)
            for name in added:
                current.add(name)
            return current

        self._change_labels(grown)
        return added

    def _change_labels(self, change: Any) -> None:
        """The label set read afresh under the dataset's lock, changed and committed."""
        with self.committing():
            labels = change(self.read_labels())
            self._commit(lambda staged: self.stage_labels(labels, staged))
        self.labels = labels

    def _commit(self, stage_into: Callable[[commit.Commit], object]) -> None:
        """One commit of what ``stage_into`` stages (under the dataset's lock): all of it
        in place, or, if anything fails before the journal, none of it and no temp file."""
        staged = commit.Commit(self.folder, self.token())
        try:
            stage_into(staged)
            staged.run()
        except BaseException:
            if not staged.decided():
                for temp in staged.temps():
                    discard(temp)
            raise

    # -- reading ---------------------------------------------------------------------

    def ids(self) -> list[str]:
        try:
            names = os.listdir(self.folder)
        except FileNotFoundError:
            return []
        except OSError as exc:
            raise StorageError(f"{self.folder}: cannot read the dataset folder: "
                               f"{exc.strerror or exc}") from exc
        if self._pending:
            names = list({*names, *self._pending})
        return sorted(name[:-5] for name in names if ARTICLE_FILE.match(name))

    def is_empty(self) -> bool:
        return not self.ids()

    def article(self, doc_id: str) -> Article:
        """Read one article file (no lock: a file is always whole), checked whole."""
        path = self.path(doc_id)
        data = read_json(self._source(path.name))
        if data is None:
            raise GlossError(f"no article {doc_id} in {self.folder}")
        return read_article(path, data)

    def open_article(self, doc_id: str) -> Article:
        """``article``, for an article opened to be edited: the tables read are kept for
        its first save, which then neither reads nor parses the file again while it is
        still the very file read (on a 20 MB article, 200 ms of processor time)."""
        path = self.path(doc_id)
        if self.read_only or self._source(path.name) != path:
            return self.article(doc_id)
        try:
            data, read = read_signed(path)
        except Missing:
            raise GlossError(f"no article {doc_id} in {self.folder}") from None
        except NotReadable as exc:
            raise CorruptFileError(f"{path}: cannot read: {exc}; the file is left as it is"
                                   ) from exc
        tables = parse_json(path, data)
        article = read_article(path, tables)  # checked: an object of tables
        self._keep(doc_id, (read, tables, (None, b"")), replace=False)
        return article

    def _keep(self, doc_id: str, parsed: tuple[tuple[int, int, int], dict[str, Any],
                                                _Written], *, replace: bool) -> None:
        """Keep the tables of a file as read or written (``replace``: over those kept;
        else a save's, written meanwhile, stay), the last four."""
        with self._parsed_guard:
            if replace or doc_id not in self._parsed:
                self._parsed[doc_id] = parsed
            while len(self._parsed) > 4:
                self._parsed.pop(next(iter(self._parsed)))

    def articles(self, wanted: set[str] | None = None
                 ) -> Iterator[Article | CorruptFileError]:
        """Every article (of ``wanted``) in the order it was added, read one at a time (the
        order is the index's); a broken file is yielded as its error, first."""
        scan = self.index.scan(self, None)
        order = [found.id for found in scan if wanted is None or found.id in wanted]
        for problem in scan.problems:
            yield CorruptFileError(problem)
        for doc_id in order:
            try:
                yield self.article(doc_id)
            except CorruptFileError as exc:  # broken since the index was read
                yield exc
            except GlossError:
                continue  # removed since the folder was listed

    def readable(self, problems: list[str]) -> Iterator[Article]:
        """Every article that can be read, in order; each broken file's one-line error is
        appended to ``problems`` (the library, stats and export all carry on without it)."""
        for item in self.articles():
            if isinstance(item, CorruptFileError):
                problems.append(str(item))
            else:
                yield item

    def some(self, wanted: set[str], problems: list[str]) -> Iterator[Article]:
        """The articles of ``wanted`` that can be read, in the library's order, one at a
        time; a broken file's one-line error goes to ``problems``."""
        for item in self.articles(wanted):
            if isinstance(item, CorruptFileError):
                problems.append(str(item))
            else:
                yield item

    def summaries(self, reviewer: str = REVIEWER, pair: tuple[str, ...] = (), *,
                  trusted: bool = False) -> tuple[list[ArticleSummary], list[str]]:
        """The library's rows, and one line for each article file that cannot be read.
        The agreement is between ``pair``'s two analysts, else each article's first two
        by name, ``reviewer`` and whoever marked it reviewed left out. The rows are the
        index's (no article file is read but those changed since their row was kept);
        for another reviewer or a pair, each agreement that is not the one a row keeps
        is worked out from the article's agree digest, read with the row (a file is read
        only where no digest is kept: an article too long for one).
        ``trusted``: the index's rows as they stand, no file looked at (the library's
        first frame, checked right after with ``unchanged``)."""
        who = self.annotator
        if reviewer == REVIEWER and not pair:
            scan = self.index.scan(self, "summary", trusted=trusted)
            rows = [ArticleSummary(found.id, r.title, r.length, r.spans_of(who),
                                   r.status.get(who, "todo"), r.analysts, *r.marked(),
                                   r.agreement, r.every)
                    for found in scan if (r := found.payload)]
            return rows, scan.problems
        from tui.core.store.agree_digest import FromFile
        from tui.core.store.index_columns import Compared

        shown = Compared(reviewer, pair)
        scan = self.index.scan(self, "summary", trusted=trusted, digests=shown.digests)
        rows: list[ArticleSummary] = []
        again: list[int] = []  # the rows whose agreement only their file can say
        for found in scan:
            r = found.payload
            agreement = shown.agreement(r, found.digest)
            if isinstance(agreement, FromFile):
                again.append(len(rows))
                agreement = None
            rows.append(ArticleSummary(found.id, r.title, r.length, r.spans_of(who),
                                       r.status.get(who, "todo"), r.analysts, *r.marked(),
                                       agreement, r.every))
        problems = scan.problems
        if not again:
            return rows, problems
        gone: set[int] = set()
        for n in again:
            try:
                rows[n] = summary(self.article(rows[n].id), who, reviewer, pair)
            except CorruptFileError as exc:  # broken since its row was read
                problems.append(str(exc))
                gone.add(n)
            except GlossError:  # removed since
                gone.add(n)
        return [row for n, row in enumerate(rows) if n not in gone], problems

    def unchanged(self, shown: list[str]) -> bool:
        """Whether rows read ``trusted`` stand: ``shown`` (their ids) is every article in
        the library's order, every file is still the one its row was kept for (a row that
        is not is put right here, when writing), and none is broken."""
        scan = self.index.scan(self, None)
        ids = [found.id for found in scan]
        return not scan.read and not scan.problems and ids == shown

    def document(self, doc_id: str) -> Document:
        if doc_id not in self._texts:
            self._texts[doc_id] = self.article(doc_id).document
        return self._texts[doc_id]

    def spans(self, doc_id: str, annotator: str | None = None) -> list[Span]:
        spans = self.article(doc_id).spans
        return [s for s in spans if annotator is None or s.annotator == annotator]

    def status(self, doc_id: str) -> str:
        return self.article(doc_id).status.get(self.annotator, "todo")

    # -- writing articles ------------------------------------------------------------

    def add_article(self, document: Document, spans: Iterable[Span] = (),
                    relations: Iterable[Relation] = ()) -> tuple[bool, int]:
        """Add an article (or merge spans into the one already there).

        Returns (new, spans added)."""
        return self.add_articles([(document, list(spans), list(relations))])[0]

    def add_articles(self, items: Iterable[Item], labels: Iterable[str] = (),
                     label_set: LabelSet | None = None,
                     statuses: dict[str, list[dict[str, Any]]] | None = None,
                     keep_tokens: bool = True, replace_statuses: bool = True,
                     staged: Staged | None = None) -> list[tuple[bool, int]]:
        """Add many articles, and ``labels`` to the label set (or to ``label_set``, which
        then replaces it), all or nothing, across any crash (``bulk.py``, ``commit.py``).

        ``items`` are taken one at a time, ``labels`` read only at the commit (a caller may
        fill them as its items are taken). Every article file to merge into is read and
        checked as its item comes: a broken one stops the import before anything is in
        place. Returns (new, spans added) for each item.
        """
        from tui.core.store.bulk import BulkImport

        return BulkImport(self, _records(items, statuses or {}), labels, label_set,
                          keep_tokens, replace_statuses, staged).run()

    # -- writing spans ---------------------------------------------------------------

    def new_span(self, doc_id: str, start: int, end: int, label: str) -> Span:
        """Check the offsets against the article, make the span and save it."""
        span = Span.new(self.document(doc_id).text, start, end, label, self.annotator)
        return self.save_span(doc_id, span)

    def save_span(self, doc_id: str, span: Span) -> Span:
        """Insert or replace ``span`` (by id): retrying a failed save is safe.

        A span identical to one already saved (same start, end, label and analyst, made
        by another process) is not saved twice: the one already there is returned.
        """
        with self._tables(doc_id) as tables:
            return ArticleTables(doc_id, tables).save_span(span)

    def remove_span(self, doc_id: str, span_id: str) -> Span:
        """Remove a span, and its links in the same write."""
        with self._tables(doc_id) as tables:
            return ArticleTables(doc_id, tables).remove_span(span_id)

    def relabel_span(self, doc_id: str, span_id: str, label: str) -> Span:
        with self._tables(doc_id) as tables:
            return ArticleTables(doc_id, tables).relabel_span(span_id, label)

    def restore_span(self, doc_id: str, span: Span) -> None:
        """Put back a removed span with its id and times (undo of a removal)."""
        self.save_span(doc_id, span)

    def save_steps(self, doc_id: str, steps: Sequence[Step]) -> None:
        """Save every step of an edit in one write of the article, in their order (links
        removed, spans, links added: ``Edit.steps``), all or nothing: a step that cannot
        be saved (a link to a span that is not there, a removal of what is not there)
        fails the edit, and nothing of it is written. See ``tables.py`` for the rules."""
        with self._tables(doc_id) as tables:
            editor = ArticleTables(doc_id, tables)
            for step in steps:
                editor.apply(step)

    def set_status(self, doc_id: str, status: str, annotator: str | None = None) -> None:
        """Set this analyst's status of the article (``annotator``'s: a reviewer's)."""
        if status not in STATUSES:
            raise GlossError(f"status must be one of {', '.join(STATUSES)}, not {status!r}")
        who = annotator or self.annotator
        with self._tables(doc_id) as tables:
            rows = tables.setdefault("status", {})
            key = find_key(rows, "annotator", who) or str(next_key(rows))
            rows[key] = {"annotator": who, "status": status, "updated": now()}

    # -- writing relations -----------------------------------------------------------

    def save_relation(self, doc_id: str, relation: Relation) -> Relation:
        """Insert or replace ``relation`` (by id). Both its spans must be saved already (the
        save queue saves in the order of the keys, spans first). The same link (head,
        child, label) saved by another process is not saved twice: that one is returned."""
        with self._tables(doc_id) as tables:
            return ArticleTables(doc_id, tables).save_relation(relation)

    def remove_relation(self, doc_id: str, relation_id: str) -> Relation:
        with self._tables(doc_id) as tables:
            return ArticleTables(doc_id, tables).remove_relation(relation_id)

    # -- suggestions -----------------------------------------------------------------

    def reject(self, doc_id: str, suggestion: Suggestion, annotator: str | None = None
               ) -> bool:
        """Keep that this analyst (``annotator``'s) rejected ``suggestion`` in the article,
        so that it is not offered again there; False when it was rejected already."""
        with self._tables(doc_id) as tables:
            text = tables["article"]["1"]["text"]
            return rejections.add(tables, text, suggestion, annotator or self.annotator)

    def unreject(self, doc_id: str, suggestion: Suggestion, annotator: str | None = None
                 ) -> bool:
        """Take a rejection back (undo); False when there was none."""
        with self._tables(doc_id) as tables:
            return rejections.remove(tables, suggestion, annotator or self.annotator)

    def keep_patterns(self, data: bytes) -> None:
        """Keep a pattern file (checked by the caller) with the dataset, replacing the one
        kept before: ``gloss suggest`` and the reader read it when none is given."""
        def kept(staged: commit.Commit) -> None:
            temp, _ = stage(str(self.folder / PATTERNS_FILE), data, fsync=False,
                            token=self.token())
            staged.add(PATTERNS_FILE, temp)

        with self.committing():
            self._commit(kept)

    def kept_patterns(self) -> Path | None:
        path = self.folder / PATTERNS_FILE
        return path if path.is_file() else None

    @contextlib.contextmanager
    def _tables(self, doc_id: str) -> Iterator[dict[str, Any]]:
        """One locked read-modify-write of an article's TinyDB tables.

        Under the dataset's lock (shared: no commit of several files meanwhile) and the
        article's (the file itself, ``storage.article_lock``), the file is read through
        the descriptor locked, parsed once and checked whole (a broken file is never
        written over); the tables are handed over and written back once, fsynced and
        renamed into place (nothing is written if the block raises). Nor is the file
        parsed at all when it is still the very one this process last wrote: same inode,
        mtime and size (another process's save replaces the file, so it is read afresh).
        Every save still reaches the disk before it returns. The article table (the text:
        20 MB of a 20 MB article) is the same at every save, so the JSON made of it at the
        first save is written again as it is at the next ones (orjson made the rest).

        A large file's save leaves for after it returns what need not hold the caller
        up (``LATER_BYTES``, ``disk/later.py``, ``_after_save``): freeing the file
        replaced, and the article's row of the index.
        """
        path = self.path(doc_id)
        after: Callable[[], None] | None = None  # a large file's: once its locks are let go
        with self._shared(), self._locked(doc_id) as (fd, info):
            before = (info.st_ino, info.st_mtime_ns, info.st_size)
            with self._parsed_guard:
                cached = self._parsed.pop(doc_id, None)
            written: _Written = (None, b"")
            if cached is not None and cached[0] == before:
                # the file is the one this process last read or wrote
                tables, written = cached[1], cached[2]
            else:
                tables = parse_json(path, read_locked(fd))
                if not isinstance(tables, dict):
                    raise CorruptFileError(f"{path}: not a Gloss article file (top level is"
                                           " not an object)")
                read_article(path, tables)
            tables.setdefault("spans", {})
            yield tables  # an exception here or in the write leaves nothing cached
            failpoints.point("save")
            try:
                written, payload = _table_json(tables, written)
            except orjson.JSONEncodeError as exc:  # nested past orjson's limit, say
                raise StorageError(f"{path}: not saved: {exc}") from exc
            temp, made = stage(str(path), payload, fsync=True, token=self.token())
            try:
                os.replace(temp, path)
            except OSError as exc:
                discard(temp)
                raise StorageError(f"{path}: not saved: {write_reason(exc)}") from exc
            fsync_folder(self.folder)
            failpoints.point("saved")
            self._keep(doc_id, (made, tables, written), replace=True)
            if made[2] <= LATER_BYTES:
                # its row, still under the article's lock, so that two writers' rows land
                # in the order of their files (a kill here leaves the row stale: read
                # again by the next reader)
                self._made_index().record_tables(doc_id, made, path, tables, self.labels)
                return
            # A large file: the descriptor locked is the last one open on the file
            # replaced, and closing it frees that file, so a copy of it is closed after
            # the save returns (its lock let go of now, the descriptor closed as the
            # block ends: the copy is then the last one), and the row is kept then
            try:
                fcntl.flock(fd, fcntl.LOCK_UN)
                replaced: int | None = os.dup(fd)
            except OSError:  # out of descriptors: freed here, as the lock is let go of
                replaced = None
            rows = {name: dict(table) if type(table) is dict else table
                    for name, table in tables.items()}  # the next save changes tables
            # the index's module is not imported here for it (sqlite3 and the rest: a
            # first save in a reader that has shown no library took 130 ms more)
            keep = self._index.write if self._index is not None else not self.read_only
            labels = self.labels
            after = functools.partial(_after_save, keep, doc_id, made, path, rows, labels,
                                      replaced)
        if after is not None:
            later.later(after)

    @contextlib.contextmanager
    def _locked(self, doc_id: str) -> Iterator[tuple[int, os.stat_result]]:
        try:
            with article_lock(self.path(doc_id), self.lock_timeout) as held:
                yield held
        except Missing:
            raise GlossError(f"no article {doc_id} in {self.folder}") from None


def _after_save(keep: bool, doc_id: str, made: tuple[int, int, int], path: Path,
                tables: dict[str, Any], labels: LabelSet, replaced: int | None) -> None:
    """After a save has returned (on ``later``'s thread): free the file it replaced, then
    keep its row of the index (``keep``), unless the file is replaced already (by a later
    save, which keeps its own row). A row is a cache, used only while the file has its
    signature: one written late, or not at all (a kill), is a stale row, read again by
    the next reader."""
    if replaced is not None:
        os.close(replaced)
    failpoints.point("row")
    if keep and signature(path) == made:
        _row_writer(path.parent).record_tables(doc_id, made, path, tables, labels)


# The indexes the rows of saves are written through, on ``later``'s thread only: a
# connection of their own, that no other thread uses or closes (a dataset's is closed
# when it goes, and a connection closed under a query in another thread crashes)
_ROW_WRITERS: dict[Path, ArticleIndex] = {}


def _row_writer(folder: Path) -> ArticleIndex:
    from tui.core.store.article_index import ArticleIndex

    index = _ROW_WRITERS.pop(folder, None) or ArticleIndex(folder, write=True)
    _ROW_WRITERS[folder] = index  # the last one used is last
    while len(_ROW_WRITERS) > 4:
        _ROW_WRITERS.pop(next(iter(_ROW_WRITERS))).close()
    return index


# The article table a save wrote and the JSON it wrote of it (None, b"": none yet)
_Written = tuple[dict[str, Any] | None, bytes | memoryview]


def _table_json(tables: dict[str, Any], written: _Written
                ) -> tuple[_Written, list[bytes | memoryview]]:
    """The bytes ``orjson.dumps(tables)`` gives, in pieces: a table at a time (each dumped
    as the one key of an object, so as deep as in the whole; its braces left out by a
    view, not a copy: 20 MB copied took 10 to 40 ms), the article table's JSON taken from
    ``written`` when it is that very table (no save changes it)."""
    pieces: list[bytes | memoryview] = [b"{"]
    for key, table in tables.items():
        if len(pieces) > 1:
            pieces.append(b",")
        if key != "article":
            pieces.append(memoryview(orjson.dumps({key: table}))[1:-1])
            continue
        if written[0] is not table:
            written = (table, memoryview(orjson.dumps({key: table}))[1:-1])
        pieces.append(written[1])
    pieces.append(b"}")
    return written, pieces


def _records(items: Iterable[Item], statuses: dict[str, list[dict[str, Any]]]
             ) -> Iterator[tuple[Item, list[dict[str, Any]]]]:
    """Each item with its article's status rows, given with its first item only."""
    given: set[str] = set()
    for item in items:
        doc_id = item[0].id
        yield item, statuses.get(doc_id, []) if doc_id not in given else []
        given.add(doc_id)
