"""Which articles a model learns from, and each as one version: its text, spans and links.

An article counts once somebody has finished it; whose version is taken is said, never
guessed: ``--reviewed`` takes reviewed articles as their reviewer left them,
``--annotator NAME`` the articles NAME marked done (or reviewed) with NAME's spans, and by
default an article's reviewed version when it has one, else the version of the one analyst
who marked it done. An article two analysts marked done and nobody reviewed holds two
answers; it is left out and counted, as are articles nobody finished, so the command can
say how many of each it saw.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from tui.core.disk.article_file import Article
from tui.core.document.model import Relation, Span


@dataclass(frozen=True, slots=True)
class Which:
    """Which articles count, as the command line asked."""

    reviewed: bool = False
    annotator: str | None = None

    def describe(self) -> str:
        if self.reviewed:
            who = self.annotator or "their one reviewer"
            return f"reviewed articles, as {who} reviewed them"
        if self.annotator:
            return f"articles {self.annotator} marked done or reviewed, {self.annotator}'s spans"
        return ("articles marked done or reviewed: the reviewed version where there is one,"
                " else the version of the analyst who marked it done")


@dataclass(frozen=True, slots=True)
class Example:
    """One article as the model learns it."""

    doc_id: str
    text: str
    spans: tuple[Span, ...]
    relations: tuple[Relation, ...]
    analyst: str


@dataclass(slots=True)
class Chosen:
    examples: list[Example] = field(default_factory=list)
    left_out: Counter[str] = field(default_factory=Counter)  # reason: articles


def version_of(article: Article, which: Which) -> tuple[str | None, str]:
    """Whose version of the article counts, or None and the reason it is left out."""
    status = article.status
    reviewers = sorted(w for w, s in status.items() if s == "reviewed")
    finished = sorted(w for w, s in status.items() if s == "done")
    if which.reviewed:
        if which.annotator is not None:
            return (which.annotator, "") if which.annotator in reviewers else (
                None, f"not reviewed by {which.annotator}")
        if len(reviewers) == 1:
            return reviewers[0], ""
        return None, ("reviewed by several analysts (pick one with --annotator)" if reviewers
                      else "not reviewed")
    if which.annotator is not None:
        return (which.annotator, "") if status.get(which.annotator) in ("done", "reviewed") \
            else (None, f"not finished by {which.annotator}")
    if len(reviewers) == 1:
        return reviewers[0], ""
    if reviewers:
        return None, "reviewed by several analysts (pick one with --annotator)"
    if len(finished) == 1:
        return finished[0], ""
    if finished:
        return None, "done by several analysts and not reviewed (review, or --annotator)"
    return None, "not finished (to do, skipped or never opened)"


def choose(articles: Iterable[Article], which: Which) -> Chosen:
    chosen = Chosen()
    for article in articles:
        who, why = version_of(article, which)
        if who is None:
            chosen.left_out[why] += 1
            continue
        spans = tuple(s for s in article.spans if s.annotator == who)
        ids = {s.id for s in spans}
        links = tuple(r for r in article.relations if r.head in ids and r.child in ids)
        chosen.examples.append(Example(article.document.id, article.document.text, spans,
                                       links, who))
    return chosen


def split(examples: Sequence[Example], fraction: float, seed: int
          ) -> tuple[list[Example], list[Example]]:
    """(train, held out): the same articles for the same dataset, fraction and seed,
    whatever order the folder lists them in. At least one article each side when there
    are two."""
    ordered = sorted(examples, key=lambda e: e.doc_id)
    random.Random(seed).shuffle(ordered)
    held = round(len(ordered) * fraction)
    if len(ordered) >= 2:
        held = min(max(held, 1), len(ordered) - 1)
    return ordered[held:], ordered[:held]
