"""The silent wrong data and half-imports that hostile users found, each as it was reported:
none may come back."""

from __future__ import annotations

import orjson

from tests.hostile.attack import jsonl, run, snapshot
from tui import interchange
from tui.core.document.model import Document, Span
from tui.core.store.dataset import Dataset


def test_a_label_studio_label_given_as_a_string_is_refused_not_spelled_out(tmp_path):
    source = tmp_path / "ls.json"
    source.write_bytes(orjson.dumps([{"data": {"text": "Putin spoke."}, "annotations": [
        {"result": [{"id": "r", "type": "labels",
                     "value": {"start": 0, "end": 5, "labels": "ACTOR"}}]}]}]))
    outcome = run("import", source, "--db", tmp_path / "db")
    assert outcome.code == 2 and "'labels' must be a list" in outcome.err
    outcome = run("import", source, "--db", tmp_path / "db", "--skip-invalid")
    assert outcome.code == 0
    [article] = Dataset.existing(tmp_path / "db", "x").articles()
    assert article.spans == []  # not five spans labelled A, C, T, O and R


def test_a_doccano_file_whose_first_record_is_long_is_still_doccano(tmp_path):
    text = "Kyiv " + "word " * 20_000  # a first line of about 100 KiB
    source = tmp_path / "long.jsonl"
    source.write_bytes(jsonl({"text": text, "label": [[0, 4, "LOCATION"]]}))
    assert interchange.detect(source).name == "doccano"
    assert run("import", source, "--db", tmp_path / "db").code == 0
    [article] = Dataset.existing(tmp_path / "db", "x").articles()
    assert [(s.text, s.label) for s in article.spans] == [("Kyiv", "LOCATION")]


def test_label_studio_meta_never_overwrites_the_text(tmp_path):
    dataset = Dataset(tmp_path / "db", "alice")
    document = Document.from_text("Putin spoke in Kyiv.", {"text": "something else"})
    dataset.add_article(document, [Span.new(document.text, 0, 5, "ACTOR", "alice")])
    out = tmp_path / "ls.json"
    assert run("export", "--format", "labelstudio", "-o", out, "--db", dataset.folder).code == 0
    [task] = orjson.loads(out.read_bytes())
    assert task["data"]["text"] == "Putin spoke in Kyiv."
    value = task["annotations"][0]["result"][0]["value"]
    assert task["data"]["text"][value["start"]:value["end"]] == "Putin"


def test_skipping_invalid_sets_aside_a_bad_span_and_keeps_its_article(tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_bytes(jsonl({"text": "Putin met Trump in Riyadh.", "spans": [
        {"start": 0, "end": 5, "label": "ACTOR"},
        {"start": 10, "end": 99, "label": "ACTOR"},
        {"start": 19, "end": 25, "label": "LOC\tATION"}]}))
    outcome = run("import", source, "--db", tmp_path / "db", "--skip-invalid")
    assert outcome.code == 0, outcome.err
    assert outcome.err.count("skipped: ") == 2
    [article] = Dataset.existing(tmp_path / "db", "x").articles()
    assert [s.text for s in article.spans] == ["Putin"]


def test_a_relation_to_a_skipped_span_is_skipped_with_it(tmp_path):
    source = tmp_path / "in.jsonl"
    source.write_bytes(jsonl({"text": "Putin met Trump.", "spans": [
        {"start": 0, "end": 5, "label": "ACTOR"}, {"start": 10, "end": 50, "label": "ACTOR"}],
        "relations": [{"head_span": {"start": 0, "end": 5},
                       "child_span": {"start": 10, "end": 50}, "label": "MET"}]}))
    outcome = run("import", source, "--db", tmp_path / "db", "--skip-invalid")
    assert outcome.code == 0 and "left out" in outcome.err
    [article] = Dataset.existing(tmp_path / "db", "x").articles()
    assert len(article.spans) == 1 and article.relations == []


def test_a_brat_export_of_an_article_whose_source_holds_a_nul(tmp_path):
    dataset = Dataset(tmp_path / "db", "alice")
    dataset.add_article(Document.from_text("Kyiv.", {"source": "a\x00b/../../c.txt"}))
    outcome = run("export", "--format", "brat", "-o", tmp_path / "out", "--db", dataset.folder,
                  "--all")
    assert outcome.code == 0, outcome.err
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [".gloss-export", "c.ann",
                                                               "c.txt"]


def test_an_import_refused_at_its_last_record_writes_nothing(tmp_path):
    db = tmp_path / "db"
    Dataset(db, "alice").add_article(Document.from_text("Already here."))
    before = snapshot(db)
    source = tmp_path / "in.jsonl"
    source.write_bytes(jsonl(*[{"text": f"Article {n}", "spans": [
        {"start": 0, "end": 7, "label": f"NEW{n}"}]} for n in range(200)],
        {"text": "Already here.", "spans": [{"start": 0, "end": 99, "label": "X"}]}))
    outcome = run("import", source, "--db", db)
    assert outcome.code == 2
    assert snapshot(db) == before  # no article linked, no label added


def test_stats_with_labels_never_rewrites_the_label_set(tmp_path):
    db = tmp_path / "db"
    Dataset(db, "alice").add_article(Document.from_text("Kyiv."))
    labels = tmp_path / "labels.txt"
    labels.write_text("PERSON\n")
    before = snapshot(db)
    outcome = run("--labels", labels, "stats", "--db", db)
    assert outcome.code == 2 and "only reads" in outcome.err
    assert snapshot(db) == before
    outcome = run("stats", "--labels", labels, "--db", db)  # stats has no such option
    # click words it "No such option: --labels" before 8.4, "No such option '--labels'" since
    assert outcome.code == 2 and "No such option" in outcome.err and "--labels" in outcome.err
    assert snapshot(db) == before
