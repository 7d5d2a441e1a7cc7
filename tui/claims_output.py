"""``gloss claims``: the claims board on the command line, as a Rich table, JSONL or CSV."""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from tui.core.attribution.claim_board import ClaimRow, claim_rows, keeps
from tui.core.language.visible import escape_controls, json_bytes, visible
from tui.core.store.claim_cache import cached_articles
from tui.core.store.claim_spool import ClaimSpool
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
    cannot be read. The claims are grouped on disk (``claim_spool.py``), never held: the
    table and CSV from the index's digests, JSONL (with each claim's sentence) from the
    files, read one at a time."""
    problems = [] if problems is None else problems
    spool = ClaimSpool()
    try:
        _spool(dataset, fmt, spool, problems, actor=actor, place=place, status=status)
        out = out or sys.stdout.buffer
        if fmt == "jsonl":
            for _source, lines in spool.groups():
                for line in lines:
                    out.write(json_bytes(line) + b"\n")
        elif fmt == "csv":
            text = io.StringIO()
            writer = csv.writer(text)
            writer.writerow(["source", "claim", "places", "title", "date", "status",
                             "article"])
            out.write(text.getvalue().encode())
            for source, lines in spool.groups():
                for claim, places, title, date, state, article in lines:
                    text.seek(0)
                    text.truncate()
                    writer.writerow([escape_controls(value) for value in (
                        source, claim, "; ".join(places), title, date, state, article)])
                    out.write(text.getvalue().encode())
        else:
            Console().print(_table(len(spool), spool.groups()))
        out.flush()
    finally:
        spool.close()
    return problems


def _spool(dataset: Dataset, fmt: str, spool: ClaimSpool, problems: list[str], *,
           actor: str, place: str, status: str) -> None:
    labels = dataset.labels
    if fmt == "jsonl":
        for article in dataset.readable(problems):
            text = article.document.text
            for row in claim_rows(article, labels):
                if keeps(row, actor=actor, place=place, status=status):
                    spool.add(row.source_name, row.record(text))
        return
    for digest, _names in cached_articles(dataset, problems):
        for row in claim_rows(digest, labels, sentences=False):
            if keeps(row, actor=actor, place=place, status=status):
                spool.add(row.source_name, [row.claim.text, row.place_names, row.title,
                                            row.date, row.status, row.article])


def _table(claims: int, groups: Iterator[tuple[str, Iterator[Any]]]) -> Table:
    table = Table(title=f"{claims} claims", expand=True)
    for name, ratio in (("source", 2), ("claim", 5), ("places", 2), ("article", 3),
                        ("date", 1)):
        table.add_column(name, ratio=ratio, overflow="fold")
    for source, lines in groups:
        rows = list(lines)
        for n, (claim, places, title, date, _state, _article) in enumerate(rows):
            table.add_row(Text(visible(source), style="bold") if n == 0 else "",
                          Text(visible(claim)), Text(visible(", ".join(places))),
                          Text(visible(title)), Text(visible(date)),
                          end_section=n == len(rows) - 1)
    return table
