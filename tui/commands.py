"""The command palette (ctrl+p): the app's commands, the links and attributes of the span
under the cursor, and every article by title."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider

from tui.core.edits import cut
from tui.core.visible import visible

if TYPE_CHECKING:
    from tui.app import GlossApp
    from tui.screens.reader import ReaderScreen


class GlossCommands(Provider):
    def _commands(self) -> list[tuple[str, str, Callable[[], object]]]:
        from tui.screens.library import LibraryScreen
        from tui.screens.reader import ReaderScreen

        app = cast("GlossApp", self.app)
        commands: list[tuple[str, str, Callable[[], object]]] = [
            ("Export the dataset (JSONL)", "write gloss-export.jsonl in this folder",
             app.action_export),
            ("Show every key", "the help screen", app.action_help),
            ("Stats", "progress, spans per label, per article and per hour, claims (ctrl+g)",
             app.action_stats),
        ]
        screen = self.screen
        if isinstance(screen, LibraryScreen):
            commands.append(("Claims board", "every claim grouped by source (B in the reader)",
                             screen.action_claims_board))
        if isinstance(screen, ReaderScreen):
            commands += self._claims(screen)
            commands += [
                ("Toggle character mode", "selections stop snapping to words",
                 screen.action_toggle_char_mode),
                ("Mark article done", "and open the next", partial(screen.action_mark, "done")),
                ("Mark article skipped", "and open the next",
                 partial(screen.action_mark, "skipped")),
                ("Open an article side by side", "pick a second article",
                 screen.action_side_by_side),
                ("Close this pane", "the other article stays", screen.action_close_pane),
                ("Back to the library", "every article, its spans and status",
                 screen.action_library),
                ("Fold the span list", "or unfold it", screen.action_fold_spans),
                ("Label every occurrence", "of the span under the cursor",
                 screen.action_label_every),
                ("Retry failed saves", "save again what could not be saved",
                 screen.action_retry),
                ("Undo", "the last edit", screen.action_undo),
                ("Redo", "the last undone edit", screen.action_redo),
            ]
            rows, _ = app.dataset.summaries()
            commands += [(f"Open article: {visible(row.title)}", f"{row.length:,} characters, "
                          f"{row.spans} spans, {row.status}", partial(screen.open_here, row.id))
                         for row in rows]
        return commands

    def _claims(self, screen: ReaderScreen) -> list[tuple[str, str, Callable[[], object]]]:
        """Linking, the claims still to do, the board, and every attribute the span under
        the cursor can take."""
        labels = cast("GlossApp", self.app).dataset.labels
        commands: list[tuple[str, str, Callable[[], object]]] = [
            (f"Link {r.name}", f"a {r.head} to a {r.child} (or from the {r.child})",
             partial(screen.action_link, r.name)) for r in labels.relations]
        commands += [
            ("Next claim to do", "no source and no source kind yet (t)",
             partial(screen.action_next_todo, 1)),
            ("Claims board", "every claim grouped by source (B)", screen.action_claims_board),
            ("Attributes of this span", "the menu (m)", screen.action_attributes),
        ]
        span = screen.view.span_here()
        if span is None:
            return commands
        for kind in labels.attributes_of(span.label):
            if not kind.values:
                commands.append((f"Set {kind.name}…", f"of {span.label} “{cut(span.text, 30)}”",
                                 partial(screen.ask, kind.name)))
            for value in kind.values:
                commands.append((f"Set {kind.name}: {value}", "on the span under the cursor",
                                 partial(screen.set_attribute, kind.name, value)))
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
