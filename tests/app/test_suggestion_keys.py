"""Suggestions in the real app: y accepts (a claim with its source's link), u rejects (kept
across a reopen), j and J walk, Y accepts every one of a label after a confirmation (and
any other key cancels), ctrl+z takes an accepted claim back with its link, two panes on
one article both show what was accepted, and a name labelled is suggested elsewhere."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.app.helpers import notices, status, view_of
from tui.app import GlossApp
from tui.core.document.model import Document, Span
from tui.core.document.schema import SOURCE
from tui.core.editing.suggestions import ArticleSuggestions
from tui.core.store.dataset import Dataset
from tui.screens.reader import ReaderScreen
from tui.widgets.lists.span_list import SpanList
from tui.widgets.panes import ArticlePane

TEXT = ("Putin met Zelensky in Kyiv on Monday.\n"
        "Officials said the talks would resume in March.\n"
        "Later Putin told reporters that the cease-fire would hold.\n"
        "Zelensky visited Kyiv again and Putin stayed home.\n"
        "Witkoff flew home and Witkoff slept.")


def at(needle: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(needle, start + 1)
    return start, start + len(needle)


@pytest.fixture
def dataset(tmp_path: Path) -> Dataset:
    """One article with its first Putin, Zelensky and Kyiv labelled: the rest of them are
    suggested as names seen, the two reported claims on their cues."""
    dataset = Dataset(tmp_path / "db", "alice")
    marks = [("Putin", "ACTOR"), ("Zelensky", "ACTOR"), ("Kyiv", "LOCATION")]
    dataset.add_article(Document.from_text(TEXT), [
        Span.new(TEXT, *at(needle), label, "alice") for needle, label in marks])
    return dataset


async def suggested(pilot) -> ArticleSuggestions:
    """The focused pane's suggestions, once the search has answered (and nothing more is
    being searched)."""
    suggestions = pilot.app.session.suggestions
    for _ in range(400):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        pane = pilot.app.screen.pane
        if pane.suggested is not None and pane.suggested.ready and not suggestions.busy:
            return pane.suggested
    raise AssertionError("the suggestions never came")


def texts(article: ArticleSuggestions) -> list[tuple[str, str]]:
    return [(TEXT[s.start:s.end], s.label) for s in article.offered]


async def walk_to(pilot, needle: str, nth: int = 0) -> None:
    """Press j until the suggestion at ``needle`` is selected."""
    view = view_of(pilot.app)
    for _ in range(20):
        if view.selection == at(needle, nth):
            return
        await pilot.press("j")
    raise AssertionError(f"j never reached {needle}")


async def test_names_and_claims_are_offered_and_counted(dataset):
    async with GlossApp(dataset, dataset.ids()).run_test(size=(120, 30)) as pilot:
        article = await suggested(pilot)
        offered = texts(article)
        assert ("Putin", "ACTOR") in offered and ("Kyiv", "LOCATION") in offered
        assert ("the talks would resume in March", "CLAIM") in offered
        assert ("Putin", "ACTOR") not in [(TEXT[s.start:s.end], s.label) for s in
                                         article.offered if s.start == 0]  # labelled
        assert f"{len(offered)} suggested" in status(pilot.app)
        rows = pilot.app.screen.query_one(SpanList)
        assert rows.rows == 3 + 1 + len(offered)  # the spans, the heading, the suggestions


async def test_y_accepts_a_name_with_its_origin(dataset):
    async with GlossApp(dataset, dataset.ids()).run_test(size=(120, 30)) as pilot:
        article = await suggested(pilot)
        before = len(article.offered)
        await walk_to(pilot, "Zelensky", 1)
        await pilot.press("y")
        model = pilot.app.screen.pane.model
        made = model.find(*at("Zelensky", 1), "ACTOR", "alice")
        assert made is not None and made.origin == "seen-name"
        assert len(article.offered) == before - 1
        await pilot.app.session.wait()
    [row] = [s for s in Dataset(dataset.folder, "x").spans(dataset.ids()[0])
             if (s.start, s.end) == at("Zelensky", 1)]
    assert (row.label, row.origin) == ("ACTOR", "seen-name")


async def test_y_accepts_a_claim_with_its_source_and_ctrl_z_takes_both_back(dataset):
    async with GlossApp(dataset, dataset.ids()).run_test(size=(120, 30)) as pilot:
        await suggested(pilot)
        await walk_to(pilot, "the cease-fire would hold")
        await pilot.press("y")
        model = pilot.app.screen.pane.model
        claim = model.find(*at("the cease-fire would hold"), "CLAIM", "alice")
        assert claim is not None and claim.origin == "claim-cue"
        [link] = model.links_from(claim.id, SOURCE)
        source = model.get(link.child)
        assert source is not None and (source.text, source.label) == ("Putin", "ACTOR")
        assert claim.attribute("source_kind") == "actor"
        await pilot.app.session.wait()
        on_disk = Dataset(dataset.folder, "x").article(dataset.ids()[0])
        assert [(r.head, r.child, r.label) for r in on_disk.relations] == [
            (claim.id, source.id, SOURCE)]
        await pilot.press("ctrl+z")
        assert model.get(claim.id) is None and model.relations == []
        await pilot.app.session.wait()
    on_disk = Dataset(dataset.folder, "x").article(dataset.ids()[0])
    assert on_disk.relations == [] and all(s.label != "CLAIM" for s in on_disk.spans)


async def test_a_claim_whose_source_is_only_suggested_makes_the_actor(dataset):
    async with GlossApp(dataset, dataset.ids()).run_test(size=(120, 30)) as pilot:
        await suggested(pilot)
        await walk_to(pilot, "the talks would resume in March")
        await pilot.press("y")
        model = pilot.app.screen.pane.model
        claim = model.find(*at("the talks would resume in March"), "CLAIM", "alice")
        assert claim is not None
        # "Officials" is no actor: the claim says its source is unnamed, with no link
        assert claim.attribute("source_kind") == "unnamed"
        assert model.links_from(claim.id, SOURCE) == []
        await pilot.app.session.wait()


async def test_u_rejects_and_the_rejection_is_kept_across_a_reopen(dataset):
    doc = dataset.ids()[0]
    async with GlossApp(dataset, [doc]).run_test(size=(120, 30)) as pilot:
        article = await suggested(pilot)
        await walk_to(pilot, "Kyiv", 1)
        await pilot.press("u")
        assert ("Kyiv", "LOCATION") not in texts(article)
        assert view_of(pilot.app).selection != at("Kyiv", 1)  # walked on to the next
        await pilot.app.session.wait()
    [row] = Dataset(dataset.folder, "x").article(doc).rejected
    assert (row["text"], row["label"], row["annotator"]) == ("Kyiv", "LOCATION", "alice")
    async with GlossApp(Dataset(dataset.folder, "alice"), [doc]).run_test(
            size=(120, 30)) as pilot:
        article = await suggested(pilot)
        assert ("Kyiv", "LOCATION") not in texts(article)
        assert ("Zelensky", "ACTOR") in texts(article)
    async with GlossApp(Dataset(dataset.folder, "bob"), [doc]).run_test(
            size=(120, 30)) as pilot:  # another analyst is offered it still
        assert ("Kyiv", "LOCATION") in texts(await suggested(pilot))


async def test_j_and_J_walk_round_the_suggestions(dataset):
    async with GlossApp(dataset, dataset.ids()).run_test(size=(120, 30)) as pilot:
        article = await suggested(pilot)
        view = view_of(pilot.app)
        offered = [(s.start, s.end) for s in article.offered]
        await pilot.press("j")
        assert view.selection == offered[0]
        await pilot.press("j")
        assert view.selection == offered[1]
        await pilot.press("J")
        assert view.selection == offered[0]
        await pilot.press("J")
        assert view.selection == offered[-1]  # round the start


async def test_Y_asks_how_many_and_accepts_every_one_of_the_label(dataset):
    async with GlossApp(dataset, dataset.ids()).run_test(size=(120, 30)) as pilot:
        article = await suggested(pilot)
        actors = [s for s in article.offered if s.label == "ACTOR"]
        await walk_to(pilot, "Putin", 1)
        await pilot.press("Y")
        assert f"Accept all {len(actors)} suggested ACTOR" in \
            pilot.app.screen.status_bar.mode_plain
        await pilot.press("y")
        assert pilot.app.screen.status_bar.mode_plain == ""
        model = pilot.app.screen.pane.model
        assert all(model.find(s.start, s.end, "ACTOR", "alice") for s in actors)
        assert [s for s in article.offered if s.label == "ACTOR"] == []
        assert any(s.label == "LOCATION" for s in article.offered)  # other labels stay
        await pilot.press("ctrl+z")  # one edit: one undo
        assert not any(model.find(s.start, s.end, "ACTOR", "alice") for s in actors)
        await pilot.app.session.wait()


async def test_Y_then_another_key_cancels(dataset):
    async with GlossApp(dataset, dataset.ids()).run_test(size=(120, 30)) as pilot:
        article = await suggested(pilot)
        before = list(article.offered)
        spans = len(pilot.app.screen.pane.model.spans)
        await walk_to(pilot, "Putin", 1)
        await pilot.press("Y", "n")
        assert len(pilot.app.screen.pane.model.spans) == spans
        assert article.offered == before
        assert any("nothing accepted" in n for n in notices(pilot.app))


async def test_two_panes_on_one_article_both_show_an_accept(dataset):
    doc = dataset.ids()[0]
    async with GlossApp(dataset, [doc, doc]).run_test(size=(200, 40)) as pilot:
        screen = pilot.app.screen
        assert isinstance(screen, ReaderScreen)
        article = await suggested(pilot)
        left, right = screen.query(ArticlePane)
        assert left.suggested is right.suggested is article
        count = len(article.offered)
        await walk_to(pilot, "Zelensky", 1)
        await pilot.press("y")
        for pane in (left, right):
            assert pane.spans.rows == len(pane.model.spans) + 1 + count - 1
        await pilot.press("ctrl+w")  # the other pane's status says it too
        assert f"{count - 1} suggested" in status(pilot.app)
        await pilot.app.session.wait()


async def test_a_name_labelled_is_suggested_wherever_else_it_stands(dataset):
    async with GlossApp(dataset, dataset.ids()).run_test(size=(120, 30)) as pilot:
        article = await suggested(pilot)
        assert ("Witkoff", "ACTOR") not in texts(article)
        view_of(pilot.app).move_to(TEXT.index("Witkoff") + 1)
        await pilot.press("1")
        article = await suggested(pilot)
        assert [(s.start, s.end) for s in article.offered if s.label == "ACTOR"
                and TEXT[s.start:s.end] == "Witkoff"] == [at("Witkoff", 1)]
        await pilot.press("x")  # taken away: no longer a name seen
        article = await suggested(pilot)
        assert ("Witkoff", "ACTOR") not in texts(article)


async def test_a_model_that_cannot_be_used_is_said_once_and_the_rest_suggested(dataset,
                                                                              tmp_path):
    broken = tmp_path / "broken-model"
    broken.mkdir()
    (broken / "card.json").write_text("{not json", encoding="utf-8")
    async with GlossApp(dataset, dataset.ids(), model=broken).run_test(
            size=(120, 30)) as pilot:
        article = await suggested(pilot)
        assert ("Kyiv", "LOCATION") in texts(article)
        said = [n for n in notices(pilot.app) if n.startswith("no model suggestions: ")]
        assert len(said) == 1 and "broken-model" in said[0]
