"""kill -9 at any instant: every write that changes several files (import, merge, an import
that replaces the label set) and every edit of many spans (the review's and the reader's
`a`) leaves the dataset, once opened again, exactly as before or exactly as after, byte
for byte, with no temp file left.

Each command is killed at each named point of its write (``tui/core/disk/failpoints.py``) and
at ``GLOSS_FAULT_KILLS`` random instants (24 here; ``GLOSS_FAULT_KILLS=300`` for the long
sweep), each time on a fresh copy of the same dataset.
"""

from __future__ import annotations

import os
import random

import orjson
import pytest

from tests.conftest import gloss
from tests.faults import dataset_templates as datasets
from tests.faults.kill import POINTS, SAVE_POINTS, Trials, settle, state, writers_gone

KILLS = int(os.environ.get("GLOSS_FAULT_KILLS", "24"))

COMMANDS = {
    "import": (datasets.for_import, POINTS),
    "merge": (datasets.for_merge, POINTS),
    "labels": (datasets.for_labels, POINTS),
    "review a": (datasets.for_review, SAVE_POINTS),
    "reader a": (datasets.for_every, SAVE_POINTS),
}
# Where the write stops: before its commit point, or after it
BEFORE = {"staged", "locked", "save"}
AFTER = {"journal", "applying", "applied", "saved"}


@pytest.mark.parametrize("command", list(COMMANDS))
def test_killed_at_any_instant_it_is_all_or_nothing(tmp_path, command):
    build, points = COMMANDS[command]
    trials = Trials(tmp_path, *build(tmp_path))
    try:
        for point in points:
            trials.at_point(point)
        rng = random.Random(f"{command}-{KILLS}")
        for _ in range(KILLS):
            trials.at_random(rng.uniform(0, trials.window))
    finally:
        trials.close()
    passed = ", ".join(f"{name} {at * 1000:.0f} ms" for name, at in trials.passed.items())
    print(f"\n{command}: {KILLS + len(points)} kills ({passed}): {dict(trials.outcomes)}")
    for point in points:
        expected = "before" if point in BEFORE else "after"
        assert trials.outcomes[f"{expected} ({point})"] == 1, trials.outcomes
    assert sum(trials.outcomes.values()) == KILLS + len(points)


def test_a_reader_sees_a_commit_cut_short_as_done_and_writes_nothing(tmp_path):
    """Killed past its commit point, an import is read whole by `gloss export` and
    `gloss stats` (each temp file the journal names read in place of its file), which
    write nothing; the next writer to open the dataset puts it all in place."""
    template, args = datasets.for_import(tmp_path)
    trials = Trials(tmp_path, template, args)
    try:
        folder = trials.copy()
        assert trials.writer.kill_at(trials.on(folder), "applying")
    finally:
        trials.close()
    writers_gone(folder)
    kept = state(folder)
    assert ".journal" in kept
    exported = gloss("export", "--all", "--db", folder)
    assert exported.returncode == 0, exported.stderr
    assert len(exported.stdout.splitlines()) == 340
    stats = gloss("stats", "--format", "json", "--db", folder)
    assert stats.returncode == 0 and orjson.loads(stats.stdout)["articles"] == 340
    assert state(folder) == kept  # reading wrote nothing
    assert settle(folder, trials.before, trials.after) == "after"
