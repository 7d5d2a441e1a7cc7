"""Every claim of a dataset with who made it and where it applies: the rows of the claims
board, of `gloss claims`, and of `gloss export --format claims`.

A claim's source is its SOURCE link (an actor span, named by its canonical name where one
is set), else what its ``source_kind`` says (the journalist's own, an unnamed source); a
claim with neither is still to do. Its places are its ABOUT links.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from tui.core.disk.article_file import Article, row_span
from tui.core.document.canonical import bare_name
from tui.core.document.model import TYPED, LabelSet, Span
from tui.core.document.schema import ABOUT, SOURCE
from tui.core.language.sentences import sentence_of, sentence_starts

TODO = "to do"


@dataclass(slots=True)
class ClaimRow:
    article: str  # the article's id
    title: str
    date: str
    claim: Span
    source: Span | None
    places: list[Span] = field(default_factory=list)
    sentence: tuple[int, int] = (0, 0)
    holders: tuple[str, ...] = ()  # the analysts who hold this claim (one_a_claim)

    @property
    def analysts(self) -> tuple[str, ...]:
        """Who holds the claim: its analysts made one, else the claim's own."""
        return self.holders or (self.claim.annotator,)

    @property
    def source_name(self) -> str:
        """Who made the claim, as the board groups it."""
        if self.source is not None:
            return name_of(self.source)
        kind = self.claim.attribute("source_kind")
        return f"({kind})" if kind else f"({TODO})"

    @property
    def status(self) -> str:
        return "sourced" if self.source is not None or self.claim.attribute("source_kind") \
            else TODO

    @property
    def place_names(self) -> list[str]:
        return [name_of(place) for place in self.places]

    def record(self, text: str) -> dict[str, Any]:
        """One line of ``export --format claims``: the claim, its source and places, with
        the offsets and the sentence a claim-attribution model trains on."""
        start, end = self.sentence
        return {
            "text": self.claim.text, "start": self.claim.start, "end": self.claim.end,
            "sentence": {"text": text[start:end], "start": start, "end": end},
            "source": _span_record(self.source) if self.source else None,
            "source_kind": self.claim.attribute("source_kind")
            or ("actor" if self.source else None),
            "quote": self.claim.attribute("quote"),
            "places": [_span_record(place) for place in self.places],
            "attributes": dict(self.claim.attributes), "annotator": self.claim.annotator,
            "article": {"id": self.article, "title": self.title, "date": self.date},
            **({"origin": self.claim.origin} if self.claim.origin != TYPED else {}),
        }


def name_of(span: Span) -> str:
    """An actor's or a place's name across articles: its canonical name, else its own."""
    return span.attribute("canonical") or bare_name(span.text) or span.text


def _span_record(span: Span) -> dict[str, Any]:
    return {"text": span.text, "start": span.start, "end": span.end, "label": span.label,
            "canonical": span.attribute("canonical"), **{
                k: v for k, v in span.attributes if k != "canonical"}}


def claim_rows(article: Article, labels: LabelSet, annotator: str | None = None, *,
               sentences: bool = True) -> Iterator[ClaimRow]:
    """The claims of one article (of one analyst, or every analyst's); ``sentences``: with
    the sentence of each (the export's; the board does without)."""
    heads = {r.head for r in labels.relations if r.name in (SOURCE, ABOUT)}
    # Spans are made only of claims and what they link to, from the rows: the board reads
    # 150,000 spans to show 30,000 claims.
    rows = {row["id"]: row for row in article.span_rows}
    document = article.document
    starts: list[int] | None = None
    links: dict[str, dict[str, list[Span]]] = {}
    for relation in article.relations:
        if relation.head in rows and relation.child in rows:
            links.setdefault(relation.head, {}).setdefault(relation.label, []).append(
                row_span(rows[relation.child]))
    for row in article.span_rows:
        if row["label"] not in heads or (annotator and row["annotator"] != annotator):
            continue
        span = row_span(row)
        mine = links.get(span.id, {})
        source = mine.get(SOURCE, [None])[0]
        first = last = 0
        if sentences:
            starts = starts if starts is not None else sentence_starts(document.text)
            first = sentence_of(starts, document.text, span.start)[0]
            last = sentence_of(starts, document.text, max(span.end - 1, span.start))[1]
        yield ClaimRow(document.id, document.title, str(document.meta.get("date") or ""),
                       span, source, _by_start(mine.get(ABOUT)),
                       (first, last))


def _by_start(places: list[Span] | None) -> list[Span]:
    if not places:
        return []
    return places if len(places) == 1 else sorted(places, key=lambda s: s.start)


def board(articles: Iterable[Article], labels: LabelSet, *, actor: str = "",
          place: str = "", status: str = "", annotator: str | None = None
          ) -> dict[str, list[ClaimRow]]:
    """Every claim, grouped by who made it (the groups with the most claims first), kept
    where its source matches ``actor``, one of its places ``place`` and its ``status``."""
    return group((row for article in articles for row in claim_rows(article, labels, annotator)),
                 actor=actor, place=place, status=status)


def one_a_claim(rows: Iterable[ClaimRow], prefer: str = "") -> list[ClaimRow]:
    """Each claim once, with who holds it: the rows of several analysts that say the same
    (one article, one extent, the same source and places) made one row, its ``holders``
    theirs by name. The row kept is ``prefer``'s when they hold it (the board opens it),
    else the first analyst's."""
    merged: dict[tuple[object, ...], list[ClaimRow]] = {}
    for row in rows:
        key = (row.article, row.claim.start, row.claim.end, row.claim.label,
               row.source_name, tuple(row.place_names))
        merged.setdefault(key, []).append(row)
    out = []
    for same in merged.values():
        kept = next((r for r in same if r.claim.annotator == prefer), same[0])
        holders = tuple(sorted({r.claim.annotator for r in same}))
        out.append(kept if len(same) == 1 else replace(kept, holders=holders))
    return out


def group(rows: Iterable[ClaimRow], *, actor: str = "", place: str = "", status: str = ""
          ) -> dict[str, list[ClaimRow]]:
    """``rows`` grouped by who made each claim, the groups with the most claims first,
    kept where the source matches ``actor``, one of the places ``place`` and the status
    ``status`` (each: any, when empty)."""
    groups: dict[str, list[ClaimRow]] = {}
    for row in rows:
        if keeps(row, actor=actor, place=place, status=status):
            groups.setdefault(row.source_name, []).append(row)
    return dict(sorted(groups.items(), key=lambda item: (-len(item[1]), item[0].casefold())))


def keeps(row: ClaimRow, *, actor: str = "", place: str = "", status: str = "") -> bool:
    """Does ``row`` pass the board's filters (see :func:`group`)?"""
    return ((not actor or _matches(actor, [row.source_name]))
            and (not place or _matches(place, row.place_names))
            and (not status or row.status == status))


def _matches(query: str, names: list[str]) -> bool:
    wanted = query.casefold()
    return any(wanted in name.casefold() for name in names)
