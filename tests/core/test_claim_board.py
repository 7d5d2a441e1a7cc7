"""The claims board: every claim grouped by who made it, with its places, on the command
line (table, JSONL, CSV) and as `export --format claims`."""

from __future__ import annotations

import csv
import io

import orjson
import pytest

from tests.conftest import gloss
from tui.core.attribution.claim_board import board, claim_rows, one_a_claim
from tui.core.disk.article_file import Article
from tui.core.document.model import Document, LabelSet, Relation, Span
from tui.core.store.dataset import Dataset

ONE = ("Zelensky said the talks in Riyadh were a trap. "
       "President Putin claimed Kursk region is secure. Officials said aid resumed.")
TWO = "Vladimir Putin told reporters the cease-fire in Donetsk will hold."


def spans_of(text: str, *marks: tuple[str, str]) -> dict[str, Span]:
    return {word: Span.new(text, text.index(word), text.index(word) + len(word), label,
                           "alice") for word, label in marks}


@pytest.fixture
def db(tmp_path):
    dataset = Dataset(tmp_path / "db", "alice")
    a = spans_of(ONE, ("Zelensky", "ACTOR"), ("the talks in Riyadh were a trap", "CLAIM"),
                 ("Riyadh", "LOCATION"), ("President Putin", "ACTOR"),
                 ("Kursk region is secure", "CLAIM"), ("Kursk region", "LOCATION"),
                 ("aid resumed", "CLAIM"))
    a["President Putin"] = a["President Putin"].with_attribute("canonical", "Vladimir Putin")
    a["aid resumed"] = a["aid resumed"].with_attribute("source_kind", "unnamed")
    b = spans_of(TWO, ("Vladimir Putin", "ACTOR"),
                 ("the cease-fire in Donetsk will hold", "CLAIM"), ("Donetsk", "LOCATION"))
    link = Relation
    dataset.add_articles([
        (Document.from_text(ONE, {"title": "Talks", "date": "2025-03-18"}), list(a.values()),
         [link(a["the talks in Riyadh were a trap"].id, a["Zelensky"].id, "SOURCE", "alice"),
          link(a["the talks in Riyadh were a trap"].id, a["Riyadh"].id, "ABOUT", "alice"),
          link(a["Kursk region is secure"].id, a["President Putin"].id, "SOURCE", "alice"),
          link(a["Kursk region is secure"].id, a["Kursk region"].id, "ABOUT", "alice")]),
        (Document.from_text(TWO, {"title": "Call", "date": "2025-03-19"}), list(b.values()),
         [link(b["the cease-fire in Donetsk will hold"].id, b["Vladimir Putin"].id, "SOURCE",
               "alice")]),
    ])
    return dataset


def test_claims_are_grouped_by_canonical_source_across_articles(db):
    groups = board(db.articles(), db.labels)
    assert {name: [r.claim.text for r in rows] for name, rows in groups.items()} == {
        "Vladimir Putin": ["Kursk region is secure", "the cease-fire in Donetsk will hold"],
        "(unnamed)": ["aid resumed"],
        "Zelensky": ["the talks in Riyadh were a trap"],
    }
    [kursk] = [r for r in groups["Vladimir Putin"] if r.title == "Talks"]
    assert kursk.place_names == ["Kursk region"] and kursk.date == "2025-03-18"


def test_filters_by_actor_place_and_status(db):
    assert list(board(db.articles(), db.labels, actor="putin")) == ["Vladimir Putin"]
    rows = board(db.articles(), db.labels, place="riyadh")
    assert [r.claim.text for rows in rows.values() for r in rows] == [
        "the talks in Riyadh were a trap"]
    assert board(db.articles(), db.labels, status="to do") == {}


def test_gloss_claims_prints_a_table_jsonl_and_csv(db):
    table = gloss("claims", "--db", db.folder, "--format", "table", env={"COLUMNS": "160"})
    assert table.returncode == 0, table.stderr
    assert "Vladimir Putin" in table.stdout and "Kursk region is secure" in table.stdout
    lines = gloss("claims", "--db", db.folder, "--actor", "zelensky").stdout.splitlines()
    [line] = [orjson.loads(x) for x in lines]
    assert line["source"]["text"] == "Zelensky" and line["places"][0]["text"] == "Riyadh"
    assert line["sentence"]["text"] == "Zelensky said the talks in Riyadh were a trap."
    rows = list(csv.reader(io.StringIO(gloss("claims", "--db", db.folder, "--format",
                                             "csv").stdout)))
    assert rows[0][:3] == ["source", "claim", "places"] and len(rows) == 5


def test_export_claims_gives_a_line_a_claim_ready_for_training(db, tmp_path):
    result = gloss("export", "--db", db.folder, "--format", "claims")
    assert result.returncode == 0, result.stderr
    lines = [orjson.loads(x) for x in result.stdout.splitlines()]
    assert len(lines) == 4
    by_text = {line["text"]: line for line in lines}
    kursk = by_text["Kursk region is secure"]
    assert kursk["source"]["canonical"] == "Vladimir Putin"
    assert kursk["source_kind"] == "actor" and kursk["article"]["title"] == "Talks"
    assert ONE[kursk["start"]:kursk["end"]] == "Kursk region is secure"
    assert by_text["aid resumed"]["source"] is None
    assert by_text["aid resumed"]["source_kind"] == "unnamed"


def test_a_claim_held_alike_by_several_analysts_is_one_row_naming_them():
    text = "Putin said the talks in Riyadh were useful."
    doc = Document.from_text(text)
    spans, links = [], []
    for who, source in (("alice", "Putin"), ("bob", "Putin"), ("carol", None)):
        claim = Span.new(text, 11, 42, "CLAIM", who)
        spans.append(claim)
        if source:
            actor = Span.new(text, 0, 5, "ACTOR", who)
            spans.append(actor)
            links.append(Relation(claim.id, actor.id, "SOURCE", who))
    rows = list(claim_rows(Article(doc, spans, {}, 0, links), LabelSet.default()))
    merged = one_a_claim(rows, prefer="bob")
    assert sorted((r.source_name, r.analysts) for r in merged) == [
        ("(to do)", ("carol",)), ("Putin", ("alice", "bob"))]
    assert next(r for r in merged if r.holders).claim.annotator == "bob"
    assert one_a_claim(rows[:1]) == rows[:1]
