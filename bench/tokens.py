"""Tokenizer benchmark: tokens per second of Gloss's built-in tokenizer (and spaCy's).

    python bench/tokens.py [--runs N] [--spacy]

Two corpora: the 171 Wikinews articles of the shared data (when present) and the Reddit-like
posts of tests/fixtures/tokens/reddit.txt. Each run tokenizes the whole corpus; the figures
are min / median / max over the runs, in tokens per second of this process's CPU time (other
load on the machine then counts less than in wall time). "cold" empties the tokenizer's
cache of pieces before each run (a new process exporting a new dataset), "warm" keeps it
(the same process tokenizing more text of the same kind). Then hostile runs of 1M characters
(--hostile) that are cut into many affixes or pieces, which must take linear time. Asserts
nothing.
"""

from __future__ import annotations

import argparse
import csv
import re
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tui.core.language import text as text_rules
from tui.core.language.text import normalise
from tui.core.language.tokens import tokenize

WIKINEWS = ROOT.parent / "shared" / "data" / "news" / "wikinews_2019.csv"
REDDIT = ROOT / "tests" / "fixtures" / "tokens" / "reddit.txt"


def corpora() -> dict[str, list[str]]:
    found = {}
    if WIKINEWS.exists():
        with WIKINEWS.open(encoding="utf-8", newline="") as handle:
            found["wikinews"] = [normalise(row["text"]) for row in csv.DictReader(handle)
                                 if row.get("text")]
    lines = REDDIT.read_text(encoding="utf-8").splitlines()
    found["reddit"] = [re.sub(r"⟪([^⟫|]*)\|[A-Z]+⟫", r"\1", line).replace("⏎", "\n")
                       for line in lines if line and not line.startswith("%%")]
    return found


def clear_cache() -> None:
    pieces = getattr(text_rules, "_pieces", None)  # absent before the spaCy port
    if pieces is not None:
        pieces.cache_clear()


def rates(texts: list[str], tokens_of: Callable[[str], object], runs: int,
          cold: bool) -> tuple[int, list[float]]:
    count = sum(len(tokens_of(t)) for t in texts)  # type: ignore[arg-type]
    out = []
    for _ in range(runs):
        if cold:
            clear_cache()
        start = time.process_time()
        for text in texts:
            tokens_of(text)
        out.append(count / (time.process_time() - start))
    return count, out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--spacy", action="store_true", help="also time spacy.blank('en')")
    parser.add_argument("--hostile", type=int, default=1_000_000, metavar="CHARS",
                        help="length of the hostile runs (0: none)")
    args = parser.parse_args()
    tokenizers: list[tuple[str, Callable[[str], object], bool]] = [
        ("gloss cold", tokenize, True), ("gloss warm", tokenize, False)]
    if args.spacy:
        import spacy

        nlp = spacy.blank("en")
        tokenizers.append((f"spacy-{spacy.__version__}", nlp.tokenizer, False))
    print(f"{'corpus':<10} {'tokenizer':<14} {'tokens':>8}   tokens/s min / median / max")
    for name, texts in corpora().items():
        for label, tokens_of, cold in tokenizers:
            count, measured = rates(texts, tokens_of, args.runs, cold)
            print(f"{name:<10} {label:<14} {count:>8,}   {min(measured):>9,.0f} / "
                  f"{statistics.median(measured):>9,.0f} / {max(measured):>9,.0f}")
    if args.hostile:
        hostile(args.hostile)


HOSTILE = ["(", ":)", "!", "'s", "🇺", "👍🏽", "a-", " \n"]


def hostile(size: int) -> None:
    print(f"{f'{size:,} of':<12} {'tokens':>10}   seconds")
    for run in HOSTILE:
        text = run * (size // len(run))
        start = time.process_time()
        count = len(tokenize(text))
        print(f"{run!r:<12} {count:>10,}   {time.process_time() - start:7.2f}")


if __name__ == "__main__":
    main()
