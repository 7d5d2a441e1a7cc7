"""The Parquet's claims table kept as column values (``claim_cols``), for ``gloss claims
--format parquet`` to make its Arrow columns of a range of the print order in C, no
Python object a claim (``claims_parquet.py``): a million claims' cells decoded into
Python objects, then made into Arrow's, was most of the command's time.

One row a claim, keyed as ``claims`` (the print order), written and deleted with the
article's other claim rows (``claim_table.replace``, ``forget``). ``data`` holds the
claim's values one after another as UTF-8 (:data:`FIXED`, then its places), and
``lens`` their lengths in bytes, each a 32-bit little-endian integer: -1 for a null, and
a place's with :data:`PLACE` set. SQLite joins a range's rows into two values
(``joined``), which are Arrow's buffers as they are.

Trust: ``claim_sets.cols`` counts the rows written for each article. The table is used
only when every article counts as many as its claims and the table holds as many rows as
they all count (``whole``): an article saved by a gloss before this one (0) or rows
deleted or added by hand mean the claims' cells are read, as before. Values that are
not what this writes (lengths past the data, bytes that are not UTF-8, a position that is
not a number) make the range's cells read instead (``parquet.ClaimValues``).
"""

from __future__ import annotations

import sqlite3
import sys
from array import array
from collections.abc import Iterable
from typing import Any

from msgspec import UNSET

TABLE = "claim_cols"
SCHEMA = """
CREATE TABLE IF NOT EXISTS main.claim_cols (
    source TEXT NOT NULL, added INTEGER NOT NULL, article TEXT NOT NULL, seq INTEGER NOT NULL,
    status TEXT NOT NULL, places TEXT NOT NULL, data BLOB NOT NULL, lens BLOB NOT NULL,
    PRIMARY KEY (source, added, article, seq)) STRICT, WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS main.claim_cols_by_article ON claim_cols (article)"""
COUNTED = "ALTER TABLE main.claim_sets ADD COLUMN cols INTEGER NOT NULL DEFAULT 0"

# A claim's values in ``data``, in this order; its places follow, as many as the last says
FIXED = ("claim", "start", "end", "source", "canonical", "source_kind", "quote", "article",
         "title", "outlet", "date", "analyst", "status", "id", "places")
PLACE = 1 << 30  # set in a place's length (a value is never this long)
# Arrow reads the lengths in the machine's order: written and read little-endian only
NATIVE = sys.byteorder == "little"


def has(db: sqlite3.Connection) -> bool:
    """Does ``db`` keep the claims' column values (the table and ``claim_sets.cols``)?"""
    try:
        db.execute("SELECT cols FROM main.claim_sets LIMIT 1").fetchall()
        db.execute(f"SELECT data, lens FROM main.{TABLE} LIMIT 1").fetchall()
    except sqlite3.Error:
        return False
    return True


def add(db: sqlite3.Connection) -> None:
    """Within a writer's transaction: the table and ``claim_sets.cols``, every article
    counting 0 (the cells are read until each is saved again, or the index made again);
    a table of that name of another shape (made by hand) replaced."""
    try:
        db.execute("SELECT cols FROM main.claim_sets LIMIT 1").fetchall()
    except sqlite3.OperationalError:
        db.execute(COUNTED)
    db.execute("UPDATE main.claim_sets SET cols = 0")
    db.execute(f"DROP TABLE IF EXISTS main.{TABLE}")
    for statement in SCHEMA.split(";"):
        db.execute(statement)


def values_of(source: str, article: str, status: str, cells: Any) -> tuple[bytes, bytes] | None:
    """A claim's ``data`` and ``lens`` from its row (``claim_table.Cells`` decoded); None
    when its cells do not hold the Parquet's columns or a value cannot be kept."""
    if not NATIVE or cells is None or UNSET in (cells.source, cells.source_kind,
                                                 cells.quote, cells.outlet):
        return None
    given = cells.source
    values = (cells.text, str(cells.start), str(cells.end), given,
              source if given is not None else None, cells.source_kind, cells.quote,
              article, cells.title, cells.outlet, cells.date or None, cells.annotator,
              status, cells.id, str(len(cells.places)))
    parts: list[bytes] = []
    lens = array("i")
    try:
        for value in values:
            if value is None:
                lens.append(-1)
                continue
            part = value.encode()
            parts.append(part)
            lens.append(len(part))
        for place in cells.places:
            part = place.encode()
            parts.append(part)
            lens.append(len(part) | PLACE)
    except (UnicodeEncodeError, OverflowError):
        return None
    if any(size >= PLACE for size in map(len, parts)):
        return None
    return b"".join(parts), lens.tobytes()


def write(db: sqlite3.Connection, rows: Iterable[tuple[Any, ...]]) -> None:
    """Within the caller's transaction: the rows (source, added, article, seq, status,
    places, data, lens) of one or more articles."""
    db.executemany(f"INSERT OR REPLACE INTO main.{TABLE} VALUES (?,?,?,?,?,?,?,?)", rows)


def forget(db: sqlite3.Connection, ids: list[tuple[str]]) -> None:
    db.executemany(f"DELETE FROM main.{TABLE} WHERE article=?", ids)


def whole(db: sqlite3.Connection) -> bool:
    """Whether every article's column values are there, as many as its claims (within
    the caller's snapshot)."""
    if not NATIVE or not has(db):
        return False
    try:
        short, counted = db.execute(
            "SELECT COUNT(*) FILTER (WHERE cols IS NOT n OR typeof(cols) != 'integer'),"
            " sum(cols) FROM main.claim_sets").fetchone()
        (held,) = db.execute(f"SELECT COUNT(*) FROM main.{TABLE}").fetchone()
    except sqlite3.Error:  # (a sum past 64 bits: forged)
        return False
    return not short and held == (counted or 0)
