"""How far analysts agree: span F1 (exact and overlapping boundaries), token-level Cohen's
kappa for two analysts, Krippendorff's alpha for any number, and SOURCE-link agreement.

Tokens are Gloss's (spaCy's rules); a token's value for an analyst is the label of the
innermost span of theirs that covers it, or ``O``. Per label, a token is that label or
not. Alpha comes from the ``krippendorff`` package (nominal data; an analyst who did not
see an article is missing there, not ``O``); kappa is Cohen's own formula,
(p_o - p_e) / (1 - p_e), checked against worked examples in the tests.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import combinations

from tui.core.article_file import Article
from tui.core.canonical import bare_name
from tui.core.model import Span
from tui.core.schema import SOURCE
from tui.core.tokens import tokenize

OUTSIDE = "O"
ALL = "(all)"


@dataclass(slots=True)
class Scores:
    """The agreement of one pair of analysts (or of all, for alpha) on one label."""

    exact_f1: float | None = None
    overlap_f1: float | None = None
    kappa: float | None = None
    alpha: float | None = None
    spans: tuple[int, ...] = ()  # how many spans each analyst made


@dataclass(slots=True)
class Report:
    analysts: list[str]
    articles: int
    pairs: dict[tuple[str, str], dict[str, Scores]] = field(default_factory=dict)
    overall: dict[str, Scores] = field(default_factory=dict)
    sources: dict[tuple[str, str], tuple[int, int]] = field(default_factory=dict)

    def to_json(self) -> dict[str, object]:
        def scores(by_label: dict[str, Scores]) -> dict[str, object]:
            return {label: {k: _round(getattr(s, k)) for k in
                            ("exact_f1", "overlap_f1", "kappa", "alpha")} | {
                                "spans": list(s.spans)} for label, s in by_label.items()}

        return {"analysts": self.analysts, "articles": self.articles,
                "overall": scores(self.overall),
                "pairs": [{"analysts": list(pair), "labels": scores(by_label),
                           "source_links": {"claims": self.sources[pair][1],
                                            "agree": self.sources[pair][0]}}
                          for pair, by_label in self.pairs.items()]}


def _round(value: float | None) -> float | None:
    return None if value is None or math.isnan(value) else round(value, 4)


def analysts_of(articles: Iterable[Article]) -> list[str]:
    found: set[str] = set()
    for article in articles:
        found.update(s.annotator for s in article.spans)
        found.update(article.status)
    return sorted(found)


def compared(articles: Iterable[Article], analysts: Sequence[str], every: bool = False
             ) -> list[Article]:
    """The articles to compare: those every analyst marked done (``every``: all)."""
    return [a for a in articles
            if every or all(a.status.get(who) == "done" for who in analysts)]


def agree(articles: Sequence[Article], analysts: Sequence[str], labels: Sequence[str],
          claim: str = "CLAIM") -> Report:
    report = Report(list(analysts), len(articles))
    spans = {who: [[s for s in a.spans if s.annotator == who] for a in articles]
             for who in analysts}
    seen = {who: [bool(spans[who][i]) or who in a.status for i, a in enumerate(articles)]
            for who in analysts}
    tokens = [[(t.start, t.end) for t in tokenize(a.document.text) if not t.text.isspace()]
              for a in articles]
    values = {who: [token_values(tokens[i], spans[who][i]) if seen[who][i] else None
                    for i in range(len(articles))] for who in analysts}
    for label in [ALL, *labels]:
        report.overall[label] = Scores(
            alpha=alpha([_flat(values[who], label, tokens) for who in analysts]),
            spans=tuple(_count(spans[who], label) for who in analysts))
    for a, b in combinations(analysts, 2):
        both = [i for i in range(len(articles)) if seen[a][i] and seen[b][i]]
        by_label = {}
        for label in [ALL, *labels]:
            left = [s for i in both for s in _labelled(spans[a][i], label, i)]
            right = [s for i in both for s in _labelled(spans[b][i], label, i)]
            by_label[label] = Scores(
                exact_f1=f1(left, right, exact=True), overlap_f1=f1(left, right, exact=False),
                kappa=kappa(*(_flat([values[who][i] for i in both], label,
                                    [tokens[i] for i in both]) for who in (a, b))),
                spans=(len(left), len(right)))
        report.pairs[(a, b)] = by_label
        report.sources[(a, b)] = source_agreement([articles[i] for i in both], a, b, claim)
    return report


def token_values(tokens: list[tuple[int, int]], spans: list[Span]) -> list[str]:
    """Each token's label: that of the innermost span covering it, else ``O``."""
    out = [OUTSIDE] * len(tokens)
    length = [math.inf] * len(tokens)
    starts = [start for start, _ in tokens]
    for span in spans:
        for i in range(bisect_left(starts, span.start), len(tokens)):
            start, end = tokens[i]
            if start >= span.end:
                break
            if end <= span.end and len(span) < length[i]:
                out[i], length[i] = span.label, len(span)
    return out


def _flat(per_article: Sequence[list[str] | None], label: str,
          tokens: Sequence[list[tuple[int, int]]]) -> list[str | None]:
    """One analyst's values over every token of every article (None: not seen); for one
    label, whether the token is that label."""
    out: list[str | None] = []
    for i, values in enumerate(per_article):
        if values is None:
            out += [None] * len(tokens[i])
        elif label == ALL:
            out += values
        else:
            out += [str(value == label) for value in values]
    return out


def _labelled(spans: list[Span], label: str, article: int) -> list[tuple[int, int, int, str]]:
    return [(article, s.start, s.end, s.label) for s in spans
            if label == ALL or s.label == label]


def _count(per_article: list[list[Span]], label: str) -> int:
    return sum(1 for spans in per_article for s in spans if label == ALL or s.label == label)


def f1(left: list[tuple[int, int, int, str]], right: list[tuple[int, int, int, str]],
       exact: bool) -> float | None:
    """Span F1 of two analysts: 2 x matched / (spans of both). Exact: same article, start,
    end and label; else same label and overlapping, each span matched at most once."""
    if not left and not right:
        return None
    if exact:
        matched = len(set(left) & set(right))
    else:
        free = sorted(right)
        matched = 0
        for doc, start, end, label in sorted(left):
            hit = next((k for k, (d, s, e, lab) in enumerate(free)
                        if d == doc and lab == label and s < end and start < e), None)
            if hit is not None:
                free.pop(hit)
                matched += 1
    return 2 * matched / (len(left) + len(right))


def kappa(left: Sequence[str | None], right: Sequence[str | None]) -> float | None:
    """Cohen's kappa over the units both coded."""
    pairs = [(x, y) for x, y in zip(left, right, strict=True)
             if x is not None and y is not None]
    if not pairs:
        return None
    n = len(pairs)
    observed = sum(x == y for x, y in pairs) / n
    categories = {x for x, _ in pairs} | {y for _, y in pairs}
    expected = sum((sum(x == c for x, _ in pairs) / n) * (sum(y == c for _, y in pairs) / n)
                   for c in categories)
    if expected == 1:
        return 1.0 if observed == 1 else None
    return (observed - expected) / (1 - expected)


def alpha(coders: Sequence[Sequence[str | None]]) -> float | None:
    """Krippendorff's alpha, nominal, over units (None: missing), from the package."""
    import krippendorff
    import numpy as np

    codes: dict[str, int] = {}
    data = np.array([[np.nan if v is None else codes.setdefault(v, len(codes))
                      for v in values] for values in coders], dtype=float)
    if len(coders) < 2 or data.size == 0 or len(codes) < 2:
        return None  # every value the same (or nothing coded): alpha is not defined
    pairable = data[:, (~np.isnan(data)).sum(axis=0) >= 2]
    if len(np.unique(pairable[~np.isnan(pairable)])) < 2:
        return None  # one value among the units two coders saw: alpha is not defined
    return float(krippendorff.alpha(reliability_data=pairable,
                                    level_of_measurement="nominal"))


def source_agreement(articles: Sequence[Article], a: str, b: str, claim: str = "CLAIM"
                     ) -> tuple[int, int]:
    """(claims whose sources agree, claims both analysts labelled with the same extent):
    both with no source, or sources that overlap or share their name."""
    agree_count = total = 0
    for article in articles:
        spans = {s.id: s for s in article.spans}
        sources = {r.head: spans[r.child] for r in article.relations
                   if r.label == SOURCE and r.child in spans}
        claims = {who: {(s.start, s.end): s for s in article.spans
                        if s.annotator == who and s.label == claim} for who in (a, b)}
        for extent in claims[a].keys() & claims[b].keys():
            total += 1
            left, right = sources.get(claims[a][extent].id), sources.get(claims[b][extent].id)
            agree_count += (left is None and right is None) or (
                left is not None and right is not None and _same_actor(left, right))
    return agree_count, total


def _same_actor(x: Span, y: Span) -> bool:
    if x.start < y.end and y.start < x.end:
        return True
    names = [s.attribute("canonical") or bare_name(s.text) for s in (x, y)]
    return names[0].casefold() == names[1].casefold()
