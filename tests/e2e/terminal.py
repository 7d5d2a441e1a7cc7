"""A real terminal for the end-to-end tests: tmux, polled with capture-pane, never slept on."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

# pytest sets COLUMNS and LINES (80 x 24) for its own output; a program in the pane would
# take them over the pane's real size.
ENVIRONMENT = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES")}


class Terminal:
    """A tmux server of our own (no user config, no inherited environment) and one pane,
    on a socket in a folder of its own that :meth:`close` removes: no test leaves a tmux
    socket behind."""

    def __init__(self, command: list[str], cwd, width: int = 110, height: int = 30) -> None:
        self.name = f"gloss-e2e-{uuid.uuid4().hex[:8]}"
        self.folder = Path(tempfile.mkdtemp(prefix="gloss-tmux-"))
        self.socket = self.folder / "socket"
        self.tmux(["new-session", "-d", "-s", self.name, "-x", str(width), "-y", str(height),
                   "-c", str(cwd), "-e", "GLOSS_ANNOTATOR=alice", "-e", "TERM=xterm-256color",
                   *command], check=True)

    def tmux(self, args: list[str], check: bool = False) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["tmux", "-S", str(self.socket), "-f", os.devnull, *args],
                              capture_output=True, text=True, check=check, env=ENVIRONMENT)

    def screen(self) -> str:
        return self.tmux(["capture-pane", "-p", "-t", self.name]).stdout

    def alive(self) -> bool:
        return self.tmux(["has-session", "-t", self.name]).returncode == 0

    def wait_for(self, *texts: str, timeout: float = 30.0) -> str:
        """The screen once every one of `texts` is on it at the same time: a status line
        and the panel it describes are painted in separate frames, so waiting on one and
        asserting the other races."""
        return self.wait_until(lambda screen: all(text in screen for text in texts),
                               " and ".join(map(repr, texts)) + " never appeared", timeout)

    def wait_until(self, holds: Callable[[str], bool], failure: str, timeout: float = 30.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen()
            if holds(screen):
                return screen
            time.sleep(0.05)
        raise AssertionError(f"{failure}; the screen was:\n{self.screen()}")

    def wait_until_closed(self, timeout: float = 30.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.alive():
                return
            time.sleep(0.05)
        raise AssertionError(f"gloss did not quit; the screen was:\n{self.screen()}")

    def send(self, *keys: str, literal: bool = False) -> None:
        self.tmux(["send-keys", "-t", self.name, *(["-l"] if literal else []), *keys],
                  check=True)

    def close(self) -> None:
        self.tmux(["kill-server"])
        shutil.rmtree(self.folder, ignore_errors=True)


SGR = re.compile(r"\x1b\[([0-9;:]*)m")


def cells(ansi: str) -> list[list[tuple[str, str, str, frozenset[str]]]]:
    """``capture-pane -e`` output as rows of cells: (character, foreground, background,
    attributes such as "bold"), the SGR state carried across rows as tmux writes it."""
    fg = bg = "default"
    attributes: set[str] = set()
    names = {"1": "bold", "3": "italic", "4": "underline", "7": "reverse", "9": "strike"}
    rows = []
    for line in ansi.split("\n"):
        row, at = [], 0
        for match in [*SGR.finditer(line), None]:
            end = match.start() if match else len(line)
            row += [(char, fg, bg, frozenset(attributes)) for char in line[at:end]]
            if match is None:
                break
            at = match.end()
            codes = re.split("[;:]", match.group(1) or "0")
            i = 0
            while i < len(codes):
                code = codes[i]
                if code in ("", "0"):
                    fg = bg = "default"
                    attributes.clear()
                elif code in names:
                    attributes.add(names[code])
                elif code in ("22", "23", "24", "27", "29"):
                    attributes.discard({"22": "bold", "23": "italic", "24": "underline",
                                        "27": "reverse", "29": "strike"}[code])
                elif code in ("39", "49"):
                    fg, bg = ("default", bg) if code == "39" else (fg, "default")
                elif code in ("38", "48"):
                    size = 3 if codes[i + 1] == "5" else 5
                    value = ";".join(codes[i + 1:i + size])
                    fg, bg = (value, bg) if code == "38" else (fg, value)
                    i += size - 1
                i += 1
        rows.append(row)
    return rows


Cells = list[list[tuple[str, str, str, frozenset[str]]]]


def screen_cells(terminal: Terminal) -> Cells:
    """The pane's cells as they are now (``capture-pane -e``, read by :func:`cells`)."""
    return cells(terminal.tmux(["capture-pane", "-p", "-e", "-t", terminal.name]).stdout)


def wait_cells(terminal: Terminal, done: Callable[[Cells], bool],
               failure: str = "never shown", timeout: float = 60.0) -> Cells:
    """Poll the screen's cells until ``done(rows)``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        rows = screen_cells(terminal)
        if done(rows):
            return rows
        time.sleep(0.02)
    raise AssertionError(f"{failure}; the screen was:\n" + terminal.screen())


def text_of(row: list[tuple[str, str, str, frozenset[str]]]) -> str:
    return "".join(cell[0] for cell in row)
