"""Suggestions from a model ``gloss train`` made: its spans as suggestions of kind
``model``, each with how sure the model is, and how unsure it is of a whole article.

Loading is its own call (``ModelFinder.load``, a second or so: spaCy and the weights), so
the app can make it in a thread and keep the finder; ``find`` then runs the pipeline over
the article's paragraphs (or only those of a stretch of it, for what is on screen first)
in batches, sharing a long article with a second process (``model_worker.py``). A score
is the span categorizer's own probability for a span label; for an entity label it is
the model's held-out precision for that label (from its card), or with ``beam=True`` the
probability of the entity over a beam of parses, which costs a few times more and is what
the uncertainty of an article is made of.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from tui.core.disk.second_process import cores
from tui.core.document.model import Span
from tui.core.document.schema import SOURCE
from tui.core.document.suggestion import Source, Suggestion
from tui.core.language.sentences import sentence_starts
from tui.core.suggest.model_pipe import Pipe
from tui.core.suggest.model_worker import Worker, serve
from tui.core.train import links, pipeline, store
from tui.core.train.store import ModelError

if TYPE_CHECKING:
    from spacy.language import Language

CLAIM = "CLAIM"  # the label the link rule gives a source (train/links.py)
_PARAGRAPH = re.compile(r"[^\n]+")
PIECE = 4000  # characters: the longest stretch of a line the pipeline is given at once
# from this many characters on, a second process shares the work (where there are two cores:
# on one it would only wait for the same core, after a second load of the model)
PARALLEL_CHARS = 200_000


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
        # the link rule's claim label, when the model learns one (a model of names has none)
        self._claim = CLAIM if CLAIM in self.labels else None
        self._pipe = Pipe(nlp)
        self._worker: Worker | None = None

    @classmethod
    def load(cls, path: Path, *, worker: bool = False) -> ModelFinder:
        """The model at ``path`` (a model folder, a model's name folder or a dataset), or
        ModelError saying in one line why it cannot be used. With ``worker`` (a caller
        that will give it long articles) the worker process starts first, so that its load
        of spaCy and the weights runs on the other core while this one loads its own."""
        folder = store.resolve(Path(path))
        card = store.read_card(folder)
        early = Worker(folder) if worker and cores() >= 2 else None
        try:
            finder = cls._loaded(folder, card)
        except BaseException:
            if early is not None:
                early.close()
            raise
        finder._worker = early
        return finder

    @classmethod
    def _loaded(cls, folder: Path, card: dict[str, Any]) -> ModelFinder:
        try:
            import spacy
        except ImportError as exc:
            from tui.core.disk.install import extra_command

            raise ModelError(f"{folder}: a model needs spaCy: {extra_command('spacy')}"
                             ) from exc
        from tui.core.train import blis_kernel, layers

        layers.register()  # a model's span finder names Gloss's layer
        blis_kernel.use_known_kernel()  # before spaCy's first product, as in training
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
        pieces = list(_pieces(text, start, len(text) if end is None else end))
        if beam or sum(len(piece) for _, piece in pieces) < PARALLEL_CHARS or cores() < 2:
            found, doubts = self.found(pieces, beam)
        else:
            parts = self.start_worker().share(pieces, self.found)
            found = [s for part, _ in parts for s in part]
            doubts = [d for _, part in parts for d in part]
        found.sort(key=lambda s: (s.start, -s.end, s.label))
        return Scored(found, sum(doubts) / len(doubts) if doubts else 0.0)

    def start_worker(self) -> Worker:
        """The worker process that shares long articles, started now if it is not yet:
        a caller that expects long articles starts it with the model (in its thread), so
        that the first one costs only its work, not a second load of spaCy and the
        weights (1.3 s here)."""
        if self._worker is None:
            self._worker = Worker(self.folder)
        return self._worker

    def close(self) -> None:
        """Stop the worker process, if a long article started one."""
        if self._worker is not None:
            self._worker.close()
            self._worker = None

    def found(self, pieces: list[tuple[int, str]], beam: bool = False
              ) -> tuple[list[Suggestion], list[float]]:
        """The suggestions in ``pieces`` at their offsets, and the doubt of each span."""
        found: list[Suggestion] = []
        doubts: list[float] = []
        docs = self._pipe.run([piece for _, piece in pieces], beam)
        for (offset, piece), (doc, entity_scores) in zip(pieces, docs, strict=True):
            # (start, end, label, score) in the piece: Suggestions are made once, at their
            # offsets in the article, with their sources
            here: list[tuple[int, int, str, float]] = []
            for ent in doc.ents:
                label = ent.label_
                score = entity_scores.get((ent.start, ent.end, label), 0.0) if beam else \
                    self._precision.get(label, 0.5)
                here.append((ent.start_char, ent.end_char, label, _unit(score)))
            for score in entity_scores.values():
                doubts.append(1 - abs(2 * score - 1))
            group = doc.spans.get(pipeline.SPANS_KEY)
            if group is not None and len(group):
                span_scores = group.attrs.get("scores")
                # each span's best label's probability; a span without scores is sure
                best = [] if span_scores is None else _best(span_scores)
                best += [1.0] * (len(group) - len(best))
                for span, score in zip(group, best, strict=False):
                    here.append((span.start_char, span.end_char, span.label_, _unit(score)))
                    doubts.append(1 - abs(2 * score - 1))
            sources = _sources(piece, here, self._claim)
            for start, end, label, score in here:
                source = sources.get((start, end)) if label == self._claim else None
                found.append(Suggestion(start + offset, end + offset, label, "model", score,
                                        None if source is None else
                                        Source(source[0] + offset, source[1] + offset)))
        return found, doubts


def _sources(text: str, found: list[tuple[int, int, str, float]], claim: str | None
             ) -> dict[tuple[int, int], tuple[int, int]]:
    """Each claim's source, the actor the link rule picks (train/links.py), by the claim's
    extent: the model's claims are proposed with who said them, as the claim cues' are."""
    if claim is None or not any(label == claim for _, _, label, _ in found):
        return {}
    # ``created`` given: the links need no time, and now() for each span costs
    spans = [Span(start, end, label, text[start:end], "model", "model", id=str(n),
                  created="") for n, (start, end, label, _) in enumerate(found)]
    return {link[0][:2]: link[1][:2] for link in links.guess(text, spans, claim=claim)
            if link[2] == SOURCE}


def _best(scores: Any) -> list[float]:
    """Each span's score (spaCy gives one a span, or one a label: then the best)."""
    scores = np.asarray(scores)
    return (scores if scores.ndim < 2 else scores.max(axis=1)).reshape(-1).tolist()


def _unit(score: float) -> float:
    return min(max(float(score), 0.0), 1.0)


def _pieces(text: str, start: int, end: int) -> Iterator[tuple[int, str]]:
    """(offset, piece) for each line of text overlapping start..end, a line longer than
    PIECE characters cut at sentence ends: a claim or a name never runs across a line
    break in the articles Gloss holds, short docs batch well, and the span finder pairs
    every start it finds with every end in its doc (a 1 MB line would be millions of
    pairs)."""
    for match in _PARAGRAPH.finditer(text):
        if match.end() <= start:
            continue
        if match.start() >= end:
            break
        line = match.group()
        if not line.strip():
            continue
        if len(line) <= PIECE:
            yield match.start(), line
            continue
        cut = 0
        for sentence in sentence_starts(line):
            if sentence - cut >= PIECE:
                yield from _cut(match.start() + cut, line[cut:sentence])
                cut = sentence
            elif sentence - cut > PIECE // 2 and sentence > cut:
                yield match.start() + cut, line[cut:sentence]
                cut = sentence
        yield from _cut(match.start() + cut, line[cut:])


def _cut(offset: int, piece: str) -> Iterator[tuple[int, str]]:
    """A sentence longer than PIECE characters (a list, a table flattened to a line) cut at
    the last space before each PIECE characters."""
    while len(piece) > PIECE:
        at = piece.rfind(" ", PIECE // 2, PIECE) + 1 or PIECE
        yield offset, piece[:at]
        offset, piece = offset + at, piece[at:]
    if piece.strip():
        yield offset, piece


if __name__ == "__main__":  # the worker process model_worker.py starts
    import sys

    serve(ModelFinder.load(Path(sys.argv[1])).found, sys.stdin.buffer, sys.stdout.buffer)
