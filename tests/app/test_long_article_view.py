"""A long article in the reader: its first rows are drawn before the rest is wrapped, the
end key goes to the true end, and the scrollbar ends with the true row count."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.app import GlossApp
from tui.core.document.model import Document
from tui.core.store.dataset import Dataset
from tui.widgets.article import lazy_wrap
from tui.widgets.article.article_layout import ArticleLayout
from tui.widgets.article.article_view import ArticleView

WORDS = ["Russia’s", "envoy", "said", "the", "cease-fire", "日本", "café", "e\u0301",
         "👨\u200d👩\u200d👧", "\x1b[2J", "talks"]
# paragraphs of mixed text, then one long one: about 200 rows at 80 columns
TEXT = "\n".join(" ".join(WORDS[(n * 7 + k) % len(WORDS)] for k in range(n % 13 + 3))
                 for n in range(120)) + "\n" + " ".join(WORDS * 80)


@pytest.fixture
def lazily(monkeypatch: pytest.MonkeyPatch) -> None:
    """Any article wrapped lazily: 5 rows first, then 7 a step."""
    monkeypatch.setattr(ArticleLayout, "EAGER", 0)
    monkeypatch.setattr(ArticleLayout, "FIRST_ROWS", 5)
    monkeypatch.setattr(lazy_wrap, "WRAP_STEP", 7)


def reader(tmp_path: Path) -> GlossApp:
    dataset = Dataset(tmp_path / "annotations", "alice")
    doc = Document.from_text(TEXT)
    dataset.add_article(doc)
    return GlossApp(dataset, [doc.id])


def full_rows(width: int) -> list[str]:
    layout = ArticleLayout(TEXT, eager=len(TEXT))  # all at once
    layout.wrap(width)
    return ["".join(piece for _o, piece, _p in layout.clusters(a, b))
            for a, b in zip(layout.row_starts, layout.row_ends, strict=True)]


def shown(view: ArticleView) -> list[str]:
    """The article's rows on screen, as text (the cursor's blank cell after a row's end
    dropped)."""
    return [view.render_line(y).text.rstrip() for y in range(view.size.height)]


async def test_the_end_key_reaches_the_last_row_before_the_rest_is_wrapped(
        tmp_path: Path, lazily: None) -> None:
    app = reader(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        view = app.screen.query_one(ArticleView)
        width = view.scrollable_content_region.width
        rows = full_rows(width)
        assert not view.layout_.complete  # the first frame came before the last row
        assert shown(view)[:5] == [r.rstrip() for r in rows[:5]]
        await pilot.press("ctrl+end")
        assert view.cursor == len(TEXT)
        assert view.layout_.complete and view.virtual_size.height == len(rows)
        assert view.scroll_offset.y == len(rows) - view.size.height
        assert shown(view) == [r.rstrip() for r in rows[-view.size.height:]]
        await pilot.press("ctrl+home", "down", "down", "end")
        assert view.cursor == view.layout_.row_ends[2]


async def test_the_scrollbar_ends_with_the_true_row_count(tmp_path: Path, lazily: None
                                                          ) -> None:
    app = reader(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        view = app.screen.query_one(ArticleView)
        rows = full_rows(view.scrollable_content_region.width)
        for _ in range(2000):  # a step each millisecond or so: done long before the last
            if view.layout_.complete:
                break
            await pilot.pause(0.01)
        assert view.layout_.complete
        await pilot.pause()
        assert view.virtual_size.height == len(rows)
        await pilot.press("pagedown", "pagedown")
        assert shown(view) == [r.rstrip() for r in rows[view.scroll_offset.y:][:view.size.height]]
