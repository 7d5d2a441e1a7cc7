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
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

from tui.core.article_file import Article
from tui.core.canonical import bare_name
from tui.core.model import Span
from tui.core.schema import SOURCE

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
    import numpy as np

    report = Report(list(analysts), len(articles))
    codes = {label: code for code, label in enumerate([OUTSIDE, *labels])}
    bounds = [token_bounds(a.document.text) for a in articles]
    spans = {who: [[s for s in a.spans if s.annotator == who] for a in articles]
             for who in analysts}
    seen = {who: np.array([bool(spans[who][i]) or who in a.status
                           for i, a in enumerate(articles)], dtype=bool) for who in analysts}
    sizes = np.array([len(b[0]) for b in bounds], dtype=np.int64)
    values = {who: np.concatenate([token_values(bounds[i], spans[who][i], codes)
                                   if seen[who][i] else np.full(sizes[i], -1)
                                   for i in range(len(articles))] or [np.zeros(0, int)])
              for who in analysts}
    for label in [ALL, *labels]:
        report.overall[label] = Scores(
            alpha=alpha_of([_as_label(values[who], label, codes) for who in analysts]),
            spans=tuple(_count(spans[who], label) for who in analysts))
    for a, b in combinations(analysts, 2):
        both = seen[a] & seen[b]
        mask = np.repeat(both, sizes)
        by_label = {}
        for label in [ALL, *labels]:
            left = [s for i in np.flatnonzero(both) for s in _labelled(spans[a][i], label, i)]
            right = [s for i in np.flatnonzero(both) for s in _labelled(spans[b][i], label, i)]
            by_label[label] = Scores(
                exact_f1=f1(left, right, exact=True), overlap_f1=f1(left, right, exact=False),
                kappa=kappa_of(_as_label(values[a][mask], label, codes),
                               _as_label(values[b][mask], label, codes)),
                spans=(len(left), len(right)))
        report.pairs[(a, b)] = by_label
        report.sources[(a, b)] = source_agreement(
            [articles[i] for i in np.flatnonzero(both)], a, b, claim)
    return report


_TOKEN = re.compile(r"\w+|[^\w\s]")


def token_bounds(text: str) -> tuple[list[int], list[int]]:
    """The (starts, ends) of the text's tokens for agreement: words and marks."""
    spans = [match.span() for match in _TOKEN.finditer(text)]
    return [start for start, _ in spans], [end for _, end in spans]


def token_values(bounds: tuple[list[int], list[int]], spans: list[Span],
                 codes: dict[str, int]) -> Any:
    """Each token's code: the label of the innermost span that covers it, else ``O`` (0).
    A span longer than another is drawn first, so the inner one is drawn over it."""
    import numpy as np

    starts, ends = bounds
    out = np.zeros(len(starts), dtype=np.int64)
    for span in sorted(spans, key=len, reverse=True):
        first = bisect_left(starts, span.start)
        last = bisect_right(ends, span.end)
        if last > first:
            out[first:last] = codes.get(span.label, len(codes))
    return out


def _as_label(values: Any, label: str, codes: dict[str, int]) -> Any:
    """The codes as they are (every label), or 1 / 0 for this label; -1 stays missing."""
    if label == ALL:
        return values
    return (values == codes[label]).astype(values.dtype) - (values < 0) * 2


def kappa_of(left: Any, right: Any) -> float | None:
    """Cohen's kappa of two code arrays (-1: missing), by their confusion matrix."""
    import numpy as np

    both = (left >= 0) & (right >= 0)
    left, right = left[both], right[both]
    if not len(left):
        return None
    size = int(max(left.max(), right.max())) + 1
    table = np.bincount(left * size + right, minlength=size * size).reshape(size, size)
    n = table.sum()
    observed = np.trace(table) / n
    expected = float((table.sum(axis=1) * table.sum(axis=0)).sum()) / (n * n)
    if expected == 1:
        return 1.0 if observed == 1 else None
    return float((observed - expected) / (1 - expected))


def alpha_of(coders: Sequence[Any]) -> float | None:
    """Krippendorff's alpha of code arrays (-1: missing)."""
    import numpy as np

    return _alpha(np.array(coders, dtype=float) if coders else np.zeros((0, 0)))


def _count(per_article: list[list[Span]], label: str) -> int:
    return sum(1 for spans in per_article for s in spans if label == ALL or s.label == label)


def _labelled(spans: list[Span], label: str, article: int) -> list[tuple[int, int, int, str]]:
    return [(article, s.start, s.end, s.label) for s in spans
            if label == ALL or s.label == label]


def f1(left: list[tuple[int, int, int, str]], right: list[tuple[int, int, int, str]],
       exact: bool) -> float | None:
    """Span F1 of two analysts: 2 x matched / (spans of both). Exact: same article, start,
    end and label; else same label and overlapping, each span matched at most once."""
    if not left and not right:
        return None
    if exact:
        matched = len(set(left) & set(right))
    else:
        groups: dict[tuple[int, str], list[tuple[int, int]]] = {}
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


def kappa(left: Sequence[str | None], right: Sequence[str | None]) -> float | None:
    """Cohen's kappa over the units both coded (values of any kind; None: missing)."""
    import numpy as np

    codes: dict[str, int] = {}
    encode = [np.array([-1 if v is None else codes.setdefault(v, len(codes)) for v in side])
              for side in (left, right)]
    return kappa_of(*encode)


def alpha(coders: Sequence[Sequence[str | None]]) -> float | None:
    """Krippendorff's alpha, nominal, over units (None: missing)."""
    import numpy as np

    codes: dict[str, int] = {}
    return _alpha(np.array([[np.nan if v is None else codes.setdefault(v, len(codes))
                             for v in values] for values in coders], dtype=float))


def _alpha(data: Any) -> float | None:
    """Krippendorff's alpha (nominal) of a coders x units array (nan or < 0: missing).

    From the coincidence matrix, as Krippendorff (2011) computes it: a unit coded by m_u
    coders adds n_uc n_uk / (m_u - 1) to o_ck (c != k) and n_uc (n_uc - 1) / (m_u - 1) to
    o_cc; then alpha = 1 - (n - 1) * (sum of o_ck, c != k) / (sum of n_c n_k, c != k).
    Checked against his worked example and against the ``krippendorff`` package in the
    tests; written with numpy over all units at once, since a pair of analysts over 2,000
    articles is 800,000 units (the package took a third of a second a label).
    """
    import numpy as np

    if data.ndim != 2 or data.shape[0] < 2 or data.size == 0:
        return None
    data = np.where(np.isnan(data), -1, data).astype(np.int64)
    size = int(data.max()) + 1
    if size < 1:
        return None
    counts = np.zeros((data.shape[1], size + 1), dtype=np.float64)  # last column: missing
    for row in data:
        counts[np.arange(data.shape[1]), np.where(row < 0, size, row)] += 1
    counts = counts[:, :size]
    coders = counts.sum(axis=1)
    counts, coders = counts[coders >= 2], coders[coders >= 2]
    if not len(counts):
        return None
    weights = 1.0 / (coders - 1)
    coincidences = (counts * weights[:, None]).T @ counts
    coincidences -= np.diag((counts * weights[:, None]).sum(axis=0))
    totals = coincidences.sum(axis=1)
    n = totals.sum()
    expected = n * n - (totals * totals).sum()
    if expected == 0:
        return None  # one value among the units two coders saw: alpha is not defined
    observed = n - np.trace(coincidences)
    return float(1 - (n - 1) * observed / expected)


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


def article_agreement(rows: Iterable[dict[str, Any]], status: dict[str, str],
                      pair: Sequence[str]) -> float | None:
    """The library's figure for one article: span F1 with overlapping boundaries between
    the two analysts of ``pair``, from the article's span rows, once both have marked it
    done (as `gloss agree` compares only those); None before that."""
    if len(pair) < 2 or any(status.get(who) != "done" for who in pair[:2]):
        return None
    sides: dict[str, list[tuple[int, int, int, str]]] = {pair[0]: [], pair[1]: []}
    for row in rows:
        side = sides.get(row["annotator"])
        if side is not None:
            side.append((0, row["start"], row["end"], row["label"]))
    return f1(sides[pair[0]], sides[pair[1]], exact=False)
