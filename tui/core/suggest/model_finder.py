"""Suggestions from a model ``gloss train`` made: its spans as suggestions of kind
``model``, each with how sure the model is, and how unsure it is of a whole article.

Loading is its own call (``ModelFinder.load``, a second or so: spaCy and the weights), so
the app can make it in a thread and keep the finder; ``find`` then runs the pipeline over
the article's paragraphs (or only those of a stretch of it, for what is on screen first)
in batches. A score is the span categorizer's own probability for a span label; for an
entity label it is the model's held-out precision for that label (from its card), or with
``beam=True`` the probability of the entity over a beam of parses, which costs a few times
more and is what the uncertainty of an article is made of.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tui.core.document.suggestion import Suggestion
from tui.core.train import pipeline, store
from tui.core.train.store import ModelError

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

BEAM_WIDTH = 8
_PARAGRAPH = re.compile(r"[^\n]+")


@dataclass(frozen=True, slots=True)
class Scored:
    suggestions: list[Suggestion]
    uncertainty: float  # 0 (sure of every span) .. 1 (a coin toss on each)


class ModelFinder:
    """A loaded model that finds spans in article text."""

    def __init__(self, nlp: Language, card: dict[str, Any], folder: Path) -> None:
        self.nlp = nlp
        self.card = card
        self.folder = folder
        scores = card.get("scores", {}).get("labels", {})
        self._precision = {label: float(figures.get("p", 0.5)) if isinstance(figures, dict)
                           else 0.5 for label, figures in scores.items()}

    @classmethod
    def load(cls, path: Path) -> ModelFinder:
        """The model at ``path`` (a model folder, a model's name folder or a dataset), or
        ModelError saying in one line why it cannot be used."""
        folder = store.resolve(Path(path))
        card = store.read_card(folder)
        try:
            import spacy
        except ImportError as exc:
            from tui.core.store.install import extra_command

            raise ModelError(f"{folder}: a model needs spaCy: {extra_command('spacy')}"
                             ) from exc
        try:
            nlp = spacy.load(folder)
        except Exception as exc:  # spaCy raises OSError, ValueError, KeyError, ... for a bad folder
            reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise ModelError(f"{folder}: the model cannot be loaded: {reason[:200]}") from exc
        if not set(nlp.pipe_names) & {"ner", "spancat"}:
            raise ModelError(f"{folder}: the model has no entity recognizer or span"
                             " categorizer")
        return cls(nlp, card, folder)

    @property
    def labels(self) -> list[str]:
        return sorted(set(self.card["labels"].get("ner", []))
                      | set(self.card["labels"].get("spancat", [])))

    def find(self, text: str, start: int = 0, end: int | None = None, *,
             beam: bool = False) -> list[Suggestion]:
        """The model's spans in ``text`` (only in the paragraphs that overlap
        ``start``..``end`` when given), in text order."""
        return self.scored(text, start, end, beam=beam).suggestions

    def uncertainty(self, text: str) -> float:
        """How unsure the model is of the article: the mean over its candidate spans of
        1 - |2p - 1| (0 when every span is sure one way or the other), for picking the
        article to label next."""
        return self.scored(text, beam=True).uncertainty

    def scored(self, text: str, start: int = 0, end: int | None = None, *,
               beam: bool = False) -> Scored:
        found: list[Suggestion] = []
        doubts: list[float] = []
        pieces = list(_paragraphs(text, start, len(text) if end is None else end))
        docs = self._docs([piece for _, piece in pieces], beam)
        for (offset, _), (doc, entity_scores) in zip(pieces, docs, strict=True):
            for ent in doc.ents:
                key = (ent.start, ent.end, ent.label_)
                score = entity_scores.get(key, 0.0) if beam else \
                    self._precision.get(ent.label_, 0.5)
                found.append(Suggestion(offset + ent.start_char, offset + ent.end_char,
                                        ent.label_, "model", _unit(score)))
            for score in entity_scores.values():
                doubts.append(1 - abs(2 * score - 1))
            group = doc.spans.get(pipeline.SPANS_KEY)
            if group is not None:
                span_scores = group.attrs.get("scores")
                for index, span in enumerate(group):
                    score = float(span_scores[index].max()) if span_scores is not None \
                        and len(span_scores) > index else 1.0
                    found.append(Suggestion(offset + span.start_char, offset + span.end_char,
                                            span.label_, "model", _unit(score)))
                    doubts.append(1 - abs(2 * score - 1))
        found.sort(key=lambda s: (s.start, -s.end, s.label))
        return Scored(found, sum(doubts) / len(doubts) if doubts else 0.0)

    def _docs(self, texts: list[str], beam: bool
              ) -> Iterator[tuple[Doc, dict[tuple[int, int, str], float]]]:
        nlp = self.nlp
        if not beam or "ner" not in nlp.pipe_names:
            for doc in nlp.pipe(texts, batch_size=256):
                yield doc, {}
            return
        ner = nlp.get_pipe("ner")
        with nlp.select_pipes(disable=["ner"]):
            docs = list(nlp.pipe(texts, batch_size=256))
        for start in range(0, len(docs), 256):
            batch = docs[start:start + 256]
            beams = ner.beam_parse(batch, beam_width=BEAM_WIDTH)
            ner.set_annotations(batch, beams)
            yield from zip(batch, ner.scored_ents(beams), strict=True)


def _unit(score: float) -> float:
    return min(max(float(score), 0.0), 1.0)


def _paragraphs(text: str, start: int, end: int) -> Iterator[tuple[int, str]]:
    """(offset, paragraph) for each line of text overlapping start..end: a claim or a name
    never runs across a line break in the articles Gloss holds, and short docs batch."""
    for match in _PARAGRAPH.finditer(text):
        if match.end() <= start:
            continue
        if match.start() >= end:
            break
        if match.group().strip():
            yield match.start(), match.group()
