"""Links and attributes as edits: made, replaced, taken back with their span, undone, saved
in order, and the choice a link key opens."""

import asyncio
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.core.disk.article_file import Article
from tui.core.document.edits import Edit, LinkChange
from tui.core.document.model import Document, Span
from tui.core.document.schema import ABOUT, SOURCE
from tui.core.editing import editor, linking
from tui.core.editing.article_model import ArticleModel
from tui.core.editing.save_queue import SaveQueue
from tui.core.store.dataset import Dataset

TEXT = ("Putin spoke to business leaders on Monday. "
        "Zelensky said the talks in Riyadh were a trap, a claim U.S. envoy Steve Witkoff denied.\n"
        "Later, Witkoff told reporters: the cease-fire in Donetsk will hold.")


def span(word: str, label: str, nth: int = 0) -> Span:
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(word, start + 1)
    return Span.new(TEXT, start, start + len(word), label, "alice")


@pytest.fixture
def spans() -> dict[str, Span]:
    found = {"putin": span("Putin", "ACTOR"), "zelensky": span("Zelensky", "ACTOR"),
             "steve": span("Steve Witkoff", "ACTOR"), "witkoff": span("Witkoff", "ACTOR", 1),
             "trap": span("the talks in Riyadh were a trap", "CLAIM"),
             "riyadh": span("Riyadh", "LOCATION"), "donetsk": span("Donetsk", "LOCATION"),
             "hold": span("the cease-fire in Donetsk will hold", "CLAIM")}
    return found


@pytest.fixture
def dataset(tmp_path: Path, spans) -> Dataset:
    dataset = Dataset(tmp_path / "db", "alice")
    dataset.add_article(Document.from_text(TEXT), list(spans.values()))
    return dataset


@pytest.fixture
def model(dataset) -> ArticleModel:
    return ArticleModel(dataset.article(Document.from_text(TEXT).id), "alice", dataset.labels)


def source(model: ArticleModel, claim: Span) -> str | None:
    [*found] = model.links_from(claim.id, SOURCE)
    return model.get(found[0].child).text if found else None


def do(model: ArticleModel, outcome) -> None:
    assert not isinstance(outcome, str), outcome
    model.apply(outcome)
    model.history.record(outcome)


def test_a_source_link_sets_source_kind_and_replacing_keeps_one(model, spans):
    relation = model.labels.relation(SOURCE)
    do(model, linking.link(model, relation, spans["trap"], spans["steve"]))
    claim = model.get(spans["trap"].id)
    assert source(model, claim) == "Steve Witkoff" and claim.attribute("source_kind") == "actor"
    replace = linking.link(model, relation, claim, spans["zelensky"])
    assert replace.describe() == "SOURCE “Zelensky” of “the talks in Riyadh were a trap” (was" \
        " “Steve Witkoff”)"
    do(model, replace)
    assert source(model, claim) == "Zelensky" and len(model.relations) == 1
    do(model, linking.link(model, relation, model.get(claim.id), spans["zelensky"]))  # again
    assert model.relations == [] and model.get(claim.id).attribute("source_kind") is None
    assert model.todo() == [model.get(spans["trap"].id), spans["hold"]]


def test_removing_a_span_removes_its_links_and_undo_brings_both_back(model, spans):
    do(model, linking.link(model, model.labels.relation(SOURCE), spans["trap"], spans["zelensky"]))
    do(model, linking.link(model, model.labels.relation(ABOUT), spans["trap"], spans["riyadh"]))
    removal = editor.remove(model, spans["zelensky"])
    assert removal.describe() == "removal of ACTOR “Zelensky” and 1 link"
    do(model, removal)
    claim = model.get(spans["trap"].id)
    assert [r.label for r in model.relations] == [ABOUT]
    assert claim.attribute("source_kind") is None and model.todo()[0] == claim
    model.apply(model.history.undo())
    assert source(model, spans["trap"]) == "Zelensky"
    assert model.get(spans["trap"].id).attribute("source_kind") == "actor"
    model.apply(model.history.redo())
    assert [r.label for r in model.relations] == [ABOUT]


def test_relabelling_drops_the_links_and_attributes_that_no_longer_fit(model, spans):
    do(model, linking.link(model, model.labels.relation(SOURCE), spans["trap"], spans["steve"]))
    do(model, linking.set_attribute(model, model.get(spans["steve"].id), "kind", "person"))
    do(model, linking.set_attribute(model, model.get(spans["steve"].id), "country", "US"))
    steve = model.get(spans["steve"].id)
    do(model, editor.label(model, steve.start, steve.end, "LOCATION", steve))
    place = model.get(steve.id)
    assert place.label == "LOCATION" and place.attributes == (("country", "US"),)
    assert model.relations == [] and model.get(spans["trap"].id).attribute("source_kind") is None


def test_attributes_are_checked_by_the_schema(model, spans):
    claim = spans["trap"]
    assert linking.set_attribute(model, claim, "quote", "loud") == \
        "quote is one of direct, indirect, none, not 'loud'"
    assert linking.set_attribute(model, claim, "country", "UA") == \
        "a CLAIM has no attribute country"
    assert "must look like" in linking.set_attribute(model, spans["putin"], "country", "ukr")
    do(model, linking.set_attribute(model, claim, "quote", "direct"))
    assert linking.set_attribute(model, model.get(claim.id), "quote", "direct") == \
        "quote is direct already"


def test_a_journalists_claim_loses_its_source_link(model, spans):
    do(model, linking.link(model, model.labels.relation(SOURCE), spans["trap"], spans["putin"]))
    edit = linking.set_attribute(model, model.get(spans["trap"].id), "source_kind", "journalist")
    do(model, edit)
    assert model.relations == [] and model.todo() == [spans["hold"]]
    assert edit.describe() == ("source_kind=journalist on CLAIM “the talks in Riyadh were a"
                               " trap” (1 link removed)")


def test_the_same_link_is_never_made_twice(model, spans):
    relation = model.labels.relation(ABOUT)
    edit = linking.link(model, relation, spans["trap"], spans["riyadh"])
    do(model, edit)
    made = edit.links[0]
    again = Edit(model.doc_id, (), (LinkChange(None, replace(made.after, id="another"),
                                               made.head, made.child),))
    assert model.check(again) == "ABOUT “Riyadh” of “the talks in Riyadh were a trap” is" \
        " already there"
    assert linking.link(model, relation, spans["trap"], spans["riyadh"]).links[0].is_removal
    assert "links a CLAIM to a LOCATION" in linking.link(model, relation, spans["trap"],
                                                          spans["putin"])


def test_the_choice_starts_claim_first_with_the_likeliest_source(model, spans):
    choice = linking.start(model, SOURCE, None, [spans["riyadh"], spans["trap"]])
    assert choice.anchor == spans["trap"] and choice.from_head
    assert [s.text for s in choice.options] == ["Zelensky", "Steve Witkoff", "Putin", "Witkoff"]
    assert choice.pick("d") and choice.current.text == "Putin" and not choice.pick("g")
    about = linking.start(model, ABOUT, None, [spans["hold"]])
    assert [s.text for s in about.options] == ["Donetsk", "Riyadh"]  # the place in the claim


def test_a_linked_claim_offers_its_source_first_and_an_actor_offers_claims(model, spans):
    do(model, linking.link(model, model.labels.relation(SOURCE), spans["trap"], spans["steve"]))
    claim = model.get(spans["trap"].id)
    choice = linking.start(model, SOURCE, claim, [])
    assert choice.current.text == "Steve Witkoff" and choice.linked == {spans["steve"].id}
    reverse = linking.start(model, SOURCE, spans["witkoff"], [])
    assert not reverse.from_head and reverse.current == spans["hold"]  # after it, unsourced
    assert "put the cursor on one" in linking.start(model, SOURCE, None, [spans["riyadh"]])


async def test_links_reach_the_disk_after_their_spans_and_go_with_them(dataset, spans, tmp_path):
    model = ArticleModel(dataset.article(Document.from_text(TEXT).id), "alice", dataset.labels)
    loop = asyncio.get_running_loop()
    saves = SaveQueue(dataset, loop.call_soon_threadsafe)  # answers on this loop, as the app
    new = Span.new(TEXT, TEXT.index("reporters"), TEXT.index("reporters") + 9, "ACTOR", "alice")
    for outcome in (editor.label(model, new.start, new.end, "ACTOR"),):
        do(model, outcome)
        saves.submit(model, outcome)
    reporters = model.find(new.start, new.end, "ACTOR", "alice")
    edit = linking.link(model, model.labels.relation(SOURCE), spans["hold"], reporters)
    do(model, edit)
    saves.submit(model, edit)
    await saves.wait()
    on_disk = Dataset(dataset.folder, "bob").article(model.doc_id)
    assert [(r.head, r.child, r.label) for r in on_disk.relations] == [
        (spans["hold"].id, reporters.id, SOURCE)]
    removal = editor.remove(model, reporters)
    do(model, removal)
    saves.submit(model, removal)
    undo = model.history.undo()
    model.apply(undo)
    saves.submit(model, undo)
    await saves.wait()
    saves.close()
    again = Dataset(dataset.folder, "bob").article(model.doc_id)
    assert [r.id for r in again.relations] == [edit.links[0].relation.id]
    assert next(s for s in again.spans if s.id == spans["hold"].id).attribute(
        "source_kind") == "actor"
    assert not model.saving and model.report.message.startswith("saved ")


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["link", "about", "remove", "kind", "undo"]),
                          st.integers(0, 7), st.integers(0, 7)), max_size=25))
def test_undoing_everything_gives_back_the_article_as_it_was(tmp_path_factory, keys):
    folder = tmp_path_factory.mktemp("db")
    found = [span(w, label) for w, label in (
        ("Putin", "ACTOR"), ("Zelensky", "ACTOR"), ("Steve Witkoff", "ACTOR"),
        ("the talks in Riyadh were a trap", "CLAIM"), ("Riyadh", "LOCATION"),
        ("Donetsk", "LOCATION"), ("the cease-fire in Donetsk will hold", "CLAIM"),
        ("Witkoff told", "CLAIM"))]
    dataset = Dataset(folder, "alice")
    dataset.add_article(Document.from_text(TEXT), found)
    model = ArticleModel(dataset.article(Document.from_text(TEXT).id), "alice", dataset.labels)
    before = (list(model.spans), model.relations)
    for what, a, b in keys:
        here = model.spans[a % len(model.spans)] if model.spans else None
        there = model.spans[b % len(model.spans)] if model.spans else None
        if what == "undo":
            edit = model.history.undo()
            if edit is not None:
                model.apply(edit)
            continue
        if here is None or there is None:
            continue
        if what == "remove":
            outcome = editor.remove(model, here)
        elif what == "kind":
            outcome = linking.set_attribute(model, here, "source_kind", "unnamed")
        else:
            kind = model.labels.relation(SOURCE if what == "link" else ABOUT)
            outcome = linking.link(model, kind, here, there)
        if not isinstance(outcome, str):
            do(model, outcome)
        for relation in model.relations:  # never a link to a span that is not there
            assert model.get(relation.head) and model.get(relation.child)
    while (edit := model.history.undo()) is not None:
        model.apply(edit)
    assert (list(model.spans), sorted(model.relations, key=lambda r: r.id)) == (
        before[0], sorted(before[1], key=lambda r: r.id))


def claims_to_do(model: ArticleModel) -> list[Span]:
    """The claims to do, worked out from scratch (the model carries them over its edits)."""
    return [s for s in model.spans if s.label == "CLAIM" and s.annotator == model.annotator
            and s.attribute("source_kind") is None and not model.links_from(s.id, SOURCE)]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["link", "about", "remove", "kind", "unkind",
                                           "relabel", "claim", "undo", "redo"]),
                          st.integers(0, 9), st.integers(0, 9), st.booleans()), max_size=30))
def test_the_claims_to_do_are_carried_over_every_edit(keys):
    found = [span(w, label) for w, label in (
        ("Putin", "ACTOR"), ("Zelensky", "ACTOR"), ("Steve Witkoff", "ACTOR"),
        ("the talks in Riyadh were a trap", "CLAIM"), ("Riyadh", "LOCATION"),
        ("the cease-fire in Donetsk will hold", "CLAIM"), ("Witkoff told", "CLAIM"))]
    found.append(replace(span("Later", "CLAIM"), annotator="bob"))  # not this analyst's
    model = ArticleModel(Article(Document.from_text(TEXT), found, {}, 0), "alice")
    for what, a, b, ask in keys:
        here = model.spans[a % len(model.spans)] if model.spans else None
        there = model.spans[b % len(model.spans)] if model.spans else None
        if what in ("undo", "redo"):
            edit = model.history.undo() if what == "undo" else model.history.redo()
            if edit is not None:
                model.apply(edit)
        elif what == "claim":
            start = TEXT.index(" ", a * 11) + 1
            outcome = editor.label(model, start, TEXT.index(" ", start), "CLAIM")
            if not isinstance(outcome, str):
                do(model, outcome)
        elif here is not None and there is not None:
            if what == "remove":
                outcome = editor.remove(model, here)
            elif what in ("kind", "unkind"):
                outcome = linking.set_attribute(model, here, "source_kind",
                                                "journalist" if what == "kind" else None)
            elif what == "relabel":
                outcome = editor.label(model, here.start, here.end, there.label, here)
            else:
                kind = model.labels.relation(SOURCE if what == "link" else ABOUT)
                outcome = linking.link(model, kind, here, there)
            if not isinstance(outcome, str):
                do(model, outcome)
        if ask:  # asked after this edit: carried over the next; else worked out afresh
            assert model.todo() == claims_to_do(model)
    assert model.todo() == claims_to_do(model)
