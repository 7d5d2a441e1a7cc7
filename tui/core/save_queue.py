"""The save queue: every edit reaches the disk in the order of the keys, off the frame.

One writer thread takes the edits first in, first out, so a save never waits on the frame
and the frame never waits on a save. ``start`` decides when a save may begin (the app
starts it once the frame that shows the edit is on the terminal: a save of a 1 MB article
holds the GIL for a millisecond or two, which would otherwise delay that frame); ``deliver``
hands the answer back to the UI thread, where the model marks the spans saved or failed.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

from tui.core.article_model import ArticleModel
from tui.core.dataset import Dataset
from tui.core.edits import Change, Edit, LinkChange
from tui.core.model import GlossError

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
        # Writer-thread state: spans and links whose last save failed before they ever
        # reached the disk; removing one of those has nothing to remove.
        self._absent: set[str] = set()

    def submit(self, model: ArticleModel, edit: Edit) -> None:
        """Save ``edit`` (already applied to ``model``) after the edits asked for before."""
        self.pending += 1
        self._start(lambda: self._writer.submit(self._write, model, edit))

    def _write(self, model: ArticleModel, edit: Edit) -> None:
        started = time.perf_counter()
        written, error = 0, None
        try:
            for step in edit.steps():  # links removed, spans, links added: in that order
                if isinstance(step, LinkChange):
                    self._write_link(edit.doc_id, step)
                else:
                    self._write_change(edit.doc_id, step)
                written += 1
        except GlossError as exc:
            error = str(exc)
        elapsed = (time.perf_counter() - started) * 1000
        self._deliver(lambda: self._answer(model, edit, written, error, elapsed))

    def _write_link(self, doc_id: str, link: LinkChange) -> None:
        if link.after is not None:
            try:
                self.dataset.save_relation(doc_id, link.after)
            except GlossError:
                self._absent.add(link.after.id)
                raise
            self._absent.discard(link.after.id)
        elif link.before is not None:
            if link.before.id in self._absent:
                self._absent.discard(link.before.id)  # it never reached the disk
                return
            self.dataset.remove_relation(doc_id, link.before.id)

    def _write_change(self, doc_id: str, change: Change) -> None:
        if change.after is not None:
            try:
                self.dataset.save_span(doc_id, change.after)
            except GlossError:
                if change.before is None:
                    self._absent.add(change.after.id)
                raise
            self._absent.discard(change.after.id)
        elif change.before is not None:
            if change.before.id in self._absent:
                self._absent.discard(change.before.id)  # it never reached the disk
                return
            self.dataset.remove_span(doc_id, change.before.id)

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

    def close(self) -> None:
        self._writer.shutdown(wait=True)
