"""The article layout's shortcuts (plain paragraphs found by a pattern, rows wrapped as far
as asked) draw, place and hit every character exactly as the full, cluster by cluster,
layout does."""

from __future__ import annotations

from unittest import mock

from hypothesis import given, settings
from hypothesis import strategies as st

from tui.widgets.article import article_layout
from tui.widgets.article.article_layout import ArticleLayout, PlainText

# ASCII, a curly apostrophe and an accented letter (plain, one cell), NBSP and a soft
# hyphen (not plain), wide, combining marks, emoji with a joiner, controls, a tab, a
# zero-width space, a bidi override, Hangul jamo (clusters without a combining mark)
PIECES = ["a", "b", "z", " ", " ", "’", "é", "\u00a0", "\u00ad", "日", "本", "e\u0301",
          "\u0301", "👍", "👨\u200d👩\u200d👧", "\x1b", "\x07", "\x9b", "\t", "\u200b",
          "\u202e", "\u1100\u1161", "\n", "Зе", "word ", "wörd "]
texts = st.lists(st.sampled_from(PIECES), max_size=120).map("".join)
# one long paragraph of plain words, now and then something that is not
paragraphs = st.lists(st.sampled_from(["the ", "cease-fire ", "Russia’s ", "envoy, ", "a",
                                       "日本 ", "e\u0301 ", "\x1b"]),
                      min_size=50, max_size=400).map("".join)


def full(text: str) -> ArticleLayout:
    """The layout every shortcut must agree with: every paragraph cluster by cluster."""
    with mock.patch.object(article_layout, "is_plain", lambda text, start, end: False):
        return ArticleLayout(text)


def drawn(layout: ArticleLayout, width: int) -> dict[str, object]:
    """All the view asks of a layout at ``width``, asked in the order a reader would."""
    layout.wrap(width)
    text = layout.text
    rows = layout.rows
    return {
        "rows": rows,
        "extents": [(layout.row_starts[r], layout.row_ends[r]) for r in range(rows)],
        "located": [layout.locate(offset) for offset in range(len(text) + 1)],
        "row_of": [layout.row_of(offset) for offset in range(len(text) + 1)],
        "hit": [layout.offset_at(r, c) for r in range(-1, rows + 1)
                for c in range(-1, width + 2)],
        "clusters": [layout.clusters(layout.row_starts[r], layout.row_ends[r])
                     for r in range(rows)],
    }


@settings(max_examples=200, deadline=None)
@given(texts, st.integers(2, 30))
def test_mixed_text_lays_out_as_the_full_layout(text: str, width: int) -> None:
    assert drawn(ArticleLayout(text), width) == drawn(full(text), width)


@settings(max_examples=60, deadline=None)
@given(paragraphs, st.integers(2, 50))
def test_one_long_paragraph_lays_out_as_the_full_layout(text: str, width: int) -> None:
    assert drawn(ArticleLayout(text), width) == drawn(full(text), width)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=60))
def test_plain_is_each_character_one_cell_and_one_cluster(text: str) -> None:
    # a fresh checker each time, so that what one text taught does not decide another's
    assert PlainText()(text, 0, len(text)) == all(map(article_layout.plain_char, text))


def test_a_plain_character_learnt_is_still_found_plain_and_the_rest_not() -> None:
    check = PlainText()
    text = "Russia’s envoy"
    assert check(text, 0, len(text)) and check(text, 0, len(text))
    assert not check("Russia’s 日本", 0, 11)
    assert not check("it’s e\u0301", 0, 7)
    assert check("it’s e\u0301", 0, 6)  # the stretch asked, not the whole string
