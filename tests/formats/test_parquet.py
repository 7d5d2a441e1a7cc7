"""`gloss export --format parquet` and `gloss claims --format parquet` read back by DuckDB
and Hugging Face `datasets`, as an analyst's notebook would, and compared with the JSONL
export and `gloss claims --format jsonl` of the same dataset.

Skipped when pyarrow, duckdb or datasets is not installed (the test extra has them)."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import orjson
import pytest

from tests.conftest import gloss
from tests.hostile.attack import ONE_LINE, run, snapshot
from tui import interchange
from tui.core.document.model import Document, Relation, Span
from tui.core.store.dataset import Dataset

# datasets reads these when it is imported: never the network, nothing in the home folder
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
os.environ.setdefault("HF_HOME", tempfile.mkdtemp(prefix="gloss-hf-"))

pq = pytest.importorskip("pyarrow.parquet")

TEXT = ("Kremlin spokesman Dmitry Peskov said Russia would not withdraw from Zaporizhzhia.\n"
        "Kyiv 🇺🇦 rejected the claim on Tuesday, Zelensky's office said.")
OTHER = "Odesa was shelled overnight, officials in Kyiv said."
QUIET = "An article nobody opened."


def at(text: str, words: str, label: str, who: str) -> Span:
    start = text.index(words)
    return Span.new(text, start, start + len(words), label, who)


@pytest.fixture
def dataset(tmp_path: Path) -> Dataset:
    """Two analysts, a claim with its source and place, attributes, an emoji, a skipped
    article, an article nobody opened, metadata with an outlet and a date."""
    dataset = Dataset(tmp_path / "db", "alice")
    claim = at(TEXT, "Russia would not withdraw from Zaporizhzhia", "CLAIM", "alice")
    peskov = at(TEXT, "Dmitry Peskov", "ACTOR", "alice").with_attribute(
        "canonical", "Dmitry Peskov")
    place = at(TEXT, "Zaporizhzhia", "LOCATION", "alice")
    flag = at(TEXT, "🇺🇦", "LOCATION", "bob")
    dataset.add_articles([
        (Document.from_text(TEXT, {"title": "Peskov on Zaporizhzhia", "date": "2025-03-14",
                                   "url": "https://www.example.org/news/1"}),
         [claim.with_attribute("quote", "indirect"), peskov, place, flag,
          at(TEXT, "Kyiv", "ACTOR", "bob")],
         [Relation(claim.id, peskov.id, "SOURCE", "alice"),
          Relation(claim.id, place.id, "ABOUT", "alice")]),
        (Document.from_text(OTHER, {"outlet": "Ukrainska Pravda"}),
         [at(OTHER, "Odesa", "LOCATION", "bob"),
          at(OTHER, "officials in Kyiv said", "CLAIM", "bob")], []),
        (Document.from_text(QUIET), [], []),
    ])
    dataset.set_status(dataset.ids()[0], "done")
    Dataset(dataset.folder, "bob").set_status(Document.from_text(OTHER).id, "skipped")
    return dataset


def jsonl_spans(dataset: Dataset, tmp_path: Path) -> tuple[set[tuple[Any, ...]], dict]:
    """Every span of the JSONL export (one line an analyst), and the texts by article."""
    done = gloss("export", "--db", dataset.folder, "-o", tmp_path / "export.jsonl")
    assert done.returncode == 0, done.stderr
    spans, texts = set(), {}
    for line in (tmp_path / "export.jsonl").read_bytes().splitlines():
        record = orjson.loads(line)
        texts[record["meta"]["id"]] = record["text"]
        spans |= {(record["meta"]["id"], s["start"], s["end"], s["label"], s["text"],
                   s["annotator"], s["source"], s["id"]) for s in record["spans"]}
    return spans, texts


def exported(dataset: Dataset, tmp_path: Path, *args: str) -> Path:
    out = tmp_path / "parquet"
    done = gloss("export", "--format", "parquet", "--db", dataset.folder, "-o", out, *args)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in out.iterdir()) == [".gloss-export", "articles.parquet",
                                                  "spans.parquet"]
    return out


def test_duckdb_reads_the_spans_as_the_jsonl_export_has_them(dataset, tmp_path):
    duckdb = pytest.importorskip("duckdb")
    out = exported(dataset, tmp_path)
    expected, texts = jsonl_spans(dataset, tmp_path)
    spans = out / "spans.parquet"
    rows = duckdb.sql(f"SELECT article, start, \"end\", label, text, annotator, source, id"
                      f" FROM '{spans}'").fetchall()
    assert len(rows) == len(expected) == 7 and set(rows) == expected
    # the offsets are code points: the emoji's span is the text at them, in SQL too
    assert duckdb.sql(f"SELECT count(*) FROM '{spans}' s JOIN '{out / 'articles.parquet'}'"
                      " a ON a.id = s.article WHERE substr(a.text, s.start + 1,"
                      " s.\"end\" - s.start) = s.text").fetchall() == [(7,)]
    articles = duckdb.sql(f"SELECT id, text, title, date, outlet FROM"
                          f" '{out / 'articles.parquet'}'").fetchall()
    assert {a[0]: a[1] for a in articles} == texts  # the article nobody opened left out
    assert sorted(a[2:] for a in articles) == [
        ("Odesa was shelled overnight, officials in Kyiv said.", None, "Ukrainska Pravda"),
        ("Peskov on Zaporizhzhia", "2025-03-14", "www.example.org")]
    statuses = dict(duckdb.sql(f"SELECT annotator || ' ' || text, status FROM '{spans}'"
                               " WHERE label = 'LOCATION'").fetchall())
    assert statuses == {"alice Zaporizhzhia": "done", "bob 🇺🇦": "todo", "bob Odesa": "skipped"}
    by_canonical = duckdb.sql(f"SELECT canonical, [a.value FOR a IN attributes] FROM '{spans}'"
                              " WHERE label = 'ACTOR' AND annotator = 'alice'").fetchall()
    assert by_canonical == [("Dmitry Peskov", ["Dmitry Peskov"])]


def test_the_times_are_the_spans_own_as_utc_timestamps(dataset, tmp_path):
    out = exported(dataset, tmp_path)
    table = pq.read_table(out / "spans.parquet")
    assert str(table.schema.field("updated").type) == "timestamp[ms, tz=UTC]"
    stored = {s.id: s for a in dataset.readable([]) for s in a.spans}
    for row in table.to_pylist():
        assert row["created"].isoformat(timespec="milliseconds") == stored[row["id"]].created
        assert row["updated"].isoformat(timespec="milliseconds") == stored[row["id"]].updated


def test_hugging_face_datasets_loads_one_example_an_article(dataset, tmp_path):
    datasets = pytest.importorskip("datasets")
    out = exported(dataset, tmp_path)
    expected, texts = jsonl_spans(dataset, tmp_path)
    loaded = datasets.load_dataset("parquet", data_files=str(out / "articles.parquet"),
                                   split="train", cache_dir=str(tmp_path / "cache"))
    assert loaded.num_rows == 2
    found = set()
    for example in loaded:
        assert example["text"] == texts[example["id"]]
        found |= {(example["id"], s["start"], s["end"], s["label"], s["text"],
                   s["annotator"], s["source"], s["id"]) for s in example["spans"]}
        for span in example["spans"]:
            assert example["text"][span["start"]:span["end"]] == span["text"]
    assert found == expected
    first = next(e for e in loaded if e["text"] == TEXT)
    assert [(r["label"], r["annotator"]) for r in first["relations"]] == [
        ("SOURCE", "alice"), ("ABOUT", "alice")]
    assert first["statuses"] == [{"annotator": "alice", "status": "done"}]
    spans = datasets.load_dataset("parquet", data_files=str(out / "spans.parquet"),
                                  split="train", cache_dir=str(tmp_path / "cache"))
    assert spans.num_rows == len(expected)


def test_one_analysts_spans_and_every_article_with_all(dataset, tmp_path):
    duckdb = pytest.importorskip("duckdb")
    out = exported(dataset, tmp_path, "--annotator", "bob")
    assert duckdb.sql(f"SELECT DISTINCT annotator FROM '{out / 'spans.parquet'}'"
                      ).fetchall() == [("bob",)]
    out = exported(dataset, tmp_path, "--all")
    assert duckdb.sql(f"SELECT count(*) FROM '{out / 'articles.parquet'}'").fetchall() == [(3,)]


def test_the_claims_table_read_by_duckdb_is_gloss_claims(dataset, tmp_path):
    duckdb = pytest.importorskip("duckdb")
    path = tmp_path / "claims.parquet"
    done = gloss("claims", "--format", "parquet", "-o", path, "--db", dataset.folder)
    assert done.returncode == 0 and done.stderr == "", done.stderr
    listed = gloss("claims", "--format", "jsonl", "--db", dataset.folder)
    records = [orjson.loads(line) for line in listed.stdout.splitlines()]
    rows = duckdb.sql(f"SELECT claim, start, source, canonical, source_kind, quote, places,"
                      f" article, title, outlet, date, analyst, status FROM '{path}'"
                      " ORDER BY analyst").fetchall()
    assert len(rows) == len(records) == 2
    assert sorted((r[0], r[1], r[11], r[7]) for r in rows) == sorted(
        (c["text"], c["start"], c["annotator"], c["article"]["id"]) for c in records)
    assert rows[0][2:] == (
        "Dmitry Peskov", "Dmitry Peskov", "actor", "indirect", ["Zaporizhzhia"],
        Document.from_text(TEXT).id, "Peskov on Zaporizhzhia", "www.example.org",
        "2025-03-14", "alice", "sourced")
    assert rows[1][2:7] == (None, None, None, None, []) and rows[1][9:] == (
        "Ukrainska Pravda", None, "bob", "to do")
    # the board's filters hold for the table too; -o with .parquet needs no --format
    only = tmp_path / "peskov.parquet"
    done = gloss("claims", "--actor", "peskov", "-o", only, "--db", dataset.folder)
    assert done.returncode == 0, done.stderr
    assert duckdb.sql(f"SELECT claim FROM '{only}'").fetchall() == [(rows[0][0],)]


def test_row_groups_are_written_as_the_articles_come(dataset, tmp_path, monkeypatch):
    from tui.formats import parquet

    monkeypatch.setattr(parquet, "ROWS", 2)
    out = tmp_path / "small-groups"
    report = interchange.export_file(dataset, out, "parquet")
    assert report.articles == 2
    spans = pq.ParquetFile(out / "spans.parquet")
    # a group is written once it holds 2 rows: after each article (5 spans, then 2)
    assert [spans.metadata.row_group(i).num_rows for i in range(spans.num_row_groups)] == [
        5, 2]
    assert pq.ParquetFile(out / "articles.parquet").num_row_groups == 2
    expected, _ = jsonl_spans(dataset, tmp_path)
    assert {(r["article"], r["start"], r["end"], r["label"], r["text"], r["annotator"],
             r["source"], r["id"]) for r in spans.read().to_pylist()} == expected


def test_a_time_that_is_not_iso_8601_is_null_and_said(tmp_path):
    dataset = Dataset(tmp_path / "db", "alice")
    span = at(OTHER, "Odesa", "LOCATION", "alice")
    dataset.add_article(Document.from_text(OTHER), [span.__class__(
        **{**span.to_record(), "created": "yesterday", "updated": ""})])
    report = interchange.export_file(dataset, tmp_path / "out", "parquet")
    assert report.warnings == ["1 span times that are not ISO 8601 written as null"]
    row = pq.read_table(tmp_path / "out" / "spans.parquet").to_pylist()[0]
    assert row["created"] is None and row["updated"] is None and row["text"] == "Odesa"


def test_without_pyarrow_one_line_names_what_to_install(dataset, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "pyarrow", None)  # `import pyarrow` now fails
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    before = snapshot(tmp_path)
    for args in (["export", "--format", "parquet", "-o", tmp_path / "out"],
                 ["claims", "--format", "parquet", "-o", tmp_path / "claims.parquet"]):
        outcome = run(*args, "--db", dataset.folder)
        assert outcome.code == 2 and ONE_LINE.fullmatch(outcome.err), outcome.err
        assert "needs pyarrow" in outcome.err and "[parquet]" in outcome.err
        assert snapshot(tmp_path) == before  # no output, not even half of one


@pytest.mark.parametrize("suffix", ["jsonl", "csv"])
def test_claims_to_a_file_is_what_they_print(dataset, tmp_path, suffix):
    path = tmp_path / f"claims.{suffix}"
    done = gloss("claims", "-o", path, "--db", dataset.folder)
    printed = gloss("claims", "--format", suffix, "--db", dataset.folder)
    assert done.returncode == printed.returncode == 0, done.stderr
    assert path.read_text(encoding="utf-8") == printed.stdout and printed.stdout.count("\n") >= 2
    refused = gloss("claims", "--format", "table", "-o", tmp_path / "t", "--db", dataset.folder)
    assert refused.returncode == 2 and not (tmp_path / "t").exists()


def test_claims_row_groups_written_on_a_thread_come_in_order_and_fail_loudly(tmp_path,
                                                                             monkeypatch):
    """The claims table's row groups are encoded on a thread while the next rows are made:
    every group is there, ROWS rows each whatever the batches, in the order given; a group
    that cannot be written raises in the caller (the output then not kept by
    ``write_file``), and no thread is left."""
    import threading

    from tui.formats import parquet

    monkeypatch.setattr(parquet, "ROWS", 3)

    def batches(count: int):
        for n in range(count):
            yield {name: [None] * 2 for name in parquet.CLAIMS} | {
                "claim": [f"claim {n}a", f"claim {n}b"], "start": [n, n], "end": [n + 1] * 2,
                "places": [[], ["Kyiv"]], "article": ["a", "b"], "id": [f"{n}a", f"{n}b"]}

    path = tmp_path / "claims.parquet"
    with path.open("wb") as out:
        assert parquet.write_claims(batches(10), out) == 20
    table = pq.ParquetFile(path)
    assert [table.metadata.row_group(i).num_rows for i in range(table.num_row_groups)] == [
        3, 3, 3, 3, 3, 3, 2]
    assert table.read().column("claim").to_pylist() == [
        f"claim {n}{side}" for n in range(10) for side in "ab"]

    real = pq.ParquetWriter.write_table
    written: list[int] = []

    def failing(self, table, **kwargs):
        if written:
            raise OSError(28, "No space left on device")
        written.append(table.num_rows)
        real(self, table, **kwargs)

    monkeypatch.setattr(pq.ParquetWriter, "write_table", failing)
    with (tmp_path / "full.parquet").open("wb") as out, \
            pytest.raises(OSError, match="No space left"):
        parquet.write_claims(batches(10), out)
    assert written == [3]
    assert not [t for t in threading.enumerate() if t.name.startswith("gloss-parquet")]


def test_pandas_is_not_imported_to_write_parquet_yet_still_there_for_later(dataset,
                                                                           tmp_path):
    """Arrow asks, at its first conversion, whether pandas is installed, by importing it
    (a third of a second, in each process): the commands never give it a pandas object,
    so the question is answered without the import. A later call in the same process
    that needs pandas (a notebook's ``to_pandas``) still gets it."""
    pytest.importorskip("pandas")
    script = f"""
import sys
from tui.cli import main
for args in (["export", "--format", "parquet", "-o", {str(tmp_path / "out")!r}],
             ["claims", "--format", "parquet", "-o", {str(tmp_path / "c.parquet")!r}]):
    try:
        main([*args, "--db", {str(dataset.folder)!r}])
    except SystemExit as exit:
        assert not exit.code, exit.code
print("pandas" in sys.modules)
import pyarrow.parquet as pq
frame = pq.read_table({str(tmp_path / "c.parquet")!r}).to_pandas()
print(type(frame).__module__.split(".")[0], sorted(frame["claim"]))
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          cwd=Path(__file__).resolve().parents[2], check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "False", "pandas ['Russia would not withdraw from Zaporizhzhia', "
                 "'officials in Kyiv said']"]
