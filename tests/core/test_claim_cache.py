"""The claims board's digests (the claims column of the dataset's index): what a digest
holds is what the files hold, however the index or the files change, and an index that is
broken, hostile or out of date is a miss, never an error, a hang or a wrong board."""

from __future__ import annotations

import os
import shutil
from collections import Counter

import orjson
import pytest

from tests.core.index_rows import column, forge, index_path
from tests.core.test_claim_board import db  # noqa: F401 - the fixture
from tui.core.attribution.claim_index import ClaimIndex
from tui.core.document.model import Relation
from tui.core.store.claim_cache import cached_articles
from tui.core.store.dataset import Dataset


def board_of(dataset: Dataset, problems: list[str] | None = None) -> tuple[
        list[tuple[str, str, str | None, tuple[str, ...]]], Counter]:
    """What the board shows: each claim, its article, source and places; and the names."""
    index = ClaimIndex(dataset.labels)
    index.add_all(cached_articles(dataset, problems if problems is not None else []))
    rows = sorted((r.article, r.claim.text, r.source.text if r.source else None,
                   tuple(p.text for p in r.places)) for r in index.rows())
    return rows, index.given


def from_files(dataset: Dataset) -> tuple[list, Counter]:
    index = ClaimIndex(dataset.labels)
    index.add_all(dataset.readable([]))
    rows = sorted((r.article, r.claim.text, r.source.text if r.source else None,
                   tuple(p.text for p in r.places)) for r in index.rows())
    return rows, index.given


def cache_file(dataset: Dataset):
    return index_path(dataset)


def test_the_cache_gives_what_the_files_give_and_is_used_the_second_time(db):  # noqa: F811
    expected = from_files(db)
    assert board_of(db) == expected
    written = cache_file(db).stat()
    assert board_of(db) == expected
    assert cache_file(db).stat().st_mtime_ns == written.st_mtime_ns  # nothing changed


def test_an_article_saved_since_is_read_again(db):  # noqa: F811
    board_of(db)
    claim = next(s for s in db.spans(db.ids()[0]) if s.text == "aid resumed")
    actor = next(s for s in db.spans(db.ids()[0]) if s.label == "ACTOR")
    writer = Dataset(db.folder, "alice")
    writer.index.write = False  # a writer that keeps no index (another program)
    writer.save_relation(db.ids()[0], Relation(claim.id, actor.id, "SOURCE", "alice"))
    rows, _names = board_of(db)
    assert ("aid resumed", actor.text) in {(r[1], r[2]) for r in rows}
    assert (rows, _names) == from_files(db)


def test_a_file_replaced_with_the_same_time_and_size_is_read_again(db):  # noqa: F811
    """Each entry carries its file's signature: a file replaced with the same size and
    time by another process still has another inode."""
    board_of(db)
    path = db.path(db.ids()[0])
    stat = path.stat()
    data = path.read_bytes().replace(b"aid resumed", b"aid RESUMED")
    path.with_suffix(".new").write_bytes(data)
    os.replace(path.with_suffix(".new"), path)
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert "aid RESUMED" in {r[1] for r in board_of(db)[0]}


@pytest.mark.parametrize("payload", [
    b"", b"not json", b"null", b"[]", b'{"key": 1}', b"\xff\xfe",
    "garbage rows",  # rows of every wrong shape
])
def test_a_broken_or_forged_cache_is_a_miss(db, payload):  # noqa: F811
    expected = from_files(db)
    board_of(db)
    if payload == "garbage rows":
        ids = db.ids()
        first, second = column(db, ids[0], "claims"), column(db, ids[1], "claims")
        first[4] = [[0, "x", 5]]  # a span row of the wrong shape
        second[5] = [["a", None, "SOURCE", "x", "y"]]  # a link that is not text
        forge(db, ids[0], "claims", orjson.dumps(first))
        forge(db, ids[1], "claims", orjson.dumps(second))
    else:
        cache_file(db).write_bytes(payload)
    assert board_of(db) == expected


def test_a_fifo_or_a_linked_cache_folder_is_never_read_or_written(db, tmp_path):  # noqa: F811
    expected = from_files(db)
    folder = cache_file(db).parent
    shutil.rmtree(folder)
    folder.mkdir()
    os.mkfifo(cache_file(db))
    assert board_of(db) == expected  # no hang
    os.unlink(cache_file(db))
    folder.rmdir()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    folder.symlink_to(elsewhere)
    assert board_of(db) == expected
    assert list(elsewhere.iterdir()) == []


def test_a_broken_article_is_named_every_time_and_a_read_only_dataset_gets_no_cache(db):  # noqa: F811
    db.path(db.ids()[1]).write_text("{")
    for _ in range(2):
        problems: list[str] = []
        rows, _names = board_of(db, problems)
        assert len(problems) == 1 and db.ids()[1] in problems[0]
        assert {r[0] for r in rows} == {db.ids()[0]}
    reader = Dataset.existing(db.folder, "bob")
    cache_file(db).unlink()
    board_of(reader)
    assert not cache_file(db).exists()
