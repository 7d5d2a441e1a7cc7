"""``gloss claims --format jsonl`` on two processes (``claims_output._jsonl``): the lines
are what one process writes, byte for byte, whatever the filters; the helper reads the
index file the first process holds, or helps not at all; a helper that dies or an output
that closes stops the command with one error, and ``-o FILE`` is then not written."""

from __future__ import annotations

import os
import shutil
import signal
import sqlite3
import threading
from pathlib import Path

import pytest

from tests.core.test_claim_table import make, printed, reference
from tui import claims_output
from tui.claims_output import print_claims, save_claims
from tui.core.disk import in_turns, second_process
from tui.core.document.model import GlossError
from tui.core.store import claim_pass, claim_table
from tui.core.store.article_index import FOLDER, NAME
from tui.core.store.dataset import Dataset


@pytest.fixture
def dataset(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Dataset:
    """40 articles, their rows the index's own; two processes from one claim, in ranges of
    three claims, whatever the machine's cores."""
    writer = make(tmp_path / "db", 3, 40)
    writer.summaries()
    monkeypatch.setattr(claims_output, "TWO_FROM", 1)
    monkeypatch.setattr(claims_output, "PIECE", 3)
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1})
    return Dataset.existing(tmp_path / "db", "alice")


@pytest.fixture
def helped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A file the helper names itself in (its pid) once it has its connection."""
    said = tmp_path / "helper"
    reopened = claim_pass.reopened

    def spy(dataset: Dataset):  # type hints: the real one's
        db = reopened(dataset)
        said.write_text(str(os.getpid()))
        return db

    monkeypatch.setattr(claims_output, "reopened", spy)
    return said


def in_file(dataset: Dataset, path: Path, **filters: str) -> bytes:
    with path.open("wb") as out:
        assert print_claims(dataset, "jsonl", out=out, **filters) == []
    return path.read_bytes()


@pytest.mark.parametrize("filters", [{}, {"status": "sourced"}, {"actor": "put"},
                                     {"place": "kyiv"}, {"status": "to do", "place": "e"}],
                         ids=["all", "status", "actor", "place", "status and place"])
def test_two_processes_write_what_the_files_say(dataset, tmp_path, helped, filters):
    expected, _problems = reference(dataset, "jsonl", **filters)
    assert in_file(dataset, tmp_path / "out.jsonl", **filters) == expected
    assert save_claims(dataset, tmp_path / "o.jsonl", "jsonl", **filters) == []  # -o FILE
    assert (tmp_path / "o.jsonl").read_bytes() == expected
    assert printed(dataset, "jsonl", **filters)[0] == expected  # into memory: one process
    if filters == {}:  # the helper had its ranges (it exists, and is not this process)
        assert helped.exists() and int(helped.read_text()) != os.getpid()


def test_into_a_pipe_the_lines_come_in_order(dataset, helped):
    expected, _problems = reference(dataset, "jsonl")
    read, write = os.pipe()
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(_read_all(read)))
    reader.start()
    with os.fdopen(write, "wb") as out:
        print_claims(dataset, "jsonl", out=out)
    reader.join()
    assert got == [expected]
    assert helped.exists()


def test_a_range_past_what_is_held_waits_its_turn(dataset, tmp_path, monkeypatch):
    monkeypatch.setattr(in_turns, "HELD", 1)
    monkeypatch.setattr(claims_output, "WRITE", 1)  # each line written on its own
    assert in_file(dataset, tmp_path / "out.jsonl") == reference(dataset, "jsonl")[0]


@pytest.mark.parametrize("joined", [1, 200, 1 << 20], ids=["none", "some", "all"])
def test_a_range_too_long_to_join_is_read_a_row_at_a_time(dataset, tmp_path, monkeypatch,
                                                          joined):
    """The lines of a range are joined by SQLite up to ``JOINED`` bytes; a longer range
    (every one, some, none of them here) is read a row at a time: the same bytes."""
    monkeypatch.setattr(claim_table, "JOINED", joined)
    rows = []
    lines_of = claim_table.Query.lines_of

    def counted(self, piece):
        for batch in lines_of(self, piece):
            rows.append(len(batch))
            yield batch

    monkeypatch.setattr(claim_table.Query, "lines_of", counted)
    assert in_file(dataset, tmp_path / "out.jsonl") == reference(dataset, "jsonl")[0]
    # this process's ranges: each joined in one part where all fit, by rows where none
    assert (max(rows) == 1) == (joined == 1 << 20)


def test_an_index_put_in_place_of_the_one_read_is_never_read(dataset, tmp_path,
                                                             monkeypatch, helped):
    """The index file replaced by another (a copy here: the same rows, which the helper
    would read alike) after the first process opened it: the helper refuses it, and the
    first process writes every range itself."""
    index = tmp_path / "db" / FOLDER / NAME
    pieces = claim_table.Query.pieces

    def replaced(self, groups, size):
        found = pieces(self, groups, size)
        shutil.copy(index, index.with_name("copy"))
        os.replace(index.with_name("copy"), index)
        return found

    monkeypatch.setattr(claim_table.Query, "pieces", replaced)
    assert in_file(dataset, tmp_path / "out.jsonl") == reference(dataset, "jsonl")[0]
    assert not helped.exists()


def test_a_helper_that_cannot_start_leaves_every_range_to_the_first(dataset, tmp_path,
                                                                    monkeypatch):
    def refused(dataset):
        raise OSError("no /proc")

    monkeypatch.setattr(claims_output, "reopened", refused)
    assert in_file(dataset, tmp_path / "out.jsonl") == reference(dataset, "jsonl")[0]


def test_rows_of_files_read_again_keep_to_one_process(dataset, tmp_path, helped):
    """An article changed behind the index's back: its rows are worked out into this
    process's temporary tables, which no other process sees."""
    path = dataset.path(dataset.ids()[0])
    os.utime(path, ns=(1, 1))
    assert in_file(dataset, tmp_path / "out.jsonl") == reference(dataset, "jsonl")[0]
    assert not helped.exists()


def test_controls_forged_into_the_lines_are_escaped_by_both(dataset, tmp_path, helped):
    """Lines changed in place by hand (their count as made: trusted) to hold terminal
    controls: each process escapes those of its ranges as one process does."""
    with sqlite3.connect(tmp_path / "db" / FOLDER / NAME) as db:
        db.execute("UPDATE claim_jsonl SET jsonl = CAST(x'1b5b33316dc29b' || jsonl"
                   " || x'e280ae' AS BLOB) WHERE part = 0")
    two = in_file(dataset, tmp_path / "out.jsonl")
    assert two == printed(dataset, "jsonl")[0]
    assert b"\x1b" not in two and b"\\u001b[31m\\u009b" in two and helped.exists()


def test_a_helper_that_dies_leaves_no_file(dataset, tmp_path, monkeypatch):
    first = os.getpid()
    lines_of = claim_table.Query.lines_of

    def killed(self, piece):
        if os.getpid() != first:
            os.kill(os.getpid(), signal.SIGKILL)
        return lines_of(self, piece)

    monkeypatch.setattr(claim_table.Query, "lines_of", killed)
    out = tmp_path / "out.jsonl"
    with pytest.raises(GlossError, match="gloss claims: its second process ended"):
        save_claims(dataset, out, "jsonl")
    assert not out.exists() and sorted(os.listdir(tmp_path)) == ["db"]
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)  # no helper left behind


def test_a_reader_that_stops_stops_both_processes(dataset):
    read, write = os.pipe()
    os.close(read)  # `gloss claims | head -0`
    with pytest.raises(BrokenPipeError), os.fdopen(write, "wb") as out:
        print_claims(dataset, "jsonl", out=out)
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)


@pytest.fixture
def forks(monkeypatch) -> list[int]:
    """The processes that fork from here on, one entry a fork."""
    seen: list[int] = []
    fork = os.fork

    def counted() -> int:
        seen.append(os.getpid())
        return fork()

    monkeypatch.setattr(os, "fork", counted)
    return seen


def test_signatures_made_by_a_second_process_trust_the_same_rows(dataset, tmp_path,
                                                                 monkeypatch, forks):
    """From ``FORK_FROM`` files their signatures are made by a forked process while this
    one reads the index: an article changed behind the index's back is read again all
    the same (and keeps the lines on one process: the fork seen is the signatures')."""
    monkeypatch.setattr(claim_pass, "FORK_FROM", 1)
    monkeypatch.setattr(second_process, "only_thread", lambda: True)  # whatever ran before
    monkeypatch.setattr(second_process, "free_core", lambda *_: True)
    os.utime(dataset.path(dataset.ids()[0]), ns=(1, 1))
    assert in_file(dataset, tmp_path / "out.jsonl") == reference(dataset, "jsonl")[0]
    assert forks == [os.getpid()] * claim_pass.PARTS
    assert printed(dataset, "csv")[0] == reference(dataset, "csv")[0]
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)  # none left behind


def test_no_second_process_for_the_signatures_when_no_core_is_free(dataset, tmp_path,
                                                                   monkeypatch, forks):
    monkeypatch.setattr(claim_pass, "FORK_FROM", 1)
    monkeypatch.setattr(second_process, "only_thread", lambda: True)  # whatever ran before
    monkeypatch.setattr(second_process, "free_core", lambda *_: False)
    os.utime(dataset.path(dataset.ids()[0]), ns=(1, 1))
    assert in_file(dataset, tmp_path / "out.jsonl") == reference(dataset, "jsonl")[0]
    assert forks == []


@pytest.mark.parametrize("refused", [0, 1], ids=["the first", "the second"])
def test_a_part_of_the_signatures_whose_process_is_refused_is_made_here(
        dataset, tmp_path, monkeypatch, refused):
    """Each part of the signatures is made by a process of its own: one that cannot be
    forked (out of processes) leaves its part to this one, the other's part still used."""
    monkeypatch.setattr(claim_pass, "FORK_FROM", 1)
    monkeypatch.setattr(second_process, "only_thread", lambda: True)  # whatever ran before
    monkeypatch.setattr(second_process, "free_core", lambda *_: True)
    fork, calls = os.fork, []

    def some(*args: object) -> int:
        calls.append(1)
        if len(calls) == refused + 1:
            raise BlockingIOError(11, "Resource temporarily unavailable")
        return fork()

    made, stats = [], Dataset.stats

    def counted(self, ids):
        made.append((os.getpid(), len(ids)))
        return stats(self, ids)

    monkeypatch.setattr(os, "fork", some)
    monkeypatch.setattr(Dataset, "stats", counted)
    os.utime(dataset.path(dataset.ids()[0]), ns=(1, 1))  # read again: one process after
    expected = reference(dataset, "jsonl")[0]
    made.clear()
    assert in_file(dataset, tmp_path / "out.jsonl") == expected
    assert made == [(os.getpid(), 20)]  # this process made the refused part only
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)  # none left behind


def test_signatures_of_a_process_that_dies_are_made_here(dataset, tmp_path, monkeypatch):
    monkeypatch.setattr(claim_pass, "FORK_FROM", 1)
    monkeypatch.setattr(second_process, "only_thread", lambda: True)  # whatever ran before
    monkeypatch.setattr(second_process, "free_core", lambda *_: True)
    first, signature = os.getpid(), claim_pass.signature

    def dies(info: os.stat_result | None) -> tuple[int, int, int]:
        if os.getpid() != first:
            os._exit(1)
        return signature(info)

    monkeypatch.setattr(claim_pass, "signature", dies)
    os.utime(dataset.path(dataset.ids()[0]), ns=(1, 1))
    assert in_file(dataset, tmp_path / "out.jsonl") == reference(dataset, "jsonl")[0]
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)


def _read_all(fd: int) -> bytes:
    with os.fdopen(fd, "rb") as handle:
        return handle.read()
