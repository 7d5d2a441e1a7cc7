"""`gloss review`'s library shows the agreement of the two analysts it compares: those
given (`--annotators`), else each article's first two, the reviewer left out; from the
index, and put right after its first frame when another process changed an article
behind the index's back."""

from pathlib import Path

import pytest

from tests.app.team import DOC_ID, TEXT, reviewing, team
from tui.core.store.dataset import Dataset, summary
from tui.widgets.lists.article_list import ArticleList


def figure(folder: Path, reviewer: str, pair: tuple[str, ...]) -> str:
    """The F1 cell the files say for ``pair`` (or the first two but ``reviewer``)."""
    row = summary(Dataset.existing(folder, "x").article(DOC_ID), reviewer, reviewer, pair)
    assert row.agreement is not None
    return f"{row.agreement:.2f}"


def shown(app) -> str:
    line = "".join(seg.text for seg in app.screen.query_one(ArticleList).render_line(1))
    return line.rstrip()[-4:]


def labelled(folder: Path, *needles: str, keep_index: bool = True) -> None:
    """carol labels each of ``needles`` an actor, and marks the article done."""
    carol = Dataset(folder, "carol")
    carol.index.write = keep_index
    for needle in needles:
        start = TEXT.index(needle)
        carol.new_span(DOC_ID, start, start + len(needle), "ACTOR")
    carol.set_status(DOC_ID, "done")


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    folder = team(tmp_path / "db").folder
    labelled(folder, "Dmitry Peskov", "Russia", "Istanbul")
    return folder


@pytest.mark.parametrize(("analysts", "reviewer", "pair"), [
    ((), "review", ("alice", "bob")),
    (("carol", "alice"), "review", ("carol", "alice")),
    (("bob", "carol"), "olena", ("bob", "carol")),
    ((), "alice", ("bob", "carol")),  # alice reviews: her version is not compared
])
async def test_the_review_library_shows_the_pair_it_compares(folder, analysts, reviewer,
                                                             pair):
    expected = figure(folder, reviewer, pair)
    async with reviewing(folder, *analysts, reviewer=reviewer).run_test(
            size=(100, 24)) as pilot:
        assert shown(pilot.app) == expected
        await pilot.app.workers.wait_for_complete()  # the check of the rows shown
        await pilot.pause()
        assert shown(pilot.app) == expected


async def test_a_figure_changed_behind_the_index_is_put_right_after_the_first_frame(
        folder):
    before = figure(folder, "review", ("carol", "alice"))
    labelled(folder, "Kyiv", "Zaporizhzhia", keep_index=False)  # her row left stale
    after = figure(folder, "review", ("carol", "alice"))
    assert after != before
    async with reviewing(folder, "carol", "alice").run_test(size=(100, 24)) as pilot:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        assert shown(pilot.app) == after
