"""A team's shared folder (docs/teams.md): two Unix users of one group, umask 002, a
setgid folder (2775); each imports, labels and merges into the same dataset, in turn and
at once, and nothing is refused or lost. On the main branch the second user got "cannot
open the lock: no permission to write" (lock files were always made 0644).

Needs root (to make the group and the users, and to switch to them), useradd and setpriv;
the users run the system's Python of this one's version, with this Gloss and its
libraries on PYTHONPATH (this interpreter may live where they cannot read)."""

from __future__ import annotations

import grp
import os
import pwd
import shutil
import stat
import subprocess
import sys
import sysconfig
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.faults import dataset_templates as datasets
from tests.faults.kill import WAIT_S, leftovers
from tui.core.store.dataset import Dataset

ROOT = Path(__file__).resolve().parents[2]
TOOLS = ("useradd", "userdel", "groupadd", "groupdel", "setpriv")


def reason_to_skip() -> str | None:
    if os.geteuid() != 0:
        return "needs root, to make two users and run as each"
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if missing:
        return f"needs {', '.join(missing)}"
    if system_python() is None:
        return f"no Python {sys.version_info.major}.{sys.version_info.minor} others can run"
    hidden = [path for path in library_paths() if not _everyone_reaches(path)]
    if hidden:
        return f"other users cannot read this Python's libraries ({hidden[0]})"
    return None


def library_paths() -> list[str]:
    """Where this interpreter's libraries are: the other users import them from here."""
    return sorted({sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]})


def system_python() -> str | None:
    """A Python of this version that any user may run (this one may be under /root)."""
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    for candidate in (sys.executable, f"/usr/bin/python{version}",
                      f"/usr/local/bin/python{version}"):
        real = os.path.realpath(candidate)
        if os.path.isfile(real) and _everyone_reaches(real):
            return real
    return None


def _everyone_reaches(path: str) -> bool:
    """Every folder above ``path`` is searchable by others, and it is executable."""
    parts = Path(path).parents
    return all(os.stat(p).st_mode & stat.S_IXOTH for p in parts) and \
        bool(os.stat(path).st_mode & stat.S_IXOTH)


pytestmark = pytest.mark.skipif(reason_to_skip() is not None,
                                reason=reason_to_skip() or "")


@pytest.fixture
def team() -> Iterator[tuple[str, list[str]]]:
    """A group and two users in it, removed afterwards."""
    tag = uuid.uuid4().hex[:6]
    group, users = f"glteam{tag}", [f"glalice{tag}", f"glbob{tag}"]
    subprocess.run(["groupadd", group], check=True)
    try:
        for user in users:
            subprocess.run(["useradd", "--no-create-home", "--gid", group, "--shell",
                            "/usr/sbin/nologin", user], check=True)
        yield group, users
    finally:
        for user in users:
            subprocess.run(["userdel", user], capture_output=True)
        subprocess.run(["groupdel", group], capture_output=True)


@pytest.fixture
def shared(team: tuple[str, list[str]]) -> Iterator[Path]:
    """A folder as docs/teams.md sets one up: the group's, setgid, group-writable."""
    folder = Path(tempfile.mkdtemp(prefix="gloss-shared-", dir="/tmp"))
    try:
        os.chown(folder, 0, grp.getgrnam(team[0]).gr_gid)
        folder.chmod(0o2775)
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def command(user: str, *args: object) -> list[str]:
    """`gloss ARGS` as ``user`` (and the user's group), umask 002, by the system's Python."""
    python = system_python()
    assert python is not None
    group = grp.getgrgid(pwd.getpwnam(user).pw_gid).gr_name
    return ["setpriv", f"--reuid={user}", f"--regid={group}", "--init-groups",
            "sh", "-c", 'umask 002 && exec "$@"', "sh", python, "-m", "tui",
            *map(str, args)]


def environment(user: str) -> dict[str, str]:
    return {"PATH": "/usr/bin:/bin", "HOME": "/tmp", "GLOSS_ANNOTATOR": user,
            "PYTHONPATH": os.pathsep.join([str(ROOT), *library_paths()])}


def as_user(user: str, *args: object) -> subprocess.Popen[str]:
    return subprocess.Popen(command(user, *args), env=environment(user), cwd="/tmp",
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def succeeds(child: subprocess.Popen[str]) -> None:
    _, err = child.communicate(timeout=WAIT_S)
    assert child.returncode == 0, err


def test_two_users_of_one_group_label_one_dataset(team, shared):
    group, (alice, bob) = team
    db = shared / "annotations"
    inputs = shared / "in"
    inputs.mkdir()
    for name, documents in (("one", datasets.reports(30)), ("two", datasets.reports(30, 20))):
        datasets.jsonl(inputs / f"{name}.jsonl", [
            {"text": d.text, "spans": [{"start": 0, "end": 6, "label": "ACTOR"}]}
            for d in documents])
    for path in inputs.iterdir():
        path.chmod(0o644)
    steps = [(alice, ["import", inputs / "one.jsonl"]), (bob, ["import", inputs / "two.jsonl"]),
             (alice, ["import", inputs / "two.jsonl", "--labels", _labels(shared)]),
             (bob, ["import", inputs / "one.jsonl"])]
    for user, args in steps:  # in turn: each writes over what the other made
        succeeds(as_user(user, *args, "--db", db))
    for user in (alice, bob):
        succeeds(as_user(user, "import", inputs / "one.jsonl", "--db", shared / user))
    together = [as_user(user, "merge", shared / user, "--db", db) for user in (alice, bob)]
    for child in together:  # at once
        succeeds(child)
    dataset = Dataset(db, "next")
    assert len(dataset.ids()) == 50
    analysts = {s.annotator for doc_id in dataset.ids() for s in dataset.spans(doc_id)}
    assert analysts == {alice, bob}
    gid = grp.getgrnam(group).gr_gid
    for path in [db, *db.rglob("*")]:
        info = path.lstat()
        assert info.st_gid == gid, path  # the folder's group, from the setgid folder
        assert info.st_mode & stat.S_IWGRP, f"{path} {stat.filemode(info.st_mode)}"
    assert not leftovers(db)


def _labels(shared: Path) -> Path:
    path = shared / "labels.txt"
    path.write_text("ACTOR\nCLAIM\nLOCATION\nEVENT\n", encoding="utf-8")
    path.chmod(0o644)
    return path


def test_an_export_into_a_drop_box_its_user_may_write_to_but_not_read(team, shared):
    """``-o`` into a folder of mode 733 (others may add files, not list them): the file is
    made whole there, as ``>`` would make it, with nothing beside it (the nameless file is
    linked through a descriptor that needs no right to read the folder)."""
    _group, (alice, _bob) = team
    db = shared / "annotations"
    source = shared / "one.jsonl"
    datasets.jsonl(source, [{"text": d.text, "spans": [{"start": 0, "end": 6,
                                                        "label": "CLAIM"}]}
                            for d in datasets.reports(5)])
    source.chmod(0o644)
    succeeds(as_user(alice, "import", source, "--db", db))
    drop = Path(tempfile.mkdtemp(prefix="gloss-drop-", dir="/tmp"))
    try:
        drop.chmod(0o733)
        for name, args in (("spans.jsonl", ["export", "--all"]),
                           ("claims.jsonl", ["claims", "--format", "jsonl"])):
            succeeds(as_user(alice, *args, "--db", db, "-o", drop / name))
            assert (drop / name).read_bytes().count(b"\n") == 5
        assert sorted(os.listdir(drop)) == ["claims.jsonl", "spans.jsonl"]
    finally:
        shutil.rmtree(drop, ignore_errors=True)
