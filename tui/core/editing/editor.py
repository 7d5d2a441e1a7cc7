"""What each editing key asks of an article, as an :class:`Edit` or the reason it cannot.

Pure functions over an :class:`ArticleModel`: the reader calls them and applies the edit
they return. None of them changes the model itself.
"""

from __future__ import annotations

from dataclasses import replace

from tui.core.document.edits import Change, Edit
from tui.core.document.model import GlossError, Span, check_offsets, now
from tui.core.editing import linking
from tui.core.editing.article_model import ArticleModel
from tui.core.language.search import occurrences
from tui.core.language.text import (
    next_grapheme,
    next_word_end,
    previous_grapheme,
    previous_word_start,
    words,
)

Outcome = Edit | str  # an edit to apply, or one line saying why there is none


def label(model: ArticleModel, start: int, end: int, name: str, current: Span | None = None
          ) -> Outcome:
    """Label [start, end) with ``name``; on a span of this analyst with exactly that extent,
    relabel it (``current``, the span the cursor is on, first)."""
    analyst = model.annotator
    if model.find(start, end, name, analyst) is not None:
        return f"{name} “{model.text[start:end][:40]}” is already there"
    same = model.with_extent(start, end, analyst)
    if same:
        before = current if current in same else same[0]
        return _checked(model, linking.relabel(model, before, name))
    try:
        span = Span.new(model.text, start, end, name, analyst)
    except GlossError as exc:
        return str(exc)
    return _checked(model, Edit.adding(model.doc_id, span))


def remove(model: ArticleModel, span: Span | None) -> Outcome:
    """Remove ``span`` and its links (one edit: one undo brings both back)."""
    return linking.remove(model, span)


def label_every(model: ArticleModel, span: Span | None) -> Outcome:
    """Label every other place where ``span``'s text stands as whole words, skipping those
    this analyst has already labelled (a span with that extent, or one of the same label
    around it): one edit, so one undo."""
    if span is None:
        return "no span under the cursor: label one first"
    made = []
    for start, end in occurrences(model.text, span.text):
        if any((s.start, s.end) == (start, end) or (
                s.label == span.label and s.start <= start and end <= s.end) for s in
               model.overlapping(start, end, model.annotator)):
            continue
        made.append(Span.new(model.text, start, end, span.label, model.annotator))
    if not made:
        return f"every “{span.text[:40]}” is already labelled"
    return _checked(model, Edit.adding(model.doc_id, *made))


def resize(model: ArticleModel, span: Span | None, edge: str, step: int, by_character: bool
           ) -> Outcome:
    """Move ``span``'s start or end (``edge``) one word (or character) left (-1) or right."""
    if span is None:
        return "no span under the cursor"
    text = model.text
    start, end = span.start, span.end
    if edge == "start":
        start = _step(text, start, step, by_character, inside=(start, end))
    else:
        end = _step(text, end, step, by_character, inside=(start, end), is_end=True)
    shrinking = (edge == "start") == (step > 0)
    if end <= start or ((start, end) == (span.start, span.end) and shrinking):
        return "a span keeps at least one word"
    if (start, end) == (span.start, span.end):
        return "the span cannot move that way"
    try:
        check_offsets(text, start, end)
    except GlossError as exc:
        return str(exc)
    after = replace(span, start=start, end=end, text=text[start:end], updated=now())
    return _checked(model, Edit(model.doc_id, (Change(span, after),)))


def _step(text: str, offset: int, step: int, by_character: bool, inside: tuple[int, int],
          is_end: bool = False) -> int:
    if by_character:
        return next_grapheme(text, offset) if step > 0 else previous_grapheme(text, offset)
    if is_end and step > 0:
        return next_word_end(text, offset)
    if is_end:  # drop the last word: end where the word before it ends
        kept = [e for s, e in words(text, inside[0], offset) if e < offset]
        return kept[-1] if kept else offset
    if step > 0:  # drop the first word: start where the next one starts
        later = [s for s, e in words(text, offset, inside[1]) if s > offset]
        return later[0] if later else offset
    return previous_word_start(text, offset)


def _checked(model: ArticleModel, edit: Edit) -> Outcome:
    refusal = model.check(edit)
    return refusal if refusal is not None else edit
