"""The keys that make spans fast: grow and shrink, resize, tab through every span, label every
occurrence, and a search that finds what the analyst types."""

from pathlib import Path

import pytest

from tests.app.helpers import burst, notices, on_disk, spans, status, view_of
from tui.app import GlossApp
from tui.core.dataset import Dataset
from tui.core.model import Document, Span

TEXT = ("Russian President Vladimir Putin said that Ukraine “must end NOW” the talks in the "
        "Kursk region, while Trump’s envoy met Putin.\n"
        "Kyiv says the cease-fire–talks in Riyadh must include Zelensky. Putin agreed.")


@pytest.fixture
def dataset(tmp_path: Path) -> Dataset:
    dataset = Dataset(tmp_path / "db", "alice")
    dataset.add_article(Document.from_text(TEXT))
    return dataset


def doc_id() -> str:
    return Document.from_text(TEXT).id


def reader(dataset: Dataset) -> GlossApp:
    return GlossApp(dataset, [doc_id()])


def where(word: str, nth: int = 0) -> int:
    at = -1
    for _ in range(nth + 1):
        at = TEXT.index(word, at + 1)
    return at


async def test_grow_goes_word_name_with_title_clause_and_shrink_comes_back(dataset):
    async with reader(dataset).run_test(size=(120, 30)) as pilot:
        view = view_of(pilot.app)
        await pilot.press(*["ctrl+right"] * 4, "left")  # in "Putin"
        await pilot.press("equals_sign")
        assert view.selection == (where("Putin"), where("Putin") + 5)
        await pilot.press("plus")
        assert TEXT[slice(*view.selection)] == "Russian President Vladimir Putin"
        await pilot.press("equals_sign")
        assert TEXT[slice(*view.selection)] == "Russian President Vladimir Putin said"
        await pilot.press("minus", "1")
        assert spans(pilot.app) == [("Russian President Vladimir Putin", "ACTOR")]
        await pilot.press("minus")
        assert "nothing to shrink" in notices(pilot.app)[-1]


async def test_grow_takes_a_region_with_its_place_noun_and_a_quote_whole(dataset):
    async with reader(dataset).run_test(size=(120, 30)) as pilot:
        await pilot.press("slash", *"kursk", "enter", "equals_sign", "3")
        await pilot.press("slash", *'"must', "enter", "equals_sign")
        assert TEXT[slice(*view_of(pilot.app).selection)] == "Ukraine “must end NOW”"
        await pilot.press("2")
        await pilot.app.session.wait()
    assert on_disk(dataset, doc_id()) == [("Ukraine “must end NOW”", "CLAIM"),
                                          ("Kursk region", "LOCATION")]


async def test_resize_moves_either_edge_by_a_word_as_one_undo(dataset):
    async with reader(dataset).run_test(size=(120, 30)) as pilot:
        await pilot.press(*["ctrl+right"] * 4, "left", "1")  # "Putin"
        await pilot.press("left_curly_bracket", "left_curly_bracket")  # start: two words left
        assert spans(pilot.app) == [("President Vladimir Putin", "ACTOR")]
        await pilot.press("greater_than_sign")  # end: a word right
        assert spans(pilot.app) == [("President Vladimir Putin said", "ACTOR")]
        await pilot.press("less_than_sign", "right_curly_bracket")
        assert spans(pilot.app) == [("Vladimir Putin", "ACTOR")]
        await pilot.press("ctrl+z")
        assert spans(pilot.app) == [("President Vladimir Putin", "ACTOR")]
        await pilot.press("c", "less_than_sign")  # character mode: a character
        assert spans(pilot.app) == [("President Vladimir Puti", "ACTOR")]
        await pilot.app.session.wait()
        [span] = view_of(pilot.app).model.spans
    [stored] = Dataset(dataset.folder, "x").spans(doc_id())
    assert (stored.id, stored.text) == (span.id, "President Vladimir Puti")


async def test_a_span_never_shrinks_to_nothing(dataset):
    async with reader(dataset).run_test(size=(120, 30)) as pilot:
        await pilot.press("1", "less_than_sign")
        assert spans(pilot.app) == [("Russian", "ACTOR")]
        assert "at least one word" in notices(pilot.app)[-1]


async def test_tab_visits_every_span_in_text_order_outer_before_inner(dataset):
    doc = doc_id()
    stored = [Span.new(TEXT, *extent, label, "alice") for extent, label in [
        ((0, where("said") - 1), "ACTOR"), ((where("Putin"), where("Putin") + 5), "ACTOR"),
        ((0, len(TEXT.split("\n")[0])), "CLAIM"), ((where("Kyiv"), where("Kyiv") + 4), "LOCATION"),
        ((where("Vladimir"), where("Putin") + 5), "ACTOR")]]
    for span in stored:
        dataset.save_span(doc, span)
    async with reader(dataset).run_test(size=(120, 30)) as pilot:
        view = view_of(pilot.app)
        seen = []
        for _ in range(5):
            await pilot.press("tab")
            seen.append((view.cursor, TEXT[slice(*view.selection)]))
        assert seen == [
            (0, TEXT.split("\n")[0]), (0, "Russian President Vladimir Putin"),
            (where("Vladimir"), "Vladimir Putin"), (where("Putin"), "Putin"),
            (where("Kyiv"), "Kyiv")]
        await pilot.press("tab")
        assert "no more spans" in notices(pilot.app)[-1]
        await pilot.press("shift+tab", "shift+tab")
        assert view.cursor == where("Vladimir")
        await pilot.press("x")  # tab's span, not the innermost under the cursor
        assert ("Vladimir Putin", "ACTOR") not in spans(pilot.app)
        assert ("Putin", "ACTOR") in spans(pilot.app)


async def test_a_labels_every_other_occurrence_in_one_undo(dataset):
    async with reader(dataset).run_test(size=(120, 30)) as pilot:
        await pilot.press("equals_sign", "equals_sign", "1")  # Russian President Vladimir Putin
        await pilot.press("slash", *"putin", "enter", "1", "a")  # the second Putin
        putins = [s for s in view_of(pilot.app).model.spans if s.text == "Putin"]
        # every whole-word Putin outside the actor span around the first
        assert [s.start for s in putins] == [where("Putin", 1), where("Putin", 2)]
        await pilot.press("a")
        assert "already labelled" in notices(pilot.app)[-1]
        await pilot.press("ctrl+z")
        assert [s.start for s in view_of(pilot.app).model.spans if s.text == "Putin"] == [
            where("Putin", 1)]


async def test_search_is_smart_case_and_finds_curly_quotes_and_dashes(dataset):
    async with reader(dataset).run_test(size=(120, 30)) as pilot:
        view = view_of(pilot.app)
        await pilot.press("slash", *'"must', "enter")
        assert TEXT[slice(*view.selection)] == "“must"
        await pilot.press("slash", *"trump's", "enter")
        assert TEXT[slice(*view.selection)] == "Trump’s"
        await pilot.press("slash", *"fire-talks", "enter")
        assert TEXT[slice(*view.selection)] == "fire–talks"
        await pilot.press("slash", *"putin", "enter")
        assert TEXT[slice(*view.selection)] == "Putin"
        await pilot.press("ctrl+home", "slash", *"KYIV", "enter")  # a capital: case counts
        assert "not in this article" in notices(pilot.app)[-1]


async def test_a_burst_of_search_then_label_lands_in_order(dataset):
    """Over SSH "/Kyiv⏎3" arrives in one read: "K" must not ... and 3 labels the match."""
    async with reader(dataset).run_test(size=(120, 30)) as pilot:
        burst(pilot.app, ["/", *"Kyiv", "enter", "3", "/", *"riya", "enter", "=", "3"])
        await pilot.pause()
        await pilot.app.session.wait()
        assert sorted(spans(pilot.app)) == [("Kyiv", "LOCATION"), ("Riyadh", "LOCATION")]
        assert "saved LOCATION “Riyadh”" in status(pilot.app)
