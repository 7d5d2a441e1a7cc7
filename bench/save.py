"""One save of a 20 MB article, and the reader's first frame on it, before and after.

    python bench/save.py --db FOLDER [--saves N] [--pause S] [--starts N] [--before TREE]

FOLDER holds one large article (``bench/scale.py`` builds one in ``<root>/big-20mb``);
the saves write into it (each a new span). ``--before TREE``: a checkout of other code,
run in turns with this one. Each run is a fresh process that opens the article as the
reader does, saves once (shown apart: it serialises the text, and reads the file where
the code does not keep what the reader read), then ``--saves`` times back to back (each
beside the work the one before left for after it) and ``--saves`` times ``--pause``
seconds apart (an analyst's pace: that work is done by then). A save's time is from the
call to its return; its processor time is its own thread's (``time.thread_time``); the
work left for after it (other threads) is shown apart, a mean per save of each kind.
Then the reader's first frame (``gloss read --db FOLDER TEXT``, headless, as
``bench/reader.py`` times it). Prints min / median / max and the load; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.first_frame import command, headless, shown

SAVES = """
import json, sys, time
from tui.core.document.model import Span
from tui.core.store.dataset import Dataset
folder, count, pause = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
d = Dataset(folder, 'alice')
doc = d.ids()[0]
# opened as the reader opens it (the before code's reader: Dataset.article)
text = getattr(d, 'open_article', d.article)(doc).document.text
base = int(time.time() * 1000) % 5_000_000 * 2  # a new span at each save of each run
out = {'first': [], 'back to back': [], 'paced': []}
after = []  # per save, the processor time of the other threads (the work left for after)
n = 0
for kind, times, gap in (('first', 1, 0.0), ('back to back', count, 0.0),
                         ('paced', count, pause)):
    process, thread = time.process_time(), time.thread_time()
    for _ in range(times):
        time.sleep(gap)
        start = base + 13 * n
        n += 1
        span = Span.new(text, start, start + 3, 'LOCATION', 'alice')
        mine = time.thread_time()
        began = time.perf_counter()
        d.save_span(doc, span)
        out[kind].append((time.perf_counter() - began, time.thread_time() - mine))
    getattr(d, 'settle', lambda: None)()  # the before code has none
    others = time.process_time() - process - (time.thread_time() - thread)
    after.append(others / times)
out['after'] = after
print('SAVES', json.dumps(out), file=sys.stderr)
"""


def saves(tree: Path, db: Path, count: int, pause: float) -> dict[str, list]:
    done = subprocess.run([sys.executable, "-c", SAVES, str(db), str(count), str(pause)],
                          cwd="/tmp", env={"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin",
                                           "HOME": "/tmp"},
                          capture_output=True, text=True, check=False)
    line = next((x for x in done.stderr.splitlines() if x.startswith("SAVES ")), None)
    if done.returncode != 0 or line is None:
        raise SystemExit(f"{tree}: the saves failed:\n{done.stderr[-800:]}")
    return json.loads(line[len("SAVES "):])


def first_frame(tree: Path, db: Path, text: Path) -> float:
    env = headless({"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin", "HOME": "/tmp",
                    "GLOSS_ANNOTATOR": "alice"})
    started = time.time()
    done = subprocess.run(command("gloss", db, text), capture_output=True, text=True,
                          cwd="/tmp", env=env, check=False)
    if done.returncode != 0 or not done.stdout.split():
        raise SystemExit(f"{tree}: the reader failed:\n{done.stderr[-800:]}")
    return shown(done.stdout, started)


def ms(values: list[float]) -> str:
    values = sorted(v * 1000 for v in values)
    return f"{values[0]:.1f} / {statistics.median(values):.1f} / {values[-1]:.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--saves", type=int, default=10, help="saves of each kind a run")
    parser.add_argument("--pause", type=float, default=0.3, help="seconds between paced saves")
    parser.add_argument("--runs", type=int, default=3, help="processes of each code")
    parser.add_argument("--starts", type=int, default=5, help="reader starts of each code")
    parser.add_argument("--before", type=Path, default=None)
    args = parser.parse_args()
    trees = ([("before", args.before)] if args.before else []) + [("after", ROOT)]
    found: dict[str, dict[str, list]] = {label: {} for label, _ in trees}
    print(f"load before: {os.getloadavg()[0]:.2f}")
    for _ in range(args.runs):
        for label, tree in trees:
            for kind, values in saves(tree, args.db, args.saves, args.pause).items():
                found[label].setdefault(kind, []).extend(values)
    size = sum(p.stat().st_size for p in args.db.glob("*.json")) / 1e6
    print(f"\none save of a {size:.0f} MB article: min / median / max ({args.runs} processes;"
          " wall, then the saving thread's processor time)\n")
    print("| save | code | time | processor time |\n|---|---|---|---|")
    for kind in ("first", "back to back", "paced"):
        for label, _ in trees:
            values = found[label][kind]
            print(f"| {kind} | {label} | {ms([v[0] for v in values])} |"
                  f" {ms([v[1] for v in values])} |")
    for label, _ in trees:
        print(f"| left for after it (other threads' processor time) | {label} |"
              f" | {ms(found[label]['after'])} |")
    if args.starts:
        with tempfile.TemporaryDirectory(prefix="gloss-bench-save-") as temp:
            from tui.core.store.dataset import Dataset

            dataset = Dataset.existing(args.db, "alice")
            text = Path(temp) / "big.txt"
            text.write_text(dataset.document(dataset.ids()[0]).text, encoding="utf-8")
            frames: dict[str, list[float]] = {label: [] for label, _ in trees}
            for _ in range(args.starts):
                for label, tree in trees:
                    frames[label].append(first_frame(tree, args.db, text))
        print("\n| reader, first frame (headless) | code | time |\n|---|---|---|")
        for label, _ in trees:
            print(f"| gloss read, {size:.0f} MB article | {label} | {ms(frames[label])} |")
    print(f"\nload after: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
