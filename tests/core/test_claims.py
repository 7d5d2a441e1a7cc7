"""The candidates a claim's link offers, and the sentences they are ranked by."""

from hypothesis import given
from hypothesis import strategies as st

from tui.core.attribution.claims import candidates
from tui.core.document.model import Span
from tui.core.language.sentences import sentence_of, sentence_starts

TEXT = ("Putin spoke to business leaders on Monday. "
        "Zelensky said the talks in Riyadh were a trap, a claim U.S. envoy Steve Witkoff denied. "
        "Later, Witkoff told reporters: the cease-fire will hold. "
        "Kyiv says Putin is stalling.")


def span(word: str, label: str, nth: int = 0) -> Span:
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(word, start + 1)
    return Span.new(TEXT, start, start + len(word), label, "alice")


def test_sentences_end_at_stops_but_not_at_abbreviations():
    starts = sentence_starts(TEXT)
    sentences = [TEXT[a:b] for a, b in (sentence_of(starts, TEXT, s) for s in starts)]
    assert sentences == [
        "Putin spoke to business leaders on Monday.",
        "Zelensky said the talks in Riyadh were a trap, a claim U.S. envoy Steve Witkoff"
        " denied.",
        "Later, Witkoff told reporters: the cease-fire will hold.",
        "Kyiv says Putin is stalling."]


def test_the_source_in_the_claims_sentence_comes_first():
    claim = span("the talks in Riyadh were a trap", "CLAIM")
    actors = [span("Putin", "ACTOR"), span("Zelensky", "ACTOR"), span("Steve Witkoff", "ACTOR"),
              span("Witkoff", "ACTOR", nth=1)]
    found = candidates(TEXT, claim, actors)
    assert [s.text for s in found] == ["Zelensky", "Steve Witkoff", "Putin", "Witkoff"]


def test_the_nearest_actor_before_the_claim_when_its_sentence_has_none():
    claim = span("the cease-fire will hold", "CLAIM")
    actors = [span("Putin", "ACTOR"), span("Zelensky", "ACTOR"), span("Putin", "ACTOR", 1)]
    found = candidates(TEXT, claim, actors)
    assert [s.text for s in found] == ["Zelensky", "Putin"]  # Putin once, at its best place
    assert found[1].start == 0


def test_an_actor_inside_the_claim_only_when_none_stands_outside():
    claim = span("Putin is stalling", "CLAIM")
    inside = span("Putin", "ACTOR", nth=1)
    assert [s.text for s in candidates(TEXT, claim, [inside])] == ["Putin"]
    kyiv = span("Kyiv", "ACTOR")
    assert [s.text for s in candidates(TEXT, claim, [inside, kyiv])] == ["Kyiv"]


words = st.lists(st.sampled_from(["Kyiv", "said", "Mr.", "U.S.", "talks", "end.", "Why?",
                                  "“No.”", "\n", "A.", "5.", "ok"]), max_size=40)


@given(words)
def test_sentences_cover_the_text_in_order(pieces):
    text = " ".join(pieces)
    starts = sentence_starts(text)
    assert starts[0] == 0 and starts == sorted(set(starts))
    for offset in range(len(text)):
        start, end = sentence_of(starts, text, offset)
        assert start <= offset and (start <= end)


def test_canonical_names_drop_titles_and_find_the_fullest_name():
    from tui.core.document.canonical import bare_name, fullest_name, same_actor

    assert bare_name("Russian President Vladimir Putin’s") == "Vladimir Putin"
    assert bare_name("U.S. envoy Steve Witkoff") == "Steve Witkoff"
    assert same_actor("Putin", "President Vladimir Putin") and not same_actor("Putin", "Trump")
    names = ["President Trump", "Russian President Vladimir Putin", "Putin", "Trump"]
    assert fullest_name("Putin", names) == "Vladimir Putin"
    assert fullest_name("Trump", names) == "Trump"


def test_completion_is_fuzzy_and_falls_back_to_the_most_used():
    from tui.core.document.canonical import suggestions

    known = ["Volodymyr Zelensky", "Vladimir Putin", "Donald Trump", "Vladimir Putin"]
    assert suggestions("zelenskyy", known)[0] == "Volodymyr Zelensky"
    assert suggestions("putn", known)[0] == "Vladimir Putin"
    assert suggestions("", known)[0] == "Vladimir Putin"


def test_the_label_set_file_carries_relation_types_and_attributes(tmp_path):
    import pytest

    from tui.core.document.model import GlossError, LabelSet
    from tui.core.store.dataset import Dataset

    labels = LabelSet.default()
    assert labels.to_records() == [{"name": "ACTOR", "key": "1", "colour": "#61afef"},
                                   {"name": "CLAIM", "key": "2", "colour": "#e5c07b"},
                                   {"name": "LOCATION", "key": "3", "colour": "#98c379"}]
    assert [r.name for r in labels.relations_from("CLAIM")] == ["SOURCE", "ABOUT"]
    assert labels.relation("SOURCE").most == 1
    assert [a.name for a in labels.attributes_of("ACTOR")] == ["canonical", "kind", "country"]
    assert labels.attribute("country").problem("UA") is None
    assert labels.attribute("country").problem("Ukraine")
    own = LabelSet.from_records({"labels": [{"name": "CLAIM"}, {"name": "ORG"}],
                                 "relations": [{"name": "BY", "from": "CLAIM", "to": "ORG"}],
                                 "attributes": [{"name": "stance", "on": ["CLAIM"],
                                                 "values": ["for", "against"]}]})
    dataset = Dataset(tmp_path / "db", "alice")
    dataset.replace_labels(own)
    again = Dataset(tmp_path / "db", "bob").labels
    assert again.relations_from("CLAIM")[0].child == "ORG"
    assert again.attribute("stance").values == ("for", "against")
    with pytest.raises(GlossError, match="relation needs"):
        LabelSet.from_records({"labels": [], "relations": [{"name": "X"}]})
