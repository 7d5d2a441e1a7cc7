"""The app tests' snapshots wait for the reader's suggestions: they are found in a thread
after the first frame, and a snapshot shows them found, never half-way."""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

import pytest
from textual.pilot import Pilot

Before = Callable[[Pilot[Any]], Awaitable[None] | None]


async def settled(pilot: Pilot[Any]) -> None:
    """Wait until every open article's suggestions are found and nothing is searched."""
    suggestions = getattr(getattr(pilot.app, "session", None), "suggestions", None)
    for _ in range(1000):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        if suggestions is None or (not suggestions.busy and all(
                a.ready for a in suggestions.articles.values())):
            return


@pytest.fixture
def snap_compare(snap_compare: Callable[..., bool]) -> Callable[..., bool]:
    def compare(app: Any, press: Iterable[str] = (), terminal_size: tuple[int, int] = (80, 24),
                run_before: Before | None = None) -> bool:
        async def before(pilot: Pilot[Any]) -> None:
            await settled(pilot)
            if run_before is not None:
                done = run_before(pilot)
                if inspect.isawaitable(done):
                    await done
                await settled(pilot)

        return snap_compare(app, press=press, terminal_size=terminal_size, run_before=before)

    return compare
