"""How the app ends when it is told to (a hang-up, SIGTERM, SIGINT): every edit asked for
is written first, and the end is bounded.

A hang-up is how a session over SSH usually ends: the connection drops, the terminal is
gone, and the kernel sends SIGHUP. The edits the screen showed (some still queued behind
the frame, one perhaps being written) must reach the disk before the process ends. The
work is done in a thread of its own, not on the UI's event loop: with the terminal gone,
the loop may be stuck writing to it (Textual's output thread dies on the first write that
fails, and its queue then never drains). In order:

1. every edit not yet handed to the writer is handed over, and the writer is waited for
   (at most ``DRAIN_S``);
2. after a hang-up there is nothing to draw or restore: what could not be saved is said
   on stderr (for a log, if any), the owner files are released and the process ends,
   status 129;
3. after SIGTERM or SIGINT the app is asked to end as ``q`` ends it (the terminal is put
   back as it was, ``gloss`` says on stderr what was not saved); if it has not ended
   ``GRACE_S`` later, the process ends as after a hang-up.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import threading
import time
from collections.abc import Callable
from types import FrameType
from typing import Any

from tui.core.disk import commit
from tui.core.editing.save_queue import SaveQueue
from tui.core.language.visible import visible

DRAIN_S = 15.0  # a save waits at most 10 s for a lock
GRACE_S = 5.0
SIGNALS = (signal.SIGHUP, signal.SIGTERM, signal.SIGINT)


class Ending:
    def __init__(self, saves: SaveQueue, exit_app: Callable[[int], None]) -> None:
        self.saves = saves
        self.exit_app = exit_app  # called on the UI's loop with the exit status
        self.signum: int | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._previous: dict[int, Any] = {}

    def catch(self) -> None:
        """Take the ending signals (from the UI's loop, in the main thread)."""
        self._loop = asyncio.get_running_loop()
        for signum in SIGNALS:
            with contextlib.suppress(ValueError):  # not the main thread: leave them
                self._previous[signum] = signal.signal(signum, self._signalled)

    def restore(self) -> None:
        for signum, previous in self._previous.items():
            with contextlib.suppress(ValueError, TypeError):
                signal.signal(signum, previous)
        self._previous = {}

    def _signalled(self, signum: int, frame: FrameType | None) -> None:
        # Runs in the main thread between two bytecodes, even one stuck waiting on a lock
        if self.signum is None:
            self.signum = signum
            threading.Thread(target=self._end, args=(signum,), name="gloss-end",
                             daemon=True).start()

    def _end(self, signum: int) -> None:
        self.saves.drain(DRAIN_S)
        if signum != signal.SIGHUP and self._loop is not None:
            with contextlib.suppress(RuntimeError):  # the loop closed: it is ending
                self._loop.call_soon_threadsafe(self.exit_app, 128 + signum)
                time.sleep(GRACE_S)
        self.stop_now(128 + signum)

    def stop_now(self, code: int) -> None:
        """End the process at once: say what is not saved, release the owner files."""
        with contextlib.suppress(OSError):
            for line in self.saves.not_saved():
                os.write(2, visible(f"gloss: not saved: {line}\n").encode())
        commit.release_owners()
        os._exit(code)
