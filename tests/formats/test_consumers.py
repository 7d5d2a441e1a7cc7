"""The export read by its real consumers: spaCy and Hugging Face `datasets`.

Skipped when they are not installed; to run them:
    .venv/bin/pip install -e '.[spacy]' datasets && make test
"""

import io

import orjson
import pytest

from tui import interchange
from tui.core.document.model import Document, Span
from tui.core.store.dataset import Dataset

TEXT = ("Kremlin spokesman Dmitry Peskov said Russia would not withdraw from Zaporizhzhia.\n"
        "Kyiv 🇺🇦 rejected the claim on Tuesday.")


@pytest.fixture
def dataset(tmp_path):
    dataset = Dataset(tmp_path / "db", "alice")
    spans = [(TEXT.index("Dmitry Peskov said"), TEXT.index(" from"), "CLAIM"),
             (TEXT.index("Dmitry"), TEXT.index(" said"), "ACTOR"),
             (TEXT.index("Russia"), TEXT.index(" would"), "ACTOR"),
             (TEXT.index("Zaporizhzhia"), TEXT.index(".\n"), "LOCATION"),
             (TEXT.index("Kyiv"), TEXT.index(" 🇺🇦"), "LOCATION"),
             (TEXT.index("🇺🇦"), TEXT.index(" rejected"), "LOCATION")]
    dataset.add_article(Document.from_text(TEXT, {"source": "test"}),
                        [Span.new(TEXT, s, e, label, "alice") for s, e, label in spans])
    dataset.add_article(Document.from_text("Odesa was shelled.", {"url": "x", "date": "y"}),
                        [Span.new("Odesa was shelled.", 0, 5, "LOCATION", "bob")])
    return dataset


def test_spacy_reads_every_token_aligned_span_as_an_entity(dataset):
    spacy = pytest.importorskip("spacy")
    nlp = spacy.blank("en")
    out = io.BytesIO()
    interchange.export(dataset, out, "jsonl")
    lines = [orjson.loads(line) for line in out.getvalue().splitlines()]
    assert lines[0]["meta"]["tokenizer"] == f"spacy-{spacy.__version__}"
    for line in lines:
        doc = nlp.make_doc(line["text"])
        assert [t.text for t in doc if t.text] == [t["text"] for t in line["tokens"]] or \
            "🇺🇦" in line["text"]  # a flag that spaCy splits is one token in the export
        for span in line["spans"]:
            entity = doc.char_span(span["start"], span["end"], label=span["label"])
            assert entity is not None and entity.text == span["text"]


def test_a_docbin_written_by_gloss_reads_back(dataset, tmp_path):
    spacy = pytest.importorskip("spacy")
    from spacy.tokens import DocBin

    report = interchange.export_file(dataset, tmp_path / "train.spacy", "spacy")
    assert report.articles == 2
    # the claim keeps its tokens in doc.ents; Dmitry Peskov and Russia inside it do not
    assert report.warnings == ["2 overlapping spans kept in doc.spans['gloss'] only, not in"
                               " doc.ents"]
    docs = list(DocBin().from_disk(tmp_path / "train.spacy").get_docs(spacy.blank("en").vocab))
    assert [d.text for d in docs] == [TEXT, "Odesa was shelled."]
    assert {(e.text, e.label_) for e in docs[0].ents} >= {("Dmitry Peskov said Russia would"
                                                           " not withdraw", "CLAIM"),
                                                          ("Zaporizhzhia", "LOCATION")}
    assert len(docs[0].spans["gloss"]) == 6
    assert [(e.text, e.label_) for e in docs[1].ents] == [("Odesa", "LOCATION")]


def test_hugging_face_datasets_loads_the_jsonl_export(dataset, tmp_path):
    datasets = pytest.importorskip("datasets")
    interchange.export_file(dataset, tmp_path / "export.jsonl", "jsonl")
    loaded = datasets.load_dataset("json", data_files=str(tmp_path / "export.jsonl"),
                                   split="train", cache_dir=str(tmp_path / "cache"))
    assert loaded.num_rows == 2
    assert loaded[0]["text"] == TEXT
    assert [s["label"] for s in loaded[0]["spans"]][:2] == ["CLAIM", "ACTOR"]
    assert loaded[1]["spans"][0]["annotator"] == "bob"
