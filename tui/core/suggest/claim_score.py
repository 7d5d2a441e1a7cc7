"""Scoring claim suggestions against a gold set of attributions, and the baseline they are
measured against.

A gold set is Gloss's JSONL export: CLAIM spans, each with a SOURCE link to an ACTOR span
or a ``source_kind`` (unnamed, journalist) when no actor is named. Claims are scored
exactly (same offsets) and by token overlap (the words of the claims, micro-averaged:
precision is the share of suggested claim words inside a gold claim). A SOURCE link is a
suggested claim matched to a gold one (exactly, or the one it shares most words with, one
to one) whose source is right: the same kind, and for an actor the same offsets (exact) or
an overlapping span or one that ends in the same word, another mention of the same actor
(overlap). Its precision counts every suggested claim that names a source.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
import regex

from tui.core.document.suggestion import Source, Suggestion
from tui.core.language.sentences import sentence_of, sentence_starts
from tui.core.language.text import words
from tui.core.suggest.cue_files import Cues

Finder = Callable[[str, Sequence[tuple[int, int]]], list[Suggestion]]


@dataclass(frozen=True, slots=True)
class Attribution:
    start: int
    end: int
    source: Source


@dataclass(slots=True)
class Article:
    text: str
    claims: list[Attribution]
    actors: list[tuple[int, int]]  # the gold ACTOR spans (sources only)
    key: str = ""


def read_gold(path: Path) -> list[Article]:
    """The articles of a gold JSONL file (Gloss's export)."""
    out = []
    for line in path.read_bytes().splitlines():
        if line.strip():
            out.append(article(orjson.loads(line)))
    return out


def article(record: dict[str, Any]) -> Article:
    spans = record.get("spans", [])
    sources = {(r["head_span"]["start"], r["head_span"]["end"]):
               (r["child_span"]["start"], r["child_span"]["end"])
               for r in record.get("relations", []) if r.get("label") == "SOURCE"}
    claims = []
    for span in spans:
        if span["label"] != "CLAIM":
            continue
        linked = sources.get((span["start"], span["end"]))
        kind = (span.get("attributes") or {}).get("source_kind", "actor")
        source = Source(*linked) if linked else Source(kind=kind)
        claims.append(Attribution(span["start"], span["end"], source))
    actors = sorted((s["start"], s["end"]) for s in spans if s["label"] == "ACTOR")
    return Article(record["text"], sorted(claims, key=lambda c: (c.start, c.end)), actors,
                   str(record.get("meta", {}).get("gold", "")))


@dataclass(slots=True)
class Count:
    found: int = 0  # suggested
    gold: int = 0
    right: float = 0

    @property
    def precision(self) -> float:
        return self.right / self.found if self.found else 0.0

    @property
    def recall(self) -> float:
        return self.right / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: Count) -> None:
        self.found += other.found
        self.gold += other.gold
        self.right += other.right


@dataclass(slots=True)
class Figures:
    claims_exact: Count = field(default_factory=Count)
    claims_tokens: Count = field(default_factory=Count)
    sources_exact: Count = field(default_factory=Count)
    sources_overlap: Count = field(default_factory=Count)

    def rows(self) -> Iterator[tuple[str, Count]]:
        yield "claims, exact", self.claims_exact
        yield "claims, token overlap", self.claims_tokens
        yield "sources, exact", self.sources_exact
        yield "sources, overlap", self.sources_overlap


def score(articles: Iterable[Article], finder: Finder,
          actors: Callable[[Article], Sequence[tuple[int, int]]] = lambda a: ()) -> Figures:
    """How well ``finder`` (text, actors -> suggestions) finds the gold claims; ``actors``
    says which ACTOR spans it is given for each article."""
    figures = Figures()
    for item in articles:
        found = [s for s in finder(item.text, actors(item)) if s.label == "CLAIM"]
        one = score_article(item, found)
        for (_, total), (_, part) in zip(figures.rows(), one.rows(), strict=True):
            total.add(part)
    return figures


def score_article(item: Article, found: list[Suggestion]) -> Figures:
    figures = Figures()
    text, gold = item.text, item.claims
    spans = {(g.start, g.end): g for g in gold}
    exact = [s for s in found if (s.start, s.end) in spans]
    figures.claims_exact = Count(len(found), len(gold), len(exact))
    starts = [w[0] for w in words(text, 0, len(text))]
    gold_words = _covered(starts, [(g.start, g.end) for g in gold])
    found_words = _covered(starts, [(s.start, s.end) for s in found])
    figures.claims_tokens = Count(len(found_words), len(gold_words),
                                  len(found_words & gold_words))
    named = [s for s in found if s.source is not None]
    right = sum(_same_source(text, s.source, spans[(s.start, s.end)].source, True)
                for s in exact if s.source is not None)
    figures.sources_exact = Count(len(named), len(gold), right)
    pairs = _matched(starts, gold, found)
    right = sum(_same_source(text, s.source, g.source, False)
                for g, s in pairs if s.source is not None)
    figures.sources_overlap = Count(len(named), len(gold), right)
    return figures


def _covered(starts: list[int], spans: Iterable[tuple[int, int]]) -> set[int]:
    from bisect import bisect_left

    out: set[int] = set()
    for start, end in spans:
        out.update(range(bisect_left(starts, start), bisect_left(starts, end)))
    return out


def _matched(starts: list[int], gold: list[Attribution], found: list[Suggestion]
             ) -> list[tuple[Attribution, Suggestion]]:
    """Gold and suggested claims paired one to one, the most words shared first."""
    candidates = []
    for g in gold:
        g_words = _covered(starts, [(g.start, g.end)])
        for n, s in enumerate(found):
            if s.end <= g.start or s.start >= g.end:
                continue
            shared = len(g_words & _covered(starts, [(s.start, s.end)]))
            if shared:
                candidates.append((shared, id(g), n, g, s))
    candidates.sort(key=lambda c: -c[0])
    used_gold: set[int] = set()
    used_found: set[int] = set()
    pairs = []
    for _, g_id, n, g, s in candidates:
        if g_id in used_gold or n in used_found:
            continue
        used_gold.add(g_id)
        used_found.add(n)
        pairs.append((g, s))
    return pairs


def _same_source(text: str, found: Source, gold: Source, exact: bool) -> bool:
    if found.kind != gold.kind:
        return False
    if found.kind != "actor":
        return True
    if found.start is None or found.end is None or gold.start is None or gold.end is None:
        return False
    if exact:
        return (found.start, found.end) == (gold.start, gold.end)
    if found.start < gold.end and gold.start < found.end:
        return True
    return _last_word(text[found.start:found.end]) == _last_word(text[gold.start:gold.end])


def _last_word(phrase: str) -> str:
    found = regex.findall(r"\w+", phrase.casefold().replace("’s", "").replace("'s", ""))
    return found[-1] if found else ""


# -- the baseline and the actors a fresh dataset would offer ------------------------


def baseline(text: str, actors: Sequence[tuple[int, int]], cues: Cues) -> list[Suggestion]:
    """Every sentence holding a cue verb is a claim, whole; its source is the nearest
    actor before it."""
    pattern = _cue_pattern(cues)
    starts = sentence_starts(text)
    ordered = sorted(actors)
    out = []
    for start in starts:
        begin, end = sentence_of(starts, text, start)
        if end <= begin or not pattern.search(text, begin, end):
            continue
        while end > begin and text[end - 1] in ".!?\"”’ ":
            end -= 1
        before = [a for a in ordered if a[1] <= begin]
        source = Source(*before[-1]) if before else None
        out.append(Suggestion(begin, end, "CLAIM", "claim-cue", 0.5, source))
    return out


_patterns: dict[int, regex.Pattern[str]] = {}


def _cue_pattern(cues: Cues) -> regex.Pattern[str]:
    key = id(cues)
    if key not in _patterns:
        verbs = sorted(cues.verbs, key=len, reverse=True)
        _patterns[key] = regex.compile(r"(?<!\w)(?:" + "|".join(map(regex.escape, verbs))
                                       + r")(?!\w)", regex.IGNORECASE)
    return _patterns[key]


_NAME = regex.compile(r"(?<![\w.])\p{Lu}[\w’'.-]*(?:\s+(?:(?:of|de|al|bin|van|von|der|la|"
                      r"del|du|da)\s+)?\p{Lu}[\w’'.-]*)*")


def capitalised_names(text: str, cues: Cues) -> list[tuple[int, int]]:
    """The runs of capitalised words of ``text`` that do not only open a sentence: the
    actors a dataset without labels offers (a stand-in for suggested names)."""
    starts = set(sentence_starts(text))
    out = []
    for m in _NAME.finditer(text):
        start, end = m.start(), m.end()
        while end > start and text[end - 1] in ".’'-":
            end -= 1
        first = regex.match(r"\w+", text[start:end])
        if first and start in starts and (first[0].lower() in cues.determiners or
                                          first[0].lower() in cues.pronouns or
                                          end - start == len(first[0])):
            rest = regex.search(r"\s+", text[start:end])
            if rest is None:
                continue
            start += rest.end()
        if end > start:
            out.append((start, end))
    return out
