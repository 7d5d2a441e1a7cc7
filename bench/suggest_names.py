"""Suggestions from names the dataset has seen and from pattern files: the index, the
finders on the seed and on a 1 MB article, and `gloss suggest` over a dataset.

    python bench/suggest_names.py [--articles N] [--suggest-articles N] [--repeat N]

Prints figures (median, min, max); asserts nothing. A generated dataset of N articles
(5,000) of about 2 KB, each with 24 names labelled by two analysts (12 actors, some with a
title and a canonical name, and 12 places), drawn from 3,000 people and 1,000 places, and
a pattern file of 1,000 place phrases, 1,000 one-token country patterns and a few token
patterns with repeats. Timed:

- the seen-names index: built from the span rows of every article (and from the files,
  the reading included); one label or removal and the next search (an incremental
  update, the automaton never built again whole); the folding of the names added since
  into the automaton, which happens once in a while;
- suggestions (names and patterns, merged by ``suggest_article``) for the seed article and
  for a 1 MB article, the patterns run by Gloss's matcher (the default) and by spaCy's
  (where it is installed), the text's tokens made each time;
- ``gloss suggest`` (a new process, progress off) over a copy of a dataset of 2,000 of
  those articles, from start to exit.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import orjson

from bench.timing import line
from tui.core.document.model import Document, Span
from tui.core.store.dataset import Dataset
from tui.core.suggest import automaton
from tui.core.suggest.finders import finders, suggest_article
from tui.core.suggest.pattern_finder import PatternFinder
from tui.core.suggest.patterns import parse_patterns
from tui.core.suggest.seen_names import SeenNames

SEED = ROOT / "seeds" / "trump-putin-ceasefire-call.txt"
SYLLABLES = ("ka", "ro", "vi", "len", "mar", "to", "sha", "mir", "dan", "el", "no", "vo",
             "rus", "tan", "ber", "li", "go", "za")
TITLES = ("President", "Minister", "Senator", "General", "Envoy")
FILLER = ("talks resumed after a long pause and the envoys met again on Monday while "
          "officials said the cease-fire would hold").split()


def word(rng: random.Random, parts: int) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(parts)).capitalize()


def pools(rng: random.Random) -> tuple[list[str], list[str]]:
    people = sorted({f"{word(rng, 2)} {word(rng, 3)}" for _ in range(3000)})
    places = sorted({word(rng, 3) + rng.choice(["", " region", " Oblast"])
                     for _ in range(1000)})
    return people, places


def article(rng: random.Random, n: int, people: list[str], places: list[str]
            ) -> tuple[Document, list[Span], list]:
    parts, marks, length = [f"Article {n} on the talks."], [], len(f"Article {n} on the talks.")
    for i in range(12):
        person, place = rng.choice(people), rng.choice(places)
        shown = f"{rng.choice(TITLES)} {person}" if i % 4 == 0 else (
            person.split()[-1] if i % 3 == 0 else person)
        claim = " ".join(rng.choices(FILLER, k=rng.randint(5, 10)))
        sentence = f" {shown} said that {claim} in {place}."
        base = length + 1
        marks.append((base, base + len(shown), "ACTOR", person))
        at = base + sentence.rindex(place) - 1
        marks.append((at, at + len(place), "LOCATION", ""))
        parts.append(sentence)
        length += len(sentence)
    text = "".join(parts)
    spans = []
    for k, (start, end, label, canonical) in enumerate(marks):
        span = Span(start, end, label, text[start:end], "alice" if k % 2 else "bob")
        spans.append(span.with_attribute("canonical", canonical) if canonical else span)
    return Document.from_text(text, {"title": f"Talks, day {n}"}), spans, []


def pattern_file(rng: random.Random, places: list[str]) -> bytes:
    records = [{"label": "LOCATION", "pattern": place} for place in places]
    records += [{"label": "LOCATION", "pattern": [{"LOWER": word(rng, 2).lower()}]}
                for _ in range(1000)]
    records += [{"label": "ACTOR", "pattern": [{"LOWER": {"IN": ["president", "senator"]}},
                                               {"IS_TITLE": True, "OP": "+"}]},
                {"label": "LOCATION", "pattern": [{"IS_TITLE": True}, {"LOWER": "region"}]},
                {"label": "ACTOR", "pattern": [{"LOWER": "minister"}, {"OP": "?"},
                                               {"IS_TITLE": True, "OP": "{1,3}"}]}]
    return b"".join(orjson.dumps(r) + b"\n" for r in records)


def build(folder: Path, count: int, seed: int = 5) -> tuple[Dataset, list[str], bytes]:
    rng = random.Random(seed)
    people, places = pools(rng)
    dataset = Dataset(folder, "bench")
    items = [article(rng, n, people, places) for n in range(count)]
    for first in range(0, count, 1000):
        dataset.add_articles(items[first:first + 1000], keep_tokens=False)
    return dataset, people, pattern_file(rng, places)


def timed(function, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        out.append(time.perf_counter() - start)
    return out


def big_article(rng: random.Random, people: list[str], size: int = 1_000_000) -> str:
    parts, length = [], 0
    while length < size:
        sentence = (f"{rng.choice(TITLES)} {rng.choice(people)} said that "
                    f"{' '.join(rng.choices(FILLER, k=8))} in Article region.")
        parts.append(sentence)
        length += len(sentence) + 1
        if len(parts) % 8 == 0:
            parts.append("\n")
    return " ".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--suggest-articles", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    temp = Path(tempfile.mkdtemp(prefix="gloss-bench-suggest-"))
    try:
        run(temp, args)
    finally:
        shutil.rmtree(temp, ignore_errors=True)


def run(temp: Path, args: argparse.Namespace) -> None:
    dataset, people, patterns_bytes = build(temp / "db", args.articles)
    articles = list(dataset.readable([]))
    rows = [row for a in articles for row in a.span_rows]
    index = SeenNames.of_rows(rows)
    print(f"{len(articles):,} articles, {len(rows):,} spans, {len(index):,} names seen")

    print("\n-- the seen-names index --")
    print(line("built from the span rows", timed(lambda: SeenNames.of_rows(rows),
                                                 args.repeat)))
    print(line("built from the files (reading them too)", timed(
        lambda: SeenNames.of_rows(r for a in Dataset(dataset.folder, "x").readable([])
                                  for r in a.span_rows), max(3, args.repeat // 2))))
    seed = SEED.read_text(encoding="utf-8")
    index.find(seed)
    rng = random.Random(3)
    updates = []
    for n in range(200):
        name = f"{word(rng, 2)} {word(rng, 2)} {n}"
        span = Span.new(name, 0, len(name), "ACTOR", "alice")
        start = time.perf_counter()
        index.add(span) if n % 4 else index.remove(span)
        index.find(seed)
        updates.append(time.perf_counter() - start)
    print(line("one label, then the seed's names found", updates))
    folds = []
    for _ in range(args.repeat):
        for n in range(automaton.FOLD_FLOOR + 1):
            index.learn(f"Fold {word(rng, 3)} {n}", "ACTOR")
        start = time.perf_counter()
        index.find(seed)
        folds.append(time.perf_counter() - start)
    print(line("a search that folds the new names in", folds))

    patterns = parse_patterns(patterns_bytes, "bench.jsonl", spacy=True)
    big = big_article(random.Random(4), people)
    print(f"\n-- suggestions for one article ({len(patterns):,} patterns) --")
    for name, use_spacy in (("Gloss's matcher", None), ("spaCy's matchers", True)):
        try:
            finder = PatternFinder(patterns, dataset.labels, use_spacy=use_spacy)
        except ImportError:
            print(f"{name}: spaCy is not installed")
            continue
        if use_spacy:
            finder.find(seed)  # spaCy's import, once
        sources = finders(index, finder)
        for label, text, repeat in (("seed", seed, args.repeat * 3),
                                    ("1 MB", big, max(3, args.repeat // 2))):
            suggest_article(text, [], sources)
            found = len(suggest_article(text, [], sources))
            print(line(f"{label}, {found:,} suggestions, {name}",
                       timed(lambda t=text, s=sources: suggest_article(t, [], s), repeat)))
        print(line("1 MB, names alone", timed(lambda: index.find(big), 3)))

    print(f"\n-- gloss suggest over {args.suggest_articles:,} articles --")
    small = temp / "small"
    build(small, args.suggest_articles, seed=6)
    patterns_path = temp / "patterns.jsonl"
    patterns_path.write_bytes(patterns_bytes)
    runs = []
    for n in range(3):
        copy = temp / f"copy{n}"
        shutil.copytree(small, copy)
        start = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "tui", "suggest", "--db", copy,
                               "--patterns", patterns_path], capture_output=True, text=True,
                              env={**os.environ, "GLOSS_ANNOTATOR": "bench"})
        runs.append(time.perf_counter() - start)
        if n == 0:
            print(done.stderr.strip())
        shutil.rmtree(copy)
    print(line("gloss suggest, start to exit", runs))


if __name__ == "__main__":
    main()
