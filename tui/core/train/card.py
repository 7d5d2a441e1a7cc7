"""The model card: a small JSON file in the model's folder saying what it learned from
and how well it does, so that a model found on disk months later explains itself."""

from __future__ import annotations

import datetime
import importlib.metadata
from collections import Counter
from collections.abc import Sequence
from typing import Any

from tui.core.disk.install import distribution
from tui.core.train.examples import Example, Which
from tui.core.train.links import Figures
from tui.core.train.pipeline import TOK2VEC, Plan
from tui.core.train.run import Limits, Outcome
from tui.core.train.store import CARD_VERSION


def _counts(examples: Sequence[Example], labels: Plan) -> dict[str, Any]:
    wanted = set(labels.ner) | set(labels.spans)
    spans = Counter(s.label for e in examples for s in e.spans if s.label in wanted)
    links = Counter(r.label for e in examples for r in e.relations)
    return {"articles": len(examples), "characters": sum(len(e.text) for e in examples),
            "spans": dict(sorted(spans.items())), "links": dict(sorted(links.items()))}


def _figures(table: dict[str, Figures]) -> dict[str, dict[str, float | int]]:
    return {label: figures.to_record() for label, figures in table.items()}


def make(name: str, which: Which, train_set: Sequence[Example],
         held_out: Sequence[Example], left_out: Counter[str], labels: Plan, limits: Limits,
         split: dict[str, Any], outcome: Outcome) -> dict[str, Any]:
    import spacy

    try:
        version = importlib.metadata.version(distribution())
    except importlib.metadata.PackageNotFoundError:
        version = "unknown"
    return {
        "format": "gloss-model",
        "version": CARD_VERSION,
        "name": name,
        "created": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "spacy": spacy.__version__,
        "gloss": version,
        "labels": labels.to_record(),
        "tok2vec": dict(TOK2VEC),
        "span_finder": outcome.span_finder,
        "data": {
            "which": which.describe(),
            "reviewed": which.reviewed,
            "annotator": which.annotator,
            "train": _counts(train_set, labels),
            "held_out": _counts(held_out, labels),
            "left_out": dict(sorted(left_out.items())),
            "spans_dropped": dict(sorted(outcome.dropped.items())),
        },
        "split": {**split, "seed": limits.seed,
                  "held_out_ids": sorted(e.doc_id for e in held_out)},
        "training": {"max_epochs": limits.max_epochs, "patience": limits.patience,
                     "eval_frequency": limits.eval_frequency, "max_steps": limits.max_steps,
                     "steps": outcome.steps, "seconds": round(outcome.seconds, 1)},
        "scores": {"f": round(outcome.score, 4), "labels": _figures(outcome.labels),
                   "links_rule": _figures(outcome.links_rule),
                   "links_model": _figures(outcome.links_model)},
        "links": "rule: SOURCE is the likeliest actor in the claim's sentence or the one"
                 " before; ABOUT every location inside the claim",
    }
