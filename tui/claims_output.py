"""``gloss claims``: the claims board on the command line, as a Rich table, JSONL or CSV."""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path
from typing import IO

from rich.console import Console
from rich.table import Table
from rich.text import Text

from tui.core.attribution.claim_board import ClaimRow, board, keeps
from tui.core.language.visible import escape_controls, json_bytes, visible
from tui.core.store.dataset import Dataset


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
    cannot be read."""
    problems = [] if problems is None else problems
    articles = {a.document.id: a for a in dataset.readable(problems)}
    groups = board(articles.values(), dataset.labels, actor=actor, place=place,
                   status=status)
    out = out or sys.stdout.buffer
    if fmt == "jsonl":
        for rows in groups.values():
            for row in rows:
                out.write(json_bytes(row.record(articles[row.article].document.text)) + b"\n")
    elif fmt == "csv":
        text = io.StringIO()
        writer = csv.writer(text)
        writer.writerow(["source", "claim", "places", "title", "date", "status", "article"])
        for source, rows in groups.items():
            for row in rows:
                writer.writerow([escape_controls(value) for value in (
                    source, row.claim.text, "; ".join(row.place_names), row.title, row.date,
                    row.status, row.article)])
        out.write(text.getvalue().encode())
    else:
        Console().print(_table(groups))
    out.flush()
    return problems


def _table(groups: dict[str, list[ClaimRow]]) -> Table:
    table = Table(title=f"{sum(map(len, groups.values()))} claims", expand=True)
    for name, ratio in (("source", 2), ("claim", 5), ("places", 2), ("article", 3),
                        ("date", 1)):
        table.add_column(name, ratio=ratio, overflow="fold")
    for source, rows in groups.items():
        for n, row in enumerate(rows):
            table.add_row(Text(visible(source), style="bold") if n == 0 else "",
                          Text(visible(row.claim.text)),
                          Text(visible(", ".join(row.place_names))),
                          Text(visible(row.title)), Text(visible(row.date)),
                          end_section=n == len(rows) - 1)
    return table
