"""The fault suite's harness: kill a write at an instant or at a named point, then check
that the next opening of the dataset finds it exactly as before or exactly as after.

``Writer`` drives ``runner.py`` (a server forking one deterministic write a line), so a
killed write and an uninterrupted one of the same thing are compared byte for byte.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from typing import IO

import orjson

from tui.core.store.dataset import Dataset

RUNNER = Path(__file__).with_name("runner.py")
CACHES = {".tokens", ".cache"}  # caches, not data: written after a commit, rebuilt at will
POINTS = ["staged", "locked", "journal", "applying", "applied"]
SAVE_POINTS = ["save", "saved"]
WAIT_S = 60.0  # far beyond any honest write of this suite: only a hang gets there

State = dict[str, bytes]


def state(folder: Path) -> State:
    """Every file under the dataset folder, hidden ones included, with its bytes (the
    caches aside)."""
    found: State = {}
    for root, dirs, files in os.walk(folder):
        if Path(root) == folder:
            dirs[:] = [d for d in dirs if d not in CACHES]
        for name in files:
            path = Path(root, name)
            found[str(path.relative_to(folder))] = path.read_bytes()
    return found


def leftovers(folder: Path) -> list[str]:
    """What no dataset at rest holds: temp files, owner files, a journal."""
    return sorted(name for name in state(folder)
                  if name.endswith((".tmp", ".owner")) or name == ".journal")


def writers_gone(folder: Path) -> None:
    """Wait until no process holds an owner file of the dataset (a killed merge's second
    process is killed with it, but its exit may take a moment)."""
    deadline = time.monotonic() + WAIT_S
    for owner in folder.glob(".*.owner"):
        while True:
            try:
                fd = os.open(owner, os.O_RDONLY)
            except FileNotFoundError:
                break
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                assert time.monotonic() < deadline, f"{owner} still held"
                time.sleep(0.01)
            finally:
                os.close(fd)


def settle(folder: Path, before: State, after: State) -> str:
    """Open the dataset as the next command would; it must be exactly ``before`` or
    exactly ``after``, with nothing left over. Returns which."""
    writers_gone(folder)
    Dataset(folder, "next")
    assert not leftovers(folder), leftovers(folder)
    now = state(folder)
    if now == before:
        return "before"
    if now != after:
        keys = before.keys() | after.keys() | now.keys()
        kinds = Counter("unchanged" if before.get(k) == after.get(k) else
                        "before" if now.get(k) == before.get(k) else
                        "after" if now.get(k) == after.get(k) else "neither" for k in keys)
        raise AssertionError(f"neither before nor after, file by file: {dict(kinds)}")
    return "after"


class Writer:
    """One ``runner.py`` server; each :meth:`write` forks one write."""

    def __init__(self, cwd: Path) -> None:
        env = {**os.environ, "GLOSS_ANNOTATOR": "alice"}
        env.pop("GLOSS_STOP_AT", None)
        self.process = subprocess.Popen([sys.executable, str(RUNNER)], cwd=cwd, env=env,
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE, text=True)
        self.out: queue.Queue[str] = queue.Queue()
        self.err: queue.Queue[str] = queue.Queue()
        self.said: list[str] = []
        for stream, lines in ((self.process.stdout, self.out), (self.process.stderr, self.err)):
            threading.Thread(target=_pump, args=(stream, lines), daemon=True).start()

    def close(self) -> None:
        with contextlib.suppress(OSError):
            assert self.process.stdin is not None
            self.process.stdin.close()
        self.process.wait(timeout=WAIT_S)

    def __enter__(self) -> Writer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _start(self, stop_at: str | None, args: list[str]) -> int:
        assert self.process.stdin is not None
        self.process.stdin.write(orjson.dumps([stop_at, *args]).decode() + "\n")
        self.process.stdin.flush()
        line = self.out.get(timeout=WAIT_S)
        assert line.startswith("started "), line
        return int(line.split()[1])

    def _ended(self) -> int:
        while True:
            line = self.out.get(timeout=WAIT_S)
            if line.startswith("ended "):
                return int(line.split()[1])

    def errors(self) -> list[str]:
        """What the writes said on stderr so far (and have not been read)."""
        lines, self.said = self.said, []
        while not self.err.empty():
            lines.append(self.err.get())
        return lines

    def write(self, args: list[str]) -> tuple[int, dict[str, float]]:
        """One uninterrupted write: its exit status, and when it passed each point (s
        after it started)."""
        self.errors()
        self._start("trace", args)
        code = self._ended()
        passed = {}
        while (line := self.err.get(timeout=WAIT_S)) != "ended":
            if line.startswith("at "):
                _, name, seconds = line.split()
                passed[name] = float(seconds)
            else:
                self.said.append(line)
        return code, passed

    def kill_after(self, args: list[str], delay: float) -> int:
        """Start a write, kill it (SIGKILL) ``delay`` seconds later; its exit status."""
        pid = self._start(None, args)
        time.sleep(delay)
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        return self._ended()

    def kill_at(self, args: list[str], point: str) -> bool:
        """Start a write, kill it where it stops at ``point``; False when it never got
        there (it ended on its own)."""
        pid = self._start(point, args)
        deadline = time.monotonic() + WAIT_S
        while time.monotonic() < deadline:
            with contextlib.suppress(queue.Empty):
                line = self.err.get(timeout=0.01)
                if line == f"stopped at {point}":
                    os.kill(pid, signal.SIGKILL)
                    self._ended()
                    return True
            with contextlib.suppress(queue.Empty):
                line = self.out.get_nowait()
                if line.startswith("ended "):
                    return False
        raise AssertionError(f"the write neither stopped at {point} nor ended")


def _pump(stream: IO[str], lines: queue.Queue[str]) -> None:
    for line in stream:
        lines.put(line.rstrip("\n"))


class Trials:
    """Kill one write many times, each time on a fresh copy of the same dataset."""

    def __init__(self, tmp: Path, template: Path, args: list[str]) -> None:
        self.tmp = tmp
        self.template = template
        self.args = args  # "{db}" stands for the copy's folder
        self.before = state(template)
        self.outcomes: Counter[str] = Counter()
        self.count = 0
        self.writer = Writer(tmp)
        reference = self.copy()
        code, self.passed = self.writer.write(self.on(reference))
        assert code == 0, self.writer.errors()
        # Random kills fall between the start and a little after the last point: where
        # the writing is (what comes after it, tokens kept for the export, writes none)
        self.window = max(self.passed.values()) * 1.2
        self.after = state(reference)
        assert self.after != self.before and not leftovers(reference)

    def copy(self) -> Path:
        self.count += 1
        folder = self.tmp / f"run-{self.count}"
        shutil.copytree(self.template, folder, symlinks=True)
        return folder

    def on(self, folder: Path) -> list[str]:
        return [a.replace("{db}", str(folder)) for a in self.args]

    def at_random(self, delay: float) -> None:
        folder = self.copy()
        self.writer.kill_after(self.on(folder), delay)
        self.outcomes[settle(folder, self.before, self.after)] += 1
        shutil.rmtree(folder)

    def at_point(self, point: str) -> None:
        folder = self.copy()
        reached = self.writer.kill_at(self.on(folder), point)
        outcome = settle(folder, self.before, self.after)
        self.outcomes[f"{outcome} ({point})" if reached else f"{outcome} ({point} unused)"] \
            += 1
        shutil.rmtree(folder)

    def close(self) -> None:
        self.writer.close()
