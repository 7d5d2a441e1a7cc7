"""The Gloss app: it owns the one editing session (the dataset, the open articles, their
saves and the index of claims and names, ``tui/core/editing/session.py``) and the screens, which it
gives the session; it hands the reader's open mode (search, a link key choosing, a prompt)
the keys typed into it."""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from textual import events, on
from textual.app import App
from textual.driver import Driver
from textual.drivers.linux_driver import LinuxDriver
from textual.message import Message
from textual.screen import Screen

from tui import first_paint
from tui.commands import AppCommands, Command
from tui.core.document.model import GlossError
from tui.core.editing.session import Session
from tui.core.language.visible import visible
from tui.core.store.dataset import Dataset
from tui.ending import DRAIN_S, Ending
from tui.keys import bindings
from tui.screens.navigation import BackToLibrary, OpenBoard, OpenReader, OpenReview, PickArticle
from tui.screens.reader import ReaderScreen
from tui.screens.reader_base import ReaderBase

# The other screens are imported when first opened, never to dodge a circle (there is none:
# tests/test_import_graph.py): at start-up the library, review, board, picker, help and
# stats modules (plotext) cost `gloss read`'s first frame about 35 ms (bench/reader.py).
from tui.widgets.palette import ANSI16, MONO, TRUECOLOR

if TYPE_CHECKING:  # made only when a review opens
    from tui.core.team.review import ReviewPlan


def terminal_colours() -> str:
    """How many colours this terminal shows, as Rich tells from the environment."""
    system = Console(force_terminal=True).color_system
    return MONO if system is None else ANSI16 if system in ("standard", "windows") \
        else TRUECOLOR


class AfterFirstPaint(LinuxDriver):
    """Textual's driver taking the terminal over from the first paint (``first_paint.py``):
    the alternate screen is on already (entered again, some terminals would clear the
    paint before the first frame), and the mode to restore at the end is the terminal's
    own, not the paint's."""

    def start_application_mode(self) -> None:
        self._entering = True
        super().start_application_mode()
        self._entering = False
        before = first_paint.hand_over()
        if before is not None:
            self.attrs_before = before

    def write(self, data: str) -> None:
        if not (data == first_paint.ALT_SCREEN and getattr(self, "_entering", False)):
            super().write(data)


@dataclass
class Delivered(Message):
    """A function the session's threads (the save queue's writer, the index's reader) want
    run on the UI thread."""

    run: Callable[[], None]


class GlossApp(App[None]):
    CSS_PATH = Path(__file__).with_name("gloss.tcss")  # absolute: subclasses live elsewhere
    TITLE = "Gloss"
    COMMANDS = App.COMMANDS | {AppCommands}
    BINDINGS = bindings("app")

    def __init__(self, dataset: Dataset, opened: list[str] | None = None,
                 colours: str | None = TRUECOLOR, review: ReviewPlan | None = None,
                 reviewing: bool = False, keymap: Mapping[str, str] | None = None,
                 model: Path | None = None) -> None:
        """``colours``: TRUECOLOR, ANSI16 or MONO; None asks the terminal. NO_COLOR in the
        environment always means MONO. ``review``: who reviews whom when an article is
        reviewed (the palette's "Review this article"); ``reviewing``: the library opens
        each article in the review (`gloss review`); ``keymap``: the analyst's keys, by
        the key table's ids (``tui/keymap.py`` reads and checks them); ``model``: a model
        folder whose spans the reader suggests (else the dataset's latest, if any)."""
        chosen = MONO if "NO_COLOR" in os.environ else (colours or terminal_colours())
        # In 16 colours the ANSI colours must reach the terminal as they are: turned into
        # RGB and back, Textual's yellow comes out red
        super().__init__(ansi_color=True if chosen == ANSI16 else None)
        self.colours = chosen
        self.dataset = dataset
        self.opened = list(opened or [])
        self.review = review  # None: the default plan, made when a review opens
        self.reviewing = reviewing
        self._after_display: list[Callable[[], object]] = []
        self.session = Session(dataset, on_ui=self._on_ui, after_frame=self.after_display,
                               in_thread=self._in_thread, model=model)
        self.keymap = dict(keymap or {})
        if self.keymap:  # each Binding(id=...) of the key table takes the keys given
            self.set_keymap(self.keymap)
        # A hang-up, SIGTERM or SIGINT ends the app once every edit is written
        self.ending = Ending(self.session.saves, lambda code: self.exit(return_code=code))

    def get_driver_class(self) -> type[Driver]:
        driver = super().get_driver_class()
        return AfterFirstPaint if first_paint.painted() and driver is LinuxDriver else driver

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

    def _on_ui(self, run: Callable[[], None]) -> None:
        self.post_message(Delivered(run))  # thread-safe: runs on the UI

    def _in_thread(self, run: Callable[[], None]) -> None:
        self.run_worker(run, thread=True, group="session", exit_on_error=False)

    @on(Delivered)
    def _delivered(self, message: Delivered) -> None:
        message.run()

    # -- screens ---------------------------------------------------------------------

    def on_mount(self) -> None:
        # Everything imported so far lives as long as the app: frozen, the collections
        # that building a large article sets off never rescan it (a 1 MB article's first
        # frame: 120 ms sooner). `gloss read` turned collections off until now.
        gc.freeze()
        gc.enable()

        if self.opened:  # the article first: the library is read after its frame
            self.push_screen(ReaderScreen(self.session, self.colours, self.opened))
        else:
            self.push_screen(self._library())
        self.ending.catch()

    def _library(self) -> Screen[None]:
        from tui.screens.library import LibraryScreen  # put off: start-up (above)

        return LibraryScreen(self.dataset, self.review, self.reviewing)

    @on(OpenReader)
    def _open_reader(self, message: OpenReader) -> None:
        self.push_screen(ReaderScreen(self.session, self.colours, [message.doc_id],
                                      message.order, message.show))

    @on(OpenReview)
    def _open_review(self, message: OpenReview) -> None:
        from tui.core.team.review import ReviewPlan
        from tui.screens.review import ReviewScreen  # put off: start-up (above)

        screen = ReviewScreen(self.session, self.colours, message.doc_id,
                              self.review or ReviewPlan(), message.order)
        if message.replace:
            self.switch_screen(screen)
        else:
            self.push_screen(screen)

    @on(OpenBoard)
    def _open_board(self, message: OpenBoard) -> None:
        from tui.screens.board import BoardScreen  # put off: start-up (above)

        self.session.read_index()
        if not isinstance(self.screen, BoardScreen):
            self.push_screen(BoardScreen(self.session, message.pair), message.chosen)

    @on(PickArticle)
    def _pick(self, message: PickArticle) -> None:
        from tui.screens.picker import PickerScreen  # put off: start-up (above)

        chosen = message.chosen

        def picked(doc_id: str | None) -> None:
            if doc_id is not None:
                chosen(doc_id)

        self.push_screen(PickerScreen(self.dataset, message.title), picked)

    @on(BackToLibrary)
    def _back_to_library(self, _message: BackToLibrary) -> None:
        from tui.screens.library import LibraryScreen  # put off: start-up (above)

        if any(isinstance(s, LibraryScreen) for s in self.screen_stack[:-1]):
            self.pop_screen()
        else:
            self.switch_screen(self._library())

    def action_stats(self) -> None:
        from tui.screens.stats import StatsScreen  # put off: start-up (above), plotext

        if not isinstance(self.screen, StatsScreen):
            self.push_screen(StatsScreen(self.session))

    def action_help(self) -> None:
        from tui.screens.help import HelpScreen  # put off: start-up (above)

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.dataset.labels, self.colours, self.keymap))

    def commands(self) -> list[Command]:
        """The palette's commands on every screen (``AppCommands``)."""
        return [
            Command("Export the dataset (JSONL)", "write gloss-export.jsonl in this folder",
                    self.action_export),
            Command("Show every key", "the help screen", self.action_help),
            Command("Stats", "progress, spans per label, per article and per hour, claims"
                    " (ctrl+g)", self.action_stats),
        ]

    # -- keys ------------------------------------------------------------------------

    async def on_event(self, event: events.Event) -> None:
        """Keys that bubble back up go to the reader's open mode before any binding.

        A key reaches this point once it has been handled by the focused widget and its
        parents, in the order the keys were pressed, and before its bindings are looked
        up: so "/Kyiv⏎3" in one burst types "Kyiv" and then labels (docs/architecture.md,
        "Keys in bursts").
        """
        if isinstance(event, events.Key) and event.is_forwarded:
            screen = self.screen
            if isinstance(screen, ReaderBase) and screen.take_key(event):
                return
        await super().on_event(event)

    # -- ending ----------------------------------------------------------------------

    async def action_interrupt(self) -> None:
        await self.action_quit()

    async def action_quit(self) -> None:
        """Quit once every save under way has reached the disk (or failed; waiting at
        most ``DRAIN_S``: what is not saved is said on stderr as the app ends)."""
        await self.drain()
        self.exit()

    async def drain(self) -> None:
        """Every edit asked for written (or failed) before the app ends: the one place
        that waits for the session's saves (at most ``DRAIN_S``; what is not saved then
        is finished as the app ends, and said on stderr)."""
        await self.session.wait(DRAIN_S)

    def on_unmount(self) -> None:
        self.session.close()  # however the app ends, the edits asked for are written first
        self.ending.restore()
        # the library holds collections off until its first frame: an app ended before it
        # (a quit as it opens, a hang-up) leaves its process collecting again
        gc.enable()

    def not_saved(self) -> list[str]:
        """One line for each article with edits not on disk, once the app has ended."""
        return self.session.saves.not_saved()

    def action_export(self, path: Path | None = None) -> None:
        """Export in a thread: a large dataset takes seconds, the screen must not freeze."""
        target = path or Path("gloss-export.jsonl")
        self.notify(visible(f"exporting to {target}…"), markup=False)
        self.run_worker(lambda: self._export(target), thread=True, group="export")

    def _export(self, target: Path) -> None:
        from tui.interchange import export_file  # put off for start-up: every format's module

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
