"""The `gloss` command as an analyst runs it: import, export, stats, and bad input."""

import resource

import orjson
import pytest

from tests.conftest import ROOT, gloss, shared
from tui.core.store.dataset import Dataset


def export_lines(db, *args):
    result = gloss("export", "--db", db, *args)
    assert result.returncode == 0, result.stderr
    return [orjson.loads(line) for line in result.stdout.splitlines()]


def test_import_seeds_twice_adds_nothing_the_second_time(tmp_path):
    db = tmp_path / "db"
    first = gloss("import", ROOT / "seeds", "--db", db)
    assert first.returncode == 0, first.stderr
    assert "imported 7 new articles, 0 spans" in first.stderr
    again = gloss("import", ROOT / "seeds", "--db", db)
    assert "imported 0 new articles, 0 spans" in again.stderr
    assert len(Dataset(db, "alice").ids()) == 7
    titles = [r.title for r in Dataset(db, "alice").summaries()[0]]
    assert "US president Trump ousts national security advisor Bolton" in titles


def test_prodigy_records_sharing_a_text_become_one_article_with_both_spans(tmp_path):
    source = tmp_path / "in.jsonl"
    text = "Zelensky met Putin in Istanbul."
    source.write_bytes(b"\n".join(orjson.dumps(r) for r in [
        {"text": text, "meta": {"source": "wire"}, "_annotator_id": "bob",
         "spans": [{"start": 0, "end": 8, "label": "PERSON"}], "answer": "accept"},
        {"text": text, "spans": [{"start": 22, "end": 30, "label": "GPE"}]},
        {"text": text, "spans": [{"start": 13, "end": 18, "label": "PERSON"}],
         "answer": "reject"},
        {"text": "A headline with no spans key"},
    ]))
    result = gloss("import", source, "--db", tmp_path / "db")
    assert result.returncode == 0, result.stderr
    assert "imported 2 new articles, 2 spans" in result.stderr
    assert "labels added to the label set: PERSON, GPE" in result.stderr
    assert "1 records answered 'reject' skipped" in result.stderr
    # one article, two analysts: one Prodigy example each; the headline nobody labelled is
    # no example at all
    alice, bob = export_lines(tmp_path / "db")
    assert [(s["text"], s["label"], s["annotator"]) for s in alice["spans"] + bob["spans"]
            ] == [("Istanbul", "GPE", "alice"), ("Zelensky", "PERSON", "bob")]
    assert (alice["_annotator_id"], bob["_annotator_id"]) == ("alice", "bob")
    assert alice["meta"]["source"] == "wire" and alice["answer"] == bob["answer"] == "accept"
    *_, headline = export_lines(tmp_path / "db", "--all")  # a task to label, not an example
    assert headline["spans"] == [] and "answer" not in headline
    labels = Dataset(tmp_path / "db", "alice").labels
    assert (labels.get("PERSON").key, labels.get("GPE").key) == ("4", "5")


def test_export_is_prodigy_jsonl_with_inclusive_token_end(tmp_path, article):
    dataset = Dataset(article_db := tmp_path / "annotations", "alice")
    dataset.new_span(article.id, 0, 5, "ACTOR")  # Putin
    dataset.new_span(article.id, 30, 40, "CLAIM")  # cease-fire: three tokens
    [line] = export_lines(article_db)
    assert line["text"] == article.text and line["answer"] == "accept"
    assert line["meta"]["id"] == article.id
    assert line["meta"]["tokenizer"].startswith(("gloss-rules", "spacy-"))
    tokens = line["tokens"]
    for span in line["spans"]:
        assert tokens[span["token_start"]]["start"] == span["start"]
        assert tokens[span["token_end"]]["end"] == span["end"]
    assert [line["spans"][1]["token_start"], line["spans"][1]["token_end"]] == [6, 8]
    assert {"text", "start", "end", "id", "ws"} <= set(tokens[0])


def test_export_import_export_gives_the_same_lines(tmp_path):
    db, again = tmp_path / "db", tmp_path / "again"
    gloss("import", ROOT / "seeds", "--db", db)
    dataset = Dataset(db, "alice")
    for doc_id in dataset.ids():
        text = dataset.document(doc_id).text
        start = text.index("Trump") if "Trump" in text else 0
        dataset.new_span(doc_id, start, start + 5, "ACTOR")
    exported = gloss("export", "--db", db, "-o", tmp_path / "one.jsonl")
    assert exported.returncode == 0, exported.stderr
    assert gloss("import", tmp_path / "one.jsonl", "--db", again).returncode == 0
    gloss("export", "--db", again, "-o", tmp_path / "two.jsonl")
    one = (tmp_path / "one.jsonl").read_bytes()
    assert one == (tmp_path / "two.jsonl").read_bytes()
    assert one.count(b'"label":"ACTOR"') == 7


def test_export_filters_by_analyst(tmp_path, article):
    Dataset(tmp_path / "annotations", "alice").new_span(article.id, 0, 5, "ACTOR")
    Dataset(tmp_path / "annotations", "bob").new_span(article.id, 10, 15, "ACTOR")
    [line] = export_lines(tmp_path / "annotations", "--annotator", "bob")
    assert [s["text"] for s in line["spans"]] == ["Trump"]


def test_text_is_normalised_and_offsets_follow(tmp_path):
    source = tmp_path / "in.jsonl"
    raw = "\ufeffCafe\u0301 talks\r\nin Kyiv"
    kyiv = raw.index("Kyiv")
    source.write_bytes(orjson.dumps({"text": raw, "spans": [
        {"start": kyiv, "end": kyiv + 4, "label": "LOCATION"}]}))
    assert gloss("import", source, "--db", tmp_path / "db").returncode == 0
    [line] = export_lines(tmp_path / "db")
    assert line["text"] == "Café talks\nin Kyiv"
    [span] = line["spans"]
    assert line["text"][span["start"]:span["end"]] == "Kyiv"


@pytest.mark.parametrize(("lines", "reason"), [
    ([b'{"text": "fine"}', b'{"text": "broken'], "in.jsonl:2: not valid JSON"),
    ([b'{"text": "fine"}', b'{"meta": {}}'], "in.jsonl:2: no 'text' string"),
    ([b'{"text": "Kyiv", "spans": [{"start": 0, "end": 40, "label": "LOCATION"}]}'],
     "in.jsonl:1: span 1: span 0-40 is outside the text (length 4)"),
    ([b'{"text": "Kyiv", "spans": [{"start": 0, "end": 2, "label": "X", "text": "Ky"}]}',
      '{"text": "flag \U0001f1fa\U0001f1e6", "spans": [{"start": 5, "end": 6, "label": "X"}]}'
      .encode()], "in.jsonl:2: span 1: span 5-6 splits a character at offset 6"),
    ([b'{"text": "Kyiv", "spans": [{"start": 0, "end": 2, "label": "X", "text": "Od"}]}'],
     "in.jsonl:1: span 1: span 0-2 reads 'Ky', the record says 'Od'"),
    ([b'{"text": "Kyiv", "spans": [{"start": 0, "end": 2}]}'],
     "in.jsonl:1: span 1: a span needs a label"),
])
def test_bad_input_is_one_line_exit_2_and_nothing_imported(tmp_path, lines, reason):
    source = tmp_path / "in.jsonl"
    source.write_bytes(b"\n".join(lines))
    result = gloss("import", ROOT / "seeds", source, "--db", tmp_path / "db")
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith(f"gloss: {tmp_path}/") and reason in result.stderr
    assert Dataset(tmp_path / "db", "alice").is_empty()


def test_csv_without_a_text_column_is_refused(tmp_path):
    source = tmp_path / "in.csv"
    source.write_text("title,body\nA,B\n")
    result = gloss("import", source, "--db", tmp_path / "db")
    assert result.returncode == 2
    assert result.stderr == f"gloss: {source}:1: no 'text' column (columns: title, body)\n"


def test_import_into_a_full_disk_fails_cleanly_and_keeps_what_was_saved(tmp_path):
    db = tmp_path / "db"
    assert gloss("import", ROOT / "seeds", "--db", db).returncode == 0
    before = {p.name: p.read_bytes() for p in db.glob("*.json")}
    big = tmp_path / "big.txt"
    big.write_text("Kyiv " * 20_000)

    def cap():
        resource.setrlimit(resource.RLIMIT_FSIZE, (50_000, 50_000))

    result = gloss("import", big, "--db", db, preexec_fn=cap)
    assert result.returncode == 2
    assert result.stderr.endswith("not saved: the disk is full\n")
    assert {p.name: p.read_bytes() for p in db.glob("*.json")} == before
    assert not list(db.glob(".*.tmp"))


def test_stats_shows_labels_analysts_and_done(tmp_path, article):
    dataset = Dataset(tmp_path / "annotations", "alice")
    dataset.new_span(article.id, 0, 5, "ACTOR")
    dataset.set_status(article.id, "done")
    result = gloss("stats", "--db", tmp_path / "annotations", env={"COLUMNS": "100"})
    assert result.returncode == 0, result.stderr
    assert "articles" in result.stdout and "ACTOR" in result.stdout
    assert [line.split("│")[1:4] for line in result.stdout.splitlines()
            if "│ alice" in line] == [[" alice   ", "     1 ", "             1 "]]


def test_export_reports_a_broken_article_and_still_exports_the_rest(tmp_path, article):
    other = tmp_path / "annotations" / "0123456789abcdef.json"
    other.write_text("{not json")
    result = gloss("export", "--db", tmp_path / "annotations", "--all")
    assert result.returncode == 2
    assert len(result.stdout.splitlines()) == 1
    assert result.stderr.startswith(f"gloss: {other}: not valid JSON")
    assert result.stderr.endswith("; skipped, the 1 other articles exported\n")


# -- conformance with files written by other tools ----------------------------------


def test_wikinews_csv_imports_every_article(tmp_path):
    result = gloss("import", shared("news", "wikinews_2019.csv"), "--db", tmp_path / "db")
    assert result.returncode == 0, result.stderr
    assert "imported 171 new articles" in result.stderr
    rows, _ = Dataset(tmp_path / "db", "alice").summaries()
    assert rows[0].title == "Magnitogorsk apartment building collapses after explosion, dozens dead"


def test_prodigy_annotated_headlines_land_on_the_same_slices(tmp_path):
    source = shared("prodigy", "news_headlines_annotated.jsonl")
    result = gloss("import", source, "--db", tmp_path / "db")
    assert result.returncode == 0, result.stderr
    expected = []
    for line in source.read_bytes().splitlines():
        record = orjson.loads(line)
        if record.get("answer") == "accept":
            expected += [(record["text"][s["start"]:s["end"]], s["label"])
                         for s in record.get("spans", [])]
    got = [(s["text"], s["label"]) for line in export_lines(tmp_path / "db")
           for s in line["spans"]]
    assert sorted(got) == sorted(expected) and len(got) == 303


def test_read_opens_the_first_article_of_each_path(tmp_path, monkeypatch):
    from tui import cli

    opened = []
    monkeypatch.setattr("tui.app.GlossApp.run", lambda self: opened.extend(self.opened))
    monkeypatch.setattr("tui.cli.terminal_problem", lambda: None)  # CliRunner has none
    a, b = tmp_path / "a.txt", tmp_path / "b.csv"
    a.write_text("Kyiv says talks resume.")
    b.write_text("title,text\nOne,First article.\nTwo,Second article.\n")
    from click.testing import CliRunner

    result = CliRunner().invoke(cli.main, ["read", str(a), str(b), "--db",
                                           str(tmp_path / "db")])
    assert result.exit_code == 0, result.output
    dataset = Dataset(tmp_path / "db", "alice")
    assert [dataset.document(i).text for i in opened] == ["Kyiv says talks resume.",
                                                          "First article."]
    assert len(dataset.ids()) == 3
