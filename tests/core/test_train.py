"""gloss train: which articles count, which component learns which label, a tiny training
run end to end (the model, its card, the latest pointer, the finder's suggestions), and the
one line without spaCy."""

from __future__ import annotations

import importlib.util
import subprocess
import sys

import orjson
import pytest

from tests.conftest import gloss
from tui.core.document.model import Document, Relation, Span
from tui.core.store.dataset import Dataset
from tui.core.store.install import distribution, extra_command
from tui.core.train import store
from tui.core.train.examples import Which, choose, split
from tui.core.train.pipeline import plan

needs_spacy = pytest.mark.skipif(importlib.util.find_spec("spacy") is None,
                                 reason="the spacy extra is not installed")

NAMES = ["Putin", "Zelensky", "Trump", "Macron", "Scholz", "Erdogan"]
PLACES = ["Kyiv", "Moscow", "Paris", "Berlin", "Ankara", "Riyadh"]


def article(n: int) -> tuple[Document, list[Span], list[Relation]]:
    who, where = NAMES[n % 6], PLACES[(n + 1) % 6]
    text = (f"{who} met officials in {where} on day {n}.\n"
            f"{who} said the talks in {where} were a success and would go on.")
    doc = Document.from_text(text)
    actor = Span.new(text, 0, len(who), "ACTOR", "alice")
    place = text.index(where)
    location = Span.new(text, place, place + len(where), "LOCATION", "alice")
    start = text.index("the talks")
    claim = Span.new(text, start, len(text) - 1, "CLAIM", "alice")
    inner = text.index(where, start)
    inner_place = Span.new(text, inner, inner + len(where), "LOCATION", "alice")
    said = text.index(who, 1)
    speaker = Span.new(text, said, said + len(who), "ACTOR", "alice")
    links = [Relation(claim.id, speaker.id, "SOURCE", "alice"),
             Relation(claim.id, inner_place.id, "ABOUT", "alice")]
    return doc, [actor, location, claim, inner_place, speaker], links


@pytest.fixture
def db(tmp_path):
    dataset = Dataset(tmp_path / "db", "alice")
    items = [article(n) for n in range(14)]
    dataset.add_articles(items, labels=["ACTOR", "CLAIM", "LOCATION"])
    for doc, _, _ in items[:12]:
        dataset.set_status(doc.id, "done")
    bob = Dataset(tmp_path / "db", "bob")
    bob.set_status(items[0][0].id, "done")  # two answers, nobody reviewed
    return tmp_path / "db"


def test_which_articles_count_is_said(db):
    dataset = Dataset.existing(db, "x")
    chosen = choose(dataset.readable([]), Which())
    assert len(chosen.examples) == 11
    assert chosen.left_out == {
        "done by several analysts and not reviewed (review, or --annotator)": 1,
        "not finished (to do, skipped or never opened)": 2}
    alice = choose(dataset.readable([]), Which(annotator="alice"))
    assert len(alice.examples) == 12 and all(e.analyst == "alice" for e in alice.examples)
    assert choose(dataset.readable([]), Which(reviewed=True)).left_out == {"not reviewed": 14}


def test_the_split_is_the_same_for_the_same_seed_whatever_the_order(db):
    examples = choose(Dataset.existing(db, "x").readable([]), Which()).examples
    train, held = split(examples, 0.2, 7)
    _, held_again = split(list(reversed(examples)), 0.2, 7)
    assert [e.doc_id for e in held] == [e.doc_id for e in held_again] and len(held) == 2
    assert {e.doc_id for e in train} | {e.doc_id for e in held} == {e.doc_id for e in examples}
    assert [e.doc_id for e in split(examples, 0.2, 8)[1]] != [e.doc_id for e in held]


def test_names_go_to_the_recognizer_claims_to_the_span_categorizer(db):
    examples = choose(Dataset.existing(db, "x").readable([]), Which()).examples
    labels = plan(examples)
    assert labels.ner == ("ACTOR", "LOCATION") and labels.spans == ("CLAIM",)
    assert labels.components == ["ner", "span_finder", "spancat"]


def test_without_spacy_one_line_names_the_extra(db):
    code = ("import sys; sys.modules['spacy'] = None; sys.argv = ['gloss', 'train', '--db',"
            f" {str(db)!r}]; from tui.cli import entry; entry()")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1, result.stderr
    assert extra_command("spacy") in result.stderr and "gloss train needs spaCy" in \
        result.stderr
    assert not (db / "models").exists()


def test_the_hint_names_the_installed_distribution(monkeypatch):
    """Installed from a registry (not a checkout), the hint names the distribution as its
    metadata spells it, not a name written into the code."""
    from tui.core.store import install

    monkeypatch.setattr(install, "_editable_source", lambda: None)
    assert f"'{distribution()}[spacy]'" in install.extra_command("spacy") or \
        f"{distribution()}[spacy]" in install.extra_command("spacy")
    import importlib.metadata

    assert importlib.metadata.packages_distributions()["tui"][0] == distribution()


@needs_spacy
def test_a_tiny_training_run_writes_a_model_its_card_and_latest(db):
    first = gloss("train", "--db", db, "--max-epochs", "2", "--seed", "3")
    assert first.returncode == 0, first.stderr
    assert "11 articles of" in first.stderr and "2 not finished" in first.stderr
    assert "entity recognizer: ACTOR, LOCATION; span categorizer: CLAIM" in first.stderr
    for label in ("ACTOR", "CLAIM", "LOCATION", "SOURCE", "ABOUT"):
        assert label in first.stdout
    home = db / "models" / "default"
    model = home / (home / "latest").read_text().strip()
    card = orjson.loads((model / "card.json").read_bytes())
    assert card["format"] == "gloss-model" and card["name"] == "default"
    assert card["labels"] == {"ner": ["ACTOR", "LOCATION"], "spancat": ["CLAIM"]}
    assert card["data"]["train"]["articles"] + card["data"]["held_out"]["articles"] == 11
    assert card["data"]["left_out"]["not finished (to do, skipped or never opened)"] == 2
    assert card["split"]["seed"] == 3 and card["split"]["eval_split"] == 0.2
    assert len(card["split"]["held_out_ids"]) == card["data"]["held_out"]["articles"]
    assert set(card["scores"]["labels"]) == {"ACTOR", "CLAIM", "LOCATION"}
    assert all(0 <= f["f"] <= 1 for f in card["scores"]["labels"].values())
    assert card["spacy"] and card["created"] and card["training"]["steps"] >= 1
    before = {p: p.read_bytes() for p in model.rglob("*") if p.is_file()}

    second = gloss("train", "--db", db, "--max-epochs", "2", "--seed", "3")
    assert second.returncode == 0, second.stderr
    newer = home / (home / "latest").read_text().strip()
    assert newer != model  # a new folder; the first is as it was, for whoever reads it
    assert {p: p.read_bytes() for p in model.rglob("*") if p.is_file()} == before
    again = orjson.loads((newer / "card.json").read_bytes())
    assert again["scores"] == card["scores"]  # the same seed: the same model
    assert not [p for p in home.iterdir() if p.name.startswith(".")]

    from tui.core.suggest.model_finder import ModelFinder

    finder = ModelFinder.load(db)
    text = Dataset.existing(db, "x").document(card["split"]["held_out_ids"][0]).text
    for beam in (False, True):
        found = finder.find(text, beam=beam)
        for suggestion in found:
            assert 0 <= suggestion.start < suggestion.end <= len(text)
            assert suggestion.kind == "model" and 0.0 <= suggestion.score <= 1.0
            assert suggestion.label in ("ACTOR", "CLAIM", "LOCATION")
    assert 0.0 <= finder.uncertainty(text) <= 1.0
    window = finder.find(text, 0, 10)
    assert all(s.end <= text.index("\n") for s in window)


def test_too_few_articles_is_one_line(tmp_path):
    if importlib.util.find_spec("spacy") is None:
        pytest.skip("the spacy extra is not installed")
    dataset = Dataset(tmp_path / "db", "alice")
    doc, spans, links = article(0)
    dataset.add_articles([(doc, spans, links)])
    dataset.set_status(doc.id, "done")
    result = gloss("train", "--db", tmp_path / "db")
    assert result.returncode == 2 and result.stderr.count("gloss:") == 1
    assert "too few" in result.stderr and not (tmp_path / "db" / "models").exists()
    assert store.MODELS not in [p.name for p in (tmp_path / "db").iterdir()]
