"""What ``gloss agree`` needs of one article, worked out once and kept in the index's
``agree`` column (``article_index.py``), so that ``gloss agree`` reads no article file
whose row is fresh.

The figures (``team/agreement.py``) are sums over articles, so an article's share of
them is kept, not its spans or its text:

- its status, and who saw it (a span or a status there), by name;
- its tokens counted by the tuple of labels those analysts give them (None: outside):
  a token is a word or a mark (``\\w+|[^\\w\\s]``), its label an analyst's the label of
  their innermost span covering it (all its characters inside the span);
- each analyst's spans counted by label;
- for each ordered pair of those analysts, the spans that match exactly and
  overlapping (``span_match.matches``), and the claims both labelled with the same
  extent and how many of them have the same source (``claims.same_source``).

An article longer than :data:`KEPT_UP_TO` characters has no digest kept (null): a save
would tokenize all of it; ``gloss agree`` reads its file instead. A digest of another
shape (edited by hand, cut short) is None, and its file is read.
"""

from __future__ import annotations

import re
from collections import Counter
from itertools import permutations
from typing import Annotated, Any

import msgspec

from tui.core.attribution.claims import same_source
from tui.core.disk.article_file import Article
from tui.core.document.model import LabelSet, Span
from tui.core.document.schema import SOURCE
from tui.core.document.span_match import Extent, matches

# A longer article's save would count its tokens again each time (1 MB: 30 ms and more)
KEPT_UP_TO = 100_000

_TOKEN = re.compile(r"\w+|[^\w\s]")
Positive = Annotated[int, msgspec.Meta(gt=0)]
Count = Annotated[int, msgspec.Meta(ge=0)]
Labels = tuple[str | None, ...]  # one label an analyst who saw the article (None: outside)


class Digest(msgspec.Struct, array_like=True, frozen=True):
    status: dict[str, str]
    analysts: tuple[str, ...]  # who saw it, by name
    units: list[tuple[Labels, Positive]]  # how many tokens have each tuple of labels
    spans: dict[str, dict[str, Positive]]  # each analyst's spans, by label
    # (a, b, exact matches by label, overlapping matches by label, claims whose sources
    # agree, claims of the same extent), for each ordered pair of analysts who saw it
    pairs: list[tuple[str, str, dict[str, Positive], dict[str, Positive], Count, Count]]


class FromFile:
    """The digest is not kept (a long article): read the file."""


FROM_FILE = FromFile()
_DIGEST = msgspec.json.Decoder(Digest)


class _Pairs(msgspec.Struct, array_like=True, frozen=True):
    """A digest with only its pairs' overlapping matches decoded (the library of a pair:
    the rest, checked as JSON, is left as it is)."""

    status: msgspec.Raw
    analysts: msgspec.Raw
    units: msgspec.Raw
    spans: msgspec.Raw
    pairs: list[tuple[str, str, msgspec.Raw, dict[str, Positive], Count, Count]]


_PAIRS = msgspec.json.Decoder(_Pairs)


def claim_label(labels: LabelSet) -> str:
    """The label a SOURCE link goes from: the claims whose sources are compared."""
    source = labels.relation(SOURCE)
    return source.head if source else "CLAIM"


def token_bounds(text: str) -> tuple[list[int], list[int]]:
    """The (starts, ends) of the text's tokens for agreement: words and marks."""
    spans = [match.span() for match in _TOKEN.finditer(text)]
    return [start for start, _ in spans], [end for _, end in spans]


def painted(text: str, extents: list[Extent]) -> dict[int, str]:
    """The label of each token a span covers, by where the token starts: the innermost
    span's. A longer span is painted first, so an inner one is painted over it (of two
    as long, the later). Only the text around each span is tokenized: a token of the
    whole text lies inside a span exactly when a match from one character before the
    span does (the regex has no look-behind, and a word that runs past either end is a
    match that starts or ends outside)."""
    out: dict[int, str] = {}
    for _, start, end, label in sorted(extents, key=lambda e: e[1] - e[2]):
        for match in _TOKEN.finditer(text, max(start - 1, 0), max(end + 1, 0)):
            first, last = match.span()
            if first >= start and last <= end:
                out[first] = label
    return out


def entry(article: Article, claim: str, *, whole: bool = False) -> list[Any] | None:
    """The ``agree`` column of ``article``'s row (None past :data:`KEPT_UP_TO`, unless
    ``whole``), as JSON-ready values in :class:`Digest`'s order; ``claim``: the label
    whose sources are compared (:func:`claim_label`)."""
    text = article.document.text
    if len(text) > KEPT_UP_TO and not whole:
        return None
    extents: dict[str, list[Extent]] = {}
    for row in article.span_rows:
        extents.setdefault(row["annotator"], []).append(
            (0, row["start"], row["end"], row["label"]))
    seen = sorted(extents.keys() | article.status.keys())
    units: Counter[tuple[str | None, ...]] = Counter()
    if seen:
        paints = [painted(text, extents.get(who, [])) for who in seen]
        covered = list(set().union(*paints))
        units.update(zip(*(map(paint.get, covered) for paint in paints), strict=True))
        outside = _TOKEN.subn("", text)[1] - len(covered)  # the count, no token made
        if outside:
            units[(None,) * len(seen)] += outside
    linked = any(r.label == SOURCE for r in article.relations)
    pairs = []
    for a, b in permutations(seen, 2):
        left, right = extents.get(a, []), extents.get(b, [])
        exact, overlap = matches(left, right)
        if linked:  # only the linked articles are looked at claim by claim
            agreed, claims = sources_agree(article, a, b, claim)
        else:  # a claim without SOURCE links agrees (no source on either side)
            agreed = claims = len({s[:3] for s in left if s[3] == claim}
                                  & {s[:3] for s in right if s[3] == claim})
        pairs.append([a, b, exact, overlap, agreed, claims])
    return [dict(article.status), seen, [[list(key), n] for key, n in units.items()],
            {who: dict(Counter(e[3] for e in mine)) for who, mine in extents.items()},
            pairs]


def parse(doc_id: str, blob: Any) -> Digest | FromFile | None:
    """The column decoded and checked: None when it is of another shape."""
    if blob == b"null" or blob == "null":
        return FROM_FILE
    try:
        digest = _DIGEST.decode(blob)
    except (msgspec.DecodeError, TypeError):
        return None
    return digest if _consistent(digest) else None


def _consistent(digest: Digest) -> bool:
    """Each tuple of labels is one label a name, and every name is among those who saw
    it (loops, not generators: 100,000 digests are checked at each ``gloss agree``)."""
    seen = digest.analysts
    names = set(seen)
    if len(names) != len(seen):
        return False
    for key, _ in digest.units:
        if len(key) != len(seen):
            return False
    for pair in digest.pairs:
        if pair[0] == pair[1] or pair[0] not in names or pair[1] not in names:
            return False
    return digest.spans.keys() <= names and digest.status.keys() <= names


def pair_agreement(blob: Any, a: str, b: str, left: int, right: int
                   ) -> float | FromFile | None:
    """The library's figure for analysts ``a`` and ``b`` (both having marked the article
    done; ``left`` and ``right`` spans) from its digest as stored: span F1 with
    overlapping boundaries, as ``span_match.article_agreement`` works it out from the
    span rows (the same matches, ``a``'s spans on the left, counted when the digest was
    made). FROM_FILE when the digest cannot say it (none kept, of another shape, or one
    analyst twice)."""
    if a == b:
        return FROM_FILE
    try:
        digest = _PAIRS.decode(blob)
    except (msgspec.DecodeError, TypeError):  # null (a long article) among them
        return FROM_FILE
    if not left and not right:
        return None
    for first, second, _exact, overlap, _agreed, _claims in digest.pairs:
        if first == a and second == b:
            return 2 * sum(overlap.values()) / (left + right)
    return FROM_FILE


def of_article(article: Article, claim: str) -> Digest:
    """The digest of an article read from its file, however long (through JSON, as the
    index keeps it: the same values either way)."""
    return _DIGEST.decode(msgspec.json.encode(entry(article, claim, whole=True)))


def sources_agree(article: Article, a: str, b: str, claim: str) -> tuple[int, int]:
    """(claims whose sources agree, claims both analysts labelled with the same extent)
    in one article, sources compared as the review compares them."""
    rows = article.span_rows  # a Span made only for a source compared
    claims: dict[str, dict[tuple[int, int], str]] = {a: {}, b: {}}
    for row in rows:
        mine = claims.get(row["annotator"])
        if mine is not None and row["label"] == claim:
            mine.setdefault((row["start"], row["end"]), row["id"])
    both = claims[a].keys() & claims[b].keys()
    if not both:
        return 0, 0
    by_id = {row["id"]: row for row in rows}
    sources = {r.head: r.child for r in article.relations
               if r.label == SOURCE and r.child in by_id}
    agreed = 0
    for extent in both:
        sides = []
        for who in (a, b):
            row = by_id[claims[who][extent]]
            source = sources.get(row["id"])
            sides += [row.get("attributes", {}).get("source_kind"),
                      Span.from_record(by_id[source]) if source else None]
        agreed += same_source(*sides)
    return agreed, len(both)
