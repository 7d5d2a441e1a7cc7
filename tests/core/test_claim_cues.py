"""Claims suggested from reporting cues: each form of reported speech with its source, the
sources a text names or does not, and the offset rules every suggestion keeps whatever the
text (hypothesis)."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from tui.core.document.model import check_offsets
from tui.core.document.suggestion import Suggestion
from tui.core.suggest.claim_cues import claim_suggestions


def claims(text: str, actors: list[str] | None = None, lang: str = "en"
           ) -> list[tuple[str, str | None]]:
    """(claim, source) as the analyst would read them: the source's text, or its kind."""
    spans = []
    for name in actors or []:
        start = text.index(name)
        spans.append((start, start + len(name)))
    return [(text[s.start:s.end], _source(text, s)) for s in claim_suggestions(text, spans, lang)]


def _source(text: str, found: Suggestion) -> str | None:
    if found.source is None:
        return None
    if found.source.start is None or found.source.end is None:
        return found.source.kind
    return text[found.source.start:found.source.end]


@pytest.mark.parametrize(("text", "expected"), [
    ("Zelensky said the talks in Riyadh were a trap.",
     [("the talks in Riyadh were a trap", "Zelensky")]),
    ("Zelensky said that the talks in Riyadh were a trap.",
     [("the talks in Riyadh were a trap", "Zelensky")]),
    ("The talks in Riyadh were a trap, Zelensky said.",
     [("The talks in Riyadh were a trap", "Zelensky")]),
    ("The talks in Riyadh were a trap, said Zelensky.",
     [("The talks in Riyadh were a trap", "Zelensky")]),
    ("According to Zelensky, the talks in Riyadh were a trap.",
     [("the talks in Riyadh were a trap", "Zelensky")]),
    ("The talks in Riyadh were a trap, according to Zelensky.",
     [("The talks in Riyadh were a trap", "Zelensky")]),
    ("Putin warned that Western companies cannot easily regain their assets.",
     [("Western companies cannot easily regain their assets", "Putin")]),
    ("The Kremlin denied that its troops had entered the region.",
     [("its troops had entered the region", "Kremlin")]),
    ("Zelensky insisted the cease-fire must hold.",
     [("the cease-fire must hold", "Zelensky")]),
    ("Rubio told reporters the meeting had been productive.",
     [("the meeting had been productive", "Rubio")]),
])
def test_each_form_of_reported_speech(text, expected):
    assert claims(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ('"The war must end now," Trump said.', [("The war must end now", "Trump")]),
    ("“The war must end now,” Trump said.", [("The war must end now", "Trump")]),
    ("“The war must end now,” said Trump.", [("The war must end now", "Trump")]),
    ("Trump said: “The war must end now.”", [("The war must end now", "Trump")]),
    ('Trump said, "The war must end now."', [("The war must end now", "Trump")]),
    ("Trump wrote on Truth Social: “The war must end now.”",
     [("The war must end now", "Trump")]),
])
def test_quotations_with_their_speaker_before_or_after(text, expected):
    assert claims(text) == expected


def test_a_quotation_that_goes_on_after_its_speaker_keeps_the_speaker():
    text = ("“Our citizens have been injured,” Lam said. “Families have been under stress. "
            "Hong Kong has become an unfamiliar place.”")
    assert claims(text) == [
        ("Our citizens have been injured", "Lam"),
        ("Families have been under stress. Hong Kong has become an unfamiliar place", "Lam"),
    ]


def test_a_quotation_runs_over_sentence_boundaries_as_one_claim():
    text = "Trump said on Friday “I can do it if I want. I may do it.”"
    assert claims(text) == [("I can do it if I want. I may do it", "Trump")]


def test_a_cue_inside_the_content_makes_the_whole_sentence_the_claim():
    text = "The guardrail would be examined, Roberts said, to determine if it had failed."
    assert claims(text) == [
        ("The guardrail would be examined, Roberts said, to determine if it had failed",
         "Roberts")]


def test_the_source_is_a_given_actor_when_one_overlaps_the_subject():
    text = "Ukrainian President Volodymyr Zelensky said the talks were a trap."
    assert claims(text, ["Volodymyr Zelensky"]) == [("the talks were a trap",
                                                      "Volodymyr Zelensky")]
    # without actors the subject itself is the source, so the reader can propose it
    assert claims(text) == [("the talks were a trap", "Ukrainian President Volodymyr Zelensky")]


def test_a_possessor_is_not_the_speaker():
    text = "Angela Merkel's spokesperson, Steffen Seibert, said the ban was needed."
    assert claims(text, ["Angela Merkel", "Steffen Seibert"]) == [
        ("the ban was needed", "Steffen Seibert")]


def test_a_pronoun_is_resolved_to_the_last_named_actor():
    text = ("Before the call, Putin spoke to business leaders. He warned that companies "
            "cannot regain their assets.")
    assert claims(text, ["Putin"]) == [("companies cannot regain their assets", "Putin")]


def test_a_pronoun_keeps_the_last_speaker_at_the_speakers_nearest_mention():
    text = ("Trump said the war must end. Trump also said that he would meet Putin. "
            "He also said the talks were going well.")
    found = claim_suggestions(text)
    last = found[-1]
    assert text[last.start:last.end] == "the talks were going well"
    assert last.source is not None and last.source.start == text.index("Trump also")


@pytest.mark.parametrize(("text", "kind"), [
    ("Officials said three people died.", "unnamed"),
    ("A source told Reuters the deal was off.", "unnamed"),
    ("Local officials said 24 people had been hospitalised.", "unnamed"),
    ("The crash reportedly killed seven people.", "unnamed"),
    ("According to reports, 22 of the passengers were Cuban.", "unnamed"),
])
def test_a_source_the_text_does_not_name_is_unnamed(text, kind):
    found = claim_suggestions(text)
    assert [(s.source.kind if s.source else None) for s in found] == [kind]
    assert found[0].source is not None and found[0].source.start is None
    assert ("source_kind", kind) in found[0].attributes


def test_an_affiliated_source_is_an_actor():
    assert claims("German officials said the permit was suspended.") == [
        ("the permit was suspended", "German officials")]


@pytest.mark.parametrize("text", [
    "Trump announced his resignation on Monday.",        # a noun, not a clause
    "Zelensky accused Putin of stalling.",               # a gerund
    "The president urged the crowd to stay calm.",       # an infinitive
    "Three people were reported dead in the blast.",     # a passive: nobody said it
    "Each state has a large proportion of voters.",      # "state" is a noun here
    "We believe that the results apply today.",          # an interview's own words
    "Secretary of State Marco Rubio met Ukrainian officials.",
    "The house was built in 1990.",
])
def test_no_claim_without_reported_content(text):
    assert claims(text) == []


def test_the_content_stops_where_another_attribution_begins():
    text = ("Duda said the victims were joyful girls while Brudziński wrote he had ordered "
            "fire safety checks.")
    assert claims(text) == [("the victims were joyful girls", "Duda"),
                            ("he had ordered fire safety checks", "Brudziński")]


def test_the_content_stops_before_but_with_a_new_subject():
    text = ("Trump shared on Truth Social that many elements of a final agreement are "
            "already in place, but significant discussions remain.")
    assert claims(text) == [("many elements of a final agreement are already in place",
                             "Trump")]


def test_of_a_chain_of_cues_the_innermost():
    text = "Znak.com reported its source said the tenant moved in the day before the blast."
    assert claims(text) == [("the tenant moved in the day before the blast", "unnamed")]


def test_suggestions_are_claims_from_cues_with_quote_attributes():
    text = 'Lam said the bill was dead. "It will not return," she said.'
    found = claim_suggestions(text)
    assert {s.label for s in found} == {"CLAIM"}
    assert {s.kind for s in found} == {"claim-cue"}
    assert [dict(s.attributes)["quote"] for s in found] == ["indirect", "direct"]
    assert all(0 < s.score <= 1 for s in found)


def test_ukrainian_cues():
    text = ("Зеленський заявив, що переговори в Ер-Ріяді були пасткою. "
            "«Ми не відступимо», — сказав він. "
            "За словами Сибіги, делегація повернеться до Києва.")
    assert claims(text, ["Зеленський"], lang="uk") == [
        ("переговори в Ер-Ріяді були пасткою", "Зеленський"),
        ("Ми не відступимо", "Зеленський"),
        ("делегація повернеться до Києва", "Сибіги"),
    ]


def test_an_empty_or_cueless_text_has_no_claims():
    assert claim_suggestions("") == []
    assert claim_suggestions("\n\n") == []
    assert claim_suggestions("The plant is in poor condition.") == []


# -- whatever the text: offsets valid, never a claim inside its own source ---------------

WORDS = ["said", "told", "reporters", "that", "according", "to", "Putin", "Zelensky", "he",
         "officials", "the", "war", "must", "end", "was", "reportedly", "called", "it",
         "warned", "Kyiv", "“", "”", '"', ",", ".", ":", ";", "—", "e\u0301", "👍🏽", "🇺🇦",
         "\n", "is", "as", "a", "source", "but", "which", "Mr.", "U.S.", "said,", "(", ")"]


@st.composite
def news(draw: st.DrawFn) -> str:
    words = draw(st.lists(st.sampled_from(WORDS), max_size=60))
    return " ".join(words)


def _check(text: str, found: list[Suggestion], actors: list[tuple[int, int]]) -> None:
    for s in found:
        check_offsets(text, s.start, s.end)  # inside the text, never splitting a character
        assert s.label == "CLAIM" and s.kind == "claim-cue"
        assert text[s.start:s.end] == text[s.start:s.end].strip()
        assert list(s.attributes) == sorted(s.attributes)
        if s.source is not None and s.source.start is not None:
            assert s.source.end is not None
            check_offsets(text, s.source.start, s.source.end)
            assert not (s.source.start <= s.start and s.end <= s.source.end)
            assert s.source.kind == "actor"
        elif s.source is not None:
            assert s.source.kind in ("unnamed", "journalist")
    assert found == sorted(found, key=lambda s: s.start) or len({s.start for s in found}) \
        < len(found)


@given(news())
@example("said must , said e\u0301")  # a source ending before a combining mark
@example("reporters said must but")  # a connective that ends the text
@example('reporters said — " must "')  # a quotation with spaces inside its marks
def test_any_text_gives_valid_claims(text):
    _check(text, claim_suggestions(text), [])


@given(news(), st.data())
def test_any_actors_give_valid_sources(text, data):
    bounds = sorted({0, len(text), *[i for i, c in enumerate(text) if c == " "]})
    pairs = data.draw(st.lists(st.tuples(st.sampled_from(bounds), st.sampled_from(bounds)),
                               max_size=6))
    actors = [(a, b) for a, b in pairs if a < b]
    found = claim_suggestions(text, actors)
    _check(text, found, actors)


@given(st.text(max_size=200))
def test_any_unicode_gives_valid_claims(text):
    from tui.core.language.text import normalise

    text = normalise(text)
    _check(text, claim_suggestions(text), [])
