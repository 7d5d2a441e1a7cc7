"""The JSONL export writes each line as it always has, byte for byte: its tokens are made
from their offsets a piece at a time and streamed, no longer a dict a token, and the
lines here are compared with the way it was written before (one dict, ``json_bytes``)."""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import shared
from tui.core.disk import token_cache
from tui.core.document.model import TYPED, Document, GlossError, Relation, Span
from tui.core.language import export_tokens
from tui.core.language.export_tokens import token_pieces, token_records, tokenizer
from tui.core.language.visible import json_bytes, terminal_safe, terminal_unsafe
from tui.core.store.corpus import Notes, import_articles, read_csv
from tui.core.store.dataset import Article, Dataset
from tui.core.store.export_selection import analysts, answer
from tui.formats import prodigy

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def reference_line(article: Article, notes: Notes, workers: list[str]) -> bytes:
    """The line as the export wrote it before it streamed: one dict, the tokens' records
    made as dicts, written by ``json_bytes``."""
    doc = article.document
    tokens = token_records(doc.text)
    first = {t["start"]: t["id"] for t in tokens}
    last = {t["end"]: t["id"] for t in tokens}
    spans = []
    for row in article.span_rows:
        out: dict[str, Any] = {"start": row["start"], "end": row["end"],
                               "label": row["label"], "text": row["text"]}
        if row["start"] in first and row["end"] in last:
            out |= {"token_start": first[row["start"]], "token_end": last[row["end"]]}
        out |= {k: row[k] for k in ("annotator", "source", "id", "created", "updated")}
        out["attributes"] = row.get("attributes") or {}
        out["origin"] = row.get("origin") or TYPED
        spans.append(out)
    exported = {s["id"]: s for s in spans if "token_end" in s}
    ends = ("start", "end", "token_start", "token_end", "label")
    relations = [{"head": exported[r.head]["token_end"],
                  "child": exported[r.child]["token_end"],
                  "head_span": {k: exported[r.head][k] for k in ends},
                  "child_span": {k: exported[r.child][k] for k in ends}, "label": r.label}
                 for r in article.relations if r.head in exported and r.child in exported]
    line: dict[str, Any] = {"text": doc.text, "meta": {**doc.meta,
                                                        "tokenizer": tokenizer()[0]},
                            "tokens": tokens, "spans": spans}
    if relations:
        line["relations"] = relations
    if len(workers) == 1:
        line["_annotator_id"] = line["_session_id"] = workers[0]
    said = answer(article, workers)
    if said is not None:
        line["answer"] = said
    return json_bytes(line) + b"\n"


def reference(dataset: Dataset) -> bytes:
    notes = Notes()
    return b"".join(reference_line(version, notes, workers)
                    for article in dataset.readable([])
                    for version, workers in prodigy.versions(article, notes))


def exported(dataset: Dataset) -> bytes:
    out = io.BytesIO()
    prodigy.write(Dataset.existing(dataset.folder, "x").readable([]), out, Notes(), None)
    return out.getvalue()


def labelled(folder: Path, texts: list[str], analysts_: tuple[str, ...] = ("alice", "bob"),
             keep_tokens: bool = False) -> Dataset:
    """Each text with every other word labelled by each analyst (some mid-word, off the
    tokens' edges), a claim linked to its source, and the first analyst done."""
    dataset = Dataset(folder, "alice")
    items = []
    for text in texts:
        document = Document.from_text(text)
        text = document.text
        spans: list[Span] = []
        links = []
        for n, who in enumerate(analysts_):
            words = [i for i in range(len(text)) if text[i] != " " and
                     (i == 0 or text[i - 1] == " ")]
            mine = []
            for k, start in enumerate(words[n::2]):
                end = text.find(" ", start)
                end = len(text) if end < 0 else end
                if k % 5 == 4 and end - start > 2:
                    end -= 1  # off the tokens' edges
                try:
                    mine.append(Span.new(text, start, end, ("ACTOR", "CLAIM")[k % 2], who))
                except GlossError:  # an edge inside a cluster: not a span
                    continue
            if len(mine) > 1:
                links.append(Relation(mine[1].id, mine[0].id, "SOURCE", who))
            spans += mine
        items.append((document, spans, links))
    dataset.add_articles(items, keep_tokens=keep_tokens)
    dataset.set_status(items[0][0].id, "done")
    return dataset


TEXTS = [
    "Putin and Trump spoke about a cease-fire in Ukraine.\nKyiv said “no”.",
    "Zelensky’s envoy can't say \"yes\" \\ or no: talks in Riyadh, 30-day truce.",
    "Flag 🇺🇦 and Cafe\u0301 and 👩‍👩‍👧 in Genève.\tTab and \x1b[31m escape \x9b.",
    "Line\r\nends\rof Windows and old Macs, and a U+2028\u2028separator, DEL \x7f.",
    "  lead and  trail  ",
]


@pytest.mark.parametrize("keep_tokens", [False, True], ids=["made", "kept by the import"])
def test_the_lines_are_the_lines_written_before(tmp_path, monkeypatch, keep_tokens):
    monkeypatch.setattr(token_cache, "SPACY_WORTH_LOADING", 0)
    dataset = labelled(tmp_path / "db", TEXTS, keep_tokens=keep_tokens)
    assert any((dataset.folder / token_cache.FOLDER).glob("*")) == keep_tokens
    assert exported(dataset) == reference(dataset)


def test_a_long_article_streamed_in_pieces_is_the_line_written_before(tmp_path,
                                                                       monkeypatch):
    text = " ".join(TEXTS * 30)
    dataset = labelled(tmp_path / "db", [text])
    before = reference(dataset)
    monkeypatch.setattr(prodigy, "PIECE", 50)  # tokenized a piece at a time, each line
    monkeypatch.setattr(export_tokens, "PIECE", 50)
    assert len(list(token_pieces(dataset.document(dataset.ids()[0]).text))) > 50
    assert exported(dataset) == before
    assert before.count(b"\n") == 2  # one line an analyst, each streamed


def test_the_samples_and_real_news_are_exported_as_before(tmp_path):
    dataset = Dataset(tmp_path / "db", "alice")
    import_articles(dataset, read_csv(shared("news", "wikinews_2019.csv")), "wikinews")
    samples = sorted(SEEDS.glob("*.txt"))
    texts = [a.document.text for a in dataset.readable([])][:40]
    texts += [path.read_text(encoding="utf-8") for path in samples]
    labelled_set = labelled(tmp_path / "labelled", texts)
    assert exported(labelled_set) == reference(labelled_set)


TEXT = st.text(alphabet=st.sampled_from(list("ab .,’'\"\\-\n\t🇺🇦👩\u200d\u0301\x1b\x7f\x9b"
                                             "\u2028\u0e33é")), min_size=1, max_size=60)


@settings(max_examples=150, deadline=None)
@given(TEXT, st.integers(1, 12))
def test_tokens_made_in_pieces_are_the_tokens_of_the_whole(text, size):
    text = Document.from_text(text).text if text.strip() else "a"
    whole = orjson.dumps(token_records(text))
    pieces = list(token_pieces(text, size))
    assert b"[" + b",".join(p.json for p in pieces) + b"]" == whole
    records = orjson.loads(whole)
    assert [s for p in pieces for s in p.starts] == [t["start"] for t in records]
    assert [e for p in pieces for e in p.ends] == [t["end"] for t in records]


@settings(max_examples=100, deadline=None)
@given(TEXT, st.integers(1, 12))
def test_gloss_rules_in_pieces_are_the_tokens_of_the_whole(monkeypatch_rules, text, size):
    text = Document.from_text(text).text if text.strip() else "a"
    name, _, records, offsets = monkeypatch_rules
    assert name == export_tokens.RULES
    whole = records(text)
    starts = []
    for start, end in export_tokens.cuts(text, size):
        starts += offsets(text, start, end)[0]
    assert starts == [t["start"] for t in whole]


def test_each_analysts_line_says_whose_it_is(tmp_path):
    dataset = labelled(tmp_path / "db", TEXTS[:1])
    lines = [orjson.loads(line) for line in exported(dataset).splitlines()]
    assert [line["_annotator_id"] for line in lines] == ["alice", "bob"]
    assert [analysts(a) for a in dataset.readable([])] == [["alice", "bob"]]


@given(st.text())
def test_a_text_without_what_a_terminal_acts_on_needs_no_escaping(text):
    data = orjson.dumps(text.encode("utf-8", "replace").decode("utf-8"))
    assert (terminal_safe(data) != data) == terminal_unsafe(orjson.loads(data))


@given(st.lists(st.integers(0, 200), min_size=1, unique=True).map(sorted),
       st.lists(st.integers(0, 220)))
def test_the_token_at_a_span_edge_is_found_as_a_lookup_finds_it(edges, offsets):
    expected = {offset: edges.index(offset) for offset in offsets if offset in edges}
    assert prodigy._at_edges(offsets, edges) == expected


def test_an_article_of_every_kind_of_span_row_is_exported_as_before(tmp_path):
    """Rows with attributes, with an origin, off the tokens' edges, and links between
    them: each line as the dict-a-line export wrote it, kept tokens or not."""
    dataset = labelled(tmp_path / "db", TEXTS[:2], keep_tokens=True)
    doc_id = dataset.ids()[0]
    text = dataset.document(doc_id).text
    claim = replace(Span.new(text, 0, 5, "CLAIM", "carol"),
                    attributes=(("source_kind", "actor"),))
    suggested = Span.new(text, 10, 15, "ACTOR", "carol", origin="seen-name")
    dataset.save_span(doc_id, claim)
    dataset.save_span(doc_id, suggested)
    dataset.save_relation(doc_id, Relation(claim.id, suggested.id, "SOURCE", "carol"))
    assert b'"origin":"seen-name"' in exported(dataset)
    assert exported(dataset) == reference(dataset)
