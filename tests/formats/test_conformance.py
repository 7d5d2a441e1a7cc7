"""Files written by other tools (../shared/data): each imports, every span lands on the same
text slice, and exporting back to its own format gives the same spans. Skipped where the
shared data is absent (a user's clone)."""

import io

import orjson
import pytest

from tests.conftest import gloss, shared
from tui import interchange
from tui.core.store.corpus import Notes, import_articles
from tui.core.store.dataset import Dataset
from tui.core.store.export_selection import Choice


def imported(tmp_path, path, name="auto"):
    dataset = Dataset(tmp_path / "db", "alice")
    raws = list(interchange.read(path, name, Notes()))
    import_articles(dataset, raws, path.name)
    return dataset, raws


def export_bytes(dataset, name):
    out = io.BytesIO()
    interchange.export(dataset, out, name)
    return out.getvalue()


@pytest.mark.parametrize("name", ["sequence_labeling_export.jsonl",
                                  "sequence_labeling_overlapping.jsonl"])
def test_doccano_label_files(tmp_path, name):
    path = shared("doccano", name)
    assert interchange.detect(path).name == "doccano"
    dataset, _ = imported(tmp_path, path)
    source = [orjson.loads(line) for line in path.read_bytes().splitlines() if line.strip()]
    back = {line["text"]: line for line in map(orjson.loads,
                                               export_bytes(dataset, "doccano").splitlines())}
    stored = {a.document.text: a.spans for a in dataset.articles()}
    for record in source:
        text = record["text"]
        expected = sorted({(s, e, label) for s, e, label in record["label"]})
        assert sorted(tuple(x) for x in back[text]["label"]) == expected
        # BMP text: doccano's UTF-16 units are code points, so the slices must agree
        assert sorted((s.start, s.end, s.label) for s in stored[text]) == expected
        assert all(s.text == text[s.start:s.end] for s in stored[text])


def test_doccano_relations_file(tmp_path):
    path = shared("doccano", "relation_extraction.jsonl")
    dataset, _ = imported(tmp_path, path)
    [article] = list(dataset.articles())
    names = {s.id: s.text for s in article.spans}
    assert sorted((names[r.head], r.label, names[r.child]) for r in article.relations) == [
        ("Google", "foundedAt", "September 4, 1998"), ("Google", "foundedBy", "Larry Page"),
        ("Google", "foundedBy", "Sergey Brin")]
    [line] = export_bytes(dataset, "doccano").splitlines()
    record = orjson.loads(line)
    source = orjson.loads(path.read_bytes())
    assert [(e["start_offset"], e["end_offset"], e["label"]) for e in record["entities"]] == [
        (e["start_offset"], e["end_offset"], e["label"]) for e in source["entities"]]
    assert sorted((r["from_id"], r["to_id"], r["type"]) for r in record["relations"]) == sorted(
        (r["from_id"], r["to_id"], r["type"]) for r in source["relations"])


def test_doccano_record_without_text_is_a_clear_error_and_skip_invalid_imports_the_rest(
        tmp_path):
    path = shared("doccano", "sequence_labeling_with_meta.jsonl")
    result = gloss("import", path, "--db", tmp_path / "db")
    assert result.returncode == 2
    assert result.stderr == f"gloss: {path}:3: no 'text' string\n"
    assert Dataset(tmp_path / "db", "alice").is_empty()
    result = gloss("import", path, "--db", tmp_path / "db", "--skip-invalid")
    assert result.returncode == 0, result.stderr
    assert "imported 2 new articles, 1 spans" in result.stderr
    assert f"skipped: {path}:3: no 'text' string" in result.stderr


def test_brat_tutorial_spans_land_on_their_text_and_export_back(tmp_path):
    folder = shared("brat", "tutorial_news")
    assert interchange.detect(folder).name == "brat"
    notes = Notes()
    raws = list(interchange.read(folder, "brat", notes))
    dataset = Dataset(tmp_path / "db", "alice")
    import_articles(dataset, raws, "brat")
    assert any("E lines (events) skipped" in line for line in notes.lines())
    interchange.export_file(dataset, tmp_path / "out", "brat", choice=Choice(every=True))
    for ann in sorted(folder.glob("*.ann")):
        text = ann.with_suffix(".txt").read_text(encoding="utf-8")
        source_t = {tuple(line.split("\t")[1:3]) for line in ann.read_text().splitlines()
                    if line.startswith("T")}
        for (label_range, quoted) in source_t:
            _, start, end = label_range.split(" ")
            assert text[int(start):int(end)] == quoted
        exported = (tmp_path / "out" / ann.name).read_text(encoding="utf-8")
        assert {tuple(line.split("\t")[1:3]) for line in exported.splitlines()
                if line.startswith("T")} == source_t, ann.name

        def relations(lines, spans):
            out = set()
            for line in lines:
                if line.startswith("R"):
                    label, arg1, arg2 = line.split("\t")[1].split()
                    out.add((label, spans[arg1.split(":")[1]], spans[arg2.split(":")[1]]))
            return out

        def t_map(lines):
            return {line.split("\t")[0]: line.split("\t")[1] for line in lines
                    if line.startswith("T")}

        source_lines, exported_lines = ann.read_text().splitlines(), exported.splitlines()
        assert relations(exported_lines, t_map(exported_lines)) == relations(
            source_lines, t_map(source_lines)), ann.name


def test_brat_span_whose_text_does_not_match_is_refused(tmp_path):
    (tmp_path / "a.txt").write_text("Kyiv and Odesa")
    (tmp_path / "a.ann").write_text("T1\tGPE 0 4\tKyiv\nT2\tGPE 9 14\tLviv\n")
    result = gloss("import", tmp_path / "a.ann", "--db", tmp_path / "db")
    assert result.returncode == 2
    assert result.stderr == (f"gloss: {tmp_path / 'a.ann'}:2: the text at 9 14 reads 'Odesa',"
                             " the .ann says 'Lviv'\n")


@pytest.mark.parametrize(("name", "tokens"), [("doccano_example.conll", 4),
                                             ("spacy_token_per_line.iob", 66)])
def test_conll_files_import_and_export_the_same_tags(tmp_path, name, tokens):
    path = shared("conll", name)
    assert interchange.detect(path).name == "conll"
    dataset, _ = imported(tmp_path, path)
    source = [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines()
              if line.strip()]
    exported = [line.split("\t") for line in
                export_bytes(dataset, "conll").decode().splitlines() if line.strip()]
    assert len(source) == tokens
    assert [tag for _, tag in exported] == [tag for _, tag in source]
    assert "".join(tok for tok, _ in exported) == "".join(tok for tok, _ in source)


def test_conll_iob1_is_detected_and_converted(tmp_path):
    path = tmp_path / "iob1.conll"
    path.write_text("Peter\tI-PER\nBlackburn\tI-PER\nmet\tO\nEU\tI-ORG\nUN\tB-ORG\n")
    notes = Notes()
    [raw] = interchange.read(path, "conll", notes)
    assert [(raw.text[s["start"]:s["end"]], s["label"]) for s in raw.spans] == [
        ("Peter Blackburn", "PER"), ("EU", "ORG"), ("UN", "ORG")]
    assert notes.lines() == ["1 IOB1 entities (starting with I-) converted"]


def test_malformed_conll_is_one_clear_line(tmp_path):
    path = shared("conll", "doccano_invalid.conll")
    result = gloss("import", path, "--db", tmp_path / "db")
    assert result.returncode == 2
    assert result.stderr == (f"gloss: {path}:1: 'SOCCERO' is not an IOB tag (O, B-X, I-X,"
                             " ...)\n")


def test_prodigy_annotated_headlines_export_back_the_same_spans(tmp_path):
    path = shared("prodigy", "news_headlines_annotated.jsonl")
    dataset, _ = imported(tmp_path, path)
    expected = set()
    for line in path.read_bytes().splitlines():
        record = orjson.loads(line)
        if record.get("answer") == "accept":
            expected |= {(record["text"], s["start"], s["end"], s["label"])
                         for s in record.get("spans", [])}
    got = {(line["text"], s["start"], s["end"], s["label"])
           for line in map(orjson.loads, export_bytes(dataset, "jsonl").splitlines())
           for s in line["spans"]}
    assert got == expected


def test_prodigy_patterns_file_is_refused_clearly(tmp_path):
    path = shared("prodigy", "patterns_countries_gpe.jsonl")
    result = gloss("import", path, "--db", tmp_path / "db")
    assert result.returncode == 2
    assert result.stderr == f"gloss: {path}:1: no 'text' string\n"


@pytest.mark.parametrize(("record", "reason"), [
    ({"text": "😀 Kyiv", "label": [[1, 6, "LOC"]]}, "UTF-16 offset 1 falls inside a surrogate"),
    ({"text": "Kyiv", "label": [[0, 9, "LOC"]]}, "span 0-9 is outside the text (length 4)"),
    ({"text": "Kyiv", "label": [[0, 2]]}, "a label must be [start, end, LABEL]"),
])
def test_bad_doccano_offsets_are_refused(tmp_path, record, reason):
    path = tmp_path / "bad.jsonl"
    path.write_bytes(orjson.dumps(record))
    result = gloss("import", path, "--db", tmp_path / "db", "--format", "doccano")
    assert result.returncode == 2 and reason in result.stderr
    assert result.stderr.startswith(f"gloss: {path}:1") and result.stderr.count("\n") == 1


def test_strict_labels_refuses_new_labels(tmp_path):
    path = tmp_path / "a.jsonl"
    path.write_bytes(orjson.dumps({"text": "Kyiv", "spans": [{"start": 0, "end": 4,
                                                              "label": "GPE"}]}))
    result = gloss("import", path, "--db", tmp_path / "db", "--strict-labels")
    assert result.returncode == 2
    assert "labels not in the label set: GPE" in result.stderr
    assert Dataset(tmp_path / "db", "alice").is_empty()
