"""An app that ``gloss serve`` started ends when the server does, however the server ends.

textual-serve starts one app process a browser tab and talks to it through pipes. Stopped
with ctrl+c or SIGTERM the server tells each app to quit; killed (SIGKILL, the OOM killer)
it cannot, and an app does not notice its pipes are gone (Textual's web driver only stops
reading keys), so each tab's app kept running, 45 MB apiece. So an app started by the
server (``GLOSS_SERVE_PARENT`` names the server's pid) watches its parent: on Linux the
kernel sends it SIGTERM when the parent dies (``PR_SET_PDEATHSIG``, through ctypes), and on
any system a thread looks at the parent's pid once a second and sends the same signal when
the app has been handed to another parent. SIGTERM is the app's graceful quit (what it is
saving is saved); an app still there :data:`GRACE_S` later is ended at once.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
import time

PARENT_VARIABLE = "GLOSS_SERVE_PARENT"
PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
CHECK_S = 1.0
GRACE_S = 30.0
EXIT_ORPHANED = 1


def watch_from_environment() -> None:
    """Watch the server named by ``GLOSS_SERVE_PARENT``, if any (and drop the variable:
    it is the server's, not for what this app may start)."""
    value = os.environ.pop(PARENT_VARIABLE, "")
    if value.isdigit():
        watch(int(value))


def watch(parent: int) -> None:
    """End this process when ``parent`` is no longer its parent (see the module)."""
    if sys.platform.startswith("linux"):
        import ctypes  # only here: every other start of the app goes without

        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    if os.getppid() != parent:  # the server died before the watch began: nothing to keep
        os._exit(EXIT_ORPHANED)
    threading.Thread(target=_watch, args=(parent,), name="parent-watch", daemon=True).start()


def _watch(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(CHECK_S)
    os.kill(os.getpid(), signal.SIGTERM)
    time.sleep(GRACE_S)
    os._exit(EXIT_ORPHANED)
