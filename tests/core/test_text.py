import regex
from hypothesis import given
from hypothesis import strategies as st

from tui.core.language.text import (
    is_grapheme_boundary,
    next_grapheme,
    next_word_end,
    normalise,
    previous_grapheme,
    previous_word_start,
    snap_to_words,
    word_at,
)
from tui.core.language.tokens import tokenize

# Pieces that break naive offset code: ZWJ families, flags, combining accents, CJK,
# Cyrillic, NBSP, tabs and control characters.
PIECES = ["👩‍👩‍👧", "🇺🇦", "🇷🇺", "e\u0301", "Київ", "東京", " ", "\u00a0", "\t", "\n", "Putin",
          "cease-fire", "’s", ".", "\x1b", "a", "Zelensky", "\U0001f1fa", "\u0301",
          "\u200d", "\u0915\u094d"]
texts = st.lists(st.sampled_from(PIECES), max_size=30).map("".join).map(normalise)


def test_normalise_drops_bom_and_unifies_line_ends_and_composes():
    raw = "\ufeffKyiv\r\nRiyadh\rCafe\u0301\tx\u00a0y\x07".encode()
    assert normalise(raw) == "Kyiv\nRiyadh\nCafé\tx\u00a0y\x07"


@given(texts)
def test_boundaries_agree_with_whole_text_segmentation(text):
    truth = {m.start() for m in regex.finditer(r"\X", text)} | {len(text)}
    assert {i for i in range(len(text) + 1) if is_grapheme_boundary(text, i)} == truth


@given(texts)
def test_stepping_by_grapheme_visits_every_cluster_both_ways(text):
    forward = [0]
    while forward[-1] < len(text):
        forward.append(next_grapheme(text, forward[-1]))
    backward = [len(text)]
    while backward[-1] > 0:
        backward.append(previous_grapheme(text, backward[-1]))
    assert forward == sorted(backward)
    assert forward == sorted({m.start() for m in regex.finditer(r"\X", text)} | {len(text)})


@given(texts)
def test_tokens_cover_the_text_and_never_split_a_grapheme(text):
    tokens = tokenize(text)
    rebuilt = "".join(t.text + (" " if t.ws else "") for t in tokens)
    assert rebuilt == text
    for token in tokens:
        assert text[token.start:token.end] == token.text
        assert is_grapheme_boundary(text, token.start)
        assert is_grapheme_boundary(text, token.end)


def test_tokens_follow_spacy_rules_on_news_text():
    tokens = [t.text for t in tokenize("Trump’s U.S. envoy didn't say 3.5% on cease-fire.")]
    assert tokens == ["Trump", "’s", "U.S.", "envoy", "did", "n't", "say", "3.5", "%", "on",
                      "cease", "-", "fire", "."]


def test_snapping_grows_to_words_and_trims_whitespace():
    text = "Putin and Trump speak"
    assert snap_to_words(text, 2, 12) == (0, 15)  # "tin and Tr" -> "Putin and Trump"
    assert snap_to_words(text, 5, 10) == (6, 9)  # " and " -> "and"
    assert snap_to_words(text, 15, 11) == (10, 15)  # reversed selection


def test_a_possessive_is_not_part_of_the_word():
    text = "Trump’s envoy met O’Rourke on the cease-fire"
    assert word_at(text, 2) == (0, 5)
    assert snap_to_words(text, 1, 3) == (0, 5)
    assert word_at(text, text.index("Rourke")) == (18, 26)
    assert word_at(text, text.index("fire")) == (34, 44)


def test_word_motion_and_word_under_cursor():
    text = "Kyiv says  the talks"
    assert next_word_end(text, 0) == 4
    assert next_word_end(text, 4) == 9
    assert previous_word_start(text, 11) == 5
    assert previous_word_start(text, 2) == 0
    assert word_at(text, 6) == (5, 9)
    assert word_at(text, 10) is None


def test_a_megabyte_line_of_flags_is_segmented_once():
    """Regional indicators pair up from the start of their run: asked at every offset of a
    long run, the answer must not cost the run each time (that was quadratic)."""
    text = "x" + "\U0001f1fa\U0001f1e6" * 150_000 + "\u0301y"
    truth = {m.start() for m in regex.finditer(r"\X", text[:2001])}
    assert {i for i in range(2001) if is_grapheme_boundary(text, i)} == truth
    assert sum(is_grapheme_boundary(text, i) for i in range(1, len(text), 7)) > 20_000
    position, steps = len(text), 0
    while position > 0 and steps < 50_000:
        position, steps = previous_grapheme(text, position), steps + 1
    # back over "y", over the last flag with its accent, then over 49,998 flags
    assert position == len(text) - 1 - 3 - 2 * 49_998


def paragraph_word_at(text: str, offset: int) -> tuple[int, int] | None:
    """``word_at`` as it was: every word of the offset's paragraph read."""
    start = text.rfind("\n", 0, min(offset, len(text))) + 1
    end = text.find("\n", min(offset, len(text)))
    found = [m.span() for m in regex.finditer(r"\w+(?:['’](?![sS]\b)\w+|-\w+)*", text[
        :len(text) if end < 0 else end]) if m.start() >= start]
    inside = [w for w in found if w[0] <= offset < w[1]]
    ending = [w for w in found if w[1] == offset]
    return (inside or ending or [None])[0]


@given(st.lists(st.sampled_from([*PIECES, "Kyiv’s", "O’Rourke", "x-y", "’S", "-"]),
                max_size=60).map("".join).map(normalise), st.data(),
       st.sampled_from([1, 2, 3, 5, 8, 4096]))
def test_word_at_reads_near_the_offset_and_finds_what_its_paragraph_gives(text, data, near):
    import tui.core.language.text as module

    offset = data.draw(st.integers(0, len(text)))
    kept = module.NEAR
    module.NEAR = near  # small: every window edge, a word longer than it
    try:
        assert word_at(text, offset) == paragraph_word_at(text, offset)
    finally:
        module.NEAR = kept
