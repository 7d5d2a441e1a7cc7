"""Python's cycle collector held off over a pass that makes millions of small objects and
no cycle (a pass over 100,000 index rows, a million claims, an export): the collector's
own passes over them cost a third of such a pass. Process-wide state, given back as it
was found, whatever ends the pass."""

from __future__ import annotations

import contextlib
import gc
import threading
from collections.abc import Iterator


@contextlib.contextmanager
def collector_paused(main_thread_only: bool = False) -> Iterator[None]:
    """The cycle collector paused for the block (left as it is when already paused). With
    ``main_thread_only``, left running when called from another thread (the app's work
    in a thread beside its screens, whose own garbage still wants collecting)."""
    enabled = gc.isenabled() and (
        not main_thread_only or threading.current_thread() is threading.main_thread())
    if enabled:
        gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
