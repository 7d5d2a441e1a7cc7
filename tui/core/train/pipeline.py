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

import math
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tui.core.document.model import Span
from tui.core.train import layers
from tui.core.train.examples import Example

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc
    from thinc.api import Config

SPANS_KEY = "sc"  # the span categorizer's predictions (spaCy's default key)
CANDIDATES_KEY = "gloss_candidates"  # what the span finder proposes and learns from
LONG_WORDS = 6  # a label whose spans' median is longer than this many words runs long
OVERLAP_SHARE = 0.02  # overlaps this rare are slips, not the label's nature
MAX_SPAN_TOKENS = 80  # the longest span the span finder ever proposes
SPAN_SHARE = 0.95  # of the analysts' spans, as long as the finder proposes (the rest: rare)
# A token's probability of starting or ending a span, to propose it. The finder sees four
# tokens either side: a claim's end is a sentence end like any other to it, sure of few,
# and the categorizer, which sees the whole span, judges the pairs (0.05: the best CLAIM F1
# on the bench's news, against 0.2 and 0.5 that leave out half the claims' ends)
FINDER_THRESHOLD = 0.05
# The token-to-vector layer (spaCy's MaxoutWindowEncoder), spaCy's CPU default, kept for
# parity with ``spacy train``. Measured and left: width 64, depth 3 takes under half its
# time a token (1.7 s of CPU instead of 3.8 on a 1 MB article) but scored 0.045 and 0.020
# F1 below ``spacy train`` on wikigold at seeds 1 and 2 (depth 2: 0.016 to 0.045 below)
TOK2VEC = {"width": 96, "depth": 4, "maxout_pieces": 3}


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


def one_line(text: str) -> str:
    """The text as the model reads it: its line breaks as spaces, offsets unchanged. The
    finder gives the model one line at a time (no claim or name runs across a break), so a
    break is never in what it reads; and spaCy reads a CoNLL corpus's sentences as one run
    of words, where Gloss's import puts each on its line. Trained with a token for each
    break, the model scored 0.03 to 0.06 F1 below ``spacy train`` on the same CoNLL
    documents read without them."""
    return text.replace("\n", " ")


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

    doc = nlp.make_doc(one_line(example.text))
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


def span_length(examples: Iterable[Example], labels: Plan, nlp: Language) -> int:
    """The longest span the span finder proposes, in tokens: as long as SPAN_SHARE of the
    analysts' spans. Every start the finder sees is paired with every end up to this far,
    and the categorizer weighs each pair: a rare claim of a whole paragraph would make
    every article cost as much as if all its claims were that long. (A span on token edges
    is tokenized alone as in its article.)"""
    lengths = sorted(len(nlp.make_doc(span.text)) for example in examples
                     for span in example.spans if span.label in labels.spans)
    if not lengths:
        return 1
    return min(lengths[math.ceil(SPAN_SHARE * len(lengths)) - 1], MAX_SPAN_TOKENS)


def config(labels: Plan, *, seed: int, max_epochs: int, patience: int, eval_frequency: int,
           max_steps: int, span_tokens: int, logger: dict[str, Any] | None = None
           ) -> Config:
    """spaCy's default CPU config for these components (``TOK2VEC`` is its token-to-vector
    layer, said on the card), the training limits given and the span finder proposing
    spans up to ``span_tokens`` long."""
    from spacy.cli.init_config import init_config

    cfg = init_config(lang="en", pipeline=labels.components, optimize="efficiency",
                      gpu=False, silent=True)
    cfg["system"]["seed"] = seed
    cfg["components"]["tok2vec"]["model"]["encode"].update(TOK2VEC)
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
        finder["max_length"] = max(span_tokens, 1)
        finder["threshold"] = FINDER_THRESHOLD
        finder["model"]["scorer"] = {"@layers": layers.LAYER, "nO": 2, "nI": None}
        cfg["components"]["spancat"]["suggester"] = {
            "@misc": "spacy.preset_spans_suggester.v1", "spans_key": CANDIDATES_KEY}
    return cfg
