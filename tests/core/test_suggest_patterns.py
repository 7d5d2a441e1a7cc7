"""Pattern files: read as Prodigy and spaCy's EntityRuler read them, refused line by line
when bad, and matched with spaCy's semantics by Gloss's own matcher (checked against
spaCy's Matcher on random patterns and texts, where spaCy is installed)."""

import importlib.util

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import shared
from tui.core.document.model import LabelSet
from tui.core.language.tokens import tokenize
from tui.core.store.corpus import InputError
from tui.core.suggest.pattern_finder import PatternFinder
from tui.core.suggest.patterns import MAX_TOKENS, parse_patterns, pattern
from tui.core.suggest.token_matcher import TokenMatcher

HAS_SPACY = importlib.util.find_spec("spacy") is not None
needs_spacy = pytest.mark.skipif(not HAS_SPACY, reason="the spacy extra is not installed")


def lines(*records: object) -> bytes:
    return b"".join(orjson.dumps(r) + b"\n" for r in records)


def texts_found(records: list[dict], text: str, use_spacy: bool = False) -> list[tuple]:
    finder = PatternFinder(parse_patterns(lines(*records), "p.jsonl", use_spacy),
                           LabelSet.default(), use_spacy=use_spacy)
    return [(text[s.start:s.end], s.label, s.attributes) for s in finder.find(text)]


# -- reading -------------------------------------------------------------------------

def test_string_and_token_patterns_with_an_id():
    records = [
        {"label": "LOCATION", "pattern": "Kursk region"},
        {"label": "ACTOR", "pattern": [{"lower": "president"}, {"IS_TITLE": True, "OP": "+"}],
         "id": "head of state"},
        {"label": "LOCATION", "pattern": [{"LOWER": {"IN": ["kyiv", "kiev"]}}]},
    ]
    text = ("President Volodymyr Zelensky left Kiev for the Kursk region; the kursk Region "
            "and Kursk-region")
    assert texts_found(records, text) == [
        ("President Volodymyr Zelensky", "ACTOR", (("canonical", "head of state"),)),
        ("Kiev", "LOCATION", ()), ("Kursk region", "LOCATION", ())]


BAD = [
    (b'{"label": "GPE", "pattern": "x"}\n{"label": "GPE"', 2, "not valid JSON"),
    (b'[1]\n', 1, "a pattern is an object"),
    (b'{"pattern": "Kyiv"}\n', 1, "no 'label'"),
    (b'{"label": "A B", "pattern": "Kyiv"}\n', 1, "whitespace"),
    (b'{"label": "GPE", "pattern": "  "}\n', 1, "the pattern is empty"),
    (b'{"label": "GPE", "pattern": []}\n', 1, "an empty list"),
    (b'{"label": "GPE", "pattern": [{"POS": "PROPN"}]}\n', 1, "needs a trained pipeline"),
    (b'{"label": "GPE", "pattern": [{"LOWER": {"REGEX": "(a+)+$"}}]}\n', 1, "not read"),
    (b'{"label": "GPE", "pattern": [{"LOWER": "a", "OP": "++"}]}\n', 1, "OP must be"),
    (b'{"label": "GPE", "pattern": [{"LOWER": "a", "OP": "{99}"}]}\n', 1, "more than"),
    (b'{"label": "GPE", "pattern": [{"LOWER": "a", "OP": "?"}]}\n', 1, "every token"),
    (b'{"label": "GPE", "pattern": [{"IS_TITLE": "yes"}]}\n', 1, "true or false"),
    (b'{"label": "GPE", "pattern": [{"LENGTH": {">=": "2"}}]}\n', 1, "whole number"),
    (b'{"label": "GPE", "pattern": [{"LOWER": "a", "lower": "b"}]}\n', 1, "given twice"),
    (b'{"label": "GPE", "pattern": [{"COLOUR": "red"}]}\n', 1, "unknown token attribute"),
    (b'{"label": "GPE", "pattern": "Kyiv", "id": 5}\n', 1, "'id' must be"),
    (b'\n\n{"label": "GPE", "pattern": "a\\nb"}\n', 3, "one line"),
    (b'{"label": "GPE", "pattern": "caf\xe9"}\n', 1, "not UTF-8"),
    (b"\n\n", 0, "no patterns in the file"),
]


@pytest.mark.parametrize(("data", "line", "reason"), BAD, ids=[r for _, _, r in BAD])
def test_a_bad_line_is_named_with_its_number(data, line, reason):
    with pytest.raises(InputError) as caught:
        parse_patterns(data, "p.jsonl")
    assert caught.value.where == (f"p.jsonl:{line}" if line else "p.jsonl")
    assert reason in caught.value.reason


def test_attributes_only_spacy_computes_need_it():
    data = b'{"label": "GPE", "pattern": [{"SHAPE": "Xxxx"}]}\n'
    with pytest.raises(InputError, match="needs spaCy"):
        parse_patterns(data, "p.jsonl", spacy=False)
    assert parse_patterns(data, "p.jsonl", spacy=True)[0].spacy_only


def test_the_prodigy_sample_reads_and_finds_countries():
    path = shared("prodigy", "patterns_countries_gpe.jsonl")
    patterns = parse_patterns(path.read_bytes(), str(path))
    assert len(patterns) == 1010 and {p.label for p in patterns} == {"GPE"}
    text = "Talks in Saudi Arabia on Ukraine, not in the Federated States of Micronesia"
    found = [(text[s.start:s.end]) for s in PatternFinder(patterns, use_spacy=False).find(text)]
    assert {"Ukraine", "Saudi Arabia", "Federated States of Micronesia"} <= set(found)


# -- Gloss's terms ---------------------------------------------------------------------

def test_a_match_inside_a_word_or_across_a_line_is_no_suggestion():
    records = [{"label": "ACTOR", "pattern": [{"LOWER": "fire"}]},
               {"label": "ACTOR", "pattern": [{"LOWER": "kursk"}, {"IS_SPACE": True},
                                              {"LOWER": "region"}]}]
    assert texts_found(records, "A cease-fire in Kursk\nregion; fire.") == [
        ("fire", "ACTOR", ())]


def test_of_overlapping_matches_the_longest_in_tokens_then_the_first_pattern():
    records = [{"label": "LOCATION", "pattern": "Kursk"},
               {"label": "ACTOR", "pattern": "Kursk region"},
               {"label": "LOCATION", "pattern": "Kursk region"}]
    assert texts_found(records, "the Kursk region") == [("Kursk region", "ACTOR", ())]


# -- the subset against spaCy ----------------------------------------------------------

WORDS = ["a", "b", "A", "Bb", "7", "12", "ab", "the", "The", ",", "."]
VALUE = st.sampled_from(["a", "b", "bb", "the", "A", "Bb", "7"])
TEST = st.one_of(
    st.builds(lambda v: {"ORTH": v}, VALUE),
    st.builds(lambda v: {"TEXT": v}, VALUE),
    st.builds(lambda v: {"LOWER": v}, VALUE),
    st.builds(lambda v: {"LOWER": {"IN": v}}, st.lists(VALUE, min_size=1, max_size=3)),
    st.builds(lambda v: {"ORTH": {"NOT_IN": v}}, st.lists(VALUE, min_size=1, max_size=2)),
    st.builds(lambda k, v: {k: v}, st.sampled_from(
        ["IS_TITLE", "IS_DIGIT", "IS_ALPHA", "IS_LOWER", "IS_UPPER", "IS_ASCII",
         "IS_SPACE"]), st.booleans()),
    st.builds(lambda n: {"LENGTH": n}, st.integers(1, 3)),
    st.builds(lambda op, n: {"LENGTH": {op: n}}, st.sampled_from(["==", "!=", ">=", "<=",
                                                                  ">", "<"]),
              st.integers(1, 3)),
    st.just({}),
)
OP = st.sampled_from([None, "?", "*", "+", "!", "{2}", "{1,2}", "{0,2}", "{2,}", "{,2}"])


@st.composite
def token_specs(draw):
    spec: dict = {}
    for test in draw(st.lists(TEST, min_size=1, max_size=2)):
        spec.update(test)  # two tests of one attribute: the last, as JSON would keep it
    op = draw(OP)
    if op is not None:
        spec["OP"] = op
    return spec


PATTERN = st.lists(token_specs(), min_size=1, max_size=4).filter(
    lambda specs: any(s.get("OP") in (None, "+", "!", "{2}", "{1,2}", "{2,}")
                      for s in specs))
TEXT = st.lists(st.sampled_from(WORDS), max_size=12).map(" ".join)


def spacy_matches(raw: list[dict], text: str) -> set[tuple[int, int]]:
    import spacy
    from spacy.matcher import Matcher

    nlp = spacy_matches.nlp = getattr(spacy_matches, "nlp", None) or spacy.blank("en")
    matcher = Matcher(nlp.vocab, validate=True)
    matcher.add("P", [raw])
    return {(start, end) for _, start, end in matcher(nlp.make_doc(text))}


@needs_spacy
@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(PATTERN, TEXT)
def test_the_subset_matches_as_spacys_matcher_does(raw, text):
    ours = pattern({"label": "X", "pattern": raw})
    tokens = tokenize(text)
    assert len(tokens) < MAX_TOKENS
    found = {(start, end) for _, start, end in TokenMatcher([ours]).matches(tokens)}
    assert found == spacy_matches(raw, text), (raw, text)


@needs_spacy
@settings(max_examples=100, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.sampled_from(["A", "B"]), PATTERN), min_size=1, max_size=4),
       TEXT)
def test_the_finder_says_the_same_with_spacy_and_without(patterns, text):
    records = [{"label": label, "pattern": raw} for label, raw in patterns]
    assert texts_found(records, text, use_spacy=True) == texts_found(records, text)


@needs_spacy
def test_phrases_and_the_sample_file_the_same_with_spacy_and_without():
    path = shared("prodigy", "patterns_countries_gpe.jsonl")
    records = [orjson.loads(line) for line in path.read_bytes().splitlines()]
    records += [{"label": "LOC", "pattern": "Kursk region"},
                {"label": "LOC", "pattern": "Trump’s"}]
    text = ("Trump’s envoy went to Åland Islands and the Kursk region, and to Saudi Arabia."
            " The U.S. and the UK 🇺🇦 are in; Afghanistan's too.")
    assert texts_found(records, text, use_spacy=True) == texts_found(records, text)


@needs_spacy
def test_spacys_matcher_runs_in_windows_and_finds_every_match_it_would_whole():
    import spacy
    from spacy.matcher import Matcher

    raw = [{"SHAPE": "Xxxx"}, {"OP": "*"}, {"IS_PUNCT": True}]
    text = " ".join(["Kyiv said so , and Riga too ."] * 40)  # 320 tokens
    [ours] = parse_patterns(lines({"label": "X", "pattern": raw}), "p.jsonl", spacy=True)
    finder = PatternFinder([ours])
    nlp = spacy.blank("en")
    matcher = Matcher(nlp.vocab)
    matcher.add("X", [raw])
    doc = nlp.make_doc(text)
    whole = {(doc[s].idx, doc[e - 1].idx + len(doc[e - 1])) for _, s, e in matcher(doc)
             if e - s <= MAX_TOKENS}
    assert {(start, end) for _, start, end, _ in finder.matches(text)} == whole


@pytest.mark.parametrize("use_spacy", [False, pytest.param(True, marks=needs_spacy)])
def test_a_pattern_that_matches_everywhere_is_bounded(use_spacy):
    raw = [{"OP": "*"}, {"LOWER": "a"}]
    [ours] = parse_patterns(lines({"label": "X", "pattern": raw}), "p.jsonl")
    text = "a b " * 5000  # spaCy's Matcher on the whole: 25 million matches
    found = PatternFinder([ours], use_spacy=use_spacy).matches(text)
    assert found and max(size for *_, size in found) <= MAX_TOKENS
