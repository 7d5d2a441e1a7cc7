"""``gloss claims --format parquet -o FILE``: the claims table from the index's claims tables
(``claim_table.py``), in the order ``gloss claims`` prints them (the groups largest first,
then each group's claims in the library's order), a batch of the query at a time: no
article file is read while every article's rows stand (``claim_pass.every_claim``, whose
``wide`` reads the file of an article whose cells do not hold the Parquet's columns)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import IO, Any

import msgspec

from tui.core.disk.collector import collector_paused
from tui.core.store.claim_pass import every_claim, row_from_file
from tui.core.store.claim_table import Query
from tui.core.store.dataset import Dataset

# a claim's cells whole (``claim_table.Cells``, with the Parquet's columns), as a tuple:
# a batch's are turned into columns by ``zip``, in C; checked as decoded
_WHOLE = msgspec.json.Decoder(tuple[str, list[str], str, str, str, str, int, int, str, str,
                                    str | None, str | None, str | None, str | None]).decode
Found = tuple[str, str, int, str, Any]  # a row of the query: source, article, seq, status, cells


def save(dataset: Dataset, out: IO[bytes], problems: list[str], *, actor: str = "",
         place: str = "", status: str = "") -> int:
    """The claims kept by the filters (as ``gloss claims`` keeps them) to ``out``; the
    claims written. Each broken file's one-line error goes to ``problems``."""
    from tui.formats import parquet

    with every_claim(dataset, problems, lines=False, wide=True) as claims:
        query = Query(claims.db, claims.claims, claims.lines, actor=actor, place=place,
                      status=status, shape=claims.shape)
        groups = query.groups()
        # a million claims' cells decoded, none in a cycle: the collector's passes over
        # them were two thirds of the decoding
        with collector_paused():
            made = (_columns(dataset, batch) for batch in query.batches("parquet", groups))
            return parquet.write_claims((columns for columns in made if columns), out)


def _columns(dataset: Dataset, batch: list[Found]) -> dict[str, Sequence[Any]] | None:
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
