"""Gloss's agreement figures as they were worked out before the index kept a digest of
each article (every article's text tokenized and its spans painted at each ``gloss
agree``), kept verbatim from then: the oracle the digests are checked against."""
from __future__ import annotations

import math
import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import combinations, permutations

from tui.core.attribution.claims import same_source
from tui.core.disk.article_file import Article
from tui.core.document.model import Span
from tui.core.document.schema import SOURCE
from tui.core.document.span_match import Extent, matches

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
        found.update(row["annotator"] for row in article.span_rows)
        found.update(article.status)
    return sorted(found)


def compared(articles: Iterable[Article], analysts: Sequence[str], every: bool = False
             ) -> Iterator[Article]:
    """The articles to compare, as they come: those every analyst marked done (``every``:
    all)."""
    return (a for a in articles
            if every or all(a.status.get(who) == "done" for who in analysts))


# One analyst's span in the figures: (article index, start, end, label)


def agree(articles: Iterable[Article], analysts: Sequence[str], labels: Sequence[str],
          claim: str = "CLAIM") -> Report:
    """The figures of ``analysts`` over ``articles``, overall and per pair, per label.

    The articles are taken one at a time and only counts are kept of each (memory is
    bounded by the largest article, not by the dataset), from the checked span rows,
    never a Span object each. Kappa and alpha need only how many tokens have each tuple
    of codes (one code an analyst), so the tokens are counted by that tuple, and every
    label's figures come from those counts."""
    codes = {label: code for code, label in enumerate([OUTSIDE, *labels])}
    pairs = list(combinations(analysts, 2))
    units: Units = Counter()
    tables: dict[tuple[str, str], Units] = {pair: Counter() for pair in pairs
                                            if len(analysts) != 2}
    counted: dict[str, Counter[str]] = {who: Counter() for who in analysts}
    sides = {pair: _PairCounts() for pair in pairs}
    n = 0
    for article in articles:
        n += 1
        bounds = token_bounds(article.document.text)
        spans: dict[str, list[Extent]] = {who: [] for who in analysts}
        for row in article.span_rows:
            side = spans.get(row["annotator"])
            if side is not None:
                side.append((0, row["start"], row["end"], row["label"]))
        seen = {who: who in article.status or bool(spans[who]) for who in analysts}
        values = {who: _token_codes([bounds], spans[who], [seen[who]], codes)
                  for who in analysts}
        units.update(zip(*(values[who] for who in analysts), strict=True))
        for who in analysts:
            counted[who].update(extent[3] for extent in spans[who])
        for a, b in pairs:
            if (a, b) in tables:
                tables[(a, b)].update(zip(values[a], values[b], strict=True))
            if seen[a] and seen[b]:
                sides[(a, b)].add(article, spans[a], spans[b], a, b, claim)
    report = Report(list(analysts), n)
    for label in [ALL, *labels]:
        report.overall[label] = Scores(
            alpha=_alpha(_as_label(units, label, codes)),
            spans=tuple(_count_of(counted[who], label) for who in analysts))
    for (a, b), side in sides.items():
        # a token of an article one of them did not see is missing (-1) and left out
        table = tables.get((a, b), units)
        by_label = {}
        for label in [ALL, *labels]:
            n_left, n_right = _count_of(side.left, label), _count_of(side.right, label)
            total = n_left + n_right
            by_label[label] = Scores(
                exact_f1=2 * _count_of(side.exact, label) / total if total else None,
                overlap_f1=2 * _count_of(side.overlap, label) / total if total else None,
                kappa=_kappa(_as_label(table, label, codes)),
                spans=(n_left, n_right))
        report.pairs[(a, b)] = by_label
        report.sources[(a, b)] = (side.agreed, side.claims)
    return report


@dataclass
class _PairCounts:
    """What two analysts' spans in the articles both saw add up to, article by article."""

    left: Counter[str] = field(default_factory=Counter)
    right: Counter[str] = field(default_factory=Counter)
    exact: Counter[str] = field(default_factory=Counter)
    overlap: Counter[str] = field(default_factory=Counter)
    agreed: int = 0
    claims: int = 0

    def add(self, article: Article, left: list[Extent], right: list[Extent], a: str,
            b: str, claim: str) -> None:
        exact, overlap = matches(left, right)
        self.exact.update(exact)
        self.overlap.update(overlap)
        self.left.update(extent[3] for extent in left)
        self.right.update(extent[3] for extent in right)
        # a claim in an article without SOURCE links agrees (no source on either side):
        # only the linked articles are looked at claim by claim
        if any(r.label == SOURCE for r in article.relations):
            agreed, claims = source_agreement([article], a, b, claim)
        else:
            common = {s[:3] for s in left if s[3] == claim} & {s[:3] for s in right
                                                               if s[3] == claim}
            agreed = claims = len(common)
        self.agreed += agreed
        self.claims += claims


def _per_label(extents: list[Extent]) -> dict[str, int]:
    return dict(Counter(extent[3] for extent in extents))


def _count_of(matched: dict[str, int], label: str) -> int:
    return sum(matched.values()) if label == ALL else matched.get(label, 0)


_TOKEN = re.compile(r"\w+|[^\w\s]")

# How many tokens have each tuple of codes, one code an analyst (-1: missing)
Units = Counter[tuple[int, ...]]


def token_bounds(text: str) -> tuple[list[int], list[int]]:
    """The (starts, ends) of the text's tokens for agreement: words and marks."""
    spans = [match.span() for match in _TOKEN.finditer(text)]
    return [start for start, _ in spans], [end for _, end in spans]


def token_values(bounds: tuple[list[int], list[int]], spans: Iterable[Span],
                 codes: dict[str, int]) -> list[int]:
    """Each token's code: the label of the innermost span that covers it (all its
    characters inside the span), else ``O`` (0)."""
    extents = [(0, s.start, s.end, s.label) for s in spans]
    return _token_codes([bounds], extents, [True], codes)


def _token_codes(bounds: Sequence[tuple[list[int], list[int]]], extents: Sequence[Extent],
                 seen: Sequence[bool], codes: dict[str, int]) -> list[int]:
    """One analyst's code for every token of every article, one article after another:
    -1 in an article they did not see. ``extents`` are in each article's order; a longer
    span is painted first, so an inner one is painted over it (of two as long, the later)."""
    by_article: dict[int, list[Extent]] = {}
    for extent in extents:
        by_article.setdefault(extent[0], []).append(extent)
    out: list[int] = []
    for i, (starts, ends) in enumerate(bounds):
        if not seen[i]:
            out += [-1] * len(starts)
            continue
        row = [0] * len(starts)
        for _, start, end, label in sorted(by_article.get(i, ()), key=lambda e: e[1] - e[2]):
            first = bisect_left(starts, start)
            last = bisect_right(ends, end)
            if last > first:
                row[first:last] = [codes.get(label, len(codes))] * (last - first)
        out += row
    return out


def _as_label(units: Units, label: str, codes: dict[str, int]) -> Units:
    """The counts as they are (every label), or with each code 1 (this label) or 0; -1
    stays missing."""
    if label == ALL:
        return units
    code = codes[label]
    out: Units = Counter()
    for key, count in units.items():
        out[tuple(-1 if v < 0 else int(v == code) for v in key)] += count
    return out


def _kappa(table: Units) -> float | None:
    """Cohen's kappa from the counts of (left, right) code pairs (-1: missing)."""
    rows: Counter[int] = Counter()
    columns: Counter[int] = Counter()
    agreed = 0
    for (left, right), count in table.items():
        if left >= 0 and right >= 0:
            rows[left] += count
            columns[right] += count
            agreed += count if left == right else 0
    n = rows.total()
    if not n:
        return None
    observed = agreed / n
    expected = sum(rows[code] * columns[code] for code in rows) / (n * n)
    if expected == 1:
        return 1.0 if observed == 1 else None
    return (observed - expected) / (1 - expected)


def _encoded(coders: Sequence[Sequence[str | None]]) -> Units:
    codes: dict[str, int] = {}
    return Counter(zip(*([-1 if v is None else codes.setdefault(v, len(codes)) for v in side]
                         for side in coders), strict=True))


def kappa(left: Sequence[str | None], right: Sequence[str | None]) -> float | None:
    """Cohen's kappa over the units both coded (values of any kind; None: missing)."""
    return _kappa(_encoded([left, right]))


def alpha(coders: Sequence[Sequence[str | None]]) -> float | None:
    """Krippendorff's alpha, nominal, over units (None: missing)."""
    return _alpha(_encoded(coders))


def _alpha(units: Units) -> float | None:
    """Krippendorff's alpha (nominal) from how many units have each tuple of codes, one
    code a coder (-1: missing).

    From the coincidence matrix, as Krippendorff (2011) computes it: a unit coded by m_u
    coders adds n_uc n_uk / (m_u - 1) to o_ck (c != k) and n_uc (n_uc - 1) / (m_u - 1) to
    o_cc; then alpha = 1 - (n - 1) * (sum of o_ck, c != k) / (sum of n_c n_k, c != k).
    Checked against his worked example and against the ``krippendorff`` package in the
    tests. The ordered pairs of values are counted as integers for each m_u and divided
    once: a pair of analysts over 2,000 articles is 800,000 units, but a few distinct tuples.
    """
    pairs: dict[int, Counter[tuple[int, int]]] = {}
    for key, count in units.items():
        coded = [v for v in key if v >= 0]
        if len(coded) < 2:
            continue  # a unit one coder saw tells nothing of agreement
        mine = pairs.setdefault(len(coded), Counter())
        for c, k in permutations(coded, 2):
            mine[c, k] += count
    coincidences: dict[tuple[int, int], float] = {}
    for coders, counted in pairs.items():
        for cell, count in counted.items():
            coincidences[cell] = coincidences.get(cell, 0.0) + count / (coders - 1)
    totals: dict[int, float] = {}
    for (c, _), value in coincidences.items():
        totals[c] = totals.get(c, 0.0) + value
    n = sum(totals.values())
    expected = n * n - sum(total * total for total in totals.values())
    if not coincidences or expected == 0:
        return None  # one value among the units two coders saw: alpha is not defined
    observed = n - sum(value for (c, k), value in coincidences.items() if c == k)
    return 1 - (n - 1) * observed / expected


def source_agreement(articles: Sequence[Article], a: str, b: str, claim: str = "CLAIM"
                     ) -> tuple[int, int]:
    """(claims whose sources agree, claims both analysts labelled with the same extent),
    sources compared as the review compares them (``claims.same_source``)."""
    agree_count = total = 0
    for article in articles:
        rows = article.span_rows  # a Span made only for a source compared
        claims: dict[str, dict[tuple[int, int], str]] = {a: {}, b: {}}
        for row in rows:
            mine = claims.get(row["annotator"])
            if mine is not None and row["label"] == claim:
                mine.setdefault((row["start"], row["end"]), row["id"])
        both = claims[a].keys() & claims[b].keys()
        if not both:
            continue
        by_id = {row["id"]: row for row in rows}
        sources = {r.head: r.child for r in article.relations
                   if r.label == SOURCE and r.child in by_id}
        for extent in both:
            total += 1
            sides = []
            for who in (a, b):
                row = by_id[claims[who][extent]]
                source = sources.get(row["id"])
                sides += [row.get("attributes", {}).get("source_kind"),
                          Span.from_record(by_id[source]) if source else None]
            agree_count += same_source(*sides)
    return agree_count, total


