"""Names the dataset has seen: found as whole words, with the label given most often and the
canonical name, in their case (capitals on a headline), and kept up to date one span at a
time exactly as if the index were built again."""

import itertools
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from tui.core.document.model import Span
from tui.core.document.suggestion import SUGGEST_SOURCE
from tui.core.language.text import words
from tui.core.suggest import automaton
from tui.core.suggest.edges import is_word_edge, longest_first, whole_words
from tui.core.suggest.seen_names import SeenNames


def found(index: SeenNames, text: str) -> list[tuple[str, str]]:
    return [(text[s.start:s.end], s.label) for s in index.find(text)]


# -- whole words ---------------------------------------------------------------------

WORDISH = st.text(alphabet="ab sS'’-_9é\u0301.", max_size=14)


@given(WORDISH)
def test_a_word_edge_is_where_no_word_of_the_text_runs_across(text):
    inside = {o for start, end in words(text, 0, len(text)) for o in range(start + 1, end)}
    for offset in range(len(text) + 1):
        assert is_word_edge(text, offset) == (offset not in inside), (text, offset)


def test_a_name_is_found_only_as_whole_words():
    index = SeenNames()
    index.learn("Ukr", "LOCATION")
    index.learn("Russia", "LOCATION")
    index.learn("cease", "ACTOR")
    index.learn("Trump", "ACTOR")
    text = "Ukraine and Russian cease-fire talks; Trump’s envoy; O’Trump; Russia."
    assert found(index, text) == [("Trump", "ACTOR"), ("Russia", "LOCATION")]
    assert not whole_words("Ukraine", 0, 3)


def test_a_word_every_sentence_has_is_never_a_seen_name():
    index = SeenNames()
    for slip in ("the", "He", "of", "and"):
        index.learn(slip, "ACTOR")
    index.learn("The Hague", "LOCATION")
    text = "He said the talks of Kyiv and Moscow would go on in The Hague."
    assert found(index, text) == [("The Hague", "LOCATION")]


# -- labels, variants, case ----------------------------------------------------------

def test_the_label_given_most_often_and_its_share():
    index = SeenNames()
    for label in ("LOCATION", "ACTOR", "LOCATION"):
        index.learn("Ukraine", label)
    [suggestion] = index.find("Talks in Ukraine.")
    assert (suggestion.label, suggestion.score, suggestion.kind) == ("LOCATION", 0.667,
                                                                     "seen-name")


def test_titles_are_dropped_and_canonical_names_are_names_too():
    index = SeenNames()
    index.learn("Russian President Vladimir Putin", "ACTOR", "Vladimir Putin")
    index.learn("Putin", "ACTOR", "Vladimir Putin")
    text = "Vladimir Putin met Putin’s envoy; Russian President Vladimir Putin said so."
    suggestions = index.find(text)
    assert [(text[s.start:s.end], s.attributes) for s in suggestions] == [
        ("Vladimir Putin", (("canonical", "Vladimir Putin"),)),
        ("Putin", (("canonical", "Vladimir Putin"),)),
        ("Russian President Vladimir Putin", (("canonical", "Vladimir Putin"),))]


def test_case_a_capital_first_and_headlines_in_capitals():
    index = SeenNames()
    index.learn("the Kremlin", "ACTOR")
    index.learn("Turkey", "LOCATION")
    index.learn("US", "LOCATION")
    text = "TURKEY AND THE KREMLIN AGREE\nThe Kremlin said turkey is on the menu; US or us."
    assert found(index, text) == [("TURKEY", "LOCATION"), ("THE KREMLIN", "ACTOR"),
                                  ("The Kremlin", "ACTOR"), ("US", "LOCATION")]


def test_of_overlapping_names_the_longest_is_kept():
    index = SeenNames()
    index.learn("Kursk", "LOCATION")
    index.learn("Kursk region", "LOCATION")
    index.learn("region", "LOCATION")
    assert found(index, "the Kursk region and Kursk") == [
        ("Kursk region", "LOCATION"), ("Kursk", "LOCATION")]
    index.learn("region of Sumy", "LOCATION")  # overlapping, longer: it wins
    assert found(index, "the Kursk region of Sumy") == [
        ("Kursk", "LOCATION"), ("region of Sumy", "LOCATION")]


@given(st.lists(st.tuples(st.integers(0, 30), st.integers(1, 8), st.integers(1, 9)),
                max_size=25))
def test_longest_first_is_spacys_filter_spans(raw):
    extents = [(start, start + length, size) for start, length, size in raw]
    kept = longest_first(extents)
    for a, b in itertools.pairwise(kept):
        assert a[1] <= b[0]  # none overlap, in order
    expected: list[tuple[int, int, int]] = []
    for extent in sorted(extents, key=lambda e: (-e[2], e[0])):
        if all(extent[1] <= k[0] or k[1] <= extent[0] for k in expected):
            expected.append(extent)
    assert kept == sorted(expected)


def test_only_what_analysts_labelled_is_learnt():
    rows = [
        {"text": "Kyiv", "label": "LOCATION", "annotator": "alice", "source": "gloss"},
        {"text": "Moscow", "label": "LOCATION", "annotator": "suggestions",
         "source": SUGGEST_SOURCE},
        {"text": "Riyadh", "label": "LOCATION", "annotator": "bot", "source": "gloss"},
        {"text": "the war must end", "label": "CLAIM", "annotator": "alice",
         "source": "gloss"},
        {"text": "Erdogan", "label": "ACTOR", "annotator": "bob", "source": "file.jsonl",
         "attributes": {"canonical": "Recep Tayyip Erdogan"}},
    ]
    index = SeenNames.of_rows(rows, ignored=["bot"])
    assert sorted(index._names) == ["Erdogan", "Kyiv", "Recep Tayyip Erdogan"]


# -- incremental: the same as built again --------------------------------------------

NAMES = ["Kyiv", "Kursk", "Kursk region", "Putin", "Vladimir Putin", "President Trump",
         "Trump", "the Kremlin", "NATO", "Ukraine"]
TEXT = ("KYIV AND NATO TALK\nPresident Trump called Vladimir Putin about the Kursk region; "
        "The Kremlin and Ukraine, Kyiv, Trump, NATO and Putin’s aides.")
OPERATION = st.tuples(st.sampled_from(NAMES), st.sampled_from(["ACTOR", "LOCATION"]),
                      st.sampled_from([None, "Vladimir Putin"]), st.booleans())


@settings(max_examples=60)
@given(st.lists(OPERATION, max_size=40), st.integers(1, 5))
def test_labelling_and_removing_one_at_a_time_is_building_again(operations, floor):
    automaton.FOLD_FLOOR = floor  # fold often: the path taken once in a while is taken
    try:
        live = SeenNames()
        held: Counter = Counter()
        for name, label, canonical, add in operations:
            span = Span.new(name, 0, len(name), label, "alice")
            span = span.with_attribute("canonical", canonical)
            if add:
                live.add(span)
                held[name, label, canonical] += 1
            elif held[name, label, canonical]:
                live.remove(span)
                held[name, label, canonical] -= 1
            rebuilt = SeenNames()
            for (n, lab, canon), times in held.items():
                for _ in range(times):
                    rebuilt.learn(n, lab, canon)
            assert live.find(TEXT) == rebuilt.find(TEXT)
    finally:
        automaton.FOLD_FLOOR = 64


def test_each_change_is_a_new_version_and_a_removed_name_is_not_found():
    index = SeenNames()
    kyiv = Span.new("Kyiv", 0, 4, "LOCATION", "alice")
    index.add(kyiv)
    version = index.version
    assert found(index, "in Kyiv") == [("Kyiv", "LOCATION")]
    index.remove(kyiv)
    assert index.version > version
    assert found(index, "in Kyiv") == []
    index.remove(kyiv)  # removing what is not there changes nothing
    assert len(index) == 0
