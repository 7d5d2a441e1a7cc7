"""One analyst's editing session: the articles open in this process, and the one path every
edit takes from a key (or a suggestion, or a model) to the disk.

:meth:`Session.apply` is that path: the edit is applied to the article's model (every pane
and span list showing it redraws at once, in the frame of the key), recorded for undo,
queued for its save (one write of the article, all of it or none: ``Dataset.save_steps``)
and its article marked in the claims index. Undo, redo and retry take
the same path, so whatever makes an edit only says what the edit is. The session also owns
the index of the dataset's claims and names (read once, in a thread) and the stats' tally.

No Textual: the app gives the session its three ways of running a function (on the UI
thread, once the next frame is on the terminal, in a thread), and screens are given the
session and draw what it reports. A refused edit comes back as a :class:`Notice`.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from tui.core.attribution.claim_index import ClaimIndex
from tui.core.disk.article_file import Article
from tui.core.document.edits import Edit
from tui.core.document.model import GlossError, LabelSet
from tui.core.document.suggestion import Suggestion
from tui.core.editing.article_model import ArticleModel, ModelRegistry
from tui.core.editing.save_queue import SaveQueue, at_once
from tui.core.editing.suggestions import ArticleSuggestions, Suggestions
from tui.core.store.claim_cache import cached_articles
from tui.core.store.dataset import Dataset
from tui.core.store.tally import Tally

if TYPE_CHECKING:  # the board's first rows are read when it is first opened
    from tui.core.store.claim_pages import ClaimPages
    from tui.core.store.claim_pass import BoardStart

# A dataset this small (articles) has its board opened in the frame of the key
BOARD_AT_ONCE = 2000
Run = Callable[[Callable[[], None]], None]  # runs a function: now, on the UI, in a thread
IndexWatcher = Callable[[list[str]], None]  # given the library's order once it is read


@dataclass(frozen=True, slots=True)
class Notice:
    """What the session says instead of applying an edit: why there is none. ``text`` may
    hold data (a span's text): whoever draws it shows its controls, never obeys them."""

    text: str
    warning: bool = True  # False: nothing went wrong ("nothing to undo")


class Session:
    def __init__(self, dataset: Dataset, *, on_ui: Run = at_once, after_frame: Run = at_once,
                 in_thread: Run = at_once, model: Path | None = None) -> None:
        """``on_ui`` runs a function on the UI thread (thread-safe: the saves' and the
        index's answers come from threads); ``after_frame`` once the frame showing an edit
        is on the terminal (a save's start: it would delay that frame); ``in_thread`` in
        a thread of its own (reading every article for the index, finding suggestions);
        ``model``: the folder of a model whose spans are suggested too (else the
        dataset's latest, if it has one)."""
        self.dataset = dataset
        self._on_ui = on_ui
        self.after_frame = after_frame
        self._in_thread = in_thread
        self.models = ModelRegistry(dataset.open_article, dataset.annotator, dataset.labels)
        self.saves = SaveQueue(dataset, self._answer, after_frame)
        self.index = ClaimIndex(dataset.labels)  # filled in a thread: see read_index
        self.reading: ClaimIndex | None = None  # the index being read, while it is
        self.order: list[str] | None = None  # the library's order, once the index is read
        self.tally = Tally(keep=True)  # each article's counts for the stats, by file
        self._watchers: list[IndexWatcher] = []
        self._pages: ClaimPages | None = None  # the board, paged from the index (once open)
        self._paged = threading.Lock()  # held while the pages are opened or brought up to date
        self._no_pages = False  # the index could not be paged: the board is made in memory
        self.edited: set[str] = set()  # the articles edited here: the board reads them again
        # searched once the frame that opens an article is on the terminal: not before it
        self.suggestions = Suggestions(dataset, on_ui=on_ui, model=model, in_thread=lambda run:
                                       after_frame(lambda: in_thread(run)))

    @property
    def labels(self) -> LabelSet:
        return self.dataset.labels

    @property
    def analyst(self) -> str:
        return self.dataset.annotator

    # -- articles --------------------------------------------------------------------

    def open(self, doc_id: str) -> ArticleModel:
        """The model of ``doc_id``, held until :meth:`release` (one model an article)."""
        return self.models.open(doc_id)

    def release(self, model: ArticleModel) -> None:
        self.models.release(model)

    @staticmethod
    def settle_heap(collect: bool) -> None:
        """Keep the garbage collector off the open articles' objects.

        A 1 MB article brings tens of thousands of long-lived objects; each full collection
        rescanned them for up to 42 ms (bench/reader.py), stalling a key's frame. Frozen,
        they are skipped (refcounting still frees them). Switching articles unfreezes,
        collects once (the old article's cycles) and freezes again, after the new one is
        drawn (``collect``).
        """
        if collect:
            gc.unfreeze()
            gc.collect()
        gc.freeze()

    # -- edits -----------------------------------------------------------------------

    def apply(self, model: ArticleModel, outcome: Edit | str, *, record: bool = True
              ) -> Edit | Notice:
        """Apply ``outcome`` (an edit, or the reason an editing rule gave for none) to
        ``model``: shown at once, recorded for undo (``record``), saved after the frame,
        and its article marked for the claims index. Returns the edit, or why not."""
        if isinstance(outcome, str):
            return Notice(outcome)
        model.apply(outcome)
        self.suggestions.edited((c.before, c.after) for c in outcome.changes)
        if record:
            model.history.record(outcome)
        self.saves.submit(model, outcome)
        self.index.touch(model.doc_id)
        self.edited.add(model.doc_id)
        return outcome

    def undo(self, model: ArticleModel) -> Edit | Notice:
        return self._again(model, model.history.undo(), "nothing to undo")

    def redo(self, model: ArticleModel) -> Edit | Notice:
        return self._again(model, model.history.redo(), "nothing to redo")

    def _again(self, model: ArticleModel, edit: Edit | None, nothing: str) -> Edit | Notice:
        if edit is None:
            return Notice(nothing, warning=False)
        # refused if it would make a span that is there again
        return self.apply(model, model.check(edit) or edit, record=False)

    def retry(self) -> Notice | None:
        """Save again, as it is now, whatever failed to save in any open article."""
        retried = False
        for model in self.models.models():
            edit = model.retry()
            if edit is not None:
                self.saves.submit(model, edit)
                retried = True
        return None if retried else Notice("every edit is saved", warning=False)

    def reject(self, article: ArticleSuggestions, suggestion: Suggestion) -> None:
        """Offer ``suggestion`` no more in its article (every pane showing it redraws), and
        keep the rejection in the article's file, written after the edits asked for
        before it."""
        self.suggestions.reject(article, suggestion, self.saves.later)

    def set_status(self, model: ArticleModel, status: str, analyst: str | None = None
                   ) -> Notice | None:
        """Set ``analyst``'s (default: this session's) status of the article, on disk at
        once; a Notice says why it could not be."""
        who = analyst or self.analyst
        try:
            self.dataset.set_status(model.doc_id, status, who)
        except GlossError as exc:
            return Notice(f"NOT SAVED: {exc}")
        model.status[who] = status
        return None

    def _answer(self, answer: Callable[[], None]) -> None:
        """The writer thread is done with an edit: the model hears it on the UI thread,
        and a model no pane holds any more is let go once its saves are done."""
        def answered() -> None:
            answer()
            self.models.forget_idle()

        self._on_ui(answered)

    # -- ending ----------------------------------------------------------------------

    @property
    def saving(self) -> int:
        """Edits asked for and not yet written (or failed)."""
        return self.saves.pending

    async def wait(self, timeout: float | None = None) -> None:
        """Return once every edit asked for so far has been written (or has failed), or
        ``timeout`` seconds later: the edits queued behind a frame are started at once."""
        self.saves.flush()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.saves.wait(), timeout)

    def close(self) -> None:
        """Write every edit asked for, then stop the writer (however the app ends)."""
        self.suggestions.closed = True
        self.saves.flush()
        self.saves.close()
        # the board's connection; not while a thread walks it (the process ends anyway)
        if self._pages is not None and self._paged.acquire(blocking=False):
            self._pages.close()
            self._pages = None
            self._no_pages = True
            self._paged.release()

    # -- the dataset's claims and names ----------------------------------------------

    def watch_index(self, watcher: IndexWatcher) -> Callable[[], None]:
        """Call ``watcher`` with the library's order once the index has been read (a reader
        learns its order for [ and ], the board its rows); returns the function that
        stops it."""
        self._watchers.append(watcher)
        return lambda: self._watchers.remove(watcher) if watcher in self._watchers else None

    def read_index(self) -> None:
        """Read every article once, in a thread: the claims board and the completion of
        canonical names come from it, and a reader opened by `gloss read` learns the
        library's order from it."""
        if self.reading is not None or self.index.ready:
            return
        index = self.reading = ClaimIndex(self.labels)

        def read() -> None:
            from tui.core.store.claim_pages import pageable

            index.keep_rows = self._no_pages or not pageable(self.dataset)
            order: list[str] = []

            def articles() -> Iterator[tuple[Article, Counter[tuple[str, str, str]]]]:
                for article, given in cached_articles(self.dataset, index.problems):
                    order.append(article.document.id)
                    yield article, given

            index.add_all(articles())
            self._on_ui(lambda: self._index_read(index, order))

        self._in_thread(read)

    def first_claims(self, show: Callable[[BoardStart], None], limit: int = 400) -> None:
        """Call ``show`` (on the UI) with the board's groups and first ``limit`` rows from
        the dataset's index (``claim_pass.first_claims``), read in a thread: the board
        shows them while the session's index is still being read."""
        def read() -> None:
            from tui.core.store.claim_pass import first_claims

            start = first_claims(self.dataset, limit)
            if start is not None:
                self._on_ui(lambda: show(start))

        self._in_thread(read)

    def board_pages(self, done: Callable[[ClaimPages | None], None]) -> bool:
        """Call ``done`` with the board paged from the dataset's index, the articles edited
        here put in as their models (or files) have them now, its team's claims held
        alike found; None when the index cannot be paged (the board is then made from the
        session's index, which keeps its rows for it). At once, and True, when the pages
        are open already or the dataset is small; else in a thread, ``done`` on the UI:
        once as soon as they are open (each analyst's claims: the team's held alike not
        yet found), and again once they have been found (a walk of the whole table)."""
        edited = {doc_id: model.snapshot() if (model := self.models.held(doc_id)) else None
                  for doc_id in sorted(self.edited)}

        def work(walk: bool) -> ClaimPages | None:
            from tui.core.store.claim_pages import open_pages

            with self._paged:
                if self._pages is None and not self._no_pages:
                    self._pages = open_pages(self.dataset)
                    self._no_pages = self._pages is None
                pages = self._pages
                if pages is not None:
                    for doc_id, article in edited.items():
                        pages.put(doc_id, article or self._article_file(doc_id))
                    if walk and pages.team is None:
                        pages.walk()
            return pages

        def answer(pages: ClaimPages | None) -> None:
            if pages is None and self.index.ready and not self.index.keep_rows:
                self._read_rows()
            done(pages)

        opened = self._pages is not None and self._pages.team is not None
        if opened or self._no_pages or (self.order is not None
                                        and len(self.order) <= BOARD_AT_ONCE):
            answer(work(walk=True))
            return True

        def in_thread() -> None:
            # each analyst's rows first; then, a team's claims held alike found, again
            pages = work(walk=False)
            self._on_ui(lambda: answer(pages))
            if pages is not None and pages.team is None:
                work(walk=True)
                self._on_ui(lambda: answer(pages))

        self._in_thread(in_thread)
        return False

    def _read_rows(self) -> None:
        """The index was read without the board's rows, which the dataset's index no longer
        pages: read it again, with them."""
        older, self.index = self.index, ClaimIndex(self.labels)
        self.index.take_over(older)
        self.read_index()

    def _article_file(self, doc_id: str) -> Article | None:
        try:
            return self.dataset.article(doc_id)
        except GlossError:
            return None

    def _index_read(self, index: ClaimIndex, order: list[str]) -> None:
        index.take_over(self.index)
        self.index, self.reading, self.order = index, None, order
        for watcher in list(self._watchers):
            watcher(order)

    def fresh_index(self) -> ClaimIndex:
        """The index with every article edited here read again (from its model while one
        is open: it has the newest edits)."""
        def article_of(doc_id: str) -> Article | None:
            model = self.models.held(doc_id)
            if model is not None:
                return model.snapshot()
            try:
                return self.dataset.article(doc_id)
            except GlossError:
                return None

        self.index.refresh(article_of)
        return self.index
