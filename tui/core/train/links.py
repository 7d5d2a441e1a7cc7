"""SOURCE and ABOUT links of claims, by rule, and how well the rule does.

A learned relation component needs many linked claims to beat what news style already
says (PARC 3.0, PolNeAR): the source of a claim is an actor in its own sentence ("Zelensky
said ...") or just before it ("Putin told reporters:" and a quote). So the scorer links a
claim to its likeliest source as the reader's link key ranks them (``claims.candidates``)
when that actor stands in the claim's sentence or the one before, and to every location
inside the claim as a place it is about. ``score`` measures it on held-out articles, from
the analysts' own spans (the rule alone) and from the model's (the whole chain).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from tui.core.attribution.claims import candidates
from tui.core.document.model import Relation, Span
from tui.core.document.schema import ABOUT, SOURCE
from tui.core.language.sentences import sentence_of, sentence_starts

Extent = tuple[int, int, str]
Link = tuple[Extent, Extent, str]  # (claim, actor or place, SOURCE | ABOUT)


def extent(span: Span) -> Extent:
    return (span.start, span.end, span.label)


def guess(text: str, spans: Sequence[Span], claim: str = "CLAIM", actor: str = "ACTOR",
          place: str = "LOCATION") -> list[Link]:
    """The links the rule makes between ``spans`` of one article."""
    starts = sentence_starts(text)
    actors = [s for s in spans if s.label == actor]
    places = [s for s in spans if s.label == place]
    links: list[Link] = []
    for span in spans:
        if span.label != claim:
            continue
        first = sentence_of(starts, text, span.start)[0]
        before = sentence_of(starts, text, max(first - 1, 0))[0]
        ranked = candidates(text, span, actors, starts=starts)
        if ranked and ranked[0].start >= before:
            links.append((extent(span), extent(ranked[0]), SOURCE))
        links.extend((extent(span), extent(p), ABOUT) for p in places
                     if span.start <= p.start and p.end <= span.end)
    return links


def gold(spans: Iterable[Span], relations: Iterable[Relation]) -> list[Link]:
    by_id = {s.id: s for s in spans}
    return [(extent(by_id[r.head]), extent(by_id[r.child]), r.label) for r in relations
            if r.head in by_id and r.child in by_id]


@dataclass(frozen=True, slots=True)
class Figures:
    """Precision, recall and F1 of one label (or of links), with the counts behind them."""

    true: int
    guessed: int
    wanted: int

    @property
    def p(self) -> float:
        return self.true / self.guessed if self.guessed else 0.0

    @property
    def r(self) -> float:
        return self.true / self.wanted if self.wanted else 0.0

    @property
    def f(self) -> float:
        return 2 * self.p * self.r / (self.p + self.r) if self.p + self.r else 0.0

    def to_record(self) -> dict[str, float | int]:
        return {"p": round(self.p, 4), "r": round(self.r, 4), "f": round(self.f, 4),
                "support": self.wanted}


def compare(found: Iterable[Link], wanted: Iterable[Link]) -> dict[str, Figures]:
    """Figures per link label, exact extents of both ends."""
    found_set, wanted_set = set(found), set(wanted)
    labels = sorted({link[2] for link in found_set | wanted_set})
    return {label: Figures(len({x for x in found_set & wanted_set if x[2] == label}),
                           len({x for x in found_set if x[2] == label}),
                           len({x for x in wanted_set if x[2] == label}))
            for label in labels}
