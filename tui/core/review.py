"""Reviewing one article: two versions of it (two analysts', or one analyst's and the
reviewed one) set against each other, span by span, and each difference named.

Two spans are the same annotation when they have the same extent and label; they agree
when they also have the same attributes and their links point at the same extents (a
claim's SOURCE at the same actor, its ABOUT at the same places). Everything else is a
difference, of one of these kinds:

- ``only left`` / ``only right``: one side has a span the other has nothing like;
- ``boundaries``: overlapping spans of the same label (each paired at most once);
- ``label``: the same extent, another label;
- ``source``: the same claim, another source: its ``source_kind`` another, or its SOURCE
  at another actor (``claims.same_source``, the definition `gloss agree` counts by);
- ``links``: the same span, its other links pointing elsewhere (a claim's places, or its
  SOURCE at the same actor in another place);
- ``attributes``: the same span, other attributes.

The reviewed version is the spans of the reviewer, an analyst of its own; what it holds
for each difference is worked out from it (:func:`holds`), never remembered apart from
it, so that undo, another session and a file read afresh all agree. Taking a side into it
is in ``review_edits.py``; who reviews whom, in :class:`ReviewPlan`.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from tui.core.article_model import ArticleModel
from tui.core.claims import same_source
from tui.core.edits import cut
from tui.core.model import REVIEWER, Span
from tui.core.schema import SOURCE

LEFT, RIGHT = "left", "right"

ONLY_LEFT, ONLY_RIGHT = "only left", "only right"
BOUNDARIES, LABEL, SOURCE_DIFFERS = "boundaries", "label", "source"
LINKS, ATTRIBUTES = "links", "attributes"
KINDS = (ONLY_LEFT, ONLY_RIGHT, BOUNDARIES, LABEL, SOURCE_DIFFERS, LINKS, ATTRIBUTES)

Key = tuple[int, int, str]  # start, end, label: what makes two analysts' spans the same
Links = frozenset[tuple[str, Key]]  # (relation, the extent and label it points at)


def key_of(span: Span) -> Key:
    return (span.start, span.end, span.label)


@dataclass(frozen=True, slots=True)
class ReviewPlan:
    """Who reviews whom: the reviewer, and the analysts given (none: each article's own
    first two, by name, the reviewer left out; one: that analyst against the review)."""

    reviewer: str = REVIEWER
    analysts: tuple[str, ...] = ()

    def sides(self, present: Iterable[str]) -> tuple[str, str] | None:
        """(left, right) for an article whose analysts are ``present``; None when there
        is nobody to review there."""
        if len(self.analysts) >= 2:
            return self.analysts[0], self.analysts[1]
        if self.analysts:
            return self.analysts[0], self.reviewer
        others = sorted(set(present) - {self.reviewer})
        if not others:
            return None
        return (others[0], others[1]) if len(others) > 1 else (others[0], self.reviewer)


@dataclass(frozen=True, slots=True)
class Difference:
    kind: str
    left: tuple[Span, ...]
    right: tuple[Span, ...]

    @property
    def start(self) -> int:
        return min(s.start for s in (*self.left, *self.right))

    @property
    def end(self) -> int:
        return max(s.end for s in (*self.left, *self.right))

    def side(self, which: str) -> tuple[Span, ...]:
        return self.left if which == LEFT else self.right

    def extent(self, which: str) -> tuple[int, int]:
        """Where to show it on one side: that side's spans, else where the other's are."""
        spans = self.side(which) or self.side(RIGHT if which == LEFT else LEFT)
        return min(s.start for s in spans), max(s.end for s in spans)

    @property
    def ident(self) -> tuple[object, ...]:
        """The same difference in a comparison made again after an edit."""
        return (self.kind, tuple(map(key_of, self.left)), tuple(map(key_of, self.right)))


@dataclass(frozen=True, slots=True)
class Comparison:
    left: str
    right: str
    agreements: tuple[tuple[Span, Span], ...]
    differences: tuple[Difference, ...]  # in text order

    def name(self, difference: Difference) -> str:
        """How the review bar names it: ``boundaries differ``, ``only alice has it``."""
        if difference.kind in (ONLY_LEFT, ONLY_RIGHT):
            who = self.left if difference.kind == ONLY_LEFT else self.right
            return f"only {who} has it"
        return f"{difference.kind} differ" + ("" if difference.kind.endswith("s") else "s")

    def find(self, ident: tuple[object, ...]) -> int | None:
        return next((i for i, d in enumerate(self.differences) if d.ident == ident), None)

    def step(self, current: int | None, offset: int, by: int) -> int | None:
        """The difference after (``by`` 1) or before (-1) ``current``, round the ends;
        with no current one, the first from ``offset`` on (or the last before it)."""
        count = len(self.differences)
        if not count:
            return None
        if current is not None:
            return (current + by) % count
        starts = [d.start for d in self.differences]
        found = bisect_left(starts, offset)
        return found % count if by > 0 else (found - 1) % count

    def after(self, taken: Difference) -> int | None:
        """Where the walk goes once a side of ``taken`` is taken: to the next difference
        (``taken`` is still there when two analysts are compared; it is gone when the
        review was a side, and the next is the first from where it was)."""
        index = self.find(taken.ident)
        if index is not None:
            return index + 1 if index + 1 < len(self.differences) else None
        return self.step(None, taken.start, 1)

    def under(self, cursor: int, which: str, current: int | None) -> int | None:
        """The difference the cursor of ``which`` side's pane is on: ``current`` while
        the cursor stays in it, else the innermost around the cursor."""
        if current is not None and current < len(self.differences):
            start, end = self.differences[current].extent(which)
            if start <= cursor <= end:
                return current
        return self.at(cursor)

    def at(self, offset: int) -> int | None:
        """The difference whose extent holds ``offset`` (the innermost), if any."""
        inside = [(d.end - d.start, i) for i, d in enumerate(self.differences)
                  if d.start <= offset < d.end]
        return min(inside)[1] if inside else None


def analysts_of(model: ArticleModel) -> set[str]:
    """Who has a span or a status in the article."""
    return {s.annotator for s in model.spans} | set(model.status)


def links_of(model: ArticleModel, span: Span) -> Links:
    """Where ``span``'s links point: (relation, the extent and label of the other end)."""
    ends = ((r.label, model.get(r.child)) for r in model.links_from(span.id))
    return frozenset((label, key_of(child)) for label, child in ends if child is not None)


def source_of(model: ArticleModel, span: Span) -> tuple[str | None, Span | None]:
    """A claim's source as ``claims.same_source`` compares it: its kind, its SOURCE actor."""
    link = next(iter(model.links_from(span.id, SOURCE)), None)
    return span.attribute("source_kind"), model.get(link.child) if link else None


def how_they_differ(model: ArticleModel, a: Span, b: Span) -> str | None:
    """Two spans of the same extent and label: None when they agree, else the kind."""
    if not model.links_from(a.id) and not model.links_from(b.id):  # most spans
        if a.attributes == b.attributes:
            return None
        return SOURCE_DIFFERS if a.attribute("source_kind") != b.attribute("source_kind") \
            else ATTRIBUTES
    if not same_source(*source_of(model, a), *source_of(model, b)):
        return SOURCE_DIFFERS
    links_a, links_b = links_of(model, a), links_of(model, b)
    if links_a != links_b:
        return LINKS
    return ATTRIBUTES if a.attributes != b.attributes else None


def compare(model: ArticleModel, left: str, right: str) -> Comparison:
    """Every agreement and difference between ``left``'s and ``right``'s spans."""
    agreements: list[tuple[Span, Span]] = []
    found: list[Difference] = []
    theirs = {key_of(s): s for s in model.of(right)}
    mine: list[Span] = []
    for span in model.of(left):
        other = theirs.pop(key_of(span), None)
        if other is None:
            mine.append(span)
            continue
        kind = how_they_differ(model, span, other)
        if kind is None:
            agreements.append((span, other))
        else:
            found.append(Difference(kind, (span, ), (other, )))
    free = {s.id: s for s in theirs.values()}  # in text order, as the model keeps them
    by_extent: dict[tuple[int, int], list[Span]] = {}
    for other in free.values():
        by_extent.setdefault((other.start, other.end), []).append(other)
    alone = []
    for span in mine:
        same = by_extent.get((span.start, span.end))
        if same:
            other = same.pop(0)
            del free[other.id]
            found.append(Difference(LABEL, (span, ), (other, )))
        else:
            alone.append(span)
    for span in alone:
        near = [o for o in model.overlapping(span.start, span.end, right)
                if o.id in free and o.label == span.label]
        if near:
            other = max(near, key=lambda o: (_overlap(span, o), -o.start))
            del free[other.id]
            found.append(Difference(BOUNDARIES, (span, ), (other, )))
        else:
            found.append(Difference(ONLY_LEFT, (span, ), ()))
    found += [Difference(ONLY_RIGHT, (), (other, )) for other in free.values()]
    found.sort(key=lambda d: (d.start, -d.end, KINDS.index(d.kind)))
    return Comparison(left, right, tuple(agreements), tuple(found))


def _overlap(a: Span, b: Span) -> int:
    return min(a.end, b.end) - max(a.start, b.start)


# -- what the review holds ---------------------------------------------------------------


def counterpart(model: ArticleModel, reviewer: str, span: Span) -> Span | None:
    """The reviewer's span with ``span``'s extent and label, if the review has one."""
    return model.find(span.start, span.end, span.label, reviewer)


def holds_side(model: ArticleModel, reviewer: str, difference: Difference, which: str
               ) -> bool:
    """Does the review hold this side of ``difference`` as that side has it: its spans,
    with their attributes and links, and none of the other side's?"""
    side = difference.side(which)
    keys = {key_of(s) for s in side}
    other = difference.side(RIGHT if which == LEFT else LEFT)
    if any(counterpart(model, reviewer, s) is not None for s in other
           if key_of(s) not in keys):
        return False
    for span in side:
        there = counterpart(model, reviewer, span)
        if there is None or there.attributes != span.attributes or \
                links_of(model, there) != links_of(model, span):
            return False
    return True


def holds(model: ArticleModel, reviewer: str, comparison: Comparison,
          difference: Difference) -> str:
    """What the review bar says the review holds for ``difference``."""
    if difference.kind in (ONLY_LEFT, ONLY_RIGHT):
        which = LEFT if difference.kind == ONLY_LEFT else RIGHT
        if holds_side(model, reviewer, difference, which):
            return "in the review"
        return "not in the review" if holds_side(
            model, reviewer, difference, RIGHT if which == LEFT else LEFT) else \
            "the review: its own"
    for which, who in ((LEFT, comparison.left), (RIGHT, comparison.right)):
        if holds_side(model, reviewer, difference, which):
            return "the review: yours" if who == reviewer else f"the review: {who}'s"
    return "the review: neither"


def held(model: ArticleModel, reviewer: str) -> set[Key]:
    """The extents and labels of the review's spans."""
    return {key_of(s) for s in model.of(reviewer)}


def in_review(model: ArticleModel, reviewer: str, agreements: Sequence[tuple[Span, Span]]
              ) -> int:
    """How many of the agreements the review holds."""
    keys = held(model, reviewer)
    return sum(key_of(a) in keys for a, _b in agreements)


# -- what is shown -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ReviewLine:
    """What the review bar says: where in the walk, the difference, what the review holds,
    the agreements and whether the article is marked reviewed."""

    position: int  # 1-based; 0: no difference chosen
    total: int
    name: str = ""
    left: str = ""
    right: str = ""
    holds: str = ""
    agreements: int = 0
    agreed_in_review: int = 0
    reviewed: bool = False


def review_line(model: ArticleModel, reviewer: str, comparison: Comparison,
                current: int | None) -> ReviewLine:
    agreements = len(comparison.agreements)
    kept = in_review(model, reviewer, comparison.agreements)
    reviewed = model.status.get(reviewer) == "reviewed"
    total = len(comparison.differences)
    if current is None or not 0 <= current < total:
        return ReviewLine(0, total, agreements=agreements, agreed_in_review=kept,
                          reviewed=reviewed)
    difference = comparison.differences[current]
    return ReviewLine(current + 1, total, comparison.name(difference),
                      _spans(difference.left), _spans(difference.right),
                      holds(model, reviewer, comparison, difference), agreements, kept,
                      reviewed)


def _spans(spans: tuple[Span, ...]) -> str:
    return ", ".join(f"{s.label} “{cut(s.text, 24)}”" for s in spans) or "nothing"


SHORT = {ONLY_LEFT: "only", ONLY_RIGHT: "only", BOUNDARIES: "bounds", LABEL: "label",
         SOURCE_DIFFERS: "source", LINKS: "links", ATTRIBUTES: "attrs"}


@dataclass(frozen=True, slots=True)
class Notes:
    """What each side's span list says of a span, in place of the analyst's name: how it
    differs (or that it agrees), and ✓ when the review holds a span like it. Asked only
    for the rows drawn: an edit of the review costs a set of its keys, not a note a span."""

    kinds: dict[str, str]  # span id -> how it differs, from the comparison
    held: set[Key]  # the review's spans
    reviewer: str

    def of(self, span: Span) -> str | None:
        what = self.kinds.get(span.id)
        if what is None or span.annotator == self.reviewer or key_of(span) not in self.held:
            return what
        return f"{what} ✓"


def kinds_of(comparison: Comparison) -> dict[str, str]:
    """Each span of the comparison: ``agrees``, or how it differs (short)."""
    out = {x.id: "agrees" for pair in comparison.agreements for x in pair}
    for difference in comparison.differences:
        for span in (*difference.left, *difference.right):
            out[span.id] = SHORT[difference.kind]
    return out


def notes(model: ArticleModel, reviewer: str, comparison: Comparison,
          kinds: dict[str, str] | None = None) -> Notes:
    """The span lists' notes (``kinds``: the comparison's, when already worked out)."""
    return Notes(kinds if kinds is not None else kinds_of(comparison),
                 held(model, reviewer), reviewer)
