"""An export on two processes: a second one, forked, reads and writes every other batch of
articles, so that an export of many articles uses both cores of a small machine.

The output is the one the export writes alone, byte for byte: the batches go out in their
order, each whole before the next, through the one output both processes hold (the turn is
passed on two pipes). A process holds at most :data:`HELD` bytes of its batch before its
turn (then it waits for the turn and writes through), besides the article it is on. What an
export says besides its lines (notes, files that cannot be read) is taken in the batches'
order too, so that it reads as the export alone says it. The second process writes only to
the output and its pipe, never to the dataset, and ends when this one stops answering.
``in_turns`` is the same sink and turns for any output made of pieces in a fixed order
(``gloss claims``'s JSONL lines, a range of the claims' print order each). The second
process and whether one may run are ``tui.core.disk.second_process``'s (``Helper``,
``may_fork``); ``Helper`` is named here too, for the modules that fork through this one.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterable, Iterator
from typing import IO, Any

import orjson

from tui.core.disk.files import write_all
from tui.core.disk.second_process import Helper, may_fork
from tui.core.disk.storage import CorruptFileError
from tui.core.document.model import GlossError
from tui.core.store.corpus import Notes
from tui.core.store.dataset import Article, Dataset
from tui.core.store.export_selection import Choice, select

BATCH = 256  # articles a batch
HELD = 64 << 20  # bytes of a batch held before its turn, at most
LEAST = 4 * BATCH  # fewer articles than this are exported by one process

Write = Callable[[Iterable[Article], IO[bytes], Notes, str | None], int]
Progress = Callable[[Iterable[Article]], Iterable[Article]]
Said = dict[str, Any]  # what a batch said: its notes, broken files, articles read
ENDED = "gloss export: its second process ended before its articles were written"


def usable(out: IO[bytes], ids: int, choice: Choice) -> bool:
    """Whether an export of ``ids`` articles into ``out`` goes on two processes: enough
    articles, a choice that needs no look ahead (``--reviewed`` says that nothing is
    reviewed before writing a byte), and :func:`two_cores`."""
    return ids >= LEAST and not choice.reviewed and two_cores(out)


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


class Result:
    """What the export wrote and said, put together in the batches' order."""

    def __init__(self, notes: Notes, unreadable: list[str]) -> None:
        self.notes, self.unreadable = notes, unreadable
        self.articles = 0  # written
        self.lines = 0

    def take(self, said: Said) -> None:
        for what, n in said["notes"]:
            self.notes.add(what, n)
        self.unreadable += said["unreadable"]


def export(dataset: Dataset, order: list[str], out: IO[bytes], write: Write, choice: Choice,
           result: Result, progress: Progress | None, *, keeps_skipped: bool,
           one_version: bool) -> None:
    """Write the articles of ``order`` (ids, in the export's order) as ``write`` writes
    them, every other batch by a second process; what they say goes to ``result``."""
    batches = [order[i:i + BATCH] for i in range(0, len(order), BATCH)]
    out.flush()  # nothing left in the file object: both write through its descriptor
    fd = out.fileno()
    helper = Helper(lambda go, answers: _help(dataset, batches, fd, write, choice, go,
                                              answers, keeps_skipped, one_version))
    go, heard = helper.tell, helper.heard

    def helpers(batch: int) -> None:
        """The helper's batch before ``batch``: written; what it said taken."""
        if batch:
            said = _answer(heard)
            result.take(said)
            if progress is not None:
                _count(progress, said["read"])

    def written(batch: int, said: Said) -> None:
        result.take(said)
        if batch + 1 < len(batches):
            try:
                os.write(go, b"g")  # the helper's turn
            except BrokenPipeError:  # it has ended: what it said last, or that it ended
                _answer(heard)
                raise GlossError(ENDED) from None

    try:
        job = _Job(dataset, batches, 0, fd, helpers, written)
        articles: Iterable[Article] = job.articles()
        if progress is not None:
            articles = progress(articles)
        lines = write(job.counted(select(articles, choice, job.notes,
                                         keeps_skipped=keeps_skipped,
                                         one_version=one_version)),
                      job.sink, job.notes, None)
        job.close()
        if len(batches) % 2 == 0:  # the last batch is the helper's
            helpers(len(batches))
        end = _answer(heard)
        result.articles += job.shown + end["articles"]
        result.lines += lines + end["lines"]
        helper.done()
    finally:
        helper.close()


def _help(dataset: Dataset, batches: list[list[str]], fd: int, write: Write, choice: Choice,
          go: int, answers: int, keeps_skipped: bool, one_version: bool) -> None:
    """The helper's whole life: its batches, each in its turn, then its counts; any failure
    said on its pipe (an error of the output as its errno, for the same message)."""

    def turn(batch: int) -> None:
        if os.read(go, 1) != b"g":  # the export stopped
            os._exit(0)

    def written(batch: int, said: Said) -> None:
        write_all(answers, orjson.dumps(said) + b"\n")

    try:
        job = _Job(dataset, batches, 1, fd, turn, written)
        lines = write(job.counted(select(job.articles(), choice, job.notes,
                                         keeps_skipped=keeps_skipped,
                                         one_version=one_version)),
                      job.sink, job.notes, None)
        job.close()
        answer: dict[str, Any] = {"articles": job.shown, "lines": lines}
    except OSError as exc:
        answer = {"error": [exc.errno, exc.strerror or str(exc)]}
    except BaseException as exc:  # said by the export, which stops
        answer = {"error": [None, f"{type(exc).__name__}: {exc}"]}
    with contextlib.suppress(OSError):
        write_all(answers, orjson.dumps(answer) + b"\n")
    os._exit(0)


def _go(go: int, who: str = "gloss export", what: str = "articles") -> None:
    """Pass the turn to the helper (gone: said as it is, never as the output's error)."""
    try:
        os.write(go, b"g")
    except BrokenPipeError:
        raise GlossError(f"{who}: its second process ended before its {what} were"
                         " written") from None


def _answer(heard: IO[bytes], who: str = "gloss export", what: str = "articles") -> Said:
    line = heard.readline()
    if not line:
        raise GlossError(f"{who}: its second process ended before its {what} were written")
    answer: Said = orjson.loads(line)
    if "error" in answer:
        code, message = answer["error"]
        if code is not None:
            raise OSError(code, message)
        raise GlossError(f"{who}: its second process failed ({message})")
    return answer


def _count(progress: Progress, n: int) -> None:
    """Count on the bar ``n`` articles the helper read (a generator: no total set)."""
    for _ in progress(_none(n)):
        pass


def _none(n: int) -> Iterator[Any]:
    for _ in range(n):
        yield None


class Sink:
    """What a batch is written into: held until its turn (or until :data:`HELD` bytes),
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
        """A new batch, written in its ``turn``."""
        self.through = False
        self.turn = turn


class _Job:
    """One process's batches (every other one from ``first``), read an article at a time
    (as ``Dataset.articles`` reads them), each written whole in its turn."""

    def __init__(self, dataset: Dataset, batches: list[list[str]], first: int, fd: int,
                 turn: Callable[[int], None], written: Callable[[int, Said], None]) -> None:
        self.dataset, self.batches, self.first = dataset, batches, first
        self.sink = Sink(fd)
        self.turn, self.written = turn, written
        self.notes = Notes()
        self.shown = 0  # articles written
        self.batch = -1  # the batch being read
        self.read = 0
        self.unreadable: list[str] = []
        self.noted: dict[str, int] = {}  # the notes' counts said already

    def articles(self) -> Iterator[Article]:
        for batch in range(self.first, len(self.batches), 2):
            self.close()  # the writer asks for the next article: the last one is written
            self.batch = batch
            self.sink.start(lambda batch=batch: self.turn(batch))
            for doc_id in self.batches[batch]:
                try:
                    article = self.dataset.article(doc_id)
                except CorruptFileError as exc:  # broken since the index was read
                    self.unreadable.append(str(exc))
                    continue
                except GlossError:
                    continue  # removed since the folder was listed
                self.read += 1
                yield article

    def counted(self, articles: Iterable[Article]) -> Iterator[Article]:
        for article in articles:
            self.shown += 1
            yield article

    def close(self) -> None:
        """The batch read last is written whole: what is held goes out in its turn, what it
        said is said, the turn passes."""
        if self.batch < 0:
            return
        self.sink.flush()
        counts = self.notes.counts
        # the notes new or grown in this batch, in the order they first came
        notes = [[what, n - self.noted.get(what, 0)] for what, n in counts.items()
                 if n != self.noted.get(what, 0)]
        self.noted = dict(counts)
        said = {"notes": notes, "unreadable": self.unreadable, "read": self.read}
        self.unreadable, self.read = [], 0
        batch, self.batch = self.batch, -1
        self.written(batch, said)


# -- pieces in turns ----------------------------------------------------------------------
# The same machinery for any output made of pieces in a fixed order (``gloss claims``'s
# lines, a range of the index's key each): the odd pieces are made by the second process,
# each held (up to ``HELD``) until its turn. The second process first makes what it works
# with (``start``: its own connection to the index, say); when it cannot, it says so and
# this one makes every piece itself.

Piece = Callable[[int, IO[bytes]], None]  # makes piece n into the output


def in_turns(pieces: int, out: IO[bytes], mine: Piece, start: Callable[[], Piece],
             who: str, what: str) -> None:
    """Write ``pieces`` pieces into ``out`` in their order: the even ones by ``mine``, the
    odd ones by the piece maker ``start`` returns in a process forked here (``two_cores``
    says when that may be); ``who`` (the command) and ``what`` (what it writes) name
    them in what it says of the helper."""
    if pieces < 2:
        for piece in range(pieces):
            mine(piece, out)
        return
    out.flush()
    fd = out.fileno()
    helper = Helper(lambda heard, tell: _help_turns(pieces, fd, start, heard, tell))
    helped = False

    def helpers() -> None:
        """The helper's piece before this one: written."""
        _answer(helper.heard, who, what)

    try:
        sink = Sink(fd)
        for piece in range(pieces):
            if helped and piece % 2:
                continue
            sink.start(helpers if helped else _mine)
            mine(piece, sink)
            sink.flush()
            if piece == 0:  # the helper has made its start meanwhile, or could not
                helped = bool(_answer(helper.heard, who, what)["ready"])
            if helped and piece + 1 < pieces:
                _go(helper.tell, who, what)  # the helper's turn
        if helped and pieces % 2 == 0:  # the last piece is the helper's
            helpers()
        helper.done()
    finally:
        helper.close()  # a helper that made no start waits for its turn: it ends


def _mine() -> None:
    """The turn of a piece that follows one of this process's own: it has it."""


def _help_turns(pieces: int, fd: int, start: Callable[[], Piece], go: int,
                answers: int) -> None:
    """The helper's whole life: its start, said; its pieces, each in its turn; any failure
    said on its pipe (an error of the output as its errno, for the same message)."""

    def say(answer: Said) -> None:
        write_all(answers, orjson.dumps(answer) + b"\n")

    def turn() -> None:
        if os.read(go, 1) != b"g":  # the first process stopped
            os._exit(0)

    try:
        make = start()
    except Exception:  # whatever it is, the first process makes every piece
        make = None
    with contextlib.suppress(OSError):
        say({"ready": make is not None})
    if make is None:
        os._exit(0)
    sink = Sink(fd)
    try:
        for piece in range(1, pieces, 2):
            sink.start(turn)
            make(piece, sink)
            sink.flush()
            say({"written": piece})
    except OSError as exc:
        answer: Said = {"error": [exc.errno, exc.strerror or str(exc)]}
    except BaseException as exc:  # said by the first process, which stops
        answer = {"error": [None, f"{type(exc).__name__}: {exc}"]}
    else:
        os._exit(0)
    with contextlib.suppress(OSError):
        say(answer)
    os._exit(0)
