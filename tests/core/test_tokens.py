"""Gloss's own tokens agree with spaCy's English tokenizer, with spaCy or without it.

The offline tests compare with spaCy's tokens stored next to the fixture corpora (see
tests/core/tokens_corpus.py); those that need spaCy itself skip without it.
"""

import re
import sys

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from tests.conftest import shared
from tests.core.tokens_corpus import (
    CORPORA,
    FIXTURES,
    agreement,
    differences,
    ours,
    read_marked,
    read_prodigy,
    read_wikinews,
    spacy_edges,
    stored,
)
from tui.core.language.text import is_grapheme_boundary, normalise
from tui.core.language.tokens import tokenize

SPACY_VERSION = "3.8.18"


def texts_of(tokens):
    return [t.text for t in tokenize(tokens)]


SHAPES = [
    ("I'm sure you're right, I can't.", ["I", "'m", "sure", "you", "'re", "right", ",", "I",
                                         "ca", "n't", "."]),
    ("Y'all won't. Dont!", ["Y'all", "wo", "n't", ".", "Do", "nt", "!"]),
    ("y'all cannot", ["y'", "all", "can", "not"]),
    ("Ukraine’s U.S. envoy didn’t", ["Ukraine", "’s", "U.S.", "envoy", "did", "n’t"]),
    ("tanks, ammo, etc. e.g. this", ["tanks", ",", "ammo", ",", "etc", ".", "e.g.", "this"]),
    ("Mr. Putin (Mr.) met Dr. Fauci", ["Mr.", "Putin", "(", "Mr.", ")", "met", "Dr.", "Fauci"]),
    ("lol :) :-( ;) <3 :D nice:)", ["lol", ":)", ":-(", ";)", "<3", ":D", "nice", ":)"]),
    ("¯\\(ツ)/¯ o_O ^_^", ["¯\\(ツ)/¯", "o_O", "^_^"]),
    ("see https://www.bbc.com/news/world-60525350?at=1&b=2#top.",
     ["see", "https://www.bbc.com/news/world-60525350?at=1&b=2#top", "."]),
    ("(https://xkcd.com/2347/)", ["(", "https://xkcd.com/2347/", ")"]),
    ("on /r/worldnews and r/ukraine, /u/spez", ["on", "/r", "/", "worldnews", "and", "r", "/",
                                               "ukraine", ",", "/u", "/", "spez"]),
    ("&amp;#x200B;", ["&", "amp;#x200B", ";"]),
    ("&#x200B; R&amp;D &gt; quote", ["&", "#", "x200B", ";", "R&amp;D", "&", "gt", ";", "quote"]),
    ("$3.5bn, 5km, 10:30, 20%", ["$", "3.5bn", ",", "5", "km", ",", "10:30", ",", "20", "%"]),
    ("cease-fire—and", ["cease", "-", "fire", "—", "and"]),
    ("Wait...what?!", ["Wait", "...", "what", "?", "!"]),
    ("#StandWithUkraine @KyivIndependent", ["#", "StandWithUkraine", "@KyivIndependent"]),
    ("**Kharkiv** [Source](https://t.co/x)", ["*", "*", "Kharkiv", "*", "*", "[",
                                             "Source](https://t.co", "/", "x", ")"]),
    ("Zelensky😂 🇺🇦🇺🇦 👍🏽", ["Zelensky", "😂", "🇺🇦", "🇺🇦", "👍🏽"]),
    ("a  b\n\nc \t d", ["a", " ", "b", "\n\n", "c", "\t ", "d"]),
    # the shapes split() takes a short cut for, exceptions included
    ("cannot-do (Im $5 #1 Putin's Im's \"cannot", ["cannot", "-", "do", "(", "I", "m", "$", "5",
                                                 "#", "1", "Putin", "'s", "I", "m", "'s", '"',
                                                 "can", "not"]),
    ('USA. I. said." it),', ["USA", ".", "I.", "said", ".", '"', "it", ")", ","]),
]


@pytest.mark.parametrize(("text", "expected"), SHAPES)
def test_tokens_are_spacys_on_reddit_and_news_shapes(text, expected):
    assert texts_of(text) == expected


@pytest.mark.parametrize(("text", "expected"), SHAPES)
def test_the_shapes_above_are_what_spacy_makes(text, expected):
    edges = need_spacy()
    assert [text[start:end] for start, end in edges(text)] == expected


def test_spaces_are_flags_after_tokens_and_other_whitespace_is_tokens():
    tokens = tokenize(" Kyiv  said\xa0no \n")
    assert [(t.text, t.start, t.end, t.ws) for t in tokens] == [
        (" ", 0, 1, False), ("Kyiv", 1, 5, True), (" ", 6, 7, False), ("said", 7, 11, False),
        ("\xa0", 11, 12, False), ("no", 12, 14, True), ("\n", 15, 16, False)]


@pytest.mark.parametrize("name", CORPORA)
def test_tokens_agree_with_stored_spacy_tokens(name):
    """Offline, as in CI: the fixture's posts against what spaCy made of them."""
    version, theirs = stored(name)
    assert version == SPACY_VERSION
    posts = read_marked(FIXTURES / f"{name}.txt")
    result = agreement(posts, [ours(p.text) for p in posts], theirs)
    print(f"{name}: spans {result.span_share:.1%} of {result.spans}, word spans"
          f" {result.word_share:.1%}, tokens {result.token_share:.2%}", file=sys.stderr)
    assert result.spans > 300
    assert result.span_share >= 0.98
    assert result.word_share >= 0.98
    assert result.token_share >= 0.98


def test_every_fixture_post_is_tokenized_as_spacy_does():
    """Stricter than the figure: no post of the fixtures is cut otherwise."""
    for name in CORPORA:
        posts = read_marked(FIXTURES / f"{name}.txt")
        _, theirs = stored(name)
        cut_otherwise = [(p.text, differences(p, ours(p.text), t))
                         for p, t in zip(posts, theirs, strict=True) if ours(p.text) != t]
        assert cut_otherwise == []


def need_spacy():
    pytest.importorskip("spacy")
    found = spacy_edges()
    assert found is not None
    version, edges = found
    if version != SPACY_VERSION:
        pytest.skip(f"spaCy {version} here, the fixtures hold {SPACY_VERSION}'s tokens")
    return edges


@pytest.mark.parametrize("name", CORPORA)
def test_stored_spacy_tokens_are_what_spacy_makes(name):
    edges = need_spacy()
    _, theirs = stored(name)
    posts = read_marked(FIXTURES / f"{name}.txt")
    assert [edges(p.text) for p in posts] == theirs


@pytest.mark.parametrize("name", ["news_headlines_annotated", "news_headlines_raw"])
def test_tokens_agree_with_spacy_on_prodigy_files(name):
    edges = need_spacy()
    posts = read_prodigy(shared("prodigy", f"{name}.jsonl"))
    result = agreement(posts, [ours(p.text) for p in posts], [edges(p.text) for p in posts])
    print(f"prodigy/{name}: spans {result.span_share:.1%} of {result.spans}, word spans"
          f" {result.word_share:.1%}, tokens {result.token_share:.2%}", file=sys.stderr)
    assert result.span_share >= 0.98
    assert result.word_share >= 0.98
    assert result.token_share >= 0.98


def test_tokens_agree_with_spacy_on_wikinews():
    edges = need_spacy()
    posts = read_wikinews(shared("news", "wikinews_2019.csv"))
    result = agreement(posts, [ours(p.text) for p in posts], [edges(p.text) for p in posts])
    print(f"wikinews: word spans {result.word_share:.2%}, tokens {result.token_share:.2%}",
          file=sys.stderr)
    assert result.word_share >= 0.98
    assert result.token_share >= 0.98


def test_exceptions_are_spacys():
    pytest.importorskip("spacy")
    import spacy
    from spacy.symbols import ORTH

    from tui.core.language.tokens import _english

    rules = spacy.blank("en").tokenizer.rules
    assert _english().specials == {key: tuple(piece[ORTH] for piece in pieces)
                                   for key, pieces in rules.items()}


def test_character_classes_are_spacys():
    pytest.importorskip("spacy")
    from spacy.lang import char_classes

    from tui.core.language.tokens import _class, _intervals, _letters

    everything = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF)
    alpha, lower, upper = _letters()
    for mine, theirs in ((alpha, char_classes.ALPHA), (lower, char_classes.ALPHA_LOWER),
                         (upper, char_classes.ALPHA_UPPER),
                         (_intervals(char_classes.ICONS.encode().decode("unicode_escape")),
                          char_classes.ICONS)):
        assert re.findall(_class(mine), everything) == re.findall(f"[{theirs}]", everything)


# Pieces of Reddit and news text that tokenizers get wrong: clitics, abbreviations, marks of
# every kind, URLs, numbers with units, emoticons, emoji with modifiers, flags, ZWJ families,
# combining and prepended marks, other scripts and whitespace.
PIECES = [
    "a", "I", "m", "s", "t", "x", "Kyiv", "Київ", "東京", "'", "’", "‘", '"', "“", "”", "«", ".",
    "..", "…", ",", ":", ";", "!", "?", "(", ")", "[", "]", "<", ">", "/", "\\", "-", "–", "—",
    "~", "_", "#", "@", "&", "*", "+", "=", "%", "$", "€", "0", "5", "km", "am", "US$", "°",
    "http://", "www.", ".com", "e.g.", "etc.", "U.S.", "can't", "I'm", "y'all", "cannot", "Im",
    "Mr.", "its", ":)", ":-(", ";)", "<3", ":D", "xD", "😀", "👍🏽", "🇺🇦", "❤️", "👩‍👩‍👧",
    "\u200d", "\u0301", "\u0600", "&amp;", "#x200B;", "/r/", "ß", "ǂ", "Ɒ", "²",
    " ", " ", " ", " ", "\n", "\t", "\xa0",
]
texts = st.lists(st.sampled_from(PIECES), max_size=24).map("".join).map(normalise)


@given(texts)
def test_tokens_cover_the_text_in_order_and_keep_clusters_whole(text):
    tokens = tokenize(text)
    assert "".join(t.text + (" " if t.ws else "") for t in tokens) == text
    at = 0
    for token in tokens:
        assert token.start == at < token.end
        assert text[token.start:token.end] == token.text
        assert is_grapheme_boundary(text, token.start)
        assert is_grapheme_boundary(text, token.end)
        at = token.end + token.ws
        if token.ws:
            assert text[token.end] == " "
    assert at == len(text)


@given(texts)
def test_tokens_are_spacys_on_random_pieces(text):
    edges = need_spacy()
    theirs = edges(text)
    # where spaCy puts a token edge inside a cluster (a mark after a space, a space after a
    # prepended mark), ours cannot follow
    assume(all(is_grapheme_boundary(text, start) and is_grapheme_boundary(text, end)
               for start, end in theirs))
    assert ours(text) == theirs


@pytest.mark.parametrize("run", ["(", ")", ":)", ":", "?!", "'s", "🇺", "👍🏽", "-a", '"'])
def test_long_runs_of_affixes_are_cut_as_spacy_cuts_short_ones(run):
    """A run with many affixes is cut an affix at a time: done on copies of what is left, as
    spaCy does, that takes quadratic time (minutes here); bench/tokens.py times it."""
    short, long = run * 20, run * 40_000
    assert texts_of(long)[:10] == texts_of(short)[:10]
    assert "".join(texts_of(long)) == long


def test_a_long_run_of_whitespace_is_one_token():
    """The text is cut at spaces, so such a run comes in many pieces; joined one by one,
    they too took quadratic time."""
    assert texts_of("a" + " " * 40_000 + "b") == ["a", " " * 39_999, "b"]
    assert texts_of("a" + " \n" * 40_000) == ["a", "\n" + " \n" * 39_999]
