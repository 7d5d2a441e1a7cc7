"""Interchange benchmark: import and export throughput for every format.

    python bench/formats.py [--articles N]

Prints spans per second; asserts nothing. The dataset is bench/store.py's: 5,000 generated
news-like articles of about 2 KB with 30 spans each (150k spans). Each format is exported
from it, then that export is imported into an empty dataset.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from store import article, import_file, write_jsonl

from tui import interchange
from tui.core.language.export_tokens import tokenizer
from tui.core.store.corpus import Notes, import_articles
from tui.core.store.dataset import Dataset

NAMES = ["jsonl", "doccano", "labelstudio", "conll", "brat", "spacy"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=5000)
    args = parser.parse_args()
    rng = random.Random(7)
    root = Path(tempfile.mkdtemp(prefix="gloss-bench-formats-", dir=Path(__file__).parent))
    try:
        raws = [article(rng, n, 30) for n in range(args.articles)]
        source = root / "source.jsonl"
        write_jsonl(source, raws)
        import_file(root / "db", source)
        dataset = Dataset(root / "db", "bench")
        spans = sum(len(r.spans) for r in raws)
        print(f"{args.articles:,} articles, {spans:,} spans; tokenizer: {tokenizer()[0]}")
        print(f"{'format':<12} {'export':>10} {'spans/s':>10}   {'import':>8} {'spans/s':>10}")
        for name in NAMES:
            fmt = interchange.get(name)
            target = root / (f"out-{name}" if fmt.write_folder else f"out.{name}")
            start = time.perf_counter()
            try:
                report = interchange.export_file(dataset, target, name)
            except Exception as exc:  # the spacy extra may be absent
                print(f"{name:<12} skipped: {exc}")
                continue
            exported = time.perf_counter() - start
            line = f"{name:<12} {exported:9.2f}s {spans / exported:10,.0f}"
            if fmt.read is not None:
                fresh = Dataset(root / f"db-{name}", "bench")
                start = time.perf_counter()
                import_articles(fresh, list(fmt.read(target, Notes())), name)
                imported = time.perf_counter() - start
                line += f"   {imported:7.2f}s {spans / imported:10,.0f}"
            else:
                line += "   (export only)"
            if report.warnings:
                line += f"   warnings: {'; '.join(report.warnings)}"
            print(line)
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
