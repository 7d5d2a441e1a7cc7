"""CoNLL import benchmark: one OCR-like CoNLL file of 200k tokens with no blank line.

    python bench/conll.py [--tokens N] [--runs N] [--crlf] [--profile]

Writes a file of about 1.5 MB (token<TAB>tag a line, no sentence breaks, one entity every
~20 tokens, some tokens beginning with a combining mark as OCR leaves them, a few inside
entities, and some decomposed (NFD) words that Gloss stores composed), then times
``gloss import`` of it in a child process into an empty dataset and prints min / median /
max and the child's peak RSS. ``--profile`` instead imports once in this process under
cProfile and prints where the time goes. Asserts nothing.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WORDS = ("the a of in on and to said was for with by that Ukraine Russia talks cease-fire "
         "envoy troops minister , . officials truce 1918 la le de du").split()
# OCR output is often decomposed (NFD): Gloss stores NFC, so these change length
WORDS += ["Gene\u0300ve", "re\u0301unie", "franc\u0327ais"]
NAMES = ("Kyiv", "Moscow", "Putin", "Zelensky", "Riyadh", "Odesa", "Lviv")
LABELS = ("LOC", "PER", "ORG")
MARKS = "\u0303\u0301\u0308\u0327"  # combining tilde, acute, diaeresis, cedilla


def conll_lines(rng: random.Random, tokens: int) -> list[str]:
    lines: list[str] = []
    while len(lines) < tokens:
        if rng.random() < 0.05:  # an entity of one to three tokens
            label = rng.choice(LABELS)
            for i in range(rng.randint(1, 3)):
                name = rng.choice(NAMES)
                if rng.random() < 0.05:
                    name = rng.choice(MARKS) + name.lower()
                lines.append(f"{name}\t{'I' if i else 'B'}-{label}")
        else:
            word = rng.choice(WORDS)
            if rng.random() < 0.01:
                word = rng.choice(MARKS) + word
            lines.append(f"{word}\tO")
    return lines[:tokens]


def timed_import(path: Path, db: Path) -> tuple[float, int]:
    """Seconds and peak RSS (KiB) of one ``gloss import`` in a child process."""
    env = {**os.environ, "GLOSS_ANNOTATOR": "bench"}
    start = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-m", "tui", "import", str(path), "--db",
                              str(db)], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE)
    assert child.stderr is not None
    errors = child.stderr.read()
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode:
        sys.exit(f"gloss import failed ({child.returncode}): {errors.decode(errors='replace')}")
    return seconds, usage.ru_maxrss


def profile(path: Path, db: Path) -> None:
    from tui.cli import run_import
    from tui.core.store.dataset import Dataset

    profiler = cProfile.Profile()
    profiler.enable()
    run_import(Dataset(db, "bench"), (path,), "auto")
    profiler.disable()
    pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tokens", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--crlf", action="store_true", help="Windows line ends")
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="gloss-bench-conll-", dir=Path(__file__).parent))
    try:
        path = root / "ocr.conll"
        end = "\r\n" if args.crlf else "\n"
        path.write_text(end.join(conll_lines(random.Random(7), args.tokens)) + end,
                        encoding="utf-8", newline="")
        print(f"{args.tokens:,} tokens, {path.stat().st_size / 1e6:.2f} MB, no blank line"
              + (", CRLF" if args.crlf else ""), flush=True)
        if args.profile:
            profile(path, root / "db")
            return
        times, peaks = [], []
        for run in range(args.runs):
            seconds, peak = timed_import(path, root / f"db{run}")
            times.append(seconds)
            peaks.append(peak)
        print(f"gloss import: min {min(times):.2f} s, median {statistics.median(times):.2f} s,"
              f" max {max(times):.2f} s over {args.runs} runs;"
              f" peak RSS {max(peaks) / 1024:.0f} MB")
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
