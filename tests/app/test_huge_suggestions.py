"""A huge article (past 2 million characters: here one paragraph of 2.1 M, built in the
test) is offered its suggestions where the analyst looks: at the start when it opens, at
the end once scrolled there, j and J walking to the next one stretch by stretch; only a
bounded number of stretches is kept. A small article is searched whole, as before."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.app.helpers import status, view_of
from tui.app import GlossApp
from tui.core.document.model import Document, Span
from tui.core.editing import huge_suggestions
from tui.core.editing.suggestions import HUGE, ArticleSuggestions
from tui.core.store.dataset import Dataset

SEED = "Putin met Zelensky in Kyiv.\n"
FILLER = "The talks went on and on without a name in sight for a long while. "
END = "At last Zelensky phoned Putin from Kyiv. "
SMALL = "Kyiv was quiet. Putin and Zelensky spoke again.\n"


def huge_text() -> str:
    text = "Zelensky spoke. " + FILLER * (HUGE // len(FILLER) + 1500) + END + FILLER * 2
    assert len(text) > HUGE
    return text


@pytest.fixture
def dataset(tmp_path: Path) -> Dataset:
    dataset = Dataset(tmp_path / "db", "alice")
    dataset.add_article(Document.from_text(SEED), [
        Span.new(SEED, 0, 5, "ACTOR", "alice"), Span.new(SEED, 10, 18, "ACTOR", "alice"),
        Span.new(SEED, 22, 26, "LOCATION", "alice")])
    dataset.add_article(Document.from_text(huge_text()))
    dataset.add_article(Document.from_text(SMALL))
    return dataset


async def offered_near(pilot, start: int, end: int) -> list[tuple[str, str]]:
    """The suggestions offered in [start, end), once they are known."""
    text = view_of(pilot.app).text
    for _ in range(400):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        article = pilot.app.screen.pane.suggested
        if article is not None and article.want(start, end) and not \
                pilot.app.session.suggestions.busy:
            return [(text[s.start:s.end], s.label) for s in article.overlapping(start, end)]
    raise AssertionError("the suggestions never came")


def drawn_suggested(view, row_holding: str, word: str) -> bool:
    """Is ``word`` drawn underlined (suggested) in the row on screen holding
    ``row_holding``?"""
    for y in range(view.size.height):
        cells = [(char, segment.style) for segment in view.render_line(y)
                 for char in segment.text]
        shown = "".join(char for char, _style in cells)
        if row_holding in shown:
            at = shown.index(word, shown.index(row_holding))
            return all(style is not None and style.underline
                       for _char, style in cells[at:at + len(word)])
    raise AssertionError(f"{row_holding!r} is not on screen")


async def test_the_end_of_a_huge_article_is_offered_once_scrolled_there(dataset):
    text = huge_text()
    doc = Document.from_text(text).id
    async with GlossApp(dataset, [doc]).run_test(size=(120, 30)) as pilot:
        assert ("Zelensky", "ACTOR") in await offered_near(pilot, 0, 20)
        article = pilot.app.screen.pane.suggested
        assert article.huge and "suggested nearby" in status(pilot.app)
        await pilot.press("ctrl+end")
        late = text.index(END)
        near = await offered_near(pilot, late, late + len(END))
        assert near == [("Zelensky", "ACTOR"), ("Putin", "ACTOR"), ("Kyiv", "LOCATION")]
        view = view_of(pilot.app)
        await pilot.pause()
        assert drawn_suggested(view, "At last Zelensky", "Zelensky")  # its row drawn again
        await pilot.press("J")  # the previous suggestion, from the end: Kyiv
        await offered_near(pilot, late, len(text))
        assert view.selection == (text.index("Kyiv", late), text.index("Kyiv", late) + 4)
        await pilot.press("j")  # none after it: round the end, stretch by stretch
        for _ in range(200):
            if view.selection == (0, 8):
                break
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()
        assert view.selection == (0, 8)  # "Zelensky spoke."
        assert len(article.kept) <= huge_suggestions.KEEP


async def test_a_small_article_is_searched_whole_at_once(dataset):
    async with GlossApp(dataset, [Document.from_text(SMALL).id]).run_test(
            size=(120, 30)) as pilot:
        await offered_near(pilot, 0, 1)
        article = pilot.app.screen.pane.suggested
        assert type(article) is ArticleSuggestions and not article.huge
        assert [(SMALL[s.start:s.end], s.label) for s in article.offered] == [
            ("Kyiv", "LOCATION"), ("Putin", "ACTOR"), ("Zelensky", "ACTOR")]
        assert "3 suggested " in status(pilot.app) and "nearby" not in status(pilot.app)
