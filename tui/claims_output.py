"""``gloss claims``: the claims board on the command line, as a Rich table, JSONL or CSV."""

from __future__ import annotations

import csv
import io
import sys

from rich.console import Console
from rich.table import Table
from rich.text import Text

from tui.core.claim_board import ClaimRow, board
from tui.core.dataset import Dataset
from tui.core.visible import escape_controls, json_bytes, visible


def print_claims(dataset: Dataset, fmt: str, *, actor: str = "", place: str = "",
                 status: str = "") -> list[str]:
    """Print the board; return one line for each article file that cannot be read."""
    problems: list[str] = []
    articles = {a.document.id: a for a in dataset.readable(problems)}
    groups = board(articles.values(), dataset.labels, actor=actor, place=place,
                   status=status)
    out = sys.stdout.buffer
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
