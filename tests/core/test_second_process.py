"""Whether a second process may run beside this one (``second_process.may_fork``: the
cores this process may use, its threads, Linux's count of the processes running now),
and the forked helper with its two pipes."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from tui.core.disk import second_process
from tui.core.disk.second_process import Helper, free_core, may_fork


@pytest.mark.parametrize(("loads", "cores", "free"), [
    ("0.61 0.52 0.40 1/173 16175\n", 2, True), ("6.08 6.40 5.45 2/173 16175\n", 2, False),
    ("6.08 6.40 5.45 6/173 16175\n", 8, True), ("0.0 0.0 0.0 1/1 1\n", 1, False),
    ("", 2, True), (None, 2, True)])
def test_a_core_is_free_when_fewer_processes_run_than_there_are_cores(tmp_path, loads,
                                                                       cores, free):
    """Linux's count of the processes running now (/proc/loadavg's fourth field, this
    one among them); not known (no such file, or not of that shape): free."""
    path = tmp_path / "loadavg"
    if loads is not None:
        path.write_text(loads)
    assert free_core(cores, str(path)) is free


@pytest.fixture
def machine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Set the cores this process may run on (its affinity; the machine claims 2 cores
    whatever that is) and the line /proc/loadavg reads: a fake file."""
    loads = tmp_path / "loadavg"
    monkeypatch.setattr(second_process, "LOADS", str(loads))
    monkeypatch.setattr(os, "cpu_count", lambda: 2)

    def set_to(cores: int, line: str) -> None:
        monkeypatch.setattr(os, "sched_getaffinity", lambda pid: set(range(cores)))
        loads.write_text(line)

    return set_to


@pytest.mark.parametrize(("cores", "line", "now", "later"), [
    # the 1-minute load is high, but one process runs (this one): a core is free
    (2, "7.50 7.00 7.00 1/412 9001\n", True, True),
    # the loads are low, but two processes run now: none is free
    (2, "0.10 0.10 0.10 2/412 9001\n", False, True),
    # four cores this process may use (the machine's count says two): three run, one free
    (4, "0.10 0.10 0.10 3/412 9001\n", True, True),
    # one core (taskset, a container) on a machine of two: never a second process
    (1, "0.00 0.00 0.00 1/412 9001\n", False, False),
])
def test_may_fork_reads_the_affinity_and_the_processes_running_now(machine, monkeypatch,
                                                                   cores, line, now, later):
    """``core_free_now`` counts the processes running (the fourth field), never the load
    averages, against the cores of this process's affinity, never the machine's; without
    it two cores of the affinity are enough."""
    monkeypatch.setattr(second_process, "only_thread", lambda: True)  # whatever ran before
    machine(cores, line)
    assert second_process.cores() == cores
    assert may_fork(core_free_now=True) is now
    assert may_fork(no_other_thread=True, core_free_now=True) is now
    assert may_fork() is later


def test_no_fork_from_another_thread_than_the_main_one(machine):
    """A fork copies only its own thread (the app exports in a thread of its own)."""
    machine(2, "0.0 0.0 0.0 1/1 1\n")
    seen: list[bool] = []
    worker = threading.Thread(target=lambda: seen.append(may_fork()))
    worker.start()
    worker.join()
    assert seen == [False]
    assert may_fork() is True


def test_no_fork_beside_another_thread_when_none_may_run(machine):
    """``no_other_thread``: not while another thread runs (one that held a lock would
    leave it held in the copy), even from the main thread."""
    machine(2, "0.0 0.0 0.0 1/1 1\n")
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert second_process.only_thread() is False
        assert may_fork(no_other_thread=True) is False
        assert may_fork() is True  # the main thread is enough without it
    finally:
        stop.set()
        other.join()


def _echo(heard: int, tell: int) -> None:
    """The helper's life: say back what it hears, doubled, until told to stop."""
    while (word := os.read(heard, 1)) not in (b"", b"."):
        os.write(tell, word * 2 + b"\n")


def test_the_helper_answers_on_its_pipe_and_is_waited_for():
    helper = Helper(_echo)
    try:
        os.write(helper.tell, b"a")
        assert helper.heard.readline() == b"aa\n"
        assert helper.pid != os.getpid()
        os.write(helper.tell, b".")
        helper.done()
    finally:
        helper.close()
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)  # none left behind


def test_a_helper_closed_before_its_work_is_done_is_killed():
    """It waits on its pipe for ever: closed before ``done``, it is killed, not waited
    for in vain."""
    helper = Helper(lambda heard, tell: threading.Event().wait())
    pid = helper.pid
    helper.close()
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)
