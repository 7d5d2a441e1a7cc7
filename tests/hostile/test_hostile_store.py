"""The stored files and the dataset folder attacked: an article file broken every way
(invalid JSON, the wrong shape, every field of a valid file replaced by every JSON type, a
FIFO, a folder, a dangling link, no permission), a broken label set, a `.locks` that is
a file or vanishes mid-import, a read-only or missing dataset. Then stats, export, the
library and an import into it: each keeps the rule, and reading never writes."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import Any

import orjson
import pytest

from tests.hostile.attack import (
    TEXT,
    TYPES,
    attack,
    can_drop_privileges,
    jsonl,
    snapshot,
)
from tests.hostile.test_hostile_inputs import paths, replaced
from tui.core.disk.storage import CorruptFileError
from tui.core.document.model import Document, Relation, Span
from tui.core.store.dataset import Dataset

OTHER = "Odesa was shelled overnight, officials in Kyiv said."


def build(folder: Path) -> tuple[Path, Path]:
    """A dataset of two articles with spans, a relation and a status; return A's and B's
    files."""
    dataset = Dataset(folder, "alice")
    first, second = Document.from_text(TEXT), Document.from_text(OTHER)
    putin = Span.new(TEXT, 0, 5, "ACTOR", "alice").with_attribute("canonical",
                                                                  "Vladimir Putin")
    kyiv = Span.new(TEXT, TEXT.index("Kyiv"), TEXT.index("Kyiv") + 4, "LOCATION", "alice")
    dataset.add_articles([(first, [putin, kyiv], [Relation(putin.id, kyiv.id, "IN", "alice")]),
                          (second, [Span.new(OTHER, 0, 5, "LOCATION", "bob")], [])])
    dataset.set_status(first.id, "done")
    Dataset(folder, "review").set_status(second.id, "reviewed")  # for export --reviewed
    return dataset.path(first.id), dataset.path(second.id)


def stored_tables(tmp: Path) -> dict[str, Any]:
    first, _ = build(tmp / "model")
    return orjson.loads(first.read_bytes())


TABLES = stored_tables(Path(tempfile.mkdtemp()))
FIELD_CASES = [(where, kind) for where in paths(TABLES) for kind in TYPES]
RAW_CASES = {"empty": b"", "spaces": b"  \n", "invalid": b"{not json", "object": b"{}",
             "list": b"[]", "number": b"5", "string": b'"x"', "null": b"null",
             "not utf8": b"\xff\xfe{}", "utf16": orjson.dumps(TABLES).decode().encode("utf-16"),
             "article not object": b'{"article": 5}', "spans list": b'{"article": {"1": {'
             b'"id": "x", "text": "t", "meta": {}}}, "spans": []}'}


def commands(tmp: Path) -> list[list[object]]:
    seed = tmp / "again.jsonl"
    seed.write_bytes(jsonl({"text": TEXT, "spans": [{"start": 6, "end": 9, "label": "X"}]}))
    return [["stats"], ["stats", "--plot"], ["stats", "--format", "json"], ["export"],
            ["export", "--format", "doccano"],
            ["export", "--format", "brat", "-o", tmp / "brat-out"], ["import", seed],
            ["claims"], ["agree", "--all"], ["export", "--reviewed"],
            ["export", "--reviewer", "review", "--format", "conll"],
            ["export", "--all", "--format", "labelstudio"], ["export", "--annotator", "bob"],
            ["tokens"]]


def attack_all(tmp: Path, broken: Path, *, child: bool = False,
               unprivileged: bool = False) -> None:
    db = tmp / "db"
    refused = set()
    codes: dict[object, set[int]] = {}
    for args in commands(tmp):
        outcome = attack(tmp, *args, child=child, unprivileged=unprivileged,
                         imports=args[0] in ("import", "tokens"))
        codes.setdefault(args[0], set()).add(outcome.code)
        if outcome.code == 2:
            assert str(broken) in outcome.err
            refused.add(args[0])
        if args == ["export"]:
            assert OTHER.encode() in outcome.out  # the readable article is still exported
    assert all(len(seen) == 1 for seen in codes.values()), codes  # stats --plot as stats
    assert refused in (set(), {"stats", "export", "import", "claims", "agree", "tokens"})
    team = tmp / "team"  # the broken dataset merged into another: refused, nothing made
    outcome = attack(tmp, "merge", db, child=child, unprivileged=unprivileged, db=team)
    assert outcome.code == (2 if refused else 0)
    assert team.exists() == (not refused)
    if unprivileged:
        return  # this process may read what the unprivileged child could not
    rows, problems = Dataset.existing(db, "alice").summaries()
    assert OTHER in [r.title for r in rows]  # the library opens, the broken one named
    assert [str(broken) in p for p in problems] == ([True] if refused else [])


@pytest.mark.parametrize("name", list(RAW_CASES))
def test_an_article_file_that_is_not_a_gloss_file(tmp_path, name):
    first, _ = build(tmp_path / "db")
    first.write_bytes(RAW_CASES[name])
    attack_all(tmp_path, first)
    problems = Dataset.existing(tmp_path / "db", "alice").summaries()[1]
    assert len(problems) == 1 and str(first) in problems[0]


@pytest.mark.parametrize("part", range(1, 12))
def test_an_article_file_cut_short(tmp_path, part):
    first, _ = build(tmp_path / "db")
    content = first.read_bytes()
    first.write_bytes(content[: len(content) * part // 12])
    attack_all(tmp_path, first)


@pytest.mark.parametrize(("where", "kind"), FIELD_CASES,
                         ids=[f"{'.'.join(map(str, w)) or 'file'}-{k}" for w, k in FIELD_CASES])
def test_every_stored_field_replaced_by_every_json_type(tmp_path, where, kind):
    first, _ = build(tmp_path / "db")  # the same shape as TABLES, its own ids and times
    first.write_bytes(replaced(orjson.loads(first.read_bytes()), where, TYPES[kind]))
    attack_all(tmp_path, first)


@pytest.mark.parametrize("kind", ["fifo", "folder", "dangling link"])
def test_an_article_file_that_is_not_a_file(tmp_path, kind):
    first, _ = build(tmp_path / "db")
    first.unlink()
    if kind == "fifo":
        os.mkfifo(first)
    elif kind == "folder":
        first.mkdir()
    else:
        first.symlink_to(tmp_path / "nowhere")
    attack_all(tmp_path, first, child=kind == "fifo")


@pytest.mark.skipif(not can_drop_privileges(), reason="running as root without setpriv")
def test_an_unreadable_article_file(tmp_path):
    first, _ = build(tmp_path / "db")
    first.chmod(0)
    attack_all(tmp_path, first, child=True, unprivileged=True)


# -- the dataset folder -----------------------------------------------------------------

LABEL_SETS = {"invalid": b"[", "object": b'{"name": "A"}', "number in list": b"[5]",
              "newline label": b'[{"name": "A\\nB"}]', "long key": b'[{"name": "A", "key": "12"}]',
              "twice": b'[{"name": "A"}, {"name": "A"}]', "empty": b""}


@pytest.mark.parametrize("name", list(LABEL_SETS))
def test_a_broken_label_set(tmp_path, name):
    build(tmp_path / "db")
    labels = tmp_path / "db" / "labels.json"
    labels.write_bytes(LABEL_SETS[name])
    for args in commands(tmp_path):
        outcome = attack(tmp_path, *args, imports=args[0] == "import")
        assert outcome.code == 2 and "labels.json" in outcome.err


def test_a_label_set_that_is_a_fifo(tmp_path):
    build(tmp_path / "db")
    os.mkfifo(tmp_path / "db" / "labels.json")
    for args in commands(tmp_path):
        assert attack(tmp_path, *args, child=True, imports=args[0] == "import").code == 2


@pytest.mark.parametrize("kind", ["file", "link"])
def test_a_folder_of_locks_that_is_a_file_or_a_link_is_never_used(tmp_path, kind):
    """Gloss keeps no lock files (it locks the article files and the dataset folder):
    a `.locks` left by an older Gloss, a file or a link elsewhere, is never followed."""
    build(tmp_path / "db")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    if kind == "file":
        (tmp_path / "db" / ".locks").write_text("not a folder")
    else:
        (tmp_path / "db" / ".locks").symlink_to(elsewhere)
    for args in commands(tmp_path):
        outcome = attack(tmp_path, *args, imports=args[0] == "import")
        assert outcome.code == 0, outcome.err
    assert not any(elsewhere.iterdir())


def test_a_dataset_that_is_a_file(tmp_path):
    (tmp_path / "db").write_text("a file")
    for args in commands(tmp_path):
        assert attack(tmp_path, *args, imports=args[0] == "import").code == 2


def test_reading_a_missing_dataset_makes_nothing(tmp_path):
    for args in commands(tmp_path)[:4]:
        outcome = attack(tmp_path, *args, imports=False)
        assert outcome.code == 2 and "no dataset at" in outcome.err
        assert not (tmp_path / "db").exists()


@pytest.mark.skipif(not can_drop_privileges(), reason="running as root without setpriv")
def test_a_read_only_dataset_is_read_and_never_written(tmp_path):
    build(tmp_path / "db")
    for path in [tmp_path / "db", *(tmp_path / "db").iterdir()]:
        path.chmod(0o555 if path.is_dir() else 0o444)
    try:
        for args in commands(tmp_path):
            outcome = attack(tmp_path, *args, child=True, unprivileged=True,
                             imports=args[0] in ("import", "tokens"))
            writes = args[0] in ("import", "tokens")  # refused in one line, as it was
            assert outcome.code == (2 if writes else 0), outcome.err
    finally:
        (tmp_path / "db").chmod(0o755)


def test_removing_locks_during_an_import_never_leaves_half_of_it(tmp_path):
    source = tmp_path / "many.jsonl"
    source.write_bytes(jsonl(*({"text": f"Article {n}: talks in Kyiv resume.",
                                "spans": [{"start": 0, "end": 7, "label": "X"}]}
                               for n in range(3000))))
    db = tmp_path / "db"
    build(db)
    before = snapshot(db)
    child = subprocess.Popen([sys.executable, "-m", "tui", "import", source, "--db", db],
                             stderr=subprocess.PIPE, text=True)
    stop = threading.Event()

    def remove_locks() -> None:
        while not stop.is_set():
            shutil.rmtree(db / ".locks", ignore_errors=True)

    remover = threading.Thread(target=remove_locks)
    remover.start()
    try:
        _, err = child.communicate(timeout=120)
    finally:
        stop.set()
        remover.join()
    assert "Traceback" not in err
    articles = Dataset.existing(db, "x").ids()
    if child.returncode == 0:
        assert len(articles) == 3002
    else:
        assert child.returncode == 2 and err.count("\n") == 1
        assert {k: v for k, v in snapshot(db).items() if not k.startswith(".locks")} == {
            k: v for k, v in before.items() if not k.startswith(".locks")}


JOURNALS = {"invalid": b"{not json", "empty": b"", "not an object": b"[1]",
            "no moves": b'{"gloss": "journal"}',
            "outside": b'{"moves": [["../../outside", "0123456789abcdef.json"]]}',
            "not an article": b'{"moves": [[".x.json.0123456789abcdef.01234567.tmp",'
                              b' "x.json"]]}',
            "into a folder": b'{"moves": [[".labels.json.0123456789abcdef.01234567.tmp",'
                             b' "../labels.json"]]}'}


@pytest.mark.parametrize("kind", [*JOURNALS, "a link"])
def test_a_journal_that_is_not_glosss_is_refused_and_never_followed(tmp_path, kind):
    """A `.journal` (a commit cut short) that Gloss did not write: every command refuses
    with one line naming it, and nothing it names is ever moved."""
    build(tmp_path / "db")
    journal = tmp_path / "db" / ".journal"
    if kind == "a link":
        (tmp_path / "elsewhere").write_bytes(
            b'{"moves": [[".0123456789abcdef.json.0123456789abcdef.01234567.tmp",'
            b' "0123456789abcdef.json"]]}')
        journal.symlink_to(tmp_path / "elsewhere")
    else:
        journal.write_bytes(JOURNALS[kind])
    for args in commands(tmp_path):
        outcome = attack(tmp_path, *args, imports=args[0] == "import")
        assert outcome.code == 2 and ".journal" in outcome.err, outcome.err


@pytest.mark.parametrize("kind", [*RAW_CASES, "fifo", "folder", "dangling link"])
def test_an_article_opened_to_edit_is_refused_as_it_is_read(tmp_path, kind):
    """The reader opens an article to edit (``open_article``, which keeps its tables for
    the first save): a broken file is refused with the very error ``article`` gives, and
    left as it is."""
    first, _ = build(tmp_path / "db")
    first.unlink()
    if kind == "fifo":
        os.mkfifo(first)
    elif kind == "folder":
        first.mkdir()
    elif kind == "dangling link":
        first.symlink_to(tmp_path / "nowhere")
    else:
        first.write_bytes(RAW_CASES[kind])
    before = snapshot(tmp_path / "db")
    dataset = Dataset(tmp_path / "db", "alice")
    with pytest.raises(CorruptFileError) as read:
        dataset.article(first.stem)
    with pytest.raises(CorruptFileError) as opened:
        dataset.open_article(first.stem)
    assert str(opened.value) == str(read.value) and str(first) in str(opened.value)
    with pytest.raises(CorruptFileError):
        dataset.save_span(first.stem, Span(0, 1, "ACTOR", "T", "alice"))
    dataset.owner.release()
    assert snapshot(tmp_path / "db") == before
