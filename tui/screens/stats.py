"""The stats screen (ctrl+g): the figures of the dataset as plots, each with its numbers.

The counts are made in a thread while the screen says how far it is; the app's ``Tally``
keeps each article's counts (and the cache a session leaves), so the figures come from the
files that changed only. A first count shows the figures of the index's rows as they
stand, then counts again with every row checked against its file, and shows that. The
last figures show at once when the screen opens again. A save replaces its file, which
changes the folder's modification time: the screen looks at it each second and counts
again when it moved.
"""

from __future__ import annotations

import os
import threading
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Static

from tui.core.counts.figures import Figures, numbers, spans_by
from tui.core.disk.collector import collector_paused
from tui.core.document.model import GlossError
from tui.core.editing.session import Session
from tui.core.language.visible import visible
from tui.keys import bindings
from tui.plots import PLOTS
from tui.widgets.figure_panel import FigurePanel

LOOK_EVERY_S = 1.0
DRAWN_S = 2.0  # the first figures' frame, waited for before they are checked


class StatsScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = list(bindings("stats"))

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.dataset = session.dataset
        self.tally = session.tally
        self.figures: Figures | None = None  # the figures shown, once read
        self._stamp = -1  # the folder's modification time when last counted
        self._reading = False
        self._again = False  # the folder changed while it was being read
        self._progress: Timer | None = None

    @property
    def ready(self) -> bool:
        """The plots show the dataset's figures, checked against its files."""
        return self.figures is not None and not self._reading

    def compose(self) -> ComposeResult:
        yield Static(" Stats", id="stats-title", markup=False)
        with VerticalScroll(id="stats") as body:
            body.display = False  # until the figures are read
            for name in PLOTS:
                yield FigurePanel(name)
            yield Static("", id="stats-problems", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#stats", VerticalScroll).focus()
        if self.tally.last is not None:  # the last figures at once, then a look for changes
            self._show(self.tally.last)
        else:
            self._progress = self.set_interval(0.2, self._say_progress)
            self._say_progress()
        self.set_interval(LOOK_EVERY_S, self._look)
        # the first frame first: the reading thread would hold it back
        self.session.after_frame(self._count)

    def on_screen_resume(self) -> None:
        self._look()

    def _folder_stamp(self) -> int:
        try:
            return os.stat(self.dataset.folder).st_mtime_ns
        except OSError:
            return 0

    def _look(self) -> None:
        """Count again when the folder has changed since the last count."""
        if self._folder_stamp() != self._stamp:
            self._count()

    def _count(self) -> None:
        if self._reading:
            self._again = True
            return
        self._reading, self._again = True, False
        self._stamp = self._folder_stamp()  # taken first: a save during the read shows next
        dataset, tally = self.dataset, self.tally
        # a first count shows the index's rows as they stand, then checks them
        trusted = tally.last is None

        def read() -> None:
            try:
                if trusted:
                    # the cycle collector's passes over the counts' 100,000 rows (no cycle
                    # among them) were a third of the time to the first figures: once they
                    # are drawn and checked
                    with collector_paused():
                        found = first()
                else:
                    found = tally.figures(dataset)
            except GlossError as exc:  # the folder itself cannot be read
                self.app.call_from_thread(self._failed, str(exc))
                return
            self.app.call_from_thread(self._counted, found)

        def first() -> Figures:
            # checked once the frame showing these is drawn: not against its drawing
            drawn = threading.Event()
            self.app.call_from_thread(self._show, tally.figures(dataset, trusted=True), drawn)
            drawn.wait(DRAWN_S)
            return tally.figures(dataset)

        self.run_worker(read, thread=True, group="stats", exit_on_error=False)

    def _counted(self, found: Figures) -> None:
        self._reading = False
        if found is not self.figures:
            self._show(found)
        if self._again:
            self._count()

    def _show(self, found: Figures, drawn: threading.Event | None = None) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None
        self.figures = found
        self.query_one("#stats", VerticalScroll).display = True
        for name, lines in numbers(found):
            self.query_one(f"#figure-{name.replace(' ', '-')}", FigurePanel).show(
                found, self.dataset.labels, lines)
        whose = f" ({visible(spans_by(found))})" if len(found.analysts) > 1 else ""
        self._title(f" Stats · {visible(str(self.dataset.folder))} · {found.articles:,}"
                    f" articles · {found.spans:,} spans{whose}")
        self.query_one("#stats-problems", Static).update(
            "\n".join(f"broken: {visible(p)}" for p in found.problems))
        if drawn is not None:
            self.session.after_frame(drawn.set)

    def _failed(self, problem: str) -> None:
        self._reading = False
        self._title(f" Stats · {visible(problem)}")

    def _say_progress(self) -> None:
        if self.figures is None:
            self._title(f" Stats · reading {visible(str(self.dataset.folder))}:"
                        f" {self.tally.done:,} of {self.tally.total:,} articles…")

    def _title(self, text: str) -> None:
        self.query_one("#stats-title", Static).update(text)

    def action_back(self) -> None:
        self.dismiss(None)
