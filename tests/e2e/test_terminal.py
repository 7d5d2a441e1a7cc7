"""Gloss in a real terminal: tmux runs `gloss read`, we type as an analyst would, and the
export then holds the span. The screen is polled with capture-pane, never slept on."""

import os
import shutil
import subprocess
import sys
import time
import uuid

import orjson
import pytest

from tests.conftest import gloss

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]

ARTICLE = ("Envoys meet in Riyadh\n\n"
           "U.S. envoy Steve Witkoff said talks with Moscow would resume in Riyadh on Monday.\n")


class Terminal:
    """A tmux server of our own (no user config, no inherited environment) and one pane."""

    def __init__(self, command: list[str], cwd, width: int = 110, height: int = 30) -> None:
        self.name = f"gloss-e2e-{uuid.uuid4().hex[:8]}"
        self.tmux(["new-session", "-d", "-s", self.name, "-x", str(width), "-y", str(height),
                   "-c", str(cwd), "-e", "GLOSS_ANNOTATOR=alice", "-e", "TERM=xterm-256color",
                   *command], check=True)

    def tmux(self, args: list[str], check: bool = False) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["tmux", "-L", self.name, "-f", os.devnull, *args],
                              capture_output=True, text=True, check=check)

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


def test_search_label_quit_then_export_holds_the_span(tmp_path):
    (tmp_path / "riyadh.txt").write_text(ARTICLE, encoding="utf-8")
    terminal = Terminal([sys.executable, "-m", "tui", "read", "riyadh.txt", "--db", "db"],
                        tmp_path)
    try:
        terminal.wait_for("Steve Witkoff said")
        terminal.wait_for("nothing to save yet")
        terminal.send("/")
        terminal.wait_for("enter: find")
        terminal.send("Steve Witkoff", literal=True)
        terminal.send("Enter")
        terminal.wait_for("sel ")
        terminal.send("1")
        screen = terminal.wait_for("saved ACTOR “Steve Witkoff”")
        assert "ACTOR" in screen and "alice" in screen
        terminal.send("q")
        terminal.wait_until_closed()
    finally:
        terminal.close()
    result = gloss("export", "--db", tmp_path / "db")
    assert result.returncode == 0, result.stderr
    [line] = [orjson.loads(x) for x in result.stdout.splitlines()]
    start = ARTICLE.index("Steve Witkoff")
    assert line["text"] == ARTICLE
    assert [(s["start"], s["end"], s["label"], s["annotator"]) for s in line["spans"]] == [
        (start, start + len("Steve Witkoff"), "ACTOR", "alice")]
    assert line["tokens"][line["spans"][0]["token_start"]]["text"] == "Steve"
    assert line["tokens"][line["spans"][0]["token_end"]]["text"] == "Witkoff"
