"""The screen never lies about the disk, in a real terminal (tmux): a session killed with
kill -9 in the middle of a large edit leaves all of it or none of it; a hang-up (the
pane killed, as an SSH connection that drops), SIGTERM or SIGINT ends it once every edit
asked for is on disk, with no temp file left. Each failed on the main branch: 292 of 800
spans after kill -9, 165 of 800 and a temp file after a hang-up."""

from __future__ import annotations

import os
import shutil
import signal
import sys
import time
from pathlib import Path

import pytest

from tests.e2e.terminal import Terminal
from tests.faults import dataset_templates as datasets
from tests.faults.kill import WAIT_S, leftovers
from tui.core.store.dataset import Dataset

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]


def review(tmp: Path, *, hold: Path | None = None) -> tuple[Terminal, Path, str]:
    """`gloss review` of an article where alice and bob agree on 800 spans, opened;
    ``hold``: its saves wait at the failpoint "save" while that file is there."""
    db, args = datasets.for_review(tmp)
    for who in ("alice", "bob"):
        Dataset(db, who).set_status(args[2], "done")
    command = [sys.executable, "-m", "tui", "review", "--db", str(db), "--reviewer", "olena"]
    if hold:
        command = ["env", "GLOSS_STOP_AT=save", f"GLOSS_STOP_HOLD={hold}", *command]
    terminal = Terminal(command, tmp, width=120, height=30)
    terminal.wait_for("Gloss review")
    terminal.send("Enter")
    terminal.wait_for("alice's version")
    return terminal, db, args[2]


def pane_pid(terminal: Terminal) -> int:
    return int(terminal.tmux(["display", "-p", "-t", terminal.name, "#{pane_pid}"]).stdout)


def gone(pid: int) -> None:
    deadline = time.monotonic() + WAIT_S
    while True:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        assert time.monotonic() < deadline, f"gloss ({pid}) did not end"
        time.sleep(0.02)


def held(hold: Path) -> None:
    """Wait until the save is held at its failpoint (it made the file ``hold``)."""
    deadline = time.monotonic() + WAIT_S
    while not hold.exists():
        assert time.monotonic() < deadline
        time.sleep(0.01)


def delivered(pid: int, signum: int) -> None:
    """Wait until ``signum`` is no longer pending for ``pid``: its handler has it."""
    deadline = time.monotonic() + WAIT_S
    while True:
        status = Path(f"/proc/{pid}/status").read_text().splitlines()
        pending = 0
        for line in status:
            if line.startswith(("SigPnd:", "ShdPnd:")):
                pending |= int(line.split()[1], 16)
        if not pending & (1 << (signum - 1)):
            return
        assert time.monotonic() < deadline
        time.sleep(0.01)


def reviewed(db: Path, doc_id: str) -> tuple[int, int]:
    article = Dataset(db, "next").article(doc_id)
    mine = {s.id for s in article.spans if s.annotator == "olena"}
    return len(mine), sum(r.head in mine for r in article.relations)


def test_kill_9_in_the_middle_of_taking_800_agreements_leaves_all_or_none(tmp_path):
    terminal, db, doc_id = review(tmp_path)
    try:
        pid = pane_pid(terminal)
        terminal.send("a")
        terminal.wait_for("800 agreements taken")
        os.kill(pid, signal.SIGKILL)
        gone(pid)
    finally:
        terminal.close()
    assert reviewed(db, doc_id) in ((0, 0), (800, 400))  # 292 of 800 on the main branch
    assert not leftovers(db)


@pytest.mark.parametrize("how", ["hang-up", "SIGTERM", "SIGINT"])
def test_ending_while_800_agreements_are_saved_saves_them_first(tmp_path, how):
    """The save is held in the middle of its write (the article read, nothing written)
    while the session is hung up on or signalled, then let go on: the session finishes
    the write before it ends."""
    hold = tmp_path / "hold"
    terminal, db, doc_id = review(tmp_path, hold=hold)
    try:
        pid = pane_pid(terminal)
        terminal.send("a")
        terminal.wait_for("800 agreements taken")
        held(hold)
        signum = {"hang-up": signal.SIGHUP, "SIGTERM": signal.SIGTERM}.get(how, signal.SIGINT)
        if how == "hang-up":
            terminal.tmux(["kill-pane", "-t", terminal.name])  # SIGHUP, the terminal gone
        else:
            os.kill(pid, signum)
        delivered(pid, signum)  # while the write is held
        hold.unlink()
        gone(pid)
    finally:
        terminal.close()
    assert reviewed(db, doc_id) == (800, 400)  # 165 of 800 and a temp file on main
    assert not leftovers(db)


def test_a_hang_up_right_after_labelling_every_kyiv_saves_them(tmp_path):
    db, args = datasets.for_every(tmp_path)
    terminal = Terminal([sys.executable, "-m", "tui", "read", "--db", str(db)], tmp_path)
    try:
        terminal.wait_for("1 articles")
        terminal.send("Enter")
        terminal.wait_for("27,096 characters")
        pid = pane_pid(terminal)
        terminal.send("Tab")  # to the one span: Kyiv, labelled
        terminal.wait_for("sel ")
        terminal.send("a")
        deadline = time.monotonic() + WAIT_S
        while not any(said in terminal.screen() for said in ("saving", "799 spans")):
            assert time.monotonic() < deadline  # the edit is on screen: hang up now
        terminal.tmux(["kill-pane", "-t", terminal.name])
        gone(pid)
    finally:
        terminal.close()
    assert len(Dataset(db, "next").spans(args[2])) == 800
    assert not leftovers(db)
