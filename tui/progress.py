"""The progress of a long command (import, export, merge, agree): a Rich bar on stderr when
stderr is a terminal, and nothing at all when it is not (a pipe, a file, a test), so that
what a script reads is only the one-line summary.

``tui/core`` never draws: its long tasks take an iterable and let the caller wrap it in
:meth:`Progress.over`, which counts each item as it is taken.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterable, Iterator, Sized
from typing import Any, TypeVar

T = TypeVar("T")


class Progress:
    """One bar: ``advance()`` counts an item; ``over(items)`` counts each item of an
    iterable as it is taken, the bar's length that of the iterable when it has one."""

    def __init__(self, bar: Any = None, task: Any = None) -> None:
        self._bar = bar
        self._task = task

    def __call__(self) -> None:
        self.advance()

    def advance(self, steps: int = 1) -> None:
        if self._bar is not None:
            self._bar.advance(self._task, steps)

    def expect(self, total: int) -> None:
        """The number of items to come: the bar fills up to it."""
        if self._bar is not None:
            self._bar.update(self._task, total=total)

    def over(self, items: Iterable[T]) -> Iterator[T]:
        if self._bar is None:
            yield from items
            return
        if isinstance(items, Sized):
            self.expect(len(items))
        for item in items:
            yield item
            self._bar.advance(self._task)


@contextlib.contextmanager
def progress_bar(what: str, total: int | None = None, unit: str = "records"
                 ) -> Iterator[Progress]:
    """A bar for ``what`` on stderr when it is a terminal (gone once done), else none."""
    if not sys.stderr.isatty():
        yield Progress()
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
    )
    from rich.progress import (
        Progress as RichProgress,
    )

    with RichProgress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                      MofNCompleteColumn(), TextColumn(unit), TimeElapsedColumn(),
                      console=Console(stderr=True), transient=True) as bar:
        yield Progress(bar, bar.add_task(what, total=total))
