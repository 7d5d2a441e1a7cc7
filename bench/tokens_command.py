"""`gloss export` (jsonl) of a dataset without valid kept tokens and after `gloss tokens`,
and `gloss tokens` itself, in turns.

    python bench/tokens_command.py --db DIR [--repeat 3]

DIR is a copy of a bench dataset (``bench/scale.py`` makes them; its kept tokens may be of
another version: the state after an upgrade). Each turn runs, each a process of its own:
the export with the dataset's ``.tokens`` moved aside (tokenizing every article), then
``gloss tokens`` on a fresh ``.tokens`` (its time and peak memory), then the export with
what it kept; the previous ``.tokens`` is put back at the end. Prints min / median / max of
wall and processor seconds, spans a second of wall time and peak memory. Asserts nothing.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
from pathlib import Path

import orjson

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.scale import Run, run

EXPORT = "jsonl"


def spans_in(path: Path) -> int:
    with path.open("rb") as lines:
        return sum(len(orjson.loads(line)["spans"]) for line in lines)


def show(name: str, runs: list[Run], spans: int = 0) -> None:
    def mmm(values: list[float], fmt: str) -> str:
        values = sorted(values)
        return "/".join(format(v, fmt) for v in (values[0], statistics.median(values),
                                                 values[-1]))

    walls = [r[0] for r in runs]
    text = (f"{name:<34} wall {mmm(walls, '.2f')} s  cpu {mmm([r[2] for r in runs], '.2f')}"
            f" s  peak {mmm([r[1] for r in runs], '.0f')} MB")
    if spans:
        text += f"  spans/s {mmm([spans / w for w in walls], ',.0f')}"
    print(text, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    db: Path = args.db.resolve()
    tokens = db / ".tokens"
    aside = db.parent / f"{db.name}.tokens-before"
    out = Path("/tmp") / f"bench-tokens-{db.name}.jsonl"
    export = ["-m", "tui", "export", "--db", str(db), "--format", EXPORT, "-o", str(out)]
    keep = ["-m", "tui", "tokens", "--db", str(db)]
    had = tokens.exists()
    if had:
        tokens.rename(aside)
    spans = 0
    results: dict[str, list[Run]] = {"without": [], "tokens": [], "with": []}
    try:
        for turn in range(args.repeat):
            results["without"].append(run(ROOT, export))
            spans = spans or spans_in(out)
            results["tokens"].append(run(ROOT, keep))
            results["with"].append(run(ROOT, export))
            print(f"turn {turn + 1}: " + ", ".join(f"{k} {v[-1][0]:.2f} s"
                                                   for k, v in results.items()), flush=True)
            shutil.rmtree(tokens)
    finally:
        shutil.rmtree(tokens, ignore_errors=True)
        if had:
            aside.rename(tokens)
        out.unlink(missing_ok=True)
    print(f"\n{db.name}: {spans:,} spans exported; min/median/max of {args.repeat}")
    show("export, no valid kept tokens", results["without"], spans)
    show("gloss tokens", results["tokens"])
    show("export after gloss tokens", results["with"], spans)


if __name__ == "__main__":
    main()
