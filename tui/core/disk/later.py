"""What a save leaves for after it has returned, run in order on one thread per process.

A save is on disk when it returns (``storage.py``). Two things follow it that the analyst
need not wait for: freeing the file it replaced (closing the last descriptor of a file no
longer named frees its blocks and its pages: 5 to 10 ms for a 20 MB article) and the
article's row of the index (a cache, used only while it holds the file's signature: 8 ms
on a 20 MB article). They run here, one job at a time in the order given, on one thread
(``concurrent.futures``, which finishes the jobs it was given before the interpreter
exits). A process killed first loses only them: the kernel frees a file no longer named
as the process dies (ext4 too after a power cut: such a file is on its orphan list), and
a row not written is a stale row, read again by the next reader.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait

NAME = "gloss-after-save"

_guard = threading.Lock()
_pool: ThreadPoolExecutor | None = None
_pid = 0  # the process the thread is in: a forked child (a merge's second process) has
_last: Future[None] | None = None  # none of its parent's, and makes its own


def later(job: Callable[[], None]) -> None:
    """Run ``job`` after every job given before it (at once, here, when the interpreter
    is ending and starts no thread)."""
    global _pool, _pid, _last
    with _guard:
        if _pool is None or _pid != os.getpid():
            _pool, _pid, _last = ThreadPoolExecutor(max_workers=1, thread_name_prefix=NAME), \
                os.getpid(), None
        try:
            _last = _pool.submit(job)
            return
        except RuntimeError:  # the interpreter is ending
            pass
    job()


def settle() -> None:
    """Return once every job this process has given has run (at once when called from a
    job: it would wait for itself)."""
    with _guard:
        last = _last if _pid == os.getpid() else None
    if last is not None and not threading.current_thread().name.startswith(NAME):
        wait([last])
