"""Who made a claim, and where it applies: the candidates a link offers, best first.

Attribution in news (PARC 3.0, PolNeAR, NewsClaims) is source + cue + content; the source
is most often in the claim's own sentence ("Zelensky said ..."), else just before it (a
quote that runs on after "Putin told reporters:"), and sometimes anywhere in the article.
So the likely source of a claim is, in this order: an actor in the claim's sentence, the
nearest first; then the nearest actor before the claim; then the others, nearest first.
An actor inside the claim ("Kyiv says that Putin lied") is offered only when no actor
stands outside it. The same actor named several times is offered once, at its best place.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from tui.core.canonical import bare_name
from tui.core.model import Span
from tui.core.sentences import sentence_of, sentence_starts


def candidates(text: str, claim: Span, targets: Iterable[Span],
               name: Callable[[Span], str] | None = None,
               starts: list[int] | None = None) -> list[Span]:
    """The spans a link from ``claim`` may point at, the likeliest first.

    ``targets`` are the spans of the label the link points at (actors for SOURCE,
    locations for ABOUT); ``name`` says which of them are the same (default: the same
    text, case aside); ``starts`` are the sentence starts of ``text`` if already known.
    """
    name = name or (lambda span: span.text.casefold())
    starts = starts if starts is not None else sentence_starts(text)
    start, end = claim.start, claim.end
    first = sentence_of(starts, text, start)[0]
    last = sentence_of(starts, text, max(end - 1, start))[1]
    pool = [s for s in targets if s.id != claim.id]
    outside = [s for s in pool if not (start <= s.start and s.end <= end)]
    pool = outside or pool
    # (in the sentence 0, before 1, after 2; distance; start): made in one pass, as a link
    # key ranks every actor of the article (1,700 in a megabyte) before its frame
    ranks = [(0 if first <= s.start and s.end <= last else 1 if s.end <= start else 2,
              max(start - s.end, s.start - end, 0), s.start) for s in pool]
    best: dict[str, Span] = {}
    for index in sorted(range(len(pool)), key=ranks.__getitem__):
        best.setdefault(name(pool[index]), pool[index])
    return list(best.values())


def same_source(kind_a: str | None, source_a: Span | None, kind_b: str | None,
                source_b: Span | None) -> bool:
    """Do two versions of one claim (two analysts', or one and the review's) name the same
    source? The one definition `gloss agree` counts and `gloss review` shows.

    Each version is its ``source_kind`` (``actor``, ``journalist``, ``unnamed``; None: not
    said) and the actor its SOURCE link points at (None: no link). The same source: the
    same kind, and either no link on both or links to the same actor, whose extents
    overlap or whose names agree (the canonical name, else the name bare of its titles,
    case aside). Two links to the same actor at other places are the same source: the
    review calls that a difference of links, not of source.
    """
    if kind_a != kind_b or (source_a is None) != (source_b is None):
        return False
    if source_a is None or source_b is None:
        return True
    if source_a.start < source_b.end and source_b.start < source_a.end:
        return True
    names = [s.attribute("canonical") or bare_name(s.text) for s in (source_a, source_b)]
    return names[0].casefold() == names[1].casefold()
