"""What is said of a span (the menu, the palette), one actor across articles (the canonical
name offered and completed), and the claims board (grouped, filtered, opened, two articles
set against each other)."""

from pathlib import Path

import pytest
from textual.widgets import Static

from tests.app.helpers import link_bar, notices, status, view_of
from tui.app import GlossApp
from tui.core.document.model import Document, Relation, Span
from tui.core.store.dataset import Dataset
from tui.screens.board import BoardScreen, parse_filter
from tui.screens.reader import ReaderScreen
from tui.widgets.bars.menu_bar import MenuBar
from tui.widgets.bars.prompt_bar import PromptBar
from tui.widgets.lists.board_list import BoardList

ONE = ("Russian President Vladimir Putin said the cease-fire in Kursk will hold. "
       "Putin told reporters Moscow wants talks in Riyadh.")
TWO = "Putin said the talks in Riyadh were useful, the Kremlin claimed on Tuesday."


def spans_of(text: str, *marks: tuple[str, str]) -> dict[str, Span]:
    found = {}
    for needle, label in marks:
        start = text.index(needle)
        found[needle] = Span.new(text, start, start + len(needle), label, "alice")
    return found


@pytest.fixture
def dataset(tmp_path: Path) -> Dataset:
    dataset = Dataset(tmp_path / "db", "alice")
    one = spans_of(ONE, ("Russian President Vladimir Putin", "ACTOR"),
                   ("the cease-fire in Kursk will hold", "CLAIM"), ("Kursk", "LOCATION"),
                   ("Putin told", "ACTOR"), ("Moscow wants talks in Riyadh", "CLAIM"),
                   ("Riyadh", "LOCATION"))
    one["Putin told"] = Span.new(ONE, ONE.index("Putin told"), ONE.index("Putin told") + 5,
                                 "ACTOR", "alice")
    two = spans_of(TWO, ("Putin", "ACTOR"), ("the talks in Riyadh were useful", "CLAIM"),
                   ("Riyadh", "LOCATION"))
    two["Putin"] = two["Putin"].with_attribute("canonical", "Vladimir Putin")
    claim = two["the talks in Riyadh were useful"]
    dataset.add_articles([
        (Document.from_text(ONE, {"title": "Kursk", "date": "2025-03-18"}), list(one.values()),
         []),
        (Document.from_text(TWO, {"title": "Riyadh", "date": "2025-03-19"}), list(two.values()),
         [Relation(claim.id, two["Putin"].id, "SOURCE", "alice"),
          Relation(claim.id, two["Riyadh"].id, "ABOUT", "alice")]),
    ])
    return dataset


def ids() -> tuple[str, str]:
    return Document.from_text(ONE).id, Document.from_text(TWO).id


async def ready(pilot) -> None:
    """Wait until the app has read the dataset's claims and names (a thread)."""
    while not pilot.app.session.index.ready:
        await pilot.pause(0.02)


async def test_the_menu_sets_and_clears_a_claims_attributes(dataset):
    async with GlossApp(dataset, [ids()[0]]).run_test(size=(140, 30)) as pilot:
        await pilot.press("t", "m")
        menu = pilot.app.screen.query_one(MenuBar)
        assert menu.display and [i.value for i in menu.items][:3] == ["actor", "journalist",
                                                                      "unnamed"]
        await pilot.press("f")  # quote: direct
        claim = view_of(pilot.app).span_here()
        assert claim.attribute("quote") == "direct" and not menu.display
        assert "quote=direct on CLAIM “the cease-fire in Kursk will hold”" in \
            status(pilot.app)
        await pilot.press("m", "f")  # the value it has: cleared
        assert view_of(pilot.app).span_here().attribute("quote") is None
        await pilot.press("m", "escape", "ctrl+z")
        assert view_of(pilot.app).span_here().attribute("quote") == "direct"
        await pilot.app.session.wait()
    [claim] = [s for s in Dataset(dataset.folder, "bob").spans(ids()[0])
               if s.text.startswith("the cease-fire")]
    assert claim.attributes == (("quote", "direct"),)


async def test_a_country_is_checked_before_it_is_set(dataset):
    async with GlossApp(dataset, [ids()[0]]).run_test(size=(140, 30)) as pilot:
        await pilot.press("tab", "m")
        letters = {i.name: n for n, i in enumerate(pilot.app.screen.query_one(MenuBar).items)}
        await pilot.press("asdfghjkl"[letters["country"]], *"ukr", "enter")
        assert "country must look like [A-Z]{2}, not 'ukr'" in notices(pilot.app)[-1]
        await pilot.press("m", "asdfghjkl"[letters["country"]], *"RU", "enter")
        assert view_of(pilot.app).span_here().attribute("country") == "RU"


async def test_the_canonical_name_offers_the_fullest_name_then_the_datasets(dataset):
    async with GlossApp(dataset, [ids()[0]]).run_test(size=(140, 30)) as pilot:
        await ready(pilot)
        await pilot.press("tab", "tab", "tab", "tab", "k")  # "Putin" (told reporters)
        prompt = pilot.app.screen.query_one(PromptBar)
        # "Putin" was named Vladimir Putin in the other article: that name comes first
        assert prompt.text == "Vladimir Putin" and prompt.options[0] == "Vladimir Putin"
        await pilot.press("ctrl+u", *"vladmir", "tab")  # fuzzy
        assert prompt.text == "Vladimir Putin"
        await pilot.press("enter")
        assert view_of(pilot.app).span_here().attribute("canonical") == "Vladimir Putin"
        await pilot.press("ctrl+home", "k")  # the fullest name in this article, bare
        assert prompt.text == "Vladimir Putin"
        await pilot.press("escape")
        assert view_of(pilot.app).span_here().attribute("canonical") is None


async def test_a_name_set_in_one_article_is_suggested_in_another(dataset, tmp_path):
    one, two = ids()
    async with GlossApp(dataset, [one, two]).run_test(size=(200, 30)) as pilot:
        await ready(pilot)
        await pilot.press("slash", *"Moscow", "enter", "1", "k", "ctrl+u", *"Russia", "enter")
        await pilot.press("ctrl+w", "slash", *"Kremlin", "enter", "1", "k")
        prompt = pilot.app.screen.query_one(PromptBar)
        assert prompt.text == "Kremlin"
        await pilot.press("ctrl+u", *"rus")
        assert prompt.options[:1] == ["Russia"]


async def test_the_board_groups_filters_and_opens_a_claim(dataset):
    one, two = ids()
    async with GlossApp(dataset, [one]).run_test(size=(140, 30)) as pilot:
        await ready(pilot)
        await pilot.press("B")
        board = pilot.app.screen
        assert isinstance(board, BoardScreen) and board.ready
        table = board.query_one(BoardList)
        assert [(line.name, line.count) for line in table.lines if line.heading] == [
            ("(to do)", 2), ("Vladimir Putin", 1)]
        await pilot.press(*"putin")
        assert [line.left.claim.text for line in table.lines if not line.heading] == [
            "the talks in Riyadh were useful"]
        await pilot.press("escape", *"@riyadh")
        assert [line.left.claim.text for line in table.lines if not line.heading] == [
            "the talks in Riyadh were useful"]
        await pilot.press("escape", *"todo")
        assert [line.left.claim.text for line in table.lines if not line.heading] == [
            "the cease-fire in Kursk will hold", "Moscow wants talks in Riyadh"]
        await pilot.press("escape", "down", "down", "enter")  # the Putin claim, in TWO
        screen = pilot.app.screen
        assert isinstance(screen, ReaderScreen)
        await pilot.pause()
        view = screen.view
        assert view.model.doc_id == two
        assert view.text[slice(*view.selection)] == "the talks in Riyadh were useful"


async def test_the_board_sets_two_articles_side_by_side(dataset):
    one, two = ids()
    async with GlossApp(dataset, [one, two]).run_test(size=(160, 30)) as pilot:
        await ready(pilot)
        await pilot.press("t", "w", "enter")  # the Kursk claim: Vladimir Putin, in ONE
        await pilot.press("k", "enter")  # known as the fullest name: Vladimir Putin
        await pilot.press("B", "tab")
        table = pilot.app.screen.query_one(BoardList)
        pairs = [(line.left and line.left.claim.text, line.right and line.right.claim.text)
                 for line in table.lines if not line.heading]
        assert pairs[0] == ("the cease-fire in Kursk will hold",
                            "the talks in Riyadh were useful")
        await pilot.press("right", "enter")
        screen = pilot.app.screen
        assert isinstance(screen, ReaderScreen) and screen.pane.doc_id == two


async def test_the_board_shows_claims_linked_in_this_session(dataset):
    async with GlossApp(dataset, [ids()[0]]).run_test(size=(140, 30)) as pilot:
        await ready(pilot)
        await pilot.press("t", "w", "enter", "B")
        table = pilot.app.screen.query_one(BoardList)
        names = [line.name for line in table.lines if line.heading]
        assert "Vladimir Putin" in names and "(to do)" in names  # bare of his titles


def test_the_filter_reads_sources_places_and_status():
    assert parse_filter("putin @kursk todo") == {"actor": "putin", "place": "kursk",
                                                 "status": "to do"}
    assert parse_filter("Vladimir Putin sourced") == {"actor": "Vladimir Putin", "place": "",
                                                      "status": "sourced"}


async def test_the_palette_links_and_sets_attributes(dataset):
    async with GlossApp(dataset, [ids()[0]]).run_test(size=(140, 30)) as pilot:
        await pilot.press("t", "ctrl+p", *"set quote: indirect")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert view_of(pilot.app).span_here().attribute("quote") == "indirect"
        await pilot.press("ctrl+p", *"link source")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert "⏎ link “Russian President Vladimir Putin”" in link_bar(pilot.app)


async def test_a_teams_claim_is_one_row_naming_who_holds_it_or_one_row_each(tmp_path):
    """alice and bob both hold "Kyiv rejected the claim" (source Kyiv) alike: one row,
    "alice bob"; their Peskov claims differ in where the link points, not in the source's
    name, so they are one row too. ctrl+t: each analyst's row."""
    from tests.app.team import DOC_ID, team

    folder = team(tmp_path / "db").folder
    async with GlossApp(Dataset(folder, "bob"), [DOC_ID]).run_test(size=(140, 30)) as pilot:
        await ready(pilot)
        await pilot.press("B")
        board = pilot.app.screen
        table = board.query_one(BoardList)

        def claims() -> list[tuple[str, tuple[str, ...]]]:
            return sorted((line.left.claim.text, line.left.analysts)
                          for line in table.lines if not line.heading)

        assert claims() == [("Kyiv rejected the claim", ("alice", "bob")),
                            ("Russia would not withdraw from Zaporizhzhia", ("alice", "bob"))]
        assert all(line.left.claim.annotator == "bob" for line in table.lines
                   if not line.heading)  # enter opens the reader's own
        title = str(board.query_one("#board-title", Static).render())
        assert "2 of 2" in title and "once, with who holds it" in title
        await pilot.press("ctrl+t")
        assert sorted(who for _text, who in claims()) == [("alice",), ("alice",), ("bob",),
                                                          ("bob",)]
        assert "4 of 4" in str(board.query_one("#board-title", Static).render())


async def test_the_board_shows_its_first_groups_from_the_index_while_the_dataset_is_read(
        dataset, monkeypatch):
    """A first session on a large dataset: the session's index and the board's pages are
    still being read (here: never), and the board shows the largest groups and their
    claims from the index file at once; a claim opens in its article as on the whole
    board."""
    from tui.core.editing.session import Session

    monkeypatch.setattr(Session, "read_index", lambda self: None)
    monkeypatch.setattr(Session, "board_pages", lambda self, done: False)
    one, two = ids()
    async with GlossApp(dataset, [one]).run_test(size=(140, 30)) as pilot:
        await pilot.press("B")
        board = pilot.app.screen
        assert isinstance(board, BoardScreen)
        table = board.query_one(BoardList)
        for _ in range(500):  # the index file is read in a thread
            if table.lines:
                break
            await pilot.pause(0.02)
        assert table.lines and not board.ready
        assert [(line.name, line.count) for line in table.lines if line.heading] == [
            ("(to do)", 2), ("Vladimir Putin", 1)]
        assert [line.left.claim.text for line in table.lines if not line.heading] == [
            "the cease-fire in Kursk will hold", "Moscow wants talks in Riyadh",
            "the talks in Riyadh were useful"]
        assert [line.left.place_names for line in table.lines if not line.heading][2] == [
            "Riyadh"]
        title = str(board.query_one("#board-title", Static).render())
        assert "3 · 2 sources · the first 3 shown" in title
        await pilot.press("down", "down", "enter")
        screen = pilot.app.screen
        assert isinstance(screen, ReaderScreen)
        await pilot.pause()
        assert screen.view.model.doc_id == two
        assert screen.view.text[slice(*screen.view.selection)] == \
            "the talks in Riyadh were useful"


async def test_the_boards_first_rows_leave_out_an_article_changed_behind_the_index(
        dataset, monkeypatch):
    """A file changed behind the index's back (its SOURCE link taken away, the index as it
    was): the first rows never show its claim as the index last had it."""
    from tui.core.editing.session import Session
    from tui.core.store.article_index import FOLDER, NAME

    monkeypatch.setattr(Session, "read_index", lambda self: None)
    monkeypatch.setattr(Session, "board_pages", lambda self, done: False)
    one, two = ids()
    index = dataset.folder / FOLDER / NAME
    dataset.settle()  # the rows of the fixture's saves written (a thread)
    kept = index.read_bytes()
    link = next(r for r in dataset.article(two).relations if r.label == "SOURCE")
    dataset.remove_relation(two, link.id)
    dataset.settle()  # its row of the index first: never written over the copy
    index.write_bytes(kept)
    async with GlossApp(dataset, [one]).run_test(size=(140, 30)) as pilot:
        await pilot.press("B")
        table = pilot.app.screen.query_one(BoardList)
        for _ in range(500):
            if table.lines:
                break
            await pilot.pause(0.02)
        shown = [(line.name, line.left.claim.text) for line in table.lines
                 if not line.heading]
        assert ("Vladimir Putin", "the talks in Riyadh were useful") not in shown
        assert ("(to do)", "the cease-fire in Kursk will hold") in shown


async def board_of(app: GlossApp, pilot) -> BoardScreen:
    """`B`, and the board once its rows are in (paged from the index: a thread)."""
    await pilot.press("B")
    for _ in range(500):
        if isinstance(app.screen, BoardScreen) and app.screen.ready:
            break
        await pilot.pause(0.02)
    board = app.screen
    assert isinstance(board, BoardScreen) and board.ready
    return board


def seen(board: BoardScreen) -> tuple[str, list[tuple[object, ...]]]:
    """The board's title and its lines as drawn: headings and claims with who holds them."""
    table = board.query_one(BoardList)
    title = str(board.query_one("#board-title", Static).render())
    return title, [(line.name, line.count) if line.heading else (
        line.name, line.left and (line.left.article, line.left.claim.id, line.left.analysts,
                                  line.left.status, tuple(line.left.place_names)),
        line.right and line.right.claim.id) for line in table.lines]


@pytest.mark.parametrize("team", [False, True])
async def test_the_paged_board_shows_what_the_board_made_in_memory_shows(tmp_path,
                                                                         monkeypatch, team):
    """The same groups, counts, claims and title, paged from the index or made from the
    session's index in memory (no usable index), through filters, ctrl+t and the view of
    two articles side by side."""
    from tests.core.test_claim_pages import team_of
    from tests.core.test_claim_table import make
    from tui.core.store import claim_pages

    dataset = (team_of if team else make)(tmp_path / "db", 5, 9)
    ids = dataset.ids()
    views: dict[str, list[tuple[str, list[tuple[object, ...]]]]] = {}
    for way in ("paged", "in memory"):
        if way == "in memory":
            monkeypatch.setattr(claim_pages, "open_pages", lambda *_a, **_k: None)
            monkeypatch.setattr(claim_pages, "pageable", lambda _dataset: False)
        app = GlossApp(Dataset(dataset.folder, dataset.annotator), ids[:2])
        async with app.run_test(size=(160, 40)) as pilot:
            await ready(pilot)
            board = await board_of(app, pilot)
            assert (board.pages is not None) == (way == "paged")
            found = [seen(board)]
            for typed in ("todo", "said", "@kyiv", "@riy sourced"):
                await pilot.press(*typed)
                found.append(seen(board))
                await pilot.press("escape")
            await pilot.press("ctrl+t")
            found.append(seen(board))
            await pilot.press("ctrl+t", "tab")
            found.append(seen(board))
            views[way] = found
    assert views["paged"] == views["in memory"]
    assert any(len(lines) > 3 for _title, lines in views["paged"])


async def test_a_link_made_in_the_reader_moves_the_claim_on_the_paged_board(dataset):
    async with GlossApp(dataset, [ids()[0]]).run_test(size=(140, 30)) as pilot:
        await ready(pilot)
        board = await board_of(pilot.app, pilot)
        assert board.pages is not None
        assert seen(board)[1][0] == ("(to do)", 2)
        await pilot.press("escape")
        await pilot.press("t", "w", "enter")  # the Kursk claim's source: Putin
        board = await board_of(pilot.app, pilot)
        title, lines = seen(board)
        assert ("(to do)", 1) in lines and ("Vladimir Putin", 2) in lines
        assert "3 of 3 · 2 sources · 1 to do" in title


async def test_the_paged_board_shows_a_file_changed_behind_the_index_as_it_is(dataset):
    """Another tool takes a claim's SOURCE link away once the app has started (its pass
    over the index done): the board reads that file, and shows the claim still to do."""
    import json

    one, two = ids()
    async with GlossApp(dataset, [one]).run_test(size=(140, 30)) as pilot:
        await ready(pilot)
        path = dataset.folder / f"{two}.json"
        data = json.loads(path.read_text())
        data["relations"] = {}
        path.with_suffix(".tmp").write_text(json.dumps(data))
        path.with_suffix(".tmp").replace(path)
        board = await board_of(pilot.app, pilot)
        assert board.pages is not None and two in board.pages.replaced
        title, lines = seen(board)
        assert lines[0] == ("(to do)", 3) and len(lines) == 4
        assert "3 of 3 · 1 sources · 3 to do" in title
