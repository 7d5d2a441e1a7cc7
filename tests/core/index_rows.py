"""Reading and forging rows of a dataset's index (.cache/index.sqlite), for the tests."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import orjson

from tui.core.store.article_index import FOLDER, NAME
from tui.core.store.dataset import Dataset


def index_path(dataset: Dataset) -> Path:
    return dataset.folder / FOLDER / NAME


def _table(name: str) -> str:
    """Where a column is: the claims and agree digests in tables of their own."""
    return {"claims": "digests", "agree": "agrees"}.get(name, "articles")


def column(dataset: Dataset, doc_id: str, name: str) -> Any:
    with sqlite3.connect(index_path(dataset)) as db:
        (blob,) = db.execute(f"SELECT {name} FROM {_table(name)} WHERE id=?",
                             (doc_id,)).fetchone()
    return orjson.loads(blob)


def forge(dataset: Dataset, doc_id: str, name: str, raw: bytes | str | int | None) -> None:
    """Put ``raw`` (bytes as they are, or another SQL value) in a row's column."""
    with sqlite3.connect(index_path(dataset)) as db:
        db.execute(f"UPDATE {_table(name)} SET {name}=? WHERE id=?", (raw, doc_id))
