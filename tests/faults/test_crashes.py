"""Issue 15's reproductions of a killed write (each failed on the main branch before the
commit mechanism): an import or a merge killed once its first new article file appears is
whole after the next opening, and a merge's second process dies with its parent."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.faults import dataset_templates as datasets
from tests.faults.kill import WAIT_S, leftovers, writers_gone
from tui.core.store.dataset import Dataset


def gloss(*args: object) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "tui", *map(str, args)],
                            env={**os.environ, "GLOSS_ANNOTATOR": "alice"},
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def kill_when(child: subprocess.Popen[str], seen: object) -> None:
    """Kill ``child`` (SIGKILL) as soon as ``seen()`` is true (polled without pause)."""
    deadline = time.monotonic() + WAIT_S
    while not seen():
        assert child.poll() is None, f"it ended first: {child.stderr.read()}"
        assert time.monotonic() < deadline
    child.send_signal(signal.SIGKILL)
    child.wait()


def children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            if int(stat.rpartition(")")[2].split()[1]) == pid:
                found.append(int(entry))
    return found


def alive(pid: int) -> bool:
    """Running, not a zombie (a zombie holds no file and writes nothing)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0] != "Z"
    except OSError:
        return False


def articles(folder: Path) -> set[str]:
    return {n for n in os.listdir(folder) if n.endswith(".json") and n != "labels.json"}


def test_an_import_killed_as_its_first_article_appears_is_whole_when_opened(tmp_path):
    db = datasets.labelled(tmp_path / "db", datasets.reports(5)).folder
    source = datasets.jsonl(tmp_path / "many.jsonl", [
        {"text": d.text, "spans": [{"start": 0, "end": 6, "label": "ACTOR"}]}
        for d in datasets.reports(3000, 100, "Riyadh")])
    before = articles(db)
    kill_when(gloss("import", source, "--db", db), lambda: articles(db) - before)
    ids = Dataset(db, "next").ids()
    assert len(ids) == 3005  # 226 of 3,000 on the main branch
    assert not leftovers(db)


def test_a_merge_killed_as_its_first_article_appears_is_whole_when_opened(tmp_path):
    for who, first in (("alice", 0), ("bob", 3000)):
        datasets.at_rest(datasets.labelled(tmp_path / who, datasets.reports(3000, first),
                                           who))
    team = datasets.at_rest(datasets.labelled(tmp_path / "team", datasets.reports(1, 9000)))
    before = articles(team)
    kill_when(gloss("merge", tmp_path / "alice", tmp_path / "bob", "--db", team),
              lambda: articles(team) - before)
    writers_gone(team)
    assert len(Dataset(team, "next").ids()) == 6001  # 529 of 6,001 on the main branch
    assert not leftovers(team)


def test_a_merges_second_process_dies_with_it(tmp_path):
    """Killed while it stages, a merge leaves no process writing behind it: no temp file
    is made after it died (on the main branch its second process went on for a second,
    staging hundreds more)."""
    for who, first in (("alice", 0), ("bob", 3000)):
        datasets.at_rest(datasets.labelled(tmp_path / who, datasets.reports(3000, first),
                                           who))
    team = tmp_path / "team"
    child = gloss("merge", tmp_path / "alice", tmp_path / "bob", "--db", team)

    def staging() -> bool:
        return team.is_dir() and sum(n.endswith(".tmp") for n in os.listdir(team)) > 50

    while not staging():
        assert child.poll() is None
    [helper] = children(child.pid)
    kill_when(child, lambda: True)
    at_death = {n for n in os.listdir(team) if n.endswith(".tmp")}
    deadline = time.monotonic() + WAIT_S
    while alive(helper):
        assert time.monotonic() < deadline
    after = {n for n in os.listdir(team) if n.endswith(".tmp")}
    assert len(after - at_death) <= 1  # at most the one being made as it was killed
    Dataset(team, "next")
    assert not leftovers(team) and Dataset(team, "next").ids() == []
