"""The small things an analyst tripped on, and the screens around the reader."""

from pathlib import Path

import pytest
from textual import events

from tests.app.helpers import notices, reader_of, status, view_of
from tui.app import GlossApp
from tui.core.document.model import Document, Label, LabelSet, Span
from tui.core.store.dataset import Dataset
from tui.screens.help import HelpScreen
from tui.screens.library import LibraryScreen
from tui.screens.reader import ReaderScreen
from tui.widgets.bars.legend import Legend
from tui.widgets.lists.article_table import ArticleTable
from tui.widgets.lists.span_list import SpanList

LONG = ("Kremlin spokesman Dmitry Peskov said that Russia would not withdraw its forces from "
        "the Zaporizhzhia region before any talks in Istanbul.\nKyiv rejected the claim.")
SHORT = "Odesa was shelled overnight, officials in Kyiv said."


@pytest.fixture
def dataset(tmp_path: Path) -> Dataset:
    dataset = Dataset(tmp_path / "db", "alice")
    for text in (LONG, SHORT):
        dataset.add_article(Document.from_text(text))
    return dataset


def ids(dataset: Dataset) -> list[str]:
    return [row.id for row in dataset.summaries()[0]]


def rendered(widget) -> str:
    return "".join(seg.text for y in range(widget.size.height)
                   for seg in widget.render_line(y))


async def test_the_status_cuts_long_span_text_and_shows_the_focused_panes_save(dataset):
    first, second = ids(dataset)
    async with GlossApp(dataset, [first, second]).run_test(size=(200, 30)) as pilot:
        await pilot.press("equals_sign", "equals_sign", "equals_sign", "2")  # a long claim
        await pilot.app.session.wait()
        await pilot.pause()
        line = status(pilot.app)
        assert "saved CLAIM “Kremlin spokesman Dmitry Peskov said…”" in line, line
        await pilot.press("ctrl+w")  # the other pane: nothing saved there yet
        assert "nothing to save yet" in status(pilot.app)
        await pilot.press("1")
        await pilot.app.session.wait()
        await pilot.pause()
        assert "saved ACTOR “Odesa”" in status(pilot.app)
        await pilot.press("ctrl+w")
        assert "saved CLAIM" in status(pilot.app)


async def test_escape_clears_the_selection_and_its_note(dataset):
    async with GlossApp(dataset, ids(dataset)[:1]).run_test(size=(120, 30)) as pilot:
        await pilot.press("shift+right", "shift+right")
        assert "sel 0–2" in status(pilot.app)
        await pilot.press("escape")
        assert "sel " not in status(pilot.app) and "at 2 of" in status(pilot.app)


async def test_the_status_bar_moves_with_the_cursor_in_the_same_frame(dataset):
    async with GlossApp(dataset, ids(dataset)[:1]).run_test(size=(120, 30)) as pilot:
        view = view_of(pilot.app)
        view.action_move("right")  # as the binding does, without a pause after
        assert "at 1 of" in status(pilot.app)


async def test_a_key_closes_the_second_pane_and_one_goes_back_to_the_library(dataset):
    first, second = ids(dataset)
    async with GlossApp(dataset, [first, second]).run_test(size=(160, 30)) as pilot:
        await pilot.press("S")  # this pane closes, the other stays
        reader = reader_of(pilot.app)
        assert [p.doc_id for p in reader.panes.panes] == [second]
        await pilot.press("S")
        assert "one article open" in notices(pilot.app)[-1]
        await pilot.press("b")
        assert isinstance(pilot.app.screen, LibraryScreen)
        await pilot.press("enter")
        assert isinstance(pilot.app.screen, ReaderScreen)
        await pilot.press("b")
        assert isinstance(pilot.app.screen, LibraryScreen)
        await pilot.press("q")
        assert not pilot.app.is_running


async def test_in_the_library_q_quits_only_when_the_filter_is_empty(dataset):
    async with GlossApp(dataset).run_test(size=(120, 30)) as pilot:
        await pilot.press(*"iraq")  # typing moves to the filter, q included
        assert pilot.app.is_running
        assert pilot.app.screen.query_one("#filter").value == "iraq"
        await pilot.press("ctrl+u", "q")  # emptied: q quits
        assert not pilot.app.is_running


async def test_the_library_shows_a_broken_article_as_broken(dataset):
    broken = dataset.folder / ("0" * 16 + ".json")
    broken.write_text('{"article": [1, 2', encoding="utf-8")
    async with GlossApp(dataset).run_test(size=(120, 30)) as pilot:
        await checked(pilot)
        problems = [str(w.render()) for w in pilot.app.screen.query(".problem")]
        assert len(problems) == 1 and problems[0].startswith("broken: ")
        assert str(broken) in problems[0] and "\n" not in problems[0]


async def checked(pilot) -> None:
    """The library's rows checked against the files (a thread after the first frame)."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_the_library_shows_the_files_as_they_are_once_checked(dataset):
    """The first frame shows the index's rows as they stand; a file saved behind its
    back (a writer that kept no row) is shown as it is once they are checked."""
    doc_id = dataset.ids()[0]
    behind = Dataset(dataset.folder, "alice")
    behind.index.write = False
    behind.new_span(doc_id, 0, 4, "LOCATION")
    gone = dataset.ids()[-1]
    dataset.path(gone).unlink()
    async with GlossApp(dataset).run_test(size=(120, 30)) as pilot:
        await checked(pilot)
        library = pilot.app.screen
        assert library.rows == Dataset.existing(dataset.folder, "alice").summaries()[0]
        shown = library.query_one(ArticleTable)
        assert gone not in library.order and shown.rows == library.rows
        assert [r.spans for r in library.rows if r.id == doc_id] == [
            len(dataset.spans(doc_id, "alice"))]
        assert f"{len(library.rows)} articles" in str(
            library.query_one("#library-title").render())


async def test_help_and_legend_show_label_names_literally(tmp_path):
    dataset = Dataset(tmp_path / "db", "alice")
    dataset.replace_labels(LabelSet([Label("[bold red]PEACE[/]", "1", "#61afef"),
                                     Label("EVIL\x1b[2J", "2", "#e5c07b")]))
    dataset.add_article(Document.from_text(SHORT))
    async with GlossApp(dataset, dataset.ids()).run_test(size=(120, 30)) as pilot:
        legend = str(pilot.app.screen.query_one(Legend).render())
        assert "[bold red]PEACE[/]" in legend and "EVIL␛[2J" in legend
        await pilot.press("question_mark")
        assert isinstance(pilot.app.screen, HelpScreen)
        shown = pilot.app.export_screenshot().replace("&#160;", " ")
        assert "[bold red]PEACE[/]" in shown and "EVIL␛[2J" in shown


@pytest.mark.parametrize("analyst", ["olena.kovalenko", "svitlana-oleksandrivna.kovalenko@mfa"])
async def test_the_span_list_never_clips_the_analysts_name(tmp_path, analyst):
    """At 80 columns the list is narrow: one analyst's spans leave the name out (the status
    bar says it); an article of two analysts names each, never clipped."""
    dataset = Dataset(tmp_path / "db", analyst)
    document = Document.from_text(LONG)
    dataset.add_article(document)
    async with GlossApp(dataset, dataset.ids()).run_test(size=(80, 24)) as pilot:
        await pilot.press("equals_sign", "equals_sign", "equals_sign", "2")
        spans = pilot.app.screen.query_one(SpanList)
        assert spans.display and spans.size.width < 30
        row = "".join(seg.text for seg in spans.render_line(0)).rstrip()
        assert row.startswith(" CLA Kr") and analyst[:8] not in row
        await pilot.app.session.wait()
    Dataset(dataset.folder, "bob").save_span(document.id, Span.new(LONG, 0, 7, "ACTOR", "bob"))
    async with GlossApp(dataset, dataset.ids()).run_test(size=(80, 24)) as pilot:
        spans = pilot.app.screen.query_one(SpanList)
        rows = ["".join(seg.text for seg in spans.render_line(y)).rstrip() for y in range(2)]
        assert rows[1].split() == ["ACT", "Kremlin", "bob"]  # a short name whole
        row = rows[0]  # the claim's: the label and text first, then the name, cut with an
        # ellipsis, never clipped at the edge
        assert row.startswith(" CLA Kr") and row.endswith("…") and analyst[:8] in row


async def test_at_80_columns_the_article_keeps_50_and_the_list_folds_with_a_key(dataset):
    async with GlossApp(dataset, ids(dataset)[:1]).run_test(size=(80, 24)) as pilot:
        reader = reader_of(pilot.app)
        assert reader.view.layout_.width >= 50
        assert not reader.view.show_horizontal_scrollbar
        await pilot.press("L")
        await pilot.pause()
        assert not reader.pane.spans.display
        assert reader.view.layout_.width > 70
        await pilot.press("L")
        await pilot.pause()
        assert reader.pane.spans.display


async def test_two_panes_at_80_columns_fold_their_lists(dataset):
    first, second = ids(dataset)
    async with GlossApp(dataset, [first, second]).run_test(size=(80, 24)) as pilot:
        panes = reader_of(pilot.app).panes.panes
        assert [p.spans.display for p in panes] == [False, False]
        await pilot.press("l")  # going to the list unfolds it
        assert panes[0].spans.display and panes[0].spans.has_focus


async def test_notices_show_data_literally(tmp_path):
    text = "Talks [bold]in[/] Kyiv\x1b[31m resumed."
    dataset = Dataset(tmp_path / "db", "alice")
    dataset.add_article(Document.from_text(text))
    async with GlossApp(dataset, dataset.ids()).run_test(size=(120, 30)) as pilot:
        await pilot.press("c", *["right"] * 6, *["shift+right"] * 16, "1", "ctrl+z", "ctrl+y")
        await pilot.press(*["left"] * 16, *["shift+right"] * 16, "1")  # the same span again
        assert notices(pilot.app)[-1] == "ACTOR “[bold]in[/] Kyiv” is already there"
        await pilot.press("slash")
        pilot.app.post_message(events.Paste("[/]\x1b[2J"))
        await pilot.press("enter")
        assert notices(pilot.app)[-1] == "“[/]␛[2J” is not in this article"
        assert all(not n.markup for n in pilot.app._notifications)


async def test_an_app_ended_before_the_librarys_first_frame_leaves_collections_on(dataset):
    """The library holds Python's cycle collector off from its rows' read to its first
    frame; an app that ends first (a quit as it opens, a hang-up) turns it back on, else
    a process that goes on (tests, `gloss serve`'s tabs) would never collect again."""
    import gc

    try:
        async with GlossApp(dataset, []).run_test(size=(100, 20)) as pilot:
            await pilot.pause()
            assert gc.isenabled()  # the shown library's first frame has come
            LibraryScreen(dataset)  # made, never shown: its first frame never comes
            assert not gc.isenabled()
            await pilot.press("q")
        assert gc.isenabled()
    finally:
        gc.enable()
