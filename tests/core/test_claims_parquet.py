"""``gloss claims --format parquet`` from the index's claims tables (``claims_parquet.py``):
the table it writes is, row for row, the one made from the article files (what
``parquet.write_claims`` wrote from every file before), in the order ``gloss claims``
prints them, whatever the filters, and whether the index is fresh, missing, partly stale,
forged row by row, or of a layout before (cells without the Parquet's columns)."""

from __future__ import annotations

import contextlib
import random
import shutil
import sqlite3
import tempfile
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.core.test_claim_table import (
    FILTERS,
    FORGED,
    changed_behind_the_index,
    make,
    to_old_layout,
)
from tui.claims_output import save_claims
from tui.core.attribution.claim_board import claim_rows, group, name_of
from tui.core.document.model import Document, Span
from tui.core.store import claim_table
from tui.core.store import dataset as dataset_module
from tui.core.store.article_index import FOLDER, NAME
from tui.core.store.claim_table import outlet
from tui.core.store.dataset import Dataset

pq = pytest.importorskip("pyarrow.parquet")

OUTLETS = ({"outlet": "Ukrainska Pravda"}, {"url": "https://www.example.org/a"},
           {"publisher": "\x1b[31mred"}, {"site": 7}, {"url": "http://[bad"}, {})


def reference(dataset: Dataset, actor: str = "", place: str = "", status: str = ""
              ) -> list[dict[str, Any]]:
    """The rows ``parquet.write_claims`` made from the article files before (its columns,
    claim by claim), in the order ``gloss claims`` prints them (``claim_board.group``)."""
    rows, outlets = [], {}
    for article in dataset.readable([]):
        outlets[article.document.id] = outlet(article.document)
        rows += claim_rows(article, dataset.labels, sentences=False)
    table = []
    for row in (row for kept in group(rows, actor=actor, place=place, status=status).values()
                for row in kept):
        claim, source = row.claim, row.source
        table.append({
            "claim": claim.text, "start": claim.start, "end": claim.end,
            "source": source.text if source else None,
            "canonical": name_of(source) if source else None,
            "source_kind": claim.attribute("source_kind") or ("actor" if source else None),
            "quote": claim.attribute("quote"), "places": row.place_names,
            "article": row.article, "title": row.title, "outlet": outlets[row.article],
            "date": row.date or None, "analyst": claim.annotator, "status": row.status,
            "id": claim.id})
    return table


def written(dataset: Dataset, path: Path, **filters: str) -> list[dict[str, Any]]:
    assert save_claims(dataset, path, "parquet", **filters) == []
    return pq.read_table(path).to_pylist()


def narrow(index: Path) -> None:
    """The claims tables as a gloss before this one wrote them: each claim's cells without
    the Parquet's columns, no ``claim_sets.wide``."""
    with contextlib.closing(sqlite3.connect(index)) as db, db:
        db.execute("UPDATE claims SET cells = CAST(json_remove(CAST(cells AS TEXT), '$[13]',"
                   " '$[12]', '$[11]', '$[10]') AS BLOB)")
        db.execute("ALTER TABLE claim_sets DROP COLUMN wide")


# rows changed by hand that the other formats never read: made again from their files
WIDE_FORGED = {
    "cells narrowed": "UPDATE claims SET cells = CAST(json_remove(CAST(cells AS TEXT),"
                      " '$[13]') AS BLOB) WHERE seq % 2 = 0",
    "outlet of another type": "UPDATE claims SET cells = CAST(json_set(CAST(cells AS TEXT),"
                              " '$[13]', 5) AS BLOB)",
    "wide unset": "UPDATE claim_sets SET wide = 0 WHERE rowid % 2",
}


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 10_000), count=st.integers(1, 9), filters=FILTERS,
       state=st.sampled_from(["fresh", "none", "stale", "long", "old", "narrow",
                              *FORGED, *WIDE_FORGED]))
def test_the_parquet_from_the_index_is_what_the_files_say(seed, count, filters, state):
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "db"
        with mock.patch.object(claim_table, "KEPT_UP_TO", -1 if state == "long" else
                               claim_table.KEPT_UP_TO):
            writer = make(folder, seed, count, OUTLETS)
            writer.summaries()  # the index as the writers leave it
        index = folder / FOLDER / NAME
        ids = writer.ids()
        rng = random.Random(seed)
        if state == "none":
            shutil.rmtree(folder / FOLDER, ignore_errors=True)
        elif state == "stale" and ids:
            changed_behind_the_index(folder, ids, rng, (b'"Ukrainska Pravda"', b'"Kyiv Post"'))
        elif state in FORGED or state in WIDE_FORGED:
            with contextlib.closing(sqlite3.connect(index)) as db, db:
                db.execute({**FORGED, **WIDE_FORGED}[state])
        elif state == "old":
            to_old_layout(index)
        elif state == "narrow":
            narrow(index)
        reader = Dataset.existing(folder, "alice")
        assert written(reader, Path(tmp) / "claims.parquet", **filters) \
            == reference(reader, **filters)


def test_no_article_file_is_read_while_every_row_stands(tmp_path, monkeypatch):
    """A fresh index: the table comes from its rows, no article file opened; an article
    changed behind its back is the one file read."""
    folder = tmp_path / "db"
    writer = make(folder, 3, 9, OUTLETS)
    writer.summaries()
    expected = reference(Dataset.existing(folder, "alice"))
    assert any(row["outlet"] for row in expected) and any(row["quote"] for row in expected)
    read: list[Path] = []
    real = dataset_module.read_article
    monkeypatch.setattr(dataset_module, "read_article",
                        lambda path, data: read.append(path) or real(path, data))
    assert written(Dataset.existing(folder, "alice"), tmp_path / "c.parquet") == expected
    assert read == []
    changed = folder / f"{writer.ids()[4]}.json"
    data = changed.read_bytes()
    changed.unlink()
    changed.write_bytes(data.replace(b'"gloss"', b'"other"', 1))
    expected = reference(Dataset.existing(folder, "alice"))
    read.clear()
    assert written(Dataset.existing(folder, "alice"), tmp_path / "d.parquet") == expected
    assert read == [changed]


def test_an_index_before_the_parquets_columns_is_read_as_it_is_and_brought_up(tmp_path,
                                                                            monkeypatch):
    """An index whose cells lack the Parquet's columns (a gloss before): a read-only
    command reads the files for the Parquet (and the index's rows for the CSV), writes
    nothing; the first writer adds ``claim_sets.wide`` (every article 0: still read from
    its file), and an article saved again is read from the index."""
    folder = tmp_path / "db"
    writer = make(folder, 11, 6, OUTLETS)
    writer.summaries()
    index = folder / FOLDER / NAME
    narrow(index)
    expected = reference(Dataset.existing(folder, "alice"))
    read: list[str] = []
    real = dataset_module.read_article
    monkeypatch.setattr(dataset_module, "read_article",
                        lambda path, data: read.append(path.stem) or real(path, data))
    assert written(Dataset.existing(folder, "alice"), tmp_path / "a.parquet") == expected
    assert sorted(read) == sorted(writer.ids())
    with contextlib.closing(sqlite3.connect(index)) as db:
        assert not claim_table.has_wide(db)  # a reader never writes
    Dataset(folder, "alice").summaries()  # the first writer
    with contextlib.closing(sqlite3.connect(index)) as db:
        assert db.execute("SELECT DISTINCT wide FROM claim_sets").fetchall() == [(0,)]
    saved = writer.ids()[0]
    text = writer.document(saved).text
    writer.save_span(saved, Span.new(text, 0, 2, "CLAIM", "alice"))
    expected = reference(Dataset.existing(folder, "alice"))
    read.clear()
    assert written(Dataset.existing(folder, "alice"), tmp_path / "b.parquet") == expected
    assert saved not in read and len(read) == len(writer.ids()) - 1


def test_a_long_article_keeps_no_rows_and_its_file_is_read(tmp_path):
    """An article too long to keep its claims' rows: its claims come from its file."""
    folder = tmp_path / "db"
    writer = make(folder, 2, 3, OUTLETS)
    text = "Kyiv said " + "the talks would resume " * 10 + "on Monday."
    with mock.patch.object(claim_table, "KEPT_UP_TO", 50):
        writer.add_articles([(Document.from_text(text, {"title": "Long", "outlet": "AP"}),
                              [Span.new(text, 5, 9, "CLAIM", "alice")], [])],
                            keep_tokens=False)
        writer.summaries()
        reader = Dataset.existing(folder, "alice")
        rows = written(reader, tmp_path / "c.parquet")
    assert rows == reference(reader)
    assert any(row["outlet"] == "AP" and row["title"] == "Long" for row in rows)
