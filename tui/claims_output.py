"""``gloss claims``: the claims board on the command line, as a Rich table, JSONL or CSV."""

from __future__ import annotations

import contextlib
import operator
import sqlite3
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from tui.core.attribution.claim_board import ClaimRow, keeps
from tui.core.language.visible import visible
from tui.core.store.article_index import collector_paused
from tui.core.store.claim_pass import Claims, every_claim, reopened, row_from_file
from tui.core.store.claim_table import NEW, PART, Piece, Query, cells_of, csv_line, runs, safe
from tui.core.store.dataset import Dataset

if TYPE_CHECKING:
    from rich.console import Console


def save_claims(dataset: Dataset, path: Path, fmt: str, *, actor: str = "", place: str = "",
                status: str = "") -> list[str]:
    """Write the claims to ``path`` (whole or not at all) as JSONL, CSV or Parquet; return
    one line for each article file that cannot be read. Parquet is written as the
    articles are read, claim by claim, never grouped."""
    from tui import formats
    from tui.formats import parquet

    problems: list[str] = []
    if fmt != "parquet":
        formats.write_file(path, lambda out: print_claims(
            dataset, fmt, actor=actor, place=place, status=status, out=out,
            problems=problems), dataset.folder)
        return problems

    def kept(row: ClaimRow) -> bool:
        return keeps(row, actor=actor, place=place, status=status)

    formats.write_file(path, lambda out: parquet.write_claims(
        dataset.readable(problems), out, dataset.labels, kept), dataset.folder, binary=True)
    return problems


def print_claims(dataset: Dataset, fmt: str, *, actor: str = "", place: str = "",
                 status: str = "", out: IO[bytes] | None = None,
                 problems: list[str] | None = None) -> list[str]:
    """Print the board (to ``out``: a file); return one line for each article file that
    cannot be read. The claims are one query over the index's claims table
    (``claim_table.py``), the articles changed since their rows were kept read again
    (``claim_pass.py``): streamed grouped, never held."""
    problems = [] if problems is None else problems
    out = out or sys.stdout.buffer

    def counted(claims: Claims) -> tuple[Query, list[tuple[str, int]], list[Piece] | None]:
        """The query, its groups counted and (JSONL on two processes) its ranges."""
        query = Query(claims.db, claims.claims, claims.lines, actor=actor, place=place,
                      status=status, shape=claims.shape)
        groups = query.groups()
        return query, groups, _pieces(claims, query, groups, out) \
            if fmt == "jsonl" and claims.shape == NEW else None

    # counted while the files' signatures are made, and used when every row stands
    with every_claim(dataset, problems, lines=fmt == "jsonl", ahead=counted) as claims:
        query, groups, pieces = claims.ahead or counted(claims)
        if fmt == "table":
            _print_table(dataset, groups, query.batches("board", groups))
        elif fmt == "jsonl" and claims.shape == NEW:
            _jsonl(dataset, query, groups, pieces or [], out)
        elif fmt == "jsonl":
            for batch in query.batches("jsonl", groups):
                out.write(safe(b"".join([
                    line if type(line) is bytes else _again(dataset, doc_id, seq, 8)
                    for line, doc_id, seq in batch]), fmt, len(batch)))
        else:
            out.write(csv_line(list(CSV_HEADER)))
            heads = [csv_line([source, ""])[:-2] for source, _n in groups]
            for group, run in runs(query.batches("csv", groups), groups):
                # each line is its source's cell, then the rest as stored: joined in C
                out.write(heads[group] + safe(
                    heads[group].join([line for (line,) in run]), fmt, len(run)))
        out.flush()
    return problems


def _pieces(claims: Claims, query: Query, groups: list[tuple[str, int]], out: IO[bytes]
            ) -> list[Piece]:
    """The ranges of the print order the JSONL is written in on two processes: when every
    article's rows are the index's own (no file read again: a second process sees none
    of this one's temporary tables), enough claims, two cores; else none."""
    from tui.formats import in_two

    if claims.claims == "main.claims" and sum(n for _source, n in groups) >= TWO_FROM \
            and in_two.two_cores(out):
        with contextlib.suppress(sqlite3.Error):
            return query.pieces(groups, PIECE)
    return []


def _jsonl(dataset: Dataset, query: Query, groups: list[tuple[str, int]],
           pieces: list[Piece], out: IO[bytes]) -> None:
    """The JSONL lines from ``claim_jsonl``: read, checked and written on both cores, a
    range of the print order (``pieces``) each in turn (``in_two.in_turns``), else on
    one."""
    from tui.formats import in_two

    if len(pieces) < 2:
        with collector_paused():
            _lines(query.batches("jsonl", groups), out)
        return
    query.rank(groups)

    def mine(piece: int, into: IO[bytes]) -> None:
        _lines(query.lines_of(pieces[piece]), into)

    def start() -> Callable[[int, IO[bytes]], None]:
        helper = query.on(reopened(dataset))
        helper.rank(groups)
        return lambda piece, into: _lines(helper.lines_of(pieces[piece]), into)

    try:
        with collector_paused():  # 2 million rows, no cycle: 2 % of the time in its passes
            in_two.in_turns(len(pieces), out, mine, start, "gloss claims", "lines")
    finally:
        query.db.execute("DROP TABLE IF EXISTS temp.ranks")


# Two processes from this many claims (fewer take less than starting a second one), in
# ranges of the print order of about ``PIECE`` claims: each is held by one process while
# the other writes its own, then freed, and under a megabyte of lines it stays in the
# memory malloc keeps (ranges of 10 MB were given back to the system and faulted in
# again: 300,000 page faults, a third more processor time)
TWO_FROM = 20_000
PIECE = 500


def _lines(batches: Iterator[list[tuple[bytes]]], out: IO[bytes]) -> None:
    """The JSONL lines, each in one or more parts (``claim_table.PART``): written about
    ``WRITE`` bytes at a time, cut after a part that ends a line, so that what ``safe``
    checks is whole lines (a control cut in two by a batch's end would pass unseen) and
    no byte is copied but into the one buffer written."""
    held: list[bytes] = []
    for batch in batches:
        held += map(_PART, batch)
        if len(held) * PART < WRITE:
            continue
        end = len(held)
        while end and not held[end - 1].endswith(b"\n"):
            end -= 1
        if end:
            out.write(safe(b"".join(held[:end]), "jsonl", None))
            del held[:end]
    if held:  # the last lines, or one forged without its end
        out.write(safe(b"".join(held), "jsonl", None))


WRITE = 512 << 10  # bytes of lines checked and written at a time, about (kept in cache)
_PART = operator.itemgetter(0)  # a row's part of a line


CSV_HEADER = ("source", "claim", "places", "title", "date", "status", "article")


def _again(dataset: Dataset, doc_id: str, seq: int, column: int) -> Any:
    """A column of a claim's row made again from its file: its row is missing or forged."""
    row = row_from_file(dataset, doc_id, seq)
    return row[column] if row is not None else b""


# The table is drawn ``CHUNK`` rows at a time, each piece a table of its own cut to fit
# the one before it (its top edge and the one before's bottom edge left out), so that a
# million claims are never held: the columns' widths are set by their ratios and the
# date's fixed width alone, the same for every piece. The first piece is ``FIRST`` rows,
# so that the first screenful is on the terminal without waiting for Rich to lay out
# thousands of rows (0.4 ms a row).
CHUNK = 2000
FIRST = 60
COLUMNS = (("source", 2), ("claim", 5), ("places", 2), ("article", 3))
DATE_WIDTH = 10  # an ISO date whole: a ratio squeezed it to three cells on 80 columns


def _print_table(dataset: Dataset, groups: list[tuple[str, int]],
                 batches: Iterator[list[tuple[str, str, int, bytes]]]) -> None:
    from rich.console import Console  # the table's only: not for the CSV nor the JSONL

    console = Console()
    title = f"{sum(n for _source, n in groups)} claims"
    # the line between two groups, as the table draws it (its widths are the rows')
    between = _piece(console, [("", "", "", "", "", True), ("", "", "", "", "", False)],
                     None, False).split("\n")[2]
    piece: list[tuple[Any, ...]] = []
    first, cut_after_group, size = True, False, min(FIRST, CHUNK)
    for row in _rows(dataset, groups, batches):
        piece.append(row)
        if len(piece) > size:  # the last piece is never empty
            _write(console, piece[:size], title if first else None, first,
                   cut_after_group, between, last=False)
            first, cut_after_group, piece = False, piece[size - 1][-1], piece[size:]
            size = CHUNK
    _write(console, piece, title if first else None, first, cut_after_group, between,
           last=True)


def _rows(dataset: Dataset, groups: list[tuple[str, int]],
          batches: Iterator[list[tuple[str, str, int, bytes]]]
          ) -> Iterator[tuple[Any, ...]]:
    """Each claim's cells as the table shows them, and whether it ends its group."""
    from rich.text import Text

    sizes = dict(groups)
    shown = 0  # of the group being drawn (its rows come together, in order)
    for batch in batches:
        for source, article, seq, blob in batch:
            cells = cells_of(blob) or cells_of(_again(dataset, article, seq, 6))
            size = sizes[source]
            shown += 1
            text, places, title, date = (cells.text, cells.places, cells.title, cells.date) \
                if cells is not None else ("", [], "", "")
            yield (Text(visible(source), style="bold") if shown == 1 else "",
                   Text(visible(text)), Text(visible(", ".join(places))),
                   Text(visible(title)), Text(visible(date)), shown == size)
            shown %= size


def _write(console: Console, rows: list[tuple[Any, ...]], title: str | None, first: bool,
           after_group: bool, between: str, *, last: bool) -> None:
    lines = _piece(console, rows, title, first).split("\n")
    # the piece's own edges: its top (a later piece's) and its bottom (but the last's)
    lines = lines[(0 if first else 1):(len(lines) if last else len(lines) - 2)]
    console.file.write("".join([between + "\n" if after_group and not first else "",
                                "\n".join(lines), "" if last else "\n"]))
    console.file.flush()


def _piece(console: Console, rows: list[tuple[Any, ...]], title: str | None,
           header: bool) -> str:
    from rich.table import Table

    table = Table(title=title, expand=True, show_header=header)
    for name, ratio in COLUMNS:
        table.add_column(name, ratio=ratio, overflow="fold")
    table.add_column("date", width=DATE_WIDTH, overflow="fold")
    for *cells, end in rows:
        table.add_row(*cells, end_section=end)
    with console.capture() as drawn:
        console.print(table)
    return drawn.get()
