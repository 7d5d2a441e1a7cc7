"""The tokens of one long article made on two processes, so that its export uses both cores
of a small machine: the bytes are those :func:`~tui.core.language.export_tokens.token_pieces`
gives, joined.

The text is cut as ``cuts`` cuts it (where no token can cross a cut), its pieces grouped
into an even number of blocks of about :data:`BLOCK` characters, and a second process,
forked (``second_process.Helper``) once spaCy is loaded, tokenizes and writes the JSON of every
other block (1, 3, ...) while this one does the others (0, 2, ...). A block's token ids
count on from the blocks before it, so each process says how many tokens a block has as
soon as it is tokenized, before making its JSON. The blocks go into the output in their
order, each in its turn (``in_turns.Sink``: a block is held until the one before it is
written), so a process holds one block at most, never the whole list.

A second process that dies or fails leaves its blocks to this one, which makes them from
where the output was at the end of the last block written whole (a file is cut back to it);
only an output that cannot go back (a pipe) into which it may have written part of a block
ends the export with an error, as the export on two processes (``in_two``) does.
"""

from __future__ import annotations

import contextlib
import gc
import os
from collections.abc import Callable
from math import ceil
from typing import IO, Any

import orjson

import tui.core.disk.in_turns as in_turns
from tui.core.disk.files import write_all
from tui.core.disk.second_process import Helper
from tui.core.document.model import GlossError
from tui.core.language.export_tokens import (
    PIECE,
    cuts,
    found_at,
    piece_tokens,
    records_json,
)

BLOCK = 1 << 21  # characters of a block, about: what a process holds before its turn
LEAST = 2 * BLOCK  # a shorter text is tokenized by one process

Found = dict[int, int]  # an offset of a span's edge -> the token starting (or ending) there
Pieces = list[tuple[int, int]]  # (start, end) of each piece of the text


def usable(out: IO[bytes], text: str) -> bool:
    """Whether the tokens of ``text`` are made on two processes when written into ``out``."""
    return len(text) >= LEAST and in_turns.two_cores(out)


def write(text: str, out: IO[bytes], head: Callable[[], bytes], starts: list[int],
          ends: list[int], safe: Callable[[bytes], bytes]) -> tuple[Found, Found]:
    """Write ``head()`` and the JSON list of the tokens of ``text`` into ``out``, each token
    record made safe by ``safe``; returns the token starting at each offset of ``starts``
    and the one ending at each of ``ends`` (both sorted), where there is one.

    ``head()`` names the tokenizer, so spaCy is loaded before the fork: the second process
    shares it rather than loading it again (a second of processor time; the first would
    wait as long for its own load)."""
    pieces = list(cuts(text, PIECE))
    count = 2 * ceil(len(pieces) / (2 * max(1, BLOCK // PIECE)))
    blocks = [pieces[len(pieces) * b // count:len(pieces) * (b + 1) // count]
              for b in range(count)]
    out.flush()  # nothing left in the file object: both write through its descriptor
    work = _Work(text, blocks, starts, ends, safe, out.fileno())
    work.head = head()  # spaCy loaded by the name it gives, to be shared
    # No collection meanwhile: what is made holds no cycles, and a collection in the second
    # process would write into every object it shares with this one (pages copied)
    collecting = gc.isenabled()
    gc.disable()
    try:
        try:
            helper: Helper | None = Helper(work.help)
        except OSError:  # no process to be had: all made here
            helper = None
        try:
            work.lead(helper)
            if helper is not None:
                helper.done()
        finally:
            if helper is not None:
                helper.close()
    finally:
        if collecting:
            gc.enable()
    return work.first, work.last


class _Gone(Exception):
    """The other process ended or failed (not on the output)."""


class _Work:
    """One process's side: the blocks it makes, what it knows of the other's, and where the
    output is."""

    def __init__(self, text: str, blocks: list[Pieces], starts: list[int], ends: list[int],
                 safe: Callable[[bytes], bytes], fd: int) -> None:
        self.text, self.blocks, self.safe, self.fd = text, blocks, safe, fd
        self.wanted = (starts, ends)
        self.first: Found = {}
        self.last: Found = {}
        self.counts: dict[int, int] = {}  # tokens of each block, as soon as tokenized
        self.written = -1  # the last block written whole into the output
        self.writing = -1  # the last block the other process began writing
        self.mark: int | None = None  # where the output is after it (None: a pipe)
        self.tell = -1  # the descriptor the other process hears (-1: alone)
        self.heard: IO[bytes] | None = None
        self.sink = in_turns.Sink(fd)
        self.head = b""  # the line up to its tokens

    def lead(self, helper: Helper | None) -> None:
        """This process's side: the head, the even blocks (all of them when ``helper`` is
        None or gone), the ``]`` after the last."""
        if helper is not None:
            self.tell, self.heard = helper.tell, helper.heard
        start = 0
        while True:
            try:
                for block in range(start, len(self.blocks)):
                    if self.tell < 0 or block % 2 == 0:
                        self._block(block)
                self._wait(lambda: self.written == len(self.blocks) - 1)
                break
            except _Gone:
                self._alone()
                start = self.written + 1
        write_all(self.fd, b"]")

    def help(self, heard: int, tell: int) -> None:
        """The second process's whole life: the odd blocks, then its exit. Fails said on its
        pipe (one of the output as its errno, for the same message)."""
        self.tell, self.heard = tell, os.fdopen(heard, "rb")
        try:
            for block in range(1, len(self.blocks), 2):
                self._block(block)
            os._exit(0)
        except _Gone:  # the export stopped
            os._exit(0)
        except OSError as exc:
            said: dict[str, Any] = {"error": [exc.errno, exc.strerror or str(exc)]}
        except BaseException as exc:
            said = {"error": [None, f"{type(exc).__name__}: {exc}"]}
        self._say(said)
        os._exit(0)

    def _block(self, block: int) -> None:
        """Tokenize a block, say its count, make its JSON once the blocks before it are
        counted, write it in its turn and say so."""
        made = [piece_tokens(self.text, start, end) for start, end in self.blocks[block]]
        self.counts[block] = sum(len(starts) for starts, _, _ in made)
        self._say({"count": [block, self.counts[block]]})
        self._wait(lambda: all(b in self.counts for b in range(block)))
        first = sum(self.counts[b] for b in range(block))
        found: tuple[Found, Found] = ({}, {})
        self.sink.start(lambda: self._turn(block))
        if block == 0:
            self.sink.write(self.head + b"[")
        for starts, ends, spaces in made:
            if not starts:
                continue
            if first:
                self.sink.write(b",")
            self.sink.write(self.safe(records_json(self.text, starts, ends, spaces, first)))
            found_at(found[0], self.wanted[0], starts, first)
            found_at(found[1], self.wanted[1], ends, first)
            first += len(starts)
        made.clear()
        self.sink.flush()
        self._wrote(block, found)
        self._say({"wrote": block, "first": list(found[0].items()),
                   "last": list(found[1].items())})

    def _turn(self, block: int) -> None:
        """Wait until the block before ``block`` is written, and say that this one is being
        written (the other process then knows that part of it may be in the output)."""
        self._wait(lambda: self.written == block - 1)
        self._say({"writing": block})

    def _wrote(self, block: int, found: tuple[Found, Found]) -> None:
        self.written = block
        self.first.update(found[0])
        self.last.update(found[1])
        self._marked()

    def _marked(self) -> None:
        try:
            self.mark = os.lseek(self.fd, 0, os.SEEK_CUR)
        except OSError:  # a pipe
            self.mark = None

    def _say(self, message: dict[str, Any]) -> None:
        if self.tell < 0:
            return
        try:
            write_all(self.tell, orjson.dumps(message) + b"\n")
        except BrokenPipeError:
            raise _Gone from None

    def _wait(self, done: Callable[[], bool]) -> None:
        """Take in what the other process says until ``done()``."""
        while not done():
            if self.heard is None or self.tell < 0:
                raise _Gone
            self._hear()

    def _hear(self) -> None:
        """Take in one thing the other process says."""
        line = self.heard.readline() if self.heard is not None else b""
        if not line:
            raise _Gone
        said = orjson.loads(line)
        if "count" in said:
            block, count = said["count"]
            self.counts[block] = count
        elif "writing" in said:
            self.writing = said["writing"]
        elif "wrote" in said:
            self._wrote(said["wrote"], (dict(said["first"]), dict(said["last"])))
        else:
            code, message = said["error"]
            if code is not None:
                raise OSError(code, message)
            raise _Gone

    def _alone(self) -> None:
        """The second process is gone: its blocks are made here, the output cut back to the
        end of the last block written whole if it may hold part of one of them."""
        with contextlib.suppress(_Gone, OSError, ValueError):
            while True:  # all it said before it went
                self._hear()
        self.tell, self.heard = -1, None
        self.sink = in_turns.Sink(self.fd)
        if self.writing > self.written:  # it may have written part of a block
            if self.mark is None:
                raise GlossError(in_turns.ended("gloss export", "articles"))
            os.ftruncate(self.fd, self.mark)
            os.lseek(self.fd, self.mark, os.SEEK_SET)
