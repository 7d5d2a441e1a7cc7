"""Import memory benchmark (issue 19): ``gloss import`` of a large JSONL file into a fresh
dataset, and into a copy of a dataset already holding its articles (every record merged
into an article file), each in a process of its own: wall time, CPU time, peak RSS.

    python bench/import_memory.py --input FILE [--into DATASET [--merge FILE]]
                                  [--repeat N] [--before GLOSS] [--work DIR]

``--input`` is a JSONL file, e.g. ``gloss export --db DATASET -o FILE`` of a large
dataset. ``--into`` measures the merge as well: before each run its article files are
hard-linked into a fresh folder under ``--work`` (Gloss writes by rename, so the dataset
is never changed) and its index copied; ``--merge`` is the file imported into it (default:
``--input``, whose records, the dataset's own, add nothing; the same records with their
spans given to another analyst have every article file merged into and written again).
``--before`` is another ``gloss`` executable (e.g. the one of a checkout of main) run in
turn with this tree's, to compare. Prints min / median / max of each figure; asserts
nothing.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def fresh(work: Path, into: Path | None) -> Path:
    """An empty folder, or a copy of ``into`` (articles hard-linked, the index copied)."""
    target = work / "target"
    shutil.rmtree(target, ignore_errors=True)
    if into is None:
        return target
    subprocess.run(["cp", "-al", str(into), str(target)], check=True)
    cache = target / ".cache"
    if cache.is_dir():
        shutil.rmtree(cache)
        shutil.copytree(into / ".cache", cache)
    return target


def run(gloss: str, source: Path, target: Path) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds (user + system) and peak RSS (MB) of one import."""
    start = time.perf_counter()
    child = subprocess.Popen([gloss, "import", "--db", str(target), "--annotator", "bench",
                              str(source)], stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{gloss}: import failed ({os.waitstatus_to_exitcode(status)})")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss // 1024


def spread(values: list[float], unit: str, digits: int = 1) -> str:
    return (f"{min(values):.{digits}f} / {statistics.median(values):.{digits}f} / "
            f"{max(values):.{digits}f} {unit}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--input", type=Path, required=True)
    parser.add_argument("--into", type=Path)
    parser.add_argument("--merge", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--before", help="another gloss executable, measured in turn")
    parser.add_argument("--work", type=Path, default=ROOT / "bench" / ".import_memory")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    programs = {"after": str(ROOT / ".venv" / "bin" / "gloss")}
    if args.before:
        programs = {"before": args.before, **programs}
    cases = {"fresh dataset": (args.input, None),
             **({"merged into": (args.merge or args.input, args.into)} if args.into else {})}
    figures: dict[tuple[str, str], list[tuple[float, float, int]]] = {}
    try:
        for _ in range(args.repeat):
            for case, (source, into) in cases.items():
                for name, gloss in programs.items():
                    figures.setdefault((case, name), []).append(
                        run(gloss, source, fresh(args.work, into)))
    finally:
        shutil.rmtree(args.work, ignore_errors=True)
    print(f"import of {args.input.name} ({args.input.stat().st_size >> 20} MB), "
          f"{args.repeat} runs each, min / median / max; load {os.getloadavg()[0]:.1f}")
    for (case, name), runs in figures.items():
        walls, cpus, peaks = zip(*runs, strict=True)
        print(f"{case:14} {name:7} wall {spread(list(walls), 's')}  "
              f"cpu {spread(list(cpus), 's')}  peak RSS {spread(list(peaks), 'MB', 0)}")


if __name__ == "__main__":
    main()
