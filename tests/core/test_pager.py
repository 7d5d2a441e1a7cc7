"""The pager of ``gloss claims``' table (``tui/pager.py``): which one runs, what it is given,
and that standard output is the terminal's again after it, whatever ended the drawing."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from tui import pager

TERMINAL = pager.Terminal(100, 30, "256")


def keeper(tmp_path: Path) -> tuple[str, Path]:
    """A pager that keeps what it is given (and its LESS) in a file: its command, the file."""
    script = tmp_path / "keep.py"
    kept = tmp_path / "kept"
    script.write_text("import os, sys\n"
                      f"data = sys.stdin.buffer.read()\nopen({str(kept)!r}, 'wb').write("
                      "os.environ.get('LESS', '-').encode() + b'|' + data)\n")
    return f"{sys.executable} {script}", kept


@pytest.mark.parametrize(("environ", "expected"), [
    ({}, ["less"]),
    ({"PAGER": "more"}, ["more"]),
    ({"PAGER": "more", "GLOSS_PAGER": "less -S"}, ["less", "-S"]),
    ({"PAGER": "less", "GLOSS_PAGER": ""}, None),  # set empty: none, as git reads it
    ({"PAGER": "cat"}, None),
    ({"PAGER": "no-such-pager-here --x"}, None),
    ({"PAGER": "less 'unclosed"}, None),
    ({"PAGER": "LESS=-S less"}, ["sh", "-c", "LESS=-S less"]),  # git runs these by sh
    ({"GLOSS_PAGER": "$HOME/bin/pager | tr a b"}, ["sh", "-c", "$HOME/bin/pager | tr a b"]),
])
def test_the_pager_is_gloss_pager_else_pager_else_less(
        monkeypatch: pytest.MonkeyPatch, environ: dict[str, str],
        expected: list[str] | None) -> None:
    monkeypatch.delenv("PAGER", raising=False)
    monkeypatch.delenv("GLOSS_PAGER", raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    if expected is not None and pager.shutil.which(expected[0]) is None:  # less, sh
        pytest.skip(f"{expected[0]} is not installed")
    assert pager.pager_command() == expected


def test_what_is_drawn_goes_to_the_pager_and_stdout_comes_back(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    command, kept = keeper(tmp_path)
    monkeypatch.setenv("GLOSS_PAGER", command)
    monkeypatch.delenv("LESS", raising=False)
    before = os.fstat(sys.stdout.fileno())
    with pager.paged(TERMINAL) as terminal:
        assert terminal == TERMINAL
        sys.stdout.write("a table\n")
        os.write(sys.stdout.fileno(), b"rows from a second process\n")
    assert kept.read_bytes() == b"FRX|a table\nrows from a second process\n"
    now = os.fstat(sys.stdout.fileno())
    assert (now.st_dev, now.st_ino) == (before.st_dev, before.st_ino)


def test_the_analysts_less_settings_are_kept(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    command, kept = keeper(tmp_path)
    monkeypatch.setenv("GLOSS_PAGER", command)
    monkeypatch.setenv("LESS", "-iS")
    with pager.paged(TERMINAL):
        sys.stdout.write("x\n")
    assert kept.read_bytes() == b"-iS|x\n"


def test_a_pager_that_quits_early_ends_the_drawing_quietly(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GLOSS_PAGER", f"{sys.executable} -c \"import sys; sys.stdin.read(1)\"")
    written = 0
    with pager.paged(TERMINAL):
        for _ in range(10_000):  # far more than a pipe holds: the write that fails ends it
            sys.stdout.write("x" * 1000 + "\n")
            written += 1
        pytest.fail("the closed pipe was never met")
    assert 0 < written < 10_000
    sys.stdout.write("")  # standard output usable again
    sys.stdout.flush()


def test_ctrl_c_leaves_the_pager_its_rows_then_is_raised(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    command, kept = keeper(tmp_path)
    monkeypatch.setenv("GLOSS_PAGER", command)
    with pytest.raises(KeyboardInterrupt), pager.paged(TERMINAL):
        sys.stdout.write("drawn before\n")
        sys.stdout.flush()
        raise KeyboardInterrupt
    assert kept.read_bytes() == b"FRX|drawn before\n"  # waited for: its file written


def test_without_a_pager_the_body_writes_to_stdout_as_it_is(
        monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("GLOSS_PAGER", "cat")
    with pager.paged(TERMINAL):
        sys.stdout.write("straight\n")
    sys.stdout.flush()
    assert capfd.readouterr().out == "straight\n"
