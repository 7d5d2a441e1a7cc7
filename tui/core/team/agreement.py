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
from typing import TypeVar

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
K = TypeVar("K")


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
    everyone: set[str] = set()  # every analyst found so far
    for digest in digests:
        status = digest.status
        if wanted is not None:
            if not every and any(status.get(who) != "done" for who in wanted):
                continue
            done: frozenset[str] = frozenset()
        else:
            if digest.analysts not in found:
                found.add(digest.analysts)
                everyone.update(digest.analysts)
            if every:
                done = frozenset()
            elif any(status.get(who) != "done" for who in everyone):
                continue  # not done by an analyst found already: never compared
            else:
                done = frozenset(who for who, mark in status.items() if mark == "done")
        side = sums.get(done)
        if side is None:
            side = sums[done] = _Sums(None if wanted is None else set(wanted))
        side.add(digest)
    if wanted is None:
        wanted = sorted(everyone)
    total = _Sums(None)
    for done, side in sums.items():
        if every or analysts is not None or done.issuperset(wanted):
            total.merge(side)
    return total.report(wanted, labels)


_Seen = tuple[str, ...]  # who saw an article, by name


@dataclass
class _Sums:
    """The sums of the articles' digests, each kept by who saw the article: tokens by
    the labels given, each analyst's spans by label; and each ordered pair's matches by
    label, claims whose sources agree and claims (of ``analysts`` only, when given)."""

    analysts: set[str] | None
    articles: int = 0
    units: dict[tuple[_Seen, tuple[str | None, ...]], int] = field(default_factory=dict)
    spans: dict[tuple[_Seen, str, str], int] = field(default_factory=dict)
    exact: dict[tuple[str, str, str], int] = field(default_factory=dict)
    overlap: dict[tuple[str, str, str], int] = field(default_factory=dict)
    sources: dict[tuple[str, str], tuple[int, int]] = field(default_factory=dict)

    def add(self, digest: Digest) -> None:
        """Add one article's digest: plain dict sums (``Counter.update`` checks each
        argument's type, which cost more than the sums)."""
        self.articles += 1
        mine = self.analysts
        seen = digest.analysts
        units, spans = self.units, self.spans
        for key, count in digest.units:
            units[seen, key] = units.get((seen, key), 0) + count
        for who, by_label in digest.spans.items():
            if mine is None or who in mine:
                for label, count in by_label.items():
                    spans[seen, who, label] = spans.get((seen, who, label), 0) + count
        exact, overlap, sources = self.exact, self.overlap, self.sources
        for a, b, exactly, overlapping, agreed, claims in digest.pairs:
            if mine is not None and (a not in mine or b not in mine):
                continue
            for label, count in exactly.items():
                exact[a, b, label] = exact.get((a, b, label), 0) + count
            for label, count in overlapping.items():
                overlap[a, b, label] = overlap.get((a, b, label), 0) + count
            before = sources.get((a, b), (0, 0))
            sources[a, b] = (before[0] + agreed, before[1] + claims)

    def merge(self, other: _Sums) -> None:
        self.articles += other.articles
        _add_into(self.units, other.units)
        _add_into(self.spans, other.spans)
        _add_into(self.exact, other.exact)
        _add_into(self.overlap, other.overlap)
        for pair, (agreed, claims) in other.sources.items():
            before = self.sources.get(pair, (0, 0))
            self.sources[pair] = (before[0] + agreed, before[1] + claims)

    def spans_of(self, who: str, other: str | None = None) -> Counter[str]:
        """``who``'s spans by label (in the articles ``other`` saw too, when given)."""
        out: Counter[str] = Counter()
        for (seen, name, label), count in self.spans.items():
            if name == who and (other is None or other in seen):
                out[label] += count
        return out

    def report(self, analysts: list[str], labels: Sequence[str]) -> Report:
        codes = {label: code for code, label in enumerate([OUTSIDE, *labels])}
        units = _coded(self.units, analysts, codes)
        report = Report(list(analysts), self.articles)
        for label in [ALL, *labels]:
            report.overall[label] = Scores(
                alpha=_alpha(_as_label(units, label, codes)),
                spans=tuple(_count_of(self.spans_of(who), label) for who in analysts))
        for a, b in combinations(analysts, 2):
            left, right = self.spans_of(a, b), self.spans_of(b, a)
            exact = Counter({k[2]: n for k, n in self.exact.items() if k[:2] == (a, b)})
            overlap = Counter({k[2]: n for k, n in self.overlap.items() if k[:2] == (a, b)})
            # a token of an article one of them did not see is missing (-1) and left out
            table = units if len(analysts) == 2 else _coded(self.units, [a, b], codes)
            by_label = {}
            for label in [ALL, *labels]:
                n_left, n_right = _count_of(left, label), _count_of(right, label)
                both = n_left + n_right
                by_label[label] = Scores(
                    exact_f1=2 * _count_of(exact, label) / both if both else None,
                    overlap_f1=2 * _count_of(overlap, label) / both if both else None,
                    kappa=_kappa(_as_label(table, label, codes)),
                    spans=(n_left, n_right))
            report.pairs[(a, b)] = by_label
            report.sources[(a, b)] = self.sources.get((a, b), (0, 0))
        return report


def _add_into(sums: dict[K, int], more: dict[K, int]) -> None:
    for key, count in more.items():
        sums[key] = sums.get(key, 0) + count


def _coded(seen_units: dict[tuple[_Seen, tuple[str | None, ...]], int],
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
