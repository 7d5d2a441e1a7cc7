"""Accepting suggestions, as edits: a suggestion becomes an ordinary span of this analyst
that records its finder (``origin``), and a suggested claim comes with its SOURCE link (the
source made an actor of this analyst's when it is only suggested) or its ``source_kind``.

Pure functions over an :class:`ArticleModel`, as in ``editor.py``: each returns one edit
(one undo takes the spans and their links back together) or the line saying why there is
none.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from tui.core.document.edits import Change, Edit, LinkChange
from tui.core.document.model import GlossError, Relation, Span
from tui.core.document.schema import SOURCE
from tui.core.document.suggestion import Suggestion
from tui.core.editing.article_model import ArticleModel

Outcome = Edit | str
ACTOR = "ACTOR"


def accept(model: ArticleModel, suggestion: Suggestion | None) -> Outcome:
    """The edit that makes ``suggestion`` a span (with its source's link)."""
    if suggestion is None:
        return "no suggestion under the cursor: j walks to the next one"
    return accept_all(model, [suggestion])


def accept_all(model: ArticleModel, suggestions: Sequence[Suggestion]) -> Outcome:
    """One edit that makes every suggestion a span, each claim with its source's link."""
    if not suggestions:
        return "no suggestion to accept"
    text, analyst = model.text, model.annotator
    made: dict[tuple[int, int, str], Span] = {}  # extent and label -> the span made here
    changes: list[Change] = []
    links: list[LinkChange] = []
    try:
        for suggestion in suggestions:
            span = _span(model, suggestion)
            if span.key[:3] in made or model.find(*span.key) is not None:
                continue
            source = suggestion.source
            if source is not None and source.kind != "actor":
                span = span.with_attribute("source_kind", source.kind)
            made[span.key[:3]] = span
            changes.append(Change(None, span))
            if source is None or source.kind != "actor" or source.start is None \
                    or source.end is None or model.labels.relation(SOURCE) is None:
                continue
            actor = made.get((source.start, source.end, ACTOR)) or model.find(
                source.start, source.end, ACTOR, analyst)
            if actor is None:  # a speaker no finder named ("the ministry"): an actor now
                actor = Span.new(text, source.start, source.end, ACTOR, analyst,
                                 origin=suggestion.kind)
                made[actor.key[:3]] = actor
                changes.append(Change(None, actor))
            links.append(LinkChange(None, Relation(span.id, actor.id, SOURCE, analyst),
                                    span, actor))
    except GlossError as exc:
        return str(exc)
    if not changes:
        return "every suggestion there is labelled already"
    edit = Edit(model.doc_id, tuple(changes), tuple(links))
    return model.check(edit) or edit


def _span(model: ArticleModel, suggestion: Suggestion) -> Span:
    span = Span.new(model.text, suggestion.start, suggestion.end, suggestion.label,
                    model.annotator, origin=suggestion.kind)
    allowed = {a.name for a in model.labels.attributes_of(suggestion.label)}
    kept = tuple((k, v) for k, v in suggestion.attributes if k in allowed)
    return replace(span, attributes=kept) if kept else span
