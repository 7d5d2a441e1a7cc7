"""Claim suggestions scored on the attribution gold set, and timed.

    python bench/suggest.py [--part heldout|dev] [--repeat N] [--errors]

Prints figures; asserts nothing. Scored on the held-out part of
tests/fixtures/attributions/ (the rules were tuned on the development part only):
precision, recall and F1 of CLAIM spans (exact offsets, and by the words they share) and
of their SOURCE links (the source's exact offsets, or a span that overlaps it or ends in
the same word: another mention of the same actor), next to the baseline (every sentence
with a cue verb is a claim, whole; its source the nearest actor before it). The actors the
finders are given: the capitalised names of the text (what a dataset without labels
offers), or none at all, or the gold source spans (an upper bound for sources).

Timed: the suggestions of the seed article, and of a 1 MB article made of the gold set's
news texts (min / median / max).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tui.core.suggest import claim_score, cue_files
from tui.core.suggest.claim_cues import claim_suggestions
from tui.core.suggest.claim_score import Article, Figures

GOLD = ROOT / "tests" / "fixtures" / "attributions"
SEED = ROOT / "seeds" / "trump-putin-ceasefire-call.txt"


def table(title: str, rows: list[tuple[str, Figures]]) -> None:
    print(f"\n-- {title} --")
    print(f"{'':<34}{'P':>7}{'R':>7}{'F1':>7}   right / suggested / gold")
    for name, figures in rows:
        for row, count in figures.rows():
            print(f"{name + ', ' + row:<34}{count.precision:7.3f}{count.recall:7.3f}"
                  f"{count.f1:7.3f}   {count.right:.0f} / {count.found} / {count.gold}")


def timings(name: str, run: Callable[[], object], repeat: int) -> None:
    values = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        values.append(time.perf_counter() - start)
    print(f"{name:<44} min {min(values) * 1000:8.1f} ms  median "
          f"{statistics.median(values) * 1000:8.1f} ms  max {max(values) * 1000:8.1f} ms"
          f"  (n={repeat})")


def megabyte(articles: list[Article]) -> str:
    texts = "\n".join(a.text for a in articles)
    text = ""
    while len(text) < 1_000_000:
        text += texts + "\n"
    return text[:1_000_000]


def errors(articles: list[Article], actors: Callable[[Article], Sequence[tuple[int, int]]]
           ) -> None:
    """Each gold claim missed or cut otherwise, and each suggestion that is no gold claim."""
    for item in articles:
        text = item.text
        found = claim_suggestions(text, actors(item))
        exact = {(s.start, s.end) for s in found}
        print(f"== {item.key}")
        for claim in item.claims:
            if (claim.start, claim.end) not in exact:
                print(f"  gold  {text[claim.start:claim.end][:100]!r}")
        for s in found:
            if not any(s.start == c.start and s.end == c.end for c in item.claims):
                print(f"  found {text[s.start:s.end][:100]!r}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--part", choices=["heldout", "dev"], default="heldout")
    parser.add_argument("--repeat", type=int, default=7, help="runs per timing")
    parser.add_argument("--errors", action="store_true", help="list what differs from gold")
    args = parser.parse_args()
    cues = cue_files.cached("en")
    articles = claim_score.read_gold(GOLD / f"{args.part}.jsonl")
    claims = sum(len(a.claims) for a in articles)
    print(f"gold set, {args.part} part: {len(articles)} articles, {claims} attributions")

    def names(item: Article) -> list[tuple[int, int]]:
        return claim_score.capitalised_names(item.text, cues)

    def ours(text: str, actors: Sequence[tuple[int, int]]) -> list:
        return claim_suggestions(text, actors)

    def baseline(text: str, actors: Sequence[tuple[int, int]]) -> list:
        return claim_score.baseline(text, actors, cues)

    table("actors given: the capitalised names of the text", [
        ("cues", claim_score.score(articles, ours, names)),
        ("baseline", claim_score.score(articles, baseline, names))])
    table("actors given: none", [("cues", claim_score.score(articles, ours))])
    table("actors given: the gold sources (an upper bound for sources)", [
        ("cues", claim_score.score(articles, ours, lambda a: a.actors)),
        ("baseline", claim_score.score(articles, baseline, lambda a: a.actors))])
    if args.errors:
        errors(articles, names)

    print("\n-- speed (one process, the cue file read once) --")
    cue_files.cached("en")
    seed = SEED.read_text(encoding="utf-8")
    timings(f"seed article ({len(seed):,} characters)", lambda: claim_suggestions(seed),
            args.repeat * 3)
    every = claim_score.read_gold(GOLD / "dev.jsonl") + claim_score.read_gold(
        GOLD / "heldout.jsonl")
    big = megabyte(every)
    found = len(claim_suggestions(big))
    timings(f"1 MB of news ({found:,} claims)", lambda: claim_suggestions(big), args.repeat)


if __name__ == "__main__":
    main()
