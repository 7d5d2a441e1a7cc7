"""The command palette (ctrl+p): the app's commands and every article by title."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider


class GlossCommands(Provider):
    def _commands(self) -> list[tuple[str, str, Callable[[], object]]]:
        from tui.screens.reader import ReaderScreen

        app = self.app
        commands: list[tuple[str, str, Callable[[], object]]] = [
            ("Export the dataset (JSONL)", "write gloss-export.jsonl in this folder",
             app.action_export),  # type: ignore[attr-defined]
            ("Show every key", "the help screen", app.action_help),  # type: ignore[attr-defined]
        ]
        screen = self.screen
        if isinstance(screen, ReaderScreen):
            commands += [
                ("Toggle character mode", "selections stop snapping to words",
                 screen.action_toggle_char_mode),
                ("Mark article done", "and open the next", screen.action_mark_done),
                ("Mark article skipped", "and open the next", screen.action_mark_skipped),
                ("Open an article side by side", "pick a second article",
                 screen.action_side_by_side),
                ("Retry failed saves", "save again what could not be saved",
                 screen.action_retry),
                ("Undo", "the last edit", screen.action_undo),
                ("Redo", "the last undone edit", screen.action_redo),
            ]
            dataset = screen.dataset
            rows, _ = dataset.summaries()
            commands += [(f"Open article: {row.title}", f"{row.length:,} characters, "
                          f"{row.spans} spans, {row.status}",
                          partial(screen.show_article, row.id)) for row in rows]
        return commands

    async def discover(self) -> Hits:
        for name, help_text, callback in self._commands():
            if not name.startswith("Open article:"):
                yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, callback in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)
