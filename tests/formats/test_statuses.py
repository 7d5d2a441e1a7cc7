"""What an export says of each article's status and whose work it holds: Prodigy's answer,
`_annotator_id` and `_session_id`, Label Studio's was_cancelled and ground_truth, doccano's
meta; `gloss export --reviewed`, `--reviewer`, `--all`; and the same statuses read back."""

from __future__ import annotations

import io
from pathlib import Path

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.hostile.attack import run, snapshot
from tui import interchange
from tui.core.document.model import Document, Span
from tui.core.store.corpus import Notes, import_articles
from tui.core.store.dataset import Dataset
from tui.core.store.export_selection import Choice

TEXTS = ["Zelensky said the talks in Riyadh were a trap.",
         "Putin denied it in Moscow on Tuesday.",
         "Odesa was shelled overnight, officials in Kyiv said."]


def team(folder: Path) -> tuple[Dataset, list[str]]:
    """Three articles: the first done by alice and bob and reviewed (the reviewer kept
    alice's Zelensky and bob's claim), the second skipped by alice, the third never opened."""
    dataset = Dataset(folder, "alice")
    first, second, third = (Document.from_text(t, {"source": "wire"}) for t in TEXTS)
    text = TEXTS[0]
    spans = [Span.new(text, 0, 8, "ACTOR", "alice"), Span.new(text, 14, 45, "CLAIM", "bob"),
             Span.new(text, 27, 33, "LOCATION", "bob"),
             Span.new(text, 0, 8, "ACTOR", "review", source="alice"),
             Span.new(text, 14, 45, "CLAIM", "review", source="bob")]
    dataset.add_articles([(first, spans, []), (second, [Span.new(TEXTS[1], 0, 5, "ACTOR",
                                                                 "alice")], []),
                          (third, [], [])])
    for who, doc_id, status in (("alice", first.id, "done"), ("bob", first.id, "done"),
                                ("review", first.id, "reviewed"),
                                ("alice", second.id, "skipped")):
        Dataset(folder, who).set_status(doc_id, status)
    return dataset, [first.id, second.id, third.id]


def lines(outcome) -> list[dict]:
    assert outcome.code == 0, outcome.err
    return [orjson.loads(line) for line in outcome.out.splitlines()]


def test_prodigys_answer_says_done_skipped_and_leaves_out_what_nobody_opened(tmp_path):
    dataset, ids = team(tmp_path / "db")
    outcome = run("export", "--db", dataset.folder)
    found = lines(outcome)  # one example an analyst, as Prodigy stores annotations
    assert [(line["meta"]["id"], line["_annotator_id"], line["_session_id"], line["answer"])
            for line in found] == [(ids[0], "alice", "alice", "accept"),
                                   (ids[0], "bob", "bob", "accept"),
                                   (ids[0], "review", "review", "accept"),
                                   (ids[1], "alice", "alice", "ignore")]
    assert [[s["annotator"] for s in line["spans"]] for line in found[:2]] == [
        ["alice"], ["bob", "bob"]]
    assert "warning: 1 articles nobody has opened left out (--all exports them)" in outcome.err
    assert outcome.err.endswith("exported 2 articles (4 lines: one an analyst)\n")
    everything = lines(run("export", "--db", dataset.folder, "--all"))
    assert everything[-1]["meta"]["id"] == ids[2] and everything[-1]["spans"] == []
    assert "answer" not in everything[-1] and "_annotator_id" not in everything[-1]


def test_one_analysts_export_says_whose_it_is(tmp_path):
    dataset, _ids = team(tmp_path / "db")
    outcome = run("export", "--db", dataset.folder, "--annotator", "bob")
    [line] = lines(outcome)  # bob never opened the other two
    assert (line["_annotator_id"], line["_session_id"], line["answer"]) == ("bob", "bob",
                                                                           "accept")
    assert {s["annotator"] for s in line["spans"]} == {"bob"}
    assert "warning: 2 articles bob has not opened left out (--all exports them)" in outcome.err


def test_the_reviewed_version_of_reviewed_articles_only(tmp_path):
    dataset, ids = team(tmp_path / "db")
    outcome = run("export", "--db", dataset.folder, "--reviewed")
    [line] = lines(outcome)
    assert (line["meta"]["id"], line["answer"], line["_annotator_id"]) == (ids[0], "accept",
                                                                          "review")
    assert [(s["text"], s["annotator"], s["source"]) for s in line["spans"]] == [
        ("Zelensky", "review", "alice"),
        ("the talks in Riyadh were a trap", "review", "bob")]
    assert "warning: 2 articles not reviewed left out" in outcome.err
    assert outcome.err.endswith("exported 1 reviewed article\n")
    same = lines(run("export", "--db", dataset.folder, "--reviewer", "review"))
    assert same == [line]  # --reviewer implies --reviewed


def test_every_format_exports_the_reviewed_version(tmp_path):
    dataset, _ids = team(tmp_path / "db")
    for name in ("doccano", "labelstudio", "conll", "claims"):
        out = io.BytesIO()
        report = interchange.export(dataset, out, name, choice=Choice(reviewed=True))
        assert report.articles == 1, name
        assert b"Riyadh" in out.getvalue() and b"Putin" not in out.getvalue()
    studio = orjson.loads(_export(dataset, "labelstudio", Choice(reviewed=True)))
    [annotation] = studio[0]["annotations"]
    who = studio[0]["meta"]["annotators"][str(annotation["id"])]
    assert (who, annotation["ground_truth"]) == ("review", True)
    doccano = orjson.loads(_export(dataset, "doccano", Choice(reviewed=True)))
    assert doccano["meta"]["annotators"] == ["review"]
    interchange.export_file(dataset, tmp_path / "brat", "brat", choice=Choice(reviewed=True))
    assert sorted(p.name for p in (tmp_path / "brat").iterdir()) == [".gloss-export", "wire.ann",
                                                                 "wire.txt"]


def test_reviewed_with_nothing_reviewed_is_one_line_and_nothing_written(tmp_path):
    dataset, ids = team(tmp_path / "db")
    Dataset(dataset.folder, "review").set_status(ids[0], "todo")  # back to work
    before = snapshot(dataset.folder)
    for args in (["--reviewed"], ["--reviewer", "olena"], ["--reviewed", "-o",
                                                         tmp_path / "train.jsonl"]):
        outcome = run("export", "--db", dataset.folder, *args)
        assert outcome.code == 2 and outcome.out == b""
        assert outcome.err == (f"gloss: {dataset.folder}: no article is reviewed"
                               f"{' by olena' if 'olena' in args else ''}; nothing exported"
                               " (review first, or merge the reviewer's folder in)\n")
    assert not (tmp_path / "train.jsonl").exists() and snapshot(dataset.folder) == before
    outcome = run("export", "--db", dataset.folder, "--format", "brat", "--reviewer", "olena",
                  "-o", tmp_path / "brat")
    assert outcome.code == 2 and not (tmp_path / "brat").exists()


def test_several_reviewers_of_one_article_are_left_out_until_one_is_picked(tmp_path):
    dataset, ids = team(tmp_path / "db")
    Dataset(dataset.folder, "olena").set_status(ids[0], "reviewed")
    outcome = run("export", "--db", dataset.folder, "--reviewed")
    assert outcome.code == 2 and outcome.err == (
        f"gloss: {dataset.folder}: nothing exported: 1 articles reviewed by olena and review"
        " left out (pick one with --reviewer)\n")
    [line] = lines(run("export", "--db", dataset.folder, "--reviewer", "review"))
    assert line["_annotator_id"] == "review"
    outcome = run("export", "--db", dataset.folder, "--reviewer", "olena")
    [line] = lines(outcome)  # olena reviewed it with no span of hers: no entity at all
    assert (line["_annotator_id"], line["spans"], line["answer"]) == ("olena", [], "accept")


@pytest.mark.parametrize("args", [["--reviewed", "--all"],
                                  ["--reviewed", "--annotator", "a", "--reviewer", "b"]])
def test_options_that_contradict_each_other_are_refused(tmp_path, args):
    dataset, _ = team(tmp_path / "db")
    outcome = run("export", "--db", dataset.folder, *args)
    assert outcome.code == 2 and outcome.err.count("\n") == 1 and outcome.out == b""


def test_formats_without_a_skipped_status_leave_skipped_articles_out(tmp_path):
    dataset, _ids = team(tmp_path / "db")
    for name in ("doccano", "conll"):
        out = io.BytesIO()
        report = interchange.export(dataset, out, name)
        assert report.articles == 1 and b"Putin" not in out.getvalue()
        assert "1 skipped articles left out (this format cannot say skipped)" in \
            report.warnings
    studio = orjson.loads(_export(dataset, "labelstudio", Choice()))
    assert [a["was_cancelled"] for a in studio[1]["annotations"]] == [True]


def test_a_record_of_one_version_leaves_out_the_spans_of_an_analyst_who_skipped(tmp_path):
    dataset, ids = team(tmp_path / "db")
    Dataset(dataset.folder, "bob").new_span(ids[1], 10, 16, "CLAIM")  # bob goes on
    report = interchange.export(dataset, out := io.BytesIO(), "doccano")
    [_, second] = [orjson.loads(line) for line in out.getvalue().splitlines()]
    assert second["meta"]["annotators"] == ["bob"] and len(second["label"]) == 1
    assert "1 articles exported without the spans of an analyst who skipped them" in \
        report.warnings
    [alice, bob] = lines(run("export", "--db", dataset.folder))[-2:]  # Prodigy: a line each
    assert (alice["answer"], bob["answer"]) == ("ignore", "accept")


def test_ignored_lines_come_back_skipped_never_as_accepted_data(tmp_path):
    dataset, ids = team(tmp_path / "db")
    first = _export(dataset, "jsonl", Choice())
    (tmp_path / "out.jsonl").write_bytes(first)
    again = Dataset(tmp_path / "again", "lead")
    import_articles(again, list(interchange.read(tmp_path / "out.jsonl", "jsonl", Notes())), "x")
    assert again.article(ids[1]).status == {"alice": "skipped"}
    assert _export(again, "jsonl", Choice()) == first
    out = io.BytesIO()
    assert interchange.export(again, out, "doccano").articles == 1  # the skipped one left out


def test_label_studio_keeps_every_status_and_the_reviewed_version(tmp_path):
    dataset, ids = team(tmp_path / "db")
    first = _export(dataset, "labelstudio", Choice(every=True))
    (tmp_path / "tasks.json").write_bytes(first)
    again = Dataset(tmp_path / "again", "lead")
    import_articles(again, list(interchange.read(tmp_path / "tasks.json", "labelstudio",
                                             Notes())), "x")
    assert again.article(ids[0]).status == {"alice": "done", "bob": "done",
                                            "review": "reviewed"}
    assert again.article(ids[1]).status == {"alice": "skipped"}
    assert _export(again, "labelstudio", Choice(every=True)) == first


def test_doccano_meta_says_whose_spans_and_one_name_reads_back(tmp_path):
    dataset, ids = team(tmp_path / "db")
    first = _export(dataset, "doccano", Choice(annotator="bob"))
    assert orjson.loads(first)["meta"]["annotators"] == ["bob"]
    (tmp_path / "bob.jsonl").write_bytes(first)
    again = Dataset(tmp_path / "again", "lead")
    import_articles(again, list(interchange.read(tmp_path / "bob.jsonl", "doccano", Notes())),
                    "x")
    assert {s.annotator for s in again.article(ids[0]).spans} == {"bob"}
    assert "annotators" not in again.article(ids[0]).document.meta
    assert _export(again, "doccano", Choice()) == first


def test_importing_never_overrides_a_status_set_in_gloss(tmp_path):
    dataset, ids = team(tmp_path / "db")
    path = tmp_path / "in.jsonl"
    path.write_bytes(orjson.dumps({"text": TEXTS[0], "_annotator_id": "review",
                                   "answer": "accept"}))
    import_articles(dataset, list(interchange.read(path, "jsonl", Notes())), "x")
    assert dataset.article(ids[0]).status["review"] == "reviewed"


STATUSES = st.sampled_from([None, "todo", "done", "skipped", "reviewed"])


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.sampled_from(["jsonl", "labelstudio"]),
       work=st.lists(st.tuples(st.sampled_from(["alice", "bob"]), STATUSES, st.booleans()),
                     min_size=1, max_size=3))
def test_statuses_round_trip(tmp_path_factory, name, work):
    """Export, import into an empty dataset, export again: the same bytes, whatever each
    analyst's status and spans."""
    tmp = tmp_path_factory.mktemp(name)
    dataset = Dataset(tmp / "one", "alice")
    document = Document.from_text(TEXTS[0])
    spans = [Span.new(TEXTS[0], 0, 8, "ACTOR", who) for who, _, labelled in work if labelled]
    dataset.add_article(document, spans)
    for who, status, _ in work:
        if status is not None:
            Dataset(dataset.folder, who).set_status(document.id, status)
    first = _export(dataset, name, Choice(every=True))
    source = tmp / ("out.jsonl" if name == "jsonl" else "out.json")
    source.write_bytes(first)
    again = Dataset(tmp / "again", "lead")
    import_articles(again, list(interchange.read(source, name, Notes())), "test")
    assert _export(again, name, Choice(every=True)) == first
    skipped = {who for who, s in dataset.article(document.id).status.items() if s == "skipped"}
    status = again.article(document.id).status if again.ids() else {}
    assert {who for who, s in status.items() if s == "skipped"} == skipped  # never accepted


def _export(dataset: Dataset, name: str, choice: Choice) -> bytes:
    out = io.BytesIO()
    interchange.export(dataset, out, name, choice=choice)
    return out.getvalue()
