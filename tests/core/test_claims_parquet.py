"""``gloss claims --format parquet`` from the index's claims tables (``claims_parquet.py``):
the table it writes is, row for row, the one made from the article files (what
``parquet.write_claims`` wrote from every file before), in the order ``gloss claims``
prints them, whatever the filters, and whether the index is fresh, missing, partly stale,
forged row by row, or of a layout before (cells without the Parquet's columns)."""

from __future__ import annotations

import contextlib
import errno
import os
import signal
import sqlite3
import tempfile
import threading
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.core.test_claim_table import (
    FILTERS,
    FORGED,
    change_behind_the_index,
    make,
    put_in_state,
)
from tui import claims_parquet
from tui.claims_output import save_claims
from tui.core.attribution.claim_board import claim_rows, group, name_of
from tui.core.disk import in_turns
from tui.core.document.model import Document, GlossError, Span
from tui.core.store import claim_columns, claim_table
from tui.core.store import dataset as dataset_module
from tui.core.store.article_index import FOLDER, NAME
from tui.core.store.claim_table import outlet
from tui.core.store.dataset import Dataset
from tui.formats import parquet

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
        db.execute("ALTER TABLE claim_sets DROP COLUMN cols")
        db.execute("DROP TABLE claim_cols")


# rows changed by hand that the other formats never read: made again from their files
WIDE_FORGED = {
    "cells narrowed": "UPDATE claims SET cells = CAST(json_remove(CAST(cells AS TEXT),"
                      " '$[13]') AS BLOB) WHERE seq % 2 = 0",
    "outlet of another type": "UPDATE claims SET cells = CAST(json_set(CAST(cells AS TEXT),"
                              " '$[13]', 5) AS BLOB)",
    "wide unset": "UPDATE claim_sets SET wide = 0 WHERE rowid % 2",
    # whole cells, but two claims' where one's stand: the cells joined count one too many
    "cells of two claims": "UPDATE claims SET cells = CAST(CAST(cells AS TEXT) || ','"
                           " || CAST(cells AS TEXT) AS BLOB) WHERE seq % 2 = 0",
}


# the column values forged by hand, each found so: those ranges made of their cells
COLS_FORGED = {
    "lengths cut short": "UPDATE claim_cols SET lens = substr(lens, 1, length(lens) - 1)"
                         " WHERE seq % 2 = 0",
    "data cut short": "UPDATE claim_cols SET data = substr(data, 1, length(data) - 1)"
                      " WHERE seq % 2 = 1",
    "not UTF-8": "UPDATE claim_cols SET data = CAST(x'ff' || substr(data, 2) AS BLOB)",
    "a place more": "UPDATE claim_cols SET data = CAST(data || x'4b' AS BLOB),"
                    " lens = CAST(lens || x'01000040' AS BLOB)",
    "a value fewer": "UPDATE claim_cols SET lens = substr(lens, 1, 56),"
                     " data = substr(data, 1, length(data) - 1)",
    "row deleted": "DELETE FROM claim_cols WHERE seq = 0",
    "row added": "INSERT INTO claim_cols SELECT source || 'x', added, article, seq, status,"
                 " places, data, lens FROM claim_cols LIMIT 1",
    "saved by a gloss before": "UPDATE claim_sets SET cols = 0 WHERE rowid % 2",
    "count forged": "UPDATE claim_sets SET cols = cols + 1 WHERE rowid % 2 = 0",
}


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 10_000), count=st.integers(1, 9), filters=FILTERS,
       state=st.sampled_from(["fresh", "none", "stale", "long", "old", "narrow",
                              *FORGED, *WIDE_FORGED, *COLS_FORGED]),
       piece=st.sampled_from([None, 1, 3]))
def test_the_parquet_from_the_index_is_what_the_files_say(seed, count, filters, state,
                                                          piece):
    """``piece``: made on two processes in ranges of about that many claims (None: as the
    command does, on one below TWO_FROM claims)."""
    with tempfile.TemporaryDirectory() as tmp, two_processes(piece):
        folder = Path(tmp) / "db"
        with mock.patch.object(claim_table, "KEPT_UP_TO", -1 if state == "long" else
                               claim_table.KEPT_UP_TO):
            writer = make(folder, seed, count, OUTLETS)
            writer.summaries()  # the index as the writers leave it
        put_in_state(folder, writer, state, seed, {**FORGED, **WIDE_FORGED, **COLS_FORGED},
                     (b'"Ukrainska Pravda"', b'"Kyiv Post"'))
        if state == "narrow":
            narrow(folder / FOLDER / NAME)
        reader = Dataset.existing(folder, "alice")
        assert written(reader, Path(tmp) / "claims.parquet", **filters) \
            == reference(reader, **filters)


@pytest.mark.parametrize("piece", [None, 3])
@pytest.mark.parametrize("state", list(WIDE_FORGED))
def test_each_row_forged_so_is_made_again_from_its_file(tmp_path, state, piece):
    """Each forgery of the cells only the Parquet reads, on one process and on two (the
    test above draws among every state of the index)."""
    folder = tmp_path / "db"
    writer = make(folder, 3, 7, OUTLETS)
    writer.summaries()
    put_in_state(folder, writer, state, 3, WIDE_FORGED)
    reader = Dataset.existing(folder, "alice")
    with two_processes(piece):
        assert written(reader, tmp_path / "claims.parquet") == reference(reader)


@contextlib.contextmanager
def two_processes(piece: int | None):
    """Two processes from one claim, in ranges of about ``piece`` claims, of the claims'
    cells, not their column values (None: as it is)."""
    if piece is None:
        yield
        return
    with mock.patch.object(claim_columns, "whole", lambda db: False), \
            mock.patch.object(claims_parquet, "TWO_FROM", 1), \
            mock.patch.object(claims_parquet, "PIECE", piece), \
            mock.patch.object(in_turns, "two_cores", lambda out: True):
        yield


@pytest.mark.parametrize("piece", [None, 3])
def test_claims_too_long_to_join_are_read_row_by_row(tmp_path, piece):
    """A range of the print order whose cells SQLite cannot join within its limit is read
    a batch of rows at a time: the same table."""
    folder = tmp_path / "db"
    make(folder, 11, 12, OUTLETS).summaries()
    reader = Dataset.existing(folder, "alice")
    read = mock.Mock(wraps=claim_table.Query.rows_of)
    with two_processes(piece), mock.patch.object(claim_table, "WIDE_JOINED", 64), \
            mock.patch.object(claim_table.Query, "rows_of", autospec=True, side_effect=read):
        assert written(reader, tmp_path / "claims.parquet") == reference(reader)
    assert read.called  # (this process makes the first range, whoever makes the others)


class Stopped(Exception):
    """Raised while the rows are read (a Ctrl-C, say)."""


def test_an_error_while_rows_are_read_one_by_one_is_the_commands_own(tmp_path):
    """Read a row at a time (too long to join), a batch at a time, and the writing stopped
    at the second batch, the rows' cursor still open: it is closed before the order's
    table is dropped, so the error is the one raised (a drop under an open cursor fails:
    "table is locked")."""
    folder = tmp_path / "db"
    make(folder, 13, 6, OUTLETS).summaries()
    reader = Dataset.existing(folder, "alice")
    batch = parquet.claims_batch
    made: list[object] = []

    def stopped(*args: Any) -> Any:
        if made:
            raise Stopped
        made.append(args)
        return batch(*args)

    with mock.patch.object(claim_table, "WIDE_JOINED", 64), \
            mock.patch.object(claim_table, "BATCH", 1), \
            mock.patch.object(parquet, "claims_batch", stopped), \
            pytest.raises(Stopped):
        save_claims(reader, tmp_path / "claims.parquet", "parquet")
    assert not (tmp_path / "claims.parquet").exists()


def test_two_processes_write_the_file_one_writes(tmp_path):
    """The same bytes whether one process or two made the rows (the row groups are
    ROWS rows each however they were cut), the second process reaped, no thread left."""
    folder = tmp_path / "db"
    make(folder, 5, 40, OUTLETS).summaries()
    reader = Dataset.existing(folder, "alice")
    assert save_claims(reader, tmp_path / "one.parquet", "parquet") == []
    with two_processes(2), mock.patch.object(parquet, "ROWS", 7):
        made: list[int] = []
        real = in_turns.in_turns
        with mock.patch.object(in_turns, "in_turns",
                               lambda pieces, *rest: made.append(pieces) or real(pieces, *rest)):
            assert save_claims(reader, tmp_path / "two.parquet", "parquet") == []
        with mock.patch.object(in_turns, "two_cores", lambda out: False):
            assert save_claims(reader, tmp_path / "one-7.parquet", "parquet") == []
    assert made and made[0] > 2
    assert (tmp_path / "two.parquet").read_bytes() == (tmp_path / "one-7.parquet").read_bytes()
    assert pq.read_table(tmp_path / "two.parquet").equals(
        pq.read_table(tmp_path / "one.parquet"))
    assert {g.num_rows for g in _groups(tmp_path / "two.parquet")[:-1]} == {7}
    assert not [t for t in threading.enumerate() if t.name.startswith("gloss-parquet")]
    assert not _children()


@pytest.mark.parametrize("fault", ["disk full", "second process killed"])
def test_a_fault_of_either_side_is_the_commands_error_and_leaves_nothing(tmp_path, fault):
    """The thread writing the Parquet fails (a full disk): its error is the command's (not
    the broken pipe the processes then meet); the second process killed: said as such.
    Either way no file is left, no process and no thread."""
    folder = tmp_path / "db"
    make(folder, 5, 40, OUTLETS).summaries()
    reader = Dataset.existing(folder, "alice")
    parent = os.getpid()
    real_batch, real_write = parquet.ClaimsStream.batch, parquet.ClaimsStream.write

    def batch(self, columns):
        if fault == "second process killed" and os.getpid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)
        return real_batch(self, columns)

    def write(self, source, out):
        if fault == "disk full":
            source.read(1)
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(self, source, out)

    path = tmp_path / "claims.parquet"
    with two_processes(2), mock.patch.object(parquet.ClaimsStream, "batch", batch), \
            mock.patch.object(parquet.ClaimsStream, "write", write), \
            pytest.raises(GlossError) as raised:
        save_claims(reader, path, "parquet")
    assert str(raised.value).endswith(": not written: the disk is full"
                                      if fault == "disk full" else
                                      "gloss claims: its second process ended before its"
                                      " rows were written"), str(raised.value)
    assert not path.exists() and sorted(p.name for p in tmp_path.iterdir()) == ["db"]
    assert not [t for t in threading.enumerate() if t.name.startswith("gloss-parquet")]
    assert not _children()


def _groups(path: Path) -> list[Any]:
    meta = pq.ParquetFile(path).metadata
    return [meta.row_group(i) for i in range(meta.num_row_groups)]


def _children() -> list[str]:
    """This process's children still there (reaped or not)."""
    here = Path(f"/proc/{os.getpid()}/task/{os.getpid()}/children")
    return here.read_text().split() if here.exists() else []


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
    change_behind_the_index(changed)
    expected = reference(Dataset.existing(folder, "alice"))
    read.clear()
    assert written(Dataset.existing(folder, "alice"), tmp_path / "d.parquet") == expected
    assert read == [changed]


def test_the_groups_are_counted_while_the_signatures_are_made(tmp_path, monkeypatch):
    """As for the JSONL: the groups are counted (and the claims with them) before the
    rows are checked against the files' signatures, which another process makes
    meanwhile; once only, when every row stands. An article changed behind the index's
    back: the groups counted again, over the rows made from its file."""
    folder = tmp_path / "db"
    writer = make(folder, 4, 9, OUTLETS)
    writer.summaries()
    steps: list[str] = []
    groups, trusted = claim_table.Query.groups, claim_table.trusted
    monkeypatch.setattr(claim_table.Query, "groups",
                        lambda self: steps.append("groups") or groups(self))
    monkeypatch.setattr(claim_table, "trusted",
                        lambda *args: steps.append("trusted") or trusted(*args))
    expected = reference(Dataset.existing(folder, "alice"))
    assert written(Dataset.existing(folder, "alice"), tmp_path / "c.parquet") == expected
    assert steps == ["groups", "trusted"]
    changed = folder / f"{writer.ids()[2]}.json"
    change_behind_the_index(changed)
    expected = reference(Dataset.existing(folder, "alice"))
    steps.clear()
    assert written(Dataset.existing(folder, "alice"), tmp_path / "d.parquet") == expected
    assert steps == ["groups", "trusted", "groups"]


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


@pytest.mark.parametrize("state", ["fresh", *COLS_FORGED])
def test_the_column_values_make_the_table_and_forged_ones_are_not_used(tmp_path, state):
    """A fresh index: every range made by Arrow of the column values, none of the cells
    read; values forged by hand, of rows or of their counts: the same table, of the
    cells of the ranges they are in."""
    folder = tmp_path / "db"
    writer = make(folder, 6, 9, OUTLETS)
    writer.summaries()
    put_in_state(folder, writer, state, 6, COLS_FORGED)
    reader = Dataset.existing(folder, "alice")
    made: list[Any] = []
    real = parquet.ClaimValues.batch
    cells = mock.Mock(wraps=claims_parquet._piece)
    with mock.patch.object(parquet.ClaimValues, "batch",
                           lambda self, *values: made.append(real(self, *values)) or made[-1]), \
            mock.patch.object(claims_parquet, "_piece", cells):
        assert written(reader, tmp_path / "claims.parquet") == reference(reader)
    if state == "fresh":
        assert made and None not in made and not cells.called
    else:
        assert cells.called


def test_the_column_values_are_written_with_the_claims_and_deleted_with_them(tmp_path):
    """Each save writes its article's values beside its claims' rows, counted in
    ``claim_sets.cols``; a deleted article's go with it."""
    folder = tmp_path / "db"
    writer = make(folder, 8, 5, OUTLETS)
    writer.summaries()
    index = folder / FOLDER / NAME

    def counts() -> tuple[int, int, int]:
        with contextlib.closing(sqlite3.connect(index)) as db:
            return (db.execute("SELECT COUNT(*) FROM claims").fetchone()[0],
                    db.execute("SELECT COUNT(*) FROM claim_cols").fetchone()[0],
                    db.execute("SELECT sum(cols) FROM claim_sets").fetchone()[0])

    claims, cols, counted = counts()
    assert claims == cols == counted > 0
    saved = writer.ids()[0]
    writer.save_span(saved, Span.new(writer.document(saved).text, 0, 2, "CLAIM", "alice"))
    assert counts()[0] == counts()[1] == counts()[2] == claims + 1
    with contextlib.closing(sqlite3.connect(index)) as db:
        assert claim_columns.whole(db)


@pytest.mark.parametrize("before", ["none", "another shape"])
def test_an_index_before_the_column_values_gets_them_from_a_writer_used_once_whole(
        tmp_path, before):
    """An index without ``claim_cols`` (a gloss before), or with a table of that name of
    another shape (made by hand, counts left as they were): read as it is, of the cells;
    its first writer makes the table, every article counting 0 values (still of the
    cells); once every article is saved again the values make the table. Always the same
    rows."""
    folder = tmp_path / "db"
    writer = make(folder, 9, 4, OUTLETS)
    writer.summaries()
    index = folder / FOLDER / NAME
    with contextlib.closing(sqlite3.connect(index)) as db, db:
        if before == "none":
            db.execute("ALTER TABLE claim_sets DROP COLUMN cols")
        db.execute("DROP TABLE claim_cols")
        if before == "another shape":
            db.execute("CREATE TABLE claim_cols (x)")

    def made_of_values() -> bool:
        made: list[Any] = []
        real = parquet.ClaimValues.batch
        reader = Dataset.existing(folder, "alice")
        with mock.patch.object(parquet.ClaimValues, "batch",
                               lambda self, *values: made.append(real(self, *values))
                               or made[-1]):
            assert written(reader, tmp_path / "c.parquet") == reference(reader)
        return bool(made) and None not in made

    assert not made_of_values()
    with contextlib.closing(sqlite3.connect(index)) as db:
        assert not claim_columns.has(db)  # a reader never writes
    Dataset(folder, "alice").summaries()  # the first writer
    with contextlib.closing(sqlite3.connect(index)) as db:
        assert claim_columns.has(db) and not claim_columns.whole(db)
    assert not made_of_values()
    for doc_id in writer.ids():
        text = writer.document(doc_id).text
        writer.save_span(doc_id, Span.new(text, 0, 2, "CLAIM", "alice"))
    assert made_of_values()
