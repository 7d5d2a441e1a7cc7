"""A second process beside this one: whether one may be forked now (:func:`may_fork`), and
one forked with two pipes between them (:class:`Helper`).

The commands that take both cores of a small machine (an export, ``gloss claims``'s lines,
its files' signatures, one long article's tokens) fork rather than start a new
interpreter: the second process shares what this one has loaded (the index read, spaCy)
instead of loading it again. A fork copies only the thread that calls it: a lock another
thread held would stay held in the copy, so none forks from a thread of the app (which
runs its long work in threads of its own).
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from collections.abc import Callable

LOADS = "/proc/loadavg"  # Linux's counts of the processes running and waiting


def may_fork(*, no_other_thread: bool = False, core_free_now: bool = False) -> bool:
    """Whether a second process may be forked here to run beside this one: the system
    forks, this is the main thread (``no_other_thread``: the only thread of this process,
    see :func:`only_thread`), and this process may run on two cores (``core_free_now``:
    one of them free at this moment, see :func:`free_core`)."""
    if not hasattr(os, "fork"):
        return False
    if not (only_thread() if no_other_thread else main_thread()):
        return False
    n = cores()
    return free_core(n, LOADS) if core_free_now else n >= 2


def cores() -> int:
    """The cores this process may run on (its affinity, which a container or ``taskset``
    narrows; the machine's count where that is not known)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def main_thread() -> bool:
    """Whether this is the main thread (the app's long work runs in threads of its own)."""
    return threading.current_thread() is threading.main_thread()


def only_thread() -> bool:
    """Whether this process runs no other thread (a fork copies none: one that held a
    lock would leave it held in the copy)."""
    return threading.active_count() == 1


def free_core(cores: int, loads: str = LOADS) -> bool:
    """Whether a core is free now, for a second process: fewer processes running than
    ``cores`` (this one among them; Linux's count of the moment, the fourth field of
    ``loads``). On a busy machine a short second process only costs (its faults), its work
    waiting for the same cores; where the count is not known, a second core is taken to
    be free."""
    if cores < 2:
        return False
    try:
        with open(loads, "rb") as counts:
            running = int(counts.read().split()[3].split(b"/")[0])
    except (OSError, ValueError, IndexError):
        return True
    return running < cores


class Helper:
    """A second process, forked, and the two pipes between it and this one: ``tell`` (this
    one's words to it) and ``heard`` (its answers). It runs ``life(its_heard, its_tell)``
    (descriptors) and is ended when it returns or raises; it is killed if :meth:`close`
    comes before :meth:`done`, and waited for either way."""

    def __init__(self, life: Callable[[int, int], None]) -> None:
        tell_read, self.tell = os.pipe()
        heard, heard_write = os.pipe()
        try:
            self.pid = os.fork()
        except OSError:
            for fd in (tell_read, self.tell, heard, heard_write):
                os.close(fd)
            raise
        if self.pid == 0:  # the helper: never returns
            try:
                os.close(self.tell)
                os.close(heard)
                life(tell_read, heard_write)
            finally:
                os._exit(70)
        os.close(tell_read)
        os.close(heard_write)
        self.heard = os.fdopen(heard, "rb")
        self.finished = False

    def done(self) -> None:
        """Its work is over: it is left to end by itself."""
        self.finished = True

    def close(self) -> None:
        if not self.finished:
            with contextlib.suppress(OSError):
                os.kill(self.pid, signal.SIGKILL)
        with contextlib.suppress(OSError):
            os.close(self.tell)
        self.heard.close()
        os.waitpid(self.pid, 0)
