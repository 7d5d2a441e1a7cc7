"""``gloss claims``' table on a terminal through a pager, as ``git log`` is.

A hundred thousand articles hold a million claims: printed straight, they scroll past in
seconds and the terminal keeps the last few thousand lines of them. Through ``less`` the
first screen is there as soon as it is drawn, the analyst pages, searches (``/``) and
quits (``q``) when done, and the rows not yet drawn are never made: the command ends
quietly on the closed pipe. The pager is ``$GLOSS_PAGER``, else ``$PAGER``, else ``less``;
an empty one or ``cat`` means none, as ``--no-pager`` does, and so does one not found.
``less`` is given ``LESS=FRX`` when ``$LESS`` is not set, as git gives it: a table that
fits one screen is printed as it would be without a pager (``F``), its colours pass
(``R``) and the screen is left as it was (``X``).

The table is drawn for the terminal, not for the pipe: its width, height and colours are
read from the terminal before the command's standard output becomes the pager's pipe.
Ctrl-C stops the drawing and leaves the pager open on what it has, as git does; the
command ends when the pager does.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

Colours = Literal["standard", "256", "truecolor", "windows"] | None

DEFAULT = "less"
NAMES = ("GLOSS_PAGER", "PAGER")
LESS = {"LESS": "FRX", "LV": "-c"}  # git's, for the pager's environment when unset


@dataclass(frozen=True, slots=True)
class Terminal:
    """What the table is drawn for: the terminal's size and Rich's colour system there."""

    width: int
    height: int
    colours: Colours


def this_terminal() -> Terminal:
    """The terminal standard output is now, as Rich sees it (its size, its colours)."""
    from rich.console import Console

    console = Console()
    known: dict[str | None, Colours] = {"standard": "standard", "256": "256",
                                        "truecolor": "truecolor", "windows": "windows"}
    return Terminal(console.width, console.height, known.get(console.color_system))


def pager_command() -> list[str] | None:
    """The pager's command and arguments; None for no pager (empty, ``cat``, not found,
    or quoted as no shell would read it). One that needs a shell (``$HOME/bin/p``,
    ``LESS=-S less``, a pipe) is run by ``sh -c``, as git runs it."""
    value = next((os.environ[name] for name in NAMES if name in os.environ), DEFAULT)
    if SHELL.search(value):
        return ["sh", "-c", value]
    try:
        words = shlex.split(value)
    except ValueError:
        return None
    if not words or words == ["cat"] or shutil.which(words[0]) is None:
        return None
    return words


SHELL = re.compile(r"[$~|&;<>()`*?\[\]{}=\n]")  # what only a shell reads


@contextlib.contextmanager
def paged(terminal: Terminal) -> Iterator[Terminal]:
    """Standard output into the pager while the body runs, then the pager waited for.

    Without a pager to run, the body writes to the terminal as it is. A pipe the pager
    closed (``q`` before the end) ends the body quietly."""
    command = pager_command()
    if command is None:
        yield terminal
        return
    sys.stdout.flush()
    terminal_fd = os.dup(sys.stdout.fileno())
    try:
        pager = subprocess.Popen(command, stdin=subprocess.PIPE,
                                 env={**LESS, **os.environ})
    except OSError:  # could not run it after all: straight to the terminal
        os.close(terminal_fd)
        yield terminal
        return
    try:  # from here on, whatever happens (Ctrl-C too), the pager is waited for
        assert pager.stdin is not None
        os.dup2(pager.stdin.fileno(), sys.stdout.fileno())
        pager.stdin.close()  # standard output is now its one write end here
        yield terminal
        sys.stdout.flush()
    except OSError as exc:
        if exc.errno != errno.EPIPE:
            raise
    finally:
        _back(terminal_fd, pager)


def _back(terminal_fd: int, pager: subprocess.Popen[bytes]) -> None:
    """Standard output back on the terminal (the pager sees the end of its input), and
    the pager waited for, Ctrl-C meanwhile left to it."""
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    with contextlib.suppress(OSError):  # what is left unwritten goes nowhere
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
        with contextlib.suppress(OSError, ValueError):
            sys.stdout.flush()
    os.dup2(terminal_fd, sys.stdout.fileno())
    os.close(terminal_fd)
    if pager.stdin is not None and not pager.stdin.closed:  # stopped before it was ours
        pager.stdin.close()
    try:
        pager.wait()
    finally:
        signal.signal(signal.SIGINT, previous)
