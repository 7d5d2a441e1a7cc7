"""Reviewing an article: two analysts' versions compared span by span, each difference
named, and the edits that take one side (or every agreement) into the reviewed version."""

from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.core.disk.article_file import Article
from tui.core.document.edits import Edit
from tui.core.document.model import Document, Relation, Span
from tui.core.document.schema import ABOUT, SOURCE
from tui.core.editing.article_model import ArticleModel
from tui.core.team.agreement import source_agreement
from tui.core.team.review import (
    ATTRIBUTES,
    BOUNDARIES,
    LABEL,
    LEFT,
    LINKS,
    ONLY_LEFT,
    ONLY_RIGHT,
    RIGHT,
    SOURCE_DIFFERS,
    ReviewPlan,
    compare,
    holds,
    holds_side,
    key_of,
    notes,
    review_line,
)
from tui.core.team.review_edits import take, take_agreements

TEXT = ("Russian President Vladimir Putin said the talks in Riyadh were a trap.\n"
        "Zelensky told reporters in Kyiv that the cease-fire will hold.\n"
        "Envoy Steve Witkoff flew to Moscow.")
DOCUMENT = Document.from_text(TEXT)


def span(word: str, label: str, who: str, **attributes: str) -> Span:
    start = TEXT.index(word)
    made = Span.new(TEXT, start, start + len(word), label, who)
    return replace(made, attributes=tuple(sorted(attributes.items())))


def model_of(spans: list[Span], relations: list[Relation] = ()) -> ArticleModel:
    return ArticleModel(Article(DOCUMENT, list(spans), {}, 0, list(relations)), "review")


def do(model: ArticleModel, outcome: Edit | str) -> Edit:
    assert isinstance(outcome, Edit), outcome
    model.apply(outcome)
    return outcome


def review_keys(model: ArticleModel) -> set[tuple[int, int, str]]:
    return {key_of(s) for s in model.of("review")}


def pair() -> tuple[ArticleModel, dict[str, Span]]:
    """alice and bob on one article: one span each kind of difference, and agreements."""
    s = {
        "a_putin": span("Vladimir Putin", "ACTOR", "alice"),
        "b_putin": span("Russian President Vladimir Putin", "ACTOR", "bob"),
        "a_trap": span("the talks in Riyadh were a trap", "CLAIM", "alice", source_kind="actor"),
        "b_trap": span("the talks in Riyadh were a trap", "CLAIM", "bob", source_kind="actor"),
        "a_riyadh": span("Riyadh", "LOCATION", "alice"),
        "b_riyadh": span("Riyadh", "LOCATION", "bob"),
        "a_zelensky": span("Zelensky", "ACTOR", "alice"),
        "b_zelensky": span("Zelensky", "ACTOR", "bob"),
        "a_hold": span("the cease-fire will hold", "CLAIM", "alice", source_kind="actor"),
        "b_hold": span("the cease-fire will hold", "CLAIM", "bob"),
        "a_kyiv": span("Kyiv", "LOCATION", "alice"),
        "b_kyiv": span("Kyiv", "ACTOR", "bob"),
        "a_moscow": span("Moscow", "LOCATION", "alice", country="RU"),
        "b_moscow": span("Moscow", "LOCATION", "bob"),
        "a_witkoff": span("Steve Witkoff", "ACTOR", "alice"),
        "b_envoy": span("Envoy", "ACTOR", "bob"),
    }
    links = [Relation(s["a_trap"].id, s["a_putin"].id, SOURCE, "alice"),
             Relation(s["b_trap"].id, s["b_putin"].id, SOURCE, "bob"),
             Relation(s["a_trap"].id, s["a_riyadh"].id, ABOUT, "alice"),
             Relation(s["b_trap"].id, s["b_riyadh"].id, ABOUT, "bob"),
             Relation(s["a_hold"].id, s["a_zelensky"].id, SOURCE, "alice")]
    return model_of(list(s.values()), links), s


def test_each_kind_of_difference_is_found_and_named():
    model, _s = pair()
    comparison = compare(model, "alice", "bob")
    kinds = {(d.kind, tuple(x.text for x in d.left), tuple(x.text for x in d.right))
             for d in comparison.differences}
    assert kinds == {
        (BOUNDARIES, ("Vladimir Putin",), ("Russian President Vladimir Putin",)),
        # the same claim and source (Putin), linked at the actors' other extents: the
        # source is the same (as `gloss agree` counts it), the link is not
        (LINKS, ("the talks in Riyadh were a trap",), ("the talks in Riyadh were a trap",)),
        (SOURCE_DIFFERS, ("the cease-fire will hold",), ("the cease-fire will hold",)),
        (LABEL, ("Kyiv",), ("Kyiv",)),
        (ATTRIBUTES, ("Moscow",), ("Moscow",)),
        (ONLY_LEFT, ("Steve Witkoff",), ()),
        (ONLY_RIGHT, (), ("Envoy",)),
    }
    assert [(a.text, b.text) for a, b in comparison.agreements] == [
        ("Riyadh", "Riyadh"), ("Zelensky", "Zelensky")]
    starts = [d.start for d in comparison.differences]
    assert starts == sorted(starts)
    names = {comparison.name(d) for d in comparison.differences}
    assert {"boundaries differ", "label differs", "source differs", "links differ",
            "attributes differ", "only alice has it", "only bob has it"} == names


def test_links_other_than_the_source_are_a_difference_of_their_own():
    a_claim = span("the talks in Riyadh were a trap", "CLAIM", "alice")
    b_claim = span("the talks in Riyadh were a trap", "CLAIM", "bob")
    a_place, b_place = span("Riyadh", "LOCATION", "alice"), span("Riyadh", "LOCATION", "bob")
    model = model_of([a_claim, b_claim, a_place, b_place],
                     [Relation(a_claim.id, a_place.id, ABOUT, "alice")])
    [difference] = compare(model, "alice", "bob").differences
    assert difference.kind == LINKS and difference.left == (a_claim,)


def test_taking_a_side_copies_it_as_the_reviewer_with_its_source_and_links():
    model, s = pair()
    comparison = compare(model, "alice", "bob")
    putin = next(d for d in comparison.differences if d.kind == BOUNDARIES)
    do(model, take(model, comparison, putin, LEFT, "review"))
    [copy] = model.of("review")
    assert (copy.text, copy.annotator, copy.source) == ("Vladimir Putin", "review", "alice")
    assert copy.id != s["a_putin"].id
    comparison = compare(model, "alice", "bob")
    trap = next(d for d in comparison.differences if d.kind == LINKS
                and d.left[0].label == "CLAIM" and "trap" in d.left[0].text)
    do(model, take(model, comparison, trap, LEFT, "review"))
    claim = model.find(s["a_trap"].start, s["a_trap"].end, "CLAIM", "review")
    assert claim is not None and claim.source == "alice"
    assert claim.attribute("source_kind") == "actor"
    [link] = model.links_from(claim.id, SOURCE)
    assert model.get(link.child) == copy and link.annotator == "review"
    assert holds(model, "review", compare(model, "alice", "bob"),
                 compare(model, "alice", "bob").differences[0]) == "the review: alice's"


def test_taking_the_other_side_replaces_the_first_and_undo_brings_it_back():
    model, _s = pair()
    comparison = compare(model, "alice", "bob")
    putin = next(d for d in comparison.differences if d.kind == BOUNDARIES)
    first = do(model, take(model, comparison, putin, LEFT, "review"))
    assert holds_side(model, "review", putin, LEFT)
    second = do(model, take(model, compare(model, "alice", "bob"), putin, RIGHT, "review"))
    assert [x.text for x in model.of("review")] == ["Russian President Vladimir Putin"]
    assert [x.source for x in model.of("review")] == ["bob"]
    assert holds_side(model, "review", putin, RIGHT)
    assert not holds_side(model, "review", putin, LEFT)
    model.apply(second.inverse())
    assert [x.text for x in model.of("review")] == ["Vladimir Putin"]
    model.apply(first.inverse())
    assert list(model.of("review")) == []


def test_taking_the_side_the_review_holds_already_says_so():
    model, _s = pair()
    comparison = compare(model, "alice", "bob")
    only = next(d for d in comparison.differences if d.kind == ONLY_LEFT)
    assert take(model, comparison, only, RIGHT, "review") == \
        "bob has nothing here, nor has the review"
    do(model, take(model, comparison, only, LEFT, "review"))
    assert take(model, compare(model, "alice", "bob"), only, LEFT, "review") == \
        "the review holds that already"
    assert holds(model, "review", comparison, only) == "in the review"
    do(model, take(model, compare(model, "alice", "bob"), only, RIGHT, "review"))
    assert holds(model, "review", comparison, only) == "not in the review"


def test_every_agreement_is_taken_at_once_with_the_links_both_have():
    a_claim = span("the talks in Riyadh were a trap", "CLAIM", "alice", source_kind="actor")
    b_claim = span("the talks in Riyadh were a trap", "CLAIM", "bob", source_kind="actor")
    a_putin, b_putin = (span("Vladimir Putin", "ACTOR", w) for w in ("alice", "bob"))
    a_kyiv = span("Kyiv", "LOCATION", "alice")
    model = model_of([a_claim, b_claim, a_putin, b_putin, a_kyiv],
                     [Relation(a_claim.id, a_putin.id, SOURCE, "alice"),
                      Relation(b_claim.id, b_putin.id, SOURCE, "bob")])
    comparison = compare(model, "alice", "bob")
    assert len(comparison.agreements) == 2
    edit = do(model, take_agreements(model, comparison, "review"))
    assert len(edit.changes) == 2 and len(edit.links) == 1
    review = {x.text: x for x in model.of("review")}
    assert set(review) == {"the talks in Riyadh were a trap", "Vladimir Putin"}
    assert {x.source for x in review.values()} == {"alice,bob"}
    [link] = model.links_from(review["the talks in Riyadh were a trap"].id, SOURCE)
    assert link.child == review["Vladimir Putin"].id
    assert take_agreements(model, compare(model, "alice", "bob"), "review") == \
        "the review holds all 2 agreements already"
    line = review_line(model, "review", compare(model, "alice", "bob"), 0)
    assert (line.position, line.total, line.name) == (1, 1, "only alice has it")
    assert (line.agreements, line.agreed_in_review) == (2, 2)
    said = notes(model, "review", comparison)
    assert said.of(a_claim) == "agrees ✓" and said.of(a_kyiv) == "only"


def test_one_analyst_against_the_review():
    model, _s = pair()
    comparison = compare(model, "alice", "review")
    assert comparison.agreements == () and all(d.kind == ONLY_LEFT
                                                for d in comparison.differences)
    first = comparison.differences[0]
    do(model, take(model, comparison, first, LEFT, "review"))
    again = compare(model, "alice", "review")
    assert len(again.differences) == len(comparison.differences) - 1
    assert len(again.agreements) == 1
    assert take(model, again, again.differences[0], RIGHT, "review") == \
        "the review holds that already"


def test_the_walk_goes_on_after_a_side_is_taken_and_follows_the_cursor():
    model, _s = pair()
    comparison = compare(model, "alice", "bob")
    first, second = comparison.differences[:2]
    assert comparison.after(first) == 1  # two analysts: the difference stays
    assert comparison.after(comparison.differences[-1]) is None  # the last: stay there
    assert comparison.under(first.extent(LEFT)[0], LEFT, None) == 0
    assert comparison.under(second.start, RIGHT, 0) == 1  # the cursor left the first
    alone = compare(model, "alice", "review")
    do(model, take(model, alone, alone.differences[0], LEFT, "review"))
    again = compare(model, "alice", "review")  # the review was a side: the first is gone
    assert again.after(alone.differences[0]) == 0
    assert again.differences[0] == alone.differences[1]


def test_who_reviews_whom():
    assert ReviewPlan().sides(["bob", "alice", "carol"]) == ("alice", "bob")
    assert ReviewPlan().sides(["alice", "review"]) == ("alice", "review")
    assert ReviewPlan("olena").sides(["olena"]) is None
    assert ReviewPlan("olena", ("carol", "bob")).sides([]) == ("carol", "bob")
    assert ReviewPlan("olena", ("carol",)).sides(["x"]) == ("carol", "olena")


# -- properties --------------------------------------------------------------------------

WORDS = [(m.start(), m.end()) for m in __import__("re").finditer(r"\w+", TEXT)]
LABELS = ("ACTOR", "CLAIM", "LOCATION")


@st.composite
def versions(draw: st.DrawFn) -> ArticleModel:
    """Two analysts' spans over the words of TEXT (one to three words each)."""
    spans = []
    for who in ("alice", "bob"):
        seen = set()
        for _ in range(draw(st.integers(0, 12))):
            first = draw(st.integers(0, len(WORDS) - 1))
            last = min(first + draw(st.integers(0, 2)), len(WORDS) - 1)
            key = (WORDS[first][0], WORDS[last][1], draw(st.sampled_from(LABELS)))
            if key not in seen:
                seen.add(key)
                spans.append(Span.new(TEXT, *key, who))
    return model_of(spans)


@settings(max_examples=200, deadline=None)
@given(versions())
def test_every_span_is_in_one_agreement_or_one_difference(model):
    comparison = compare(model, "alice", "bob")
    seen = [x.id for a, b in comparison.agreements for x in (a, b)]
    seen += [x.id for d in comparison.differences for x in (*d.left, *d.right)]
    assert sorted(seen) == sorted(s.id for s in model.spans)
    for d in comparison.differences:
        assert all(x.annotator == "alice" for x in d.left)
        assert all(x.annotator == "bob" for x in d.right)
    assert compare(model, "alice", "alice").differences == ()


@settings(max_examples=200, deadline=None)
@given(versions(), st.lists(st.sampled_from([LEFT, RIGHT]), min_size=30, max_size=30))
def test_taking_sides_then_undoing_everything_leaves_no_review(model, choices):
    """Whichever sides are taken, in order: the review then holds what was taken of
    each difference and every agreement, and undoing each edit, last first, leaves it
    empty again."""
    done = []
    outcome = take_agreements(model, compare(model, "alice", "bob"), "review")
    if isinstance(outcome, Edit):
        done.append(do(model, outcome))
    differences = compare(model, "alice", "bob").differences
    for difference, which in zip(differences, choices, strict=False):
        outcome = take(model, compare(model, "alice", "bob"), difference, which, "review")
        if isinstance(outcome, Edit):
            done.append(do(model, outcome))
    comparison = compare(model, "alice", "bob")
    for a, _b in comparison.agreements:
        assert key_of(a) in review_keys(model)
    for difference, which in zip(differences, choices, strict=False):
        side = {key_of(x) for x in difference.side(which)}
        assert side <= review_keys(model)
        other = {key_of(x) for x in difference.side(LEFT if which == RIGHT else RIGHT)}
        assert not (other - side) & review_keys(model)
    assert all(s.source in ("alice", "bob", "alice,bob") for s in model.of("review"))
    for edit in reversed(done):
        model.apply(edit.inverse())
    assert list(model.of("review")) == [] and model.relations == []


@pytest.mark.parametrize(("a_kind", "b_kind", "b_source", "same"), [
    ("actor", "actor", "Russian President Vladimir Putin", True),  # overlapping extents
    ("actor", "actor", "Putin", False),  # elsewhere, a shorter name: not known the same
    ("actor", "actor", "Zelensky", False),
    ("actor", "journalist", None, False),
    ("journalist", "journalist", None, True),
    ("journalist", "unnamed", None, False),
])
def test_agree_and_review_count_the_same_sources(a_kind, b_kind, b_source, same):
    """`gloss agree` counts a claim's source as agreeing exactly where `gloss review` does
    not say "source differs": one definition, ``claims.same_source``."""
    text = TEXT + "\nPutin again."
    doc = Document.from_text(text)

    def at(word: str, who: str, label: str, **attributes: str) -> Span:
        start = text.rindex(word) if word == "Putin" else text.index(word)
        made = Span.new(text, start, start + len(word), label, who)
        return replace(made, attributes=tuple(sorted(attributes.items())))

    a_claim = at("the talks in Riyadh were a trap", "alice", "CLAIM", source_kind=a_kind)
    b_claim = at("the talks in Riyadh were a trap", "bob", "CLAIM", source_kind=b_kind)
    spans = [a_claim, b_claim]
    links = []
    if a_kind == "actor":
        a_putin = at("Vladimir Putin", "alice", "ACTOR")
        spans.append(a_putin)
        links.append(Relation(a_claim.id, a_putin.id, SOURCE, "alice"))
    if b_source is not None:
        b_actor = at(b_source, "bob", "ACTOR")
        spans.append(b_actor)
        links.append(Relation(b_claim.id, b_actor.id, SOURCE, "bob"))
    article = Article(doc, spans, {"alice": "done", "bob": "done"}, 0, links)
    agreed, claims = source_agreement([article], "alice", "bob")
    model = ArticleModel(article, "review")
    kinds = {d.kind for d in compare(model, "alice", "bob").differences
             if d.left and d.left[0].label == "CLAIM"}
    assert claims == 1 and agreed == int(same)
    assert (SOURCE_DIFFERS not in kinds) == same
