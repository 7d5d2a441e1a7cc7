"""The JSONL export on two processes writes what the export writes alone, byte for byte,
and says the same: notes, broken files, counts; a second process that dies or an output
that closes stops it with one error, and no file is left half written."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from tests.formats.test_export_bytes import TEXTS, labelled
from tui import interchange
from tui.core.disk import in_turns
from tui.core.document.model import GlossError
from tui.core.store.dataset import Dataset
from tui.core.store.export_selection import Choice
from tui.formats import in_two

WORDS = ["Putin", "met", "Zelensky", "in", "Riyadh", "while", "Kyiv", "said", "no", "to",
         "a", "cease-fire"]


@pytest.fixture
def small_batches(monkeypatch):
    monkeypatch.setattr(in_two, "BATCH", 3)
    monkeypatch.setattr(in_two, "LEAST", 4)


def dataset_of(folder: Path, n: int = 23) -> Dataset:
    """``n`` articles, each labelled by two analysts (spans off token edges too), the first
    done, one skipped by both, and one file broken."""
    texts = [f"{n}: " + " ".join(WORDS[k % len(WORDS):] + WORDS[:k % len(WORDS)])
             for k in range(n)] + TEXTS
    dataset = labelled(folder, texts)
    ids = dataset.ids()
    for who in ("alice", "bob"):
        dataset.annotator = who
        dataset.set_status(ids[5], "skipped")
    dataset.path(ids[9]).write_text("{broken", encoding="utf-8")
    return Dataset.existing(folder, "alice")


def run(dataset: Dataset, tmp_path: Path, two: bool, choice: Choice | None = None,
        monkeypatch: pytest.MonkeyPatch | None = None) -> tuple[bytes, interchange.ExportReport]:
    assert monkeypatch is not None
    monkeypatch.setattr(in_two, "usable", (lambda *_: True) if two else (lambda *_: False))
    out = tmp_path / f"out-{two}.jsonl"
    report = interchange.export_file(dataset, out, "jsonl", choice=choice)
    return out.read_bytes(), report


@pytest.mark.parametrize("choice", [None, Choice("bob"), Choice(every=True)],
                         ids=["everyone", "one analyst", "all"])
def test_two_processes_write_and_say_what_one_does(tmp_path, monkeypatch, small_batches,
                                                   choice):
    dataset = dataset_of(tmp_path / "db")
    alone, said_alone = run(dataset, tmp_path, False, choice, monkeypatch)
    both, said_both = run(dataset, tmp_path, True, choice, monkeypatch)
    assert both == alone
    assert said_both == said_alone
    assert said_both.unreadable and said_both.warnings  # a broken file, notes: both said


def test_a_batch_past_what_is_held_waits_its_turn_and_writes_through(tmp_path, monkeypatch,
                                                                      small_batches):
    dataset = dataset_of(tmp_path / "db")
    alone, _ = run(dataset, tmp_path, False, None, monkeypatch)
    monkeypatch.setattr(in_turns, "HELD", 1)
    assert run(dataset, tmp_path, True, None, monkeypatch)[0] == alone


def test_every_article_read_is_counted_on_the_bar(tmp_path, monkeypatch, small_batches):
    dataset = dataset_of(tmp_path / "db")
    counted = []

    def progress(items):
        for item in items:
            counted.append(item)
            yield item

    monkeypatch.setattr(in_two, "usable", lambda *_: True)
    with (tmp_path / "out.jsonl").open("wb") as out:
        interchange.export(dataset, out, "jsonl", progress=progress)
    assert len(counted) == len(dataset.ids()) - 1  # the broken one is said, not counted


def test_into_a_pipe_the_lines_come_in_order(tmp_path, monkeypatch, small_batches):
    dataset = dataset_of(tmp_path / "db")
    alone, _ = run(dataset, tmp_path, False, None, monkeypatch)
    read, write = os.pipe()
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(_read_all(read)))
    reader.start()
    monkeypatch.setattr(in_two, "usable", lambda *_: True)
    with os.fdopen(write, "wb") as out:
        interchange.export(dataset, out, "jsonl")
    reader.join()
    assert got == [alone]


def test_a_reader_that_stops_stops_both_processes(tmp_path, monkeypatch, small_batches):
    dataset = dataset_of(tmp_path / "db")
    read, write = os.pipe()
    os.close(read)  # `gloss export | head -0`
    monkeypatch.setattr(in_two, "usable", lambda *_: True)
    with pytest.raises(BrokenPipeError), os.fdopen(write, "wb") as out:
        interchange.export(dataset, out, "jsonl")
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)  # no helper left behind


def test_a_second_process_that_dies_leaves_no_file(tmp_path, monkeypatch, small_batches):
    dataset = dataset_of(tmp_path / "db")
    monkeypatch.setattr(in_two, "usable", lambda *_: True)
    monkeypatch.setattr(in_two, "_help", lambda *_: os._exit(9))  # killed at its start
    out = tmp_path / "out.jsonl"
    with pytest.raises(GlossError, match="second process ended"):
        interchange.export_file(dataset, out, "jsonl")
    assert not out.exists() and os.listdir(tmp_path) == ["db"]


def test_a_small_export_or_one_into_memory_stays_in_one_process(tmp_path):
    import io

    assert not in_two.usable(io.BytesIO(), 10_000, Choice())
    with (tmp_path / "f").open("wb") as out:
        assert not in_two.usable(out, in_two.LEAST - 1, Choice())
        assert not in_two.usable(out, 10_000, Choice(reviewed=True))
        assert in_two.usable(out, 10_000, Choice()) == (len(os.sched_getaffinity(0)) > 1)
        in_a_thread: list[bool] = []
        thread = threading.Thread(
            target=lambda: in_a_thread.append(in_two.usable(out, 10_000, Choice())))
        thread.start()
        thread.join()
        assert in_a_thread == [False]  # the app's export thread


def _read_all(fd: int) -> bytes:
    with os.fdopen(fd, "rb") as handle:
        return handle.read()
