"""The team over git: `git pull` of a 1 MB article that two analysts both labelled, merged
by Gloss's driver (`gloss git-setup`), and the driver alone on the same three versions.

    python bench/git_pull.py [--repeat N] [--chars N]

Prints min / median / max; asserts nothing. A bare origin and two clones in a temp folder
beside this file; the article holds 5,000 spans; each round, each analyst adds 50 spans
and commits, olena pushes, and petro's `git pull` (a fetch from the local origin, the
merge, the checkout) is timed, then he pushes and olena pulls (a fast-forward).
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

from bench.store import WORDS
from tui.core.document.model import Document, Span
from tui.core.store.dataset import Dataset

ENV = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}


def git(cwd: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, env=ENV, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"git {' '.join(args)}: {done.stdout}{done.stderr}")
    return done.stdout


def gloss(*args: str | Path) -> None:
    done = subprocess.run([sys.executable, "-m", "tui", *map(str, args)], capture_output=True,
                          text=True)
    if done.returncode:
        raise SystemExit(f"gloss {args[0]}: {done.stderr}")


def clone(origin: Path, folder: Path, who: str) -> Path:
    git(folder.parent, "clone", "-q", str(origin), folder.name)
    for key, value in (("user.name", who), ("user.email", f"{who}@example.org"),
                       ("pull.rebase", "false")):
        git(folder, "config", key, value)
    gloss("git-setup", "--db", folder / "annotations")
    return folder


def words(rng: random.Random, text: str, count: int, taken: set[int]) -> list[tuple[int, int]]:
    """``count`` whole words of ``text`` not taken yet."""
    found: list[tuple[int, int]] = []
    while len(found) < count:
        start = text.find(" ", rng.randrange(len(text) - 40)) + 1
        if start in taken:
            continue
        taken.add(start)
        found.append((start, text.index(" ", start)))
    return found


def label(folder: Path, who: str, document: Document, spans: list[tuple[int, int]]) -> None:
    made = [Span.new(document.text, s, e, "ACTOR", who) for s, e in spans]
    Dataset(folder / "annotations", who).add_article(document, made)  # one write, as a save


def spread(values: list[float]) -> str:
    values = sorted(values)
    return (f"median {statistics.median(values) * 1000:7.1f} ms  (min {values[0] * 1000:.1f},"
            f" max {values[-1] * 1000:.1f}, n={len(values)})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--chars", type=int, default=1_000_000)
    args = parser.parse_args()
    rng = random.Random(11)
    root = Path(tempfile.mkdtemp(prefix="gloss-bench-", dir=Path(__file__).parent))
    try:
        text = "A long report: "
        while len(text) < args.chars:
            text += " ".join(rng.choice(WORDS) for _ in range(1000)) + ".\n"
        document = Document.from_text(text)
        origin = root / "origin.git"
        git(root, "init", "-q", "--bare", "-b", "main", str(origin))
        seed = clone(origin, root / "seed", "seed")
        taken: set[int] = set()
        label(seed, "seed", document, words(rng, text, 5000, taken))
        git(seed, "add", "-A")
        git(seed, "commit", "-q", "-m", "a long article")
        git(seed, "push", "-q", "origin", "HEAD:main")
        olena, petro = clone(origin, root / "olena", "olena"), clone(origin, root / "petro",
                                                                      "petro")
        size = (olena / "annotations" / f"{document.id}.json").stat().st_size
        print(f"one article of {len(text):,} characters, 5,000 spans: {size / 1e6:.1f} MB file")
        pulls, forwards, drivers = [], [], []
        for round_ in range(args.repeat):
            for folder, who in ((olena, "olena"), (petro, "petro")):
                label(folder, who, document, words(rng, text, 50, taken))
                git(folder, "add", "-A")
                git(folder, "commit", "-q", "-m", f"{who} {round_}")
            git(olena, "push", "-q")
            start = time.perf_counter()
            git(petro, "pull", "-q")
            pulls.append(time.perf_counter() - start)
            drivers.append(driver_alone(petro, document.id))
            git(petro, "push", "-q")
            start = time.perf_counter()
            git(olena, "pull", "-q")
            forwards.append(time.perf_counter() - start)
        spans = len(Dataset(petro / "annotations", "x").spans(document.id))
        print(f"git pull, both sides labelled it (the driver merges): {spread(pulls)}")
        print(f"  gloss git-merge alone on those three versions:      {spread(drivers)}")
        print(f"git pull, a fast-forward:                             {spread(forwards)}")
        print(f"  the article holds {spans:,} spans after {args.repeat} rounds"
              f" (5,000 + 2 x 50 a round: nothing lost)")
    finally:
        shutil.rmtree(root, ignore_errors=True)


def driver_alone(repo: Path, doc_id: str) -> float:
    """The merge just made, its three versions given to the driver again."""
    name = f"annotations/{doc_id}.json"
    folder = repo.parent / "driver"
    folder.mkdir(exist_ok=True)
    for side, rev in (("base", "HEAD^1"), ("ours", "HEAD^1"), ("theirs", "HEAD^2")):
        if side == "base":
            rev = git(repo, "merge-base", "HEAD^1", "HEAD^2").strip()
        (folder / side).write_bytes(subprocess.run(
            ["git", "show", f"{rev}:{name}"], cwd=repo, env=ENV, capture_output=True,
            check=True).stdout)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-P", "-m", "tui", "git-merge", folder / "base",
                    folder / "ours", folder / "theirs", name], cwd=repo, check=True)
    return time.perf_counter() - start


if __name__ == "__main__":
    main()
