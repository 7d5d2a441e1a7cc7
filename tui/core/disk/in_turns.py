"""Output made on two processes in a fixed order: pieces (a batch of articles, a range of
the claims' print order, a block of one article's tokens) made by this process and by a
second one forked beside it (``second_process.Helper``), each written whole in its turn
through the one output both hold. The turn is passed on the helper's two pipes; a piece
is held (up to :data:`HELD` bytes) until its turn, then written through.

``in_turns`` runs the whole exchange for pieces that need nothing said back but that they
are written; the export (``tui/formats/in_two.py``) and one article's tokens
(``tui/formats/tokens_in_two.py``) drive the same :class:`Sink` and turns with more said
on the pipe. A helper gone before its piece is said as the command's error, never as an
error of the output.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from typing import IO, Any

import orjson

from tui.core.disk.files import write_all
from tui.core.disk.second_process import Helper, may_fork
from tui.core.document.model import GlossError

HELD = 64 << 20  # bytes of a piece held before its turn, at most
Said = dict[str, Any]  # what the helper said of a piece
Piece = Callable[[int, IO[bytes]], None]  # makes piece n into the output


def two_cores(out: IO[bytes]) -> bool:
    """Whether a second process may write into ``out`` beside this one: one may be forked
    here (``second_process.may_fork``: the main thread of the command, two cores) and the
    output has a descriptor (both write through it)."""
    # Whatever runs at this moment (``core_free_now`` left off): an export lasts seconds to
    # minutes, long past the moment's count, and that rule refuses as soon as one other
    # process runs, where two are not measured to lose. Under a load of 4 to 7 on two
    # cores (20,000 articles, 8 runs each in turns) one process did as well: 35 s of wall
    # against 42 (medians; 26 to 48 s in all), 17.3 s of processor against 18.8.
    if not may_fork():
        return False
    try:
        out.fileno()
    except (OSError, ValueError, AttributeError):
        return False
    return True


def ended(who: str, what: str) -> str:
    """What is said when the second process ended before its share was written."""
    return f"{who}: its second process ended before its {what} were written"


def go(tell: int, who: str, what: str) -> None:
    """Pass the turn to the helper (gone: said as it is, never as the output's error)."""
    try:
        os.write(tell, b"g")
    except BrokenPipeError:
        raise GlossError(ended(who, what)) from None


def answer(heard: IO[bytes], who: str, what: str) -> Said:
    """The helper's next answer; its failure raised as it said it (an error of the output
    as that ``OSError``, for the same message as this process's own)."""
    line = heard.readline()
    if not line:
        raise GlossError(ended(who, what))
    said: Said = orjson.loads(line)
    if "error" in said:
        code, message = said["error"]
        if code is not None:
            raise OSError(code, message)
        raise GlossError(f"{who}: its second process failed ({message})")
    return said


def say(answers: int, said: Said) -> None:
    """One answer on the helper's pipe."""
    write_all(answers, orjson.dumps(said) + b"\n")


class Sink:
    """What a piece is written into: held until its turn (or until :data:`HELD` bytes),
    then written through the output's descriptor."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.held: list[bytes] = []
        self.size = 0
        self.through = False
        self.turn: Callable[[], None] = lambda: None

    def write(self, data: bytes) -> int:
        if self.through:
            write_all(self.fd, data)
        else:
            self.held.append(data)
            self.size += len(data)
            if self.size > HELD:
                self.flush()
        return len(data)

    def flush(self) -> None:
        """Wait for the turn, write what is held, and everything after it as it comes."""
        if not self.through:
            self.turn()
            self.through = True
        for part in self.held:
            write_all(self.fd, part)
        self.held.clear()
        self.size = 0

    def start(self, turn: Callable[[], None]) -> None:
        """A new piece, written in its ``turn``."""
        self.through = False
        self.turn = turn


def in_turns(pieces: int, out: IO[bytes], mine: Piece, start: Callable[[], Piece],
             who: str, what: str) -> None:
    """Write ``pieces`` pieces into ``out`` in their order: the even ones by ``mine``, the
    odd ones by the piece maker ``start`` returns in a process forked here (``two_cores``
    says when that may be); ``who`` (the command) and ``what`` (what it writes) name
    them in what it says of the helper. The helper first makes what it works with
    (``start``: its own connection to the index, say); when it cannot, it says so and
    this process makes every piece itself."""
    if pieces < 2:
        for piece in range(pieces):
            mine(piece, out)
        return
    out.flush()
    fd = out.fileno()
    helper = Helper(lambda heard, tell: _help(pieces, fd, start, heard, tell))
    helped = False

    def helpers() -> None:
        """The helper's piece before this one: written."""
        answer(helper.heard, who, what)

    try:
        sink = Sink(fd)
        for piece in range(pieces):
            if helped and piece % 2:
                continue
            sink.start(helpers if helped else _mine)
            mine(piece, sink)
            sink.flush()
            if piece == 0:  # the helper has made its start meanwhile, or could not
                helped = bool(answer(helper.heard, who, what)["ready"])
            if helped and piece + 1 < pieces:
                go(helper.tell, who, what)  # the helper's turn
        if helped and pieces % 2 == 0:  # the last piece is the helper's
            helpers()
        helper.done()
    finally:
        helper.close()  # a helper that made no start waits for its turn: it ends


def _mine() -> None:
    """The turn of a piece that follows one of this process's own: it has it."""


def _help(pieces: int, fd: int, start: Callable[[], Piece], heard: int, answers: int
          ) -> None:
    """The helper's whole life: its start, said; its pieces, each in its turn; any failure
    said on its pipe (an error of the output as its errno, for the same message)."""

    def turn() -> None:
        if os.read(heard, 1) != b"g":  # the first process stopped
            os._exit(0)

    try:
        make = start()
    except Exception:  # whatever it is, the first process makes every piece
        make = None
    with contextlib.suppress(OSError):
        say(answers, {"ready": make is not None})
    if make is None:
        os._exit(0)
    sink = Sink(fd)
    try:
        for piece in range(1, pieces, 2):
            sink.start(turn)
            make(piece, sink)
            sink.flush()
            say(answers, {"written": piece})
    except OSError as exc:
        said: Said = {"error": [exc.errno, exc.strerror or str(exc)]}
    except BaseException as exc:  # said by the first process, which stops
        said = {"error": [None, f"{type(exc).__name__}: {exc}"]}
    else:
        os._exit(0)
    with contextlib.suppress(OSError):
        say(answers, said)
    os._exit(0)
