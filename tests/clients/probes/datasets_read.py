"""Run by Hugging Face datasets' venv: load Gloss's JSONL export with
``datasets.load_dataset("json", ...)`` and print, as JSON, the features it inferred for the
spans and what the rows hold (offline, its cache in a folder of the test's)."""

import json
import sys

import datasets

path, cache = sys.argv[1], sys.argv[2]
loaded = datasets.load_dataset("json", data_files=path, split="train", cache_dir=cache)
spans = loaded.features["spans"]
item = getattr(spans, "feature", None)
rows = loaded.to_list()
print(json.dumps({
    "version": datasets.__version__,
    "rows": loaded.num_rows,
    "span_fields": {name: str(kind) for name, kind in item.items()}
    if isinstance(item, dict) else str(spans),
    "spans": sum(len(row["spans"]) for row in rows),
    "labels": sorted({s["label"] for row in rows for s in row["spans"]}),
    "on_their_text": sum(row["text"][s["start"]:s["end"]] == s["text"]
                         for row in rows for s in row["spans"]),
    "attributes": sum(len(s["attributes"] or {}) for row in rows for s in row["spans"]),
    "relations": sum(len(row.get("relations") or []) for row in rows),
}))
