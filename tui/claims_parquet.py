"""``gloss claims --format parquet -o FILE``: the claims table from the index's claims tables
(``claim_table.py``), in the order ``gloss claims`` prints them (the groups largest first,
then each group's claims in the library's order), a batch of the query at a time: no
article file is read while every article's rows stand (``claim_pass.every_claim``, whose
``wide`` reads the file of an article whose cells do not hold the Parquet's columns)."""

from __future__ import annotations

from operator import attrgetter
from typing import IO, Any

import msgspec
from msgspec import UNSET

from tui.core.store.claim_pass import every_claim, row_from_file
from tui.core.store.claim_table import Cells, Query, cells_of
from tui.core.store.dataset import Dataset

_DECODE = msgspec.json.Decoder(Cells).decode
Found = tuple[str, str, int, str, Any]  # a row of the query: source, article, seq, status, cells
# the columns taken from the cells as they are (``parquet.CLAIMS``: column, Cells field)
_AS_IS = (("claim", "text"), ("start", "start"), ("end", "end"), ("source", "source"),
          ("source_kind", "source_kind"), ("quote", "quote"), ("places", "places"),
          ("title", "title"), ("outlet", "outlet"), ("analyst", "annotator"), ("id", "id"))
_GET = {column: attrgetter(field) for column, field in _AS_IS}


def save(dataset: Dataset, out: IO[bytes], problems: list[str], *, actor: str = "",
         place: str = "", status: str = "") -> int:
    """The claims kept by the filters (as ``gloss claims`` keeps them) to ``out``; the
    claims written. Each broken file's one-line error goes to ``problems``."""
    from tui.formats import parquet

    with every_claim(dataset, problems, lines=False, wide=True) as claims:
        query = Query(claims.db, claims.claims, claims.lines, actor=actor, place=place,
                      status=status, shape=claims.shape)
        groups = query.groups()
        return parquet.write_claims(
            (_columns(dataset, batch) for batch in query.batches("parquet", groups)), out)


def _columns(dataset: Dataset, batch: list[Found]) -> dict[str, list[Any]]:
    """A batch of rows as the table's columns. A row whose cells do not decode or do not
    hold the Parquet's columns (forged by hand: its article's ``claim_sets`` row says they
    do) is made again from its file, and left out when that cannot be read."""
    try:  # the decoder called from C, each row's cells checked as decoded
        cells = list(map(_DECODE, [row[4] for row in batch]))
    except (msgspec.DecodeError, TypeError):
        cells = [cells_of(row[4]) for row in batch]
    if None in cells or any(c.outlet is UNSET for c in cells):
        batch, cells = _again(dataset, batch, cells)
    columns = {column: list(map(get, cells)) for column, get in _GET.items()}
    sources = [row[0] for row in batch]
    columns["canonical"] = [name if given is not None else None
                            for name, given in zip(sources, columns["source"], strict=True)]
    columns["article"] = [row[1] for row in batch]
    columns["date"] = [c.date or None for c in cells]
    columns["status"] = [row[3] for row in batch]
    return columns


def _again(dataset: Dataset, batch: list[Found], cells: list[Cells | None]
           ) -> tuple[list[Found], list[Cells]]:
    """``batch`` with the rows whose cells are not whole made again from their files."""
    rows: list[Found] = []
    kept: list[Cells] = []
    for row, made in zip(batch, cells, strict=True):
        if made is None or made.outlet is UNSET:
            again = row_from_file(dataset, row[1], row[2])
            made = cells_of(again[6]) if again is not None else None
            if again is None or made is None or made.outlet is UNSET:
                continue
            row = (again[0], row[1], row[2], again[4], again[6])
        rows.append(row)
        kept.append(made)
    return rows, kept

