"""A real terminal for the end-to-end tests: tmux, polled with capture-pane, never slept on."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
import time
import uuid
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

    def wait_for(self, text: str, timeout: float = 30.0) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.05)
        raise AssertionError(f"{text!r} never appeared; the screen was:\n{self.screen()}")

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
