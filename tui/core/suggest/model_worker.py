"""A second process that runs the same model, for a long article: both cores at work.

spaCy's entity recognizer holds the GIL for most of its work (its transition loop is
compiled to take it back for every validity check of every token), so two threads on two
halves of an article were barely faster than one. A worker process has its own
interpreter. It is started (``python -m tui.core.suggest.model_finder``: nothing of the
caller's main module is run again, as multiprocessing's spawn would) the first time an
article is long enough to need it, loads the model from its folder, and is given
stretches of the article from the end while this process works from the start; a stretch
is handed over only once the worker is ready and has fewer than two waiting, so a worker
still loading, or slowed by other work on the machine, never holds the answer back by
more than its last stretches. If the worker dies, this process finds its stretches
itself. The worker ends when its input closes (``close``, or this process ending however
it ends).
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import subprocess
import sys
import threading
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tui.core.document.suggestion import Suggestion

STRETCH_CHARS = 50_000  # an article is shared in stretches of about this many characters
WAITING = 2  # stretches handed to the worker and not yet back
WORKER_MODULE = "tui.core.suggest.model_finder"  # run with ``-m``: loads a model, serves

Pieces = list[tuple[int, str]]
Found = tuple[list["Suggestion"], list[float]]
Sent = tuple[int, Pieces, "Future[Found]"]


class Worker:
    """One worker process running the model in ``folder``."""

    def __init__(self, folder: Path) -> None:
        import tui

        home = str(Path(tui.__file__).resolve().parent.parent)
        path = os.pathsep.join(p for p in (home, os.environ.get("PYTHONPATH")) if p)
        self._process = subprocess.Popen(
            [sys.executable, "-m", WORKER_MODULE, str(folder)], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            env={**os.environ, "PYTHONPATH": path})
        self._ready: Future[bool] = Future()
        self._waiting: deque[Future[Found]] = deque()
        self._lock = threading.Lock()
        threading.Thread(target=self._read, daemon=True, name="gloss-model-worker").start()

    def _read(self) -> None:
        """The worker's answers, in the order asked (one worker answers one at a time)."""
        stream = self._process.stdout
        try:
            assert stream is not None
            pickle.load(stream)
            self._ready.set_result(True)
            while True:
                result = _unpacked(pickle.load(stream))
                with self._lock:
                    self._waiting.popleft().set_result(result)
        except Exception as exc:  # the worker ended: whatever it was asked is found here
            with self._lock:
                if not self._ready.done():
                    self._ready.set_exception(exc)
                while self._waiting:
                    self._waiting.popleft().set_exception(exc)

    def _submit(self, pieces: Pieces) -> Future[Found]:
        future: Future[Found] = Future()
        with self._lock:
            self._waiting.append(future)
        try:
            stream = self._process.stdin
            assert stream is not None
            pickle.dump(pieces, stream)
            stream.flush()
        except (OSError, ValueError) as exc:
            with self._lock:
                if future in self._waiting:
                    self._waiting.remove(future)
            future.set_exception(exc)
        return future

    def share(self, pieces: Pieces, here: Callable[[Pieces], Found]) -> list[Found]:
        """``here`` (this process's finder) and the worker over ``pieces``, in stretches;
        the results in text order."""
        stretches = deque(enumerate(_stretches(pieces)))
        results: dict[int, Found] = {}
        sent: list[Sent] = []
        while stretches:
            if self._ready.done() and not self._ready.exception():
                sent = _collect(sent, results, here)
                while len(sent) < WAITING and len(stretches) > 1:
                    index, stretch = stretches.pop()
                    sent.append((index, stretch, self._submit(stretch)))
            index, stretch = stretches.popleft()
            results[index] = here(stretch)
        for index, stretch, future in sent:
            results[index] = _result(future, stretch, here)
        return [results[index] for index in sorted(results)]

    def wait_ready(self, timeout: float) -> bool:
        """Whether the worker has loaded its model, waiting up to ``timeout`` seconds."""
        try:
            return self._ready.result(timeout=timeout)
        except Exception:  # not ready in time, or it ended
            return False

    def close(self) -> None:
        if self._process.stdin is not None:
            with contextlib.suppress(OSError):
                self._process.stdin.close()


def _collect(sent: list[Sent], results: dict[int, Found], here: Callable[[Pieces], Found]
             ) -> list[Sent]:
    waiting = []
    for index, stretch, future in sent:
        if future.done():
            results[index] = _result(future, stretch, here)
        else:
            waiting.append((index, stretch, future))
    return waiting


def _result(future: Future[Found], stretch: Pieces, here: Callable[[Pieces], Found]
            ) -> Found:
    try:
        return future.result()
    except Exception:  # a worker killed or broken: the stretch is found here instead
        return here(stretch)


def _stretches(pieces: Sequence[tuple[int, str]]) -> list[Pieces]:
    """The pieces in stretches of about STRETCH_CHARS characters, shorter towards the
    middle of the article, down to a fifth: this process and the worker meet about there,
    and whichever finishes first then waits for at most the other's last short stretches
    (of 50,000 characters, a third of a second of work each here)."""
    total = sum(len(text) for _, text in pieces)
    shortest = STRETCH_CHARS // 5
    out: list[Pieces] = [[]]
    size = at = 0
    for piece in pieces:
        if size >= max(shortest, min(STRETCH_CHARS, abs(2 * at - total) // 4)):
            out.append([])
            size = 0
        out[-1].append(piece)
        size += len(piece[1])
        at += len(piece[1])
    return out


def serve(find: Callable[[Pieces], Found], requests: IO[bytes], answers: IO[bytes]
          ) -> None:
    """The worker, its model loaded: say so, then answer each stretch until input ends.
    What is loaded stays to the end: frozen, Python's collector no longer goes over it
    (a full collection went over spaCy and the model, 0.15 s, once an article)."""
    gc.freeze()
    pickle.dump(True, answers)
    answers.flush()
    while True:
        try:
            pieces: Any = pickle.load(requests)
        except EOFError:
            return
        pickle.dump(_packed(find(pieces)), answers)
        answers.flush()


# A suggestion as a tuple of its fields (a source as a tuple of its own) over the pipe:
# pickle makes a frozen dataclass field by field (``fields()`` each time), eight times
# slower to read back than a tuple, and read in the caller, whose core is the busy one.
Packed = tuple[list[tuple[Any, ...]], list[float]]


def _packed(found: Found) -> Packed:
    suggestions, doubts = found
    return [(s.start, s.end, s.label, s.kind, s.score, None if s.source is None else
             (s.source.start, s.source.end, s.source.kind), s.attributes)
            for s in suggestions], doubts


def _unpacked(packed: Packed) -> Found:
    from tui.core.document.suggestion import Source, Suggestion

    rows, doubts = packed
    return [Suggestion(start, end, label, kind, score,
                       None if source is None else Source(*source), attributes)
            for start, end, label, kind, score, source, attributes in rows], doubts
