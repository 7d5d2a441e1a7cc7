"""The claims of the dataset's index: one row a claim, already in the shape ``gloss claims``
prints, so that the claims of 100,000 articles are one SQL query, grouped by source, read
straight to the output (``claims_output.py``, through ``claim_pass.py``).

The tables live in the index's file (``article_index.py``) beside the articles' rows and
are written by the same writers in the same transaction as the article's row: the rows of
an article are replaced whole with it, and deleted with it. ``claims`` holds a claim's
source as the board groups it (``ClaimRow.source_name``: its SOURCE link's own canonical
name, so nothing of another article changes it), when its article was added, the article
and its place in it (the library's order), its status, its places folded (for
``--place``), its cells (what the table and the board show) and its CSV line but the
source; ``claim_jsonl`` its JSONL line; ``claim_sets`` each article's signature, label
set, number of claims and of rows of ``claim_jsonl``.

Trust: an article's claims are used only while its ``claim_sets`` row has the file's
signature and the label set's key now (as every column of the index) and the claims
number what those rows count (rows deleted or added by hand: counted in all, then, when
the total is off, article by article; a row changed in place is data, see ``safe``). The
tables are STRICT: a row of another type cannot be written (an SQLite without STRICT
tables keeps no claims tables: ``gloss claims`` then reads the files; a ``claim_sets``
made again by hand without it has its counts of another type count for nothing). Cells
or a JSONL line that do not decode are made again from the article's file; a line
printed as read is checked for controls (``safe``).
"""

from __future__ import annotations

import contextlib
import copy
import csv
import hashlib
import io
import itertools
import operator
import re
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from typing import Any
from urllib.parse import urlsplit

import msgspec
import orjson
from msgspec import UNSET, UnsetType

from tui.core.attribution.claim_board import ClaimRow, claim_rows
from tui.core.disk.article_file import Article
from tui.core.document.model import Document, LabelSet, Span
from tui.core.language.visible import escape_controls, json_bytes
from tui.core.store import claim_columns
from tui.core.store.index_columns import decoded

CANONICAL = "canonical"
KEY = "claim rows"  # the key of an index entry (``article_index.entry``) holding them
# An article longer than this keeps no rows: every save would make all its claims' rows
# again (~75 µs a claim); `gloss claims` reads its file instead, as for a stale row
KEPT_UP_TO = 100_000
SEP = "\x1f"  # between the folded names of a claim's places (a name never holds it)

# ``claims`` is kept in the order it is printed (its key: the source, then the library's
# order), small (no JSONL), so that the CSV and the table are one walk of its pages. Each
# claim's JSONL line, ten times larger, is in ``claim_jsonl``, kept in the same order (so
# that the JSONL is one walk too, where looking each line up at random took four times as
# long), with the status and places the filters read, cut in parts of ``PART`` bytes:
# a row of a key-ordered table past about 1,000 bytes (a quarter of a page) would keep the
# rest on an overflow page of its own. ``claim_sets`` counts the rows of both per article.
PART = 880
BATCH = 4096  # rows fetched at a time
_JSONL = """
CREATE TABLE IF NOT EXISTS main.claim_jsonl (
    source TEXT NOT NULL, added INTEGER NOT NULL, article TEXT NOT NULL, seq INTEGER NOT NULL,
    part INTEGER NOT NULL, status TEXT NOT NULL, places TEXT NOT NULL, jsonl BLOB NOT NULL,
    PRIMARY KEY (source, added, article, seq, part)) STRICT, WITHOUT ROWID"""
SCHEMA = """
CREATE TABLE IF NOT EXISTS claim_sets (
    article TEXT PRIMARY KEY, ino INTEGER NOT NULL, mtime INTEGER NOT NULL,
    size INTEGER NOT NULL, labels TEXT NOT NULL, n INTEGER NOT NULL,
    lines INTEGER NOT NULL DEFAULT 0, wide INTEGER NOT NULL DEFAULT 0,
    cols INTEGER NOT NULL DEFAULT 0) STRICT;
CREATE TABLE IF NOT EXISTS claims (
    source TEXT NOT NULL, added INTEGER NOT NULL, article TEXT NOT NULL, seq INTEGER NOT NULL,
    status TEXT NOT NULL, places TEXT NOT NULL, cells BLOB NOT NULL, csv BLOB NOT NULL,
    PRIMARY KEY (source, added, article, seq)) STRICT, WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS claims_by_article ON claims (article);
CREATE INDEX IF NOT EXISTS claims_by_status ON claims (source, status);""" + _JSONL + """;
CREATE INDEX IF NOT EXISTS claim_jsonl_by_article ON claim_jsonl (article);
""" + claim_columns.SCHEMA + ";\n"
# The claims tables an index of version 3 was made with until the lines were kept in
# print order: ``claim_lines`` (article, seq, jsonl), looked up claim by claim, and no
# count of lines in ``claim_sets`` (a table of another name: an earlier gloss finds no
# ``claim_lines`` in an index brought up, and reads the files rather than misread it). A
# writer brings them up in place (``upgrade``: SQL, seconds at 100,000 articles, where
# making the rows again reads every file); a read-only command reads them as they are
# (``layout``: OLD).
OLD, NEW = "old", "new"
LINES = {NEW: "claim_jsonl", OLD: "claim_lines"}  # the table of each layout's lines
UPGRADE_S = 120.0  # another writer bringing them up meanwhile: waited for
_BUSY_S = 2.0  # the index's own (``article_index.BUSY_S``), put back after
_UPGRADE = f"""
CREATE TEMP TABLE parts (part INTEGER PRIMARY KEY);
WITH RECURSIVE n(part) AS (SELECT 0 UNION ALL SELECT part + 1 FROM n
    WHERE part < (SELECT max(length(jsonl)) FROM main.claim_lines) / {PART})
    INSERT INTO temp.parts SELECT part FROM n;
DROP TABLE IF EXISTS main.claim_jsonl;
{_JSONL};
INSERT INTO main.claim_jsonl SELECT c.source, c.added, c.article, c.seq, p.part,
    c.status, c.places, substr(l.jsonl, p.part * {PART} + 1, {PART})
    FROM main.claims AS c CROSS JOIN main.claim_lines AS l
    ON l.article = c.article AND l.seq = c.seq
    CROSS JOIN temp.parts AS p ON p.part < (length(l.jsonl) + {PART - 1}) / {PART}
    ORDER BY c.source, c.added, c.article, c.seq, p.part;
DROP TABLE temp.parts;
DROP TABLE main.claim_lines;
CREATE INDEX main.claim_jsonl_by_article ON claim_jsonl (article);
ALTER TABLE main.claim_sets ADD COLUMN lines INTEGER NOT NULL DEFAULT 0;
UPDATE main.claim_sets SET lines = (SELECT COUNT(*) FROM main.claim_jsonl AS l
    WHERE l.article = claim_sets.article)
"""
# ``claim_sets.wide``: 1 when the article's cells hold the Parquet's columns too (its
# claims' source text, source kind, quote and outlet: ``Cells``), written so by this
# code's writers. An index made before has no such column: a writer adds it (``upgrade``,
# every article 0, as a gloss before this one writes it), and ``gloss claims --format
# parquet`` reads the file of each article of 0 (those brought up: until saved again, or
# the index rebuilt), as it reads a stale one; a read-only command on an index without it
# reads them all.
_WIDE = "ALTER TABLE main.claim_sets ADD COLUMN wide INTEGER NOT NULL DEFAULT 0"
_CLAIMS = "source, added, article, seq, status, places, cells, csv"
Row = tuple[str, int, str, int, str, str, bytes, bytes, bytes]  # a claim's, then its JSONL
Stamp = tuple[int, int, int]
Row_ = tuple[Any, ...]  # a row as a query gives it
# a range of the print order: the groups ranked first to last, the claims of articles
# added from (None: any) and before (None: any)
Piece = tuple[int, int, int | None, int | None]


def supported() -> bool:
    """STRICT tables: SQLite 3.37 and later."""
    return sqlite3.sqlite_version_info >= (3, 37, 0)


def make(db: sqlite3.Connection) -> None:
    if supported():
        db.executescript(SCHEMA)


def layout(db: sqlite3.Connection) -> str | None:
    """The shape of ``db``'s claims tables: NEW, OLD (``upgrade`` brings them up; a
    read-only command reads them as they are), or None (none, or of another shape)."""
    try:
        db.execute(f"SELECT {_CLAIMS} FROM claims LIMIT 1").fetchall()
        db.execute("SELECT article, ino, mtime, size, labels, n FROM claim_sets LIMIT 1"
                   ).fetchall()
    except sqlite3.Error:
        return None
    for shape, lines, sets in ((NEW, "source, added, article, seq, part, status, places,"
                                " jsonl", "lines"), (OLD, "article, seq, jsonl", "n")):
        try:
            db.execute(f"SELECT {lines} FROM {LINES[shape]} LIMIT 1").fetchall()
            db.execute(f"SELECT {sets} FROM claim_sets LIMIT 1").fetchall()
        except sqlite3.Error:
            continue
        return shape
    return None


def usable(db: sqlite3.Connection) -> bool:
    """Does ``db`` hold claims tables this code reads (of either ``layout``)?"""
    return layout(db) is not None


def has_wide(db: sqlite3.Connection) -> bool:
    """Does ``db``'s ``claim_sets`` say which articles' cells hold the Parquet's columns
    (its column ``wide``)?"""
    try:
        db.execute("SELECT wide FROM claim_sets LIMIT 1").fetchall()
    except sqlite3.Error:
        return False
    return True


def upgrade(db: sqlite3.Connection) -> None:
    """A writer's: bring claims tables of the OLD layout up to this one, all or nothing
    (seconds: the lines copied in print order by SQL), and add ``claim_sets.wide`` to
    tables without it (``_WIDE``); those another writer brought up
    meanwhile (waited for) are left as they are. Never fails: tables left OLD (another
    process held the file too long) are read as they are, and a save's rows, of the new
    shape, are not written to them (its article is read from its file, as a stale one)."""
    if not supported() or (layout(db) != OLD and (layout(db) is None or (
            has_wide(db) and claim_columns.has(db)))):
        return
    with contextlib.suppress(sqlite3.Error):
        db.execute(f"PRAGMA busy_timeout = {int(UPGRADE_S * 1000)}")
        try:
            db.execute("BEGIN IMMEDIATE")
            try:
                if layout(db) == OLD:
                    for statement in _UPGRADE.split(";"):
                        db.execute(statement)
                if layout(db) == NEW and not has_wide(db):
                    db.execute(_WIDE)
                if layout(db) == NEW and not claim_columns.has(db):
                    claim_columns.add(db)
            except BaseException:
                with contextlib.suppress(sqlite3.Error):
                    db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")
        finally:
            db.execute(f"PRAGMA busy_timeout = {int(_BUSY_S * 1000)}")


def labels_digest(key: str) -> str:
    """The label set's key (``article_index.labels_key``), short: kept on every row."""
    return hashlib.blake2b(key.encode(), digest_size=12).hexdigest()


# -- writing -----------------------------------------------------------------------------

def rows_of(article: Article, labels: LabelSet, lines: bool = True) -> list[Row]:
    """The rows of ``article``'s claims (every analyst's), in the article's order;
    ``lines``: with their JSONL lines (else empty: finding sentences costs)."""
    text = article.document.text
    published = outlet(article.document)
    return [row_of(row, article.added, seq,
                   json_bytes(row.record(text)) + b"\n" if lines else b"", published)
            for seq, row in enumerate(claim_rows(article, labels, sentences=lines))]


def row_of(row: ClaimRow, added: int, seq: int, jsonl: bytes, published: str | None) -> Row:
    places = row.place_names
    claim, source = row.claim, row.source
    given = claim.attribute("source_kind")
    kind = "actor" if source is not None else given or ""
    cells = orjson.dumps([claim.text, places, row.title, row.date, claim.id, claim.annotator,
                          claim.start, claim.end, claim.label, kind,
                          source.text if source is not None else None,
                          given or ("actor" if source is not None else None),
                          claim.attribute("quote"), published])
    return (row.source_name, added, row.article, seq, row.status,
            SEP.join(name.casefold() for name in places), cells,
            csv_line([row.claim.text, "; ".join(places), row.title, row.date, row.status,
                      row.article]), jsonl)


class Cells(msgspec.Struct, array_like=True, frozen=True):
    """What the table and the board show of a claim (checked as decoded: a row forged by
    hand is None, and its claim is made again from its file)."""

    text: str
    places: list[str]
    title: str
    date: str
    id: str
    annotator: str
    start: int
    end: int
    label: str
    kind: str  # actor (a SOURCE link), else its source_kind, else ""
    # the Parquet's columns (``parquet.CLAIMS``) the others do not give; UNSET in the
    # cells of a row written before they were kept (then its file is read)
    source: str | UnsetType | None = UNSET  # the SOURCE's text as written
    source_kind: str | UnsetType | None = UNSET  # its attribute, else actor, else None
    quote: str | UnsetType | None = UNSET
    outlet: str | UnsetType | None = UNSET  # the article's (``outlet``)


_CELLS = msgspec.json.Decoder(Cells)


def outlet(document: Document) -> str | None:
    """Who published the article: its ``outlet`` (or ``publisher``, ``site``) metadata,
    else the host of its ``url``; None when the article does not say."""
    meta = document.meta
    for name in ("outlet", "publisher", "site"):
        if meta.get(name):
            value = meta[name]
            return None if value is None or value == "" else str(value)
    url = meta.get("url")
    if isinstance(url, str):
        try:
            return urlsplit(url).hostname or None
        except ValueError:
            return None
    return None


def piece_where(piece: Piece) -> tuple[list[str], list[object]]:
    """The conditions (on ``ranks`` and claims ``c``) and parameters of a ``piece``'s rows:
    its groups by rank, and within a cut group its stretch of added times."""
    first, last, start, end = piece
    where = ["ranks.rank BETWEEN ? AND ?"]
    params: list[object] = [first, last]
    for bound, test in ((start, "c.added >= ?"), (end, "c.added < ?")):
        if bound is not None:
            where.append(test)
            params.append(bound)
    return where, params


def cells_of(blob: Any) -> Cells | None:
    return decoded(_CELLS, blob)


def board_row(source: str, article: str, cells: Cells) -> ClaimRow:
    """A row of the board from a claim's ``cells``: what it shows and groups by (the
    spans are made of their names only)."""
    who = cells.annotator
    claim = Span(cells.start, cells.end, cells.label, cells.text, who, id=cells.id,
                 attributes=(("source_kind", cells.kind),)
                 if cells.kind and cells.kind != "actor" else ())
    named = [Span(0, 0, "LOCATION", name, who, attributes=((CANONICAL, name),))
             for name in cells.places]
    actor = Span(0, 0, "ACTOR", source, who, attributes=((CANONICAL, source),)) \
        if cells.kind == "actor" else None
    return ClaimRow(article, cells.title, cells.date, claim, actor, named)


def csv_line(values: list[str]) -> bytes:
    """``values`` as a line of ``gloss claims --format csv`` (controls escaped)."""
    text = io.StringIO()
    csv.writer(text).writerow([escape_controls(value) for value in values])
    return text.getvalue().encode()


def insert(db: sqlite3.Connection, rows: list[Row], claims: str = "claims",
           lines: str = "claim_jsonl", shape: str = NEW) -> None:
    db.executemany(f"INSERT OR REPLACE INTO {claims} ({_CLAIMS}) VALUES (?,?,?,?,?,?,?,?)",
                   [row[:8] for row in rows])
    if shape == OLD:  # a read-only command's own rows beside an index not brought up
        db.executemany(f"INSERT OR REPLACE INTO {lines} VALUES (?, ?, ?)",
                       [(row[2], row[3], row[8]) for row in rows])
        return
    db.executemany(f"INSERT OR REPLACE INTO {lines} VALUES (?,?,?,?,?,?,?,?)",
                   [(*row[:4], at // PART, row[4], row[5], row[8][at:at + PART])
                    for row in rows for at in range(0, len(row[8]), PART)])


def parts(rows: list[Row]) -> int:
    """How many rows of ``claim_jsonl`` hold the lines of ``rows``."""
    return sum(-(-len(row[8]) // PART) for row in rows)


def replace(db: sqlite3.Connection, key: str,
            made: Iterable[tuple[str, Stamp, list[Row] | None]]) -> None:
    """Within the caller's transaction: each article's rows replaced by ``made`` (made
    under the label set of ``key``, its file's signature ``Stamp``; None: its rows
    deleted, so that none is trusted)."""
    if not supported():
        return
    made = list(made)
    forget(db, [doc_id for doc_id, _stamp, _rows in made])
    digest = labels_digest(key)
    # (an index not brought up, its writer having waited too long: as a gloss before wrote)
    columns = ["article", "ino", "mtime", "size", "labels", "n", "lines"]
    extra: list[int] = []
    if has_wide(db):
        columns.append("wide")
        extra.append(1)
    values = {doc_id: _values(rows) for doc_id, _stamp, rows in made if rows is not None} \
        if claim_columns.has(db) else None
    if values is not None:
        columns.append("cols")
    db.executemany(f"INSERT INTO claim_sets ({', '.join(columns)}) VALUES"
                   f" ({', '.join('?' * len(columns))})",
                   [(doc_id, *stamp, digest, len(rows), parts(rows), *extra,
                     *([len(values[doc_id])] if values is not None else []))
                    for doc_id, stamp, rows in made if rows is not None])
    insert(db, [row for _doc_id, _stamp, rows in made if rows is not None for row in rows])
    if values is not None:
        claim_columns.write(db, [value for kept in values.values() for value in kept])


def _values(rows: list[Row]) -> list[tuple[Any, ...]]:
    """The rows of ``claim_columns``' table of an article's claims ``rows``: those whose
    values can be kept (the others make its count fall short of its claims')."""
    return [(*row[:6], *kept) for row in rows
            if (kept := claim_columns.values_of(row[0], row[2], row[4],
                                                cells_of(row[6]))) is not None]


def forget(db: sqlite3.Connection, ids: Iterable[str]) -> None:
    """Within the caller's transaction: the rows of the articles ``ids``."""
    if not supported():
        return
    ids = [(doc_id,) for doc_id in ids]
    for table in ("claim_sets", "claims", "claim_jsonl"):
        db.executemany(f"DELETE FROM {table} WHERE article=?", ids)
    if claim_columns.has(db):
        claim_columns.forget(db, ids)


# -- reading -----------------------------------------------------------------------------

def trusted(db: sqlite3.Connection, stamps: dict[str, Stamp] | Callable[[], dict[str, Stamp]],
            key: str, lines: bool = False, wide: bool = False,
            counted: dict[str, int] | None = None) -> tuple[set[str], set[str]]:
    """(the articles of ``stamps`` whose claim rows may not be used, the articles with
    rows that may not be used): an article's rows are used while its file's signature
    (``stamps``) and the label set are those they were made under, and there are as many
    as were made (rows deleted or added by hand; ``lines``: its rows of ``claim_jsonl``
    too, in the NEW layout; ``wide``: and its cells hold the Parquet's columns,
    ``claim_sets.wide``). The rows are counted in all first (one pass over the
    smallest index; ``counted``: the rows of a table, ``claims`` say, already counted in
    this transaction); only when that total is not the sum of the counts is each
    article's counted. (Compared in SQL, the signatures cost as much: 100,000 written
    to a temporary table, or read from JSON, where here they are read.) ``stamps`` may
    be a function that gives them, called once the index is read (the files' signatures
    made meanwhile by another process: ``claim_pass.py``)."""
    digest = labels_digest(key)
    lines = lines and layout(db) == NEW
    kept = "wide" if wide and has_wide(db) else "0" if wide else "1"
    counted = dict(counted or {})
    with contextlib.suppress(sqlite3.Error):  # a sum past 64 bits: summed below, exactly
        if _all_fresh(db, stamps, digest, lines, kept, counted):
            return set(), set()
    sets = db.execute("SELECT article, ino, mtime, size, labels, n, "
                      f"{'lines' if lines else '0'}, {kept} FROM claim_sets").fetchall()
    # (a count of another type, in a table made again by hand without STRICT, counts
    # for nothing: its article is not fresh)
    found = _counts(db, "claims", sum(row[5] for row in sets if type(row[5]) is int),
                    counted.get("claims"))
    found_lines = _counts(db, "claim_jsonl", sum(row[6] for row in sets
                                                 if type(row[6]) is int),
                          counted.get("claim_jsonl")) if lines else None
    if callable(stamps):
        stamps = stamps()
    off = found is not None or found_lines is not None
    fresh, untrusted = set(), set()
    for doc_id, ino, mtime, size, labels, n, made, full in sets:
        if (stamps.get(doc_id) == (ino, mtime, size) and labels == digest
                and (full == 1 or not wide) and type(n) is int and type(made) is int
                and (found is None or found.get(doc_id, 0) == n)
                and (found_lines is None or found_lines.get(doc_id, 0) == made)):
            fresh.add(doc_id)
        elif n or off:
            untrusted.add(doc_id)
    for counts in (found, found_lines):  # and the rows of no article counted
        if counts is not None:
            untrusted |= counts.keys() - fresh
    return stamps.keys() - fresh, untrusted


def _all_fresh(db: sqlite3.Connection,
               stamps: dict[str, Stamp] | Callable[[], dict[str, Stamp]], digest: str,
               lines: bool, kept: str, counted: dict[str, int]) -> bool:
    """Whether every article's rows may be used (``trusted``'s rules), found the short
    way, in C: the label set and the Parquet's flag of all at once, the counts in all,
    and the signatures compared as two dicts (one article of each, every one of them
    equal), read as four columns, not eight, and no article looped over in Python
    (100,000: a third of the time of the check)."""
    # (NULL-safe, and counts of another type declined: a table made again by hand
    # without STRICT is left to the long way, as every row it would doubt)
    made_lines = "lines" if lines else "0"
    sets, made, parts, other = db.execute(
        f"SELECT COUNT(*), sum(n), sum({made_lines}), COUNT(*) FILTER (WHERE labels IS NOT ?"
        f" OR {kept} IS NOT 1 OR typeof(n) != 'integer' OR typeof({made_lines}) != 'integer')"
        " FROM claim_sets", (digest,)).fetchone()
    if other:
        return False
    for table in ("claims", "claim_jsonl") if lines else ("claims",):
        if table not in counted:  # (kept for the long way, when it follows)
            (counted[table],) = db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()
    if counted["claims"] != (made or 0) or (lines and counted["claim_jsonl"] != (parts or 0)):
        return False
    signed = db.execute("SELECT article, ino, mtime, size FROM claim_sets").fetchall()
    # made before the signatures are waited for (made meanwhile by other processes)
    held = dict(zip(map(_FIRST, signed), map(_SIGNED, signed), strict=True))
    if len(held) != len(signed) or len(signed) != sets:  # an article twice: forged
        return False
    del signed  # (freed meanwhile too)
    if callable(stamps):
        stamps = stamps()
    return held == stamps


_FIRST = operator.itemgetter(0)  # a row's first column
_SIGNED = operator.itemgetter(1, 2, 3)  # a row's signature: ino, mtime, size


def _counts(db: sqlite3.Connection, table: str, expected: int, total: int | None = None
            ) -> dict[str, int] | None:
    """None when ``table`` holds ``expected`` rows in all (``total``, when counted
    already), else its rows per article."""
    if total is None:
        (total,) = db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()
    if total == expected:
        return None
    return dict(db.execute(f"SELECT article, COUNT(*) FROM {table} GROUP BY article"))


# A line printed as read holds no control but its own end, nor what its writer escapes
# (``json_bytes``; ``escape_controls`` for a CSV value, which may hold a tab or LF): a row
# forged by hand is escaped, never obeyed by a terminal. Checked a batch at a time: every
# byte that can be no part of what is looked for is deleted first (``translate`` runs at
# memory speed, a regular expression at a tenth of it, and slower still where many
# characters start as a separator does: ’ is E2 80 99); what is left keeps each sequence
# looked for whole (its bytes were next to each other, they still are), and may join
# bytes that were not (then the batch is only checked again, slowly, by ``safe``).
_WATCHED = b"".join([bytes(range(0x20)), b"\x7f\xc2\xd8\xe2", bytes(range(0x80, 0xa0)),
                     bytes(range(0xa6, 0xaf))])
_DULL = bytes(b for b in range(256) if b not in _WATCHED)
_HIGH = bytes(range(0x80, 0x100))
_C1 = re.compile(rb"\xc2[\x80-\x9f]")
# ’, the one character of E2 80 in nearly every sentence of news, is taken out before the
# separators are looked for: a separator (E2 80 or E2 81, then a byte other than 99) and ’
# never overlap, so that every separator is still there, whole; the expression, which
# stops at each E2, then runs in half the time. Where every E2 left is a ’ (as many of
# each), no separator can be there: neither is looked for (2 % of the check's time)
_QUOTE = "\u2019".encode()
_SEPARATOR = re.compile(rb"\xe2(?:\x80[\x8e\x8f\xa8-\xae]|\x81[\xa6-\xa9])")
_UNSAFE_TEXT = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e"
                          "\u2066-\u2069]")


def safe(data: bytes, fmt: str, lines: int | None) -> bytes:
    """``data``, ``lines`` lines of ``fmt`` (csv, jsonl; None: any number of JSONL
    lines), any control in it but the lines' ends (and a CSV value's tab or LF)
    escaped."""
    if _clean(data, fmt, lines):
        return data
    out = []
    for piece in _PIECES.split(data):
        body = piece.removesuffix(b"\n")
        if fmt == "csv" and body != piece:  # a CR only as the end of a line
            body = body.removesuffix(b"\r")
        text = _UNSAFE_TEXT.sub(lambda m: f"\\u{ord(m.group()):04x}",
                                body.decode(errors="replace"))
        out.append(text.encode() + piece[len(body):])
    return b"".join(out)


_PIECES = re.compile(rb"(?<=\n)")


class Query:
    """The claims of one pass, from the table ``claims`` (the index's, a view of it, or a
    private one of the same shape) and their JSONL lines from ``lines``, kept where the
    source's name holds ``actor``, one place's ``place`` and the status is ``status``
    (each: any, when empty)."""

    def __init__(self, db: sqlite3.Connection, claims: str, lines: str, *, actor: str = "",
                 place: str = "", status: str = "", shape: str = NEW) -> None:
        self.db = db
        self.claims, self.lines, self.shape = claims, lines, shape
        self.actor = actor.casefold()
        where: list[str] = []
        self.params: list[str] = []
        if place:  # ``place`` holding SEP, which no name holds, keeps nothing
            where.append("instr(c.places, ?) > 0" if SEP not in place else "0")
            self.params += [place.casefold()] if SEP not in place else []
        if status:
            where.append("c.status = ?")
            self.params.append(status)
        self.where = " AND ".join(where) or "1"
        self.total: int | None = None  # the claims of ``claims``, once ``groups`` counted all

    def groups(self) -> list[tuple[str, int]]:
        """(source, claims), the largest group first, then by name folded, then the one
        whose first claim comes first (as ``claim_board.group`` orders them)."""
        counted = self.db.execute(
            f"SELECT c.source, COUNT(*) FROM {self.claims} AS c WHERE {self.where}"
            " GROUP BY c.source", self.params).fetchall()
        # every claim counted, when no place or status is asked for (``trusted`` then
        # need not count them again)
        self.total = sum(n for _source, n in counted) if self.where == "1" else None
        sizes = [(source, n) for source, n in counted
                 if not self.actor or self.actor in source.casefold()]
        keys = {source: (-n, source.casefold()) for source, n in sizes}
        seen: dict[tuple[int, str], int] = {}
        for key in keys.values():
            seen[key] = seen.get(key, 0) + 1
        first = {source: self._first(source) for source, key in keys.items() if seen[key] > 1}
        return sorted(sizes, key=lambda item: (*keys[item[0]], first.get(item[0], ())))

    def _first(self, source: str) -> tuple[Any, ...]:
        return tuple(self.db.execute(
            f"SELECT c.added, c.article, c.seq FROM {self.claims} AS c WHERE {self.where}"
            " AND c.source = ? ORDER BY c.added, c.article, c.seq LIMIT 1",
            [*self.params, source]).fetchone() or ())

    def batches(self, column: str, groups: list[tuple[str, int]]
                ) -> Iterator[list[tuple[Any, ...]]]:
        """(``column``,) of each claim, ``column`` being cells, csv, jsonl (parts of the
        lines in the NEW layout: one after another they are the lines; in the OLD, a
        claim's line, its article and place in it: a line missing is made again from its
        file), board (source, article, place in it, cells) or parquet (source, article,
        place in it, status, cells); a batch at a time, group by
        group (``runs`` cuts them), in the library's order within one: one query, which
        walks the groups in order and each along the table's key (no sort). The groups
        must have been counted in the same transaction (``claim_pass.every_claim`` holds
        one)."""
        self.rank(groups)
        try:
            yield from self._fetched(column, ["1"], [])
        finally:
            self.db.execute("DROP TABLE IF EXISTS temp.ranks")

    def rows_of(self, column: str, piece: Piece) -> Iterator[list[tuple[Any, ...]]]:
        """What ``batches`` gives of ``column`` for the claims of a ``piece`` of the print
        order alone (the groups ranked: ``rank``), a batch at a time."""
        where, params = piece_where(piece)
        yield from self._fetched(column, where, params)

    def _fetched(self, column: str, where: list[str], params: list[object]
                 ) -> Iterator[list[tuple[Any, ...]]]:
        what, table, join, then = f"c.{column}", self.claims, "", ""
        if column == "board":
            what = "c.source, c.article, c.seq, c.cells"
        elif column == "parquet":
            what = "c.source, c.article, c.seq, c.status, c.cells"
        elif column == "jsonl" and self.shape == OLD:
            what = "l.jsonl, c.article, c.seq"
            join = (f" LEFT JOIN {self.lines} AS l ON l.article = c.article"
                    " AND l.seq = c.seq")
        elif column == "jsonl":
            table, then = self.lines, ", c.part"
        cursor = self.db.execute(
            f"SELECT {what} FROM temp.ranks CROSS JOIN {table} AS c"
            f" ON c.source = ranks.source{join} WHERE {' AND '.join(where)} AND"
            f" {self.where} ORDER BY ranks.rank, c.added, c.article, c.seq{then}",
            params + self.params)
        try:
            while batch := cursor.fetchmany(BATCH):
                yield batch
        finally:
            cursor.close()

    def on(self, db: sqlite3.Connection) -> Query:
        """The same query on another connection to the same file (another process's)."""
        other = copy.copy(self)
        other.db = db
        return other

    def rank(self, groups: list[tuple[str, int]]) -> None:
        """The groups' order, for the queries of the claims in it (``temp.ranks``)."""
        self.db.execute("DROP TABLE IF EXISTS temp.ranks")
        self.db.execute("CREATE TEMP TABLE ranks (rank INTEGER PRIMARY KEY, source TEXT)")
        self.db.executemany("INSERT INTO temp.ranks VALUES (?, ?)",
                            [(n, source) for n, (source, _size) in enumerate(groups)])

    def pieces(self, groups: list[tuple[str, int]], size: int) -> list[Piece]:
        """The JSONL's claims in ranges of the print order of about ``size`` claims each,
        one after another (``lines_of``): whole groups together, a larger group cut where
        the articles of the dataset were added (a cut is only about where it would fall:
        the claims of a group need not be spread over the dataset as its articles are).
        Reads the index's articles (their time added): an ``sqlite3.Error`` when it has
        none of that shape."""
        # in the table's own order (its key begins with the time added): no sort, no
        # generator, 40 % less than the smaller index read and sorted in Python
        added = list(map(_FIRST, self.db.execute(
            "SELECT added FROM main.articles ORDER BY added")))
        pieces: list[Piece] = []
        first, held = -1, 0  # the whole groups not yet in a piece
        for rank, (_source, n) in enumerate(groups):
            if n <= size:
                first, held = (rank if first < 0 else first), held + n
                if held >= size:
                    pieces.append((first, rank, None, None))
                    first, held = -1, 0
                continue
            if first >= 0:
                pieces.append((first, rank - 1, None, None))
                first, held = -1, 0
            cuts = -(-n // size)
            bounds = [None, *sorted({added[len(added) * k // cuts] for k in range(1, cuts)}
                                    if added else ()), None]
            pieces += [(rank, rank, start, end) for start, end in itertools.pairwise(bounds)]
        if first >= 0:
            pieces.append((first, len(groups) - 1, None, None))
        return pieces

    def lines_of(self, piece: Piece) -> Iterator[list[tuple[Any, ...]]]:
        """The parts of the lines of a ``piece`` (NEW layout), a batch at a time, in print
        order (the groups ranked: ``rank``): joined by SQLite into one part (up to
        ``JOINED`` bytes; a larger piece a row at a time)."""
        where, params = piece_where(piece)
        ordered = (f"SELECT c.jsonl FROM temp.ranks CROSS JOIN {self.lines} AS c"
                   f" ON c.source = ranks.source WHERE {' AND '.join(where)} AND"
                   f" {self.where} ORDER BY ranks.rank, c.added, c.article, c.seq, c.part")
        # Joined in C: a row a part was a tuple and a bytes object each (1.5 million at
        # a million claims), a third of the pass's processor time. An aggregate's rows
        # come in its subquery's order (one with ORDER BY is not flattened into it); a
        # piece over the length limit set for the query is not held whole: read by rows
        joined = self._within(JOINED, f"SELECT CAST(group_concat(jsonl, x'') AS BLOB)"
                                      f" FROM ({ordered})", params + self.params)
        if joined is not None:
            if joined[0] is not None:  # (None: no claim in the piece)
                yield [joined]
            return
        cursor = self.db.execute(ordered, params + self.params)
        try:
            while batch := cursor.fetchmany(BATCH):
                yield batch
        finally:
            cursor.close()


    def joined(self, piece: Piece) -> tuple[bytes, bytes, bytes, bytes] | None:
        """The Parquet's rows of a ``piece`` (the groups ranked: ``rank``) in print order,
        joined by SQLite into four values: JSON arrays of their sources, articles and
        statuses, and their cells joined by commas (one JSON array of them, once put in
        brackets: a cell that is not one makes it fail to decode or count another number
        of claims, unless forged to be completed by the cells beside it, which makes only
        what a forger could have written as whole cells). None when they are too long to
        hold joined (``WIDE_JOINED`` bytes: read by rows, ``rows_of``)."""
        ordered, params = self._ordered("c.source, c.article, c.status, c.cells",
                                        self.claims, piece)
        # a row fetched was a tuple and five objects, a third of the rows' time
        row = self._within(WIDE_JOINED, "SELECT CAST(json_group_array(source) AS BLOB),"
                           " CAST(json_group_array(article) AS BLOB),"
                           " CAST(json_group_array(status) AS BLOB),"
                           " CAST(ifnull(group_concat(cells, ','), x'') AS BLOB)"
                           f" FROM ({ordered})", params)
        return None if row is None else tuple(row)

    def values_joined(self, piece: Piece) -> tuple[int, bytes, bytes] | None:
        """The Parquet's rows of a ``piece`` from ``claim_columns``' table (the groups
        ranked: ``rank``), in print order: how many, and their ``data`` and ``lens``
        each joined by SQLite into one value; None when too long to hold joined."""
        ordered, params = self._ordered("c.data, c.lens", f"main.{claim_columns.TABLE}",
                                        piece)
        row = self._within(WIDE_JOINED, "SELECT COUNT(*),"
                           " CAST(ifnull(group_concat(data, x''), x'') AS BLOB),"
                           " CAST(ifnull(group_concat(lens, x''), x'') AS BLOB)"
                           f" FROM ({ordered})", params)
        return None if row is None else (row[0], row[1], row[2])

    def _ordered(self, what: str, table: str, piece: Piece) -> tuple[str, list[object]]:
        """The query of ``what`` of the claims of a ``piece`` in ``table`` (``claims`` or a
        table keyed as it is), in print order, and its parameters."""
        where, params = piece_where(piece)
        return (f"SELECT {what} FROM temp.ranks CROSS JOIN {table} AS c"
                f" ON c.source = ranks.source WHERE {' AND '.join(where)} AND {self.where}"
                " ORDER BY ranks.rank, c.added, c.article, c.seq", params + self.params)

    def _within(self, limit: int, sql: str, params: list[object]) -> tuple[Any, ...] | None:
        """The one row of ``sql``, SQLite's length limit set to ``limit`` bytes for that
        query alone; None when a value of it would be longer (too long to hold joined)."""
        before = self.db.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, limit)
        try:
            return self.db.execute(sql, params).fetchone()
        except sqlite3.DataError:
            return None
        finally:
            self.db.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, before)


JOINED = 16 << 20  # bytes of a piece's lines SQLite joins, at most (a piece: about 1 MB)
# bytes of a piece's cells joined, at most (a piece: about 3 MB), all of them decoded
# at once (Python objects a claim's cells take about ten times as much room)
WIDE_JOINED = 8 << 20


def runs(batches: Iterator[list[Row_]], groups: list[tuple[str, int]]
         ) -> Iterator[tuple[int, list[Row_]]]:
    """The rows of ``batches`` cut where a group ends: (the group's place in ``groups``,
    rows of it), the rows of one group in one or more runs."""
    group, left = 0, groups[0][1] if groups else 0
    for batch in batches:
        at = 0
        while at < len(batch):
            while not left:
                group += 1
                left = groups[group][1]
            run = batch[at:at + left]
            at += len(run)
            left -= len(run)
            yield group, run


def _clean(data: bytes, fmt: str, lines: int | None) -> bool:
    rest = data.translate(None, _DULL)
    controls = rest.translate(None, _HIGH)
    if fmt == "csv":  # tabs and LFs in values, CR LF at each end
        if (controls.translate(None, b"\t\n\r")
                or data.count(b"\r") != lines or data.count(b"\r\n") != lines):
            return False
    elif (controls.translate(None, b"\n")
          or (lines is not None and controls.count(b"\n") != lines)
          or (b"\xd8" in rest and b"\xd8\x9c" in rest)
          or (rest.count(b"\xe2") != rest.count(_QUOTE)
              and _SEPARATOR.search(rest.replace(_QUOTE, b"")) is not None)):
        return False
    # (a byte looked for by ``in`` first: memchr, where a search of two bytes or an
    # expression stops at every byte of the first's range)
    return b"\xc2" not in rest or _C1.search(rest) is None
