"""``gloss claims --format table``'s rows after the first screenful, on two processes.

A million rows are about 140 MB of lines; made one at a time (a tuple of cells, then its
line, each checked) they took three quarters of the command's processor time. Here a row
of the common kind (in the middle of its group, every cell of ``SIMPLE`` text within its
column) costs one decode of its cells and one ``%`` format, and a batch of such lines is
checked by one regular expression: the line of ``FastRows.block`` for that row, character
for character (each cell at its place, the width its own, nothing but simple text). Every
other row (a group's first or last, a forged or a wider cell, a control) is made as the
table made it before (``claims_table_output.shown_row``, then ``FastRows.block``).

The rows are read in ranges of the print order (``claim_table.Query.pieces``: whole groups,
or the larger ones cut where the articles were added). With two cores and enough claims a
second process, forked, makes two ranges of every three and sends each, whole, on a pipe
to this one, which writes every range in its order: the bytes are those one process
writes. A second process that ends or fails before a range is sent leaves it, and all
after it, to this one; this one's end (an error, a broken pipe, Ctrl-C) kills it and
waits for it.
"""

from __future__ import annotations

import contextlib
import dataclasses
import operator
import os
import re
import sqlite3
import struct
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO

import msgspec

from tui.core.disk import in_turns
from tui.core.disk.collector import collector_paused
from tui.core.disk.files import write_all
from tui.core.disk.second_process import Helper
from tui.core.store.claim_pass import reopened
from tui.core.store.claim_table import BATCH, Cells, Piece, Query, cells_of, piece_where
from tui.core.store.dataset import Dataset
from tui.table_rows import ASCII, SIMPLE, FastRows, Row

TWO_FROM = 20_000  # claims from which a second process helps (fewer: its start costs more)
PIECE = 25_000  # claims a range, about: ~3.5 MB of lines held by the process making it
# This process makes one range in ``EVERY`` (the first of each run), the second process the
# others: this one also writes every range into the output (a terminal's writes cost as
# much processor time as making the lines), so that the two are busy for as long
EVERY = 3
WRITE = 8192  # rows' lines encoded and written at a time, about (a megabyte)
_DECODE = msgspec.json.Decoder(Cells).decode
_LENGTH = struct.Struct("<Q")
_BLOB = operator.itemgetter(0)

# a row as the table shows it, from its cells, article, place in it, source, whether it is
# its group's first and last
Shown = Callable[[bytes, str, int, str, bool, bool], Row]


@dataclass(frozen=True, slots=True)
class Rest:
    """What a process needs to write any range of the rows: ``fast`` and ``by_rich``
    (rows as ``FastRows.block`` writes them), ``gap`` (the line after a group's end),
    ``bottom`` (the table's last line), ``shown`` (a row's cells as shown), the groups
    and, for a group cut in ranges, the time its first and last claims' articles were
    added (whether a range holds its first or its last row)."""

    fast: FastRows
    by_rich: Callable[[Row], str]
    gap: str
    bottom: str
    shown: Shown
    groups: list[tuple[str, int]]
    ends: dict[int, tuple[int, int]]
    encoding: str
    errors: str


def write_rest(dataset: Dataset, query: Query, rest: Rest, out: IO[bytes], after_group: bool,
               skip: int) -> None:
    """Every row after the first ``skip`` (Rich drew them; ``after_group``: the last of
    them ended its group), then the table's bottom, into ``out``: on two processes when
    ``TWO_FROM`` claims or more (the index's own rows: a second process sees none of this
    one's temporary tables), else on this one."""
    total = sum(n for _source, n in rest.groups)
    pieces: list[Piece] = [(0, len(rest.groups) - 1, None, None)]
    if total >= TWO_FROM and query.claims == "main.claims" and in_turns.two_cores(out):
        with contextlib.suppress(sqlite3.Error):
            cut = query.pieces(rest.groups, PIECE)
            if len(cut) > 1:
                pieces = cut
    query.rank(rest.groups)
    try:
        rest = _with_ends(query, rest, pieces)
        if len(pieces) > 1:
            pieces, skip = _past_first(query, pieces, skip)
        lead = rest.gap if after_group else ""
        with collector_paused():  # a million rows, no cycle
            if len(pieces) == 1:
                _write_piece(query, rest, pieces[0], out.write, skip, lead)
            else:
                _in_two(dataset, query, rest, pieces, out, skip, lead)
        out.flush()
    finally:
        query.db.execute("DROP TABLE IF EXISTS temp.ranks")


def _with_ends(query: Query, rest: Rest, pieces: list[Piece]) -> Rest:
    """``rest`` with the first and last times added of each group cut in ranges."""
    ends: dict[int, tuple[int, int]] = {}
    for first, _last, start, end in pieces:
        if (start is not None or end is not None) and first not in ends:
            source = rest.groups[first][0]
            ends[first] = (_added(query, source, "ASC"), _added(query, source, "DESC"))
    return dataclasses.replace(rest, ends=ends)


def _added(query: Query, source: str, order: str) -> int:
    row = query.db.execute(
        f"SELECT c.added FROM {query.claims} AS c WHERE {query.where} AND c.source = ?"
        f" ORDER BY c.added {order} LIMIT 1", [*query.params, source]).fetchone()
    return int(row[0]) if row is not None else 0


def _select(query: Query, piece: Piece, what: str = "c.cells", limit: int | None = None,
            offset: int = 0) -> tuple[str, list[object]]:
    where, params = piece_where(piece)
    return (f"SELECT {what} FROM temp.ranks CROSS JOIN {query.claims}"
            f" AS c ON c.source = ranks.source WHERE {' AND '.join(where)} AND {query.where}"
            " ORDER BY ranks.rank, c.added, c.article, c.seq"
            f" LIMIT {-1 if limit is None else int(limit)} OFFSET {int(offset)}",
            params + query.params)


def _past_first(query: Query, pieces: list[Piece], skip: int) -> tuple[list[Piece], int]:
    """The ranges from the one that holds the row after the first ``skip`` on, and how
    many rows of it Rich drew (the ranges before hold none but those)."""
    for n, piece in enumerate(pieces):
        rows = _rows_in(query, piece, skip + 1)
        if rows > skip:
            return pieces[n:], skip
        skip -= rows
    return pieces[-1:], skip


def _rows_in(query: Query, piece: Piece, limit: int) -> int:
    sql, params = _select(query, piece, limit=limit)
    (n,) = query.db.execute(f"SELECT COUNT(*) FROM ({sql})", params).fetchone()
    return int(n)


def _batches(query: Query, piece: Piece) -> Iterator[list[tuple[bytes]]]:
    cursor = query.db.execute(*_select(query, piece))
    try:
        while batch := cursor.fetchmany(BATCH):
            yield batch
    finally:
        cursor.close()


class _Keys:
    """The article and place of the rows of a range whose cells are forged, by their
    place in it (the cells alone are read: a row of three columns took half as long
    again), read forward from the first asked for."""

    def __init__(self, query: Query, piece: Piece) -> None:
        self.query, self.piece = query, piece
        self.cursor: sqlite3.Cursor | None = None
        self.at = 0  # the place of the cursor's next row

    def of(self, place: int) -> tuple[str, int]:
        if self.cursor is None or place < self.at:
            self.cursor = self.query.db.execute(*_select(
                self.query, self.piece, "c.article, c.seq", offset=place))
            self.at = place
        while self.at < place:  # forged rows apart: those between read and dropped
            self.at += len(self.cursor.fetchmany(min(place - self.at, BATCH)))
        row = self.cursor.fetchone()
        self.at += 1
        return (str(row[0]), int(row[1])) if row is not None else ("", -1)


# A run of one group's rows in a batch: from, to, the group's rank, whether the first is
# the group's first row and whether the last is its last
Run = tuple[int, int, int, bool, bool]


def _runs(rest: Rest, piece: Piece, batches: Iterator[list[tuple[bytes]]]
          ) -> Iterator[tuple[list[tuple[bytes]], list[Run]]]:
    """Each batch of a range with its runs: whole groups counted, a group cut in ranges
    told by its first and last claims' times."""
    first, _last, start, end = piece
    if start is None and end is None:
        rank, left, seen = first, rest.groups[first][1], 0
        for batch in batches:
            runs: list[Run] = []
            at = 0
            while at < len(batch):
                if not left:
                    rank += 1
                    left, seen = rest.groups[rank][1], 0
                n = min(left, len(batch) - at)
                runs.append((at, at + n, rank, not seen, n == left))
                at, left, seen = at + n, left - n, seen + n
            yield batch, runs
        return
    low, high = rest.ends[first]
    opens = start is None or start <= low
    closes = end is None or high < end
    held: list[tuple[bytes]] | None = None  # the last batch: its last row may end
    for batch in batches:
        if held is not None:
            yield held, [(0, len(held), first, opens, False)]
            opens = False
        held = batch
    if held:
        yield held, [(0, len(held), first, opens, closes)]


def _write_piece(query: Query, rest: Rest, piece: Piece, write: Callable[[bytes], object],
                 skip: int = 0, lead: str = "") -> None:
    """The lines of the rows of ``piece`` but its first ``skip``, after ``lead``, in parts
    of about ``WRITE`` rows; the bottom after the table's last row."""
    fast, gap, shown = rest.fast, rest.gap, rest.shown
    last_rank = len(rest.groups) - 1
    inline, inline_ok = _inline(fast)
    out: list[str] = [lead] if lead else []
    size = 0
    keys = _Keys(query, piece)
    base = 0  # the place in the range of the batch's first row

    def special(at: int, blob: bytes, rank: int, bold: bool, end: bool) -> str:
        article, seq = ("", -1) if cells_of(blob) is not None else keys.of(base + at)
        made = shown(blob, article, seq, rest.groups[rank][0], bold, end)
        line = fast.block([made], rest.by_rich, gap)[0]
        if end and rank == last_rank:  # the table's last row: its bottom, no gap
            line = line[:-len(gap)] + rest.bottom
        return line

    def middle(rows: list[tuple[bytes]], at: int, rank: int) -> list[str]:
        try:  # the decoder and the blobs' getter called from C, no cells held
            lines = [inline % (c.text, ", ".join(c.places), c.title, c.date)
                     for c in map(_DECODE, map(_BLOB, rows))]
        except (msgspec.DecodeError, TypeError):  # a forged row among them
            return [special(at + n, blob, rank, False, False)
                    for n, (blob,) in enumerate(rows)]
        joined = "".join(lines)
        if inline_ok(joined):
            return [joined]
        return [line if inline_ok(line) else special(at + n, blob, rank, False, False)
                for n, (line, (blob,)) in enumerate(zip(lines, rows, strict=True))]

    for batch, runs in _runs(rest, piece, _batches(query, piece)):
        for low, high, rank, opens, closes in runs:
            if skip:
                taken = min(skip, high - low)
                skip -= taken
                low, opens = low + taken, opens and not taken
                if low == high:
                    continue
            if opens:
                out.append(special(low, batch[low][0], rank, True,
                                   closes and high - low == 1))
                low += 1
            end = high - 1 if closes and high > low else high
            if low < end:
                out += middle(batch[low:end], low, rank)
            if end < high:
                out.append(special(end, batch[end][0], rank, False, True))
            size += high - low
        base += len(batch)
        if size >= WRITE:
            write("".join(out).encode(rest.encoding, rest.errors))
            out, size = [], 0
    if out:
        write("".join(out).encode(rest.encoding, rest.errors))


def _inline(fast: FastRows) -> tuple[str, Callable[[str], bool]]:
    """The format of a middle row's line (cells: claim, places, title, date) as
    ``FastRows.block`` writes it inline, and a check of such lines one after another:
    each one cell of simple text at each column's place, as wide as it is."""
    w0, w1, w2, w3, w4 = fast.widths
    left, mid, right = (part.replace("%", "%%") for part in (fast.left, fast.between,
                                                            fast.right))
    line = (f"{left}{' ' * w0}{mid}%-{w1}s{mid}%-{w2}s{mid}%-{w3}s{mid}%-{w4}s{right}\n")
    one = (SIMPLE if fast.simple == SIMPLE.fullmatch else ASCII).pattern[:-1]
    shape = re.compile("(?:" + re.escape(fast.left + " " * w0) + "".join(
        re.escape(fast.between) + f"{one}{{{width}}}" for width in (w1, w2, w3, w4))
        + re.escape(fast.right + "\n") + ")*")
    return line, lambda lines: shape.fullmatch(lines) is not None


def _in_two(dataset: Dataset, query: Query, rest: Rest, pieces: list[Piece], out: IO[bytes],
            skip: int, lead: str) -> None:
    """The ranges in order: one in ``EVERY`` made and written here, the others made by a
    forked process and copied from its pipe (whole, or made here when it has gone)."""
    out.flush()
    helper: Helper | None
    try:
        helper = Helper(lambda _heard, tell: _help(dataset, query, rest, pieces, tell))
    except OSError:  # no fork now (memory, processes): every range here
        helper = None
    if helper is not None:
        with contextlib.suppress(OSError, AttributeError, ImportError):  # fewer switches
            import fcntl  # Unix's

            fcntl.fcntl(helper.heard.fileno(), fcntl.F_SETPIPE_SZ, 1 << 20)
    try:
        for n, piece in enumerate(pieces):
            if helper is not None and n % EVERY:
                data = _received(helper.heard)
                if data is not None:
                    out.write(data)
                    continue
                helper.close()  # gone: this range and the rest made here
                helper = None
            _write_piece(query, rest, piece, out.write, skip if n == 0 else 0,
                         lead if n == 0 else "")
            if n == 0:
                out.flush()
        if helper is not None:
            helper.done()
    finally:
        if helper is not None:
            helper.close()


def _received(heard: IO[bytes]) -> bytes | None:
    """A range's lines from the second process, or None when it ended before all came."""
    head = heard.read(_LENGTH.size)
    if len(head) < _LENGTH.size:
        return None
    (length,) = _LENGTH.unpack(head)
    data = heard.read(length)
    return data if len(data) == length else None


def _help(dataset: Dataset, query: Query, rest: Rest, pieces: list[Piece], tell: int) -> None:
    """The second process's life: its own connection to the index (in the snapshot this
    one reads), then its ranges, each sent whole; any failure ends it."""
    mine = query.on(reopened(dataset))
    mine.rank(rest.groups)
    for piece in [piece for n, piece in enumerate(pieces) if n % EVERY]:
        parts: list[bytes] = []
        _write_piece(mine, rest, piece, parts.append)
        data = b"".join(parts)
        write_all(tell, _LENGTH.pack(len(data)))
        write_all(tell, data)
    os._exit(0)
