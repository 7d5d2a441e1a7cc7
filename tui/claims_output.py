"""``gloss claims``: the claims board on the command line, as a Rich table, JSONL or CSV."""

from __future__ import annotations

import operator
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

from tui.core.disk import in_turns
from tui.core.disk.collector import collector_paused
from tui.core.store.claim_pass import (
    Claims,
    Grouped,
    every_claim,
    grouped,
    reopened,
    row_from_file,
)
from tui.core.store.claim_table import NEW, PART, Piece, Query, csv_line, runs, safe
from tui.core.store.dataset import Dataset
from tui.pager import Terminal


def save_claims(dataset: Dataset, path: Path, fmt: str, *, actor: str = "", place: str = "",
                status: str = "") -> list[str]:
    """Write the claims to ``path`` (whole or not at all) as JSONL, CSV or Parquet; return
    one line for each article file that cannot be read. Parquet is written from the
    index's claims tables as they are walked, a row group at a time
    (``claims_parquet.py``)."""
    from tui import claims_parquet, interchange

    problems: list[str] = []
    if fmt != "parquet":
        interchange.write_file(path, lambda out: print_claims(
            dataset, fmt, actor=actor, place=place, status=status, out=out,
            problems=problems), dataset.folder)
        return problems
    interchange.write_file(path, lambda out: claims_parquet.save(
        dataset, out, problems, actor=actor, place=place, status=status), dataset.folder,
        binary=True)
    return problems


def print_claims(dataset: Dataset, fmt: str, *, actor: str = "", place: str = "",
                 status: str = "", out: IO[bytes] | None = None,
                 problems: list[str] | None = None, terminal: Terminal | None = None
                 ) -> list[str]:
    """Print the board (to ``out``: a file; the table for ``terminal`` when standard
    output is a pager's pipe); return one line for each article file that cannot be read.
    The claims are one query over the index's claims table (``claim_table.py``), the
    articles changed since their rows were kept read again (``claim_pass.py``): streamed
    grouped, never held."""
    problems = [] if problems is None else problems
    out = out or sys.stdout.buffer

    def counted(claims: Claims) -> Grouped:
        """The query, its groups counted and (JSONL on two processes) its ranges."""
        return grouped(claims, actor=actor, place=place, status=status,
                       out=out if fmt == "jsonl" and claims.shape == NEW else None,
                       least=TWO_FROM, size=PIECE)

    # counted while the files' signatures are made, and used when every row stands
    with every_claim(dataset, problems, lines=fmt == "jsonl", ahead=counted) as claims:
        query, groups, pieces = claims.ahead or counted(claims)
        if fmt == "table":
            from tui.claims_table_output import print_table

            print_table(dataset, groups, query.batches("board", groups), query, terminal)
        elif fmt == "jsonl" and claims.shape == NEW:
            _jsonl(dataset, query, groups, pieces, out)
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


def _jsonl(dataset: Dataset, query: Query, groups: list[tuple[str, int]],
           pieces: list[Piece], out: IO[bytes]) -> None:
    """The JSONL lines from ``claim_jsonl``: read, checked and written on both cores, a
    range of the print order (``pieces``) each in turn (``in_turns.in_turns``), else on
    one."""
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
            in_turns.in_turns(len(pieces), out, mine, start, "gloss claims", "lines")
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
