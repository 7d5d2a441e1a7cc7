"""An export on two processes: a second one, forked, reads and writes every other batch of
articles, so that an export of many articles uses both cores of a small machine.

The output is the one the export writes alone, byte for byte: the batches go out in their
order, each whole before the next, through the one output both processes hold (the turn is
passed on two pipes). A process holds at most ``in_turns.HELD`` bytes of its batch before its
turn (then it waits for the turn and writes through), besides the article it is on. What an
export says besides its lines (notes, files that cannot be read) is taken in the batches'
order too, so that it reads as the export alone says it. The second process writes only to
the output and its pipe, never to the dataset, and ends when this one stops answering.
The held batches, the turns and what the helper says are ``tui.core.disk.in_turns``'s
(``Sink``, ``go``, ``answer``), as for any output made of pieces in a fixed order.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterable, Iterator
from typing import IO, Any

from tui.core.disk.in_turns import Said, Sink, answer, say, two_cores
from tui.core.disk.second_process import Helper
from tui.core.disk.storage import CorruptFileError
from tui.core.document.model import GlossError
from tui.core.store.corpus import Notes
from tui.core.store.dataset import Article, Dataset
from tui.core.store.export_selection import Choice, select

BATCH = 256  # articles a batch
LEAST = 4 * BATCH  # fewer articles than this are exported by one process

Write = Callable[[Iterable[Article], IO[bytes], Notes, str | None], int]
Progress = Callable[[Iterable[Article]], Iterable[Article]]
ENDED = "gloss export: its second process ended before its articles were written"


def usable(out: IO[bytes], ids: int, choice: Choice) -> bool:
    """Whether an export of ``ids`` articles into ``out`` goes on two processes: enough
    articles, a choice that needs no look ahead (``--reviewed`` says that nothing is
    reviewed before writing a byte), and :func:`two_cores`."""
    return ids >= LEAST and not choice.reviewed and two_cores(out)


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
            said = answer(heard, "gloss export", "articles")
            result.take(said)
            if progress is not None:
                _count(progress, said["read"])

    def written(batch: int, said: Said) -> None:
        result.take(said)
        if batch + 1 < len(batches):
            try:
                os.write(go, b"g")  # the helper's turn
            except BrokenPipeError:  # it has ended: what it said last, or that it ended
                answer(heard, "gloss export", "articles")
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
        end = answer(heard, "gloss export", "articles")
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
        say(answers, said)

    try:
        job = _Job(dataset, batches, 1, fd, turn, written)
        lines = write(job.counted(select(job.articles(), choice, job.notes,
                                         keeps_skipped=keeps_skipped,
                                         one_version=one_version)),
                      job.sink, job.notes, None)
        job.close()
        final: Said = {"articles": job.shown, "lines": lines}
    except OSError as exc:
        final = {"error": [exc.errno, exc.strerror or str(exc)]}
    except BaseException as exc:  # said by the export, which stops
        final = {"error": [None, f"{type(exc).__name__}: {exc}"]}
    with contextlib.suppress(OSError):
        say(answers, final)
    os._exit(0)


def _count(progress: Progress, n: int) -> None:
    """Count on the bar ``n`` articles the helper read (a generator: no total set)."""
    for _ in progress(_none(n)):
        pass


def _none(n: int) -> Iterator[Any]:
    for _ in range(n):
        yield None


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
