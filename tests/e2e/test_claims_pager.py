"""``gloss claims`` on a real terminal (tmux): a table longer than the screen opens in the
pager on its first screen, ``G`` reaches its end, ``q`` ends the command with status 0; a
table that fits is printed as without a pager; ``--no-pager`` and a pager of ``cat`` print
it straight; a pager that stops reading ends the command quietly, no process left. The
screen is polled, never slept on."""

from __future__ import annotations

import os
import shlex
import shutil
import sys
from pathlib import Path

import pytest

from tests.core.test_claims_table_in_two import make
from tests.e2e.terminal import Terminal, cells

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
    pytest.mark.skipif(shutil.which("less") is None, reason="less is not installed"),
]

ROOT = Path(__file__).resolve().parents[2]
WIDTH, HEIGHT = 100, 30


@pytest.fixture(scope="module")
def long_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("long") / "db"
    make(folder, 40, 12)  # 480 claims: pages of them
    return folder


def claims(tmp_path: Path, db: Path, *args: str, pager: str | None = None,
           two: bool = False) -> Terminal:
    """``gloss claims`` in a pane of its own, then its status said and the pane kept; no
    pager setting of the machine's but ``pager`` (as GLOSS_PAGER); ``two``: the rows on
    two processes from any count."""
    settings = "env -u PAGER -u GLOSS_PAGER -u LESS" + (
        f" GLOSS_PAGER={shlex.quote(pager)}" if pager is not None else "")
    start = "-c " + shlex.quote("import tui.claims_table_rest as r; r.TWO_FROM, r.PIECE ="
                                " 1, 20; from tui.start import main; main()") if two \
        else "-m tui"
    # the shell lives past a Ctrl-C to say the status, as an interactive one would (a
    # handler, not an ignored signal: an ignored one would be the command's too)
    line = (f"trap : INT; {settings} PYTHONPATH={shlex.quote(str(ROOT))}"
            f" {shlex.quote(sys.executable)} {start} claims --db {shlex.quote(str(db))}"
            f" {' '.join(args)};"
            " echo ended $?; exec sleep 600")
    return Terminal(["sh", "-c", line], tmp_path, WIDTH, HEIGHT)


def last_line(screen: str) -> str:
    lines = screen.rstrip("\n").split("\n")
    return lines[-1] if lines else ""


def test_a_long_table_opens_on_its_first_screen_and_q_ends_it(tmp_path: Path,
                                                               long_db: Path) -> None:
    terminal = claims(tmp_path, long_db)
    try:
        screen = terminal.wait_until(lambda s: last_line(s).startswith(":"),
                                     "the pager's prompt never showed")
        assert "480 claims" in screen and "source" in screen and "ended" not in screen
        rows = cells(terminal.tmux(["capture-pane", "-p", "-e", "-t", terminal.name]).stdout)
        assert any("bold" in cell[3] for row in rows for cell in row)  # its colours passed
        lines = screen.rstrip("\n").split("\n")
        assert len(lines) == HEIGHT and len(lines[1]) == WIDTH  # drawn for the terminal
        assert lines[1].startswith("┏") and lines[1].endswith("┓")
        terminal.send("G")  # the table's end: its bottom edge
        terminal.wait_for("└")
        terminal.send("q")
        terminal.wait_for("ended 0")
    finally:
        terminal.close()


def test_a_table_that_fits_one_screen_is_printed_as_without_a_pager(tmp_path: Path) -> None:
    db = tmp_path / "short"
    make(db, 2, 2)
    paged = claims(tmp_path, db)
    straight = claims(tmp_path, db, "--no-pager")
    try:
        shown = paged.wait_for("ended 0")
        assert "4 claims" in shown and "└" in shown
        assert shown == straight.wait_for("ended 0")
    finally:
        paged.close()
        straight.close()


@pytest.mark.parametrize(("args", "pager"), [(("--no-pager",), None), ((), "cat"), ((), "")])
def test_no_pager_prints_the_whole_table_straight(tmp_path: Path, long_db: Path,
                                                 args: tuple[str, ...],
                                                 pager: str | None) -> None:
    terminal = claims(tmp_path, long_db, *args, pager=pager)
    try:
        screen = terminal.wait_for("ended 0")  # no key pressed
        assert "└" in screen
    finally:
        terminal.close()


def test_a_pager_that_stops_reading_ends_the_command_quietly(tmp_path: Path,
                                                             long_db: Path) -> None:
    terminal = claims(tmp_path, long_db, pager="head -n 3", two=True)
    try:
        screen = terminal.wait_for("ended 0")
        assert "gloss:" not in screen and "Error" not in screen
        assert "480 claims" in screen
        assert not [pid for pid in os.listdir("/proc") if pid.isdigit() and  # none left
                    b"claims\0--db\0" + str(long_db).encode() in _cmdline(pid)]
    finally:
        terminal.close()


def _cmdline(pid: str) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return b""


def test_ctrl_c_stops_the_drawing_and_leaves_the_pager_until_q(tmp_path: Path) -> None:
    db = tmp_path / "many"
    make(db, 60, 60)  # 3,600 claims: far more than the pipe holds, so the drawing waits
    terminal = claims(tmp_path, db)
    try:
        terminal.wait_until(lambda s: last_line(s).startswith(":"),
                            "the pager's prompt never showed")
        terminal.send("C-c")
        terminal.send("G")  # the pager still answers: to the end of what it was given
        screen = terminal.wait_for("│")
        assert "ended" not in screen
        terminal.send("q")
        screen = terminal.wait_for("ended 130")
        assert "Traceback" not in screen and "gloss:" not in screen
    finally:
        terminal.close()
