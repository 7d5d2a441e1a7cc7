"""`gloss git-merge BASE OURS THEIRS PATH` (git's merge driver) and `gloss git-setup`
attacked: each version broken every way a stored file is (invalid JSON, the wrong shape,
every field of a valid file replaced by every JSON type, cut short), empty, a file of
another tool, another article, a FIFO, a folder, a dangling link; a PATH that is no Gloss
file. Each gets exactly one line and exit 2, with OURS and its folder byte-identical to
before: git then reports a conflict, and no file ever holds a conflict marker."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import orjson
import pytest

from tests.hostile.attack import CONTROL, ONE_LINE, TYPES, Outcome, run, run_child, snapshot
from tests.hostile.test_hostile_inputs import paths, replaced
from tests.hostile.test_hostile_store import LABEL_SETS, RAW_CASES, TABLES, build
from tui.core.disk.article_file import read_article
from tui.core.document.model import Document
from tui.core.store.dataset import Dataset

SIDES = ("base", "ours", "theirs")
FIELD_CASES = [(where, kind) for where in paths(TABLES) if where for kind in TYPES]


def three_versions(tmp: Path) -> tuple[bytes, bytes, bytes]:
    """One article file as BASE, OURS (a span more) and THEIRS (another span more)."""
    first, _ = build(tmp / "db")
    base = first.read_bytes()
    Dataset(tmp / "db", "olena").new_span(first.stem, 10, 18, "ACTOR")  # "Zelensky"
    ours = first.read_bytes()
    first.write_bytes(base)
    Dataset(tmp / "db", "petro").new_span(first.stem, 47, 51, "LOCATION")  # "Kyiv"
    return base, ours, first.read_bytes()


VERSIONS = three_versions(Path(tempfile.mkdtemp()))
DOC_ID = orjson.loads(VERSIONS[0])["article"]["1"]["id"]


def versions(tmp: Path) -> tuple[Path, dict[str, Path], str]:
    """A merge as git sets it up: the three versions in a folder of their own, and the
    article's PATH."""
    folder = tmp / "merge"
    folder.mkdir()
    files = {}
    for side, content in zip(SIDES, VERSIONS, strict=True):
        files[side] = folder / f".merge_file_{side}"
        files[side].write_bytes(content)
    return folder, files, str(tmp / "annotations" / f"{DOC_ID}.json")


def merged(folder: Path, files: dict[str, Path], name: str, *, child: bool = False
           ) -> Outcome:
    """Run the driver and check the rule: merged and readable (exit 0, nothing said), or
    one line, exit 2 and the folder as it was."""
    before = snapshot(folder)
    args = ("git-merge", files["base"], files["ours"], files["theirs"], name)
    outcome = run_child(*args) if child else run(*args)
    assert "Traceback" not in outcome.err and not CONTROL.search(outcome.err), outcome.err
    if outcome.code == 0:
        assert outcome.err == ""
        assert {p.name for p in folder.iterdir()} == {f.name for f in files.values()}
        read_article(Path(name), orjson.loads(files["ours"].read_bytes()))
    else:
        assert outcome.code == 2 and ONE_LINE.fullmatch(outcome.err), outcome.err
        assert "left ours as it is" in outcome.err
        assert snapshot(folder) == before
    return outcome


def test_the_untouched_case_merges(tmp_path):
    folder, files, name = versions(tmp_path)
    assert merged(folder, files, name).code == 0
    texts = {row["text"] for row in orjson.loads(files["ours"].read_bytes())["spans"].values()}
    assert {"Zelensky", "Kyiv", "Putin"} <= texts


@pytest.mark.parametrize("side", SIDES)
@pytest.mark.parametrize("case", list(RAW_CASES))
def test_a_version_that_is_not_a_gloss_file(tmp_path, side, case):
    folder, files, name = versions(tmp_path)
    files[side].write_bytes(RAW_CASES[case])
    outcome = merged(folder, files, name)
    # an empty BASE is git's for a file added on both sides: a union
    assert outcome.code == (0 if side == "base" and case in ("empty", "spaces") else 2)
    if outcome.code:
        assert outcome.err.startswith(f"gloss: {name}: ")


@pytest.mark.parametrize("side", SIDES)
@pytest.mark.parametrize("part", [1, 6, 11])
def test_a_version_cut_short(tmp_path, side, part):
    folder, files, name = versions(tmp_path)
    content = files[side].read_bytes()
    files[side].write_bytes(content[: len(content) * part // 12])
    assert merged(folder, files, name).code == 2


@pytest.mark.parametrize(("where", "kind"), FIELD_CASES,
                         ids=[f"{'.'.join(map(str, w))}-{k}" for w, k in FIELD_CASES])
def test_every_field_of_theirs_replaced_by_every_json_type(tmp_path, where, kind):
    folder, files, name = versions(tmp_path)
    files["theirs"].write_bytes(replaced(TABLES, where, TYPES[kind]))  # the same article
    merged(folder, files, name)  # merged when the value is one Gloss accepts, else refused


@pytest.mark.parametrize("side", SIDES)
@pytest.mark.parametrize("kind", ["fifo", "folder", "dangling link", "missing"])
def test_a_version_that_is_not_a_file(tmp_path, side, kind):
    folder, files, name = versions(tmp_path)
    files[side].unlink()
    if kind == "fifo":
        os.mkfifo(files[side])
    elif kind == "folder":
        files[side].mkdir()
    elif kind == "dangling link":
        files[side].symlink_to(tmp_path / "nowhere")
    assert merged(folder, files, name, child=kind == "fifo").code == 2


@pytest.mark.parametrize("side", ["ours", "theirs"])
def test_another_article_or_another_text_under_the_id(tmp_path, side):
    folder, files, name = versions(tmp_path)
    other = Dataset(tmp_path / "other", "x")
    document = Document.from_text("Odesa was shelled overnight.")
    other.add_article(document)
    files[side].write_bytes(other.path(document.id).read_bytes())
    assert "is not the file's name" in merged(folder, files, name).err
    forged = orjson.loads(files["base"].read_bytes())
    forged["article"]["1"]["text"] += " And more."  # spans still fit: only the text differs
    files[side].write_bytes(orjson.dumps(forged))
    assert "different texts" in merged(folder, files, name).err


@pytest.mark.parametrize("name", ["notes.json", "annotations/README.md", "x/.gitattributes",
                                  "annotations/0123456789ABCDEF.json"])
def test_a_path_that_is_no_gloss_file_is_left_to_git(tmp_path, name):
    folder, files, _ = versions(tmp_path)
    outcome = merged(folder, files, name)
    assert outcome.code == 2 and "not a Gloss article file or labels.json" in outcome.err


@pytest.mark.parametrize("side", SIDES)
@pytest.mark.parametrize("case", list(LABEL_SETS))
def test_a_broken_label_set(tmp_path, side, case):
    folder = tmp_path / "merge"
    folder.mkdir()
    files = {s: folder / f".merge_file_{s}" for s in SIDES}
    for s, names in zip(SIDES, (["ACTOR"], ["ACTOR", "EVENT"], ["ACTOR", "ORG"]), strict=True):
        files[s].write_bytes(orjson.dumps([{"name": n} for n in names]))
    files[side].write_bytes(LABEL_SETS[case])
    outcome = run("git-merge", *files.values(), "annotations/labels.json")
    expected = 0 if side == "base" and case == "empty" else 2
    assert outcome.code == expected, outcome.err
    if expected:
        assert ONE_LINE.fullmatch(outcome.err) and "labels.json" in outcome.err
    else:
        assert [r["name"] for r in orjson.loads(files["ours"].read_bytes())] == [
            "ACTOR", "EVENT", "ORG"]


# -- git-setup ---------------------------------------------------------------------------


def refused(tmp: Path, *args: object, env: dict[str, str] | None = None) -> str:
    before = snapshot(tmp)
    outcome = run("git-setup", *args, env=env)
    assert outcome.code == 2 and ONE_LINE.fullmatch(outcome.err), outcome.err
    assert snapshot(tmp) == before
    return outcome.err


def test_git_setup_outside_a_repository_a_file_or_without_git(tmp_path):
    build(tmp_path / "db")
    assert "not in a git repository" in refused(tmp_path, "--db", tmp_path / "db")
    (tmp_path / "file").write_text("x")
    assert "not a dataset folder" in refused(tmp_path, "--db", tmp_path / "file")
    assert "git is not installed" in refused(tmp_path, "--db", tmp_path / "db",
                                             env={"PATH": str(tmp_path / "no-bin")})


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
@pytest.mark.parametrize("kind", ["folder", "fifo", "not utf8", "dangling link"])
def test_git_setup_with_a_gitattributes_it_cannot_read(tmp_path, kind):
    build(tmp_path / "db")
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    attributes = tmp_path / "db" / ".gitattributes"
    if kind == "folder":
        attributes.mkdir()
    elif kind == "fifo":
        os.mkfifo(attributes)
    elif kind == "not utf8":
        attributes.write_bytes(b"*.txt text\n\xff\xfe\n")
    else:
        attributes.symlink_to(tmp_path / "nowhere")
    before = snapshot(tmp_path / "db")
    outcome = run_child("git-setup", "--db", tmp_path / "db")
    assert outcome.code == 2 and ONE_LINE.fullmatch(outcome.err), outcome.err
    assert ".gitattributes" in outcome.err
    assert snapshot(tmp_path / "db") == before
