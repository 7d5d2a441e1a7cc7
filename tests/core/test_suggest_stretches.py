"""A huge article's names are found a stretch at a time (around what the reader shows):
what a stretch finds is exactly what the whole text finds there, wherever the stretch is
cut, however the names overlap across its edges, on lines in capitals too."""

from __future__ import annotations

from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.core.document.model import Document, Span
from tui.core.editing import editor, huge_suggestions, suggestions
from tui.core.editing.session import Session
from tui.core.language import names as language_names
from tui.core.language.text import paragraph_bounds, previous_word_start, words
from tui.core.store.dataset import Dataset
from tui.core.suggest.seen_names import SeenNames

NAMES = ["ab", "b a", "a b a", "ba", "Ab", "aa-b", "b’s", "AB A", "ab ab ab", "é b"]
TEXT = st.text(alphabet="abAB é’-s\n.", max_size=80)


def index(names: list[str]) -> SeenNames:
    seen = SeenNames()
    for i, name in enumerate(names):
        seen.learn(name, ("ACTOR", "LOCATION")[i % 2])
    return seen


def keys(found: list) -> list[tuple[int, int, str]]:
    return [(s.start, s.end, s.label) for s in found]


@settings(max_examples=400, deadline=None)
@given(TEXT, st.lists(st.sampled_from(NAMES), min_size=1, max_size=6, unique=True),
       st.lists(st.integers(0, 80), max_size=4))
def test_a_stretch_finds_what_the_whole_text_finds_there(text, names, cuts):
    seen = index(names)
    whole = keys(seen.find(text))
    points = sorted({0, len(text), *(min(c, len(text)) for c in cuts)})
    pieces = []
    for start, end in pairwise(points):
        here = keys(seen.find(text, start, end))
        assert here == [k for k in whole if start <= k[0] < end]
        pieces += here
    assert pieces == whole  # each found once: a name across a cut is the stretch's it starts in


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 3000), st.integers(1, 400), st.sampled_from([" ", "-", "’s ", " a "]))
def test_a_chain_of_overlapping_names_longer_than_the_window_is_followed(at, size, joint):
    # "ab ab ab ab ...": every "ab ab ab" overlaps the next; which are kept is decided
    # from the chain's start, far outside any window around the stretch
    seen = index(["ab ab ab", "b ab", "ab"])
    text = joint.join(["ab"] * 1500)
    whole = keys(seen.find(text))
    end = min(at + size, len(text))
    assert keys(seen.find(text, at, end)) == [k for k in whole if at <= k[0] < end]


def test_a_headline_line_of_many_megabytes_is_judged_whole():
    seen = index(["Kyiv", "ab"])
    text = "KYIV " * 300_000 + "ok\n" + "KYIV AB " * 4
    found = seen.find(text, 0, 40)
    assert found == []  # the line has a small letter far away: no headline
    tail = len(text) - 20
    assert keys(seen.find(text, tail, len(text))) == [
        k for k in keys(seen.find(text)) if k[0] >= tail] != []


# -- the session's store of a huge article's stretches ---------------------------------

SEED = "Putin met Zelensky in Kyiv.\n"
FILLER = "The talks went on and on without a name in sight for a long while. "


def huge_text() -> str:
    # names at the start and the end only, 300,000 characters of none between
    return SEED + FILLER * 4500 + "Late at night Zelensky phoned Putin. " + FILLER * 3


@pytest.fixture
def huge(tmp_path, monkeypatch):
    monkeypatch.setattr(suggestions, "HUGE", 100_000)
    dataset = Dataset(tmp_path / "db", "alice")
    dataset.add_article(Document.from_text(SEED), [
        Span.new(SEED, 0, 5, "ACTOR", "alice"), Span.new(SEED, 10, 18, "ACTOR", "alice")])
    text = huge_text()
    dataset.add_article(Document.from_text(text))
    session = Session(dataset)
    article = session.suggestions.open(session.open(Document.from_text(text).id))
    return session, article, text


def names_in(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    seen = SeenNames()
    seen.learn("Putin", "ACTOR")
    seen.learn("Zelensky", "ACTOR")
    return [k for k in keys(seen.find(text)) if start <= k[0] < end]


def test_a_huge_article_is_searched_where_it_is_looked_at(huge):
    _session, article, text = huge
    assert article.huge and set(article.kept) == {0, 1}  # the start, at open
    end = len(text)
    shown = article.overlapping(end - 400, end)  # the view at the end: searched there
    assert keys([s for s in shown if s.kind == "seen-name"]) == names_in(text, end - 400, end)
    assert {text[s.start:s.end] for s in shown} >= {"Zelensky", "Putin"}
    assert article.stretches.of(end - 1) in article.kept
    for offset in range(0, end, 20_000):  # scrolled through: only the last few kept
        article.overlapping(offset, offset + 100)
    assert len(article.kept) <= huge_suggestions.KEEP


def test_next_suggestion_walks_stretch_by_stretch_and_round_the_end(huge):
    _session, article, text = huge
    late = text.index("Late at night")
    walked: list = []
    article.seek(text.index("Kyiv") + 1, 1, walked.append)  # far past what is kept
    assert text[walked[0].start:walked[0].end] == "Zelensky" and walked[0].start > late
    article.seek(len(text) - 1, 1, walked.append)  # round the end, to the first
    assert walked[1].start == 0  # Putin, first
    article.seek(late, -1, walked.append)
    assert walked[2].start < 30


def test_labelling_near_the_end_of_a_huge_article(huge):
    session, article, text = huge
    end = len(text)
    article.overlapping(end - 400, end)
    start = text.rindex("Zelensky")
    model = article.model
    session.apply(model, editor.label(model, start, start + 8, "ACTOR"))
    assert all(s.start != start for s in article.overlapping(end - 400, end))
    assert any(text[s.start:s.end] == "Putin" for s in article.overlapping(end - 400, end))


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ab ’s-'\n.", min_size=1, max_size=300), st.data())
def test_the_words_around_an_offset_of_a_paragraph_of_megabytes_are_the_paragraphs(
        text, data):
    # a label key on a 20 MB article of one paragraph reads the words near the cursor,
    # not three million of them (the window is made small here)
    names = language_names
    offset = data.draw(st.integers(0, len(text)))
    old = names.WINDOW
    names.WINDOW = 8
    try:
        near = names.paragraph_words(text, offset)
    finally:
        names.WINDOW = old
    whole = words(text, *paragraph_bounds(text, offset))
    if near:
        assert list(near) == [w for w in whole if near[0][0] <= w[0] and w[1] <= near[-1][1]]
        assert all(w in near for w in whole if w[0] <= offset <= w[1])
    else:
        assert not [w for w in whole if w[0] <= offset <= w[1]]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="AB b 1.\t’", max_size=30), st.integers(1, 5))
def test_a_line_read_in_pieces_is_in_capitals_as_it_is_whole(line, piece):
    # a headline is judged a megabyte at a time (here a few characters at a time)
    from tui.core.suggest import seen_names

    old = seen_names._PIECE
    seen_names._PIECE = piece
    try:
        assert seen_names._in_capitals(line, 0, len(line)) == (
            line.isupper() and len(line.split()) >= seen_names.CAPITALS_MIN)
    finally:
        seen_names._PIECE = old


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["ab", " ", "c’s", "-", "\n", "x" * 5000, "  ", "é"]),
                max_size=40), st.data())
def test_ctrl_left_reads_back_a_few_kb_and_lands_where_the_whole_paragraph_says(
        parts, data):
    text = "".join(parts)
    offset = data.draw(st.integers(0, len(text)))
    end, expected = offset, 0
    while end > 0:  # every word of each paragraph, back from the offset
        start = text.rfind("\n", 0, end - 1) + 1 if end > 1 else 0
        found = [s for s, _ in words(text, start, end) if s < offset]
        if found:
            expected = found[-1]
            break
        end = start
    assert previous_word_start(text, offset) == expected
