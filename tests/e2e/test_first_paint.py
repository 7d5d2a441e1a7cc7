"""The first paint in a real terminal: `gloss read` of a stored article draws its first lines
before Textual is up, and the reader's own frame then shows the same cells. The child holds
between the paint and the rest of the command (a FIFO the test opens), so the paint is seen
on its own, whatever the machine's load; the screen is polled, never slept on."""

from __future__ import annotations

import os
import shutil
import sys
import termios
from pathlib import Path

import pytest

from tests.conftest import gloss
from tests.e2e.terminal import Terminal, text_of, wait_cells

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]

# `gloss ARGS` cut in two at the paint: the test lets the rest run by opening the FIFO
CHILD = """
import sys
from tui import first_paint
fifo, told, args = sys.argv[1], sys.argv[2], sys.argv[3:]
painted = first_paint.paint(args)
with open(told, "w") as out:
    out.write(str(painted))
with open(fifo) as hold:
    hold.read()
sys.argv = ["gloss", *args]
from tui.start import main
main()
"""

# No word that suggests a span (a claim's cue, a place): the reader's later frames, with
# suggestions drawn, would differ from its first
PLAIN = ("Lorem ipsum dolor\n\n" + "Lorem ipsum dolor sit amet, consectetur adipiscing"
         " elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua. " * 6
         + "\n\n" + "Ut enim ad minim veniam, quis nostrud.\n") * 4
HOSTILE = ("Controls in the text\n\nRED \x1b[31mred\x1b[0m and a title \x1b]0;pwned\x07 and"
           " a\ttab, all drawn as placeholders, never obeyed by the terminal.\n")


def stored(folder: Path, text: str, name: str = "article.txt") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    done = gloss("import", "--db", folder / "db", path)
    assert done.returncode == 0, done.stderr
    return path


def start(folder: Path, path: Path, width: int, height: int, shell_tail: str = "",
          environment: str = "") -> Terminal:
    os.mkfifo(folder / "hold")
    command = environment + " ".join([sys.executable, "-c", repr_shell(CHILD), str(folder / "hold"),
                        str(folder / "told"), "read", "--db", "db", path.name])
    # after gloss, `stty -a` shows the mode it left the terminal in
    return Terminal(["sh", "-c", f"{command}{shell_tail}; stty -a; sleep 60"], folder,
                    width, height)


def repr_shell(text: str) -> str:
    return "'" + text.replace("'", "'\\''") + "'"


def release(folder: Path) -> None:
    with open(folder / "hold", "w"):
        pass


def painted_whole(height: int):
    return lambda rows: len(rows) > height - 4 and text_of(rows[height - 4]).startswith("╰")


def seen(cell):
    """A cell as the eye sees it: a blank's foreground, bold or italics show nothing."""
    char, _fg, bg, attributes = cell
    if char == " " and not attributes & {"reverse", "underline", "strike"}:
        return " ", None, bg
    return cell


def pane_cells(rows, height: int) -> dict[tuple[int, int], object]:
    """The cells of the pane (border, heading, text), without the span list's contents and
    the scrollbar's thumb, which the reader fills in after its first frame."""
    out = {}
    for r in range(height - 3):
        row = rows[r]
        rule = text_of(row).find("▏")
        for c, cell in enumerate(row):
            if rule > 0 and (rule < c < len(row) - 1 or c == rule - 2):
                continue
            out[r, c] = seen(cell)
    return out


def tty_mode(terminal: Terminal) -> list:
    tty = terminal.tmux(["display-message", "-p", "-t", terminal.name, "#{pane_tty}"]
                        ).stdout.strip()
    fd = os.open(tty, os.O_RDWR | os.O_NOCTTY)
    try:
        return termios.tcgetattr(fd)
    finally:
        os.close(fd)


def test_the_first_lines_show_before_the_reader_which_then_draws_the_same_cells(tmp_path):
    path = stored(tmp_path, PLAIN)
    width, height = 100, 30
    terminal = start(tmp_path, path, width, height)
    try:
        paint = wait_cells(terminal, painted_whole(height))
        assert (tmp_path / "told").read_text() == "True"
        shown = [text_of(row) for row in paint]
        assert shown[1].startswith("│ article.txt · ")
        assert shown[2].startswith("│ Lorem ipsum dolor ")
        assert shown[4].startswith("│ Lorem ipsum dolor sit amet, consectetur adipiscing")
        assert not any("reverse" in cell[3] for row in paint for cell in row)  # no caret yet
        # keys typed now wait, unechoed, for the reader
        assert not tty_mode(terminal)[3] & termios.ECHO
        terminal.send("Right")
        release(tmp_path)
        frame = wait_cells(terminal, lambda rows: "at 1 of" in text_of(rows[height - 2]))
        before, after = pane_cells(paint, height), pane_cells(frame, height)
        # only the caret differs: the reader's, one character on (the Right key acted)
        assert after[2, 3][3] == {"reverse"}
        assert {at for at in before if before[at] != after.get(at)} == {(2, 3)}
        terminal.send("q")
        screen = terminal.wait_for("icanon")
        assert " -echo " not in screen and " -icanon " not in screen  # as it was before
    finally:
        terminal.close()


def test_terminal_controls_in_the_text_are_painted_as_the_reader_draws_them(tmp_path):
    path = stored(tmp_path, HOSTILE)
    width, height = 80, 24
    # in 24-bit colour here (the other tests: 256 colours): the colours compared too
    terminal = start(tmp_path, path, width, height, environment="COLORTERM=truecolor ")
    try:
        paint = wait_cells(terminal, painted_whole(height))
        line = text_of(paint[4])
        assert "│ RED ␛[31mred␛[0m and a title ␛]0;pwned␇ and " in line
        assert text_of(paint[5]).startswith("│ a→tab, all drawn as placeholders")
        title = terminal.tmux(["display-message", "-p", "-t", terminal.name,
                               "#{pane_title}"]).stdout
        assert "pwned" not in title
        release(tmp_path)
        frame = wait_cells(terminal, lambda rows: "at 0 of" in text_of(rows[height - 2]))
        before, after = pane_cells(paint, height), pane_cells(frame, height)
        assert {at for at in before if before[at] != after.get(at)} == {(2, 2)}  # the caret
        placeholder = paint[4][line.index("␛")]
        assert "bold" in placeholder[3] and placeholder[1] == "2;255;95;135"
    finally:
        terminal.close()


def test_no_first_paint_when_stdout_is_a_pipe(tmp_path):
    path = stored(tmp_path, PLAIN)
    terminal = start(tmp_path, path, 100, 30, shell_tail=" | cat")
    try:
        told = tmp_path / "told"
        wait_cells(terminal, lambda rows: told.exists() and told.read_text() != "")
        assert told.read_text() == "False"
        assert "Lorem" not in terminal.screen()
        release(tmp_path)
        terminal.wait_for("nothing to save yet")  # the reader still starts, on stderr
        terminal.send("q")
        terminal.wait_for("icanon")
    finally:
        terminal.close()


def test_no_first_paint_in_a_terminal_too_small_to_foresee(tmp_path):
    path = stored(tmp_path, PLAIN)
    terminal = start(tmp_path, path, 30, 8)
    try:
        told = tmp_path / "told"
        wait_cells(terminal, lambda rows: told.exists() and told.read_text() != "")
        assert told.read_text() == "False"
    finally:
        terminal.close()


def test_a_command_that_fails_after_the_paint_says_so_on_the_terminals_own_screen(tmp_path):
    path = stored(tmp_path, PLAIN)
    (tmp_path / "keys.toml").write_text("this is [[ not TOML\n", encoding="utf-8")
    terminal = start(tmp_path, path, 100, 30, environment="GLOSS_KEYMAP=keys.toml ")
    try:
        wait_cells(terminal, painted_whole(30))
        release(tmp_path)
        screen = terminal.wait_for("icanon")
        assert "gloss: " in screen and "keys.toml" in screen  # the error, left on screen
        assert "Lorem" not in screen  # the paint went with the alternate screen
        assert " -echo " not in screen and " -icanon " not in screen
    finally:
        terminal.close()
