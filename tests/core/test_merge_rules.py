"""The three-way merge of one article file (``merge_rules``), against a plain statement of
its rules: each side adds, removes, relabels and sets attributes on the spans BASE holds;
the merge keeps every addition, a removal unless the other side changed that span since,
and of two changes the later one."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import ARTICLE
from tui.core.disk.article_file import new_tables, read_article
from tui.core.document.model import Document, LabelSet, Relation, Span
from tui.core.team.merge_rules import NotMergeable, caps_of, merge_article, merge_labels

DOCUMENT = Document.from_text(ARTICLE)
PATH = Path(f"{DOCUMENT.id}.json")
WORDS = [(m.start(), m.end()) for m in re.finditer(r"\w+", ARTICLE)]
LABELS = ("ACTOR", "CLAIM", "LOCATION")


def stamp(n: int) -> str:
    return f"2030-01-01T00:{n // 60:02d}:{n % 60:02d}.000+00:00"


def span(word: int, label: str, who: str, n: int, span_id: str) -> Span:
    start, end = WORDS[word]
    return Span(start, end, label, ARTICLE[start:end], who, id=span_id, created=stamp(n),
                updated=stamp(n))


def tables(spans: list[Span], relations: list[Relation] = ()) -> dict[str, Any]:
    made = new_tables(DOCUMENT)
    made["spans"] = {str(n): s.to_record() for n, s in enumerate(spans, start=1)}
    made["relations"] = {str(n): r.to_record() for n, r in enumerate(relations, start=1)}
    read_article(PATH, made)
    return made


def held(result: dict[str, Any]) -> dict[str, dict[str, Any]]:
    read_article(PATH, result)  # the merge writes only what reads back
    return {row["id"]: row for row in result["spans"].values()}


# What one side does to each span of BASE: nothing, remove it, relabel it, set an attribute
ACTS = st.sampled_from(["keep", "remove", "relabel", "attribute"])


@st.composite
def histories(draw: st.DrawFn) -> tuple[list[Span], list[Span], list[Span], int]:
    count = draw(st.integers(0, 6))
    words = draw(st.lists(st.integers(0, len(WORDS) - 1), min_size=count, max_size=count,
                          unique=True))
    base = [span(w, draw(st.sampled_from(LABELS)), "olena", 0, f"b{w}") for w in words]
    sides = []
    free = [w for w in range(len(WORDS)) if w not in words]
    for side, who in ((1, "olena"), (2, "petro")):
        spans = []
        for n, s in enumerate(base):
            act = draw(ACTS)
            when = stamp(side + 2 * n + 1)  # the two sides' times never tie
            if act == "keep":
                spans.append(s)
            elif act == "relabel":
                spans.append(replace(s, label=draw(st.sampled_from(LABELS)), updated=when))
            elif act == "attribute":
                spans.append(replace(s, attributes=(("canonical", who),), updated=when))
        added = draw(st.lists(st.sampled_from(free), max_size=3, unique=True)) if free else []
        spans += [span(w, "ACTOR", who, 50 + side, f"{who}{w}") for w in added]
        sides.append(spans)
    return base, sides[0], sides[1], len(base)


def expected(base: list[Span], ours: list[Span], theirs: list[Span]) -> dict[str, Span]:
    before = {s.id: s for s in base}
    mine, yours = {s.id: s for s in ours}, {s.id: s for s in theirs}
    kept: dict[str, Span] = {}
    for span_id in {*mine, *yours}:
        a, b = mine.get(span_id), yours.get(span_id)
        if a is None or b is None:
            present = a or b
            assert present is not None
            if span_id in before and present == before[span_id]:
                continue  # removed on one side, left as it was on the other
            kept[span_id] = present
        else:
            kept[span_id] = b if b.updated > a.updated else a
    return kept


@given(histories())
def test_a_merge_keeps_additions_removals_and_the_later_change(history):
    base, ours, theirs, _ = history
    result = held(merge_article(tables(base), tables(ours), tables(theirs)))
    assert result == {i: s.to_record() for i, s in expected(base, ours, theirs).items()}


@given(histories())
def test_the_same_spans_whichever_side_is_ours(history):
    base, ours, theirs, _ = history
    one = held(merge_article(tables(base), tables(ours), tables(theirs)))
    other = held(merge_article(tables(base), tables(theirs), tables(ours)))
    assert one == other


@given(histories())
def test_a_side_that_changed_nothing_takes_the_other_as_it_is(history):
    base, ours, _, _ = history
    assert held(merge_article(tables(base), tables(base), tables(ours))) == held(tables(ours))
    assert held(merge_article(tables(base), tables(ours), tables(base))) == held(tables(ours))
    assert held(merge_article(tables(base), tables(ours), tables(ours))) == held(tables(ours))


def test_without_a_base_it_is_the_union_and_one_extent_is_one_span():
    mine = span(0, "ACTOR", "olena", 1, "a")
    same_extent = span(0, "ACTOR", "olena", 2, "b")  # the same span, saved twice apart
    other = span(2, "ACTOR", "petro", 3, "c")
    result = held(merge_article(None, tables([mine]), tables([same_extent, other])))
    assert set(result) == {"a", "c"}


def test_a_link_goes_with_its_span_and_a_removed_link_stays_removed():
    claim, actor, place = (span(0, "CLAIM", "olena", 0, "claim"),
                           span(2, "ACTOR", "olena", 0, "actor"),
                           span(8, "LOCATION", "olena", 0, "place"))
    source = Relation("claim", "actor", "SOURCE", "olena", "l1")
    about = Relation("claim", "place", "ABOUT", "olena", "l2")
    base = tables([claim, actor, place], [source, about])
    # olena unlinked the place, and linked the place to the actor anew
    ours = tables([claim, actor, place], [source, Relation("place", "actor", "NEAR",
                                                           "olena", "l3")])
    theirs = tables([claim, place], [about])  # petro removed the actor, its source with it
    result = merge_article(base, ours, theirs)
    assert set(held(result)) == {"claim", "place"}
    assert result["relations"] == {}


def test_a_claims_source_set_on_both_sides_is_the_later_ones():
    claim, first, second = (span(0, "CLAIM", "olena", 0, "claim"),
                            span(2, "ACTOR", "olena", 0, "a1"),
                            span(8, "ACTOR", "olena", 0, "a2"))
    base = tables([claim, first, second])
    ours = tables([replace(claim, attributes=(("source_kind", "actor"),), updated=stamp(5)),
                   first, second], [Relation("claim", "a1", "SOURCE", "olena", "mine")])
    theirs = tables([replace(claim, attributes=(("source_kind", "actor"),), updated=stamp(9)),
                     first, second], [Relation("claim", "a2", "SOURCE", "olena", "yours")])
    caps = caps_of(LabelSet.default())
    assert caps == {"SOURCE": 1}
    result = merge_article(base, ours, theirs, caps)
    assert [r["id"] for r in result["relations"].values()] == ["yours"]
    result = merge_article(base, theirs, ours, caps)  # whichever side is ours
    assert [r["id"] for r in result["relations"].values()] == ["yours"]
    assert len(merge_article(base, ours, theirs)["relations"]) == 2  # no caps: a union


def test_statuses_keep_the_later_and_the_article_its_first_added():
    ours, theirs = tables([]), tables([])
    ours["status"] = {"1": {"annotator": "olena", "status": "todo", "updated": stamp(1)}}
    theirs["status"] = {"1": {"annotator": "olena", "status": "done", "updated": stamp(2)},
                        "2": {"annotator": "petro", "status": "skipped", "updated": stamp(1)}}
    theirs["article"]["1"]["added"] = 5
    result = merge_article(None, ours, theirs)
    assert {r["annotator"]: r["status"] for r in result["status"].values()} == {
        "olena": "done", "petro": "skipped"}
    assert result["article"]["1"]["added"] == 5


def test_two_texts_under_one_id_are_not_merged():
    theirs = orjson.loads(orjson.dumps(tables([])))
    theirs["article"]["1"]["text"] = ARTICLE + "more"
    with pytest.raises(NotMergeable):
        merge_article(None, tables([]), theirs)


def test_label_sets_are_united_ours_first_keys_kept_where_free():
    ours = [{"name": "ACTOR", "key": "1", "colour": "#111111"},
            {"name": "EVENT", "key": "2", "colour": "#222222"}]
    theirs = [{"name": "ACTOR", "key": "5", "colour": "#999999"},
              {"name": "ORG", "key": "2", "colour": "#333333"},
              {"name": "TIME", "key": "7", "colour": "#444444"}]
    merged = LabelSet.from_records(merge_labels(ours, theirs))
    assert [(lb.name, lb.key) for lb in merged.labels] == [
        ("ACTOR", "1"), ("EVENT", "2"), ("ORG", "3"), ("TIME", "7")]
    assert merged.get("ORG").colour == "#333333"
    schema = {"labels": theirs, "relations": [{"name": "WORKS_FOR", "from": "ACTOR",
                                               "to": "ORG"}]}
    merged = LabelSet.from_records(merge_labels(ours, schema))
    assert "WORKS_FOR" in [r.name for r in merged.relations]
    assert "SOURCE" in [r.name for r in merged.relations]
