"""The claims board paged from the index's ``claims`` table (``claim_table.py``: one row a
claim, keyed in the board's order: source, then the library's order, then the claim's
place in its article), so that a board of a million claims costs what its lines on
screen cost.

The groups and their counts are one aggregate over the table; a filter (the source's
name, a place, the status) is a WHERE clause (the source's on the groups' names); the
claims a group's lines show are read by key range from the nearest place already read
(its start, its end, or a page read before), never by stepping over the rows before.

Only ``source, added, article, seq, status, places, cells`` are read. An article whose
rows the index may not be trusted with (its file's signature, the label set or its count
of rows disagree: ``claim_table.trusted``'s rules) and every article edited in this session
has its rows left out and made again from its file or from its model, into temporary
tables of this connection (``extra``), which the queries add in. A team's claims that
several analysts hold alike (``claim_board.one_a_claim``) are found by one walk of the
table in a thread (the rows of one source and one article are neighbours in it): all but
the first of each are left out (``dups``), the first shows the preferred analyst's claim
and who holds it.
"""

from __future__ import annotations

import functools
import sqlite3
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from typing import Any, Concatenate, ParamSpec, TypeVar

import orjson

from tui.core.attribution.board_lines import PagedLines
from tui.core.attribution.claim_board import TODO, ClaimRow
from tui.core.disk.article_file import Article
from tui.core.document.model import GlossError
from tui.core.store import claim_table
from tui.core.store.article_index import ArticleIndex, labels_key, signature
from tui.core.store.dataset import Dataset

P = ParamSpec("P")
R = TypeVar("R")
BUSY_MS = 30_000
COLUMNS = "source, added, article, seq, status, places, cells"
ROW = "source, added, article, seq, status, places, hex(cells)"
Row = tuple[Any, ...]
WALK = 20_000  # rows a batch, walking the table
WAIT_S = 60.0  # how long an index kept out by writers is tried again
# a claim held alike but shown by another's row: (article, seq) -> source, status, places
Dups = dict[tuple[str, int], tuple[str, str, str]]
# the row shown for claims held alike: (article, seq) -> the one shown instead, holders
Merged = dict[tuple[str, int], tuple[int, tuple[str, ...]]]
Key = tuple[int, str, int]  # a claim's place within its source: added, article, seq
SCHEMA = f"""
CREATE TEMP TABLE IF NOT EXISTS replaced (article TEXT PRIMARY KEY);
CREATE TEMP TABLE IF NOT EXISTS extra ({COLUMNS},
    PRIMARY KEY (source, added, article, seq)) WITHOUT ROWID;
CREATE TEMP TABLE IF NOT EXISTS dups (article TEXT, seq INTEGER,
    PRIMARY KEY (article, seq)) WITHOUT ROWID;
"""


@dataclass(frozen=True, slots=True)
class Filter:
    """The board's filter (``board.parse_filter``) and view: ``once``: a team's claims
    held alike one row; ``pair``: two articles' claims only."""

    actor: str = ""
    place: str = ""
    status: str = ""
    once: bool = False
    pair: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Group:
    source: str
    n: int
    todo: int


@dataclass(frozen=True, slots=True)
class Board:
    """What the board shows of a view: its lines (read as drawn), or, for two articles
    set against each other, their claims by group; how many claims the view has before
    its filter (``total``), how many it shows, how many are still to do, in how many
    groups, and the two articles' titles."""

    lines: PagedLines | None
    pair: dict[str, list[ClaimRow]]
    total: int
    shown: int
    todo: int
    groups: int
    titles: dict[str, str]
    problem: str = ""  # why the index could not be read (the board is then empty)


def _locked(method: Callable[Concatenate[ClaimPages, P], R]
            ) -> Callable[Concatenate[ClaimPages, P], R]:
    """``method`` run holding the pages' lock (the thread's work and the UI's reads)."""
    @functools.wraps(method)
    def locked(self: ClaimPages, *args: P.args, **kwargs: P.kwargs) -> R:
        with self.lock:
            return method(self, *args, **kwargs)
    return locked


class ClaimPages:
    """The board of one dataset, read from its index (see :func:`open_pages`): made and
    brought up to date in a thread, read on the UI, one at a time (``lock``)."""

    def __init__(self, index: ArticleIndex, db: sqlite3.Connection, dataset: Dataset
                 ) -> None:
        self._index, self.db, self.dataset = index, db, dataset
        self.replaced: set[str] = set()
        self.team: bool | None = None  # None: not walked yet (see ``walk``)
        self.prefer = dataset.annotator
        self._added: dict[str, int] = {}
        self._dups: Dups = {}
        self._merged: Merged = {}
        self._marks: dict[tuple[Filter, str], dict[int, Key]] = {}  # rows read: their keys
        self.lock = threading.RLock()
        # a writer's commit (a save; the session's pass over the index) keeps a reader
        # out for as long as the writer waits for this connection's own long reads
        db.execute(f"PRAGMA busy_timeout = {BUSY_MS}")
        self._totals: dict[Filter, list[Group]] = {}  # each view's groups unfiltered
        db.executescript(SCHEMA)

    def close(self) -> None:
        self._index.close()

    # -- what is left out, what is put in ---------------------------------------------

    @_locked
    def put(self, doc_id: str, article: Article | None) -> None:
        """``doc_id``'s claims are ``article``'s (its model's, with unsaved edits, or its
        file's; None: it has none), not the index's."""
        added = self._added_of(doc_id, article)
        rows = [] if article is None else [
            row[:7] for row in claim_table.rows_of(article, self.dataset.labels, False)]
        rows = [(r[0], added, *r[2:]) for r in rows]
        self.db.execute("BEGIN")
        self.db.execute("INSERT OR IGNORE INTO temp.replaced VALUES (?)", (doc_id,))
        self.db.execute("DELETE FROM temp.extra WHERE article = ?", (doc_id,))
        self.db.executemany(f"INSERT OR REPLACE INTO temp.extra ({COLUMNS}) VALUES"
                            " (?,?,?,?,?,?,?)", rows)
        self.db.execute("COMMIT")
        self.replaced.add(doc_id)
        self._marks.clear()
        self._totals.clear()
        if self.team is not None:
            self._forget(doc_id)
            self._merge(iter(sorted(rows)), self._dups, self._merged)

    def _added_of(self, doc_id: str, article: Article | None) -> int:
        """When ``doc_id`` was added (a model's snapshot does not say: the index's rows or
        the file do)."""
        if article is not None and article.added:
            self._added[doc_id] = article.added
        if doc_id not in self._added:
            found = self.db.execute("SELECT added FROM main.claims WHERE article = ? LIMIT 1",
                                    (doc_id,)).fetchone()
            if found is None:
                try:
                    found = (self.dataset.article(doc_id).added,)
                except GlossError:
                    found = (0,)
            self._added[doc_id] = found[0]
        return self._added[doc_id]

    # -- a team's claims held alike ---------------------------------------------------

    def walk(self) -> None:
        """Find the claims several analysts hold alike (a walk of every row, the lock
        held a batch at a time: the board is drawn meanwhile)."""
        dups: Dups = {}
        merged: Merged = {}
        try:
            annotators = self._merge(self._every_row(), dups, merged)
        except sqlite3.Error:  # the index gone or locked: each analyst's rows, as they are
            dups.clear()
            merged.clear()
            annotators = set()
        with self.lock:
            self._dups, self._merged = dups, merged
            self.db.execute("BEGIN")
            self.db.execute("DELETE FROM temp.dups")
            self.db.executemany("INSERT INTO temp.dups VALUES (?, ?)", list(dups))
            self.db.execute("COMMIT")
            self.team = len(annotators) > 1
            self._marks.clear()
            self._totals.clear()

    def _every_row(self) -> Iterator[tuple[Any, ...]]:
        """Every row, in the table's order, a batch of ``WALK`` at a time."""
        after: tuple[Any, ...] = ()
        while True:
            more = " AND (c.source, c.added, c.article, c.seq) > (?, ?, ?, ?)" if after else ""
            with self.lock:
                batch = self._one_step(f"{self._all(None, more)} ORDER BY source, added,"
                                       " article, seq LIMIT ?", [*after, *after, WALK])
            batch.sort(key=lambda row: row[:4])
            yield from batch
            if len(batch) < WALK:
                return
            after = batch[-1][:4]

    def _one_step(self, sql: str, params: list[Any], columns: str = ROW) -> list[Row]:
        """The rows of ``sql`` (its columns ``columns``; ``ROW``: a claim's, its cells in
        hexadecimal) as one JSON array, in one step of SQLite: the interpreter's lock is
        handed over once, not once a row (a row a time, a thread busy in Python, such as
        the session's pass over the index, made each wait for it: 30 s for 10,000 rows)."""
        (found,) = self.db.execute(f"SELECT json_group_array(json_array({columns}))"
                                   f" FROM ({sql})", params).fetchone()
        rows = orjson.loads(found)
        if columns == ROW:
            for row in rows:
                row[6] = bytes.fromhex(row[6])
        return [tuple(row) for row in rows]

    def _merge(self, rows: Iterator[tuple[Any, ...]], dups: Dups, merged: Merged
               ) -> set[str]:
        """Note the claims of ``rows`` (in the table's order) held alike; their
        analysts."""
        annotators: set[str] = set()
        run: list[tuple[Any, ...]] = []
        for row in rows:
            if run and (row[0], row[2]) != (run[0][0], run[0][2]):
                self._merge_run(run, annotators, dups, merged)
                run = []
            run.append(row)
        if run:
            self._merge_run(run, annotators, dups, merged)
        return annotators

    def _merge_run(self, run: list[tuple[Any, ...]], annotators: set[str], dups: Dups,
                   merged: Merged) -> None:
        """One source's claims in one article (``one_a_claim``'s key within them)."""
        same: dict[tuple[Any, ...], list[tuple[int, str, tuple[Any, ...]]]] = {}
        for row in run:
            cells = claim_table.cells_of(row[6]) or self._file_cells(row[2], row[3])
            if cells is None:
                continue
            annotators.add(cells.annotator)
            key = (cells.start, cells.end, cells.label, tuple(cells.places))
            same.setdefault(key, []).append((row[3], cells.annotator, row))
        new: list[tuple[str, int]] = []
        for alike in same.values():
            if len(alike) < 2:
                continue
            first = alike[0]
            kept = next((a for a in alike if a[1] == self.prefer), first)
            doc_id = first[2][2]
            merged[(doc_id, first[0])] = (kept[0], tuple(sorted({a[1] for a in alike})))
            for seq, _who, row in alike[1:]:
                dups[(doc_id, seq)] = (row[0], row[4], row[5])
                new.append((doc_id, seq))
        if new and dups is self._dups and self.team is not None:
            self.db.executemany("INSERT OR REPLACE INTO temp.dups VALUES (?, ?)", new)

    def _forget(self, doc_id: str) -> None:
        for table in (self._dups, self._merged):
            for key in [k for k in table if k[0] == doc_id]:
                del table[key]
        self.db.execute("DELETE FROM temp.dups WHERE article = ?", (doc_id,))

    # -- counting ---------------------------------------------------------------------

    @_locked
    def board(self, view: Filter) -> Board:
        """What the board shows of ``view`` (``once`` kept only for a team)."""
        try:
            return self._board(replace(view, once=view.once and bool(self.team)))
        except sqlite3.Error as exc:
            return Board(None, {}, 0, 0, 0, 0, {}, f"the dataset's index: {exc}")

    def _board(self, view: Filter) -> Board:
        groups = self.groups(view)
        whole = replace(view, actor="", place="", status="")
        if whole not in self._totals:
            self._totals[whole] = groups if whole == view else self.groups(whole)
        total = sum(g.n for g in self._totals[whole])
        shown, todo = sum(g.n for g in groups), sum(g.todo for g in groups)
        if not view.pair:
            lines = PagedLines([(g.source, g.n) for g in groups], lambda at, first, n: self.rows(
                view, groups[at].source, groups[at].n, first, n))
            return Board(lines, {}, total, shown, todo, len(groups), {})
        every = {g.source: self.rows(whole, g.source, g.n, 0, g.n)
                 for g in self._totals[whole]}
        titles = {row.article: row.title for rows in every.values() for row in rows}
        pair = {g.source: self.rows(view, g.source, g.n, 0, g.n) for g in groups}
        return Board(None, pair, total, shown, todo, len(groups), titles)

    @_locked
    def groups(self, view: Filter) -> list[Group]:
        """The groups ``view`` keeps, the largest first, then by name folded, then the
        one whose first claim comes first (as ``claim_board.group`` orders them)."""
        where, params = self._where(view)
        sizes: dict[str, list[int]] = {}
        count = "SELECT source, COUNT(*) AS n, SUM(status = ?) AS todo FROM"
        for sign, sql in ((1, f"{count} main.claims AS c WHERE {where} GROUP BY source"),
                          (-1, f"{count} main.claims AS c WHERE {where}"
                               " AND c.article IN temp.replaced GROUP BY source"),
                          (1, f"{count} temp.extra AS c WHERE {where} GROUP BY source")):
            if sign < 0 and not self.replaced:
                continue
            for source, n, todo in self._one_step(sql, [TODO, *params], "source, n, todo"):
                found = sizes.setdefault(source, [0, 0])
                found[0] += sign * n
                found[1] += sign * (todo or 0)
        if view.once and self._dups:
            for key, (source, status, places) in self._dups.items():
                if source in sizes and self._keeps(view, key[0], status, places):
                    sizes[source][0] -= 1
                    sizes[source][1] -= status == TODO
        actor = view.actor.casefold()
        kept = [Group(s, n, todo) for s, (n, todo) in sizes.items()
                if n > 0 and (not actor or actor in s.casefold())]
        order = {g.source: (-g.n, g.source.casefold()) for g in kept}
        ties: dict[tuple[int, str], int] = {}
        for key in order.values():
            ties[key] = ties.get(key, 0) + 1
        first = {g.source: tuple(self._rows(view, g.source, 0, 1, desc=False)[0][1:4])
                 for g in kept if ties[order[g.source]] > 1}
        return sorted(kept, key=lambda g: (*order[g.source], first.get(g.source, ())))

    @staticmethod
    def _keeps(view: Filter, article: str, status: str, places: str) -> bool:
        return ((not view.status or status == view.status)
                and (not view.place or (claim_table.SEP not in view.place
                                        and view.place.casefold() in places))
                and (not view.pair or article in view.pair))

    def _where(self, view: Filter) -> tuple[str, list[Any]]:
        where, params = ["1"], []
        if view.place:  # a place holding SEP, which no name holds, keeps nothing
            where.append("instr(c.places, ?) > 0" if claim_table.SEP not in view.place
                         else "0")
            params += [view.place.casefold()] if claim_table.SEP not in view.place else []
        if view.status:
            where.append("c.status = ?")
            params.append(view.status)
        if view.pair:
            where.append(f"c.article IN ({', '.join('?' * len(view.pair))})")
            params += list(view.pair)
        return " AND ".join(where), params

    def _all(self, view: Filter | None, more: str = "") -> str:
        """Every claim ``view`` keeps (and ``more`` says), the index's and the ones put
        in: a compound SELECT, its parameters twice (``_where``'s, then ``more``'s)."""
        where, _params = self._where(view or Filter())
        where += more
        if view is not None and view.once and self._dups:
            where += (" AND NOT EXISTS (SELECT 1 FROM temp.dups AS d"
                      " WHERE d.article = c.article AND d.seq = c.seq)")
        return (f"SELECT {COLUMNS} FROM main.claims AS c WHERE {where}"
                + (" AND c.article NOT IN temp.replaced" if self.replaced else "")
                + f" UNION ALL SELECT {COLUMNS} FROM temp.extra AS c WHERE {where}")

    # -- reading a group's claims -----------------------------------------------------

    @_locked
    def rows(self, view: Filter, source: str, size: int, first: int, n: int
             ) -> list[ClaimRow]:
        """The claims ``first`` to ``first + n`` of ``source``'s group of ``size`` claims
        as ``view`` keeps them, read from the nearest place read before."""
        if n <= 0:
            return []
        try:
            return self._page(view, source, size, first, n)
        except sqlite3.Error:  # the index gone or locked: those lines are left blank
            return []

    def _page(self, view: Filter, source: str, size: int, first: int, n: int
              ) -> list[ClaimRow]:
        marks = self._marks.setdefault((view, source), {})
        below = max((at for at in marks if at < first), default=-1)
        above = min((at for at in marks if at >= first + n), default=size)
        if first - below - 1 <= above - first - n:
            found = self._rows(view, source, first - below - 1, n, desc=False,
                               after=marks.get(below))
        else:
            found = self._rows(view, source, above - first - n, n, desc=True,
                               after=marks.get(above))[::-1]
            if len(found) < n:  # fewer than counted: the dataset changed since
                found = self._rows(view, source, first, n, desc=False)
        if found:
            marks[first] = tuple(found[0][1:4])
            marks[first + len(found) - 1] = tuple(found[-1][1:4])
        return [self._board_row(view, row) for row in found]

    def _rows(self, view: Filter, source: str, skip: int, n: int, *, desc: bool,
              after: Key | None = None) -> list[tuple[Any, ...]]:
        _where, params = self._where(view)
        order = " DESC" if desc else ""
        more, extra = " AND c.source = ?", [source]
        if after is not None:
            more += f" AND (c.added, c.article, c.seq) {'<' if desc else '>'} (?, ?, ?)"
            extra += list(after)
        sql = (f"{self._all(view, more)} ORDER BY source{order}, added{order},"
               f" article{order}, seq{order} LIMIT ? OFFSET ?")
        rows = self._one_step(sql, [*params, *extra, *params, *extra, n, max(skip, 0)])
        return sorted(rows, key=lambda row: row[1:4], reverse=desc)

    def _board_row(self, view: Filter, row: tuple[Any, ...]) -> ClaimRow:
        source, added, doc_id, seq = row[:4]
        merged = self._merged.get((doc_id, seq)) if view.once else None
        blob = row[6]
        if merged is not None and merged[0] != seq:
            seq = merged[0]
            blob = self._cells(source, added, doc_id, seq)
        cells = claim_table.cells_of(blob)
        made = claim_table.board_row(source, doc_id, cells) if cells is not None \
            else self._from_file(doc_id, seq)
        return replace(made, holders=merged[1]) if merged is not None else made

    def _cells(self, source: str, added: int, doc_id: str, seq: int) -> bytes | None:
        table = "temp.extra" if doc_id in self.replaced else "main.claims"
        found = self.db.execute(f"SELECT cells FROM {table} WHERE source = ? AND added = ?"
                                " AND article = ? AND seq = ?",
                                (source, added, doc_id, seq)).fetchone()
        return found[0] if found is not None else None

    def _file_cells(self, doc_id: str, seq: int) -> claim_table.Cells | None:
        """The cells of a claim whose row's do not decode, made from its file."""
        try:
            rows = claim_table.rows_of(self.dataset.article(doc_id), self.dataset.labels,
                                       False)
        except GlossError:
            return None
        return claim_table.cells_of(rows[seq][6]) if 0 <= seq < len(rows) else None

    def _from_file(self, doc_id: str, seq: int) -> ClaimRow:
        """A claim whose cells do not decode (a row forged by hand), made from its file
        (an empty row when that cannot be read)."""
        from tui.core.attribution.claim_board import claim_rows

        try:
            article = self.dataset.article(doc_id)
            return list(claim_rows(article, self.dataset.labels, sentences=False))[seq]
        except (GlossError, IndexError):
            cells = claim_table.Cells("", [], "", "", "", "", 0, 0, "", "")
            return claim_table.board_row("", doc_id, cells)


def open_pages(dataset: Dataset, problems: list[str] | None = None) -> ClaimPages | None:
    """The board of ``dataset`` from its index (a connection of its own), the rows of the
    articles the index may not be trusted with made from their files; None when there is
    no usable index (no STRICT tables, none written yet, another version). An index file
    there but kept out by a writer's commit (a pass over it, a save) is tried again, for
    up to ``WAIT_S`` seconds."""
    waited = 0.0
    while True:
        pages = _open_pages(dataset, problems)
        if pages is not None or waited >= WAIT_S or not pageable(dataset, locked=True):
            return pages
        time.sleep(0.5)
        waited += 0.5


def _open_pages(dataset: Dataset, problems: list[str] | None) -> ClaimPages | None:
    index = ArticleIndex(dataset.folder, write=False)
    try:
        db = index.connection()
        if db is None or not claim_table.supported() or not _usable(db):
            index.close()
            return None
        pages = ClaimPages(index, db, dataset)
        for doc_id in _untrusted(db, dataset):
            try:
                article: Article | None = dataset.article(doc_id)
            except GlossError as exc:
                if problems is not None and dataset.stat(doc_id) is not None:
                    problems.append(str(exc))
                article = None
            pages.put(doc_id, article)
        return pages
    except sqlite3.Error:
        index.close()
        return None


def pageable(dataset: Dataset, locked: bool = False) -> bool:
    """Can the board of ``dataset`` be paged from its index (see :func:`open_pages`)?
    ``locked``: or might it be, were it not locked (its file is there)."""
    index = ArticleIndex(dataset.folder, write=False)
    try:
        db = index.connection()
        if db is None:
            return locked and claim_table.supported() and index.path.is_file()
        return claim_table.supported() and _usable(db)
    except sqlite3.OperationalError:
        return locked
    finally:
        index.close()


def _usable(db: sqlite3.Connection) -> bool:
    try:
        db.execute(f"SELECT {COLUMNS} FROM main.claims LIMIT 1").fetchall()
        db.execute("SELECT article, ino, mtime, size, labels, n FROM main.claim_sets LIMIT 1"
                   ).fetchall()
    except sqlite3.Error:
        return False
    return True


def _untrusted(db: sqlite3.Connection, dataset: Dataset) -> Iterable[str]:
    """The articles whose rows may not be used: those of a file changed behind the index
    (signature, label set), rows added or deleted by hand, articles gone or never
    indexed (``claim_table.trusted``'s rules)."""
    ids = dataset.ids()
    stamps = dict(zip(ids, map(signature, dataset.stats(ids)), strict=True))
    digest = claim_table.labels_digest(labels_key(dataset.labels))
    (found_sets,) = db.execute(
        "SELECT json_group_array(json_array(article, ino, mtime, size, labels, n))"
        " FROM main.claim_sets").fetchone()  # one step: see ``ClaimPages._one_step``
    sets = [tuple(row) for row in orjson.loads(found_sets)]
    (total,) = db.execute("SELECT COUNT(*) FROM main.claims").fetchone()
    found: dict[str, int] | None = None
    if total != sum(row[5] for row in sets):
        (counted,) = db.execute("SELECT json_group_object(article, n) FROM (SELECT article,"
                                " COUNT(*) AS n FROM main.claims GROUP BY article)").fetchone()
        found = orjson.loads(counted)
    fresh = {doc_id for doc_id, ino, mtime, size, labels, n in sets
             if stamps.get(doc_id) == (ino, mtime, size) and labels == digest
             and (found is None or found.get(doc_id, 0) == n)}
    gone = {doc_id for doc_id, *_rest in sets if doc_id not in fresh}
    if found is not None:
        gone |= found.keys() - fresh
    return sorted(gone | {doc_id for doc_id in ids if doc_id not in fresh})
