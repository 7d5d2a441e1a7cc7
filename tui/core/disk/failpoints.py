"""Named points in a write where a test can stop the process, to kill it exactly there.

With ``GLOSS_STOP_AT=<name>`` in its environment, a process that reaches the point
``name`` writes ``stopped at <name>`` on stderr and stops itself (SIGSTOP), and the fault
suite kills it (``kill -9``); with ``GLOSS_STOP_HOLD=<path>`` too, the thread that reached
it makes the file ``path`` instead and waits there until the file is removed (tmux wakes
a stopped process at once), while the suite hangs up the terminal. Unset (as always but in
the tests), a point costs one comparison. The points, in the order a write passes them:

- ``staged`` (an import or a merge: every file staged, the dataset's lock not taken),
  ``locked`` (under the lock, before the journal), ``journal`` (the journal in place: the
  commit point), ``applying`` (half of the files renamed in place), ``applied`` (all of
  them, the journal not yet removed);
- ``save`` (a save: the article locked and read, nothing written), ``saved`` (the new
  file in place, the save not yet answered), ``row`` (a large file's save answered, on
  the thread of ``later.py``: the file it replaced closed, its row of the index not yet
  written; the fault suite holds that thread there with ``GLOSS_STOP_HOLD``: a stop sent
  from it was seen not to stop the process while its main thread was ending).
- ``tokens`` (``gloss tokens``: its first entry written into its temp file, the file not
  yet renamed into place).
- ``output`` (``-o FILE`` of an export or ``gloss claims``: the file written whole, not
  yet given its name).
"""

from __future__ import annotations

import os
import signal
import sys
import time

STOP_AT = os.environ.get("GLOSS_STOP_AT") or None
HOLD = os.environ.get("GLOSS_STOP_HOLD") or None


def point(name: str) -> None:
    if STOP_AT is not None and name == STOP_AT:
        stop(name)


def stop(name: str) -> None:
    if HOLD is not None:
        with open(HOLD, "w"):
            pass
        while os.path.exists(HOLD):
            time.sleep(0.01)
        return
    sys.stderr.write(f"stopped at {name}\n")
    sys.stderr.flush()
    os.kill(os.getpid(), signal.SIGSTOP)
