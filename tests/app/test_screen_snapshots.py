"""Every screen at the sizes analysts use, 80x24 and 200x50, pinned as SVG snapshots (the
reader, the library and the review are in test_snapshots.py and test_review_snapshots.py):
the claims board, the stats, the help, the command palette, and the reader's link and
attribute menus. At 80x24 nothing an analyst needs may be cut: look at each SVG you accept.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from textual.widgets import OptionList

from tests.app.team import DOC_ID, team
from tests.app.test_snapshots import fixed, seed
from tui.app import GlossApp
from tui.core.dataset import Dataset
from tui.core.model import Document, Relation
from tui.screens.board import BoardScreen
from tui.screens.stats import StatsScreen

SIZES = [(80, 24), (200, 50)]
HANG_S = 20


async def until(pilot, ready) -> None:
    deadline = time.monotonic() + HANG_S
    while not ready():
        assert time.monotonic() < deadline, "never ready"
        await pilot.pause(0.05)


def linked_seed(tmp_path: Path) -> Dataset:
    """The seed article with 30 reference spans, two of its claims sourced and placed."""
    dataset = seed(tmp_path, 30)
    [article] = dataset.articles()
    by_text = {s.text: s for s in article.spans}
    claim = by_text["Ukraine agreed to a month-long cease-fire"].with_attribute(
        "source_kind", "actor")
    dataset.save_span(article.document.id, claim)
    dataset.save_relation(article.document.id, Relation(
        claim.id, by_text["Ukraine"].id, "SOURCE", "olena", id="r-source"))
    dataset.save_relation(article.document.id, Relation(
        claim.id, next(s for s in article.spans if s.label == "LOCATION").id, "ABOUT",
        "olena", id="r-place"))
    return dataset


@pytest.mark.parametrize("size", SIZES)
def test_the_claims_board_of_a_team(snap_compare, tmp_path, monkeypatch, size):
    """Each claim once, naming who holds it, grouped by source."""
    monkeypatch.chdir(tmp_path)
    folder = team(Path("db")).folder
    text = "Zelensky told reporters in Kyiv that the cease-fire will hold."
    Dataset(folder, "alice").add_article(Document.from_text(text, {"date": "2025-03-19"}), [
        fixed(text, 0, 8, "ACTOR"), fixed(text, 37, 62, "CLAIM")])
    app = GlossApp(Dataset(folder, "alice"), [DOC_ID])

    async def ready(pilot) -> None:
        await until(pilot, lambda: app.session.index.ready)
        await pilot.press("B")
        await until(pilot, lambda: isinstance(app.screen, BoardScreen) and app.screen.ready)

    assert snap_compare(app, terminal_size=size, run_before=ready)


@pytest.mark.parametrize("size", SIZES)
def test_the_stats(snap_compare, tmp_path, monkeypatch, size):
    monkeypatch.chdir(tmp_path)
    folder = team(Path("db")).folder
    app = GlossApp(Dataset(folder, "alice"))

    async def ready(pilot) -> None:
        await pilot.press("ctrl+g")
        await until(pilot, lambda: isinstance(app.screen, StatsScreen) and app.screen.ready)

    assert snap_compare(app, terminal_size=size, run_before=ready)


@pytest.mark.parametrize("size", SIZES)
def test_the_help(snap_compare, tmp_path, size):
    dataset = seed(tmp_path, 5)
    assert snap_compare(GlossApp(dataset, dataset.ids()), terminal_size=size,
                        press=["question_mark"])


@pytest.mark.parametrize("size", SIZES)
def test_the_command_palette(snap_compare, tmp_path, size):
    """The reader's commands matching "link": the screen's own (tui/commands.py)."""
    dataset = seed(tmp_path, 5)
    app = GlossApp(dataset, dataset.ids())

    async def typed(pilot) -> None:
        await pilot.press("ctrl+p", *"link")
        await until(pilot, lambda: len(app.screen.query(OptionList))
                    and app.screen.query_one(OptionList).option_count >= 2)

    assert snap_compare(app, terminal_size=size, run_before=typed)


@pytest.mark.parametrize("size", SIZES)
def test_the_link_bar(snap_compare, tmp_path, size):
    """A claim to do, w: the likeliest source highlighted, the bar says what enter does
    and every other choice, with esc cancel at its end."""
    dataset = linked_seed(tmp_path)
    assert snap_compare(GlossApp(dataset, dataset.ids()), terminal_size=size,
                        press=["t", "t", "w"])


@pytest.mark.parametrize("size", SIZES)
def test_the_attribute_menu(snap_compare, tmp_path, size):
    dataset = linked_seed(tmp_path)
    assert snap_compare(GlossApp(dataset, dataset.ids()), terminal_size=size,
                        press=["t", "m"])


@pytest.mark.parametrize("size", SIZES)
def test_a_linked_claim_in_the_span_list(snap_compare, tmp_path, size):
    """The span list says `claim ← source @ place` and each span's label, at 80 columns
    too."""
    dataset = linked_seed(tmp_path)
    assert snap_compare(GlossApp(dataset, dataset.ids()), terminal_size=size,
                        press=["slash", *"month-long", "enter", "escape", "l"])
