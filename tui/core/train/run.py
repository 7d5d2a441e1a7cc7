"""Training with spaCy's own loop (``spacy.training.loop.train``, as ``spacy train`` runs
it), on the chosen articles (``corpus.py``), and the held-out figures of the best model.

What Gloss adds is around the loop, never in it: the config (``pipeline.config``), a
logger that hands each step and evaluation to the command's progress display instead of
spaCy's table (registered in spaCy's registry under ``gloss.progress.v1``; the saved config
names spaCy's own console logger again, so ``spacy train`` runs it unchanged), and the
figures per label and for links once training stops.
"""

from __future__ import annotations

import contextlib
import io
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tui.core.document.model import Span
from tui.core.train import blis_kernel, corpus, layers, links, pipeline
from tui.core.train.examples import Example
from tui.core.train.links import Figures

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

LOGGER = "gloss.progress.v1"
AUGMENTER = "gloss.span_candidates.v1"
NEAR_MISSES = 4  # candidates a span, its edges moved a few tokens
RANDOM_SPANS = 2  # candidates a span, anywhere in the article, as long as it
CONSOLE_LOGGER = {"@loggers": "spacy.ConsoleLogger.v1", "progress_bar": False}


@dataclass(frozen=True, slots=True)
class Limits:
    """When training stops: spaCy's own settings, the patience counted in evaluations."""

    seed: int = 0
    max_epochs: int = 0  # 0: no limit but max_steps and patience (spaCy's default)
    patience: int = 8  # evaluations without a better score (spaCy's 1600 steps / 200)
    eval_frequency: int = 200  # steps between evaluations
    max_steps: int = 20000

    def steps_patience(self) -> int:
        return self.patience * self.eval_frequency


@dataclass(frozen=True, slots=True)
class Evaluation:
    """One evaluation on the held-out split while training."""

    epoch: int
    step: int
    losses: dict[str, float]
    score: float  # the weighted F1 spaCy keeps the best model by
    best: float
    seconds: float


Listener = Callable[[int, Evaluation | None], None]  # (step, the evaluation or None)

_listeners: list[Listener] = []


def _progress_logger() -> Callable[..., Any]:
    def setup(nlp: Language, stdout: Any = None, stderr: Any = None
              ) -> tuple[Callable[[dict[str, Any] | None], None], Callable[[], None]]:
        started = time.perf_counter()
        best = [0.0]
        step = [0]

        def log_step(info: dict[str, Any] | None) -> None:
            step[0] += 1
            listener = _listeners[-1] if _listeners else None
            if info is None:
                if listener is not None:
                    listener(step[0], None)
                return
            score = float(info.get("score") or 0.0)
            best[0] = max(best[0], score)
            if listener is not None:
                listener(info["step"], Evaluation(
                    info["epoch"], info["step"],
                    {k: float(v) for k, v in (info.get("losses") or {}).items()}, score,
                    best[0], time.perf_counter() - started))

        return log_step, lambda: None

    return setup


def _span_candidates() -> Callable[..., Any]:
    """The span categorizer's candidates in training: each analyst's span, near misses of
    it and spans of its length elsewhere (spaCy seeds ``random`` with the training's
    seed, so they are the same each run)."""
    import random

    def augment(nlp: Language, example: Any) -> Iterator[Any]:
        gold = list(example.reference.spans.get(pipeline.SPANS_KEY, ()))
        predicted = example.predicted
        size = len(predicted)
        extents = {(span.start, span.end) for span in gold}
        for span in gold:
            for _ in range(NEAR_MISSES):
                start = min(max(span.start + random.randint(-3, 3), 0), size - 1)
                end = min(max(span.end + random.randint(-3, 3), start + 1), size)
                extents.add((start, end))
            for _ in range(RANDOM_SPANS):
                start = random.randrange(size)
                extents.add((start, min(start + len(span), size)))
        predicted.spans[pipeline.CANDIDATES_KEY] = [predicted[a:b] for a, b in sorted(extents)]
        yield example

    return augment


def _register() -> None:
    from spacy.util import registry

    layers.register()
    blis_kernel.use_known_kernel()
    corpus.register()
    if LOGGER not in registry.loggers.get_all():
        registry.loggers.register(LOGGER, func=_progress_logger)
    if AUGMENTER not in registry.augmenters.get_all():
        registry.augmenters.register(AUGMENTER, func=_span_candidates)


@contextlib.contextmanager
def listening(listener: Listener | None) -> Iterator[None]:
    if listener is not None:
        _listeners.append(listener)
    try:
        yield
    finally:
        if listener is not None:
            _listeners.remove(listener)


@dataclass(slots=True)
class Outcome:
    """What a training made: the best model's folder and its held-out figures."""

    model: Path
    labels: dict[str, Figures]  # per span label, exact extents
    links_rule: dict[str, Figures]  # the link scorer on the analysts' spans
    links_model: dict[str, Figures]  # the same on the model's spans
    score: float
    steps: int
    seconds: float
    dropped: Counter[str] = field(default_factory=Counter)
    span_finder: dict[str, float | int] = field(default_factory=dict)  # what it proposes


def train(train_set: Sequence[Example], held_out: Sequence[Example], labels: pipeline.Plan,
          limits: Limits, work: Path, listener: Listener | None = None) -> Outcome:
    """Train in ``work`` (spaCy writes ``model-best`` and ``model-last`` there) and score
    the best model on ``held_out``."""
    import spacy
    from spacy.training.initialize import init_nlp
    from spacy.training.loop import train as spacy_train
    from spacy.util import load_model, load_model_from_config

    _register()
    dropped: Counter[str] = Counter()
    span_tokens = pipeline.span_length(train_set, labels, spacy.blank("en"))
    started = time.perf_counter()
    corpus.serve("train", corpus.Corpus(train_set, labels, dropped))
    corpus.serve("dev", corpus.Corpus(held_out, labels, dropped))
    cfg = pipeline.config(labels, seed=limits.seed, max_epochs=limits.max_epochs,
                          patience=limits.steps_patience(),
                          eval_frequency=limits.eval_frequency, max_steps=limits.max_steps,
                          span_tokens=span_tokens, logger={"@loggers": LOGGER})
    # The categorizer labels what the finder proposes; while it learns, the finder
    # proposes little or nothing, so its candidates in training are the analysts' spans and
    # near misses (the augmenter): trained on the finder's own output it never saw a
    # positive example and learned nothing.
    cfg["corpora"]["train"] = corpus.config("train", augmenter={"@augmenters": AUGMENTER}
                                            if labels.spans else None)
    cfg["corpora"]["dev"] = corpus.config("dev", max_words=corpus.EVAL_WORDS)
    nlp = load_model_from_config(cfg, auto_fill=True, validate=True)
    nlp = init_nlp(nlp.config)
    quiet = io.StringIO()
    steps = [0]

    def counting(step: int, evaluation: Evaluation | None) -> None:
        steps[0] = step
        if listener is not None:
            listener(step, evaluation)

    with listening(counting):
        spacy_train(nlp, work, stdout=quiet, stderr=quiet)
    best = work / "model-best"
    _restore_spacy_config(best)
    _restore_spacy_config(work / "model-last")
    model = load_model(best)
    figures = evaluate(model, held_out, labels)
    return Outcome(best, figures.labels, figures.links_rule, figures.links_model,
                   figures.score, steps[0], time.perf_counter() - started, dropped,
                   {"max_length": span_tokens, "threshold": pipeline.FINDER_THRESHOLD}
                   if labels.spans else {})


def _restore_spacy_config(folder: Path) -> None:
    """The saved config as ``spacy train`` runs it: spaCy's logger and DocBin readers."""
    from thinc.api import Config

    path = folder / "config.cfg"
    if not path.is_file():
        return
    cfg = Config().from_disk(path, interpolate=False)
    cfg["training"]["logger"] = dict(CONSOLE_LOGGER)
    for name in ("train", "dev"):
        cfg["corpora"][name] = corpus.spacy_config(name)
    cfg["paths"]["train"] = None
    cfg["paths"]["dev"] = None
    cfg.to_disk(path)


@dataclass(slots=True)
class HeldOut:
    labels: dict[str, Figures]
    links_rule: dict[str, Figures]
    links_model: dict[str, Figures]
    score: float


def predicted_spans(nlp: Language, doc: Doc, analyst: str = "model") -> list[Span]:
    found = list(doc.ents)
    found += list(doc.spans.get(pipeline.SPANS_KEY, ()))
    return [Span(s.start_char, s.end_char, s.label_, s.text, analyst, "model", id=str(n))
            for n, s in enumerate(found)]


def evaluate(nlp: Language, held_out: Sequence[Example], labels: pipeline.Plan) -> HeldOut:
    """Exact-extent P/R/F1 per label on the held-out articles, and the links."""
    wanted_labels = set(labels.ner) | set(labels.spans)
    true: Counter[str] = Counter()
    guessed: Counter[str] = Counter()
    wanted: Counter[str] = Counter()
    rule_found: list[links.Link] = []
    model_found: list[links.Link] = []
    gold_links: list[links.Link] = []
    texts = [pipeline.one_line(example.text) for example in held_out]
    for example, doc in zip(held_out, nlp.pipe(texts), strict=True):
        mine = {(s.start, s.end, s.label) for s in example.spans if s.label in wanted_labels}
        spans = predicted_spans(nlp, doc)
        theirs = {(s.start, s.end, s.label) for s in spans}
        for label in wanted_labels:
            a = {x for x in mine if x[2] == label}
            b = {x for x in theirs if x[2] == label}
            true[label] += len(a & b)
            guessed[label] += len(b)
            wanted[label] += len(a)
        # one offset each place: the scorer needs no ids
        unique = list({(s.start, s.end, s.label): s for s in spans}.values())
        gold_links += [(h, c, k) for h, c, k in links.gold(example.spans, example.relations)
                       if c[2] in wanted_labels]
        rule_found += links.guess(example.text, list(example.spans))
        model_found += links.guess(example.text, unique)
    figures = {label: Figures(true[label], guessed[label], wanted[label])
               for label in sorted(wanted_labels)}
    all_true, all_guessed, all_wanted = sum(true.values()), sum(guessed.values()), \
        sum(wanted.values())
    score = Figures(all_true, all_guessed, all_wanted).f
    return HeldOut(figures, links.compare(rule_found, gold_links),
                   links.compare(model_found, gold_links), score)
