"""Parquet benchmark: `gloss export --format parquet` and `gloss claims --format parquet` on
a 5,000-article dataset, beside the JSONL export, each a whole command in a child process:
its time and its peak memory (the child's maximum resident set).

    python bench/parquet.py [--repeat N] [--articles N]

Prints min / median / max; asserts nothing. The dataset is bench/store.py's (news-like
text of about 2 KB, 30 spans an article), with a claim linked to its source and a place
in every article; it is made in a temp folder beside this file. The last line is the
Parquet writer alone, fed one article file at a time as it is read: what the command
costs once the dataset is read article by article too.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.store import article
from tui.core.document.model import Document, Relation, Span
from tui.core.store.dataset import Dataset


def dataset(folder: Path, count: int) -> int:
    """``count`` articles x 30 spans, each with a claim, its source and a place."""
    rng = random.Random(7)
    items = []
    for n in range(count):
        raw = article(rng, n, 30)
        spans = [Span.new(raw.text, s["start"], s["end"], label, "bench")
                 for s, label in zip(raw.spans, ["CLAIM", "ACTOR", "LOCATION"] * 10,
                                     strict=False)]
        links = [Relation(spans[0].id, spans[1].id, "SOURCE", "bench"),
                 Relation(spans[0].id, spans[2].id, "ABOUT", "bench")]
        items.append((Document.from_text(raw.text, {"url": f"https://example.org/{n}"}),
                      spans, links))
    Dataset(folder, "bench").add_articles(items)
    return sum(len(spans) for _, spans, _ in items)


def measured(command: list[str]) -> tuple[float, float]:
    """Seconds and peak megabytes of one run of ``command`` in a child."""
    start = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    errors = child.stderr.read().decode() if child.stderr else ""
    if child.returncode:
        raise SystemExit(f"{' '.join(command)} failed: {errors}")
    return seconds, usage.ru_maxrss / 1024


def spread(values: list[float], unit: str) -> str:
    values = sorted(values)
    return (f"median {statistics.median(values):7.2f} {unit}  (min {values[0]:.2f},"
            f" max {values[-1]:.2f}, n={len(values)})")


WRITER_ALONE = """
import sys
from pathlib import Path
from tui.core.store.corpus import Notes
from tui.core.store.dataset import Dataset
from tui.formats import parquet
dataset = Dataset.existing(sys.argv[1], "bench")
out = Path(sys.argv[2])
out.mkdir()
parquet.write_folder((dataset.article(i) for i in dataset.ids()), out, Notes(), None)
"""


# As in an installation of gloss[parquet] alone: pyarrow imports pandas when it is there
# (the test extra's datasets brings it), a second and 60 MB more
WITHOUT_PANDAS = """
import sys

class NoPandas:
    def find_spec(self, name, path, target=None):
        if name.split(".")[0] == "pandas":
            raise ModuleNotFoundError(name)

sys.meta_path.insert(0, NoPandas())
sys.argv[0] = "gloss"
from tui.cli import entry
entry()
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--articles", type=int, default=5000)
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="gloss-bench-", dir=Path(__file__).parent))
    gloss = [sys.executable, "-m", "tui"]
    try:
        db = root / "db"
        spans = dataset(db, args.articles)
        print(f"{args.articles:,} articles, {spans:,} spans, {args.articles:,} claims")
        runs = {
            "export jsonl": lambda i: [*gloss, "export", "--db", str(db), "-o",
                                       str(root / f"e{i}.jsonl")],
            "export --format parquet": lambda i: [*gloss, "export", "--format", "parquet",
                                                  "--db", str(db), "-o", str(root / f"p{i}")],
            "export --format parquet, pandas hidden": lambda i: [
                sys.executable, "-c", WITHOUT_PANDAS, "export", "--format", "parquet", "--db",
                str(db), "-o", str(root / f"n{i}")],
            "claims --format parquet": lambda i: [*gloss, "claims", "--format", "parquet",
                                                  "--db", str(db), "-o",
                                                  str(root / f"c{i}.parquet")],
            "the Parquet writer alone, file by file": lambda i: [
                sys.executable, "-c", WRITER_ALONE, str(db), str(root / f"w{i}")],
        }
        for name, command in runs.items():
            seconds, peaks = [], []
            for i in range(args.repeat):
                took, peak = measured(command(i))
                seconds.append(took)
                peaks.append(peak)
            print(f"{name:<40} {spread(seconds, 's')}  {spans / statistics.median(seconds):9,.0f}"
                  f" spans/s  peak {spread(peaks, 'MB')}")
        size = sum(p.stat().st_size for p in (root / "p0").iterdir())
        jsonl = (root / "e0.jsonl").stat().st_size
        print(f"sizes: parquet {size / 1e6:.1f} MB (spans + articles), jsonl {jsonl / 1e6:.1f} MB")
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
