"""Scale benchmark (issue 19): the commands and the library's rows on a large dataset, each
in a process of its own, its time and its peak memory (max RSS), before and after.

    python bench/scale.py [--articles N] [--root DIR] [--before TREE] [--repeat N]

Builds (once, kept under ``--root``) a dataset of N articles (default 20,000) of about
2 KB, two analysts with 15 spans each (30 an article: 3 million spans at 100,000), a claim
with its SOURCE link each, half of the articles done by both; and one article of 20 MB.
The dataset is built as imports build it: 2,000 articles a commit, each keeping the tokens
of its articles for the export (``.tokens/``, within an import's time budget; the 20 MB
article is over it, as in a real import). A dataset built before without them gets them
the same way, 2,000 articles at a time. The export is also measured with the tokens moved
aside ("no tokens kept": it tokenizes every article). Tokens are kept under a version of
the code that makes them, so ``--before`` code of another version finds none it may use
and tokenizes every article too, as does code older than the entries' binary layout (give
it a copy of the dataset whose tokens it made, to measure it with them).
Each figure runs the code of this tree ("after") and, with ``--before TREE`` (a checkout
of the code to compare, e.g. ``git archive main | tar -x -C /tmp/before``), that tree's
("before") with the same interpreter. "after" is measured with the index as the writers
leave it (made first by a writer's pass when missing or of another version), and "after,
cold" with the index removed (a read-only command then reads every file and writes
nothing). Then the claims board's first rows in the app, B pressed at the reader's first
frame in a first session (the index file there, nothing read in the process yet). Prints
min / median / max of the wall time and the largest peak RSS; asserts nothing. Files are
read from the page cache (a second start).
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.store import WORDS
from tui.core.disk import token_cache
from tui.core.document.model import Document, Relation, Span
from tui.core.store.dataset import Dataset

ANALYSTS = ("alice", "bob")
SPANS = 15  # an analyst's, an article
CHUNK = 2000  # articles a commit


def make_item(rng: random.Random, n: int) -> tuple[Document, list[Span], list[Relation],
                                                   list[dict[str, str]]]:
    words = [rng.choice(WORDS) for _ in range(300)]
    text = f"Article {n}: " + " ".join(words)
    document = Document.from_text(text, {"title": f"Article {n}", "date": "2026-03-02"})
    gaps = [i + 1 for i, ch in enumerate(text) if ch == " "]
    spans: list[Span] = []
    links: list[Relation] = []
    for who in ANALYSTS:
        mine = []
        for start in sorted(rng.sample(gaps, SPANS)):
            end = text.find(" ", start)
            end = end if end > 0 else len(text)
            label = ("ACTOR", "CLAIM", "LOCATION")[len(mine) % 3]
            mine.append(Span.new(text, start, end, label, who))
        spans += mine
        links.append(Relation(mine[1].id, mine[0].id, "SOURCE", who))
    done = [{"annotator": who, "status": "done", "updated": "2026-03-02T08:00:00+00:00"}
            for who in ANALYSTS] if n % 2 == 0 else []
    return document, spans, links, done


def build(folder: Path, articles: int) -> None:
    if (folder / "built").is_file():
        return
    shutil.rmtree(folder, ignore_errors=True)
    dataset = Dataset(folder, "alice")
    rng = random.Random(19)
    started = time.perf_counter()
    for first in range(0, articles, CHUNK):
        items = [make_item(rng, n) for n in range(first, min(first + CHUNK, articles))]
        dataset.add_articles([(d, s, r) for d, s, r, _ in items],
                             statuses={d.id: done for d, _, _, done in items if done})
        print(f"  built {min(first + CHUNK, articles):,} articles "
              f"({time.perf_counter() - started:.0f} s)", file=sys.stderr)
    (folder / "built").write_text(str(articles))


def keep_tokens(folder: Path) -> None:
    """The tokens the imports of a dataset built without them would have kept: 2,000
    articles at a time (``token_cache.fill``). An import's budget is wall time, 2 s: on a
    quiet machine 2,000 of these articles take 0.9 s, on one shared with other work most
    of them would be left to the export; here all are kept, whatever the load. Tokens kept
    by another version of the code (another layout, other rules) are kept again."""
    kept = token_cache.Index(folder)
    kept.close()
    if kept.where:
        return
    texts = [(a.document.id, a.document.text)
             for a in Dataset.existing(folder, "alice").readable([])]
    started = time.perf_counter()
    kept = sum(token_cache.fill(folder, texts[first:first + CHUNK], budget=600)
               for first in range(0, len(texts), CHUNK))
    print(f"  kept the tokens of {kept:,} of {len(texts):,} articles "
          f"({time.perf_counter() - started:.0f} s)", file=sys.stderr)


def build_big(folder: Path) -> None:
    """One article of about 20 MB with 2,000 spans."""
    if (folder / "built").is_file():
        return
    shutil.rmtree(folder, ignore_errors=True)
    rng = random.Random(20)
    text = " ".join(rng.choice(WORDS) for _ in range(2_600_000))[:20_000_000]
    gaps = [m.start() + 1 for m in re.finditer(" ", text[:19_000_000])]
    spans = []
    for start in sorted(rng.sample(gaps, 2000)):
        end = text.find(" ", start)
        spans.append(Span.new(text, start, end, "ACTOR", "alice"))
    Dataset(folder, "alice").add_articles([(Document.from_text(text), spans, [])])
    (folder / "built").write_text("1")


PEAK = re.compile(rb"Maximum resident set size \(kbytes\): (\d+)")
# The processor time of each run measured (user + system): on a machine shared with other
# work the wall time says more of the load than of the code
CPU = re.compile(rb"(?:User|System) time \(seconds\): ([\d.]+)")
Run = tuple[float, int, float]  # wall seconds, peak RSS in MB, processor seconds (or -1)


def run(tree: Path, args: list[str], cold: Path | None = None, aside: str = ".cache"
        ) -> Run:
    """One process of ``python args`` with ``tree``'s code: (seconds, peak RSS in MB,
    processor seconds);
    ``cold``: a dataset whose ``aside`` folder (the index) is moved aside meanwhile."""
    away = None
    if cold is not None:  # the index moved aside for this run, put back after it
        away = cold.parent / f"{cold.name}{aside}-away"
        (cold / aside).rename(away)
    try:
        start = time.perf_counter()
        done = subprocess.run(["/usr/bin/time", "-v", sys.executable, *args], cwd="/tmp",
                              env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin",
                                   "GLOSS_ANNOTATOR": "alice", "HOME": "/tmp"},
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                              check=False)
        took = time.perf_counter() - start
    finally:
        if away is not None:
            away.rename(cold / aside)
    found = PEAK.search(done.stderr)
    if done.returncode != 0 or found is None:
        tail = done.stderr.decode(errors="replace")[-600:]
        raise SystemExit(f"{args} failed ({done.returncode}):\n{tail}")
    used = sum(float(t) for t in CPU.findall(done.stderr))
    return took, int(found.group(1)) // 1024, used


ROWS = ("from tui.core.store.dataset import Dataset; import sys; "
        "Dataset.existing(sys.argv[1], 'alice').summaries()")
# The rows of `gloss review`'s library: for a reviewer of another name, and for the pair
# in the order the index's rows do not compare them (bob against alice: each article's
# agreement of that pair worked out, not the one kept)
ROWS_REVIEWER = ("from tui.core.store.dataset import Dataset; import sys; "
                 "Dataset.existing(sys.argv[1], 'carol').summaries('carol')")
ROWS_PAIR = ("from tui.core.store.dataset import Dataset; import sys; "
             "Dataset.existing(sys.argv[1], 'review').summaries('review', ('bob', 'alice'))")
APP = """
import asyncio, resource, sys
sys.path.insert(0, sys.argv[2])
from bench.library import first_frame_and_keys, stats_first_frame
from pathlib import Path
first, keys = asyncio.run(first_frame_and_keys(Path(sys.argv[1]), 6))
stats = asyncio.run(stats_first_frame(Path(sys.argv[1]))) if sys.argv[3:] else 0.0
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
print(first, stats, *keys, peak, file=sys.stderr)
"""
# The library of `gloss review --annotators bob,alice`: its first frame
REVIEW_APP = """
import asyncio, resource, sys
sys.path.insert(0, sys.argv[2])
from bench.library import first_frame_and_keys
from tui.core.team.review import ReviewPlan
from pathlib import Path
first, _ = asyncio.run(first_frame_and_keys(Path(sys.argv[1]), 0,
                                            ReviewPlan('review', ('bob', 'alice'))))
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
print(first, peak, file=sys.stderr)
"""
BOARD = """
import asyncio, resource, sys, time
sys.path.insert(0, sys.argv[2])
import bench.claims
from pathlib import Path
cpu = time.process_time()
if hasattr(bench.claims, 'board_figures'):
    found = asyncio.run(bench.claims.board_figures(Path(sys.argv[1]), 'alice'))
else:  # code without it: the first rows only
    found = [asyncio.run(bench.claims.board_first_rows(Path(sys.argv[1]), 'alice'))]
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
print('BOARD', time.process_time() - cpu, *found, peak, file=sys.stderr)
"""
BOARD_FIGURES = ("first rows (B in a first session)", "the whole board in", "end to the last"
                 " claim", "a jump to the middle line", "filter key to frame (@ k y)")
SAVE = """
import sys, time
from tui.core.store.dataset import Dataset
from tui.core.document.model import Span
d = Dataset(sys.argv[1], 'alice')
doc = d.ids()[0]
text = d.document(doc).text
times = []
for n in range(5):
    span = Span.new(text, 100 + 10 * n, 104 + 10 * n, 'LOCATION', 'alice')
    start = time.perf_counter()
    d.save_span(doc, span)
    times.append(time.perf_counter() - start)
print('SAVES', *times, file=sys.stderr)
"""


INDEX = ("from tui.core.store.dataset import Dataset; import sys; "
         "d = Dataset(sys.argv[1], 'alice'); sum(1 for _ in d.index.scan(d, None))")


def commands(folder: Path, out: Path) -> dict[str, list[str]]:
    db = str(folder)
    return {
        "gloss stats": ["-m", "tui", "stats", "--db", db, "--format", "json"],
        "gloss claims (csv)": ["-m", "tui", "claims", "--db", db, "--format", "csv"],
        "gloss claims (jsonl)": ["-m", "tui", "claims", "--db", db, "--format", "jsonl"],
        "gloss claims (parquet)": ["-m", "tui", "claims", "--db", db, "--format", "parquet",
                                   "-o", str(out.with_name("claims.parquet"))],
        "gloss agree (2 analysts)": ["-m", "tui", "agree", "--db", db, "--format", "json"],
        "gloss export jsonl": ["-m", "tui", "export", "--db", db, "-o", str(out)],
        "library rows (Dataset.summaries)": ["-c", ROWS, db],
        "library rows, reviewer carol": ["-c", ROWS_REVIEWER, db],
        "library rows, pair bob against alice": ["-c", ROWS_PAIR, db],
    }


SHORT = {"gloss stats": "stats", "gloss claims (csv)": "claims",
         "gloss claims (jsonl)": "claims-jsonl", "gloss claims (parquet)": "claims-parquet",
         "gloss agree (2 analysts)": "agree", "gloss export jsonl": "export",
         "library rows (Dataset.summaries)": "rows",
         "library rows, reviewer carol": "rows-reviewer",
         "library rows, pair bob against alice": "rows-pair"}


def figures(name: str, runs: list[Run], extra: str = "") -> str:
    """A row of the table (processor time left blank for runs that did not measure it)."""
    times = sorted(t for t, _, _ in runs)
    used = sorted(c for _, _, c in runs if c >= 0)
    return (f"| {name} | {times[0]:.2f} / {statistics.median(times):.2f} / {times[-1]:.2f} s"
            + (f" | {used[0]:.2f} / {statistics.median(used):.2f} / {used[-1]:.2f} s"
               if used else " | ")
            + f" | {max(m for _, m, _ in runs)} MB |{extra}")


def review_library(trees: list[tuple[str, Path, Path, bool]], repeat: int) -> None:
    """The first frame of `gloss review --annotators bob,alice`'s library, each code in
    turn."""
    firsts: dict[str, list[Run]] = {label: [] for label, *_ in trees}
    for _ in range(repeat):
        for label, tree, db, _ in trees:
            done = subprocess.run(
                ["/usr/bin/time", "-v", sys.executable, "-c", REVIEW_APP, str(db),
                 str(tree)], cwd="/tmp",
                env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin", "HOME": "/tmp"},
                capture_output=True, check=False)
            try:
                first, peak = done.stderr.split(b"\n\tCommand")[0].split()[-2:]
                used = sum(float(t) for t in CPU.findall(done.stderr))
                firsts[label].append((float(first), int(peak), used))
            except ValueError:
                raise SystemExit(done.stderr.decode(errors="replace")[-800:]) from None
    for label, *_ in trees:
        print(figures(f"review library first frame, bob against alice (app; processor:"
                      f" the whole run) | {label}", firsts[label], " |"), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--root", type=Path, default=Path("/work/benchdata/scale"))
    parser.add_argument("--before", type=Path, default=None)
    parser.add_argument("--before-root", type=Path, default=None, help="the datasets the"
                        " before code reads (default: --root's), e.g. a copy whose index"
                        " is of the before code's version")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--before-repeat", type=int, default=None,
                        help="runs of the before code and of the cold index (default:"
                        " --repeat)")
    parser.add_argument("--skip", default="", help="commands left out, comma separated"
                        " (stats, claims, claims-jsonl, claims-parquet, agree, export, rows,"
                        " rows-reviewer, rows-pair, board,"
                        " big; screen: the stats screen of --app; review: the review"
                        " library of --app; cold: the runs without the index)")
    parser.add_argument("--app", action="store_true", help="also the app: the library's"
                        " first frame, keys typed into its filter, the stats screen, the"
                        " first frame of the review's library for a pair")
    parser.add_argument("--only", default="", help="the only commands measured, comma"
                        " separated (the names of --skip; e.g. claims-jsonl)")
    parser.add_argument("--as-is", action="store_true", help="the dataset and its index"
                        " read as they are: nothing built, no writer's pass, no cold runs"
                        " (the index is never moved aside), so that a folder that must not"
                        " be written (a shared copy) is measured by read-only commands")
    args = parser.parse_args()
    folder = args.root / f"articles-{args.articles}"
    big = args.root / "big-20mb"
    skip = set(filter(None, args.skip.split(",")))
    if args.only:
        skip |= set(SHORT.values()) - set(args.only.split(",")) | {
            "board", "big", "screen", "review", "cold"}
    if args.as_is:
        skip |= {"cold", "big"}
    else:
        print(f"building {folder} ...", file=sys.stderr)
        build(folder, args.articles)
        if "export" not in skip:  # only the export reads them
            keep_tokens(folder)
        if "big" not in skip:
            build_big(big)
    # (as it is: the folder is not this bench's to write)
    out = (Path(tempfile.gettempdir()) if args.as_is else args.root) / "export.jsonl"
    # (label, code, dataset, whether its index is moved aside for the run)
    trees = [("after", ROOT, folder, False)] + ([] if "cold" in skip else [
        ("after, cold index", ROOT, folder, True)])
    if args.before is not None:
        own = (args.before_root or args.root) / folder.name
        trees.insert(0, ("before", args.before, own, False))
    spans = 2 * SPANS * args.articles
    print(f"\n{args.articles:,} articles, {spans:,} spans; min / median / max of"
          f" {args.repeat}, peak RSS; the runs of before and after taken in turns\n")
    print("| command | code | time | processor time | peak memory | note |\n"
          "|---|---|---|---|---|---|")
    for _label, tree, db, cold in trees:
        if not cold and not args.as_is:  # the index as the writers leave it (its version)
            run(tree, ["-c", INDEX, str(db)])
    for name in commands(folder, out):
        if SHORT[name] in skip:
            continue
        runs: dict[str, list[Run]] = {label: [] for label, *_ in trees}
        for turn in range(max(args.repeat, args.before_repeat or 0)):
            for label, tree, db, cold in trees:
                repeat = args.repeat if label == "after" else args.before_repeat or args.repeat
                if turn < repeat:
                    runs[label].append(run(tree, commands(db, out)[name],
                                           db if cold else None))
        for label, *_ in trees:
            note = ""
            if name == "gloss export jsonl":
                rate = spans / statistics.median(t for t, _, _ in runs[label])
                note = f" {rate:,.0f} spans/s |"
            print(figures(f"{name} | {label}", runs[label], note or " |"), flush=True)
        if name == "gloss export jsonl":  # every article tokenized by the export
            bare = [run(ROOT, commands(folder, out)[name], folder, token_cache.FOLDER)
                    for _ in range(args.before_repeat or args.repeat)]
            rate = spans / statistics.median(t for t, _, _ in bare)
            print(figures(f"{name} | after, no tokens kept", bare, f" {rate:,.0f} spans/s |"),
                  flush=True)
    if args.app:
        warm = [t for t in trees if not t[3]]
        firsts: dict[str, list[Run]] = {label: [] for label, *_ in warm}
        stats: dict[str, list[Run]] = {label: [] for label, *_ in warm}
        keys: dict[str, list[float]] = {label: [] for label, *_ in warm}
        for _ in range(args.repeat):
            for label, tree, db, _ in warm:
                done = subprocess.run(
                    [sys.executable, "-c", APP, str(db), str(tree),
                     *(["stats"] if "screen" not in skip else [])], cwd="/tmp",
                    env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin", "HOME": "/tmp"},
                    capture_output=True, check=False)
                values = done.stderr.split()[-9:]
                try:
                    firsts[label].append((float(values[0]), int(values[-1]), -1.0))
                    stats[label].append((float(values[1]), int(values[-1]), -1.0))
                    keys[label] += [float(v) for v in values[2:-1]]
                except (ValueError, IndexError):
                    raise SystemExit(done.stderr.decode(errors="replace")[-800:]) from None
        for label, *_ in warm:
            print(figures(f"library first frame (app) | {label}", firsts[label], " |"))
            if "screen" not in skip:
                print(figures(f"stats screen, ctrl+g to the figures, first session (app) |"
                              f" {label}", stats[label], " |"))
            typed = sorted(keys[label])
            print(f"| filter key to frame | {label} | {typed[0] * 1000:.0f} / "
                  f"{statistics.median(typed) * 1000:.0f} / {typed[-1] * 1000:.0f} ms"
                  " | | | |")
        if "review" not in skip:
            review_library(warm, args.repeat)
    if "board" not in skip:
        boards: dict[str, list[list[float]]] = {t[0]: [] for t in trees if not t[3]}
        for _ in range(args.repeat):
            for label, tree, db, cold in trees:
                if cold:
                    continue
                done = subprocess.run(
                    [sys.executable, "-c", BOARD, str(db), str(tree)], cwd="/tmp",
                    env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin", "HOME": "/tmp"},
                    capture_output=True, check=False)
                line = next((x for x in done.stderr.decode(errors="replace").splitlines()
                             if x.startswith("BOARD ")), "")
                if not line:
                    raise SystemExit(done.stderr.decode(errors="replace")[-800:])
                boards[label].append([float(v) for v in line.split()[1:]])
        for label, found in boards.items():
            peak = max(int(run[-1]) for run in found)
            cpu = sorted(run[0] for run in found)
            print(f"| claims board: processor time of the whole run | {label} | | {cpu[0]:.1f}"
                  f" / {statistics.median(cpu):.1f} / {cpu[-1]:.1f} s | {peak} MB | |")
            for n, name in enumerate(BOARD_FIGURES):
                values = sorted(v for run in found for v in (
                    run[1:-1][n:] if n == len(BOARD_FIGURES) - 1 else run[1:-1][n:n + 1]))
                if not values:
                    continue
                print(f"| claims board, {name} | {label} | {values[0] * 1000:.0f} /"
                      f" {statistics.median(values) * 1000:.0f} / {values[-1] * 1000:.0f} ms"
                      " | | | |", flush=True)
    if "big" in skip:
        return
    print("\none article of 20 MB, 2,000 spans\n")
    print("| what | code | time | processor time | peak memory | note |\n"
          "|---|---|---|---|---|---|")
    for label, tree, _, cold in trees:
        if cold:
            continue
        exports = [run(tree, ["-m", "tui", "export", "--db", str(big), "-o", str(out)])
                   for _ in range(args.repeat)]
        print(figures(f"gloss export jsonl | {label}", exports, " |"))
        done = subprocess.run([sys.executable, "-c", SAVE, str(big)], cwd="/tmp",
                              env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin"},
                              capture_output=True, check=False)
        line = next((x for x in done.stderr.decode().splitlines() if x.startswith("SAVES")),
                    "")
        saves = sorted(float(v) * 1000 for v in line.split()[1:])
        if saves:
            print(f"| one save | {label} | {saves[0]:.0f} / {statistics.median(saves):.0f} /"
                  f" {saves[-1]:.0f} ms | | | the first reads the file |")


if __name__ == "__main__":
    main()
