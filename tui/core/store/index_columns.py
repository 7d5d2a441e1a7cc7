"""The shapes of the index's JSON columns (``article_index.py``), checked as they are
decoded: a column of another shape (edited by hand, cut short, of an older Gloss) is
None, and its file is read instead.

msgspec decodes and checks a row in one pass in C: checking 100,000 rows field by field
in Python took five seconds, longer than the start it exists to spare. Each column is an
array (``array_like``), as ``entry`` writes it.
"""

from __future__ import annotations

from collections import Counter
from operator import itemgetter
from typing import Annotated, Any, TypeVar

import msgspec

from tui.core.counts.figures import ArticleCounts
from tui.core.disk.article_file import Article
from tui.core.document.model import REVIEWER, Document, LabelSet, Relation
from tui.core.document.schema import ABOUT, SOURCE
from tui.core.store import agree_digest
from tui.core.store.library_rows import compared

Positive = Annotated[int, msgspec.Meta(gt=0)]
Count = Annotated[int, msgspec.Meta(ge=0)]
Given = Counter[tuple[str, str, str]]  # (label, text folded, canonical name): how often
T = TypeVar("T")


class SummaryRow(msgspec.Struct, array_like=True, frozen=True):
    title: str
    length: Count
    every: Count  # the spans of every analyst
    status: dict[str, str]
    analysts: tuple[str, ...]
    done_by: tuple[str, ...]
    reviewed_by: tuple[str, ...]
    agreement: float | None
    spans: dict[str, Positive]  # each analyst's

    def marked(self) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """Who marked the article done and who reviewed it. A lone analyst's row is
        worked out from its status: indexes kept by earlier builds stored a lone
        analyst's reviewers as those who marked it done."""
        if len(self.analysts) != 1:
            return self.done_by, self.reviewed_by
        status = self.status.get(self.analysts[0])
        return (self.analysts if status == "done" else (),
                self.analysts if status == "reviewed" else ())

    def spans_of(self, analyst: str) -> int:
        """The library's count for ``analyst``: a team's article, theirs only."""
        return self.every if len(self.analysts) < 2 else self.spans.get(analyst, 0)


class CountsRow(msgspec.Struct, array_like=True, frozen=True):
    title: str
    added: int
    status: dict[str, str]
    spans: Count
    labels: dict[str, Positive]
    analysts: dict[str, Positive]
    hours: list[tuple[str, str, Positive]]
    claims: list[tuple[str, Count, Count]]
    origins: list[tuple[str, Count, Count]]


class _Packed(msgspec.Struct, array_like=True, frozen=True):
    """A counts row with its parts as they are stored, compared as bytes (``Kinds``)."""

    title: str
    added: int
    status: msgspec.Raw
    spans: Count
    labels: msgspec.Raw
    analysts: msgspec.Raw
    hours: msgspec.Raw
    claims: msgspec.Raw
    origins: msgspec.Raw


Kind = tuple[int, bytes, bytes, bytes, bytes, bytes, bytes]  # spans, then the parts stored


class _Head(msgspec.Struct, array_like=True, frozen=True):
    """A counts row's title and when added; the rest of the row is left as it is."""

    title: str
    added: int


class Kinds:
    """The counts column decoded by kind, for the stats of many articles: rows whose
    counts are the same but for their title and when added are one kind, decoded and
    checked once into one ``ArticleCounts`` (``kinds``, by the kind's number); a row
    decodes to its (title, kind's number), or None when its kind does not check out. At
    100,000 articles of a few kinds this makes 100,000 short rows, not 100,000 sets of
    dicts and lists; a number, not the kind, so that grouping them hashes no tuple."""

    def __init__(self) -> None:
        self.kinds: list[ArticleCounts | None] = []
        # a kind's number by its parts, and by its bytes as written
        self._numbers: dict[Kind | bytes, int] = {}

    def __call__(self, doc_id: str, blob: Any) -> tuple[str, int] | None:
        # as written (no space): the kind is the bytes after the title and when added,
        # looked up as they are; a kind seen first is decoded and checked whole below
        head = decoded(_HEAD, blob) if type(blob) is bytes else None
        start = 0
        if head is not None:
            prefix = b"[%b,%d," % (_encode(head.title), head.added)
            if blob.startswith(prefix):
                start = len(prefix)
                number = self._numbers.get(blob[start:])
                if number is not None:
                    made = self.kinds[number]
                    return None if made is None else (head.title, number)
        return self._whole(blob, start)

    def _whole(self, blob: Any, start: int) -> tuple[str, int] | None:
        """A row decoded whole, its kind checked (once a kind); ``start``: where its kind
        starts in ``blob`` as written (0: written otherwise, by hand)."""
        row = decoded(_PACKED, blob)
        if row is None:
            return None
        kind = (row.spans, bytes(row.status), bytes(row.labels), bytes(row.analysts),
                bytes(row.hours), bytes(row.claims), bytes(row.origins))
        number = self._numbers.get(kind)
        if number is None:
            status, labels, analysts, hours, claims, origins = kind[1:]
            number = self._numbers[kind] = len(self.kinds)
            self.kinds.append(counts("", b'["",0,%b,%d,%b,%b,%b,%b,%b]' % (
                status, row.spans, labels, analysts, hours, claims, origins)))
        if start:  # the same kind as written, found by its bytes next time
            self._numbers[blob[start:]] = number
        return None if self.kinds[number] is None else (row.title, number)


# A span row as the digest keeps it: start, end, label, text, annotator, source, id,
# created, updated, attributes
SpanRow = tuple[Count, Count, str, str, str, str, str, str, str, dict[str, str]]
_ROW_FIELDS = ("start", "end", "label", "text", "annotator", "source", "id", "created",
               "updated")


class ClaimsRow(msgspec.Struct, array_like=True, frozen=True):
    title: str
    date: str
    added: int
    status: dict[str, str]
    rows: list[SpanRow]
    relations: list[tuple[str, str, str, str, str]]
    names: list[tuple[str, str, str, Positive]]


_SUMMARY = msgspec.json.Decoder(SummaryRow)
_COUNTS = msgspec.json.Decoder(CountsRow)
_CLAIMS = msgspec.json.Decoder(ClaimsRow)
_PACKED = msgspec.json.Decoder(_Packed)
_HEAD = msgspec.json.Decoder(_Head)
_encode = msgspec.json.encode


def decoded(decoder: msgspec.json.Decoder[T], blob: Any) -> T | None:
    """``blob`` decoded and checked by ``decoder``, or None when it is not of its shape
    (not JSON, another type, a row edited by hand or cut short)."""
    try:
        return decoder.decode(blob)
    except (msgspec.DecodeError, TypeError):
        return None


def summary(blob: Any) -> SummaryRow | None:
    return decoded(_SUMMARY, blob)


def counts(doc_id: str, blob: Any) -> ArticleCounts | None:
    c = decoded(_COUNTS, blob)
    if c is None or not sum(c.labels.values()) == c.spans == sum(c.analysts.values()):
        return None
    return ArticleCounts(doc_id, c.title, c.added, c.status, c.spans, c.labels, c.analysts,
                         c.hours, c.claims, c.origins)


def claims(doc_id: str, blob: Any) -> tuple[Article, Given] | None:
    """The digest (an :class:`Article` with no text: its claims and what they link to)
    and the article's canonical names."""
    c = decoded(_CLAIMS, blob)
    if c is None:
        return None
    span_rows = []
    for row in c.rows:
        made: dict[str, Any] = dict(zip(_ROW_FIELDS, row, strict=False))
        if row[9]:
            made["attributes"] = row[9]
        span_rows.append(made)
    links = [Relation(*link) for link in c.relations]
    given = Counter({(label, text, name): n for label, text, name, n in c.names})
    document = Document(doc_id, "", {"title": c.title, "date": c.date})
    return Article(document, None, c.status, c.added, links, rows=span_rows), given


# -- what a row holds, as ``article_index.entry`` writes it ------------------------------

_FIELDS = itemgetter("start", "end", "label", "text", "annotator", "source", "id", "created",
                     "updated")


def counts_entry(c: ArticleCounts) -> list[Any]:
    return [c.title, c.added, c.status, c.spans, c.labels, c.analysts, c.hours, c.claims,
            c.origins]


def digest(article: Article, labels: LabelSet) -> Article:
    """What the board needs of ``article``: its claims and what they link to, no text."""
    heads = {r.head for r in labels.relations if r.name in (SOURCE, ABOUT)}
    links = [r for r in article.relations if r.label in (SOURCE, ABOUT)]
    linked = {r.child for r in links}
    rows = [row for row in article.span_rows if row["label"] in heads or row["id"] in linked]
    kept = {row["id"] for row in rows}
    meta = {"title": article.document.title,
            "date": str(article.document.meta.get("date") or "")}
    return Article(Document(article.document.id, "", meta), None, dict(article.status),
                   article.added, [r for r in links if r.head in kept and r.child in kept],
                   rows=rows, path=article.path)


def claims_entry(article: Article, labels: LabelSet, given: Given) -> list[Any]:
    """The claims column: ``article``'s digest, and its canonical names counted."""
    made = digest(article, labels)
    meta = made.document.meta
    rows = [[*_FIELDS(row), row.get("attributes", {})] for row in made.span_rows]
    return [meta["title"], meta["date"], made.added, made.status, rows,
            [[r.head, r.child, r.label, r.annotator, r.id] for r in made.relations],
            [[*names, n] for names, n in given.items()]]


Agreement = float | agree_digest.FromFile | None


class Compared:
    """The agreement a library row shows for ``reviewer`` and ``pair`` (as
    ``library_rows.summary`` works it out from the file), from the row and the article's
    agree digest as stored: the figure a row keeps is that of the two analysts compared
    for the default reviewer and no pair, and where the same two are compared it is the
    one; else it comes from the digest, or is FROM_FILE where only the file can say it
    (no digest kept, or not of its shape)."""

    def __init__(self, reviewer: str, pair: tuple[str, ...]) -> None:
        self.reviewer = reviewer
        self.pair = pair
        # The digests that may be needed (article_index.Wanted), by what they hold as
        # written: a pair's, where both marked the article done (their statuses);
        # another reviewer's, where it or the default one saw it (else the two compared
        # are those the row keeps the figure of)
        named = msgspec.json.encode
        self.digests: tuple[tuple[bytes, ...], ...] = (
            ((named(pair[0]) + b':"done"', named(pair[1]) + b':"done"'),) if len(pair) > 1
            else () if pair else ((named(reviewer),), (named(REVIEWER),)))

    def agreement(self, row: SummaryRow, digest: Any) -> Agreement:
        analysts, pair = row.analysts, self.pair
        if len(analysts) < 2:
            return row.agreement  # no team: none
        if pair:
            if len(pair) < 2:
                return None
            a, b = pair[0], pair[1]
        else:
            if self.reviewer not in analysts and REVIEWER not in analysts:
                return row.agreement  # the two the row's figure compares
            chosen = compared(analysts, row.reviewed_by, self.reviewer, ())
            if len(chosen) < 2:
                return None
            a, b = chosen
        status = row.status
        if status.get(a) != "done" or status.get(b) != "done":
            return None
        reviewed = row.reviewed_by
        if (a, b) == (analysts[:2] if not reviewed and REVIEWER not in analysts
                      else compared(analysts, reviewed, REVIEWER, ())):
            return row.agreement  # the two the row's figure compares
        if digest is None:  # none kept, or left out by the test (written otherwise)
            return agree_digest.FROM_FILE
        spans = row.spans  # each analyst's, from the same version of the file
        return agree_digest.pair_agreement(digest, a, b, spans.get(a, 0), spans.get(b, 0))


PARSE = {"summary": lambda doc_id, blob: summary(blob), "counts": counts, "claims": claims,
         "agree": agree_digest.parse}
