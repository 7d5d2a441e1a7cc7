"""How far analysts agree: span F1 (exact and overlapping boundaries), token-level Cohen's
kappa for two analysts, Krippendorff's alpha for any number, and SOURCE-link agreement.

A token here is a word or a mark (``\\w+|[^\\w\\s]``); its value for an analyst is the
label of the innermost span of theirs that covers it, or ``O``. Per label, a token is that
label or not. An analyst who did not see an article is missing there, not ``O``. Kappa is
Cohen's (p_o - p_e) / (1 - p_e); alpha is Krippendorff's, nominal, from his coincidence
matrix; both checked against published worked examples, and alpha against the
``krippendorff`` package, in the tests.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import combinations, permutations

from tui.core.disk.article_file import Article
from tui.core.disk.storage import CorruptFileError
from tui.core.document.model import GlossError, Span
from tui.core.store.agree_digest import (
    Digest,
    FromFile,
    claim_label,
    of_article,
    sources_agree,
)
from tui.core.store.agree_digest import token_bounds as token_bounds
from tui.core.store.dataset import Dataset

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


def kept(dataset: Dataset, problems: list[str],
         progress: Callable[[int, int], None] | None = None) -> Iterator[Digest]:
    """The digest of each of ``dataset``'s articles, in the library's order: from the
    index's row when it is fresh, else from the article's file (a broken file's one-line
    error goes to ``problems``). ``progress``: (files read again, files to read)."""
    scan = dataset.index.scan(dataset, "agree", progress)
    claim = claim_label(dataset.labels)
    for found in scan:
        digest = found.payload
        if isinstance(digest, FromFile):  # a long article: its digest is not kept
            try:
                digest = of_article(dataset.article(found.id), claim)
            except CorruptFileError as exc:
                problems.append(str(exc))
                continue
            except GlossError:
                continue  # removed since the folder was listed
        yield digest
    problems.extend(scan.problems)


def agree(articles: Iterable[Article], analysts: Sequence[str], labels: Sequence[str],
          claim: str = "CLAIM") -> Report:
    """The figures of ``analysts`` over ``articles``, overall and per pair, per label,
    from each article's digest (``agree_digest.py``), worked out here."""
    return tally((of_article(article, claim) for article in articles), analysts, labels,
                 every=True)


def tally(digests: Iterable[Digest], analysts: Sequence[str] | None, labels: Sequence[str],
          every: bool = False) -> Report:
    """The figures of ``analysts`` (each once; None: every analyst who saw an article)
    over the articles of ``digests`` they all marked done (``every``: all), overall and
    per pair, per label.

    One pass, and only sums are kept of each article (memory is bounded by the largest
    digest, not by the dataset). Kappa and alpha need only how many tokens have each
    tuple of codes (one code an analyst), so the tokens are counted by the analysts who
    saw them and the labels those gave, and coded once at the end. Before every analyst
    is known, the sums are kept apart by who marked the article done."""
    wanted = None if analysts is None else list(dict.fromkeys(analysts))
    sums: dict[frozenset[str], _Sums] = {}
    found: set[tuple[str, ...]] = set()
    for digest in digests:
        if wanted is not None:
            if not every and any(digest.status.get(who) != "done" for who in wanted):
                continue
            done = frozenset()
        else:
            found.add(digest.analysts)
            done = frozenset() if every else frozenset(
                who for who, status in digest.status.items() if status == "done")
        side = sums.get(done)
        if side is None:
            side = sums[done] = _Sums(wanted)
        side.add(digest)
    if wanted is None:
        wanted = sorted({who for seen in found for who in seen})
    total = _Sums(wanted)
    for done, side in sums.items():
        if every or analysts is not None or done.issuperset(wanted):
            total.merge(side)
    return total.report(wanted, labels)


@dataclass
class _Sums:
    """The sums of the articles' digests: tokens by who saw them and the labels given,
    each analyst's spans by label, each ordered pair's matches (of ``analysts`` only,
    when given)."""

    analysts: Sequence[str] | None
    articles: int = 0
    units: Counter[tuple[tuple[str, ...], tuple[str | None, ...]]] = field(
        default_factory=Counter)
    spans: dict[str, Counter[str]] = field(default_factory=dict)
    pairs: dict[tuple[str, str], _PairCounts] = field(default_factory=dict)

    def add(self, digest: Digest) -> None:
        self.articles += 1
        seen, units, spans = digest.analysts, self.units, self.spans
        for key, count in digest.units:
            units[seen, key] += count
        for who, mine in digest.spans.items():
            if self.analysts is None or who in self.analysts:
                spans.setdefault(who, Counter()).update(mine)
        for a, b, exact, overlap, agreed, claims in digest.pairs:
            if self.analysts is None or (a in self.analysts and b in self.analysts):
                side = self.pairs.get((a, b))
                if side is None:
                    side = self.pairs[a, b] = _PairCounts()
                side.add(digest.spans.get(a, {}), digest.spans.get(b, {}), exact, overlap,
                         agreed, claims)

    def merge(self, other: _Sums) -> None:
        self.articles += other.articles
        self.units.update(other.units)
        for who, mine in other.spans.items():
            self.spans.setdefault(who, Counter()).update(mine)
        for pair, side in other.pairs.items():
            self.pairs.setdefault(pair, _PairCounts()).merge(side)

    def report(self, analysts: list[str], labels: Sequence[str]) -> Report:
        codes = {label: code for code, label in enumerate([OUTSIDE, *labels])}
        units = _coded(self.units, analysts, codes)
        report = Report(list(analysts), self.articles)
        for label in [ALL, *labels]:
            report.overall[label] = Scores(
                alpha=_alpha(_as_label(units, label, codes)),
                spans=tuple(_count_of(self.spans.get(who, {}), label) for who in analysts))
        for a, b in combinations(analysts, 2):
            side = self.pairs.get((a, b), _PairCounts())
            # a token of an article one of them did not see is missing (-1) and left out
            table = units if len(analysts) == 2 else _coded(self.units, [a, b], codes)
            by_label = {}
            for label in [ALL, *labels]:
                n_left, n_right = _count_of(side.left, label), _count_of(side.right, label)
                both = n_left + n_right
                by_label[label] = Scores(
                    exact_f1=2 * _count_of(side.exact, label) / both if both else None,
                    overlap_f1=2 * _count_of(side.overlap, label) / both if both else None,
                    kappa=_kappa(_as_label(table, label, codes)),
                    spans=(n_left, n_right))
            report.pairs[(a, b)] = by_label
            report.sources[(a, b)] = (side.agreed, side.claims)
        return report


def _coded(seen_units: Counter[tuple[tuple[str, ...], tuple[str | None, ...]]],
           analysts: Sequence[str], codes: dict[str, int]) -> Units:
    """The tokens counted by the tuple of ``analysts``' codes: a label's code (another
    label's: one past the last), 0 outside a span, -1 where the analyst did not see the
    article."""
    other = len(codes)
    out: Units = Counter()
    for (seen, key), count in seen_units.items():
        where = {who: i for i, who in enumerate(seen)}
        out[tuple(-1 if (i := where.get(who)) is None else
                  0 if (v := key[i]) is None else codes.get(v, other)
                  for who in analysts)] += count
    return out


@dataclass
class _PairCounts:
    """What two analysts' spans in the articles both saw add up to, article by article."""

    left: Counter[str] = field(default_factory=Counter)
    right: Counter[str] = field(default_factory=Counter)
    exact: Counter[str] = field(default_factory=Counter)
    overlap: Counter[str] = field(default_factory=Counter)
    agreed: int = 0
    claims: int = 0

    def add(self, left: dict[str, int], right: dict[str, int], exact: dict[str, int],
            overlap: dict[str, int], agreed: int, claims: int) -> None:
        self.left.update(left)
        self.right.update(right)
        self.exact.update(exact)
        self.overlap.update(overlap)
        self.agreed += agreed
        self.claims += claims

    def merge(self, other: _PairCounts) -> None:
        self.add(other.left, other.right, other.exact, other.overlap, other.agreed,
                 other.claims)


def _count_of(matched: dict[str, int], label: str) -> int:
    return sum(matched.values()) if label == ALL else matched.get(label, 0)


# How many tokens have each tuple of codes, one code an analyst (-1: missing)
Units = Counter[tuple[int, ...]]


def token_values(bounds: tuple[list[int], list[int]], spans: Iterable[Span],
                 codes: dict[str, int]) -> list[int]:
    """Each token's code: the label of the innermost span that covers it (all its
    characters inside the span), else ``O`` (0). A longer span is painted first, so an
    inner one is painted over it (of two as long, the later)."""
    starts, ends = bounds
    row = [0] * len(starts)
    for span in sorted(spans, key=lambda s: s.start - s.end):
        first = bisect_left(starts, span.start)
        last = bisect_right(ends, span.end)
        if last > first:
            row[first:last] = [codes.get(span.label, len(codes))] * (last - first)
    return row


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
    for key, count in sorted(units.items()):  # the sums in one order, however counted
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
    agreed = total = 0
    for article in articles:
        one, both = sources_agree(article, a, b, claim)
        agreed += one
        total += both
    return agreed, total
