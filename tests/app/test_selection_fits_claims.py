"""Selecting a claim, a source or a place by hand costs few keys: a search match labels
whole words, and the status bar is there from the first frame of an article opened from
the library."""

from pathlib import Path

import pytest

from tests.app.helpers import burst, reader_of, spans, status, view_of
from tui.app import GlossApp
from tui.core.document.model import Document
from tui.core.store.dataset import Dataset
from tui.screens.reader import ReaderScreen

TEXT = ("Ukrainian President Volodymyr Zelensky said Ukraine would not give up the Kursk "
        "region. Energy experts warn that the Zaporizhzhia plant, Europe’s largest nuclear "
        "facility, is in poor condition after years of war.")


@pytest.fixture
def dataset(tmp_path: Path) -> Dataset:
    dataset = Dataset(tmp_path / "db", "olena")
    dataset.add_article(Document.from_text(TEXT))
    dataset.add_article(Document.from_text("A second article, said nobody."))
    return dataset


def ids(dataset: Dataset) -> list[str]:
    return [row.id for row in dataset.summaries()[0]]


async def test_a_search_match_inside_a_word_labels_the_whole_word(dataset):
    async with GlossApp(dataset, ids(dataset)[:1]).run_test(size=(120, 30)) as pilot:
        await pilot.press("slash", *"ukr", "enter")
        assert view_of(pilot.app).selection == (0, 3)  # the match, as found
        await pilot.press("3")
        assert ("Ukrainian", "LOCATION") in spans(pilot.app)
        assert not any(text == "Ukr" for text, _ in spans(pilot.app))


async def test_a_search_match_snaps_to_words_in_a_burst_too(dataset):
    async with GlossApp(dataset, ids(dataset)[:1]).run_test(size=(120, 30)) as pilot:
        burst(pilot.app, ["slash", *"zapor", "enter", "3"])
        await pilot.pause()
        assert ("Zaporizhzhia", "LOCATION") in spans(pilot.app)


async def test_a_search_match_in_character_mode_is_labelled_as_it_is(dataset):
    async with GlossApp(dataset, ids(dataset)[:1]).run_test(size=(120, 30)) as pilot:
        await pilot.press("c", "slash", *"ukr", "enter", "3")
        assert ("Ukr", "LOCATION") in spans(pilot.app)


async def test_the_status_bar_is_shown_when_an_article_is_opened_from_the_library(dataset):
    async with GlossApp(dataset).run_test(size=(120, 30)) as pilot:
        await pilot.press("enter")
        assert isinstance(pilot.app.screen, ReaderScreen)
        await pilot.pause()
        line = status(pilot.app)
        assert "olena" in line and "word mode" in line and "at 0 of" in line
        assert "article 1 / 2" in line
        await pilot.press("b", "down", "enter")  # another article, the same from its start
        await pilot.pause()
        assert "article 2 / 2" in status(pilot.app)
        assert reader_of(pilot.app).status_bar.plain == status(pilot.app)
