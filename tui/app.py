"""The Gloss app: it owns the one Dataset, the article models, the save queue, the index of
claims and names the board reads, and the screens; it hands the reader's open mode (search,
a link key choosing, a prompt) the keys typed into it."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import os
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from textual import events
from textual.app import App
from textual.binding import Binding
from textual.screen import Screen

from tui.commands import GlossCommands
from tui.core.article_model import ModelRegistry
from tui.core.claim_cache import cached_articles
from tui.core.claim_index import ClaimIndex
from tui.core.dataset import Article, Dataset
from tui.core.model import GlossError
from tui.core.review import ReviewPlan
from tui.core.save_queue import SaveQueue
from tui.core.tally import Tally
from tui.core.visible import visible
from tui.ending import DRAIN_S, Ending
from tui.keys import EVERYWHERE, bindings
from tui.messages import SaveAnswered
from tui.widgets.palette import ANSI16, MONO, TRUECOLOR

if TYPE_CHECKING:
    from tui.screens.board import Chosen


def terminal_colours() -> str:
    """How many colours this terminal shows, as Rich tells from the environment."""
    from rich.console import Console

    system = Console(force_terminal=True).color_system
    return MONO if system is None else ANSI16 if system in ("standard", "windows") \
        else TRUECOLOR


class GlossApp(App[None]):
    CSS_PATH = Path(__file__).with_name("gloss.tcss")  # absolute: subclasses live elsewhere
    TITLE = "Gloss"
    COMMANDS = App.COMMANDS | {GlossCommands}
    BINDINGS = [Binding("ctrl+c", "interrupt", "Quit", show=False, priority=True),
                *bindings(EVERYWHERE)]

    def __init__(self, dataset: Dataset, opened: list[str] | None = None,
                 colours: str | None = TRUECOLOR, review: ReviewPlan | None = None,
                 reviewing: bool = False) -> None:
        """``colours``: TRUECOLOR, ANSI16 or MONO; None asks the terminal. NO_COLOR in the
        environment always means MONO. ``review``: who reviews whom when an article is
        reviewed (the palette's "Review this article"); ``reviewing``: the library opens
        each article in the review (`gloss review`)."""
        chosen = MONO if "NO_COLOR" in os.environ else (colours or terminal_colours())
        # In 16 colours the ANSI colours must reach the terminal as they are: turned into
        # RGB and back, Textual's yellow comes out red
        super().__init__(ansi_color=True if chosen == ANSI16 else None)
        self.colours = chosen
        self.dataset = dataset
        self.opened = list(opened or [])
        self.review = review or ReviewPlan()
        self.reviewing = reviewing
        self.models = ModelRegistry(dataset.article, dataset.annotator, dataset.labels)
        self.saves = SaveQueue(dataset, self._answer_from_thread, self.after_display)
        self.index = ClaimIndex(dataset.labels)  # filled in a thread: see read_index
        self.reading: ClaimIndex | None = None  # the index being read, while it is
        self.tally = Tally(keep=True)  # each article's counts for the stats, by file
        self._after_display: list[Callable[[], object]] = []
        # A hang-up, SIGTERM or SIGINT ends the app once every edit is written
        self.ending = Ending(self.saves, lambda code: self.exit(return_code=code))

    # -- frames and saves ------------------------------------------------------------

    def after_display(self, callback: Callable[[], object]) -> None:
        """Run ``callback`` once the next frame has been written to the terminal.

        The caller has just changed what is on screen, so a frame follows; the timer is
        only there so that a callback never waits on a frame that does not come.
        """
        self._after_display.append(callback)
        self.set_timer(0.05, self._run_after_display)

    def post_display_hook(self) -> None:
        self._run_after_display()

    def _run_after_display(self) -> None:
        callbacks, self._after_display = self._after_display, []
        for callback in callbacks:
            callback()

    def _answer_from_thread(self, answer: Callable[[], None]) -> None:
        self.post_message(SaveAnswered(answer))  # thread-safe: runs on the UI

    def on_save_answered(self, message: SaveAnswered) -> None:
        message.answer()
        self.models.forget_idle()

    @staticmethod
    def settle_heap(collect: bool) -> None:
        """Keep the garbage collector off the article's objects.

        A 1 MB article brings tens of thousands of long-lived objects; each full collection
        rescanned them for up to 42 ms (bench/reader.py), stalling a key's frame. Frozen, they
        are skipped (refcounting still frees them). Switching articles unfreezes, collects
        once (the old article's cycles) and freezes again, after the new one is drawn.
        """
        if collect:
            gc.unfreeze()
            gc.collect()
        gc.freeze()

    # -- screens ---------------------------------------------------------------------

    def on_mount(self) -> None:
        from tui.screens.reader import ReaderScreen

        # Everything imported so far lives as long as the app: frozen, the collections
        # that building a large article sets off never rescan it (a 1 MB article's first
        # frame: 120 ms sooner). `gloss read` turned collections off until now.
        gc.freeze()
        gc.enable()

        if self.opened:  # the article first: the library is read after its frame
            self.push_screen(ReaderScreen(self.opened))
        else:
            self.push_screen(self._library())
        self.ending.catch()

    def _library(self) -> Screen[None]:
        from tui.screens.library import LibraryScreen

        return LibraryScreen(self.dataset, self.review, self.reviewing)

    # -- the dataset's claims and names -----------------------------------------------

    def read_index(self) -> None:
        """Read every article once, in a thread, after the reader's first frame: the
        claims board and the completion of canonical names come from it, and a reader
        opened by `gloss read` learns the library's order from it (for [ and ] and
        "article 2 / 7")."""
        if self.reading is not None or self.index.ready:
            return
        index = self.reading = ClaimIndex(self.dataset.labels)

        def read() -> None:
            order: list[str] = []

            def articles() -> Iterator[tuple[Article, Counter[tuple[str, str, str]]]]:
                for article, given in cached_articles(self.dataset, index.problems):
                    order.append(article.document.id)
                    yield article, given

            index.add_all(articles())
            self.call_from_thread(self._index_read, index, order)

        self.run_worker(read, thread=True, group="index", exit_on_error=False)

    def _index_read(self, index: ClaimIndex, order: list[str]) -> None:
        from tui.screens.board import BoardScreen
        from tui.screens.reader_base import ReaderBase

        index.take_over(self.index)
        self.index, self.reading = index, None
        for screen in self.screen_stack:
            if isinstance(screen, ReaderBase):
                screen.index_read(order)
            elif isinstance(screen, BoardScreen):
                screen.fill()

    def fresh_index(self) -> ClaimIndex:
        """The index with every article edited here read again."""
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

    def open_board(self, pair: list[str] | None, chosen: Callable[[Chosen | None], object]
                   ) -> None:
        """The claims board; ``pair``: two articles open side by side, which it can set
        against each other; ``chosen`` gets the claim to show (None: none)."""
        from tui.screens.board import BoardScreen

        self.read_index()
        if not isinstance(self.screen, BoardScreen):
            self.push_screen(BoardScreen(pair), chosen)

    def open_reader(self, doc_id: str, order: list[str], show: str | None = None) -> None:
        """Open ``doc_id`` in a reader (``show``: the id of a span to select there)."""
        from tui.screens.reader import ReaderScreen

        self.push_screen(ReaderScreen([doc_id], order, show))

    def open_review(self, doc_id: str, order: list[str]) -> None:
        """Review ``doc_id``: two versions of it side by side (see ``self.review``)."""
        from tui.screens.review import ReviewScreen

        self.push_screen(ReviewScreen(doc_id, self.review, order))

    def back_to_library(self) -> None:
        from tui.screens.library import LibraryScreen

        if any(isinstance(s, LibraryScreen) for s in self.screen_stack[:-1]):
            self.pop_screen()
        else:
            self.switch_screen(self._library())

    def action_stats(self) -> None:
        from tui.screens.stats import StatsScreen

        if not isinstance(self.screen, StatsScreen):
            self.push_screen(StatsScreen(self.dataset, self.tally))

    def pick(self, title: str, chosen: Callable[[str], object]) -> None:
        """Let the analyst pick an article; ``chosen`` gets its id (not called on escape)."""
        from tui.screens.picker import PickerScreen

        def picked(doc_id: str | None) -> None:
            if doc_id is not None:
                chosen(doc_id)

        self.push_screen(PickerScreen(self.dataset, title), picked)

    # -- keys ------------------------------------------------------------------------

    async def on_event(self, event: events.Event) -> None:
        """Keys that bubble back up go to the reader's open search before any binding.

        A key reaches this point once it has been handled by the focused widget and its
        parents, in the order the keys were pressed, and before its bindings are looked
        up: so "/Kyiv⏎3" in one burst types "Kyiv" and then labels (docs/architecture.md,
        "Keys in bursts").
        """
        from tui.screens.reader import ReaderScreen

        if isinstance(event, events.Key) and event.is_forwarded:
            screen = self.screen
            if isinstance(screen, ReaderScreen) and screen.take_key(event):
                return
        await super().on_event(event)

    async def action_interrupt(self) -> None:
        await self.action_quit()

    async def action_quit(self) -> None:
        """Quit once every save under way has reached the disk (or failed; waiting at
        most ``DRAIN_S``: what is not saved is said on stderr as the app ends)."""
        self.saves.flush()
        with contextlib.suppress(TimeoutError):  # then finished as the app ends
            await asyncio.wait_for(self.saves.wait(), DRAIN_S)
        self.exit()

    def on_unmount(self) -> None:
        self.saves.flush()  # however the app ends, the edits asked for are written
        self.saves.close()
        self.ending.restore()

    def not_saved(self) -> list[str]:
        """One line for each article with edits not on disk, once the app has ended."""
        return self.saves.not_saved()

    def action_help(self) -> None:
        from tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.dataset.labels, self.colours))

    def action_export(self, path: Path | None = None) -> None:
        """Export in a thread: a large dataset takes seconds, the screen must not freeze."""
        target = path or Path("gloss-export.jsonl")
        self.notify(visible(f"exporting to {target}…"), markup=False)
        self.run_worker(lambda: self._export(target), thread=True, group="export")

    def _export(self, target: Path) -> None:
        from tui.formats import export_file

        try:
            report = export_file(self.dataset, target, "jsonl", wait=False)
        except GlossError as exc:
            self.call_from_thread(self.notify, visible(str(exc)), severity="error", timeout=10,
                                  markup=False)
            return
        extra = "; ".join(report.warnings + [f"skipped {p}" for p in report.unreadable])
        self.call_from_thread(self.notify, visible(f"exported {report.articles} articles to "
                                                   f"{target}" + (f"; {extra}" if extra else "")),
                              markup=False)
