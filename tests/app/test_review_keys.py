"""The review screen, key by key: walking the differences, taking the left or the right
version, every agreement at once, undo, the article marked reviewed, and what reaches the
disk (annotator the reviewer, source whose it was, the links between copied spans); and
the library's team columns."""

from pathlib import Path

import pytest

from tests.app.helpers import notices
from tests.app.team import AGREED, DIFFERENCES, DOC_ID, TEXT, reviewing, team
from tui.app import GlossApp
from tui.core.dataset import Dataset
from tui.core.review import ReviewPlan
from tui.screens.library import LibraryScreen
from tui.screens.review import ReviewScreen
from tui.widgets.bars.review_bar import ReviewBar
from tui.widgets.lists.article_list import ArticleList


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return team(tmp_path / "db").folder


def screen_of(app: GlossApp) -> ReviewScreen:
    screen = app.screen
    assert isinstance(screen, ReviewScreen)
    return screen


def bar(app: GlossApp) -> str:
    return app.screen.query_one(ReviewBar).plain


def selections(app: GlossApp) -> list[str | None]:
    """What each pane has selected, as text."""
    out = []
    for pane in screen_of(app).panes.panes:
        selection = pane.view.selection
        out.append(TEXT[selection[0]:selection[1]] if selection else None)
    return out


async def settle(pilot) -> None:
    await pilot.pause()
    await pilot.app.session.wait()
    await pilot.pause()


def review_on_disk(folder: Path, reviewer: str = "review") -> dict[str, tuple[str, str]]:
    """The reviewer's spans as another process reads them: text -> (label, source)."""
    return {s.text: (s.label, s.source) for s in Dataset(folder, "x").spans(DOC_ID, reviewer)}


async def test_enter_in_gloss_review_opens_both_versions_side_by_side(folder):
    async with reviewing(folder).run_test(size=(120, 30)) as pilot:
        await pilot.press("enter")
        screen = screen_of(pilot.app)
        assert [p.analyst for p in screen.panes.panes] == ["alice", "bob"]
        assert [len(p.spans.spans) for p in screen.panes.panes] == [7, 8]
        # the cursor starts on the first difference: the bar names it
        assert bar(pilot.app).startswith(" 1 / 4    boundaries differ ")
        assert "4 agree" in bar(pilot.app)


async def test_tab_walks_every_difference_in_text_order_and_names_it(folder):
    async with reviewing(folder).run_test(size=(120, 30)) as pilot:
        await pilot.press("enter")
        seen = []
        for _ in DIFFERENCES:
            await pilot.press("tab")
            seen.append(bar(pilot.app))
        for n, (line, name) in enumerate(zip(seen, DIFFERENCES, strict=True), start=1):
            assert line.startswith(f" {n} / 4 ") and name in line
        assert "the review: neither" in seen[0] and "not in the review" in seen[3]
        await pilot.press("tab")  # round the end
        assert bar(pilot.app).startswith(" 1 / 4 ")
        assert selections(pilot.app) == ["Dmitry Peskov", "Kremlin spokesman Dmitry Peskov"]
        await pilot.press("shift+tab")
        assert bar(pilot.app).startswith(" 4 / 4 ")
        # only bob has Tuesday: alice's pane selects where it would be
        assert selections(pilot.app) == ["Tuesday", "Tuesday"]


async def test_1_takes_the_left_version_as_the_reviewer_then_goes_on(folder):
    async with reviewing(folder).run_test(size=(120, 30)) as pilot:
        await pilot.press("enter", "tab", "1")
        await settle(pilot)
        assert review_on_disk(folder) == {"Dmitry Peskov": ("ACTOR", "alice")}
        [copy] = Dataset(folder, "x").spans(DOC_ID, "review")
        assert copy.annotator == "review" and copy.id != "alice-ACTOR-18"
        assert bar(pilot.app).startswith(" 2 / 4 ")  # on to the next difference
        left, right = (p.spans for p in screen_of(pilot.app).panes.panes)
        assert [left.notes.of(s) for s in left.spans][:2] == ["bounds ✓", "links"]
        assert [right.notes.of(s) for s in right.spans][:2] == ["bounds", "links"]
        await pilot.press("shift+tab")
        assert "the review: alice's" in bar(pilot.app)


async def test_2_takes_the_right_version_and_replaces_the_left(folder):
    async with reviewing(folder).run_test(size=(120, 30)) as pilot:
        await pilot.press("enter", "tab", "1", "shift+tab", "2")
        await settle(pilot)
        assert review_on_disk(folder) == {"Kremlin spokesman Dmitry Peskov": ("ACTOR", "bob")}
        assert bar(pilot.app).startswith(" 2 / 4 ")
        await pilot.press("2")  # bob's claim, with his source: his Peskov, taken
        await settle(pilot)
        article = Dataset(folder, "x").article(DOC_ID)
        review = {s.id: s for s in article.spans if s.annotator == "review"}
        claim = next(s for s in review.values() if s.label == "CLAIM")
        assert claim.source == "bob" and claim.attribute("source_kind") == "actor"
        [link] = [r for r in article.relations if r.head == claim.id]
        assert review[link.child].text == "Kremlin spokesman Dmitry Peskov"
        assert link.label == "SOURCE" and link.annotator == "review"


async def test_a_takes_every_agreement_with_its_links_in_one_edit(folder):
    async with reviewing(folder).run_test(size=(120, 30)) as pilot:
        await pilot.press("enter", "a")
        await settle(pilot)
        assert review_on_disk(folder) == {
            "Russia": ("ACTOR", "alice,bob"), "Zaporizhzhia": ("LOCATION", "alice,bob"),
            "Kyiv": ("ACTOR", "alice,bob"),
            "Kyiv rejected the claim": ("CLAIM", "alice,bob")}
        article = Dataset(folder, "x").article(DOC_ID)
        review = {s.id: s.text for s in article.spans if s.annotator == "review"}
        links = [(review[r.head], review[r.child], r.label) for r in article.relations
                 if r.head in review]
        assert links == [("Kyiv rejected the claim", "Kyiv", "SOURCE")]
        assert "4 agree, 4 in the review" in bar(pilot.app)
        await pilot.press("a")
        assert "the review holds all 4 agreements already" in notices(pilot.app)


async def test_undo_and_redo_go_through_the_disk_too(folder):
    async with reviewing(folder).run_test(size=(120, 30)) as pilot:
        await pilot.press("enter", "a", "tab", "1")
        await settle(pilot)
        assert len(review_on_disk(folder)) == 5
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert sorted(review_on_disk(folder)) == sorted(AGREED)
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert review_on_disk(folder) == {}
        assert Dataset(folder, "x").article(DOC_ID).relations[-1].annotator == "bob"
        await pilot.press("ctrl+y")
        await settle(pilot)
        assert sorted(review_on_disk(folder)) == sorted(AGREED)


async def test_d_marks_the_article_reviewed_for_the_reviewer_and_the_library_says_so(folder):
    async with reviewing(folder, reviewer="olena").run_test(size=(120, 30)) as pilot:
        await pilot.press("enter", "a", "d")
        await settle(pilot)
        assert Dataset(folder, "x").article(DOC_ID).status == {
            "alice": "done", "bob": "done", "olena": "reviewed"}
        assert notices(pilot.app)[-1].startswith("done: that was the last article to review")
        assert "reviewed ✓" in bar(pilot.app)
        await pilot.press("b")
        assert isinstance(pilot.app.screen, LibraryScreen)
        [row] = pilot.app.screen.rows
        assert row.status == "reviewed" and row.reviewed_by == ("olena",)
        assert row.done_by == ("alice", "bob")
        assert "1 reviewed by olena" in str(pilot.app.screen.query_one("#library-title")
                                           .render())


async def test_one_analyst_against_the_review_and_v_switches_to_it(folder):
    async with reviewing(folder, "bob").run_test(size=(120, 30)) as pilot:
        await pilot.press("enter")
        screen = screen_of(pilot.app)
        assert [p.analyst for p in screen.panes.panes] == ["bob", "review"]
        assert bar(pilot.app).startswith(" 1 / 8    only bob has it ")
        await pilot.press("tab", "1")
        await settle(pilot)
        assert bar(pilot.app).startswith(" 1 / 7    only bob has it ")  # the next one
        assert "1 agree, 1 in the review" in bar(pilot.app)
        await pilot.press("v")
        assert "set against the review already" in notices(pilot.app)[-1]
    async with reviewing(folder).run_test(size=(120, 30)) as pilot:
        await pilot.press("enter", "v")
        screen = screen_of(pilot.app)
        assert [p.analyst for p in screen.panes.panes] == ["alice", "review"]
        # the review holds bob's Peskov (taken above): bounds differ, and alice's 6 others
        assert bar(pilot.app).startswith(" 7 differences ") and "0 agree" in bar(pilot.app)
        await pilot.press("v")
        assert [p.analyst for p in screen_of(pilot.app).panes.panes] == ["alice", "bob"]


async def test_1_with_no_difference_under_the_cursor_says_where_to_go(folder):
    async with reviewing(folder).run_test(size=(120, 30)) as pilot:
        await pilot.press("enter", "ctrl+end", "1")
        assert "tab goes to the next one" in notices(pilot.app)[-1]
        assert review_on_disk(folder) == {}


async def test_the_palette_reviews_the_article_under_the_cursor_from_the_library(folder):
    app = GlossApp(Dataset(folder, "alice"), review=ReviewPlan("olena"))
    async with app.run_test(size=(120, 30)) as pilot:
        assert isinstance(pilot.app.screen, LibraryScreen)
        pilot.app.screen.action_review_selected()
        await pilot.pause()
        screen = screen_of(pilot.app)
        assert screen.analyst == "olena" and "olena" in str(screen.status_bar.plain)
        await pilot.press("tab", "1")
        await settle(pilot)
        assert review_on_disk(folder, "olena") == {"Dmitry Peskov": ("ACTOR", "alice")}


async def test_the_team_library_fits_80_columns(folder):
    async with reviewing(folder).run_test(size=(80, 24)) as pilot:
        table = pilot.app.screen.query_one(ArticleList)
        lines = ["".join(seg.text for seg in table.render_line(y)) for y in range(2)]
        # the spans column counts the review's version: its header says so
        assert lines[0].split() == ["#", "title", "review", "status", "done", "by",
                                    "reviewed", "F1"]
        row = lines[1]
        assert "Kremlin spokesman" in row and "alice bob" in row and row.rstrip()[-4:] == "0.80"
        assert len(row) <= 80


async def test_the_agreement_waits_for_both_analysts_to_be_done(tmp_path):
    folder = team(tmp_path / "db", done=False).folder
    Dataset(folder, "alice").set_status(DOC_ID, "done")
    [row], _ = Dataset(folder, "x").summaries()
    assert row.agreement is None and row.done_by == ("alice",)
    Dataset(folder, "bob").set_status(DOC_ID, "done")
    [row], _ = Dataset(folder, "x").summaries()
    # 6 of alice's 7 spans overlap one of bob's 8 with the same label (not Istanbul)
    assert row.agreement == pytest.approx(2 * 6 / 15)


async def test_d_reviews_the_next_article_and_brackets_step_between_them(folder):
    other = "Zelensky met Erdogan in Ankara.\n"
    dataset = Dataset(folder, "alice")
    from tui.core.model import Document, Span

    dataset.add_article(Document.from_text(other), [
        Span.new(other, 0, 8, "ACTOR", "alice"), Span.new(other, 0, 8, "ACTOR", "bob")])
    async with reviewing(folder).run_test(size=(120, 30)) as pilot:
        await pilot.press("enter", "d")
        await pilot.pause()
        screen = screen_of(pilot.app)
        assert screen.model.text == other and bar(pilot.app).startswith(" no differences ")
        assert "1 agree" in bar(pilot.app)
        await pilot.press("left_square_bracket")
        await pilot.pause()
        assert screen_of(pilot.app).model.text == TEXT and "reviewed ✓" in bar(pilot.app)
        await pilot.press("b")
        assert isinstance(pilot.app.screen, LibraryScreen)


async def test_names_from_the_data_are_shown_literally(tmp_path):
    from tui.core.model import Document, Span

    text = "Putin spoke in Moscow."
    names = ("a\x1b[31mlice", "b\u202eob")
    dataset = Dataset(tmp_path / "db", "x")
    dataset.add_article(Document.from_text(text), [
        Span.new(text, 0, 5, "ACTOR", names[0]), Span.new(text, 15, 21, "ACTOR", names[1])])
    for name in names:
        dataset.set_status(dataset.ids()[0], "done", name)
    async with reviewing(dataset.folder).run_test(size=(120, 30)) as pilot:
        row = "".join(seg.text for seg in pilot.app.screen.query_one(ArticleList)
                      .render_line(1))
        assert "a␛[31mlice" in row and "\x1b" not in row and "\u202e" not in row
        await pilot.press("enter")
        headings = [pane.heading for pane in screen_of(pilot.app).panes.panes]
        assert headings[0].startswith("a␛[31mlice's version") and "\u202e" not in headings[1]
        assert "only a␛[31mlice has it" in bar(pilot.app) and "\u202e" not in bar(pilot.app)


async def test_a_team_library_counts_one_version_and_says_whose(folder):
    """alice's 7 spans and bob's 8 are one article of 7 for alice, not of 15; in the
    review's library, the review's (none yet)."""
    async with GlossApp(Dataset(folder, "alice")).run_test(size=(120, 24)) as pilot:
        table = pilot.app.screen.query_one(ArticleList)
        header, row = ("".join(seg.text for seg in table.render_line(y)) for y in range(2))
        assert header.split()[:5] == ["#", "title", "chars", "yours", "status"]
        assert row.split()[-6:-3] == ["142", "7", "done"]
    async with reviewing(folder).run_test(size=(120, 24)) as pilot:
        table = pilot.app.screen.query_one(ArticleList)
        header, row = ("".join(seg.text for seg in table.render_line(y)) for y in range(2))
        assert header.split()[3] == "review" and row.split()[-6:-3] == ["142", "0", "todo"]
