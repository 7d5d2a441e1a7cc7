"""Gloss's JSONL export loaded by Hugging Face datasets (the `test` extra's, in Gloss's own
venv) with ``load_dataset("json", ...)``, as a training script loads it: the seed article
with its claims, a claim after emoji and the 373 real Prodigy headlines behind emoji. Every
span's fields are typed features (its attributes, which differ from span to span, JSON):
datasets 5 gave a file's spans as untyped JSON when one span lacked a field the others had.
"""

from __future__ import annotations

import json

import pytest

from tests.clients import corpus
from tests.conftest import gloss

pytestmark = pytest.mark.clients


def test_datasets_loads_the_jsonl_with_every_span_typed(tmp_path, monkeypatch):
    datasets = pytest.importorskip("datasets", reason="datasets is not installed")
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    db = tmp_path / "db"
    corpus.seed_with_claims(db)
    corpus.emoji_claim(db)
    corpus.headlines_with_emoji(db, tmp_path)
    done = gloss("export", "-o", tmp_path / "export.jsonl", "--db", db)
    assert done.returncode == 0, done.stderr
    lines = [json.loads(line) for line in (tmp_path / "export.jsonl").read_text().splitlines()]
    loaded = datasets.load_dataset("json", data_files=str(tmp_path / "export.jsonl"),
                                   split="train", cache_dir=str(tmp_path / "cache"))
    fields = loaded.features["spans"].feature
    assert isinstance(fields, dict), loaded.features["spans"]  # not untyped JSON
    assert {name: str(fields[name]) for name in ("start", "end", "label", "text",
                                                 "token_start", "token_end", "origin")} == {
        "start": "Value('int64')", "end": "Value('int64')", "label": "Value('string')",
        "text": "Value('string')", "token_start": "Value('int64')",
        "token_end": "Value('int64')", "origin": "Value('string')"}
    rows = loaded.to_list()
    spans = [s for line in lines for s in line["spans"]]
    assert loaded.num_rows == len(lines)
    assert sum(row["text"][s["start"]:s["end"]] == s["text"] for row in rows
               for s in row["spans"]) == len(spans)
    assert sorted({s["label"] for row in rows for s in row["spans"]}) == sorted(
        {s["label"] for s in spans})
    assert sum(len(s["attributes"] or {}) for row in rows for s in row["spans"]) == sum(
        len(s["attributes"]) for s in spans) == 8
    assert sum(len(row.get("relations") or []) for row in rows) == sum(
        len(line.get("relations", [])) for line in lines) == 19
