"""`gloss export --format parquet` and `gloss claims --format parquet` over the hostile
datasets of the store suite (an article file broken every way, every field replaced by
every JSON type, cut short, not a file): each keeps the rule as the other exports do. A
broken file is named in one line, exit 2, the readable articles still written; a value
Gloss accepts is written; reading never writes to the dataset."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import orjson
import pytest

from tests.hostile.attack import TYPES, attack
from tests.hostile.test_hostile_store import (
    FIELD_CASES,
    OTHER,
    RAW_CASES,
    build,
    replaced,
)
from tui.core.disk.storage import CorruptFileError
from tui.core.store.dataset import Dataset

pq = pytest.importorskip("pyarrow.parquet")

TEMPLATE = Path(tempfile.mkdtemp()) / "db"
FIRST = build(TEMPLATE)[0].name  # built once, copied for each case (no fsync a case)


def dataset(tmp: Path) -> Path:
    """A copy of the store suite's dataset in ``tmp/db``; its first article's file."""
    shutil.copytree(TEMPLATE, tmp / "db", symlinks=True)
    return tmp / "db" / FIRST


def attack_parquet(tmp: Path, broken: Path, *, child: bool = False) -> None:
    """Both Parquet doors against the dataset ``tmp/db``; refused exactly when a reader
    of the dataset finds the file broken."""
    refused = any(isinstance(item, CorruptFileError)
                  for item in Dataset.existing(tmp / "db", "x").articles())
    out, claims = tmp / "parquet", tmp / "claims.parquet"
    for args in (["export", "--format", "parquet", "-o", out],
                 ["claims", "--format", "parquet", "-o", claims]):
        outcome = attack(tmp, *args, child=child, imports=False)
        assert outcome.code == (2 if refused else 0), outcome.err
        if refused:
            assert str(broken) in outcome.err
    texts = pq.read_table(out / "articles.parquet", columns=["text"]).column("text")
    assert OTHER in texts.to_pylist()  # the readable article is still exported
    pq.read_table(claims)  # a whole file, whatever was refused


@pytest.mark.parametrize("name", list(RAW_CASES))
def test_an_article_file_that_is_not_a_gloss_file(tmp_path, name):
    first = dataset(tmp_path)
    first.write_bytes(RAW_CASES[name])
    attack_parquet(tmp_path, first)


@pytest.mark.parametrize("part", [1, 4, 8, 11])
def test_an_article_file_cut_short(tmp_path, part):
    first = dataset(tmp_path)
    content = first.read_bytes()
    first.write_bytes(content[: len(content) * part // 12])
    attack_parquet(tmp_path, first)


@pytest.mark.parametrize(("where", "kind"), FIELD_CASES,
                         ids=[f"{'.'.join(map(str, w)) or 'file'}-{k}" for w, k in FIELD_CASES])
def test_every_stored_field_replaced_by_every_json_type(tmp_path, where, kind):
    first = dataset(tmp_path)
    first.write_bytes(replaced(orjson.loads(first.read_bytes()), where, TYPES[kind]))
    attack_parquet(tmp_path, first)


@pytest.mark.parametrize("kind", ["fifo", "folder", "dangling link"])
def test_an_article_file_that_is_not_a_file(tmp_path, kind):
    first = dataset(tmp_path)
    first.unlink()
    if kind == "fifo":
        os.mkfifo(first)
    elif kind == "folder":
        first.mkdir()
    else:
        first.symlink_to(tmp_path / "nowhere")
    attack_parquet(tmp_path, first, child=kind == "fifo")


def test_an_output_that_cannot_be_written_is_one_line(tmp_path):
    dataset(tmp_path)
    (tmp_path / "taken").write_text("someone's file")
    outcome = attack(tmp_path, "export", "--format", "parquet", "-o", tmp_path / "taken",
                     imports=False)
    assert outcome.code == 2 and "already there" in outcome.err
    assert (tmp_path / "taken").read_text() == "someone's file"
    outcome = attack(tmp_path, "claims", "--format", "parquet", "-o",
                     tmp_path / "no-such-folder" / "claims.parquet", imports=False)
    assert outcome.code == 2 and "cannot write" in outcome.err
