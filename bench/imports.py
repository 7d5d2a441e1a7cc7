"""Import benchmark: one huge record with CRLF line ends, and a 100 MB JSONL file.

    python bench/imports.py [--runs N] [--only crlf|big] [--profile crlf|big]

Writes, in a temp folder beside this file:

- ``crlf.jsonl``: one Prodigy record of about 5.9 MB of news-like text, CRLF line ends
  (Windows), with 20,000 spans whose offsets count the CRs, as a tool that read the
  file as it is would give them; ``lf.jsonl`` is the same record with LF line ends;
- ``big.jsonl``: 100,000 records of about 1 KB with two spans each (200k spans, 100 MB).

Each is imported by ``gloss import`` in a child process into an empty dataset; the bench
prints min / median / max of the wall time over the runs, the child's CPU time and its
peak RSS. ``--profile`` instead imports once in this process under cProfile. Asserts
nothing. Set ``PYTHONPATH`` to a folder holding a ``spacy`` package that raises
ImportError to measure without spaCy (spaCy plays no part in an import, but is loaded
when installed).
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

import orjson

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WORDS = ("Putin Trump Zelensky Kyiv Moscow Riyadh cease-fire talks envoy said the a of in on "
         "security adviser officials claimed troops withdrawal agreement Ukraine’s Russia’s "
         "sanctions 30-day truce negotiators, statement. minister Genève café").split()
LABELS = ("ACTOR", "CLAIM", "LOCATION")


def paragraphs(rng: random.Random, chars: int, words_a_paragraph: int) -> list[str]:
    out, total = [], 0
    while total < chars:
        paragraph = " ".join(rng.choice(WORDS) for _ in range(words_a_paragraph))
        out.append(paragraph)
        total += len(paragraph) + 2
    return out


def record(text: str, spans: int, rng: random.Random) -> dict:
    """A Prodigy record labelling ``spans`` distinct words of ``text``."""
    starts = [i + 1 for i, ch in enumerate(text) if ch == " "]
    chosen = sorted(rng.sample(starts, spans))
    out = []
    for start in chosen:
        end = min(i for i in (text.find(" ", start), text.find("\r", start),
                              text.find("\n", start), len(text)) if i >= 0)
        if end > start:
            out.append({"start": start, "end": end, "label": rng.choice(LABELS)})
    return {"text": text, "meta": {"source": "bench"}, "spans": out}


def write_crlf_pair(folder: Path) -> tuple[Path, Path, int]:
    """One record of ~5.9 MB with CRLF line ends and 20k spans, and the same with LF."""
    rng = random.Random(7)
    parts = paragraphs(rng, 4_770_000, 60)  # 5.9 MB of JSON with the spans
    crlf = record("\r\n".join(parts), 20_000, random.Random(8))
    lf = record("\n".join(parts), 20_000, random.Random(8))  # the same words and spans
    paths = folder / "crlf.jsonl", folder / "lf.jsonl"
    for path, line in zip(paths, (crlf, lf), strict=True):
        path.write_bytes(orjson.dumps(line) + b"\n")
    return paths[0], paths[1], len(crlf["spans"])


def write_big(folder: Path, records: int = 100_000) -> Path:
    """100k records of about 1 KB (a few paragraphs, LF) with two spans each."""
    rng = random.Random(9)
    path = folder / "big.jsonl"
    with path.open("wb") as out:
        for n in range(records):
            text = f"Report {n}\n" + "\n".join(paragraphs(rng, 745, 25))
            out.write(orjson.dumps(record(text, 2, rng)) + b"\n")
    return path


def timed_import(path: Path, db: Path) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds and peak RSS (KiB) of one ``gloss import`` in a child."""
    env = {**os.environ, "GLOSS_ANNOTATOR": "bench"}
    os.sync()  # what earlier runs left to write is not this run's to wait for
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
    return seconds, usage.ru_utime + usage.ru_stime, usage.ru_maxrss


def spread(values: list[float]) -> str:
    return (f"min {min(values):6.2f} s, median {statistics.median(values):6.2f} s, "
            f"max {max(values):6.2f} s")


def measure(label: str, path: Path, root: Path, runs: int) -> float:
    walls, cpus, peaks = [], [], []
    for run in range(runs):
        wall, cpu, peak = timed_import(path, root / f"db-{path.stem}-{run}")
        walls.append(wall)
        cpus.append(cpu)
        peaks.append(peak)
    print(f"{label}: {spread(walls)} (n={runs}); CPU median {statistics.median(cpus):.2f} s;"
          f" peak RSS {max(peaks) / 1024:,.0f} MB", flush=True)
    return statistics.median(walls)


def profile(path: Path, db: Path) -> None:
    from tui.cli import run_import
    from tui.core.store.dataset import Dataset

    profiler = cProfile.Profile()
    profiler.enable()
    run_import(Dataset(db, "bench"), (path,), "jsonl")
    profiler.disable()
    pstats.Stats(profiler).sort_stats("tottime").print_stats(25)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--only", choices=("crlf", "big"))
    parser.add_argument("--profile", choices=("crlf", "big"))
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="gloss-bench-imports-", dir=Path(__file__).parent))
    try:
        if args.profile:
            path = write_crlf_pair(root)[0] if args.profile == "crlf" else write_big(root)
            profile(path, root / "db")
            return
        if args.only in (None, "crlf"):
            crlf, lf, spans = write_crlf_pair(root)
            print(f"one record of {crlf.stat().st_size / 1e6:.1f} MB, {spans:,} spans",
                  flush=True)
            with_cr = measure("  CRLF line ends", crlf, root, args.runs)
            without = measure("  LF line ends  ", lf, root, args.runs)
            print(f"  CRLF / LF, medians: {with_cr / without:.2f}x")
        if args.only in (None, "big"):
            big = write_big(root)
            print(f"100,000 records, 200,000 spans, {big.stat().st_size / 1e6:.0f} MB",
                  flush=True)
            measure("  gloss import", big, root, args.runs)
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
