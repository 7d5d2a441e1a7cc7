"""Links between spans and what is said of a span, as edits: link a claim to its source or
to a place, unlink it, set an attribute; and the choice a link key opens (the candidates,
the one highlighted, the hint letters).

Pure functions over an :class:`ArticleModel`, as in ``editor.py``: each returns an edit or
the one line saying why there is none, and never changes the model itself. The rules that
keep the data whole live here too: a SOURCE link sets the claim's ``source_kind`` to actor
and unlinking takes that back; a ``source_kind`` other than actor unlinks the source;
removing or relabelling a span removes the links it no longer fits, in the same edit, so
that one undo brings everything back.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from tui.core.document.canonical import bare_name
from tui.core.document.edits import Change, Edit, LinkChange
from tui.core.document.model import LabelSet, Relation, Span
from tui.core.document.schema import ABOUT, SOURCE, RelationType
from tui.core.editing.article_model import ArticleModel
from tui.core.language.sentences import sentence_of, sentence_starts

Outcome = Edit | str
HINTS = "asdfghjklqwertyuiopzxcvbnm"  # the home row first
SOURCE_KIND, ACTOR_KIND = "source_kind", "actor"


# -- edits -----------------------------------------------------------------------------


def link(model: ArticleModel, relation: RelationType, head: Span, child: Span) -> Outcome:
    """Link ``head`` to ``child``; when that link is there, unlink it. A relation type with
    a cap (SOURCE: one) replaces the oldest link of ``head`` once it is full."""
    there = model.link(head.id, child.id, relation.name)
    if there is not None:
        return unlink(model, there)
    if (head.label, child.label) != (relation.head, relation.child):
        return f"{relation.name} links a {relation.head} to a {relation.child}"
    if model.get(head.id) is None or model.get(child.id) is None:
        return "the span to link is not there any more"
    made = Relation(head.id, child.id, relation.name, model.annotator)
    current = model.links_from(head.id, relation.name)
    full = len(current) - relation.most + 1 if relation.most is not None else 0
    gone = [_removal(model, old) for old in current[:max(full, 0)]]
    changes = []
    if relation.name == SOURCE and _has_kind(model.labels, head) and \
            head.attribute(SOURCE_KIND) != ACTOR_KIND:
        changes.append(Change(head, head.with_attribute(SOURCE_KIND, ACTOR_KIND)))
    edit = Edit(model.doc_id, tuple(changes), (*gone, LinkChange(None, made, head, child)))
    return model.check(edit) or edit


def unlink(model: ArticleModel, relation: Relation) -> Edit:
    """Remove ``relation``; a claim that loses its source loses the ``source_kind`` the
    link gave it."""
    removal = _removal(model, relation)
    changes = _kind_taken_back(model, removal.head, {relation.id})
    return Edit(model.doc_id, tuple(changes), (removal,))


def remove(model: ArticleModel, span: Span | None) -> Outcome:
    """Remove ``span`` with every link it has (a claim its source loses, as unlinking)."""
    if span is None:
        return "no span under the cursor"
    links = [_removal(model, r) for r in model.links_of(span.id)]
    gone = {link.relation.id for link in links}
    changes = [Change(span, None)]
    for claim in {link.head.id: link.head for link in links if link.head.id != span.id}.values():
        changes += _kind_taken_back(model, model.get(claim.id) or claim, gone)
    return Edit(model.doc_id, tuple(changes), tuple(links))


def relabel(model: ArticleModel, before: Span, label: str) -> Edit:
    """``before`` with ``label``: the links it no longer fits are removed and the
    attributes of its old label that the new one has not are dropped, in the same edit."""
    labels = model.labels
    after = before.relabelled(label)
    for name, _value in before.attributes:
        kind = labels.attribute(name)
        if kind is not None and label not in kind.labels:
            after = after.with_attribute(name, None)
    misfits = [r for r in model.links_from(before.id) if _fits(labels, r, head=label) is False]
    misfits += [r for r in model.links_to(before.id) if _fits(labels, r, child=label) is False]
    links = tuple(_removal(model, r) for r in misfits)
    gone = {r.id for r in misfits}
    changes = [Change(before, after)]
    for link_ in links:
        if link_.head.id != before.id:
            changes += _kind_taken_back(model, link_.head, gone)
    return Edit(model.doc_id, tuple(changes), links)


def set_attribute(model: ArticleModel, span: Span | None, name: str, value: str | None
                  ) -> Outcome:
    """Set ``name`` of ``span`` to ``value`` (None: clear it), checked by the label set's
    schema. A claim's ``source_kind`` other than actor unlinks its source (one edit)."""
    if span is None:
        return "no span under the cursor"
    kind = model.labels.attribute(name)
    if kind is None or span.label not in kind.labels:
        return f"a {span.label} has no attribute {name}"
    if value is not None:
        value = value.strip()
        problem = kind.problem(value)
        if problem:
            return problem
    if span.attribute(name) == value:
        return f"{name} is {value} already" if value is not None else f"no {name} to clear"
    links: tuple[LinkChange, ...] = ()
    if name == SOURCE_KIND and value not in (None, ACTOR_KIND):
        links = tuple(_removal(model, r) for r in model.links_from(span.id, SOURCE))
    return Edit(model.doc_id, (Change(span, span.with_attribute(name, value)),), links)


def _removal(model: ArticleModel, relation: Relation) -> LinkChange:
    head, child = model.get(relation.head), model.get(relation.child)
    assert head is not None and child is not None, "the model drops a link with its span"
    return LinkChange(relation, None, head, child)


def _has_kind(labels: LabelSet, claim: Span) -> bool:
    kind = labels.attribute(SOURCE_KIND)
    return kind is not None and claim.label in kind.labels and (
        not kind.values or ACTOR_KIND in kind.values)


def _kind_taken_back(model: ArticleModel, claim: Span, gone: set[str]) -> list[Change]:
    """The claim without the ``source_kind`` actor its last SOURCE link gave it."""
    left = [r for r in model.links_from(claim.id, SOURCE) if r.id not in gone]
    if left or claim.attribute(SOURCE_KIND) != ACTOR_KIND:
        return []
    return [Change(claim, claim.with_attribute(SOURCE_KIND, None))]


def _fits(labels: LabelSet, relation: Relation, head: str | None = None,
          child: str | None = None) -> bool | None:
    """Does ``relation`` still fit a head (or child) with this label? None: a relation
    type the label set does not know (kept as it is)."""
    kind = labels.relation(relation.label)
    if kind is None:
        return None
    return (head is None or head == kind.head) and (child is None or child == kind.child)


# -- the choice a link key opens ---------------------------------------------------------


@dataclass(slots=True)
class Choice:
    """Linking in progress: ``anchor`` (the span the key was pressed on) and the spans it
    may link to, the likeliest first; ``index`` is the one highlighted."""

    relation: RelationType
    anchor: Span
    from_head: bool  # the anchor is the head (a claim), the options are its children
    options: list[Span]
    linked: frozenset[str] = field(default_factory=frozenset)  # options linked already
    index: int = 0

    @property
    def current(self) -> Span:
        return self.options[self.index]

    def step(self, by: int) -> None:
        self.index = (self.index + by) % len(self.options)

    def pick(self, letter: str) -> bool:
        """Highlight the option of hint ``letter``; False when no option has it."""
        found = HINTS.find(letter) if len(letter) == 1 else -1
        if 0 <= found < len(self.options):
            self.index = found
            return True
        return False

    def ends(self, option: Span | None = None) -> tuple[Span, Span]:
        """(head, child) of the link to ``option`` (the highlighted one by default)."""
        option = option or self.current
        return (self.anchor, option) if self.from_head else (option, self.anchor)

    def hints(self) -> list[tuple[Span, str]]:
        return list(zip(self.options, HINTS, strict=False))


def start(model: ArticleModel, name: str, current: Span | None, at_cursor: Iterable[Span]
          ) -> Choice | str:
    """The choice that linking ``name`` opens from where the cursor is: from the span tab
    went to (``current``) when it can take part, else claim-first, from the innermost
    head (a claim) under the cursor, else from the innermost child (an actor)."""
    from tui.core.attribution.claims import candidates  # put off: the reader's start

    relation = model.labels.relation(name)
    if relation is None:
        return f"the label set has no {name} links"
    anchor = current if current is not None and current.label in (
        relation.head, relation.child) else None
    if anchor is None:
        spans = list(at_cursor)
        anchor = next((s for s in spans if s.label == relation.head), None) or next(
            (s for s in spans if s.label == relation.child), None)
    if anchor is None:
        return f"{name} links a {relation.head} to a {relation.child}: put the cursor on one"
    from_head = anchor.label == relation.head
    other = relation.child if from_head else relation.head
    analyst = anchor.annotator
    pool = [s for s in model.labelled(other) if s.annotator == analyst and s.id != anchor.id]
    starts = local_starts(model.text, anchor.start, anchor.end)
    if from_head:
        linked = [model.get(r.child) for r in model.links_from(anchor.id, name)]
        ranked = candidates(model.text, anchor, pool, name=same_name, starts=starts) \
            if name == SOURCE else ranked_near(model.text, anchor, pool, starts, same_name)
    else:
        linked = [model.get(r.head) for r in model.links_to(anchor.id, name)]
        ranked = ranked_near(model.text, anchor, pool, starts, inside_first=name != SOURCE,
                             after_first=name == SOURCE)
    there = [s for s in linked if s is not None]
    if not ranked and not there:
        return f"no {other} in this article to link: label one first"
    taken = {s.id for s in there}
    if from_head and relation.most is not None:  # the link there comes first: enter unlinks
        names = {same_name(s) for s in there}
        options = there + [s for s in ranked if s.id not in taken and same_name(s) not in names]
        return Choice(relation, anchor, True, options, frozenset(taken))
    options = ranked + [s for s in there if s not in ranked]
    free = [i for i, s in enumerate(options) if s.id not in taken and not (
        not from_head and relation.most is not None and model.links_from(s.id, name))]
    index = free[0] if free else next(
        (i for i, s in enumerate(options) if s.id not in taken), 0)
    return Choice(relation, anchor, from_head, options, frozenset(taken), index)


def same_name(span: Span) -> str:
    """Which spans name one actor (or place): its canonical name, else its bare name."""
    return _same_name(span.text, span.attribute("canonical") if span.attributes else None)


@lru_cache(maxsize=1 << 16)
def _same_name(text: str, canonical: str | None) -> str:
    # A link key names every actor of the article: 1,700 regex runs in a megabyte, once.
    return (canonical or bare_name(text) or text).casefold()


def ranked_near(text: str, anchor: Span, pool: list[Span], starts: list[int],
                name: Callable[[Span], str] | None = None, *, inside_first: bool = True,
                after_first: bool = False) -> list[Span]:
    """``pool`` ranked around ``anchor``: the spans inside it (or holding it) first, then
    those of its sentence, then the nearest (after it first, or before it first); with
    ``name``, one span a name, at its best place."""
    first = sentence_of(starts, text, anchor.start)[0]
    last = sentence_of(starts, text, max(anchor.end - 1, anchor.start))[1]

    def rank(span: Span) -> tuple[int, int, int]:
        distance = max(anchor.start - span.end, span.start - anchor.end, 0)
        nested = (anchor.start <= span.start and span.end <= anchor.end) or (
            span.start <= anchor.start and anchor.end <= span.end)
        if nested and inside_first:
            return (0, 0, distance)
        if first <= span.start and span.end <= last:
            return (1, 0, distance)
        later = span.start >= anchor.end
        return (2, 0 if later == after_first else 1, distance)

    ranked = sorted(pool, key=lambda s: (rank(s), s.start))
    if name is None:
        return ranked
    best: dict[str, Span] = {}
    for span in ranked:
        best.setdefault(name(span), span)
    return list(best.values())


def local_starts(text: str, start: int, end: int) -> list[int]:
    """Sentence starts around [start, end), enough for :func:`sentence_of` there: a
    sentence never crosses a line end, so the lines holding the span are read, not the
    article (a megabyte of text takes 30 ms to split)."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", max(end - 1, start))
    line_end = len(text) if line_end < 0 else line_end
    starts = [line_start + s for s in sentence_starts(text[line_start:line_end])]
    if line_start:
        starts.insert(0, 0)
    if line_end < len(text):
        starts.append(line_end + 1)
    return starts


def partners(model: ArticleModel, span: Span) -> list[Span]:
    """The spans linked to ``span`` either way: a claim's source and places, the claims
    an actor is the source of."""
    ids = [r.child for r in model.links_from(span.id)] + [r.head for r in model.links_to(span.id)]
    return [s for s in map(model.get, ids) if s is not None]


def links_line(model: ArticleModel, span: Span) -> str:
    """What a span list shows after a span's text: ``← source @ place, place`` for a claim
    (``← ?`` while it has neither a source nor a source kind, ``← (journalist)`` for a
    kind), ``= canonical`` for an actor or a place that goes by another name."""
    from tui.core.attribution.claim_board import name_of  # put off: the reader's start

    labels = model.labels
    parts = []
    for kind in labels.relations_from(span.label):
        names = [name_of(s) for s in map(model.get, (
            r.child for r in model.links_from(span.id, kind.name))) if s is not None]
        if kind.name == SOURCE:
            source_kind = span.attribute(SOURCE_KIND)
            shown = ", ".join(names) or (f"({source_kind})" if source_kind else "?")
            parts.insert(0, f"← {shown}")
        elif names:
            parts.append(f"{'@' if kind.name == ABOUT else kind.name} {', '.join(names)}")
    canonical = span.attribute("canonical")
    if canonical and canonical != span.text:
        parts.append(f"= {canonical}")
    return " ".join(parts)
