"""The Gloss app: it owns the one Dataset and wires the screens."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual import events
from textual.app import App
from textual.binding import Binding

from tui.commands import GlossCommands
from tui.core.dataset import Dataset
from tui.core.model import GlossError


class GlossApp(App[None]):
    CSS_PATH = Path(__file__).with_name("gloss.tcss")  # absolute: subclasses live elsewhere
    TITLE = "Gloss"
    COMMANDS = App.COMMANDS | {GlossCommands}
    BINDINGS = [Binding("ctrl+c", "interrupt", "Quit", show=False, priority=True)]

    def __init__(self, dataset: Dataset, opened: list[str] | None = None) -> None:
        super().__init__()
        self.dataset = dataset
        self.opened = list(opened or [])
        self._after_display: list[Callable[[], object]] = []

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

    def on_mount(self) -> None:
        from tui.screens.library import LibraryScreen
        from tui.screens.reader import ReaderScreen

        library = LibraryScreen(self.dataset)
        self.push_screen(library)
        if self.opened:
            self.push_screen(ReaderScreen(self.dataset, self.opened, library.order))

    def _searching(self) -> bool:
        return bool(getattr(self.screen, "searching", False))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """While the reader is searching, q ? and the others type the query."""
        return action == "interrupt" or not self._searching()

    def on_key(self, event: events.Key) -> None:
        """Keys no binding took go to the reader's search while it is open."""
        from tui.screens.reader import ReaderScreen

        if isinstance(self.screen, ReaderScreen) and self.screen.searching:
            self.screen.search_key(event)

    async def action_interrupt(self) -> None:
        await self.action_quit()

    async def action_quit(self) -> None:
        """Quit once every save under way has reached the disk."""
        from tui.screens.reader import ReaderScreen

        for screen in self.screen_stack:
            if isinstance(screen, ReaderScreen):
                await screen.wait_for_saves()
        self.exit()

    def action_help(self) -> None:
        from tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.dataset.labels))

    def action_export(self, path: Path | None = None) -> None:
        """Export in a thread: a large dataset takes seconds, the screen must not freeze."""
        target = path or Path("gloss-export.jsonl")
        self.notify(f"exporting to {target}…")
        self.run_worker(lambda: self._export(target), thread=True, group="export")

    def _export(self, target: Path) -> None:
        from tui.formats import export_file

        try:
            report = export_file(self.dataset, target, "jsonl")
        except GlossError as exc:
            self.call_from_thread(self.notify, str(exc), severity="error", timeout=10)
            return
        extra = "; ".join(report.warnings + [f"skipped {p}" for p in report.unreadable])
        self.call_from_thread(self.notify, f"exported {report.articles} articles to {target}"
                              + (f"; {extra}" if extra else ""))
