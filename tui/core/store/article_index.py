"""The dataset's index: what every article holds, one row an article, kept by the writers
as they save, so that the library, the stats, the claims board and ``gloss agree`` start
without reading every article file.

``<dataset>/.cache/index.sqlite`` (SQLite, Python's own) has one row per article file:
its signature (inode, modification time in ns, size), the key of the label set the row
was worked out under, when the article was added, and four JSON columns (``claims`` and
``agree`` in tables of their own, ``digests`` and ``agrees``, so that the pass of the
library and the stats reads the small rows only; the rows kept in the library's order):

- ``summary``: the library's row (title, length, spans, each analyst's status, analysts,
  who marked it done and reviewed, the agreement of its first two analysts);
- ``counts``: its counts for the figures (``figures.ArticleCounts``, as ``tally.py``
  keeps them);
- ``claims``: its claims and what they link to, and its canonical names
  (``claim_cache.py``'s digest);
- ``agree``: its share of ``gloss agree``'s figures (``agree_digest.py``: its tokens
  counted by the labels its analysts gave them, each pair's matches), so that
  ``gloss agree`` reads no article file.

Who writes it: every save (``Dataset._tables``) updates the article's row after the new
file is in place and before the article's lock is released, and an import updates the rows
of the files it committed; the app (a writable dataset) writes the rows it had to work
out again. A read-only command never writes it. Why it stays right:

- a row is used only when the file's signature now is the one in the row and the label
  set's key is the current one; any other row is stale, and the file is read again (and
  its row rewritten when the dataset is writable). A writer killed between its file and
  its row leaves a stale row: the next reader reads that file again;
- the index is a cache, never data: a save never fails because of it (any error of
  SQLite is swallowed and the row left stale), and a file that is not an SQLite
  database, of another version, or whose rows are not of the shape written here (edited
  by hand, cut short) is ignored row by row or replaced whole; but the versions before
  (``BEFORE``) are read as they are by a read-only command and brought up in place by a
  writer;
- no durability is asked of SQLite (``synchronous=OFF``): a crash of the machine may lose
  rows or the whole file, which only costs reading the files again.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path
from typing import Any, Protocol

import msgspec
import orjson

from tui.core.attribution.claim_index import names_given
from tui.core.counts.figures import claim_labels, count
from tui.core.disk.article_file import Article, read_article
from tui.core.disk.collector import collector_paused
from tui.core.disk.storage import CorruptFileError
from tui.core.document.model import REVIEWER, GlossError, LabelSet
from tui.core.store import agree_digest, claim_table
from tui.core.store.index_columns import PARSE, claims_entry, counts_entry
from tui.core.store.library_rows import summary


class Source(Protocol):
    """What a pass over the index needs of the dataset (``Dataset``: not imported here,
    which imports this)."""

    labels: LabelSet

    def ids(self) -> list[str]: ...
    def stat(self, doc_id: str) -> os.stat_result | None: ...
    def stats(self, ids: list[str]) -> Iterator[os.stat_result | None]: ...
    def article(self, doc_id: str) -> Article: ...

FOLDER = ".cache"
NAME = "index.sqlite"
# 2: the spans of each analyst in the library's row; 3: the claims digest in a table of
# its own, and the rows kept in the library's order, so that the library's and the stats'
# pass reads 50 MB at 100,000 articles from end to end, not 400 MB in bits; the agree
# column; the claims tables (``claim_table.py``); 4: the agree digests in a table of their
# own too (34 MB at 100,000 articles that the library's and the stats' pass read for
# nothing)
VERSION = 4
COLUMNS = ("summary", "counts", "claims", "agree")
EVERYTHING = (*COLUMNS, claim_table.KEY)  # a row's columns and its claims' rows
# Bytes of a page of a new index (SQLite's default: 4,096). The claims tables are read
# from end to end, a page a read: at 100,000 articles, 460,000 reads of 4 KB for the
# JSONL, a fifth of its processor time in the kernel; a save's rows, a page of each
# table, are written no slower (fewer levels). An index made before keeps its pages.
PAGE = 16384
BUSY_S = 2.0  # another writer's transaction: a few ms; past this the row is left stale
_BATCH = 500  # rows rebuilt between two commits
_ANNOTATOR = itemgetter("annotator")
# columns small enough to read with the keys, all at once
_WHOLE = ("summary", "counts", "agree")
Stamp = tuple[int, int, int]
Progress = Callable[[int, int], None]  # (files read again, files to read)
# The rows whose agree digests a pass also reads (``Scan.digests``): those whose digest,
# as stored, holds every piece of bytes of one of these (JSON of a name, of a status)
Wanted = Sequence[Sequence[bytes]]
Parse = Callable[[str, Any], Any]  # (id, the column as stored): decoded, or None

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS articles (
    id TEXT NOT NULL, ino INTEGER, mtime INTEGER, size INTEGER, labels TEXT,
    added INTEGER NOT NULL, summary BLOB, counts BLOB, PRIMARY KEY (added, id)
) WITHOUT ROWID;
CREATE UNIQUE INDEX IF NOT EXISTS by_id ON articles (id);
CREATE TABLE IF NOT EXISTS digests (id TEXT PRIMARY KEY, claims BLOB);
CREATE TABLE IF NOT EXISTS agrees (
    added INTEGER NOT NULL, id TEXT NOT NULL, agree BLOB, PRIMARY KEY (added, id)
) WITHOUT ROWID;
CREATE UNIQUE INDEX IF NOT EXISTS agrees_by_id ON agrees (id);
"""
# The versions before this one, brought up to it in place by a writer (seconds, where
# reading every file again takes minutes), read as they are by a read-only command: their
# rows are the same. 3: the agree digests a column of the articles; 2: the claims digest
# a column of the articles, no agree digests (``gloss agree`` reads the file of an article
# brought up from it until it is saved again) and no claims tables
BEFORE = ("3", "2")
MIGRATE_S = 120.0  # another writer bringing it up: seconds at 100,000 articles
_NEW_ARTICLES = """
CREATE TABLE new_articles (
    id TEXT NOT NULL, ino INTEGER, mtime INTEGER, size INTEGER, labels TEXT,
    added INTEGER NOT NULL, summary BLOB, counts BLOB, PRIMARY KEY (added, id)
) WITHOUT ROWID;
INSERT OR IGNORE INTO new_articles SELECT id, ino, mtime, size, labels, added, summary,
    counts FROM articles WHERE typeof(id) = 'text' AND typeof(added) = 'integer';
CREATE TABLE agrees (
    added INTEGER NOT NULL, id TEXT NOT NULL, agree BLOB, PRIMARY KEY (added, id)
) WITHOUT ROWID;
CREATE UNIQUE INDEX agrees_by_id ON agrees (id);
"""
_SWAP = """
DROP TABLE articles;
ALTER TABLE new_articles RENAME TO articles;
CREATE UNIQUE INDEX by_id ON articles (id);
UPDATE meta SET value = '4' WHERE name = 'version'
"""
_MIGRATE = {
    "3": _NEW_ARTICLES + """
INSERT OR IGNORE INTO agrees SELECT added, id, agree FROM articles
    WHERE typeof(id) = 'text' AND typeof(added) = 'integer' AND agree IS NOT NULL
    ORDER BY added, id;""" + _SWAP,
    "2": _NEW_ARTICLES + """
CREATE TABLE digests (id TEXT PRIMARY KEY, claims BLOB);
INSERT OR IGNORE INTO digests SELECT id, claims FROM articles WHERE typeof(id) = 'text';
""" + _SWAP,
}
_ROW = "INSERT OR REPLACE INTO articles VALUES (?,?,?,?,?,?,?,?)"
_DIGEST = "INSERT OR REPLACE INTO digests VALUES (?,?)"
_AGREE = "INSERT OR REPLACE INTO agrees VALUES (?,?,?)"


def _gate(digests: Wanted) -> str:
    """The SQL test of a stored agree digest for ``digests``: the bytes searched for as
    hex literals (a name is data, never SQL). A digest it leaves out that is needed after
    all (one written otherwise, by hand) only costs reading that article's file."""
    return " OR ".join(
        "(" + " AND ".join(f"instr(agree, X'{piece.hex()}')" for piece in pieces) + ")"
        if pieces else "1" for pieces in digests) or "0"


def _busy(exc: sqlite3.Error) -> bool:
    """Was ``exc`` another connection holding the file past the timeout? Then the index
    is in use, not broken: a writer must never replace it for that (it would throw away
    another process's index, and with it minutes of work at 100,000 articles)."""
    code = getattr(exc, "sqlite_errorcode", None)
    # the primary code is the low byte of an extended one (SQLITE_BUSY_SNAPSHOT, ...)
    return code is not None and code & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)


def labels_key(labels: LabelSet) -> str:
    """What the label-dependent columns were worked out under: the relations and the
    labels a SOURCE link goes from."""
    return orjson.dumps([sorted([r.name, r.head, r.child] for r in labels.relations),
                         sorted(claim_labels(labels))]).decode()


def entry(article: Article, labels: LabelSet, columns: tuple[str, ...] = EVERYTHING
          ) -> dict[str, Any]:
    """The columns of ``article``'s row (those of ``columns``), as JSON-ready values."""
    out: dict[str, Any] = {}
    if "summary" in columns:
        row = summary(article, "", REVIEWER)
        mine = Counter(map(_ANNOTATOR, article.span_rows))  # a team's library: each one's
        out["summary"] = [row.title, row.length, row.every, dict(article.status),
                          list(row.analysts), list(row.done_by), list(row.reviewed_by),
                          row.agreement, dict(mine)]
    if "counts" in columns:
        out["counts"] = counts_entry(count(article, claim_labels(labels)))
    if "claims" in columns:
        out["claims"] = claims_entry(article, labels, names_given(article))
    if "agree" in columns:
        out["agree"] = agree_digest.entry(article, agree_digest.claim_label(labels))
    if claim_table.KEY in columns:  # None: none kept, its claims read from its file
        out[claim_table.KEY] = (claim_table.rows_of(article, labels)
                                if len(article.document.text) <= claim_table.KEPT_UP_TO
                                else None)
    return out


class ArticleIndex:
    """The index of one dataset folder, opened at first use. ``write``: rows worked out
    again are kept (a writable dataset); never for a read-only command."""

    def __init__(self, folder: Path, *, write: bool) -> None:
        self.folder = folder
        self.write = write
        self.path = folder / FOLDER / NAME
        self._db: sqlite3.Connection | None = None
        self._pid = 0
        self.queries = _QUERIES[str(VERSION)]  # of the version opened (BEFORE: read only)

    # -- the file --------------------------------------------------------------------

    def connection(self) -> sqlite3.Connection | None:
        """The index's connection (None: no usable index), for the claims table's
        queries (``claim_pass.py``)."""
        return self._open()

    def _open(self) -> sqlite3.Connection | None:
        """The connection, or None when there is no usable index (read-only and none, a
        link, a file SQLite cannot use and that cannot be replaced)."""
        if self._db is not None and self._pid == os.getpid():
            return self._db
        self._db = None  # a connection is never used across a fork (a merge's child)
        if self.path.parent.is_symlink() or self.path.is_symlink():
            return None
        if os.path.lexists(self.path) and not self.path.is_file():
            return None  # a FIFO, a folder: never opened (a FIFO would hang)
        if not self.path.is_file():
            if not self.write or not self._make():
                return None
        elif not os.access(self.path, os.R_OK):
            return None
        for attempt in range(2):
            try:
                db = self._connect()
            except sqlite3.Error as exc:
                if _busy(exc):  # another process's long transaction: its index is sound
                    return None
                db = None
            if db is not None:
                self._db, self._pid = db, os.getpid()
                return db
            if attempt or not self.write:
                return None
            with contextlib.suppress(OSError):  # not a database, or of another version
                self.path.unlink()
            if not self._make():
                return None
        return None

    def _make(self) -> bool:
        """An empty file with the user's umask (shared folders: the group may write)."""
        try:
            self.path.parent.mkdir(exist_ok=True)
            if self.path.parent.is_symlink() or not self.path.parent.is_dir():
                return False
            flags = os.O_CREAT | os.O_EXCL | os.O_WRONLY | os.O_NOFOLLOW
            os.close(os.open(self.path, flags, 0o666))
        except OSError:
            return False
        return True

    def _connect(self) -> sqlite3.Connection | None:
        uri = f"{self.path.absolute().as_uri()}?mode={'rw' if self.write else 'ro'}"
        db = sqlite3.connect(uri, uri=True, timeout=BUSY_S, isolation_level=None,
                             check_same_thread=False)
        try:
            db.execute("PRAGMA synchronous=OFF")
            tables = {r[0] for r in db.execute(
                "SELECT name FROM sqlite_master WHERE type='table'")}
            if not tables and self.write:
                db.execute(f"PRAGMA page_size = {PAGE}")  # (an empty file: not yet fixed)
                db.executescript(_SCHEMA)
                claim_table.make(db)
                db.execute("INSERT OR REPLACE INTO meta VALUES ('version', ?)",
                           (str(VERSION),))
            version = db.execute("SELECT value FROM meta WHERE name='version'").fetchone()
            found = version[0] if version is not None else None
            if found in BEFORE and self.write:
                _migrate(db)
                claim_table.make(db)  # from 2: empty, the claims of those read from files
                found = str(VERSION)
            if found not in _QUERIES:
                db.close()
                return None
            self.queries = _QUERIES[found]
            for column in _WHOLE:
                db.execute(self.queries["keys"] % self.queries[column] + " LIMIT 1",
                           ("",)).fetchall()
            db.execute(self.queries["claims"] + " LIMIT 1").fetchall()
            if self.queries["digests"]:
                db.execute(self.queries["digests"] % "0").fetchall()
            if self.write:  # claims tables of an earlier layout: brought up in place
                claim_table.upgrade(db)
            # version 2 has no claims tables: gloss claims reads its files
            if (found != "2" and claim_table.supported()
                    and not claim_table.usable(db)):
                db.close()
                return None
        except sqlite3.Error as exc:
            db.close()
            if _busy(exc):
                raise
            return None
        return db

    def close(self) -> None:
        if self._db is not None and self._pid == os.getpid():
            with contextlib.suppress(sqlite3.Error):
                self._db.close()
        self._db = None

    # -- writing ---------------------------------------------------------------------

    def record(self, doc_id: str, stamp: Stamp, article: Article, labels: LabelSet
               ) -> None:
        """Keep ``article``'s row, its file having the signature ``stamp``. Never fails:
        a row not written is a stale row, read again later."""
        self.record_many([(doc_id, stamp, article)], labels)

    def record_tables(self, doc_id: str, stamp: Stamp, path: Path, tables: dict[str, Any],
                      labels: LabelSet) -> None:
        """Keep the row of the tables a save has just written to ``path`` (signature
        ``stamp``). The save is on disk already: nothing here may fail it."""
        if not self.write:
            return
        with contextlib.suppress(GlossError):
            self.record(doc_id, stamp, read_article(path, tables), labels)

    def record_many(self, items: list[tuple[str, Stamp, Article]], labels: LabelSet
                    ) -> None:
        if self.write and items:
            self.record_made([(doc_id, stamp, article.added, entry(article, labels))
                              for doc_id, stamp, article in items], labels)

    def record_made(self, items: list[tuple[str, Stamp, int, dict[str, Any]]],
                    labels: LabelSet) -> None:
        """Keep rows already worked out (``entry``): (id, signature, added, columns)."""
        if not self.write or not items:
            return
        with contextlib.suppress(sqlite3.Error, OSError, orjson.JSONEncodeError):
            db = self._open()
            if db is None:
                return
            key = labels_key(labels)
            blobs = [(doc_id, stamp, added,
                      {c: orjson.dumps(made[c]) if c in made else None for c in COLUMNS})
                     for doc_id, stamp, added, made in items]
            with _transaction(db):
                db.executemany(_ROW, [(doc_id, *stamp, key, added, b["summary"], b["counts"])
                                      for doc_id, stamp, added, b in blobs])
                # replaced with the row, null or not: an agree digest has no signature of
                # its own, the row's stands for it
                db.executemany(_DIGEST, [(doc_id, b["claims"]) for doc_id, _, _, b in blobs])
                db.executemany(_AGREE, [(added, doc_id, b["agree"])
                                        for doc_id, _, added, b in blobs])
                claim_table.replace(db, key, [(doc_id, stamp, made.get(claim_table.KEY))
                                              for doc_id, stamp, _added, made in items])

    # -- reading ---------------------------------------------------------------------

    def scan(self, dataset: Source, column: str | None, progress: Progress | None = None,
             parse: Parse | None = None, *, trusted: bool = False, digests: Wanted = ()
             ) -> Scan:
        """Every article's ``column`` (None: none, only the order), in the library's
        order (when added, then id), each from its row when the row is fresh, else worked
        out from the file (then kept, when writing). Memory: the rows' keys, and the
        columns of the files read again by a read-only command; never an article but the
        one being read. ``parse``: how the column is decoded and checked, when not as
        ``index_columns.PARSE`` says. ``trusted``: the rows as they stand, the folder
        neither listed nor its files looked at (but those of rows of another label set),
        for a first frame that a pass checked (``trusted=False``) corrects right after;
        an index without rows is a checked pass. ``digests``: the articles whose agree
        digest comes with their column too (``Found.digest``; see ``Wanted``)."""
        return Scan(self, dataset, column, progress, parse, trusted, digests)


# The queries of each version. "keys": the rows' keys (and "%s": a column read with them,
# or nothing), in the library's order: a row of another type or an id no file has is
# passed over in SQL; under each of ``_WHOLE``, the column read with the keys (",
# <expression> FROM <tables>"), NULL where a version has none; under "claims", the rows'
# keys with that column (``_Cursor``).
_KEYS = ("SELECT a.id, a.ino, a.mtime, a.size, a.labels = ?, a.added%s"
         " WHERE typeof(a.id) = 'text' AND typeof(a.added) = 'integer'"
         " AND length(a.id) = 16 AND NOT a.id GLOB '*[^0-9a-f]*' ORDER BY a.added, a.id")
_DIGESTS = ("SELECT a.id, a.added, a.ino, a.mtime, a.size, a.labels, d.claims"
            " FROM articles a LEFT JOIN digests d USING (id) ORDER BY a.added, a.id")
# Under "digests", the agree digests that pass a test ("%s", ``_gate``), by id: read in
# the same transaction as the keys (``Scan._fetch``), so that each is its row's (a row and
# its digest are written together); along the table, not looked up row by row (a third
# of the time, at 100,000 articles)
_QUERIES = {
    "4": {"keys": _KEYS, "": " FROM articles a", "summary": ", a.summary FROM articles a",
          "digests": "SELECT id, added, agree FROM agrees WHERE %s",
          "counts": ", a.counts FROM articles a",
          # kept in the same order as the articles: each row's digest is the next one
          "agree": ", g.agree FROM articles a LEFT JOIN agrees g"
                   " ON g.added = a.added AND g.id = a.id",
          "claims": _DIGESTS},
    "3": {"keys": _KEYS, "": " FROM articles a", "summary": ", a.summary FROM articles a",
          "counts": ", a.counts FROM articles a", "agree": ", a.agree FROM articles a",
          "digests": "SELECT id, added, agree FROM articles WHERE %s", "claims": _DIGESTS},
    "2": {"keys": _KEYS, "": " FROM articles a", "summary": ", a.summary FROM articles a",
          "counts": ", a.counts FROM articles a", "agree": ", NULL FROM articles a",
          "digests": "", "claims": "SELECT id, added, ino, mtime, size, labels, claims"
                    " FROM articles ORDER BY added, id"},
}


@dataclass(slots=True)
class Found:
    id: str
    stamp: Stamp
    # the column, decoded and checked (index_columns.py); None when none was asked for
    payload: Any
    # the article's agree digest as stored (``Scan.digests``), of the same version of its
    # file as the column; None: not asked for, not kept, or left out by the test
    digest: Any = None


@dataclass
class Scan:
    """One pass over the index (see ``ArticleIndex.scan``): iterate it for each article's
    ``Found``; ``problems`` has one line for each file that cannot be read, once the
    iteration has started."""

    index: ArticleIndex
    dataset: Source
    column: str | None
    progress: Progress | None = None
    parse: Parse | None = None
    trusted: bool = False
    digests: Wanted = ()
    problems: list[str] = field(default_factory=list)
    read: int = 0  # files read again (a stale or missing row)
    total: int = 0  # articles
    # the digests asked for, as stored: (when added, digest) by id; and those of the
    # files read again, by id (their rows' would be of another version of the file)
    _agrees: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    _made: dict[str, bytes] = field(default_factory=dict)

    def __iter__(self) -> Iterator[Found]:
        dataset, column = self.dataset, self.column
        key = labels_key(dataset.labels)
        index = self.index
        db = index._open()
        # the rows' keys, in the library's order; with their column too when it is small
        # (the library's, the figures', the agreement's): one pass over the table, not two
        whole = column in _WHOLE
        # labels = ?: 1 when the row was worked out under these labels (no 100,000 strings)
        query = index.queries["keys"] % index.queries[column if whole else ""]
        known: dict[str, tuple[Any, ...]] = {}
        with collector_paused():  # 100,000 rows, no cycle
            if db is not None:
                known = self._fetch(db, query, key)
            # every row stands (its own signature, or the file's and the same), one a
            # file: each row as it comes, no per-row bookkeeping (the library's and the
            # stats' pass, on a dataset whose index is up to date)
            as_they_stand = whole or column is None
            if self.trusted and known:
                # the rows' own signatures; a row of other labels has its file read
                other = [i for i, row in known.items() if row[4] != 1]
                if not other and as_they_stand:
                    self.total = len(known)
                    yield from self._standing(known.values())
                    return
                stamps = {i: row[1:4] for i, row in known.items()}
                for i in other:
                    stamps[i] = _stamp(dataset.stat(i))
                ids = list(stamps)
            else:
                ids = dataset.ids()
                stamps = dict(zip(ids, map(_stamp, dataset.stats(ids)), strict=True))
            self.total = len(ids)
            stale = [i for i in ids if (row := known.get(i)) is None
                     or row[1:4] != stamps[i] or row[4] != 1]
            if not stale and len(known) == len(stamps) and as_they_stand:
                yield from self._standing(known.values())
                return
            order = {doc_id: row[5] for doc_id, row in known.items() if doc_id in stamps}
        held: dict[str, Any] = {}  # columns worked out and not written (read-only)
        self._rebuild(stale, stamps, order, held)
        if db is not None and index.write:
            gone = known.keys() - stamps.keys()
            if gone:
                with contextlib.suppress(sqlite3.Error), _transaction(db):
                    db.executemany("DELETE FROM articles WHERE id=?", [(i,) for i in gone])
                    db.executemany("DELETE FROM digests WHERE id=?", [(i,) for i in gone])
                    db.executemany("DELETE FROM agrees WHERE id=?", [(i,) for i in gone])
                    claim_table.forget(db, gone)
        # in the rows' order already unless a file was read again
        ordered = sorted(order, key=lambda i: (order[i], i)) if stale else list(order)
        digests = bool(self.digests) and whole
        if column is None:
            for doc_id in ordered:
                yield Found(doc_id, stamps[doc_id], None)
            return
        rows = _Cursor(self._rows(db, None if whole else index.queries.get(column or "")))
        parse = self.parse or PARSE[column]
        with collector_paused():  # only rows decoded here: no file read, no cycle made
            for doc_id in ordered:
                blob = held.pop(doc_id, None) if held else None
                if blob is None:
                    blob = known[doc_id][6] if whole else rows.value(
                        doc_id, order[doc_id], stamps[doc_id], key)
                payload = parse(doc_id, blob) if blob is not None else None
                if payload is None:  # stale and not rewritten, or a row edited by hand
                    payload = self._again(doc_id, stamps[doc_id])
                    if payload is None:
                        continue
                if not digests:
                    yield Found(doc_id, stamps[doc_id], payload)
                elif doc_id in self._made:  # read from its file
                    yield Found(doc_id, stamps[doc_id], payload, self._made.pop(doc_id))
                else:
                    yield Found(doc_id, stamps[doc_id], payload,
                                self._digest(doc_id, known[doc_id][5]))

    def _fetch(self, db: sqlite3.Connection, query: str, key: str
               ) -> dict[str, tuple[Any, ...]]:
        """The rows' keys (and column, ``query``), by id; and the agree digests asked for
        (``digests``), read in the same transaction, so that each is the one written with
        its row. Nothing when SQLite fails: every file is read."""
        wanted = self.index.queries["digests"] if self.digests else ""
        known: dict[str, tuple[Any, ...]] = {}
        with contextlib.suppress(sqlite3.Error):
            if not wanted:
                return {r[0]: r for r in db.execute(query, (key,))}
            own = not db.in_transaction  # (another thread's read, on this connection)
            if own:
                db.execute("BEGIN")  # a read: both as one writer's commit left them
            try:
                known = {r[0]: r for r in db.execute(query, (key,))}
                self._agrees = {r[0]: r[1:] for r in db.execute(
                    wanted % _gate(self.digests))}
            finally:
                if own:
                    with contextlib.suppress(sqlite3.Error):
                        db.execute("COMMIT")
        return known

    def _digest(self, doc_id: str, added: Any) -> Any:
        """The agree digest kept with ``doc_id``'s row (added ``added``), as stored."""
        found = self._agrees.get(doc_id)
        return found[1] if found is not None and found[0] == added else None

    def _standing(self, rows: Iterable[tuple[Any, ...]]) -> Iterator[Found]:
        """Each row's ``Found``, the rows being in the library's order and each one's
        signature its file's (or trusted); the column read with the keys, if any."""
        column = self.column
        if column is None:
            for row in rows:
                yield Found(row[0], row[1:4], None)
            return
        parse = self.parse or PARSE[column]
        digests = bool(self.digests)
        agrees = self._agrees
        for row in rows:
            doc_id, blob = row[0], row[6]
            payload = parse(doc_id, blob) if blob is not None else None
            if payload is None:  # not kept, or a row edited by hand: its file is read
                payload = self._again(doc_id, row[1:4])
                if payload is None:
                    continue
                if digests:
                    yield Found(doc_id, row[1:4], payload, self._made.pop(doc_id, None))
                    continue
            if not digests:
                yield Found(doc_id, row[1:4], payload)
            elif (kept := agrees.get(doc_id)) is not None and kept[0] == row[5]:
                yield Found(doc_id, row[1:4], payload, kept[1])
            else:  # none, or of another row of that id
                yield Found(doc_id, row[1:4], payload)

    @staticmethod
    def _rows(db: sqlite3.Connection | None, query: str | None
              ) -> Iterator[tuple[Any, ...]]:
        """The rows of ``query`` (a column's, in the library's order), one at a time."""
        if db is None or query is None:
            return
        with contextlib.suppress(sqlite3.Error):
            yield from db.execute(query)

    def _rebuild(self, stale: list[str], stamps: dict[str, Stamp], order: dict[str, int],
                 held: dict[str, Any]) -> None:
        """Read again the files whose rows are stale or missing, one at a time; keep their
        rows (when writing) and, in ``held``, the column asked for where it is not read
        from the table afterwards (read-only, or a column read with the keys)."""
        dataset, index = self.dataset, self.index
        labels = dataset.labels
        writing = index.write and index._open() is not None
        # a small column is held; a large one (claims) not written is read again from
        # its file as it is yielded: memory stays bounded by the largest article
        hold = self.column in _WHOLE
        columns = EVERYTHING if writing else self._columns(hold)
        batch: list[tuple[str, Stamp, int, dict[str, Any]]] = []
        for n, doc_id in enumerate(stale, start=1):
            if self.progress is not None:
                self.progress(n - 1, len(stale))
            article = self._read(doc_id)
            if article is None:
                order.pop(doc_id, None)
                continue
            self.read += 1
            order[doc_id] = article.added
            made = entry(article, labels, columns)
            if hold:  # orjson's bytes are 4 KB however short: 100,000 held were 400 MB
                held[doc_id] = msgspec.json.encode(made[self.column])
                if self.digests:
                    self._made[doc_id] = msgspec.json.encode(made["agree"])
            if writing:
                batch.append((doc_id, stamps[doc_id], article.added, made))
                if len(batch) >= _BATCH:
                    index.record_made(batch, labels)
                    batch = []
        index.record_made(batch, labels)
        if self.progress is not None and stale:
            self.progress(len(stale), len(stale))

    def _read(self, doc_id: str) -> Article | None:
        try:
            return self.dataset.article(doc_id)
        except CorruptFileError as exc:
            self.problems.append(str(exc))
        except GlossError:
            pass  # removed since the folder was listed
        return None

    def _again(self, doc_id: str, stamp: Stamp) -> Any:
        article = self._read(doc_id)
        if article is None or self.column is None:
            return None
        self.index.record_many([(doc_id, stamp, article)], self.dataset.labels)
        made = entry(article, self.dataset.labels, self._columns(self.column in _WHOLE))
        if self.digests:
            self._made[doc_id] = msgspec.json.encode(made["agree"])
        return (self.parse or PARSE[self.column])(doc_id, orjson.dumps(made[self.column]))

    def _columns(self, whole: bool) -> tuple[str, ...]:
        """The columns worked out of a file read again, but not to be written: the one
        asked for, and with it the agree digest when asked for (of a small column)."""
        if self.column is None:
            return ()
        return (self.column, "agree") if self.digests and whole else (self.column,)


_EUID = os.geteuid()
_GROUPS = {os.getegid(), *os.getgroups()}


def signature(info: os.stat_result | None) -> Stamp:
    """A file's signature as its row holds it (see ``_stamp``)."""
    return _stamp(info)


def _stamp(info: os.stat_result | None) -> Stamp:
    """A file's signature, as its row holds it; (0, 0, 0), which no row holds, when it
    is gone or this process may not read it (a row must not stand for what the file
    would refuse: the file is read, and named as broken)."""
    if info is None or not _may_read(info):
        return (0, 0, 0)
    return (info.st_ino, info.st_mtime_ns, info.st_size)


def _may_read(info: os.stat_result) -> bool:
    """The file's permission bits let this process read it (the owner's bits for its
    owner, the group's for its group, else the others'; ACLs are not looked at: a file
    they let be read is read again each time, one they refuse is named by the export)."""
    if not stat.S_ISREG(info.st_mode):
        return False
    # root too: without its capabilities (a container, a sandbox) the bits hold for it;
    # with them, a file the bits refuse is only read again each time
    if info.st_uid == _EUID:
        return bool(info.st_mode & stat.S_IRUSR)
    if info.st_gid in _GROUPS:
        return bool(info.st_mode & stat.S_IRGRP)
    return bool(info.st_mode & stat.S_IROTH)


class _Cursor:
    """The rows of one column in the library's order, taken one at a time as the ids of
    the pass come: a row before the id asked for (stale, of a file gone) is passed over;
    one after it is kept for a later id."""

    def __init__(self, rows: Iterator[tuple[Any, ...]]) -> None:
        self.rows = rows
        self.ahead: tuple[Any, ...] | None = None

    def value(self, doc_id: str, added: int, stamp: Stamp, key: str) -> Any:
        """The column of ``doc_id``'s row as stored (JSON, unchecked), or None when there
        is none or it is stale (checked again here: a rewrite may have failed)."""
        wanted = (added, doc_id)
        while True:
            row = self.ahead if self.ahead is not None else next(self.rows, None)
            self.ahead = None
            if row is None:
                return None
            found, when, ino, mtime, size, labels, blob = row
            if type(found) is not str or type(when) is not int:
                continue
            if (when, found) > wanted:
                self.ahead = row
                return None
            if found == doc_id:
                return blob if (ino, mtime, size) == stamp and labels == key else None


def _migrate(db: sqlite3.Connection) -> None:
    """Bring an index of a version of ``BEFORE`` up to this one, all or nothing; one that
    another writer brought up meanwhile (waited for) is left as it is."""
    db.execute(f"PRAGMA busy_timeout = {int(MIGRATE_S * 1000)}")
    try:
        with _transaction(db):
            version = db.execute("SELECT value FROM meta WHERE name='version'").fetchone()
            if version is not None and version[0] in _MIGRATE:
                for statement in _MIGRATE[version[0]].split(";"):
                    db.execute(statement)
    finally:
        db.execute(f"PRAGMA busy_timeout = {int(BUSY_S * 1000)}")


@contextlib.contextmanager
def _transaction(db: sqlite3.Connection) -> Iterator[None]:
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        with contextlib.suppress(sqlite3.Error):
            db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")
