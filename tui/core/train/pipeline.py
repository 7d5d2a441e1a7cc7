"""The pipeline a dataset trains: which labels the entity recognizer learns and which the
span categorizer, the ``Doc``s that teach them, and the config.

An entity recognizer tags each token once, so it learns labels whose spans never overlap
and stay short (ACTOR, LOCATION): the best tool for names. Labels whose spans overlap
(a claim inside a claim, an actor inside a claim) or run for a clause (CLAIM) go to a span
categorizer, whose candidates a span finder proposes (token starts and ends learned from
the data: n-gram candidates long enough for a claim would be thousands an article; while
training, the categorizer is shown the analysts' spans and near misses of them). The
config is spaCy's own CPU default (``spacy init config --pipeline ner,span_finder,spancat``
with ``--optimize efficiency``), so a dataset of names alone trains exactly what
``spacy train`` with the default NER config trains.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tui.core.document.model import Span
from tui.core.train.examples import Example

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc
    from thinc.api import Config

SPANS_KEY = "sc"  # the span categorizer's predictions (spaCy's default key)
CANDIDATES_KEY = "gloss_candidates"  # what the span finder proposes and learns from
LONG_WORDS = 6  # a label whose spans' median is longer than this many words runs long
OVERLAP_SHARE = 0.02  # overlaps this rare are slips, not the label's nature
MAX_SPAN_TOKENS = 80  # the longest span the span finder proposes


@dataclass(frozen=True, slots=True)
class Plan:
    """Which component learns which labels."""

    ner: tuple[str, ...]
    spans: tuple[str, ...]

    @property
    def components(self) -> list[str]:
        return (["ner"] if self.ner else []) + (["span_finder", "spancat"] if self.spans
                                                 else [])

    def to_record(self) -> dict[str, list[str]]:
        return {"ner": list(self.ner), "spancat": list(self.spans)}


def plan(examples: Iterable[Example], long_words: int = LONG_WORDS) -> Plan:
    """Labels to the entity recognizer unless their spans overlap each other, run long, or
    overlap another recognizer label's (then the longer of the two moves)."""
    spans_of: dict[str, list[Span]] = defaultdict(list)
    self_overlaps: Counter[str] = Counter()
    pair_overlaps: Counter[tuple[str, str]] = Counter()
    for example in examples:
        ordered = sorted(example.spans, key=lambda s: (s.start, -s.end))
        for span in ordered:
            spans_of[span.label].append(span)
        for index, span in enumerate(ordered):
            for other in ordered[index + 1:]:
                if other.start >= span.end:
                    break
                if span.label == other.label:
                    self_overlaps[span.label] += 1
                else:
                    pair_overlaps[min(span.label, other.label),
                                  max(span.label, other.label)] += 1
    length = {label: statistics.median(len(s.text.split()) for s in spans)
              for label, spans in spans_of.items()}
    count = {label: len(spans) for label, spans in spans_of.items()}
    spans = {label for label in spans_of
             if length[label] > long_words or self_overlaps[label] > OVERLAP_SHARE * count[label]}
    while True:
        worst = [(n, pair) for pair, n in pair_overlaps.items()
                 if not spans & set(pair)
                 and n > OVERLAP_SHARE * min(count[pair[0]], count[pair[1]])]
        if not worst:
            break
        _, (a, b) = max(worst)
        spans.add(a if (length[a], a) > (length[b], b) else b)
    ner = tuple(sorted(set(spans_of) - spans))
    return Plan(ner, tuple(sorted(spans)))


@dataclass(slots=True)
class Dropped:
    """Spans that a Doc cannot hold as they are, counted by why."""

    counts: Counter[str]

    def lines(self) -> list[str]:
        return [f"{n} {why}" for why, n in sorted(self.counts.items())]


def make_doc(nlp: Language, example: Example, labels: Plan, dropped: Counter[str]) -> Doc:
    """The article as a training ``Doc``: recognizer labels as ``doc.ents`` (every other
    token outside an entity), span labels in ``doc.spans`` for the categorizer and as
    candidates for the span finder."""
    from spacy.util import filter_spans

    doc = nlp.make_doc(example.text)
    ents, group = [], []
    for span in example.spans:
        if span.label not in labels.ner and span.label not in labels.spans:
            continue
        found = doc.char_span(span.start, span.end, label=span.label)
        if found is None:
            dropped["spans off token edges left out"] += 1
        elif span.label in labels.ner:
            ents.append(found)
        else:
            group.append(found)
    kept = filter_spans(ents)
    if len(kept) < len(ents):
        dropped["overlapping entity spans left out (the longest kept)"] += len(ents) - len(kept)
    doc.ents = kept
    if labels.spans:
        doc.spans[SPANS_KEY] = group
        doc.spans[CANDIDATES_KEY] = group
    doc.user_data["gloss_id"] = example.doc_id
    return doc


def docs(examples: Sequence[Example], labels: Plan, dropped: Counter[str]) -> list[Doc]:
    import spacy

    nlp = spacy.blank("en")
    return [make_doc(nlp, example, labels, dropped) for example in examples]


def longest_tokens(documents: Iterable[Doc]) -> int:
    return max((len(span) for doc in documents for span in doc.spans.get(CANDIDATES_KEY, ())),
               default=1)


def config(labels: Plan, *, seed: int, max_epochs: int, patience: int, eval_frequency: int,
           max_steps: int, longest: int, logger: dict[str, Any] | None = None,
           augmenter: dict[str, Any] | None = None) -> Config:
    """spaCy's default CPU config for these components, with the training limits given and
    the span finder proposing spans as long as the longest in the data."""
    from spacy.cli.init_config import init_config

    cfg = init_config(lang="en", pipeline=labels.components, optimize="efficiency",
                      gpu=False, silent=True)
    cfg["system"]["seed"] = seed
    training = cfg["training"]
    training["max_epochs"] = max_epochs
    training["patience"] = patience
    training["eval_frequency"] = eval_frequency
    training["max_steps"] = max_steps
    if logger is not None:
        training["logger"] = logger
    if labels.spans:
        finder = cfg["components"]["span_finder"]
        finder["spans_key"] = CANDIDATES_KEY
        finder["max_length"] = min(max(longest, 1), MAX_SPAN_TOKENS)
        cfg["components"]["spancat"]["suggester"] = {
            "@misc": "spacy.preset_spans_suggester.v1", "spans_key": CANDIDATES_KEY}
        # The categorizer labels what the finder proposes; while it learns, the finder
        # proposes little or nothing, so its candidates in training are the analysts' spans
        # and near misses (``augmenter``): trained on the finder's own output it never
        # saw a positive example and learned nothing.
        if augmenter is not None:
            cfg["corpora"]["train"]["augmenter"] = augmenter
    return cfg
