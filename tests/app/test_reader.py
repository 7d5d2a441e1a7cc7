"""The reader as an analyst uses it: every key of the contract, and what the dataset holds."""

from pathlib import Path

import pytest
from textual import events

from tui.app import GlossApp
from tui.core.dataset import Dataset
from tui.core.model import Document, Span
from tui.screens.help import HelpScreen
from tui.screens.picker import PickerScreen
from tui.screens.reader import ReaderScreen
from tui.widgets.article.article_view import ArticleView
from tui.widgets.bars.status_bar import StatusBar

FIRST = ("Putin and Trump spoke about a cease-fire in Ukraine.\n"
         "Kyiv says talks in Riyadh must include Zelensky. Trump agreed.")
SECOND = "Odesa was shelled overnight, officials in Kyiv said."
THIRD = "Moscow denied the claim."


@pytest.fixture
def dataset(tmp_path: Path) -> Dataset:
    dataset = Dataset(tmp_path / "annotations", "alice")
    for text in (FIRST, SECOND, THIRD):
        dataset.add_article(Document.from_text(text))
    return dataset


def ids(dataset: Dataset) -> list[str]:
    return [row.id for row in dataset.summaries()[0]]


def on_disk(dataset: Dataset, doc: int = 0) -> list[tuple[str, str]]:
    """(text, label) of every span on disk, read fresh as another process would."""
    fresh = Dataset(dataset.folder, "someone-else")
    return [(s.text, s.label) for s in fresh.spans(ids(dataset)[doc])]


async def settle(pilot) -> None:
    """Wait for the saves under way: the edit is on screen at once, on disk a moment later."""
    await pilot.pause()
    await pilot.app.session.wait()
    await pilot.pause()


async def saved(pilot, dataset: Dataset, doc: int = 0) -> list[tuple[str, str]]:
    await settle(pilot)
    return on_disk(dataset, doc)


def reader(dataset: Dataset, *docs: int) -> GlossApp:
    all_ids = ids(dataset)
    return GlossApp(dataset, [all_ids[d] for d in docs or (0,)])


def view_of(app: GlossApp) -> ArticleView:
    screen = app.screen
    assert isinstance(screen, ReaderScreen)
    return screen.view


async def search(pilot, text: str) -> None:
    await pilot.press("slash", *text, "enter")


async def command(pilot, text: str) -> None:
    """Run the command palette's best match for ``text``."""
    await pilot.press("ctrl+p", *text)
    await pilot.pause(0.3)  # the palette searches in a worker
    await pilot.press("enter")
    await pilot.pause()


async def test_label_key_labels_the_word_under_the_cursor(dataset):
    async with reader(dataset).run_test(size=(120, 30)) as pilot:
        await pilot.press("ctrl+right", "ctrl+right", "ctrl+right", "left", "1")  # in "Trump"
        assert await saved(pilot, dataset) == [("Trump", "ACTOR")]


async def test_shift_selection_snaps_to_words(dataset):
    async with reader(dataset).run_test(size=(120, 30)) as pilot:
        await pilot.press("right", "right", *["shift+right"] * 9, "2")  # "tin and T"
        assert await saved(pilot, dataset) == [("Putin and Trump", "CLAIM")]


async def test_ctrl_shift_selects_by_word(dataset):
    async with reader(dataset).run_test(size=(120, 30)) as pilot:
        await pilot.press("ctrl+shift+right", "ctrl+shift+right", "ctrl+shift+right", "2")
        assert await saved(pilot, dataset) == [("Putin and Trump", "CLAIM")]


async def test_character_mode_labels_exactly_the_selection(dataset):
    async with reader(dataset).run_test(size=(120, 30)) as pilot:
        await pilot.press("c", "right", *["shift+right"] * 3, "1")
        assert await saved(pilot, dataset) == [("uti", "ACTOR")]
        status = str(app_status(pilot.app))
        assert "char mode" in status


def app_status(app: GlossApp) -> str:
    return app.screen.query_one(StatusBar).plain


async def test_search_makes_the_match_the_selection(dataset):
    async with reader(dataset).run_test(size=(120, 30)) as pilot:
        await search(pilot, "riyadh")
        await pilot.press("3")
        assert await saved(pilot, dataset) == [("Riyadh", "LOCATION")]
        assert "saved LOCATION “Riyadh”" in app_status(pilot.app)


async def test_a_burst_of_keys_after_slash_searches_then_labels(dataset):
    """Over SSH "/Riyadh⏎3" can arrive as one burst; "d" must not mark the article done."""
    async with reader(dataset).run_test(size=(120, 30)) as pilot:
        app = pilot.app
        for key in ["slash", *"Riyadh", "enter", "3"]:
            app.post_message(events.Key(key, "/" if key == "slash" else
                                        (key if len(key) == 1 else None)))
        await pilot.pause()
        assert await saved(pilot, dataset) == [("Riyadh", "LOCATION")]
        assert Dataset(dataset.folder, "alice").status(ids(dataset)[0]) == "todo"
        assert view_of(app).text == FIRST


async def test_bursts_of_searches_and_labels_land_in_order(dataset):
    """Several "/word⏎label" bursts back to back, as a paste or a fast typist sends them."""
    async with reader(dataset).run_test(size=(120, 30)) as pilot:
        for word, key in (("Riyadh", "3"), ("Zelensky", "1"), ("cease-fire", "2")):
            for k in ["slash", *word, "enter", key]:
                name = {"-": "minus"}.get(k, k)
                pilot.app.post_message(events.Key(name, "/" if k == "slash" else
                                                  (k if len(k) == 1 else None)))
        await pilot.pause()
        assert sorted(await saved(pilot, dataset)) == [
            ("Riyadh", "LOCATION"), ("Zelensky", "ACTOR"), ("cease-fire", "CLAIM")]


async def test_enter_on_an_empty_search_repeats_the_last_one(dataset):
    async with reader(dataset).run_test(size=(120, 30)) as pilot:
        await search(pilot, "Trump")
        await pilot.press("slash", "enter")
        assert view_of(pilot.app).selection == (FIRST.rindex("Trump"),
                                                FIRST.rindex("Trump") + 5)


async def test_n_and_shift_n_walk_the_matches(dataset):
    async with reader(dataset).run_test(size=(120, 30)) as pilot:
        await search(pilot, "Trump")
        first = view_of(pilot.app).selection
        await pilot.press("n")
        second = view_of(pilot.app).selection
        await pilot.press("N")
        assert view_of(pilot.app).selection == first
        assert first == (10, 15) and second == (FIRST.rindex("Trump"), FIRST.rindex("Trump") + 5)
        await pilot.press("n", "1")
        await settle(pilot)
        assert [s.start for s in Dataset(dataset.folder, "x").spans(ids(dataset)[0])] == [
            second[0]]


async def test_nested_spans_tab_walks_and_x_removes_the_innermost(dataset):
    async with reader(dataset).run_test(size=(120, 30)) as pilot:
        await pilot.press(*["ctrl+shift+right"] * 3, "2")  # CLAIM "Putin and Trump"
        await pilot.press("ctrl+home", "1")  # ACTOR "Putin" inside it
        assert sorted(await saved(pilot, dataset)) == [("Putin", "ACTOR"),
                                                       ("Putin and Trump", "CLAIM")]
        await pilot.press("ctrl+home", "x")
        assert await saved(pilot, dataset) == [("Putin and Trump", "CLAIM")]
        await pilot.press("ctrl+end", "shift+tab")
        assert view_of(pilot.app).selection == (0, 15)
        await pilot.press("delete")
        assert await saved(pilot, dataset) == []


async def test_a_label_key_on_a_spans_exact_extent_relabels_it(dataset):
    async with reader(dataset).run_test(size=(120, 30)) as pilot:
        await search(pilot, "Kyiv")
        await pilot.press("1")
        await pilot.press("ctrl+home", "tab", "3")
        assert await saved(pilot, dataset) == [("Kyiv", "LOCATION")]


async def test_undo_and_redo_are_saved(dataset):
    async with reader(dataset).run_test(size=(120, 30)) as pilot:
        await pilot.press("1")
        assert await saved(pilot, dataset) == [("Putin", "ACTOR")]
        await pilot.press("ctrl+z")
        assert await saved(pilot, dataset) == []
        await pilot.press("ctrl+y")
        assert await saved(pilot, dataset) == [("Putin", "ACTOR")]
        await pilot.press("x", "ctrl+z")  # undoing a removal restores the same span
        await settle(pilot)
        [span] = Dataset(dataset.folder, "x").spans(ids(dataset)[0])
        assert (span.text, span.annotator) == ("Putin", "alice")


async def test_brackets_move_between_articles_and_d_marks_done(dataset):
    async with reader(dataset).run_test(size=(120, 30)) as pilot:
        await pilot.press("right_square_bracket", "1")
        assert await saved(pilot, dataset, 1) == [("Odesa", "ACTOR")]
        assert "article 2 / 3" in app_status(pilot.app)
        await pilot.press("left_square_bracket")
        assert view_of(pilot.app).text == FIRST
        await pilot.press("d")
        assert Dataset(dataset.folder, "alice").status(ids(dataset)[0]) == "done"
        assert view_of(pilot.app).text == SECOND


async def test_the_last_d_says_done_first(dataset):
    """On the last article d marks it done and says so: done, it was the last."""
    async with reader(dataset, 2).run_test(size=(120, 30)) as pilot:
        await pilot.press("d")
        assert Dataset(dataset.folder, "alice").status(ids(dataset)[2]) == "done"
        said = [n.message for n in pilot.app._notifications]
        assert said[-1].startswith("done: that was the last article · done: ")
        assert not any("no more articles" in n for n in said)
        assert view_of(pilot.app).text == THIRD


async def test_side_by_side_both_panes_annotatable(dataset):
    async with reader(dataset).run_test(size=(160, 30)) as pilot:
        await pilot.press("s")
        assert isinstance(pilot.app.screen, PickerScreen)
        await pilot.press("down", "enter")  # the second article
        screen = pilot.app.screen
        assert isinstance(screen, ReaderScreen)
        assert [p.view.text for p in screen.panes.panes] == [FIRST, SECOND]
        assert screen.view.text == SECOND  # the new pane has the focus
        await pilot.press("1")
        await pilot.press("ctrl+w", "3")
        assert await saved(pilot, dataset, 1) == [("Odesa", "ACTOR")]
        assert await saved(pilot, dataset, 0) == [("Putin", "LOCATION")]
        first, second = screen.panes.panes
        assert [s.text for s in first.spans.spans] == ["Putin"]  # each pane, its own list
        assert [s.text for s in second.spans.spans] == ["Odesa"]


async def test_span_list_choice_moves_the_cursor(dataset):
    async with reader(dataset).run_test(size=(120, 30)) as pilot:
        await search(pilot, "Zelensky")
        await pilot.press("1", "ctrl+home", "l", "enter")
        assert view_of(pilot.app).selection == (FIRST.index("Zelensky"),
                                                FIRST.index("Zelensky") + 8)


async def test_mouse_drag_selects_and_double_click_selects_a_word(dataset):
    async with reader(dataset).run_test(size=(120, 30)) as pilot:
        view = view_of(pilot.app)
        await pilot.mouse_down(view, offset=(1 + 3, 0))  # padding 1: "Put|in"
        await pilot.hover(view, offset=(1 + 12, 0))  # "Trump" middle
        await pilot.mouse_up(view, offset=(1 + 12, 0))
        await pilot.press("2")
        assert await saved(pilot, dataset) == [("Putin and Trump", "CLAIM")]
        await pilot.double_click(view, offset=(1 + 33, 0))  # "cease-fire"
        assert view.selection == (30, 40)
        await pilot.press("2")
        assert ("cease-fire", "CLAIM") in await saved(pilot, dataset)


async def test_a_failed_save_is_shown_kept_and_retried(dataset):
    article = dataset.path(ids(dataset)[0])
    away = article.with_name("away")
    async with reader(dataset).run_test(size=(120, 30)) as pilot:
        article.rename(away)  # the article's file is gone: every save fails
        await pilot.press("1")
        view = view_of(pilot.app)
        assert [s.text for s in view.model.spans] == ["Putin"]
        assert view.model.is_unsaved(view.model.spans[0].id)
        assert "NOT SAVED" in app_status(pilot.app) and "r retries" in app_status(pilot.app)
        away.rename(article)
        assert await saved(pilot, dataset) == []
        await pilot.press("r")
        assert await saved(pilot, dataset) == [("Putin", "ACTOR")]
        assert not view.model.is_unsaved(view.model.spans[0].id)
        assert "saved" in app_status(pilot.app)


async def test_help_lists_every_key_and_closes(dataset):
    async with reader(dataset).run_test(size=(120, 40)) as pilot:
        await pilot.press("question_mark")
        assert isinstance(pilot.app.screen, HelpScreen)
        await pilot.press("escape")
        assert isinstance(pilot.app.screen, ReaderScreen)


async def test_command_palette_toggles_character_mode(dataset):
    async with reader(dataset).run_test(size=(120, 30)) as pilot:
        await command(pilot, "character mode")
        assert isinstance(pilot.app.screen, ReaderScreen) and pilot.app.screen.char_mode


async def test_export_from_the_palette_writes_the_dataset(dataset, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    async with reader(dataset).run_test(size=(120, 30)) as pilot:
        await pilot.press("1")
        await command(pilot, "export the dataset")
        await settle(pilot)
        await pilot.app.workers.wait_for_complete()
    lines = (tmp_path / "gloss-export.jsonl").read_text(encoding="utf-8").splitlines()
    # the two articles nobody has opened are no examples (gloss export --all writes them)
    assert len(lines) == 1 and '"text":"Putin"' in lines[0]


async def test_skipping_an_article_from_the_palette(dataset):
    async with reader(dataset).run_test(size=(120, 30)) as pilot:
        await command(pilot, "mark article skipped")
        assert Dataset(dataset.folder, "alice").status(ids(dataset)[0]) == "skipped"
        assert view_of(pilot.app).text == SECOND


async def test_row_and_page_keys_move_and_select(dataset):
    second_line = FIRST.index("Kyiv")
    async with reader(dataset).run_test(size=(120, 30)) as pilot:
        view = view_of(pilot.app)
        await pilot.press("right", "right", "down")
        assert view.cursor == second_line + 2  # same column, next row
        await pilot.press("up", "end")
        assert view.cursor == FIRST.index("\n")
        await pilot.press("home", "pagedown")
        assert view.cursor == len(FIRST)  # a short article: one page is the end
        await pilot.press("pageup", "ctrl+end", "ctrl+home")
        assert view.cursor == 0
        await pilot.press("shift+end")
        assert view.selection == (0, FIRST.index("\n"))
        await pilot.press("escape")
        assert view.selection is None and view.cursor == FIRST.index("\n")
        await pilot.press("ctrl+home", "down", "shift+up")  # a whole row, from below
        assert view.selection == (0, second_line)
        await pilot.press("ctrl+end", "shift+home")
        assert view.selection == (second_line, len(FIRST))


async def test_o_opens_another_article_in_this_pane(dataset):
    async with reader(dataset).run_test(size=(120, 30)) as pilot:
        await pilot.press("o")
        assert isinstance(pilot.app.screen, PickerScreen)
        await pilot.press(*"moscow", "enter")
        assert view_of(pilot.app).text == THIRD
        assert len(pilot.app.screen.panes.panes) == 1
        await pilot.press("1")
        assert await saved(pilot, dataset, 2) == [("Moscow", "ACTOR")]


async def test_q_quits(dataset):
    async with reader(dataset).run_test(size=(120, 30)) as pilot:
        await pilot.press("1", "q")
        assert not pilot.app.is_running
    assert on_disk(dataset) == [("Putin", "ACTOR")]


async def test_library_filters_as_you_type_and_opens(dataset):
    async with GlossApp(dataset).run_test(size=(120, 30)) as pilot:
        await pilot.press(*"odesa", "enter")
        assert view_of(pilot.app).text == SECOND


# -- text that breaks naive tools ---------------------------------------------------


async def test_markup_and_escapes_are_shown_literally_and_offsets_stay_right(tmp_path):
    text = ("[bold red]PEACE NOW[/] and [link=http://x]y[/link] then \x1b[31mred\x1b[0m, "
            "a bell\x07 and Kyiv.")
    dataset = Dataset(tmp_path / "db", "alice")
    dataset.add_article(Document.from_text(text))
    async with GlossApp(dataset, dataset.ids()).run_test(size=(120, 30)) as pilot:
        view = view_of(pilot.app)
        drawn = "".join(seg.text for y in range(3) for seg in view.render_line(y))
        assert "[bold red]PEACE NOW[/]" in drawn and "[link=http://x]y[/link]" in drawn
        assert "␛[31mred␛[0m" in drawn and "bell␇" in drawn
        assert "\x1b" not in drawn and "\x07" not in drawn
        await search(pilot, "red")
        await pilot.press("n", "c", "1")  # the second "red", after the ESC, as it is
        await settle(pilot)
        [span] = Dataset(dataset.folder, "x").spans(dataset.ids()[0])
        assert text[span.start:span.end] == "red" and span.start == text.index("mred") + 1
        await pilot.press("c")
        await search(pilot, "Kyiv")
        await pilot.press("3")
        assert ("Kyiv", "LOCATION") in await saved(pilot, dataset)


async def test_emoji_flags_and_accents_are_one_step_and_never_split(tmp_path):
    text = "Family 👩‍👩‍👧 flag 🇺🇦 café e\u0301 東京 end"
    dataset = Dataset(tmp_path / "db", "alice")
    dataset.add_article(Document.from_text(text))
    async with GlossApp(dataset, dataset.ids()).run_test(size=(80, 20)) as pilot:
        view = view_of(pilot.app)
        await pilot.press(*["right"] * 7)
        assert view.cursor == text.index("👩")
        await pilot.press("right")
        assert view.cursor == text.index("👩") + len("👩‍👩‍👧")
        await pilot.press("c", *["right"] * 6, "shift+right", "1")
        await pilot.press("right", *["shift+right"] * 4, "3")
        await settle(pilot)
        labelled = [(s.text, s.label) for s in Dataset(dataset.folder, "x").spans(
            dataset.ids()[0])]
        assert labelled == [("🇺🇦", "ACTOR"), ("café", "LOCATION")]
        # "Family " 7 cells, the family 2, " flag " 6, the flag 2, " café é " 8: 東 is
        # drawn in cells 25 and 26, and a click on either lands on it
        await pilot.click(view, offset=(1 + 26, 0))
        assert view.cursor == text.index("東")
        await pilot.click(view, offset=(1 + 27, 0))
        assert view.cursor == text.index("京")


async def test_an_existing_span_from_another_analyst_is_kept(dataset):
    doc_id = ids(dataset)[0]
    Dataset(dataset.folder, "bob").save_span(doc_id, Span.new(FIRST, 0, 5, "ACTOR", "bob"))
    async with reader(dataset).run_test(size=(120, 30)) as pilot:
        await pilot.press("3")
        await settle(pilot)
    spans = Dataset(dataset.folder, "x").spans(doc_id)
    assert sorted((s.annotator, s.label) for s in spans) == [("alice", "LOCATION"),
                                                              ("bob", "ACTOR")]
