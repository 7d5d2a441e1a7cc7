"""Where each span came from (typed, or a kind of suggestion accepted) goes out in every
format that has a place for it and comes back on import; a typed span's file row and
exports are as they were before spans had an origin."""

import io
import json
from dataclasses import replace
from pathlib import Path

import orjson
import pytest

from tui import interchange
from tui.core.document.model import ORIGINS, TYPED, Document, Span
from tui.core.document.suggestion import KINDS
from tui.core.store.corpus import Notes, import_articles
from tui.core.store.dataset import Dataset
from tui.core.store.export_selection import Choice

TEXT = "Putin met Zelensky in Kyiv and the Kursk region.\nTrump’s envoy flew to Riyadh."
MARKS = [("Putin", "ACTOR", TYPED), ("Zelensky", "ACTOR", "seen-name"),
         ("Kyiv", "LOCATION", "pattern"), ("Kursk region", "LOCATION", "model"),
         ("Trump", "ACTOR", "claim-cue")]
ROUND_TRIPS = ["jsonl", "doccano", "labelstudio", "brat"]


def dataset_of(folder: Path) -> Dataset:
    dataset = Dataset(folder, "alice")
    spans = []
    for word, label, origin in MARKS:
        start = TEXT.index(word)
        spans.append(replace(Span.new(TEXT, start, start + len(word), label, "alice"),
                             origin=origin))
    dataset.add_article(Document.from_text(TEXT, {"source": "talks.txt"}), spans)
    return dataset


def origins(dataset: Dataset) -> dict[str, str]:
    [article] = list(dataset.readable([]))
    return {span.text: span.origin for span in article.spans}


def test_the_origins_are_the_suggestion_kinds():
    assert (TYPED, *KINDS) == ORIGINS


def test_a_typed_span_is_stored_as_before_and_an_origin_only_when_there_is_one(tmp_path):
    dataset = dataset_of(tmp_path / "db")
    [path] = dataset.folder.glob("*.json")
    rows = orjson.loads(path.read_bytes())["spans"].values()
    typed = next(r for r in rows if r["text"] == "Putin")
    assert list(typed) == ["start", "end", "label", "text", "annotator", "source", "id",
                           "created", "updated"]
    assert {r["text"]: r.get("origin") for r in rows} == {
        "Putin": None, "Zelensky": "seen-name", "Kyiv": "pattern", "Kursk region": "model",
        "Trump": "claim-cue"}
    assert origins(dataset) == {word: origin for word, _, origin in MARKS}


@pytest.mark.parametrize("name", ROUND_TRIPS)
def test_out_and_back_in(tmp_path, name):
    source = dataset_of(tmp_path / "db")
    out = tmp_path / ("out" if name == "brat" else f"out.{name}")
    interchange.export_file(source, out, name)
    back = Dataset(tmp_path / "back", "bob")
    raws = list(interchange.read(out, name, Notes()))
    import_articles(back, raws, source="out")
    assert origins(back) == origins(source)


def test_where_each_format_writes_it(tmp_path):
    source = dataset_of(tmp_path / "db")

    def exported(name: str) -> str:
        buffer = io.BytesIO()
        interchange.export(source, buffer, name, choice=Choice())
        return buffer.getvalue().decode()

    [line] = exported("jsonl").splitlines()
    spans = {s["text"]: s.get("origin") for s in json.loads(line)["spans"]}
    # on every JSONL span, so that Hugging Face datasets types them (tests/clients)
    assert spans["Putin"] == TYPED and spans["Kyiv"] == "pattern"
    [task] = json.loads(exported("labelstudio"))
    results = {r["value"]["text"]: r.get("meta") for r in task["annotations"][0]["result"]}
    assert results["Putin"] is None and results["Zelensky"] == {"origin": "seen-name"}
    [record] = exported("doccano").splitlines()
    assert {e.get("origin") for e in json.loads(record)["entities"]} == {None, "seen-name",
                                                                         "pattern", "model",
                                                                         "claim-cue"}
    interchange.export_file(source, tmp_path / "brat", "brat")
    [ann] = (tmp_path / "brat").glob("*.ann")
    assert "#1\tAnnotatorNotes T2\tgloss origin: seen-name" in ann.read_text()


def test_a_dataset_without_origins_exports_as_before(tmp_path):
    dataset = Dataset(tmp_path / "db", "alice")
    start = TEXT.index("Kyiv")
    dataset.add_article(Document.from_text(TEXT),
                        [Span.new(TEXT, start, start + 4, "LOCATION", "alice")])
    for name in ("jsonl", "doccano", "labelstudio"):
        buffer = io.BytesIO()
        interchange.export(dataset, buffer, name, choice=Choice())
        if name == "jsonl":  # every span has the same fields: typed, said so
            assert buffer.getvalue().count(b'"origin":"typed"') == 1
            continue
        assert b"origin" not in buffer.getvalue()
        if name == "doccano":  # no origin, no attributes, no links: the short form still
            assert b'"label":[[' in buffer.getvalue()


def test_label_studio_predictions_accepted_as_they_are_are_a_models(tmp_path):
    task = {"data": {"text": "Kyiv and Riga."}, "annotations": [{"completed_by": 1, "result": [
        {"id": "a", "type": "labels", "origin": "prediction",
         "value": {"start": 0, "end": 4, "labels": ["LOCATION"]}},
        {"id": "b", "type": "labels", "origin": "prediction-changed",
         "value": {"start": 9, "end": 13, "labels": ["LOCATION"]}}]}]}
    path = tmp_path / "tasks.json"
    path.write_bytes(orjson.dumps([task]))
    dataset = Dataset(tmp_path / "db", "alice")
    import_articles(dataset, list(interchange.read(path, "labelstudio", Notes())), "tasks")
    assert origins(dataset) == {"Kyiv": "model", "Riga": TYPED}


def test_spacy_docbin_carries_it(tmp_path):
    pytest.importorskip("spacy")
    import spacy
    from spacy.tokens import DocBin

    source = dataset_of(tmp_path / "db")
    interchange.export_file(source, tmp_path / "out.spacy", "spacy")
    [doc] = DocBin().from_bytes((tmp_path / "out.spacy").read_bytes()).get_docs(
        spacy.blank("en").vocab)
    group = doc.spans["gloss"]
    assert dict(zip([s.text for s in group], group.attrs["origins"], strict=True))[
        "Zelensky"] == "seen-name"


def test_an_origin_that_is_not_a_word_is_refused_on_import(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_bytes(orjson.dumps({"text": "Kyiv.", "spans": [
        {"start": 0, "end": 4, "label": "LOCATION", "origin": "a b"}]}) + b"\n")
    with pytest.raises(Exception, match="'origin' must be one word"):
        import_articles(Dataset(tmp_path / "db", "alice"),
                        list(interchange.read(path, "jsonl", Notes())), "in")


def test_a_claim_line_says_where_the_claim_came_from(tmp_path):
    dataset = Dataset(tmp_path / "db", "alice")
    text = "Putin said the talks were a trap."
    start = text.index("the talks")
    claim = replace(Span.new(text, start, len(text) - 1, "CLAIM", "alice"), origin="claim-cue")
    dataset.add_article(Document.from_text(text), [claim])
    buffer = io.BytesIO()
    interchange.export(dataset, buffer, "claims", choice=Choice())
    [line] = buffer.getvalue().splitlines()
    assert json.loads(line)["origin"] == "claim-cue"


def test_parquet_has_an_origin_column(tmp_path):
    parquet = pytest.importorskip("pyarrow.parquet")
    source = dataset_of(tmp_path / "db")
    interchange.export_file(source, tmp_path / "out", "parquet")
    spans = parquet.read_table(tmp_path / "out" / "spans.parquet").to_pylist()
    assert {row["text"]: row["origin"] for row in spans} == {
        word: origin for word, _, origin in MARKS}
    [article] = parquet.read_table(tmp_path / "out" / "articles.parquet").to_pylist()
    assert {s["text"]: s["origin"] for s in article["spans"]}["Kyiv"] == "pattern"
