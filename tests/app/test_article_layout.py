"""The article layout's shortcuts (plain paragraphs found by a pattern, rows wrapped as far
as asked) draw, place and hit every character exactly as the full, cluster by cluster,
layout does."""

from __future__ import annotations

from unittest import mock

from hypothesis import given, settings
from hypothesis import strategies as st

from tui.widgets.article import paragraph
from tui.widgets.article.article_layout import ArticleLayout
from tui.widgets.article.paragraph import PlainText

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
    """The layout every shortcut must agree with: every paragraph cluster by cluster, and
    every row wrapped at once."""
    with mock.patch.object(paragraph, "is_plain", lambda text, start, end: False):
        layout = ArticleLayout(text)
        layout.wrap(2)  # analysed now, while patched
    return layout


def lazy(text: str, first_rows: int) -> ArticleLayout:
    """A layout that wraps ``first_rows`` rows at first and the rest as asked."""
    return ArticleLayout(text, eager=0, first_rows=first_rows)


# what a reader asks, in the order asked: where an offset is, what a cell hits, or a step
# of the wrapping the view does between frames
probes = st.lists(st.tuples(st.sampled_from(["locate", "hit", "more"]),
                            st.integers(0, 10_000)), max_size=12)


def drawn(layout: ArticleLayout, width: int, asked: list[tuple[str, int]] = ()
          ) -> dict[str, object]:
    """All the view asks of a layout at ``width``: first ``asked``, then everything."""
    layout.wrap(width)
    text = layout.text
    answers: list[object] = []
    for kind, n in asked:
        if kind == "locate":
            answers.append((layout.locate(n % (len(text) + 1)),
                            layout.row_of(n % (len(text) + 1))))
        elif kind == "hit":
            answers.append(layout.offset_at(n % (len(text) + 2) - 1, n % (width + 2)))
        else:
            layout.wrap_more(n % 5 + 1, cluster_cost=n % 3 + 1)
        # until the last row is wrapped the scrollbar's estimate says there are more
        assert layout.complete or layout.rows > len(layout.row_starts)
    extents = []
    while layout.has_row(len(extents)):
        extents.append(layout.extent(len(extents)))
    rows = layout.rows
    return {
        "asked": answers,
        "extents": extents,
        "located": [layout.locate(offset) for offset in range(len(text) + 1)],
        "row_of": [layout.row_of(offset) for offset in range(len(text) + 1)],
        "hit": [layout.offset_at(r, c) for r in range(-1, rows + 1)
                for c in range(-1, width + 2)],
        "clusters": [layout.clusters(*extent) for extent in extents],
        "rows": rows,
    }


def test_no_row_is_wider_than_the_view_but_for_one_cluster() -> None:
    layout = ArticleLayout(" ab日日 x")
    layout.wrap(3)
    assert [layout.text[a:b] for a, b in zip(layout.row_starts, layout.row_ends,
                                                         strict=True)] == [
        " ", "ab", "日", "日 ", "x"]


@settings(max_examples=200, deadline=None)
@given(texts, st.integers(2, 30), st.integers(1, 6), st.integers(1, 9), probes)
def test_mixed_text_lays_out_as_the_full_layout(text: str, width: int, first: int,
                                                piece: int, asked: list[tuple[str, int]]
                                                ) -> None:
    expected = drawn(full(text), width, asked)
    assert drawn(ArticleLayout(text), width, asked) == expected
    with mock.patch.object(paragraph, "PIECE", piece):  # clusters analysed piece by piece
        assert drawn(lazy(text, first), width, asked) == expected


@settings(max_examples=60, deadline=None)
@given(paragraphs, st.integers(2, 50), st.integers(1, 6), st.integers(1, 40), probes)
def test_one_long_paragraph_lays_out_as_the_full_layout(text: str, width: int, first: int,
                                                        piece: int,
                                                        asked: list[tuple[str, int]]
                                                        ) -> None:
    expected = drawn(full(text), width, asked)
    assert drawn(ArticleLayout(text), width, asked) == expected
    with mock.patch.object(paragraph, "PIECE", piece):
        assert drawn(lazy(text, first), width, asked) == expected


def test_a_width_again_wraps_again_from_the_first_row() -> None:
    text = "one two three four five six seven eight nine ten\neleven twelve"
    layout = lazy(text, 2)
    layout.wrap(10)
    layout.row_of(len(text))
    layout.wrap(20)
    assert len(layout.row_starts) == 2 and not layout.complete
    assert drawn(layout, 20) == drawn(full(text), 20)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=60))
def test_plain_is_each_character_one_cell_and_one_cluster(text: str) -> None:
    # a fresh checker each time, so that what one text taught does not decide another's
    assert PlainText()(text, 0, len(text)) == all(map(paragraph.plain_char, text))


def test_a_plain_character_learnt_is_still_found_plain_and_the_rest_not() -> None:
    check = PlainText()
    text = "Russia’s envoy"
    assert check(text, 0, len(text)) and check(text, 0, len(text))
    assert not check("Russia’s 日本", 0, 11)
    assert not check("it’s e\u0301", 0, 7)
    assert check("it’s e\u0301", 0, 6)  # the stretch asked, not the whole string
