"""The command palette (ctrl+p): each screen declares its own commands, the app its own.

A screen that has commands sets ``COMMANDS = {ScreenCommands}`` and lists them in
``commands()``: the reader its editing and linking, the review its taking of sides, the
library its board and review; the app adds what works everywhere (export, help, stats).
So adding a screen never edits this file.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple, Protocol, runtime_checkable

from textual.command import DiscoveryHit, Hit, Hits, Provider


class Command(NamedTuple):
    name: str
    help: str
    run: Callable[[], object]
    discover: bool = True  # offered before anything is typed (not each article's "Open")


@runtime_checkable
class HasCommands(Protocol):
    def commands(self) -> list[Command]: ...


class _Listed(Provider):
    def _listed(self) -> list[Command]:
        raise NotImplementedError

    async def discover(self) -> Hits:
        for command in self._listed():
            if command.discover:
                yield DiscoveryHit(command.name, command.run, help=command.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command in self._listed():
            score = matcher.match(command.name)
            if score > 0:
                yield Hit(score, matcher.highlight(command.name), command.run,
                          help=command.help)


class ScreenCommands(_Listed):
    """The commands of the screen the palette was opened on."""

    def _listed(self) -> list[Command]:
        return self.screen.commands() if isinstance(self.screen, HasCommands) else []


class AppCommands(_Listed):
    """The app's own commands, on every screen."""

    def _listed(self) -> list[Command]:
        return self.app.commands() if isinstance(self.app, HasCommands) else []
