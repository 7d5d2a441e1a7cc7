"""One suggested span: where it is, its label, which finder proposed it, and for a claim
who said it.

A suggestion is not a label: nothing is saved until an analyst accepts it, and accepting
makes an ordinary ``Span`` (its ``origin`` recording the finder) through the same edit path
as a typed label.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Kind = Literal["seen-name", "pattern", "claim-cue", "model"]
KINDS: tuple[Kind, ...] = ("seen-name", "pattern", "claim-cue", "model")
# The ``source`` of the spans ``gloss suggest`` writes as an analyst of its own: told apart
# from spans analysts accepted (stats), and never learnt from as names an analyst has seen.
SUGGEST_SOURCE = "gloss suggest"


@dataclass(frozen=True, slots=True)
class Source:
    """Who a suggested claim is attributed to: an extent of the text (an actor already
    labelled, or one suggested with it), or none, with the claim's ``source_kind``."""

    start: int | None = None
    end: int | None = None
    kind: str = "actor"  # "actor" | "journalist" | "unnamed" (schema.py's source_kind)


@dataclass(frozen=True, slots=True)
class Suggestion:
    start: int
    end: int
    label: str
    kind: Kind
    score: float = 1.0  # how sure the finder is, 0..1 (1 for exact names and patterns)
    source: Source | None = None  # claims only
    attributes: tuple[tuple[str, str], ...] = field(default=())  # sorted (name, value)

    @property
    def key(self) -> tuple[int, int, str]:
        """What makes two suggestions (or a suggestion and a span) the same place."""
        return (self.start, self.end, self.label)
