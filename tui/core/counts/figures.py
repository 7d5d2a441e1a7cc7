"""The figures of a dataset: how far the work is, each label's share, how spans spread over
the articles, how many spans each analyst labels an hour, and which claims have a source.

Shared by the stats screen, ``gloss stats --plot`` and ``gloss stats --format json``, and
counted from an article's checked span rows, never from ``Span`` objects (150,000 of them
cost more than reading the files). Each article is counted once into an
:class:`ArticleCounts`, which ``tui/core/store/tally.py`` keeps by file, so that counting again
reads only the files that changed; articles counted alike are added once (``grouped``).
No Textual, no Rich.
"""

from __future__ import annotations

import heapq
import statistics
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from itertools import compress, repeat
from operator import itemgetter
from typing import Any

from tui.core.disk.article_file import Article
from tui.core.document.edits import cut
from tui.core.document.model import STATUSES, LabelSet
from tui.core.document.schema import SOURCE
from tui.core.document.suggestion import SUGGEST_SOURCE

TODO = "todo"
HEAVY = 2  # an article with more than twice the median number of spans is unbalanced
HOURS_SHOWN = 14 * 24  # the plot of spans an hour shows the last two weeks of work
_LABEL = itemgetter("label")
_ANALYST = itemgetter("annotator")
_SOURCE = itemgetter("source")
_CREATED = itemgetter("created")
_HOUR = itemgetter(slice(0, 13))  # "2026-03-02T08" of "2026-03-02T08:41:07.123+00:00"
_MADE_HERE = "gloss".__eq__  # a span labelled in Gloss, not imported


@dataclass(slots=True)
class ArticleCounts:
    """What one article adds to the figures, counted in C (``Counter`` over ``map`` and
    ``itemgetter``): small enough to keep for every article, and between sessions."""

    id: str
    title: str
    added: int
    status: dict[str, str]  # analyst: status
    spans: int
    labels: dict[str, int]  # label: spans
    analysts: dict[str, int]  # analyst: spans
    hours: list[tuple[str, str, int]]  # (analyst, "YYYY-MM-DDTHH" UTC, spans labelled in
    # Gloss, not imported, that hour)
    claims: list[tuple[str, int, int]]  # (analyst, claims with a source, without)
    # (origin, spans accepted from that kind of suggestion, spans `gloss suggest` wrote):
    # only the origins other than typed
    origins: list[tuple[str, int, int]] = field(default_factory=list)


def count(article: Article, claim_labels: frozenset[str]) -> ArticleCounts:
    """One article's counts, from its checked rows."""
    rows = article.span_rows
    labels = Counter(map(_LABEL, rows))
    hours = Counter(compress(zip(map(_ANALYST, rows), map(_HOUR, map(_CREATED, rows)),
                                 strict=True), map(_MADE_HERE, map(_SOURCE, rows))))
    claims: dict[str, list[int]] = {}
    if not claim_labels.isdisjoint(labels):
        sourced = {r.head for r in article.relations if r.label == SOURCE}
        for row in compress(rows, map(claim_labels.__contains__, map(_LABEL, rows))):
            has = row["id"] in sourced or "source_kind" in row.get("attributes", ())
            claims.setdefault(row["annotator"], [0, 0])[0 if has else 1] += 1
    origins: dict[str, list[int]] = {}
    for row in compress(rows, map(dict.__contains__, rows, repeat("origin"))):
        # a span from a suggestion: accepted by an analyst, or written by `gloss suggest`
        origins.setdefault(row["origin"], [0, 0])[row["source"] == SUGGEST_SOURCE] += 1
    document = article.document
    return ArticleCounts(document.id, document.title, article.added, dict(article.status),
                         len(rows), dict(labels), dict(Counter(map(_ANALYST, rows))),
                         [(who, hour, n) for (who, hour), n in hours.items()],
                         [(who, a, b) for who, (a, b) in claims.items()],
                         [(kind, a, b) for kind, (a, b) in origins.items()])


def claim_labels(labels: LabelSet) -> frozenset[str]:
    """The labels whose spans are claims: those of the set a SOURCE link goes from."""
    return frozenset(r.head for r in labels.relations
                     if r.name == SOURCE and labels.get(r.head) is not None)


@dataclass(frozen=True, slots=True)
class Bin:
    low: int  # spans, inclusive
    high: int  # spans, inclusive
    articles: int


@dataclass(slots=True)
class Figures:
    """The figures of one dataset, as the plots, the numbers and the JSON show them."""

    folder: str
    analyst: str  # who is looking: always in the progress, even before a first label
    articles: int = 0
    spans: int = 0
    progress: dict[str, dict[str, int]] = field(default_factory=dict)
    labels: dict[str, int] = field(default_factory=dict)
    analysts: dict[str, int] = field(default_factory=dict)  # spans of each analyst
    # Spans of each article; for a team (an article with two analysts' spans or more),
    # of each analyst's version of each article: 48 spans of three analysts' 18, 18 and
    # 12 are three versions, not one article of 48
    per_article: list[int] = field(default_factory=list)
    heaviest: list[tuple[str, str, int]] = field(default_factory=list)  # id, title, spans
    per_analyst: bool = False  # per_article counts each analyst's version
    hours: dict[str, dict[str, int]] = field(default_factory=dict)  # analyst: hour: spans
    claims: dict[str, tuple[int, int]] = field(default_factory=dict)  # sourced, to do
    claim_labels: tuple[str, ...] = ()
    # origin: (spans analysts accepted from that kind of suggestion, spans `gloss suggest`
    # wrote); the rest were typed
    origins: dict[str, tuple[int, int]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    # -- what the numbers beside the plots say ---------------------------------------

    @property
    def median(self) -> float:
        return statistics.median(self.per_article) if self.per_article else 0

    @property
    def empty(self) -> int:
        """Articles without a span."""
        return self.per_article.count(0)

    @property
    def heavy(self) -> int:
        """Articles with more than HEAVY times the median number of spans."""
        limit = HEAVY * self.median
        return sum(n > limit for n in self.per_article) if limit else 0

    def histogram(self, bins: int = 12) -> list[Bin]:
        """Spans per article in ``bins`` bins of equal width (whole numbers)."""
        if not self.per_article:
            return []
        top = max(self.per_article)
        width = max(1, -(-(top + 1) // bins))
        counts = Counter(n // width for n in self.per_article)
        return [Bin(k * width, k * width + width - 1, counts[k])
                for k in range(top // width + 1)]

    def hourly(self, analyst: str) -> list[tuple[str, int]]:
        """``analyst``'s spans an hour, every hour from their first (a day at least, and
        HOURS_SHOWN at most) to the last hour anyone labelled; hours without a span: 0."""
        last = max((max(h) for h in self.hours.values() if h), default=None)
        if last is None:
            return []
        end = datetime.strptime(last, "%Y-%m-%dT%H").replace(tzinfo=UTC)
        mine = self.hours.get(analyst, {})
        first = datetime.strptime(min(mine, default=last), "%Y-%m-%dT%H").replace(tzinfo=UTC)
        start = max(min(first, end - timedelta(hours=23)),
                    end - timedelta(hours=HOURS_SHOWN - 1))
        steps = int((end - start).total_seconds() // 3600) + 1
        hours = [(start + timedelta(hours=k)).strftime("%Y-%m-%dT%H") for k in range(steps)]
        return [(hour, mine.get(hour, 0)) for hour in hours]

    def to_json(self) -> dict[str, Any]:
        """The figures for scripts (``gloss stats --format json``)."""
        return {
            "dataset": self.folder, "analyst": self.analyst, "articles": self.articles,
            "spans": self.spans, "progress": self.progress, "labels": self.labels,
            "spans_per_analyst": self.analysts,
            "spans_per_article": {
                "min": min(self.per_article, default=0), "median": self.median,
                "max": max(self.per_article, default=0), "empty": self.empty,
                "heavy": self.heavy,
                "histogram": [{"from": b.low, "to": b.high, "articles": b.articles}
                              for b in self.histogram()],
                "heaviest": [{"id": i, "title": t, "spans": n} for i, t, n in self.heaviest],
                "per": "analyst" if self.per_analyst else "article",
            },
            "spans_per_hour": self.hours,
            "claims": {"labels": list(self.claim_labels), "by_analyst": {
                who: {"sourced": s, "todo": t} for who, (s, t) in self.claims.items()}},
            "suggestions": {
                "typed": self.spans - sum(a + b for a, b in self.origins.values()),
                "accepted": {kind: a for kind, (a, _) in self.origins.items() if a},
                "written_by_gloss_suggest": {kind: b for kind, (_, b) in self.origins.items()
                                             if b}},
            "problems": self.problems,
        }


@dataclass
class _Sums:
    """What the figures add up over articles (``figures`` one by one, ``grouped`` a kind
    at a time, ``k`` articles counted alike)."""

    per_label: dict[str, int] = field(default_factory=dict)
    per_analyst: dict[str, int] = field(default_factory=dict)
    statuses: Counter[tuple[str, str]] = field(default_factory=Counter)
    hours: dict[tuple[str, str], int] = field(default_factory=dict)
    claims: dict[str, list[int]] = field(default_factory=dict)
    origins: dict[str, list[int]] = field(default_factory=dict)

    def add(self, c: ArticleCounts, k: int = 1) -> None:
        # a few keys an article: plain loops beat Counter.update here
        per_label, per_analyst, hours = self.per_label, self.per_analyst, self.hours
        for name, n in c.labels.items():
            per_label[name] = per_label.get(name, 0) + n * k
        for who, n in c.analysts.items():
            per_analyst[who] = per_analyst.get(who, 0) + n * k
        for pair in c.status.items():
            self.statuses[pair] += k
        for who, hour, n in c.hours:
            hours[who, hour] = hours.get((who, hour), 0) + n * k
        for sums, rows in ((self.claims, c.claims), (self.origins, c.origins)):
            for key, a, b in rows:
                mine = sums.setdefault(key, [0, 0])
                mine[0] += a * k
                mine[1] += b * k

    def into(self, out: Figures, labels: LabelSet, analyst: str) -> None:
        for name in dict.fromkeys([*labels.names(), *sorted(self.per_label)]):
            out.labels[name] = self.per_label.get(name, 0)
        out.analysts = dict(sorted(self.per_analyst.items()))
        statuses = self.statuses
        for who in sorted({analyst, *self.per_analyst, *(who for who, _ in statuses)}):
            shown = {status: statuses[who, status] for status in STATUSES if status != TODO}
            out.progress[who] = {**shown, TODO: out.articles - sum(shown.values())}
        for (who, hour), spans in sorted(self.hours.items()):
            if _is_hour(hour):  # a time edited by hand is left out, not an error
                out.hours.setdefault(who, {})[hour] = spans
        out.claims = {who: (a, b) for who, (a, b) in sorted(self.claims.items())}
        out.origins = {kind: (a, b) for kind, (a, b) in sorted(self.origins.items())}


def figures(counts: Iterable[ArticleCounts], labels: LabelSet, folder: str, analyst: str,
            problems: Iterable[str] = ()) -> Figures:
    """The figures of the articles counted in ``counts``."""
    counts = list(counts)
    out = Figures(folder, analyst, claim_labels=tuple(sorted(claim_labels(labels))),
                  problems=list(problems))
    out.articles = len(counts)
    out.spans = sum(c.spans for c in counts)
    out.per_analyst = any(len(c.analysts) > 1 for c in counts)
    out.per_article = [n for c in counts for n in versions(c, out.per_analyst)]
    sums = _Sums()
    for c in counts:
        sums.add(c)
    sums.into(out, labels, analyst)
    if out.per_analyst:
        heavy = sorted(((c.id, f"{c.title} ({who})", n) for c in counts
                        for who, n in c.analysts.items()), key=lambda v: (-v[2], v[0], v[1]))
        out.heaviest = heavy[:3]
    else:
        heaviest = sorted(counts, key=lambda c: (-c.spans, c.id))[:3]
        out.heaviest = [(c.id, c.title, c.spans) for c in heaviest]
    return out


def grouped(groups: Iterable[tuple[ArticleCounts, Sequence[tuple[str, str]]]],
            labels: LabelSet, folder: str, analyst: str, problems: Iterable[str] = ()
            ) -> Figures:
    """The figures of articles counted alike: each group is the counts of one of them and
    every (id, title) of the articles whose counts are the same but for their id, title
    and when added. The same figures as ``figures`` over them one by one (``per_article``
    in another order), each group added once: 100,000 articles of a few kinds are a few
    sums, not 100,000 (``figures`` stays the definition, and the tests hold them equal)."""
    groups = [(c, who) for c, who in groups if who]
    out = Figures(folder, analyst, claim_labels=tuple(sorted(claim_labels(labels))),
                  problems=list(problems))
    out.articles = sum(len(who) for _, who in groups)
    out.spans = sum(c.spans * len(who) for c, who in groups)
    out.per_analyst = any(len(c.analysts) > 1 for c, _ in groups)
    sums = _Sums()
    heavy: list[tuple[str, str, int]] = []
    for c, articles in groups:
        k = len(articles)
        out.per_article += versions(c, out.per_analyst) * k
        sums.add(c, k)
        # a group's three first ids hold its heaviest three: its articles weigh the same
        first = heapq.nsmallest(3, articles)
        if out.per_analyst:
            heavy += [(i, f"{t} ({who})", n) for i, t in first for who, n in c.analysts.items()]
        else:
            heavy += [(i, t, c.spans) for i, t in first]
    sums.into(out, labels, analyst)
    out.heaviest = sorted(heavy, key=lambda v: (-v[2], v[0], v[1]))[:3]
    return out


def versions(counts: ArticleCounts, per_analyst: bool) -> list[int]:
    """What an article adds to the spans per article: its spans, or (``per_analyst``)
    each analyst's (one, 0, for an article nobody has labelled)."""
    if not per_analyst or len(counts.analysts) < 2:
        return [counts.spans]
    return list(counts.analysts.values())


def _is_hour(text: str) -> bool:
    try:
        datetime.strptime(text, "%Y-%m-%dT%H")
    except ValueError:
        return False
    return True


def numbers(figures: Figures) -> Iterator[tuple[str, list[str]]]:
    """The numbers beside each plot: (the plot's name, its lines). Data (labels, analysts,
    titles) is given as it is: whoever prints it shows its controls (``visible``)."""
    yield "progress", [
        f"{who}: {p['done']:,} done ({_percent(p['done'], figures.articles)}),"
        f" {p['skipped']:,} skipped, {p['reviewed']:,} reviewed, {p[TODO]:,} to do"
        for who, p in figures.progress.items()]
    every = f" (every analyst's: {spans_by(figures)})" if len(figures.analysts) > 1 else ""
    yield "labels", [f"{name}: {n:,} ({_percent(n, figures.spans)})"
                     for name, n in figures.labels.items()] + [f"all: {figures.spans:,}{every}"]
    counted = f"{len(figures.per_article):,} analysts' versions of {figures.articles:,}" \
        " articles" if figures.per_analyst else f"{figures.articles:,} articles"
    yield "per article", [
        f"{counted}: min {min(figures.per_article, default=0):,},"
        f" median {figures.median:,g}, max {max(figures.per_article, default=0):,}",
        f"{figures.empty:,} without a span",
        f"{figures.heavy:,} with over {HEAVY}x the median", "most spans:",
        *[f"{n:,}: {cut(title, 40)}" for _, title, n in figures.heaviest]]
    lines = []
    for who, hours in figures.hours.items():
        best = max(hours, key=lambda h: hours[h])
        lines.append(f"{who}: {sum(hours.values()):,} spans in {len(hours):,} hours;"
                     f" {statistics.median(hours.values()):,g} an hour (median), best"
                     f" {hours[best]:,} ({best.replace('T', ' ')}h)")
    yield "per hour", lines or ["no span labelled in Gloss yet"]
    if not figures.claim_labels:
        yield "claims", ["no label is a claim (a SOURCE link goes from none)"]
        return
    sourced = sum(s for s, _ in figures.claims.values())
    todo = sum(t for _, t in figures.claims.values())
    yield "claims", [f"{sourced + todo:,} claims: {sourced:,} with a source"
                     f" ({_percent(sourced, sourced + todo)}), {todo:,} without",
                     *[f"{who}: {s:,} with, {t:,} without"
                       for who, (s, t) in figures.claims.items()]]


def spans_by(figures: Figures, most: int = 3) -> str:
    """Whose the spans are: ``ana 18, ben 18, review 12`` (the first ``most`` by name)."""
    shown = [f"{who} {n:,}" for who, n in list(figures.analysts.items())[:most]]
    more = len(figures.analysts) - most
    return ", ".join(shown) + (f" and {more:,} more" if more > 0 else "")


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f} %" if whole else "0 %"
