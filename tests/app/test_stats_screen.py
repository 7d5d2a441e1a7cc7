"""The stats screen (ctrl+g, or "Stats" in the palette): plots with their numbers, read
in a thread, and counted again when the dataset changes: a label saved in this app, or
by another process while the screen is open."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from textual_plotext import PlotextPlot

from tui.app import GlossApp
from tui.core.document.model import Document, Span
from tui.core.store.dataset import Dataset
from tui.screens.library import LibraryScreen
from tui.screens.reader import ReaderScreen
from tui.screens.stats import StatsScreen
from tui.widgets.figure_panel import FigurePanel

TEXT = "Putin and Zelensky spoke about a cease-fire in Kyiv. Trump said talks would resume."
HANG_S = 30  # only a hang gets there


@pytest.fixture
def dataset(tmp_path: Path) -> Dataset:
    dataset = Dataset(tmp_path / "db", "alice")
    document = Document.from_text(TEXT, {"title": "Talks"})
    dataset.add_article(document, [Span.new(TEXT, 0, 5, "ACTOR", "alice"),
                                   Span.new(TEXT, 47, 51, "LOCATION", "bob")])
    dataset.add_article(Document.from_text("Odesa was shelled overnight."))
    dataset.set_status(document.id, "done")
    return dataset


def numbers(app: GlossApp, figure: str) -> list[str]:
    return app.screen.query_one(f"#figure-{figure}", FigurePanel).numbers


async def until(pilot, what: str, ready) -> None:
    deadline = time.monotonic() + HANG_S
    while not ready():
        assert time.monotonic() < deadline, f"never: {what}"
        await pilot.pause(0.05)


async def stats_shown(pilot) -> StatsScreen:
    await until(pilot, "the stats", lambda: isinstance(pilot.app.screen, StatsScreen)
                and pilot.app.screen.ready)
    return pilot.app.screen


async def test_ctrl_g_in_the_library_shows_every_plot_with_its_numbers(dataset):
    async with GlossApp(dataset).run_test(size=(120, 50)) as pilot:
        await pilot.press("ctrl+g")
        screen = await stats_shown(pilot)
        assert len(screen.query(PlotextPlot)) == 5
        assert numbers(pilot.app, "progress") == [
            "alice: 1 done (50.0 %), 0 skipped, 0 reviewed, 1 to do",
            "bob: 0 done (0.0 %), 0 skipped, 0 reviewed, 2 to do"]
        assert numbers(pilot.app, "labels")[0] == "ACTOR: 1 (50.0 %)"
        # alice's and bob's versions of the first article count on their own
        assert numbers(pilot.app, "per-article")[0] == \
            "3 analysts' versions of 2 articles: min 0, median 1, max 1"
        title = str(screen.query_one("#stats-title").render())
        assert "2 spans (alice 1, bob 1)" in title
        assert numbers(pilot.app, "per-hour")[0].startswith("alice: 1 spans in 1 hours")
        assert "Stats" in str(screen.query_one("#stats-title").render())
        await pilot.press("escape")
        assert isinstance(pilot.app.screen, LibraryScreen)


async def test_the_palette_opens_the_stats(dataset):
    async with GlossApp(dataset).run_test(size=(120, 50)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.press(*"Stats")
        await until(pilot, "the command", lambda: "Stats" in str(
            pilot.app.screen.query("CommandList").first().get_option_at_index(0).prompt)
            if pilot.app.screen.query("CommandList") and
            pilot.app.screen.query("CommandList").first().option_count else False)
        await pilot.press("enter")
        await stats_shown(pilot)


async def test_a_label_saved_in_the_reader_is_in_the_stats(dataset):
    first = dataset.summaries()[0][0].id
    async with GlossApp(dataset, [first]).run_test(size=(120, 50)) as pilot:
        await pilot.press("ctrl+g")
        await stats_shown(pilot)
        assert numbers(pilot.app, "labels")[0] == "ACTOR: 1 (50.0 %)"
        await pilot.press("q")
        assert isinstance(pilot.app.screen, ReaderScreen)
        await pilot.press("ctrl+right", "ctrl+right", "ctrl+right", "1")  # "Zelensky"
        await pilot.app.session.wait()
        await pilot.press("ctrl+g")
        await stats_shown(pilot)
        await until(pilot, "the new label", lambda: numbers(pilot.app, "labels")[0]
                    == "ACTOR: 2 (66.7 %)")


async def test_a_save_by_another_process_shows_while_the_screen_is_open(dataset):
    async with GlossApp(dataset).run_test(size=(120, 50)) as pilot:
        await pilot.press("ctrl+g")
        await stats_shown(pilot)
        assert numbers(pilot.app, "labels")[2] == "LOCATION: 1 (50.0 %)"
        other = Dataset(dataset.folder, "carol")
        odesa = next(row.id for row in other.summaries()[0] if row.title.startswith("Odesa"))
        other.new_span(odesa, 0, 5, "LOCATION")
        await until(pilot, "the other analyst's label", lambda: numbers(
            pilot.app, "labels")[2] == "LOCATION: 2 (66.7 %)")
        assert numbers(pilot.app, "progress")[2].startswith("carol: 0 done")


async def test_names_are_shown_literally(tmp_path):
    dataset = Dataset(tmp_path / "db", "[bold]x\x1b]8;;http://e\x07")
    dataset.add_article(Document.from_text(TEXT))
    doc_id = dataset.ids()[0]
    dataset.new_span(doc_id, 0, 5, "ACTOR")
    async with GlossApp(dataset).run_test(size=(120, 50)) as pilot:
        await pilot.press("ctrl+g")
        await stats_shown(pilot)
        line = numbers(pilot.app, "progress")[0]
        assert line.startswith("[bold]x␛]8;;http://e␇: 0 done")
        rendered = str(pilot.app.screen.query_one("#figure-progress .numbers").render())
        assert "[bold]x␛]8;;http://e␇" in rendered


async def test_a_first_count_shows_the_files_as_they_are_once_checked(dataset):
    """A first count shows the index's rows as they stand, then the files as they are: a
    label saved behind the index's back (a writer that kept no row) and a broken file."""
    behind = Dataset(dataset.folder, "carol")
    behind.index.write = False
    odesa = next(row.id for row in behind.summaries()[0] if row.title.startswith("Odesa"))
    behind.new_span(odesa, 0, 5, "LOCATION")
    broken = dataset.folder / ("0" * 16 + ".json")
    broken.write_text('{"article": [1, 2', encoding="utf-8")
    async with GlossApp(dataset).run_test(size=(120, 50)) as pilot:
        await pilot.press("ctrl+g")
        screen = await stats_shown(pilot)
        assert numbers(pilot.app, "labels")[2] == "LOCATION: 2 (66.7 %)"
        assert str(broken) in str(screen.query_one("#stats-problems").render())


async def test_the_library_and_the_stats_leave_the_cycle_collector_on(dataset):
    """The library's first frame and the stats' first count pause Python's cycle
    collector over their rows until they are drawn (and, for the stats, checked): once
    they are, it runs again, in the app and after it."""
    import gc

    assert gc.isenabled()
    async with GlossApp(dataset).run_test(size=(120, 50)) as pilot:
        await until(pilot, "the library", lambda: isinstance(pilot.app.screen, LibraryScreen))
        await pilot.app.workers.wait_for_complete()
        await until(pilot, "the collector on", gc.isenabled)
        await pilot.press("ctrl+g")
        await stats_shown(pilot)
        await pilot.app.workers.wait_for_complete()
        await until(pilot, "the collector on", gc.isenabled)
    assert gc.isenabled()
