"""Dataset: the one API for reading and writing annotations.

One TinyDB file per article, ``<folder>/<article id>.json``, with three tables:
``article`` (text, metadata), ``spans`` and ``status`` (one row per analyst). Every save
takes the article's lock, opens a fresh TinyDB on :class:`AtomicStorage`, writes and
releases: nothing is cached between saves, so two processes never lose each other's
updates, and when a save method returns the span is on disk.
"""

from __future__ import annotations

import contextlib
import os
import re
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tui.core.model import STATUSES, Document, GlossError, LabelSet, Relation, Span, now
from tui.core.storage import (
    LOCK_TIMEOUT_S,
    AtomicStorage,
    CorruptFileError,
    StorageError,
    discard,
    exclusive_lock,
    fsync_folder,
    leftover_temps,
    read_json,
    try_lock,
    write_json_atomic,
    write_temp,
)

ARTICLE_FILE = re.compile(r"^[0-9a-f]{16}\.json$")
LABELS_FILE = "labels.json"
LOCKS = ".locks"


@dataclass(frozen=True, slots=True)
class ArticleSummary:
    """One row of the library: what the analyst needs to pick an article."""

    id: str
    title: str
    length: int
    spans: int
    status: str


@dataclass(slots=True)
class ImportResult:
    articles_added: int = 0
    articles_merged: int = 0
    spans_added: int = 0
    labels_added: list[str] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Article:
    """An article as read from its file: the document, its spans and each analyst's status."""

    document: Document
    spans: list[Span]
    status: dict[str, str]
    added: int
    relations: list[Relation] = field(default_factory=list)


class Dataset:
    def __init__(self, folder: Path | str, annotator: str,
                 lock_timeout: float = LOCK_TIMEOUT_S) -> None:
        self.folder = Path(folder)
        self.annotator = annotator
        self.lock_timeout = lock_timeout
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StorageError(f"{self.folder}: cannot create the dataset folder: "
                               f"{exc.strerror}") from exc
        if not os.access(self.folder, os.W_OK):
            raise StorageError(f"{self.folder}: the dataset folder is not writable")
        self._texts: dict[str, Document] = {}  # text never changes under an id: safe to keep
        # The tables this process last wrote, with the file's signature then (see _tables)
        self._parsed: dict[str, tuple[tuple[int, int, int], dict[str, Any]]] = {}
        self.labels = self._load_labels()
        self._remove_leftover_temps()

    # -- files and locks -------------------------------------------------------------

    def path(self, doc_id: str) -> Path:
        return self.folder / f"{doc_id}.json"

    def _lock(self, name: str) -> contextlib.AbstractContextManager[None]:
        return exclusive_lock(self.folder / LOCKS / f"{name}.lock", self.lock_timeout)

    def _remove_leftover_temps(self) -> None:
        """A crash mid-save leaves a temp file; remove it unless its writer is still alive."""
        for temp in leftover_temps(self.folder):
            doc_id = temp.name[1:].split(".", 1)[0]
            (self.folder / LOCKS).mkdir(exist_ok=True)
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
        if not isinstance(records, list):
            raise CorruptFileError(f"{path}: expected a list of labels")
        return LabelSet.from_records(records)

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
        return sorted(p.name[:-5] for p in self.folder.iterdir() if ARTICLE_FILE.match(p.name))

    def is_empty(self) -> bool:
        return not any(ARTICLE_FILE.match(p.name) for p in self.folder.iterdir())

    def article(self, doc_id: str) -> Article:
        """Read one article file (no lock: a file is always whole)."""
        data = read_json(self.path(doc_id))
        if data is None:
            raise GlossError(f"no article {doc_id} in {self.folder}")
        return _article_from_tables(self.path(doc_id), data)

    def articles(self) -> Iterator[Article | CorruptFileError]:
        """Every article in the order it was added; a broken file is yielded as its error."""
        found: list[Article | CorruptFileError] = []
        for doc_id in self.ids():
            try:
                found.append(self.article(doc_id))
            except CorruptFileError as exc:
                found.append(exc)
        yield from sorted(found, key=_added_order)

    def readable(self, problems: list[str]) -> Iterator[Article]:
        """Every article that can be read, in order; each broken file's one-line error is
        appended to ``problems`` (the library, stats and export all carry on without it)."""
        for item in self.articles():
            if isinstance(item, CorruptFileError):
                problems.append(str(item))
            else:
                yield item

    def summaries(self) -> tuple[list[ArticleSummary], list[str]]:
        """The library's rows, and one line for each article file that cannot be read."""
        problems: list[str] = []
        rows = [ArticleSummary(a.document.id, a.document.title, len(a.document.text),
                               len(a.spans), a.status.get(self.annotator, "todo"))
                for a in self.readable(problems)]
        return rows, problems

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
        """Add an article (or merge spans into the one already there). Returns (new, spans added).

        The whole file is written once, so a new article never exists without its spans.
        """
        with self._lock(document.id):
            data = read_json(self.path(document.id))
            is_new = data is None
            if data is None:
                data = _new_article_tables(document)
            added, linked = _merge(data, spans, relations)
            if is_new or added or linked:
                write_json_atomic(self.path(document.id), data)
        self._texts[document.id] = Document(document.id, document.text,
                                            data["article"]["1"]["meta"])
        return is_new, added

    def add_articles(self, items: Iterable[tuple[Document, list[Span], list[Relation]]]
                     ) -> list[tuple[bool, int]]:
        """Add many articles; what :meth:`add_article` does for each, in far fewer fsyncs.

        New articles are written to temp files, made durable together by one ``sync``, then
        linked into place (``link`` never replaces an article another process just made) and
        the folder is fsynced once: a crash at any point leaves each article whole or absent.
        """
        items = list(items)
        results: dict[str, tuple[bool, int]] = {}
        staged: list[tuple[Path, Document]] = []
        try:
            for document, spans, relations in items:
                if document.id in results or self.path(document.id).exists():
                    continue
                data = _new_article_tables(document)
                added, _ = _merge(data, spans, relations)
                staged.append((write_temp(self.path(document.id), data, fsync=False),
                               document))
                results[document.id] = (True, added)
            if staged:
                os.sync()
            for temp, document in staged:
                with self._lock(document.id):
                    try:
                        os.link(temp, self.path(document.id))
                    except FileExistsError:
                        del results[document.id]  # made meanwhile: merge below
                    except OSError as exc:
                        raise StorageError(f"{self.path(document.id)}: not saved: "
                                           f"{exc.strerror}") from exc
            if staged:
                fsync_folder(self.folder)
        finally:
            for temp, _document in staged:
                discard(temp)
        for document, spans, relations in items:
            if document.id not in results:
                results[document.id] = self.add_article(document, spans, relations)
            else:
                self._texts.setdefault(document.id, document)
        return [results[document.id] for document, _, _ in items]

    # -- writing spans ---------------------------------------------------------------

    def new_span(self, doc_id: str, start: int, end: int, label: str) -> Span:
        """Check the offsets against the article, make the span and save it."""
        span = Span.new(self.document(doc_id).text, start, end, label, self.annotator)
        self.save_span(doc_id, span)
        return span

    def save_span(self, doc_id: str, span: Span) -> None:
        """Insert or replace ``span`` (by id): retrying a failed save is safe."""
        with self._tables(doc_id) as tables:
            spans = tables["spans"]
            spans[_find_key(spans, "id", span.id) or str(_next_key(spans))] = span.to_record()

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

    def set_status(self, doc_id: str, status: str) -> None:
        if status not in STATUSES:
            raise GlossError(f"status must be one of {', '.join(STATUSES)}, not {status!r}")
        with self._tables(doc_id) as tables:
            rows = tables.setdefault("status", {})
            key = _find_key(rows, "annotator", self.annotator) or str(_next_key(rows))
            rows[key] = {"annotator": self.annotator, "status": status, "updated": now()}

    @contextlib.contextmanager
    def _tables(self, doc_id: str) -> Iterator[dict[str, Any]]:
        """One locked read-modify-write of an article's TinyDB tables.

        TinyDB's own ``Table.contains`` + ``insert`` read and parse the file three times a
        save; on a 1 MB article with 5,000 spans that is most of a save's time. This parses
        it at most once, hands over the tables and writes them back once (nothing is written
        if the block raises). Nor is it parsed at all when, under the lock, the file is
        still the very one this process last wrote: same inode, mtime and size (another
        process's save replaces the file, so it is read afresh). Every save still reaches
        the disk before it returns.
        """
        path = self.path(doc_id)
        with self._lock(doc_id):
            signature = _signature(path)
            cached = self._parsed.pop(doc_id, None)
            if cached is not None and cached[0] == signature:
                tables = cached[1]  # the file is the one this process last read or wrote
            else:
                tables = AtomicStorage(path).read()
            if tables is None or not tables.get("article"):
                raise GlossError(f"no article {doc_id} in {self.folder}")
            tables.setdefault("spans", {})
            yield tables  # an exception here or in the write leaves nothing cached
            write_json_atomic(path, tables)
            self._parsed[doc_id] = (_signature(path), tables)
            while len(self._parsed) > 4:
                self._parsed.pop(next(iter(self._parsed)))

    @staticmethod
    def _span_key_of(doc_id: str, spans: dict[str, Any], span_id: str) -> str:
        key = _find_key(spans, "id", span_id)
        if key is None:
            raise GlossError(f"article {doc_id} has no span {span_id}")
        return key


def _find_key(table: dict[str, Any], field: str, value: object) -> str | None:
    """The TinyDB document id of the row whose ``field`` is ``value``."""
    return next((key for key, row in table.items() if row.get(field) == value), None)


def _next_key(table: dict[str, Any]) -> int:
    """The next free TinyDB document id of a table (a batch adds 1, 2, ... to it)."""
    return max(map(int, table), default=0) + 1


def _signature(path: Path) -> tuple[int, int, int]:
    stat = path.stat() if path.exists() else None
    return (stat.st_ino, stat.st_mtime_ns, stat.st_size) if stat else (0, 0, 0)


def _new_article_tables(document: Document) -> dict[str, Any]:
    return {
        "article": {"1": {"id": document.id, "text": document.text, "meta": document.meta,
                          "added": time.time_ns()}},
        "spans": {},
        "status": {},
        "relations": {},
    }


def _merge(data: dict[str, Any], spans: Iterable[Span],
           relations: Iterable[Relation]) -> tuple[int, int]:
    """Add to an article's tables the spans and relations it does not have yet.

    A span already there (same extent, label and analyst) is not added again, and the
    relations that named it are pointed at the one kept. Returns (spans, relations) added.
    """
    table = data.setdefault("spans", {})
    kept = {_span_key(row): row["id"] for row in table.values()}
    first_span = _next_key(table)
    renamed: dict[str, str] = {}
    added = 0
    for span in spans:
        if span.key in kept:
            renamed[span.id] = kept[span.key]
            continue
        kept[span.key] = span.id
        table[str(first_span + added)] = span.to_record()
        added += 1
    links = data.setdefault("relations", {})
    have = {(r["head"], r["child"], r["label"]) for r in links.values()}
    first_link = _next_key(links)
    linked = 0
    for relation in relations:
        head = renamed.get(relation.head, relation.head)
        child = renamed.get(relation.child, relation.child)
        if (head, child, relation.label) in have:
            continue
        have.add((head, child, relation.label))
        links[str(first_link + linked)] = {**relation.to_record(), "head": head,
                                           "child": child}
        linked += 1
    return added, linked


def _span_key(row: dict[str, Any]) -> tuple[Any, ...]:
    return (row.get("start"), row.get("end"), row.get("label"), row.get("annotator"))


def _article_from_tables(path: Path, data: Any) -> Article:
    try:
        row = data["article"]["1"]
        document = Document(row["id"], row["text"], row["meta"])
        spans = [Span.from_record(r) for r in data.get("spans", {}).values()]
        status = {r["annotator"]: r["status"] for r in data.get("status", {}).values()}
        relations = [Relation.from_record(r) for r in data.get("relations", {}).values()]
        added = int(row.get("added", 0))
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise CorruptFileError(f"{path}: not a Gloss article file (missing {exc})") from exc
    spans.sort(key=lambda s: (s.start, -s.end, s.label, s.annotator, s.id))
    return Article(document, spans, status, added, relations)


def _added_order(item: Article | CorruptFileError) -> tuple[int, str]:
    if isinstance(item, CorruptFileError):
        return (0, str(item))
    return (item.added, item.document.id)
