"""Every source of suggestions for one article, merged: the one entry point the reader and
``gloss suggest`` call.

A finder is a function of the article's :class:`Context` that returns suggestions. They
run in order, each seeing what those before it proposed (``Context.suggested``), so that a
claim finder can take a suggested actor as its source. Adding a source is one line in
:func:`finders`.

What is offered of all they find (:func:`suggest_article`): not a suggestion equal to a span
the analyst has (same extent and label), nor one inside such a span of its label ("Putin"
inside the actor "Vladimir Putin" is no new actor), nor one rejected in this article, nor
the same place twice (the finder first in the list wins).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import accumulate
from typing import TYPE_CHECKING

from tui.core.document.model import Span
from tui.core.document.suggestion import Suggestion
from tui.core.suggest.claim_cues import claim_suggestions
from tui.core.suggest.pattern_finder import PatternFinder
from tui.core.suggest.seen_names import SeenNames

if TYPE_CHECKING:
    from tui.core.suggest.cue_files import Cues
    from tui.core.suggest.model_finder import ModelFinder

Key = tuple[int, int, str]  # (start, end, label): Suggestion.key


@dataclass(frozen=True, slots=True)
class Context:
    """What a finder knows of the article."""

    text: str
    spans: Sequence[Span]  # the analyst's spans
    suggested: Sequence[Suggestion] = field(default=())  # by the finders before this one


Finder = Callable[[Context], Iterable[Suggestion]]


def finders(names: SeenNames | None = None, patterns: PatternFinder | None = None,
            model: ModelFinder | None = None, claims: Cues | None = None) -> list[Finder]:
    """The sources of suggestions, in the order they run and win ties: claims last, so
    that they take the actors the others suggested as sources."""
    found: list[Finder] = []
    if names is not None:
        found.append(lambda c: names.find(c.text))
    if patterns is not None:
        found.append(lambda c: patterns.find(c.text))
    if model is not None:  # gloss train's model (suggest/model_finder.py), loaded apart
        found.append(lambda c: model.find(c.text))
    if claims is not None:  # reporting cues (suggest/claim_cues.py)
        found.append(lambda c: claim_suggestions(c.text, actors(c), cues=claims))
    return found


def actors(context: Context) -> list[tuple[int, int]]:
    """The extents of the actors a claim may be attributed to: the analyst's and those
    suggested before the claims."""
    return sorted({(s.start, s.end) for s in (*context.spans, *context.suggested)
                   if s.label == "ACTOR"})


def suggest_article(text: str, spans: Sequence[Span], sources: Sequence[Finder],
                    rejected: Collection[Key] = ()) -> list[Suggestion]:
    """What the finders suggest for the article, merged (see the module), in text
    order (start, then the longer first)."""
    have = {span.key[:3] for span in spans}
    covers = {label: _Cover([(s.start, s.end) for s in spans if s.label == label])
              for label in {span.label for span in spans}}
    none = _Cover([])
    taken: dict[Key, Suggestion] = {}
    for source in sources:
        context = Context(text, spans, tuple(taken.values()))
        for suggestion in source(context):
            key = suggestion.key
            if key in taken or key in have or key in rejected \
                    or covers.get(suggestion.label, none).covers(key[0], key[1]):
                continue
            taken[key] = suggestion
    return sorted(taken.values(), key=lambda s: (s.start, -s.end, s.label))


class _Cover:
    """Extents, asked whether one of them holds a given extent (a bisection, not a scan:
    a 1 MB article has thousands of spans and of suggestions)."""

    def __init__(self, extents: list[tuple[int, int]]) -> None:
        extents.sort()
        self.starts = [start for start, _ in extents]
        self.reach = list(accumulate((end for _, end in extents), max))

    def covers(self, start: int, end: int) -> bool:
        before = bisect_right(self.starts, start)
        return before > 0 and self.reach[before - 1] >= end
