"""Nesting attacked: a record whose metadata nests 101 to 5,000 levels, in every reader that
keeps metadata (JSONL, doccano's meta and its other fields, Label Studio's data and task
id), a label file and an article file of the dataset. Each is one line and exit 2 with
nothing made (an article file: a broken file, named, never written over); metadata of
exactly the limit (`tui/core/document/depth.py`) is imported and written back by every writer."""

from __future__ import annotations

from typing import Any

import orjson
import pytest

from tests.hostile.attack import TEXT, attack, jsonl, labelstudio_task, prodigy_record
from tests.hostile.test_hostile_store import attack_all, build
from tui.core.disk.storage import CorruptFileError
from tui.core.document.depth import MAX_DEPTH
from tui.core.document.model import Span
from tui.core.store.dataset import Dataset

DEPTHS = [MAX_DEPTH + 1, 250, 254, 255, 300, 1000, 1024, 1025, 5000]
HOLE = b'"@@hole@@"'


def nested(depth: int) -> bytes:
    """A JSON object nesting ``depth`` levels (``{}`` is one), as raw JSON."""
    return b'{"a":' * (depth - 1) + b'{"leaf": 1}' + b"}" * (depth - 1)


def with_hole(record: Any, *where: Any) -> bytes:
    copy = orjson.loads(orjson.dumps(record))
    holder = copy
    for key in where[:-1]:
        holder = holder.setdefault(key, {})
    holder[where[-1]] = "@@hole@@"
    return orjson.dumps(copy)


def deep_inputs(depth: int) -> dict[str, tuple[str, bytes, str]]:
    """name -> (file name, content, --format) with metadata ``depth`` levels deep."""
    meta = nested(depth)
    inner = nested(depth - 1) if depth > 1 else b"1"  # a field *of* meta: meta is one more
    doccano = {"text": TEXT, "label": [[0, 5, "ACTOR"]]}
    return {
        "jsonl meta": ("in.jsonl", with_hole(prodigy_record(), "meta").replace(HOLE, meta)
                       + b"\n", "jsonl"),
        "doccano meta": ("in.jsonl", with_hole(doccano, "meta").replace(HOLE, meta), "doccano"),
        "doccano field": ("in.jsonl", with_hole(doccano, "extra").replace(HOLE, inner),
                          "doccano"),
        "labelstudio data": ("in.json", b"[" + with_hole(labelstudio_task(), "data", "extra")
                             .replace(HOLE, inner) + b"]", "labelstudio"),
        "labelstudio id": ("in.json", b"[" + with_hole(labelstudio_task(), "id")
                           .replace(HOLE, inner) + b"]", "labelstudio"),
        "auto-detected": ("in.jsonl", with_hole({"text": TEXT}, "meta").replace(HOLE, meta),
                          "auto"),
    }


CASES = [(name, depth) for depth in DEPTHS for name in deep_inputs(2)]


@pytest.mark.parametrize(("name", "depth"), CASES, ids=[f"{n}-{d}" for n, d in CASES])
def test_deep_metadata_is_one_line_and_nothing_is_made(tmp_path, name, depth):
    filename, content, fmt = deep_inputs(depth)[name]
    source = tmp_path / filename
    source.write_bytes(content + b"\n" + jsonl({"text": "Another article."})
                       if fmt in ("jsonl", "doccano", "auto") else content)
    outcome = attack(tmp_path, "import", source, "--format", fmt)
    assert outcome.code == 2, outcome.err
    # a Label Studio task's id is not kept, only checked: a number or a string (past
    # JSON's own depth limit the file is refused before any task is read)
    assert "deeper than" in outcome.err or (
        name == "labelstudio id" and "its id is not a number" in outcome.err), outcome.err
    assert not (tmp_path / "db").exists()


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 300, 5000])
def test_deep_metadata_skipped_under_skip_invalid(tmp_path, depth):
    source = tmp_path / "in.jsonl"
    source.write_bytes(deep_inputs(depth)["jsonl meta"][1] + jsonl({"text": "Another one."}))
    outcome = attack(tmp_path, "import", source, "--skip-invalid")
    assert outcome.code == 0, outcome.err
    assert "deeper than" in outcome.err
    [article] = Dataset.existing(tmp_path / "db", "x").articles()
    assert article.document.text == "Another one."


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 300, 1025, 5000])
def test_a_deep_label_file(tmp_path, depth):
    seed = tmp_path / "a.txt"
    seed.write_text("Kyiv says talks resume.")
    labels = tmp_path / "labels.json"
    labels.write_bytes(b"[" + nested(depth) + b"]")
    assert attack(tmp_path, "import", seed, "--labels", labels).code == 2
    assert not (tmp_path / "db").exists()


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 254, 300, 1000, 2000])
def test_a_deep_article_file_is_a_broken_file(tmp_path, depth):
    first, _ = build(tmp_path / "db")
    tables = orjson.loads(first.read_bytes())
    tables["article"]["1"]["meta"] = "@@hole@@"
    first.write_bytes(orjson.dumps(tables).replace(HOLE, nested(depth)))
    attack_all(tmp_path, first)
    dataset = Dataset(tmp_path / "db", "alice")
    before = first.read_bytes()
    with pytest.raises(CorruptFileError, match=str(first)):  # a save fails, in one line
        dataset.save_span(first.stem, Span.new(TEXT, 6, 9, "ACTOR", "alice"))
    assert first.read_bytes() == before


def meta_of_depth(depth: int) -> dict[str, Any]:
    meta: dict[str, Any] = {"leaf": "x"}
    for _ in range(depth - 1):
        meta = {"a": meta}
    return meta


@pytest.mark.parametrize("fmt", ["jsonl", "doccano", "labelstudio"])
def test_metadata_at_the_limit_is_written_back_by_every_writer(tmp_path, fmt):
    meta = meta_of_depth(MAX_DEPTH)
    source = tmp_path / "in.jsonl"
    source.write_bytes(jsonl({"text": TEXT, "meta": meta,
                              "spans": [{"start": 0, "end": 5, "label": "ACTOR"}]}))
    assert attack(tmp_path, "import", source).code == 0
    dataset = Dataset(tmp_path / "db", "alice")
    [doc_id] = dataset.ids()
    dataset.save_span(doc_id, Span.new(TEXT, 6, 9, "ACTOR", "alice"))  # saved again
    out = tmp_path / f"out.{'json' if fmt == 'labelstudio' else 'jsonl'}"
    outcome = attack(tmp_path, "export", "--format", fmt, "-o", out, imports=False)
    assert outcome.code == 0, outcome.err
    again = tmp_path / "again"
    outcome = attack(tmp_path, "import", out, "--format", fmt, db=again)
    assert outcome.code == 0, outcome.err
    [article] = Dataset.existing(again, "x").articles()
    kept = article.document.meta
    assert kept["a"] == meta["a"]


def test_a_csv_cell_of_deep_json_is_text(tmp_path):
    cell = "[" * 5000 + "]" * 5000
    source = tmp_path / "in.csv"
    source.write_text(f"text,payload\n{TEXT},{cell}\n")
    assert attack(tmp_path, "import", source).code == 0
    [article] = Dataset.existing(tmp_path / "db", "x").articles()
    assert article.document.meta["payload"] == cell


def test_depth_is_walked_without_recursion():
    from tui.core.document.depth import deeper_than

    deep: Any = 1
    for _ in range(200_000):
        deep = [deep]
    assert deeper_than(deep) and not deeper_than(meta_of_depth(MAX_DEPTH))
    assert deeper_than(meta_of_depth(MAX_DEPTH + 1))


def test_the_written_file_holds_the_limit(tmp_path):
    """The limit leaves room below orjson's: an article file holds meta four deep."""
    source = tmp_path / "in.jsonl"
    source.write_bytes(jsonl({"text": TEXT, "meta": meta_of_depth(MAX_DEPTH)}))
    assert attack(tmp_path, "import", source).code == 0
    [path] = [p for p in (tmp_path / "db").glob("*.json") if p.name != "labels.json"]
    tables = orjson.loads(path.read_bytes())
    assert orjson.loads(orjson.dumps(tables)) == tables  # orjson writes it back whole
