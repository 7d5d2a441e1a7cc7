"""The claims of a whole dataset as one SQL table, for ``gloss claims`` (``claim_table.py``):
the index's rows of every article whose row is fresh, and the rows of the others worked out
from their files, one at a time, into a temporary table (on disk: memory stays bounded by
the largest article). Without a usable index every article is read, into a private
temporary database of the same shape.
"""

from __future__ import annotations

import contextlib
import gc
import marshal
import os
import signal
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from tui.core.attribution.claim_board import ClaimRow
from tui.core.disk import in_turns
from tui.core.disk.collector import collector_paused
from tui.core.disk.files import write_all
from tui.core.disk.second_process import may_fork
from tui.core.disk.storage import CorruptFileError
from tui.core.document.model import GlossError
from tui.core.store import claim_table
from tui.core.store.article_index import ArticleIndex, labels_key, signature
from tui.core.store.claim_table import Stamp
from tui.core.store.dataset import Dataset

_BATCH = 500  # articles' rows inserted at a time


@dataclass(frozen=True, slots=True)
class Claims:
    db: sqlite3.Connection
    claims: str  # what to query: the index's tables, views of them, or private tables
    lines: str
    shape: str  # of the lines (``claim_table.layout``)
    ahead: Any = None  # what ``every_claim``'s ``ahead`` made of these tables, or None
    # the rows of the index's tables ``ahead`` counted in this snapshot, by table (claims:
    # every claim, when it counted them all), which the check of the rows need not count
    counted: dict[str, int] = field(default_factory=dict)


@contextlib.contextmanager
def every_claim(dataset: Dataset, problems: list[str], lines: bool = True,
                ahead: Callable[[Claims], Any] | None = None, wide: bool = False
                ) -> Iterator[Claims]:
    """Every claim of ``dataset`` (its readable articles'); each broken file's one-line
    error goes to ``problems``, in the order of the dataset's ids. ``lines``: the JSONL
    lines of the files read are made too. ``ahead``: what the caller makes of the index's
    own tables (its groups counted, say), made while the files' signatures are (by
    another process: ``_signatures``), in the one snapshot the claims are then read in;
    given back as ``Claims.ahead`` when every article's rows stand (the tables it was
    made of are then the ones to query), else None. ``wide``: an article whose cells do
    not hold the Parquet's columns (``claim_table.Cells``) is read from its file too."""
    ids = dataset.ids()
    stamps = _signatures(dataset, ids)
    stale: set[str] | None = None  # None: every article
    untrusted: set[str] = set()
    early: Any = None
    shape: str | None = None
    try:
        db = dataset.index.connection()
        if db is not None and claim_table.supported():
            shape = claim_table.layout(db)
        if shape is not None:
            assert db is not None
            try:
                db.execute("BEGIN")  # one snapshot from here while every row stands
                counted: dict[str, int] = {}
                if ahead is not None:
                    early = _ahead(ahead, Claims(db, "main.claims",
                                                 f"main.{claim_table.LINES[shape]}", shape,
                                                 counted=counted))
                with collector_paused():  # 100,000 rows and signatures, no cycle
                    stale, untrusted = claim_table.trusted(db, stamps,
                                                           labels_key(dataset.labels),
                                                           lines, wide, counted)
            except sqlite3.Error:
                shape, stale, untrusted = None, None, set()
    finally:
        stamps()  # a process making them is waited for, needed or not
    if shape is not None and not stale and not untrusted:  # the index's rows, all
        assert db is not None
        try:
            yield Claims(db, "main.claims", f"main.{claim_table.LINES[shape]}", shape, early)
        finally:
            db.execute("COMMIT")
        return
    if db is not None and db.in_transaction:  # rows made from files: in one of their own
        with contextlib.suppress(sqlite3.Error):
            db.execute("COMMIT")
    private = shape is None
    if private:
        shape = claim_table.NEW
        db = sqlite3.connect("", isolation_level=None)  # "": a temporary file
        db.executescript(claim_table.SCHEMA if claim_table.supported()
                         else claim_table.SCHEMA.replace(" STRICT,", "")
                         .replace(" STRICT", ""))
        claims, lines, into = "claims", "claim_jsonl", ("claims", "claim_jsonl")
    else:
        assert db is not None
        _drop(db)
        db.execute("CREATE TEMP TABLE extra AS SELECT * FROM main.claims WHERE 0")
        assert shape is not None
        table = claim_table.LINES[shape]
        db.execute(f"CREATE TEMP TABLE extra_lines AS SELECT * FROM main.{table} WHERE 0")
        if shape == claim_table.OLD:  # its lines are looked up claim by claim
            db.execute("CREATE INDEX temp.extra_lines_key ON extra_lines (article, seq)")
        claims, lines, into = "main.claims", f"main.{table}", ("temp.extra",
                                                                  "temp.extra_lines")
    try:
        read = ids if stale is None else [doc_id for doc_id in ids if doc_id in stale]
        _read(dataset, read, db, into, problems, lines, shape)
        if not private and (read or untrusted):
            db.execute("CREATE TEMP TABLE untrusted (article TEXT PRIMARY KEY)")
            db.executemany("INSERT INTO temp.untrusted VALUES (?)",
                           [(i,) for i in untrusted | set(read)])
            for view, main, extra in (("every", "main.claims", "extra"),
                                      ("every_line", lines, "extra_lines")):
                db.execute(f"CREATE TEMP VIEW {view} AS SELECT * FROM {main} WHERE"
                           " article NOT IN (SELECT article FROM temp.untrusted)"
                           f" UNION ALL SELECT * FROM temp.{extra}")
            claims, lines = "temp.every", "temp.every_line"
        # one snapshot: the groups counted, then walked, as they were
        db.execute("BEGIN")
        try:
            yield Claims(db, claims, lines, shape)
        finally:
            db.execute("COMMIT")
    finally:
        if private:
            db.close()
        else:
            with contextlib.suppress(sqlite3.Error):
                _drop(db)


# From this many files their signatures are made by forked processes while this one reads
# the index's counts (100,000 stats: 0.3 s, the index's side 0.2 s, one after the other
# before)
FORK_FROM = 20_000
# Processes the signatures are made by, each of a part of the files: three processes
# (with this one reading the index) on two cores end together, where the one that made
# them all ended last (100,000 stats, 0.4 s on one, against the index's 0.25 s)
PARTS = 2


def _signatures(dataset: Dataset, ids: list[str]) -> Callable[[], dict[str, Stamp]]:
    """The files' signatures (``article_index.signature``), by id: a function that gives
    them (the same dict each call), made meanwhile by forked processes (``PARTS``, each of
    a part of them) when this process runs no other thread and a core is free at this
    moment (``second_process.may_fork``: on a busy machine the forks' faults only cost,
    their 0.3 s waiting for the same cores); a part made here when its process fails in
    any way."""
    made: list[dict[str, Stamp]] = []

    def stamped(part: list[str]) -> dict[str, Stamp]:
        return dict(zip(part, map(signature, dataset.stats(part)), strict=True))

    def here() -> dict[str, Stamp]:
        if not made:
            made.append(stamped(ids))
        return made[0]

    if len(ids) < FORK_FROM or not may_fork(no_other_thread=True, core_free_now=True):
        return here
    parts = [ids[len(ids) * k // PARTS:len(ids) * (k + 1) // PARTS] for k in range(PARTS)]
    forked: list[tuple[int, int] | None] = []
    for part in parts:
        forked.append(_forked(stamped, part, [child[1] for child in forked if child]))

    def theirs() -> dict[str, Stamp]:
        if not made:
            stamps: dict[str, Stamp] = {}
            try:
                for k, part in enumerate(parts):
                    child, forked[k] = forked[k], None
                    got = _received(*child) if child is not None else None
                    stamps.update(got if got is not None and len(got) == len(part)
                                  else stamped(part))
            finally:  # stopped (Ctrl-C, say): those not waited for yet are ended
                for child in filter(None, forked):
                    _ended(*child)
            made.append(stamps)
        return made[0]

    return theirs


def _forked(stamped: Callable[[list[str]], dict[str, Stamp]], part: list[str],
            theirs: list[int]) -> tuple[int, int] | None:
    """A process forked to make the signatures of ``part`` (``stamped``) and write them
    into a pipe: (its pid, the pipe's end to read); None when it cannot be forked.
    ``theirs``: the ends this process reads of the pipes of those forked before, closed
    in the new one (held there, a pipe whose reader died would take a write for ever)."""
    into, out = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(into)
        os.close(out)
        return None
    if pid == 0:  # never returns
        try:
            for fd in (into, *theirs):
                os.close(fd)
            # no collector's pass: it would write into every object, copying each page of
            # this process's memory the fork shares (half a second of faults)
            gc.disable()
            # marshal: a dict of tuples made and read again in C (the same Python)
            write_all(out, marshal.dumps(stamped(part)))
        finally:
            os._exit(0)
    os.close(out)
    return pid, into


def _ended(pid: int, into: int) -> None:
    os.close(into)
    with contextlib.suppress(OSError):
        os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)


def _received(pid: int, into: int) -> dict[str, Stamp] | None:
    """What the process ``pid`` wrote into the pipe ``into`` (read whole, then waited
    for): its signatures, or None when it ended before it said all."""
    try:
        with os.fdopen(into, "rb") as pipe:
            data = pipe.read()
    finally:
        os.waitpid(pid, 0)
    try:
        stamps = marshal.loads(data)
    except (EOFError, ValueError, TypeError):
        return None
    return stamps if isinstance(stamps, dict) else None


Grouped = tuple[claim_table.Query, list[tuple[str, int]], list[claim_table.Piece]]


def grouped(claims: Claims, *, actor: str, place: str, status: str, out: IO[bytes] | None,
            least: int, size: int) -> Grouped:
    """The query of ``claims`` kept by the filters, its groups counted (every claim's
    count kept for the check of the rows, when it counted them all) and, given ``out``,
    the ranges it is made in on two processes (``pieces_in_two``; else none): what a
    command makes ``ahead`` of ``every_claim``, while the files' signatures are made."""
    query = claim_table.Query(claims.db, claims.claims, claims.lines, actor=actor,
                              place=place, status=status, shape=claims.shape)
    groups = query.groups()
    if query.total is not None and claims.claims == "main.claims":
        claims.counted["claims"] = query.total
    pieces = pieces_in_two(claims, query, groups, out, least, size) if out is not None \
        else []
    return query, groups, pieces


def pieces_in_two(claims: Claims, query: claim_table.Query, groups: list[tuple[str, int]],
                  out: IO[bytes], least: int, size: int) -> list[claim_table.Piece]:
    """The ranges of the print order, of about ``size`` claims each, that an output of
    ``query`` is made in on two processes (``in_turns``): when every article's rows are
    the index's own (no file read again: a second process sees none of this one's
    temporary tables), ``least`` claims or more, and two cores; else none."""
    if claims.claims == "main.claims" and sum(n for _source, n in groups) >= least \
            and in_turns.two_cores(out):
        with contextlib.suppress(sqlite3.Error):
            return query.pieces(groups, size)
    return []


def _ahead(ahead: Callable[[Claims], Any], claims: Claims) -> Any:
    """What ``ahead`` makes of ``claims``; None when it cannot (made again after)."""
    try:
        return ahead(claims)
    except sqlite3.Error:
        return None


def _drop(db: sqlite3.Connection) -> None:
    for drop in ("VIEW IF EXISTS temp.every", "VIEW IF EXISTS temp.every_line",
                 "TABLE IF EXISTS temp.untrusted", "TABLE IF EXISTS temp.extra",
                 "TABLE IF EXISTS temp.extra_lines"):
        db.execute(f"DROP {drop}")


def _read(dataset: Dataset, stale: list[str], db: sqlite3.Connection,
          into: tuple[str, str], problems: list[str], lines: bool, shape: str) -> None:
    """The claim rows of the ``stale`` articles worked out from their files, into ``into``
    (not the index: a read-only command never writes it)."""
    rows: list[claim_table.Row] = []
    with collector_paused():
        db.execute("BEGIN")
        for doc_id in stale:
            try:
                article = dataset.article(doc_id)
            except CorruptFileError as exc:
                problems.append(str(exc))
                continue
            except GlossError:
                continue  # removed since the folder was listed
            rows += claim_table.rows_of(article, dataset.labels, lines)
            if len(rows) >= _BATCH:
                claim_table.insert(db, rows, *into, shape)
                rows.clear()
        claim_table.insert(db, rows, *into, shape)
        db.execute("COMMIT")


def row_from_file(dataset: Dataset, doc_id: str, seq: int) -> claim_table.Row | None:
    """The row of ``doc_id``'s claim ``seq`` made from its file (its row in the index is
    missing or forged); None when the file cannot be read."""
    try:
        rows = claim_table.rows_of(dataset.article(doc_id), dataset.labels)
    except GlossError:
        return None
    return rows[seq] if 0 <= seq < len(rows) else None


def reopened(dataset: Dataset) -> sqlite3.Connection:
    """A connection of a process forked from one reading the index in a transaction (the
    lines of ``gloss claims`` read on two processes), to the file that one reads: its
    lock, held meanwhile, keeps the file as that transaction sees it (a rollback journal:
    no writer commits while a reader holds it), so that both read the same claims. The
    file is checked to be the one the first process opened (inherited, its descriptor
    names it), never one put in its place since. Raises an ``OSError`` or an
    ``sqlite3.Error`` when it is not, or when this cannot be known."""
    before = _files()
    path = dataset.index.path
    db = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True,
                         isolation_level=None, check_same_thread=False)
    try:
        opened = {file for fd, file in _files().items() if fd not in before}
        if not opened & set(before.values()):
            raise OSError(f"{path}: not the file being read")
        (mode,) = db.execute("PRAGMA journal_mode").fetchone()
        if mode == "wal":  # a writer would commit under a reader: not one snapshot
            raise sqlite3.Error("a write-ahead log")
        db.execute("BEGIN")
    except BaseException:
        db.close()
        raise
    return db


def _files() -> dict[int, tuple[int, int]]:
    """This process's descriptors and the files they are open on (Linux; elsewhere an
    ``OSError``)."""
    found = {}
    for name in os.listdir("/proc/self/fd"):
        with contextlib.suppress(OSError, ValueError):
            info = os.fstat(int(name))
            found[int(name)] = (info.st_dev, info.st_ino)
    return found


BoardStart = tuple[list[tuple[str, int]], list[ClaimRow]]  # (source, claims); first rows


def first_claims(dataset: Dataset, limit: int) -> BoardStart | None:
    """The board's groups (source, claims) as the index counts them, and its first
    ``limit`` rows, each of an article whose claims the index holds as its file now is
    (signature, label set, count: checked for the articles shown only; no file is read):
    what the board shows at once while the session reads the dataset, which then puts
    right any count an article changed behind the index's back has made wrong. None
    when there is no usable index."""
    index = ArticleIndex(dataset.folder, write=False)  # a connection of its own: a thread's
    try:
        db = index.connection()
        if db is None or not claim_table.supported() or not claim_table.usable(db):
            return None
        # One snapshot: a writer (the session's pass putting a stale row right) commits
        # an article's claims and its signature together; read apart, its new signature
        # could vouch for its old rows
        db.execute("BEGIN")
        try:
            return _first(db, dataset, limit)
        finally:
            db.execute("COMMIT")
    except sqlite3.Error:
        return None
    finally:
        index.close()


def _first(db: sqlite3.Connection, dataset: Dataset, limit: int) -> BoardStart:
    query = claim_table.Query(db, "main.claims", "")
    groups = query.groups()
    key = labels_key(dataset.labels)
    fresh: dict[str, bool] = {}
    rows: list[ClaimRow] = []
    batches = query.batches("board", groups)
    try:
        for batch in batches:
            for source, article, _seq, blob in batch:
                if article not in fresh:
                    fresh[article] = _fresh(db, dataset, article, key)
                cells = claim_table.cells_of(blob) if fresh[article] else None
                if cells is not None:  # forged: left out of the first rows
                    rows.append(claim_table.board_row(source, article, cells))
            if len(rows) >= limit:
                break
    finally:
        batches.close()
    return groups, rows[:limit]


def _fresh(db: sqlite3.Connection, dataset: Dataset, doc_id: str, key: str) -> bool:
    """May ``doc_id``'s claim rows be used? (``claim_table.trusted``, for one article.)"""
    made = db.execute("SELECT ino, mtime, size, labels, n FROM claim_sets WHERE article=?",
                      (doc_id,)).fetchone()
    if made is None or (made[0], made[1], made[2]) != signature(dataset.stat(doc_id)) \
            or made[3] != claim_table.labels_digest(key):
        return False
    (found,) = db.execute("SELECT COUNT(*) FROM claims WHERE article=?", (doc_id,)).fetchone()
    return bool(found == made[4])
