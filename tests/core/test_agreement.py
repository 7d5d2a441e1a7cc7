"""Agreement figures against worked examples and hand-computed cases."""

from __future__ import annotations

import math

import pytest

from tui.core.agreement import agree, alpha, f1, kappa, token_bounds, token_values
from tui.core.article_file import Article
from tui.core.model import Document, Relation, Span


def test_cohens_kappa_on_the_textbook_two_by_two_table():
    # 50 items: both yes 20, A yes B no 5, A no B yes 10, both no 15 (p_o .7, p_e .5)
    left = ["yes"] * 25 + ["no"] * 25
    right = ["yes"] * 20 + ["no"] * 5 + ["yes"] * 10 + ["no"] * 15
    assert kappa(left, right) == pytest.approx(0.4)


def test_krippendorffs_alpha_on_his_nominal_example():
    # Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", the 4 coders x
    # 12 units example with missing values: alpha (nominal) = 0.743
    rows = ["1 2 3 3 2 1 4 1 2 . . .", "1 2 3 3 2 2 4 1 2 5 . 3",
            ". 3 3 3 2 3 4 2 2 5 1 .", "1 2 3 3 2 4 4 1 2 5 1 ."]
    coders = [[None if v == "." else v for v in row.split()] for row in rows]
    assert alpha(coders) == pytest.approx(0.743, abs=0.0005)


def test_span_f1_exact_and_overlapping():
    left = [(0, 0, 5, "ACTOR"), (0, 10, 20, "CLAIM"), (0, 30, 34, "LOCATION")]
    right = [(0, 0, 5, "ACTOR"), (0, 12, 20, "CLAIM"), (0, 40, 44, "LOCATION")]
    assert f1(left, right, exact=True) == pytest.approx(2 * 1 / 6)
    assert f1(left, right, exact=False) == pytest.approx(2 * 2 / 6)
    assert f1([], [], exact=True) is None


def test_a_token_takes_the_label_of_the_innermost_span():
    text = "Putin said Kyiv lies"
    bounds = token_bounds(text)
    assert bounds == ([0, 6, 11, 16], [5, 10, 15, 20])
    spans = [Span.new(text, 0, 20, "CLAIM", "a"), Span.new(text, 11, 15, "LOCATION", "a")]
    codes = {"O": 0, "CLAIM": 1, "LOCATION": 2}
    assert token_values(bounds, spans, codes).tolist() == [1, 1, 2, 1]


def article(text, spans, relations=(), done=("alice", "bob")):
    document = Document.from_text(text)
    return Article(document, list(spans), {who: "done" for who in done}, 0,
                   list(relations))


def test_two_analysts_on_one_article_by_hand():
    text = "Zelensky said the talks were a trap"
    z = lambda who: Span.new(text, 0, 8, "ACTOR", who)  # noqa: E731
    claim = lambda who, start: Span.new(text, start, 35, "CLAIM", who)  # noqa: E731
    a_claim, b_claim = claim("alice", 14), claim("bob", 14)
    a_z, b_z = z("alice"), z("bob")
    report = agree([article(text, [a_z, a_claim, b_z, b_claim],
                            [Relation(a_claim.id, a_z.id, "SOURCE", "alice"),
                             Relation(b_claim.id, b_z.id, "SOURCE", "bob")])],
                   ["alice", "bob"], ["ACTOR", "CLAIM"])
    scores = report.pairs[("alice", "bob")]
    assert scores["(all)"].exact_f1 == 1.0 and scores["(all)"].kappa == 1.0
    assert report.overall["(all)"].alpha == 1.0
    assert report.sources[("alice", "bob")] == (1, 1)


def test_an_analyst_who_never_saw_an_article_is_missing_not_outside():
    text = "Putin spoke in Kyiv today"
    seen = article(text, [Span.new(text, 0, 5, "ACTOR", "alice"),
                          Span.new(text, 0, 5, "ACTOR", "bob")])
    other = "Odesa was shelled overnight"
    unseen = article(other, [Span.new(other, 0, 5, "LOCATION", "alice")], done=("alice",))
    report = agree([seen, unseen], ["alice", "bob"], ["ACTOR", "LOCATION"])
    # bob did not see the second article: it does not count against him
    assert report.pairs[("alice", "bob")]["(all)"].exact_f1 == 1.0
    assert not math.isnan(report.overall["(all)"].alpha or 0.0)


@pytest.mark.parametrize("seed", range(6))
def test_alpha_equals_the_krippendorff_package(seed):
    import krippendorff
    import numpy as np

    rng = np.random.default_rng(seed)
    coders = int(rng.integers(2, 5))
    data = rng.integers(0, 4, size=(coders, 300)).astype(float)
    data[rng.random(data.shape) < 0.2] = np.nan
    expected = krippendorff.alpha(reliability_data=data, level_of_measurement="nominal")
    values = [[None if np.isnan(v) else str(int(v)) for v in row] for row in data]
    assert alpha(values) == pytest.approx(expected, abs=1e-9)
