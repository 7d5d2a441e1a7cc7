"""`gloss export -o` attacked: where it writes must never be replaced. A named pipe, a
character device, a terminal, `/dev/stdout` and a link are written into, as a shell's `>`
would, and stay what they were; a block device and a folder are refused; any path inside
the dataset (its label file, an article file, a new file, a link into it) is refused with
one line; a brat export never removes a file it did not write.

No real device is ever a victim: the devices are made with `os.mknod` in a temp folder
(root only, skipped otherwise), a terminal is a pty of the test's own."""

from __future__ import annotations

import os
import select
import stat
import threading
from pathlib import Path

import orjson
import pytest

from tests.hostile.attack import HANG_S, TEXT, attack, run, run_child, snapshot
from tui.core.document.model import Document, Span
from tui.core.store.dataset import Dataset

root_only = pytest.mark.skipif(os.geteuid() != 0, reason="os.mknod needs root")


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """A dataset of one article with a span, opened by alice."""
    folder = tmp_path / "db"
    dataset = Dataset(folder, "alice")
    document = Document.from_text(TEXT)
    dataset.add_article(document, [Span.new(TEXT, 0, 5, "ACTOR", "alice")])
    dataset.set_status(document.id, "done")
    return folder


def exported(tmp_path: Path, *args: object, child: bool = False) -> tuple[int, str]:
    outcome = attack(tmp_path, "export", *args, child=child, imports=False)
    return outcome.code, outcome.err


def make_null(path: Path) -> os.stat_result:
    """A character device like /dev/null (1, 3), at ``path``."""
    os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    return os.lstat(path)


def same_node(path: Path, before: os.stat_result) -> bool:
    after = os.lstat(path)
    return (stat.S_IFMT(after.st_mode), after.st_ino, after.st_rdev) == (
        stat.S_IFMT(before.st_mode), before.st_ino, before.st_rdev)


@root_only
@pytest.mark.parametrize("fmt", ["jsonl", "conll", "labelstudio", "claims"])
def test_a_character_device_is_written_into_not_replaced(tmp_path, db, fmt):
    null = tmp_path / "null"
    before = make_null(null)
    code, err = exported(tmp_path, "--format", fmt, "-o", null)
    assert code == 0, err
    assert same_node(null, before) and stat.S_ISCHR(os.lstat(null).st_mode)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".null")]  # no temp left


@root_only
def test_a_link_to_a_character_device_stays_a_link_to_it(tmp_path, db):
    null = tmp_path / "null"
    before = make_null(null)
    link = tmp_path / "stdout"
    link.symlink_to(null)
    assert exported(tmp_path, "-o", link)[0] == 0
    assert os.readlink(link) == str(null) and same_node(null, before)


@root_only
def test_a_block_device_is_refused(tmp_path, db):
    disk = tmp_path / "disk"
    os.mknod(disk, 0o600 | stat.S_IFBLK, os.makedev(7, 250))
    before = os.lstat(disk)
    code, err = exported(tmp_path, "-o", disk)
    assert code == 2 and "block device" in err, err
    assert same_node(disk, before)


def test_a_named_pipe_with_a_reader_gets_the_export(tmp_path, db):
    fifo = tmp_path / "out.jsonl"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
    reader.start()
    code, err = exported(tmp_path, "-o", fifo, child=True)
    reader.join(timeout=30)
    assert code == 0, err
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    [line] = got[0].splitlines()
    assert orjson.loads(line)["text"] == TEXT


def test_the_app_never_waits_on_a_named_pipe_nobody_reads(tmp_path, db):
    from tui.core.document.model import GlossError
    from tui.interchange import export_file

    fifo = tmp_path / "gloss-export.jsonl"
    os.mkfifo(fifo)
    with pytest.raises(GlossError, match="a named pipe with nothing reading it"):
        export_file(Dataset.existing(db, "alice"), fifo, wait=False)
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def stdout_link(tmp_path: Path, via: str) -> Path:
    """A link of our own that leads where /dev/stdout does (the real one is never given:
    an export that replaced what it names would replace the system's)."""
    link = tmp_path / "stdout"
    link.symlink_to("/proc/self/fd/1" if via == "proc" else "/dev/fd/1")
    return link


@pytest.mark.parametrize("via", ["proc", "dev/fd"])
def test_dev_stdout_is_this_process_s_output(tmp_path, db, via):
    link = stdout_link(tmp_path, via)
    outcome = run_child("export", "-o", link, "--db", db, cwd=tmp_path)
    assert outcome.code == 0, outcome.err
    assert orjson.loads(outcome.out)["text"] == TEXT
    assert link.is_symlink()


def test_dev_stdout_sent_to_a_file_writes_that_file(tmp_path, db):
    out = tmp_path / "out.jsonl"
    link = stdout_link(tmp_path, "proc")
    with out.open("wb") as handle:
        outcome = run_child("export", "-o", link, "--db", db, cwd=tmp_path, stdout=handle)
    assert outcome.code == 0, outcome.err
    assert orjson.loads(out.read_bytes())["text"] == TEXT
    assert link.is_symlink()


def test_a_terminal_is_written_into(tmp_path, db):
    """A pty of the test's own, given through a link of ours (a version that replaced what
    it is given would replace the link, never the terminal: /dev/pts makes no files)."""
    leader, follower = os.openpty()
    try:
        tty = tmp_path / "tty"
        tty.symlink_to(os.ttyname(follower))
        code, err = exported(tmp_path, "-o", tty, child=True)
        assert code == 0, err
        assert select.select([leader], [], [], HANG_S)[0], "nothing reached the terminal"
        shown = os.read(leader, 1 << 16)
        assert b"Putin and Zelensky" in shown
        assert tty.is_symlink() and stat.S_ISCHR(os.stat(tty).st_mode)
    finally:
        os.close(leader)
        os.close(follower)


def test_a_link_to_a_file_stays_a_link_and_the_file_gets_the_export(tmp_path, db):
    target = tmp_path / "real.jsonl"
    target.write_bytes(b"old\n")
    target.chmod(0o640)
    link = tmp_path / "out.jsonl"
    link.symlink_to(target.name)
    code, err = exported(tmp_path, "-o", link)
    assert code == 0, err
    assert link.is_symlink() and os.readlink(link) == target.name
    assert orjson.loads(target.read_bytes())["text"] == TEXT
    assert stat.S_IMODE(target.stat().st_mode) == 0o640  # kept, as `>` keeps it


def test_a_dangling_link_makes_its_target(tmp_path, db):
    link = tmp_path / "out.jsonl"
    link.symlink_to("made.jsonl")
    assert exported(tmp_path, "-o", link)[0] == 0
    assert link.is_symlink() and orjson.loads((tmp_path / "made.jsonl").read_bytes())


def test_a_regular_file_is_replaced_whole_keeping_its_mode(tmp_path, db):
    out = tmp_path / "out.jsonl"
    out.write_bytes(b"old\n")
    out.chmod(0o600)
    assert exported(tmp_path, "-o", out)[0] == 0
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert orjson.loads(out.read_bytes())["text"] == TEXT


def test_a_folder_is_refused(tmp_path, db):
    (tmp_path / "out").mkdir()
    code, err = exported(tmp_path, "-o", tmp_path / "out")
    assert code == 2 and "a folder" in err


# -- inside the dataset ----------------------------------------------------------------


INSIDE = ["labels.json", "an article file", "a new file", "the folder itself",
          "a new file in .locks", "a path through .."]


def inside(db: Path) -> dict[str, Path]:
    [article] = [p for p in db.iterdir() if p.suffix == ".json" and p.name != "labels.json"]
    return {"labels.json": db / "labels.json", "an article file": article,
            "a new file": db / "export.jsonl", "the folder itself": db,
            "a new file in .locks": db / ".locks" / "x.jsonl",
            "a path through ..": db / ".locks" / ".." / "labels.json"}


@pytest.mark.parametrize("what", INSIDE)
@pytest.mark.parametrize("fmt", ["jsonl", "brat", "gloss claims"])
def test_an_output_inside_the_dataset_is_refused(tmp_path, db, what, fmt):
    Dataset(db, "alice").replace_labels(Dataset(db, "alice").labels)  # labels.json there
    target = inside(db)[what]
    if fmt == "gloss claims":
        outcome = attack(tmp_path, "claims", "--format", "jsonl", "-o", target, imports=False)
        code, err = outcome.code, outcome.err
    else:
        code, err = exported(tmp_path, "--format", fmt, "-o", target)
    assert code == 2 and "inside the dataset folder" in err, err


@root_only
def test_claims_into_a_character_device(tmp_path, db):
    null = tmp_path / "null"
    before = make_null(null)
    outcome = attack(tmp_path, "claims", "--format", "csv", "-o", null, imports=False)
    assert outcome.code == 0, outcome.err
    assert same_node(null, before)


def test_a_link_into_the_dataset_is_refused(tmp_path, db):
    Dataset(db, "alice").replace_labels(Dataset(db, "alice").labels)
    link = tmp_path / "out.json"
    link.symlink_to(db / "labels.json")
    code, err = exported(tmp_path, "-o", link)
    assert code == 2 and "inside the dataset folder" in err
    assert link.is_symlink()


def test_a_hard_link_to_an_article_is_replaced_not_written_through(tmp_path, db):
    [article] = [p for p in db.iterdir() if p.suffix == ".json"]
    link = tmp_path / "out.json"
    os.link(article, link)
    before = snapshot(db)
    assert exported(tmp_path, "-o", link)[0] == 0
    assert snapshot(db) == before
    assert orjson.loads(link.read_bytes())["text"] == TEXT


def test_the_dataset_reached_through_proc_is_refused(tmp_path, db):
    """`-o /proc/self/fd/N` where N is an article file: written in place, so the file is
    checked to be none of the dataset's under any name."""
    [article] = [p for p in db.iterdir() if p.suffix == ".json"]
    before = snapshot(db)
    fd = os.open(article, os.O_RDONLY)
    try:
        outcome = run("export", "-o", f"/proc/self/fd/{fd}", "--db", db)
    finally:
        os.close(fd)
    assert outcome.code == 2 and "dataset" in outcome.err, outcome.err
    assert snapshot(db) == before


# -- brat writes a folder ----------------------------------------------------------------


def test_brat_never_removes_a_file_it_did_not_write(tmp_path, db):
    out = tmp_path / "brat"
    out.mkdir()
    (out / "keep.txt").write_text("mine")
    code, err = exported(tmp_path, "--format", "brat", "-o", out)
    assert code == 2 and "keep.txt" in err
    assert [p.name for p in out.iterdir()] == ["keep.txt"]


def test_brat_replaces_its_own_former_export(tmp_path, db):
    out = tmp_path / "brat"
    assert exported(tmp_path, "--format", "brat", "-o", out)[0] == 0
    names = sorted(p.name for p in out.iterdir())
    assert ".gloss-export" in names and any(n.endswith(".ann") for n in names)
    assert exported(tmp_path, "--format", "brat", "-o", out)[0] == 0  # again: replaced
    assert sorted(p.name for p in out.iterdir()) == names
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".brat")] == []


def test_brat_refuses_its_former_export_once_a_file_joined_it(tmp_path, db):
    out = tmp_path / "brat"
    assert exported(tmp_path, "--format", "brat", "-o", out)[0] == 0
    (out / "notes.txt").write_text("mine")
    before = snapshot(out)
    code, err = exported(tmp_path, "--format", "brat", "-o", out)
    assert code == 2 and "notes.txt" in err
    assert snapshot(out) == before


@pytest.mark.parametrize("manifest", [b"", b"{", b"[]", b'{"gloss": "brat"}',
                                      b'{"gloss": "conll", "files": ["a.txt"]}',
                                      b'{"gloss": "brat", "files": [5]}'])
def test_brat_refuses_a_forged_manifest(tmp_path, db, manifest):
    out = tmp_path / "brat"
    out.mkdir()
    (out / ".gloss-export").write_bytes(manifest)
    (out / "a.txt").write_text("mine")
    before = snapshot(out)
    code, err = exported(tmp_path, "--format", "brat", "-o", out)
    assert code == 2, err
    assert snapshot(out) == before


def test_brat_into_an_empty_folder_or_a_new_one(tmp_path, db):
    (tmp_path / "empty").mkdir()
    for out in (tmp_path / "empty", tmp_path / "new" / "deeper"):
        assert exported(tmp_path, "--format", "brat", "-o", out)[0] == 0
        assert (out / ".gloss-export").is_file()


def test_brat_refuses_a_link_or_a_file(tmp_path, db):
    (tmp_path / "real").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "real")
    (tmp_path / "file").write_text("x")
    for out in ("link", "file"):
        assert exported(tmp_path, "--format", "brat", "-o", tmp_path / out)[0] == 2
