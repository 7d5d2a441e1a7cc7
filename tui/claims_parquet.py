"""``gloss claims --format parquet -o FILE``: the claims table from the index's claims tables
(``claim_table.py``), in the order ``gloss claims`` prints them (the groups largest first,
then each group's claims in the library's order), a batch of the query at a time: no
article file is read while every article's rows stand (``claim_pass.every_claim``, whose
``wide`` reads the file of an article whose cells do not hold the Parquet's columns)."""

from __future__ import annotations

import collections
import contextlib
import os
import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import IO, TYPE_CHECKING, Any

import msgspec

from tui.core.disk import in_turns
from tui.core.disk.collector import collector_paused
from tui.core.disk.files import write_all
from tui.core.document.model import GlossError
from tui.core.store import claim_columns
from tui.core.store.claim_pass import (
    Claims,
    Grouped,
    every_claim,
    grouped,
    reopened,
    row_from_file,
)
from tui.core.store.claim_table import Piece, Query
from tui.core.store.dataset import Dataset

if TYPE_CHECKING:
    from tui.formats import parquet

# a claim's cells whole (``claim_table.Cells``, with the Parquet's columns), as a tuple:
# a batch's are turned into columns by ``zip``, in C; checked as decoded
Whole = tuple[str, list[str], str, str, str, str, int, int, str, str, str | None, str | None,
              str | None, str | None]
_WHOLE = msgspec.json.Decoder(Whole).decode
_MANY = msgspec.json.Decoder(list[Whole]).decode  # a piece's cells, joined
_NAMES = msgspec.json.Decoder(list[str]).decode
Columns = dict[str, Sequence[Any]]
Found = tuple[str, str, int, str, Any]  # a row of the query: source, article, seq, status, cells


def save(dataset: Dataset, out: IO[bytes], problems: list[str], *, actor: str = "",
         place: str = "", status: str = "") -> int:
    """The claims kept by the filters (as ``gloss claims`` keeps them) to ``out``; the
    claims written. Each broken file's one-line error goes to ``problems``."""
    from tui.formats import parquet

    arrow: list[parquet.ClaimValues] = []

    def counted(claims: Claims) -> Grouped:
        made = grouped(claims, actor=actor, place=place, status=status, out=out,
                       least=TWO_FROM, size=PIECE)
        if not arrow:  # Arrow imported while the files' signatures are still being made
            arrow.append(parquet.ClaimValues())
        return made

    # counted while the files' signatures are made, and used when every row stands
    with every_claim(dataset, problems, lines=False, wide=True, ahead=counted) as claims:
        query, groups, pieces = claims.ahead or counted(claims)
        if claims.claims == "main.claims" and claim_columns.whole(query.db):
            return _of_values(dataset, query, groups, pieces, out, arrow[0])
        # a million claims' cells decoded, none in a cycle: the collector's passes over
        # them were two thirds of the decoding
        with collector_paused():
            if len(pieces) >= 2:
                return _in_two(dataset, query, groups, pieces, out)
            query.rank(groups)
            made = (columns for piece in _alone(query, groups)
                    for columns in _piece(dataset, query, piece))
            try:
                return parquet.write_claims(made, out)
            finally:
                made.close()  # a cursor still open on ``ranks`` would keep it from a drop
                query.db.execute("DROP TABLE IF EXISTS temp.ranks")


# Two processes from this many claims, in ranges of the print order of about PIECE claims
# (a row group's): each process makes the Arrow batches of its ranges, in turns, into one
# pipe; a thread of this one writes them as Parquet (``_in_two``)
TWO_FROM = 20_000
PIECE = 20_000


def _in_two(dataset: Dataset, query: Query, groups: list[tuple[str, int]],
            pieces: list[Piece], out: IO[bytes]) -> int:
    """The table made on both cores: the batches of every other range by a process forked
    here (``in_turns``), all of them written, in order, as one Arrow stream into a pipe
    whose other end a thread of this one reads and writes to ``out`` as Parquet (the
    thread started once the fork is made: a fork copies no thread, and a lock one held
    would stay held in the copy). A failure of the thread is the command's, whatever the
    processes writing into the pipe then meet (it is closed)."""
    from tui.formats import parquet

    stream = parquet.ClaimsStream()
    read, write = os.pipe()
    written: list[int] = []
    failed: list[BaseException] = []

    def parquet_of_stream() -> None:
        try:
            with os.fdopen(read, "rb") as source:
                written.append(stream.write(source, out))
        except BaseException as exc:  # raised by the main thread, once it stops
            failed.append(exc)

    thread = threading.Thread(target=parquet_of_stream, name="gloss-parquet-stream")

    def make(on: Query) -> Callable[[int, IO[bytes]], None]:
        def piece(n: int, into: IO[bytes]) -> None:
            for columns in _piece(dataset, on, pieces[n]):
                into.write(stream.batch(columns))
        return piece

    mine = make(query)

    def first(n: int, into: IO[bytes]) -> None:
        if thread.ident is None:
            thread.start()
        mine(n, into)

    def start() -> Callable[[int, IO[bytes]], None]:
        os.close(read)  # the thread's end: its failure closes the pipe for both
        helper = query.on(reopened(dataset))
        helper.rank(groups)
        return make(helper)

    query.rank(groups)
    pipe = os.fdopen(write, "wb")
    try:
        try:
            write_all(write, stream.head())
            in_turns.in_turns(len(pieces), pipe, first, start, "gloss claims", "rows")
            write_all(write, stream.end())
        finally:
            pipe.close()  # the stream ends here for the thread: whole, or cut short
            if thread.ident is not None:
                thread.join()
            else:
                os.close(read)
    except (OSError, GlossError):
        if failed:  # the thread's failure closed the pipe: it is the command's error
            raise failed[0] from None
        raise
    finally:
        query.db.execute("DROP TABLE IF EXISTS temp.ranks")
    if failed:
        raise failed[0]
    return written[0]


def _of_values(dataset: Dataset, query: Query, groups: list[tuple[str, int]],
               pieces: list[Piece], out: IO[bytes], values: parquet.ClaimValues) -> int:
    """The table made by Arrow of the index's column values (``claim_columns``), a range of
    about a row group's claims at a time, each range's values joined by SQLite on a
    thread of their own (it lets Python's lock go) while Arrow makes the range before;
    a range whose values are not whole (too long to join, or forged) made of its
    cells."""
    from tui.formats import parquet

    ranges = pieces or _alone(query, groups)
    # one query on the connection at a time: the length limit ``_within`` sets for one is
    # the connection's
    lock = threading.Lock()

    def joined(piece: Piece) -> tuple[int, bytes, bytes] | None:
        with lock:
            try:
                return query.values_joined(piece)
            except sqlite3.Error:  # (the cells then, whose own error is the command's)
                return None

    def made() -> Iterator[Any]:
        with ThreadPoolExecutor(1, thread_name_prefix="gloss-values") as reader:
            coming = collections.deque(reader.submit(joined, piece)
                                       for piece in ranges[:AHEAD])
            for n, piece in enumerate(ranges):
                got = coming.popleft().result()  # (let go of once made: each 5 MB)
                if n + AHEAD < len(ranges):
                    coming.append(reader.submit(joined, ranges[n + AHEAD]))
                batch = values.batch(*got) if got is not None else None
                if batch is None:
                    with lock:
                        again = list(_piece(dataset, query, piece))
                    yield from again
                elif batch.num_rows:
                    yield batch

    query.rank(groups)
    batches = made()
    try:
        return parquet.write_claims(batches, out)
    finally:
        batches.close()  # (its thread waited for)
        query.db.execute("DROP TABLE IF EXISTS temp.ranks")


AHEAD = 2  # ranges joined ahead of the one Arrow makes: each holds about 5 MB (1: 8 % longer)


def _alone(query: Query, groups: list[tuple[str, int]]) -> list[Piece]:
    """The ranges one process makes the table in: of about a row group's claims, where the
    index's articles tell where to cut; else one of every group."""
    try:
        return query.pieces(groups, PIECE)
    except sqlite3.Error:
        return [(0, len(groups) - 1, None, None)] if groups else []


def _piece(dataset: Dataset, query: Query, piece: Piece) -> Iterator[Columns]:
    """The table's columns of the claims of ``piece``: all at once from its rows joined by
    SQLite, decoded in one call each; a batch of rows at a time when they cannot be (too
    long to join, or a cell that does not decode: ``_columns``)."""
    joined = query.joined(piece)
    if joined is not None:
        *lists, cells = joined
        try:
            sources, articles, statuses = map(_NAMES, lists)
            whole = _MANY(b"[" + cells + b"]")
        except msgspec.DecodeError:
            pass
        else:
            if len(whole) == len(sources):
                if whole:
                    yield _table(sources, articles, statuses, whole)
                return
    with contextlib.closing(query.rows_of("parquet", piece)) as batches:
        for batch in batches:
            columns = _columns(dataset, batch)
            if columns:
                yield columns


def _columns(dataset: Dataset, batch: list[Found]) -> Columns | None:
    """A batch of rows as the table's columns (None: no row left). A row whose cells do
    not decode or do not hold the Parquet's columns (forged by hand: its article's
    ``claim_sets`` row says they do) is made again from its file, and left out when that
    cannot be read."""
    sources, articles, _seqs, statuses, blobs = zip(*batch, strict=True)
    try:  # the decoder called from C
        cells = list(map(_WHOLE, blobs))
    except (msgspec.DecodeError, TypeError):
        sources, articles, statuses, cells = _again(dataset, batch)
        if not cells:
            return None
    return _table(sources, articles, statuses, cells)


def _table(sources: Sequence[str], articles: Sequence[str], statuses: Sequence[str],
           cells: Sequence[tuple[Any, ...]]) -> Columns:
    (claim, places, title, date, ids, analyst, start, end, _label, _kind, source,
     source_kind, quote, outlet) = zip(*cells, strict=True)
    return {"claim": claim, "start": start, "end": end, "source": source,
            "canonical": [name if given is not None else None
                          for name, given in zip(sources, source, strict=True)],
            "source_kind": source_kind, "quote": quote, "places": places,
            "article": articles, "title": title, "outlet": outlet,
            "date": [day or None for day in date], "analyst": analyst,
            "status": statuses, "id": ids}


def _again(dataset: Dataset, batch: list[Found]
           ) -> tuple[list[str], list[str], list[str], list[tuple[Any, ...]]]:
    """The sources, articles, statuses and cells of ``batch``, those of a row whose cells
    are not whole made again from its file (left out when it cannot be read)."""
    sources, articles, statuses, cells = [], [], [], []
    for source, article, seq, status, blob in batch:
        made = _whole(blob)
        if made is None:
            again = row_from_file(dataset, article, seq)
            made = _whole(again[6]) if again is not None else None
            if again is None or made is None:
                continue
            source, status = again[0], again[4]
        sources.append(source)
        articles.append(article)
        statuses.append(status)
        cells.append(made)
    return sources, articles, statuses, cells


def _whole(blob: Any) -> tuple[Any, ...] | None:
    try:
        return _WHOLE(blob)
    except (msgspec.DecodeError, TypeError):
        return None
