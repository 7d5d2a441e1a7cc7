"""A large article's save (over ``LATER_BYTES``; made small here) returns once its file is
on disk and leaves for after it the freeing of the file it replaced and its row of the
index: the bytes are still exactly what orjson makes of the tables, the row lands (the
last save's), the replaced file is closed, another writer never waits for that work, and
a row whose file was replaced meanwhile is not written."""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest

from tests.core.test_article_index import index_rows as rows_now
from tests.core.test_article_index import reading
from tui.core.disk import storage
from tui.core.document.model import Document, Span
from tui.core.store import dataset as dataset_module
from tui.core.store.dataset import Dataset

TEXT = ("Kyiv said “no” to the \"plan\" \\ of Putin.\nZelensky’s envoy met Rubio in Riyadh. "
        "Flag 🇺🇦 and \x1b escape. ") * 20


@pytest.fixture
def large(monkeypatch) -> None:
    """Every save takes the large article's way, its file written in pieces of 64 bytes
    each handed to the disk as it goes."""
    monkeypatch.setattr(dataset_module, "LATER_BYTES", 0)
    monkeypatch.setattr(storage, "WRITEBACK_PIECE", 64)


def index_rows(dataset: Dataset) -> dict[str, tuple[int, int, int]]:
    dataset.settle()  # the work left for after each save done
    return rows_now(dataset)


def spans(document: Document, count: int, who: str = "alice") -> list[Span]:
    return [Span.new(document.text, 7 * n, 7 * n + 4, "ACTOR", who) for n in range(count)]


def made(tmp_path: Path) -> tuple[Dataset, Document]:
    dataset = Dataset(tmp_path / "db", "alice")
    document = Document.from_text(TEXT)
    dataset.add_article(document)
    return dataset, document


def test_the_bytes_are_orjsons_and_the_last_saves_row_lands(tmp_path, large, monkeypatch):
    dataset, document = made(tmp_path)
    for span in spans(document, 6):
        dataset.save_span(document.id, span)
        data = dataset.path(document.id).read_bytes()
        assert data == orjson.dumps(orjson.loads(data))
    dataset.set_status(document.id, "done")
    assert index_rows(dataset) == {document.id: dataset.stamp(document.id)}
    read = reading(monkeypatch)
    rows, problems = Dataset.existing(dataset.folder, "bob").summaries()
    assert read == [] and problems == []
    assert rows[0].spans == 6 and rows[0].status == "todo"


def deleted_files_open(folder: Path) -> list[str]:
    """The files of ``folder`` no longer named that this process holds open."""
    found = []
    for fd in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink(f"/proc/self/fd/{fd}")
        except OSError:
            continue
        if target.startswith(str(folder)) and target.endswith(" (deleted)"):
            found.append(target)
    return found



@contextlib.contextmanager
def after_save_held() -> Iterator[tuple[threading.Event, threading.Event]]:
    """The work after each save held until ``release`` is set; ``held`` is set once a
    save's work is waiting."""
    held, release = threading.Event(), threading.Event()
    after = dataset_module._after_save

    def slow(*args: object) -> None:
        held.set()
        release.wait(10)
        after(*args)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(dataset_module, "_after_save", slow)
        yield held, release

@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="needs Linux's /proc")
def test_the_file_replaced_is_closed_once_the_work_after_the_save_is_done(tmp_path, large):
    dataset, document = made(tmp_path)
    with after_save_held() as (held, release):
        first, second = spans(document, 2)
        dataset.save_span(document.id, first)  # its work held, the file it replaced open
        assert held.wait(10)
        assert len(deleted_files_open(dataset.folder)) == 1
        other = Dataset(dataset.folder, "bob", lock_timeout=2)  # never waits for that work
        other.save_span(document.id, spans(document, 3, "bob")[2])
        dataset.save_span(document.id, second)
        release.set()
        dataset.settle()
    assert deleted_files_open(dataset.folder) == []
    assert {s.annotator for s in dataset.spans(document.id)} == {"alice", "bob"}
    assert index_rows(dataset) == {document.id: dataset.stamp(document.id)}


def test_a_row_whose_file_was_replaced_meanwhile_is_not_written(tmp_path, large,
                                                                 monkeypatch):
    dataset, document = made(tmp_path)
    dataset.settle()
    kept = index_rows(dataset)
    other = Dataset(dataset.folder, "carol")
    other.index.write = False  # a writer that keeps no index (another tool)
    with after_save_held() as (held, release):
        dataset.save_span(document.id, spans(document, 1)[0])
        assert held.wait(10)
        other.save_span(document.id, spans(document, 2, "carol")[1])
        release.set()
        dataset.settle()
    assert index_rows(dataset) == kept  # stale: neither save's row is the file's
    read = reading(monkeypatch)
    rows, _ = Dataset(dataset.folder, "alice").summaries()
    assert read == [document.id] and rows[0].every == 2
    assert index_rows(dataset) == {document.id: dataset.stamp(document.id)}
