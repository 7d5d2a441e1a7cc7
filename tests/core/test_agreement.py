"""Agreement figures against worked examples and hand-computed cases."""

from __future__ import annotations

import itertools
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.core.disk.article_file import Article
from tui.core.document.model import Document, Relation, Span
from tui.core.document.span_match import f1
from tui.core.team.agreement import agree, alpha, kappa, token_bounds, token_values


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
    assert token_values(bounds, spans, codes) == [1, 1, 2, 1]


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


# -- the figures of `agree` against a plain reference, on random articles ----------------

WORDS = ["Zelensky", "said", "the", "talks", "in", "Riyadh", "were", "a", "trap", ",", ".",
         "Київ", "東京", "e\u0301", "👩‍👩‍👧", "_x_", "3.5", "«", "»", "\u00a0", "\t", "\n"]


@st.composite
def analysts_articles(draw):
    """Articles with two or three analysts' spans (nested, overlapping, of equal length),
    some unseen by an analyst, some labels outside those compared."""
    from tui.core.language.text import is_grapheme_boundary

    who = ["alice", "bob", "carol"][:draw(st.integers(2, 3))]
    articles = []
    for _ in range(draw(st.integers(1, 4))):
        text = "".join(draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=25))
                       ) + " end"
        edges = [i for i in range(len(text) + 1) if is_grapheme_boundary(text, i)]
        spans, status = [], {}
        for name in who:
            if draw(st.booleans()):
                status[name] = "done"
            for _ in range(draw(st.integers(0, 5))):
                start, end = sorted(draw(st.lists(st.sampled_from(edges), min_size=2,
                                                  max_size=2, unique=True)))
                label = draw(st.sampled_from(["ACTOR", "CLAIM", "LOCATION", "OTHER"]))
                spans.append(Span.new(text, start, end, label, name))
        articles.append(Article(Document.from_text(text), spans, status, 0))
    return articles, who


def reference(articles, who, labels):
    """The figures computed the plain way: tokens by the regular expression, painted span
    by span, F1 by the greedy match written out, kappa by its textbook formula over the
    tokens, alpha by the krippendorff package."""
    import krippendorff
    import numpy as np

    from tui.core.team.agreement import ALL

    codes = {label: n for n, label in enumerate(["O", *labels])}
    spans = {w: [[s for s in a.spans if s.annotator == w] for a in articles] for w in who}
    seen = {w: [bool(spans[w][i]) or w in a.status for i, a in enumerate(articles)]
            for w in who}
    values = {w: [painted(a.document.text, spans[w][i], codes)
                  if seen[w][i] else [-1] * len(token_bounds(a.document.text)[0])
                  for i, a in enumerate(articles)] for w in who}

    def as_label(vals, label):
        return [v if label == ALL or v < 0 else int(v == codes[label]) for v in vals]

    def flat(w, keep=None):
        return [v for i, vals in enumerate(values[w]) if keep is None or keep[i] for v in vals]

    out = {}
    for label in [ALL, *labels]:
        data = np.array([as_label(flat(w), label) for w in who], dtype=float)
        data[data < 0] = np.nan
        pairable = (~np.isnan(data)).sum(axis=0) >= 2
        try:
            alpha_ = krippendorff.alpha(reliability_data=data[:, pairable],
                                        level_of_measurement="nominal")
        except ValueError:
            alpha_ = None
        out[("overall", label)] = alpha_
    for x, y in itertools.combinations(who, 2):
        both = [seen[x][i] and seen[y][i] for i in range(len(articles))]
        for label in [ALL, *labels]:
            left = [(i, s.start, s.end, s.label) for i in range(len(articles)) if both[i]
                    for s in spans[x][i] if label == ALL or s.label == label]
            right = [(i, s.start, s.end, s.label) for i in range(len(articles)) if both[i]
                     for s in spans[y][i] if label == ALL or s.label == label]
            kappa_ = textbook_kappa(as_label(flat(x, both), label),
                                    as_label(flat(y, both), label))
            out[(x, y, label)] = (greedy_f1(left, right, True), greedy_f1(left, right, False),
                                  kappa_)
    return out


def painted(text, spans, codes):
    """Each token's code, the spans painted one by one, the longest first (stable)."""
    starts, ends = token_bounds(text)
    out = [0] * len(starts)
    for span in sorted(spans, key=len, reverse=True):
        for t in range(len(starts)):
            if span.start <= starts[t] and ends[t] <= span.end:
                out[t] = codes.get(span.label, len(codes))
    return out


def textbook_kappa(left, right):
    """Cohen's kappa, (p_o - p_e) / (1 - p_e), over the tokens both coded."""
    pairs = [(x, y) for x, y in zip(left, right, strict=True) if x >= 0 and y >= 0]
    if not pairs:
        return None
    n = len(pairs)
    observed = sum(x == y for x, y in pairs) / n
    values = {v for pair in pairs for v in pair}
    expected = sum(sum(x == v for x, _ in pairs) * sum(y == v for _, y in pairs)
                   for v in values) / (n * n)
    if expected == 1:
        return 1.0 if observed == 1 else None
    return (observed - expected) / (1 - expected)


def greedy_f1(left, right, exact):
    if not left and not right:
        return None
    if exact:
        return 2 * len(set(left) & set(right)) / (len(left) + len(right))
    groups = {}
    for doc, start, end, label in right:
        groups.setdefault((doc, label), []).append((start, end))
    matched = 0
    for doc, start, end, label in sorted(left):
        free = groups.get((doc, label), [])
        hit = next((k for k, (s, e) in enumerate(free) if s < end and start < e), None)
        if hit is not None:
            free.pop(hit)
            matched += 1
    return 2 * matched / (len(left) + len(right))


def close(x, y):
    if x is None or y is None or (isinstance(y, float) and math.isnan(y)):
        return x is None or math.isnan(x) if isinstance(x, float) else x is None
    return x == pytest.approx(y, abs=1e-9)


@settings(max_examples=150, deadline=None)
@given(case=analysts_articles())
def test_agree_gives_the_figures_of_the_plain_reference(case):
    articles, who = case
    labels = ["ACTOR", "CLAIM", "LOCATION"]
    report = agree(articles, who, labels)
    expected = reference(articles, who, labels)
    for label in ["(all)", *labels]:
        got = report.overall[label].alpha
        want = expected[("overall", label)]
        assert close(got, want) or want is None, (label, got, want)
    for (x, y), by_label in report.pairs.items():
        for label, scores in by_label.items():
            assert close(scores.exact_f1, expected[(x, y, label)][0])
            assert close(scores.overlap_f1, expected[(x, y, label)][1])
            assert close(scores.kappa, expected[(x, y, label)][2])
