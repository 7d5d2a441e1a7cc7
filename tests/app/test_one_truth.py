"""One article, one truth: the same article in two panes, or opened again, is one model."""

from pathlib import Path

import pytest

from tui.app import GlossApp
from tui.core.dataset import Dataset
from tui.core.model import Document
from tui.screens.reader import ReaderScreen
from tui.widgets.panes import ArticlePane

TEXT = ("Putin and Trump spoke about a cease-fire in Ukraine.\n"
        "Kyiv says talks must include Zelensky.")
OTHER = "Odesa was shelled overnight, officials in Kyiv said."


@pytest.fixture
def dataset(tmp_path: Path) -> Dataset:
    dataset = Dataset(tmp_path / "db", "alice")
    dataset.add_article(Document.from_text(TEXT))
    dataset.add_article(Document.from_text(OTHER))
    return dataset


def first_id(_dataset: Dataset) -> str:
    return Document.from_text(TEXT).id


def panes(app: GlossApp) -> list[ArticlePane]:
    screen = app.screen
    assert isinstance(screen, ReaderScreen)
    return screen.panes.panes


def drawn_bold(pane: ArticlePane, word: str) -> bool:
    """Is ``word`` drawn bold (as an actor) on the first row of the pane's view?"""
    start = pane.view.text.index(word)
    cells = [(seg.text, seg.style) for seg in pane.view.render_line(0)]
    offset = 0
    for text, style in cells:
        if offset <= start < offset + len(text):
            return bool(style and style.bold)
        offset += len(text)
    return False


async def test_a_label_in_one_pane_shows_in_both_panes_and_lists_at_once(dataset):
    doc = first_id(dataset)
    async with GlossApp(dataset, [doc, doc]).run_test(size=(200, 30)) as pilot:
        left, right = panes(pilot.app)
        assert left.model is right.model
        await pilot.press("1")  # "Putin", in the left pane
        # no pause, no saves waited for: the key's own handling redrew both
        assert drawn_bold(left, "Putin") and drawn_bold(right, "Putin")
        assert [s.text for s in left.spans.spans] == ["Putin"]
        assert [s.text for s in right.spans.spans] == ["Putin"]
        await pilot.press("ctrl+w", *["ctrl+right"] * 3, "left", "1")  # "Trump", right
        assert [s.text for s in left.spans.spans] == ["Putin", "Trump"]
        assert drawn_bold(left, "Trump")


async def test_a_span_is_removable_from_either_pane(dataset):
    doc = first_id(dataset)
    async with GlossApp(dataset, [doc, doc]).run_test(size=(200, 30)) as pilot:
        left, right = panes(pilot.app)
        await pilot.press("1", "ctrl+w", "ctrl+home", "x")
        assert left.spans.spans == [] and right.spans.spans == []
        assert not drawn_bold(left, "Putin")
        await pilot.app.session.wait()
    assert Dataset(dataset.folder, "x").spans(doc) == []


async def test_the_same_span_is_never_made_twice(dataset):
    doc = first_id(dataset)
    async with GlossApp(dataset, [doc, doc]).run_test(size=(200, 30)) as pilot:
        left, _right = panes(pilot.app)
        await pilot.press("1", "ctrl+w", "1")  # the same word, the same label, in the other pane
        assert [s.text for s in left.model.spans] == ["Putin"]
        notices = [n.message for n in pilot.app._notifications]
        assert any("already there" in n for n in notices), notices
        await pilot.press("ctrl+home", "tab", "1")  # on the span itself: the same answer
        assert len(left.model.spans) == 1
        await pilot.app.session.wait()
    assert [s.text for s in Dataset(dataset.folder, "x").spans(doc)] == ["Putin"]


async def test_an_article_opened_again_is_the_same_model(dataset):
    doc = first_id(dataset)
    async with GlossApp(dataset, [doc]).run_test(size=(200, 30)) as pilot:
        await pilot.press("1", "s")
        await pilot.press("enter")  # the first row: this same article
        left, right = panes(pilot.app)
        assert left.model is right.model and len(right.spans.spans) == 1
        await pilot.press("o", *"odesa", "enter")  # the right pane now shows another one
        left, right = panes(pilot.app)
        assert right.model is not left.model and right.doc_id != doc
        await pilot.press("ctrl+w", "x")  # left: remove Putin; the model lives on alone
        assert left.spans.spans == []


async def test_undo_in_either_pane_undoes_the_articles_last_edit(dataset):
    doc = first_id(dataset)
    async with GlossApp(dataset, [doc, doc]).run_test(size=(200, 30)) as pilot:
        left, right = panes(pilot.app)
        await pilot.press("1", "ctrl+w", "ctrl+z")
        assert left.spans.spans == [] and right.spans.spans == []
        await pilot.press("ctrl+y")
        assert [s.text for s in left.spans.spans] == ["Putin"]
