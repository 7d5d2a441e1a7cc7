"""Dataset: the one API for reading and writing annotations.

One TinyDB file per article, ``<folder>/<article id>.json`` (its tables: see
``article_file.py``). Every save takes the article's lock, reads the file, writes the
whole new file atomically and releases: nothing is cached between saves that another
process could have changed, so two processes never lose each other's updates, and when a
save method returns the span is on disk.

Reading never writes: a dataset opened ``read_only`` (stats, export) never makes its
folder, its locks or its label file, and a dataset that does not exist yet is made by its
first write, so a refused import leaves nothing behind.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tui.core import token_cache
from tui.core.article_file import (
    Article,
    Item,
    find_key,
    next_key,
    read_article,
    span_key,
)
from tui.core.model import (
    REVIEWER,
    STATUSES,
    Document,
    GlossError,
    LabelSet,
    Relation,
    Span,
    now,
)
from tui.core.storage import (
    LOCK_TIMEOUT_S,
    AtomicStorage,
    CorruptFileError,
    StorageError,
    exclusive_lock,
    leftover_temps,
    read_json,
    signature,
    try_lock,
    write_atomic,
    write_json_atomic,
)
from tui.core.suggest import rejections
from tui.core.suggest.suggestion import Suggestion

if TYPE_CHECKING:
    from tui.core.bulk import Staged

__all__ = ["Article", "ArticleSummary", "Dataset", "ImportResult"]

ARTICLE_FILE = re.compile(r"^[0-9a-f]{16}\.json$")
LABELS_FILE = "labels.json"
PATTERNS_FILE = "patterns.jsonl"  # the pattern file given last (suggest/patterns.py)
LOCKS = ".locks"


@dataclass(frozen=True, slots=True)
class ArticleSummary:
    """One row of the library: what the analyst needs to pick an article; for a team, who
    has marked it done, who reviewed it and how far its first two analysts agree."""

    id: str
    title: str
    length: int
    spans: int  # its spans; for a team's article, this analyst's (or the reviewer's) only
    status: str
    analysts: tuple[str, ...] = ()  # with a span or a status here, by name
    done_by: tuple[str, ...] = ()
    reviewed_by: tuple[str, ...] = ()
    agreement: float | None = None  # span F1, overlapping (see agreement.article_agreement)
    every: int = 0  # the spans of every analyst


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
        if self.folder.exists() and not self.folder.is_dir():
            raise StorageError(f"{self.folder}: not a folder")
        if self.folder.exists() and not read_only:
            if not os.access(self.folder, os.W_OK | os.X_OK):
                raise StorageError(f"{self.folder}: the dataset folder is not writable")
            self._remove_leftover_temps()
        self._texts: dict[str, Document] = {}  # text never changes under an id: safe to keep
        # The tables this process last wrote, with the file's signature then (see _tables)
        self._parsed: dict[str, tuple[tuple[int, int, int], dict[str, Any]]] = {}
        self.labels = self._load_labels()

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

    def _lock(self, name: str) -> contextlib.AbstractContextManager[None]:
        self._writable()
        return exclusive_lock(self.folder / LOCKS / f"{name}.lock", self.lock_timeout)

    def _writable(self) -> None:
        """Make the folder on the first write; refuse every write when reading only."""
        if self.read_only:
            raise StorageError(f"{self.folder}: opened to read only")
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StorageError(f"{self.folder}: cannot make the dataset folder: "
                               f"{exc.strerror or exc}") from exc

    def _remove_leftover_temps(self) -> None:
        """A crash mid-save leaves a temp file; remove it unless its writer is still alive."""
        token_cache.remove_leftovers(self.folder)
        for temp in leftover_temps(self.folder):
            doc_id = temp.name[1:].split(".", 1)[0]
            fd = try_lock(self.folder / LOCKS / f"{doc_id}.lock")
            if fd is None:
                continue
            try:
                temp.unlink(missing_ok=True)
            finally:
                os.close(fd)

    # -- labels ----------------------------------------------------------------------

    def _load_labels(self) -> LabelSet:
        path = self.folder / LABELS_FILE
        records = read_json(path)
        if records is None:
            return LabelSet.default()
        try:
            return LabelSet.from_records(records)
        except GlossError as exc:
            raise CorruptFileError(f"{path}: {exc}") from exc

    def replace_labels(self, labels: LabelSet) -> None:
        with self._lock("labels"):
            write_json_atomic(self.folder / LABELS_FILE, labels.to_records())
        self.labels = labels

    def ensure_labels(self, names: Iterable[str]) -> list[str]:
        """Add the labels not yet in the set (a key and a colour each); return the new ones."""
        with self._lock("labels"):
            self.labels = self._load_labels()
            added = [name for name in dict.fromkeys(names) if self.labels.get(name) is None]
            if added:
                for name in added:
                    self.labels.add(name)
                write_json_atomic(self.folder / LABELS_FILE, self.labels.to_records())
        return added

    # -- reading ---------------------------------------------------------------------

    def ids(self) -> list[str]:
        try:
            names = os.listdir(self.folder)
        except FileNotFoundError:
            return []
        except OSError as exc:
            raise StorageError(f"{self.folder}: cannot read the dataset folder: "
                               f"{exc.strerror or exc}") from exc
        return sorted(name[:-5] for name in names if ARTICLE_FILE.match(name))

    def is_empty(self) -> bool:
        return not self.ids()

    def article(self, doc_id: str) -> Article:
        """Read one article file (no lock: a file is always whole), checked whole."""
        path = self.path(doc_id)
        data = read_json(path)
        if data is None:
            raise GlossError(f"no article {doc_id} in {self.folder}")
        return read_article(path, data)

    def articles(self) -> Iterator[Article | CorruptFileError]:
        """Every article in the order it was added; a broken file is yielded as its error."""
        found: list[Article | CorruptFileError] = []
        for doc_id in self.ids():
            try:
                found.append(self.article(doc_id))
            except CorruptFileError as exc:
                found.append(exc)
            except GlossError:
                continue  # removed since the folder was listed
        yield from sorted(found, key=_added_order)

    def readable(self, problems: list[str]) -> Iterator[Article]:
        """Every article that can be read, in order; each broken file's one-line error is
        appended to ``problems`` (the library, stats and export all carry on without it)."""
        for item in self.articles():
            if isinstance(item, CorruptFileError):
                problems.append(str(item))
            else:
                yield item

    def summaries(self, reviewer: str = REVIEWER, pair: tuple[str, ...] = ()
                  ) -> tuple[list[ArticleSummary], list[str]]:
        """The library's rows, and one line for each article file that cannot be read.
        The agreement is between ``pair``'s two analysts, else each article's first two
        by name, ``reviewer`` and whoever marked it reviewed left out."""
        problems: list[str] = []
        return [summary(a, self.annotator, reviewer, pair) for a in self.readable(problems)
                ], problems

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
        then replaces it), all or nothing.

        Every article file to merge into is read and checked first: a broken one stops
        the import before anything is written. New articles are written to temp files,
        made durable together by one ``sync`` and linked into place (``link`` never
        replaces an article another process just made); articles that exist are merged
        under their lock. If anything fails on the way, what this import already put in
        place is taken back, so the dataset is as it was. Returns (new, spans added) for
        each item.
        """
        from tui.core.bulk import BulkImport

        return BulkImport(self, list(items), list(labels), label_set, statuses,
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
            spans = tables["spans"]
            same_id = None
            for key, row in spans.items():
                if row["id"] == span.id:
                    same_id = key
                    break
                if span_key(row) == span.key:
                    return Span.from_record(row)
            spans[same_id or str(next_key(spans))] = span.to_record()
        return span

    def remove_span(self, doc_id: str, span_id: str) -> Span:
        with self._tables(doc_id) as tables:
            spans = tables["spans"]
            key = self._span_key_of(doc_id, spans, span_id)
            links = tables.get("relations", {})
            for link in [k for k, r in links.items() if span_id in (r["head"], r["child"])]:
                del links[link]  # a relation never points at a span that is gone
            return Span.from_record(spans.pop(key))

    def relabel_span(self, doc_id: str, span_id: str, label: str) -> Span:
        with self._tables(doc_id) as tables:
            spans = tables["spans"]
            key = self._span_key_of(doc_id, spans, span_id)
            span = Span.from_record(spans[key]).relabelled(label)
            spans[key] = span.to_record()
        return span

    def restore_span(self, doc_id: str, span: Span) -> None:
        """Put back a removed span with its id and times (undo of a removal)."""
        self.save_span(doc_id, span)

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
            spans = {row["id"] for row in tables["spans"].values()}
            missing = [i for i in (relation.head, relation.child) if i not in spans]
            if missing:
                raise GlossError(f"article {doc_id} has no span {missing[0]} to link")
            links = tables.setdefault("relations", {})
            same_id = None
            for key, row in links.items():
                if row["id"] == relation.id:
                    same_id = key
                    break
                if (row["head"], row["child"], row["label"]) == relation.key:
                    return Relation.from_record(row)
            links[same_id or str(next_key(links))] = relation.to_record()
        return relation

    def remove_relation(self, doc_id: str, relation_id: str) -> Relation:
        with self._tables(doc_id) as tables:
            links = tables.setdefault("relations", {})
            key = find_key(links, "id", relation_id)
            if key is None:
                raise GlossError(f"article {doc_id} has no relation {relation_id}")
            return Relation.from_record(links.pop(key))

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
        with self._lock("patterns"):
            write_atomic(self.folder / PATTERNS_FILE, data)

    def kept_patterns(self) -> Path | None:
        path = self.folder / PATTERNS_FILE
        return path if path.is_file() else None

    @contextlib.contextmanager
    def _tables(self, doc_id: str) -> Iterator[dict[str, Any]]:
        """One locked read-modify-write of an article's TinyDB tables.

        TinyDB's own ``Table.contains`` + ``insert`` read and parse the file three times a
        save; on a 1 MB article with 5,000 spans that is most of a save's time. This parses
        it at most once, checks it whole (a broken file is never written over), hands over
        the tables and writes them back once (nothing is written if the block raises). Nor
        is it parsed at all when, under the lock, the file is still the very one this
        process last wrote: same inode, mtime and size (another process's save replaces
        the file, so it is read afresh). Every save still reaches the disk before it
        returns.
        """
        path = self.path(doc_id)
        with self._lock(doc_id):
            before = signature(path)
            cached = self._parsed.pop(doc_id, None)
            if cached is not None and cached[0] == before:
                tables = cached[1]  # the file is the one this process last read or wrote
            else:
                tables = AtomicStorage(path).read()
                if tables is None:
                    raise GlossError(f"no article {doc_id} in {self.folder}")
                read_article(path, tables)
            tables.setdefault("spans", {})
            yield tables  # an exception here or in the write leaves nothing cached
            write_json_atomic(path, tables)
            self._parsed[doc_id] = (signature(path), tables)
            while len(self._parsed) > 4:
                self._parsed.pop(next(iter(self._parsed)))

    @staticmethod
    def _span_key_of(doc_id: str, spans: dict[str, Any], span_id: str) -> str:
        key = find_key(spans, "id", span_id)
        if key is None:
            raise GlossError(f"article {doc_id} has no span {span_id}")
        return key


def summary(article: Article, analyst: str, reviewer: str = REVIEWER,
            pair: tuple[str, ...] = ()) -> ArticleSummary:
    """The library's row of ``article`` for ``analyst``."""
    document, rows, status = article.document, article.span_rows, article.status
    analysts = tuple(sorted({row["annotator"] for row in rows} | status.keys()))
    reviewed = tuple(who for who in analysts if status.get(who) == "reviewed")
    if len(analysts) < 2:
        return ArticleSummary(document.id, document.title, len(document.text), len(rows),
                              status.get(analyst, "todo"), analysts, reviewed,
                              every=len(rows))
    from tui.core.agreement import article_agreement  # rapidfuzz: not for every command

    done = tuple(who for who in analysts if status.get(who) == "done")
    compared = pair or tuple(w for w in analysts if w != reviewer and w not in reviewed)[:2]
    mine = sum(row["annotator"] == analyst for row in rows)  # 3 analysts' 18 each: 18
    return ArticleSummary(document.id, document.title, len(document.text), mine,
                          status.get(analyst, "todo"), analysts, done, reviewed,
                          article_agreement(rows, status, compared), len(rows))


def _added_order(item: Article | CorruptFileError) -> tuple[int, str]:
    if isinstance(item, CorruptFileError):
        return (0, str(item))
    return (item.added, item.document.id)
