"""Gloss in a real terminal: tmux runs `gloss read`, we type as an analyst would, and the
export then holds the span. The screen is polled with capture-pane, never slept on."""

import shutil
import sys

import orjson
import pytest

from tests.conftest import gloss
from tests.e2e.terminal import Terminal

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]

ARTICLE = ("Envoys meet in Riyadh\n\n"
           "U.S. envoy Steve Witkoff said talks with Moscow would resume in Riyadh on Monday.\n")


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
        terminal.wait_for("saved ACTOR “Steve Witkoff”", "ACTOR", "alice")
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


def test_a_closed_terminal_leaves_no_tmux_socket(tmp_path):
    terminal = Terminal(["sh", "-c", "echo ready; sleep 60"], tmp_path)
    try:
        terminal.wait_for("ready")
        assert terminal.socket.exists()
    finally:
        terminal.close()
    assert not terminal.folder.exists()


def test_label_then_ctrl_g_shows_the_span_in_the_stats(tmp_path):
    """In a real terminal: a label, then the stats (ctrl+g) with it in their numbers and
    plots; escape goes back to the reader."""
    (tmp_path / "riyadh.txt").write_text(ARTICLE, encoding="utf-8")
    terminal = Terminal([sys.executable, "-m", "tui", "read", "riyadh.txt", "--db", "db"],
                        tmp_path, width=120, height=40)
    try:
        terminal.wait_for("nothing to save yet")
        terminal.send("/")
        terminal.wait_for("enter: find")
        terminal.send("Riyadh", literal=True)
        terminal.send("Enter")
        terminal.wait_for("sel ")
        terminal.send("3")
        terminal.wait_for("saved LOCATION “Riyadh”")
        terminal.send("C-g")
        screen = terminal.wait_for("LOCATION: 1 (100.0 %)")
        assert "Stats · db · 1 articles · 1 spans" in screen
        assert "Articles per analyst" in screen and "alice: 0 done (0.0 %)" in screen
        terminal.send("Escape")
        terminal.wait_for("saved LOCATION “Riyadh”")
        terminal.send("q")
        terminal.wait_until_closed()
    finally:
        terminal.close()
