"""The save queue: every edit reaches the disk in the order of the keys, off the frame.

One writer thread takes the edits first in, first out, so a save never waits on the frame
and the frame never waits on a save. ``start`` decides when a save may begin (the app
starts it once the frame that shows the edit is on the terminal: a save of a 1 MB article
holds the GIL for a millisecond or two, which would otherwise delay that frame); ``deliver``
hands the answer back to the UI thread, where the model marks the spans saved or failed.

An edit is one write of its article (``Dataset.save_steps``): all of it reaches the disk
or none of it, whenever the process dies. Any exception a write raises is that edit's
failed save, never the writer's end: the queue goes on, and the analyst is told.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import wait as wait_for

from tui.core.document.edits import Edit, LinkChange, Step
from tui.core.document.model import GlossError
from tui.core.editing.article_model import ArticleModel
from tui.core.store.dataset import Dataset

Run = Callable[[Callable[[], None]], None]


def at_once(callback: Callable[[], None]) -> None:
    callback()


class SaveQueue:
    def __init__(self, dataset: Dataset, deliver: Run, start: Run = at_once) -> None:
        self.dataset = dataset
        self._deliver = deliver
        self._start = start
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="gloss-save")
        self.pending = 0  # edits asked for and not yet answered
        self._idle: asyncio.Event | None = None
        self._futures: set[Future[None]] = set()
        self._waiting: list[tuple[ArticleModel, Edit]] = []  # asked for, not yet started
        self._guard = threading.Lock()
        # Writer-thread state: for each article, the spans and links not on disk as the
        # analyst made them (their last save failed), with the error
        self._failed: dict[str, dict[str, str]] = {}

    def submit(self, model: ArticleModel, edit: Edit) -> None:
        """Save ``edit`` (already applied to ``model``) after the edits asked for before."""
        self.pending += 1
        with self._guard:
            self._waiting.append((model, edit))
        self._start(self.flush)

    def later(self, job: Callable[[], None]) -> None:
        """Run ``job`` in the writer after every edit asked for before it (a rejection
        kept in an article's file, in order with that article's edits)."""
        self.flush()
        with self._guard:
            future = self._writer.submit(job)
            self._futures.add(future)
        future.add_done_callback(self._forget)

    def flush(self) -> None:
        """Hand the writer every edit asked for and not yet started, in order (from any
        thread: a process that must end starts them at once)."""
        with self._guard:  # in the order asked for, whichever threads flush
            waiting, self._waiting = self._waiting, []
            futures = [self._writer.submit(self._write, m, e) for m, e in waiting]
            self._futures.update(futures)
        for future in futures:  # outside the guard: a future done already calls back here
            future.add_done_callback(self._forget)

    def _forget(self, future: Future[None]) -> None:
        with self._guard:
            self._futures.discard(future)

    def _write(self, model: ArticleModel, edit: Edit) -> None:
        started = time.perf_counter()
        steps = edit.steps()
        error = None
        try:
            self.dataset.save_steps(edit.doc_id, steps)
        except GlossError as exc:
            error = str(exc)
        except Exception as exc:  # a bug, or a file nested past the writer's limit: said
            error = f"{type(exc).__name__}: {exc}"
        failed = self._failed.setdefault(edit.doc_id, {})
        for step in steps:
            if error is None:
                failed.pop(_item(step), None)
            else:
                failed[_item(step)] = error
        if not failed:
            del self._failed[edit.doc_id]
        elapsed = (time.perf_counter() - started) * 1000
        written = len(steps) if error is None else 0
        self._deliver(lambda: self._answer(model, edit, written, error, elapsed))

    def _answer(self, model: ArticleModel, edit: Edit, written: int, error: str | None,
                elapsed: float) -> None:
        self.pending -= 1
        model.saved(edit, written, error, elapsed)
        if not self.pending and self._idle is not None:
            self._idle.set()

    async def wait(self) -> None:
        """Return once every edit asked for so far has been written (or has failed)."""
        while self.pending:
            self._idle = asyncio.Event()
            await self._idle.wait()

    def drain(self, timeout: float) -> bool:
        """Start every edit asked for and block until all are written (or failed), for
        at most ``timeout`` seconds; False if some were still being written then. For a
        process that must end now (a hang-up): the answers need not reach the screen."""
        self.flush()
        with self._guard:
            futures = set(self._futures)
        return not wait_for(futures, timeout).not_done

    def not_saved(self) -> list[str]:
        """One line for each article that has edits not on disk, as the writer last
        found: how many spans and links, and why."""
        lines = []
        for doc_id, failed in list(self._failed.items()):
            if failed:
                why = next(reversed(failed.values()))
                lines.append(f"article {doc_id}: {len(failed)} spans or links not saved:"
                             f" {why}")
        return lines

    def close(self) -> None:
        self._writer.shutdown(wait=True)


def _item(step: Step) -> str:
    return step.relation.id if isinstance(step, LinkChange) else step.span.id
