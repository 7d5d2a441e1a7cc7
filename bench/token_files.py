"""What merging the `.tokens` files costs, and what it saves an export.

    python bench/token_files.py [--runs N] [--articles N]

Builds the tokens of N news-like articles (3 KB each) spread over MOST_FILES + 1 files, as
that many imports leave them, then times ``token_cache.compact`` merging them into one
(min / median / max over the runs, each on a fresh copy), and the export's first look at
the cache (``Index``: listing and reading every file's index) over 150 files against over
one. Asserts nothing.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.timing import line
from tui.core.disk import token_cache
from tui.core.document.model import Document

WORDS = ("Putin Trump Zelensky Kyiv Moscow Riyadh cease-fire talks envoy said the a of in on "
         "security adviser officials claimed troops withdrawal agreement Ukraine’s").split()


def texts(n: int) -> list[tuple[str, str]]:
    rng = random.Random(15)
    out = []
    for i in range(n):
        text = f"Article {i}. " + " ".join(rng.choice(WORDS) for _ in range(450)) + "."
        out.append((Document.from_text(text).id, text))
    return out


def spread(folder: Path, items: list[tuple[str, str]], files: int) -> None:
    """``items``' tokens in ``files`` cache files, as that many imports would leave them."""
    token_cache.MOST_FILES = 10**9  # no merging while they are made
    folder.mkdir()
    size = -(-len(items) // files)
    for start in range(0, len(items), size):
        token_cache.fill(folder, items[start:start + size], budget=1e9)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--articles", type=int, default=2000)
    args = parser.parse_args()
    token_cache.SPACY_WORTH_LOADING = 0
    most = token_cache.MOST_FILES
    items = texts(args.articles)
    with tempfile.TemporaryDirectory(dir=ROOT / "bench") as tmp:
        made = Path(tmp, "made")
        spread(made, items, most + 1)
        size = sum(p.stat().st_size for p in (made / token_cache.FOLDER).iterdir())
        timings = []
        for run in range(args.runs):
            copy = Path(tmp, f"run{run}")
            shutil.copytree(made, copy)
            began = time.perf_counter()
            merged = token_cache.compact(copy, most=most)
            timings.append(time.perf_counter() - began)
            assert merged == most + 1
        print(line(f"merge {most + 1} files, {args.articles:,} articles, {size >> 20} MB",
                   timings, width=52))
        for files in (150, 1):
            many = Path(tmp, f"files{files}")
            spread(many, items, files)
            looks = []
            for _ in range(args.runs):
                began = time.perf_counter()
                token_cache.Index(many).close()
                looks.append(time.perf_counter() - began)
            print(line(f"an export's first look at {files} file{'s' * (files > 1)}", looks,
                       width=52))


if __name__ == "__main__":
    main()
