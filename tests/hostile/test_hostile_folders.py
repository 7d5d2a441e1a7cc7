"""Importing a folder: every file whose format can be told is read, each by its own reader;
what is no format Gloss reads is left out and named; a broken file of a known format stops
the whole import (one line, nothing made); a folder with nothing to import, or that is a
Gloss dataset, is refused in one line."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import orjson
import pytest

from tests.conftest import SHARED_DATA as SHARED
from tests.hostile.attack import (
    attack,
    doccano_label_record,
    jsonl,
    labelstudio_task,
    prodigy_record,
    seeds,
)
from tui.core.store.dataset import Dataset

READ = re.compile(r"\((\d+) records read")


def records_read(err: str) -> int:
    found = READ.search(err)
    assert found, err
    return int(found.group(1))


def texts(db: Path) -> set[str]:
    return {a.document.text for a in Dataset.existing(db, "x").articles()}


def distinct(record: dict, n: int) -> dict:
    """``record`` with its text made its own (a sentence added at the end)."""
    copy = orjson.loads(orjson.dumps(record))
    holder = copy.get("data", copy)
    holder["text"] = holder["text"] + f" Article {n}."
    return copy


def every_format(folder: Path) -> int:
    """One file of every format Gloss reads, each with an article of its own, in
    ``folder`` and a subfolder; returns how many records they hold."""
    sub = folder / "more"
    sub.mkdir(parents=True)
    (folder / "prodigy.jsonl").write_bytes(jsonl(distinct(prodigy_record(), 1)))
    (sub / "doccano.jsonl").write_bytes(jsonl(distinct(doccano_label_record(), 2)))
    (folder / "tasks.json").write_bytes(orjson.dumps([distinct(labelstudio_task(), 3)]))
    (folder / "news.csv").write_text("title,text\nA,Article four about Kyiv.\n"
                                     "B,Article five about Odesa.\n")
    (sub / "tagged.conll").write_bytes(seeds()["conll"][1])
    (folder / "plain.txt").write_text("Article eight, plain text.")
    (folder / "notes.md").write_text("Article nine, in Markdown.")
    (sub / "pair.txt").write_bytes(seeds()["text"][1])
    (sub / "pair.ann").write_bytes(seeds()["brat"][1])
    return 1 + 1 + 1 + 2 + 1 + 1 + 1 + 1


def test_a_folder_of_every_format_reads_each_file(tmp_path):
    expected = every_format(tmp_path / "in")
    outcome = attack(tmp_path, "import", tmp_path / "in")
    assert outcome.code == 0, outcome.err
    assert records_read(outcome.err) == expected
    assert "left out" not in outcome.err
    kept = texts(tmp_path / "db")
    assert "Article eight, plain text." in kept and "Article four about Kyiv." in kept
    spans = sum(len(a.spans) for a in Dataset.existing(tmp_path / "db", "x").articles())
    assert spans >= 8  # Prodigy 2, doccano 2, Label Studio 2, brat 2, CoNLL 4


@pytest.mark.parametrize("kind", ["jsonl", "csv", "conll", "labelstudio", "doccano"])
def test_a_folder_of_one_format_imports_it(tmp_path, kind):
    """Once a folder of JSONL, CSV or CoNLL said `0 records read`, exit 0."""
    folder = tmp_path / "in"
    folder.mkdir()
    for n in range(3):
        content = {"jsonl": jsonl(distinct(prodigy_record(), n)),
                   "doccano": jsonl(distinct(doccano_label_record(), n)),
                   "labelstudio": orjson.dumps([distinct(labelstudio_task(), n)]),
                   "csv": f"text\nArticle {n} about Kyiv.\n".encode(),
                   "conll": f"Article\tO\n{n}\tO\nKyiv\tB-LOCATION\n".encode()}[kind]
        suffix = {"labelstudio": "json", "doccano": "jsonl"}.get(kind, kind)
        (folder / f"part{n}.{suffix}").write_bytes(content)
    outcome = attack(tmp_path, "import", folder)
    assert outcome.code == 0, outcome.err
    assert records_read(outcome.err) == 3
    assert len(Dataset.existing(tmp_path / "db", "x").ids()) == 3


LEFT_OUT = {"report.pdf": b"%PDF-1.4", "README.md": b"# corpus", "LICENSE": b"MIT",
            "settings.json": b'{"theme": "dark"}', "patterns.jsonl": b'{"label": "GPE",'
            b' "pattern": "Kyiv"}\n', "people.csv": b"name,age\nolena,30\n",
            "annotation.conf": b"[entities]\nACTOR\n", "model.spacy": b"\x00\x01",
            "empty-list-of-words.json": b'["a", "b"]'}


def test_what_is_no_format_is_named_and_left_out(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "article.txt").write_text("Kyiv says talks resume.")
    for name, content in LEFT_OUT.items():
        (folder / name).write_bytes(content)
    outcome = attack(tmp_path, "import", folder)
    assert outcome.code == 0, outcome.err
    named = sorted(line.split(": ")[1].rpartition("/")[2] for line in
                   outcome.err.splitlines() if line.startswith("left out: "))
    assert named == sorted(LEFT_OUT)
    assert texts(tmp_path / "db") == {"Kyiv says talks resume."}


def test_many_left_out_are_counted_after_twenty(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "article.txt").write_text("Kyiv says talks resume.")
    for n in range(30):
        (folder / f"scan{n:02}.png").write_bytes(b"\x89PNG")
    outcome = attack(tmp_path, "import", folder)
    lines = [line for line in outcome.err.splitlines() if line.startswith("left out")]
    assert len(lines) == 21 and lines[-1] == ("left out: 10 more files that are no format"
                                              " Gloss reads")


@pytest.mark.parametrize("content", ["nothing", "empty", "only left out"])
def test_a_folder_with_nothing_to_import_is_one_line(tmp_path, content):
    folder = tmp_path / "in"
    folder.mkdir()
    if content == "only left out":
        (folder / "report.pdf").write_bytes(b"%PDF")
    elif content == "empty":
        (folder / "sub").mkdir()
    outcome = attack(tmp_path, "import", folder)
    assert outcome.code == 2 and "no file Gloss can import" in outcome.err
    assert not (tmp_path / "db").exists()


@pytest.mark.parametrize("broken", ["bad.jsonl", "bad.csv", "bad.conll", "bad.json",
                                    "bad.ann"])
def test_a_broken_file_among_good_ones_stops_the_import(tmp_path, broken):
    every_format(tmp_path / "in")
    content = {"bad.jsonl": b'{"text": "Kyiv", "spans": [{"start": 0, "end": 40,'
                            b' "label": "X"}]}\n',
               "bad.csv": b"text\nKyiv,extra\n", "bad.conll": b"Kyiv\tSOCCER0\n",
               "bad.json": b'[{"data": {"text": 5}}]', "bad.ann": b"T1\tX 0 400\tKyiv\n"}
    (tmp_path / "in" / "more" / broken).write_bytes(content[broken])
    if broken == "bad.ann":
        (tmp_path / "in" / "more" / "bad.txt").write_text("Kyiv")
    outcome = attack(tmp_path, "import", tmp_path / "in")
    assert outcome.code == 2, outcome.err
    assert broken in outcome.err
    assert not (tmp_path / "db").exists()


def test_a_broken_file_is_left_out_under_skip_invalid(tmp_path):
    expected = every_format(tmp_path / "in")
    (tmp_path / "in" / "bad.jsonl").write_bytes(b"{not json\n")
    outcome = attack(tmp_path, "import", tmp_path / "in", "--skip-invalid")
    assert outcome.code == 0, outcome.err
    assert records_read(outcome.err) == expected and "bad.jsonl:1" in outcome.err


def test_hidden_files_are_not_read(tmp_path):
    folder = tmp_path / "in"
    (folder / ".git").mkdir(parents=True)
    (folder / "a.txt").write_text("Kyiv says talks resume.")
    (folder / ".draft.jsonl").write_bytes(b"{broken")
    (folder / ".git" / "config.jsonl").write_bytes(b"{broken")
    outcome = attack(tmp_path, "import", folder)
    assert outcome.code == 0 and "left out" not in outcome.err, outcome.err


def test_a_gloss_dataset_is_merged_not_imported(tmp_path):
    every_format(tmp_path / "in")
    assert attack(tmp_path, "import", tmp_path / "in").code == 0
    outcome = attack(tmp_path, "import", tmp_path / "db", db=tmp_path / "other")
    assert outcome.code == 2 and "gloss merge" in outcome.err
    assert not (tmp_path / "other").exists()


@pytest.mark.parametrize("fifo", ["b.txt", "b.jsonl", "b.csv", "b.json", "b.pdf"])
def test_a_fifo_in_a_folder_never_hangs(tmp_path, fifo):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("Kyiv says talks resume.")
    os.mkfifo(folder / fifo)
    outcome = attack(tmp_path, "import", folder, child=True)
    assert outcome.code == (0 if fifo == "b.pdf" else 2), outcome.err


def test_a_format_given_reads_only_its_files(tmp_path):
    every_format(tmp_path / "in")
    outcome = attack(tmp_path, "import", tmp_path / "in", "--format", "jsonl")
    assert outcome.code == 0, outcome.err
    assert records_read(outcome.err) == 2  # prodigy.jsonl and more/doccano.jsonl
    assert "tasks.json: not a jsonl file by its name" in outcome.err
    assert "news.csv: not a jsonl file by its name" in outcome.err
    outcome = attack(tmp_path, "import", tmp_path / "in", "--format", "csv", db=tmp_path / "c")
    assert outcome.code == 0 and records_read(outcome.err) == 2, outcome.err


def test_every_export_of_a_dataset_read_back_from_one_folder(tmp_path):
    every_format(tmp_path / "in")
    assert attack(tmp_path, "import", tmp_path / "in").code == 0
    out = tmp_path / "exports"
    out.mkdir()
    for fmt, name in [("jsonl", "all.jsonl"), ("labelstudio", "tasks.json"),
                      ("conll", "all.conll"), ("brat", "brat")]:
        outcome = attack(tmp_path, "export", "--all", "--format", fmt, "-o", out / name,
                         imports=False)
        assert outcome.code == 0, outcome.err
    again = tmp_path / "again"
    outcome = attack(tmp_path, "import", out, db=again)
    assert outcome.code == 0, outcome.err
    assert texts(again) >= texts(tmp_path / "db")


@pytest.mark.skipif(not SHARED.is_dir(), reason="no shared conformance data")
def test_a_folder_of_real_files_from_other_tools(tmp_path):
    folder = tmp_path / "real"
    shutil.copytree(SHARED, folder)
    outcome = attack(tmp_path, "import", folder)  # a malformed CoNLL file among them
    assert outcome.code == 2 and "doccano_invalid.conll:1" in outcome.err, outcome.err
    outcome = attack(tmp_path, "import", folder, "--skip-invalid")  # and a record no text
    assert outcome.code == 0, outcome.err
    left = {line.split(": ")[1] for line in outcome.err.splitlines()
            if line.startswith("left out: ")}
    assert str(folder / "prodigy" / "patterns_countries_gpe.jsonl") in left
    assert str(folder / "SOURCES.md") in left
    assert records_read(outcome.err) > 500
