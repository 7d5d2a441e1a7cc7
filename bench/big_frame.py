"""The reader's first frame on one 20 MB article (bench/scale.py's, one paragraph), in a
fresh process per sample, as `gloss read --db DATASET FILE` of a stored article starts,
headless at 120x40: wall and processor time (user + system, the whole process), min /
median / max, and peak memory; with --before TREE, that tree's code in turns with this
one's (the machine is shared: turns, and the processor time, say more than the wall).

    python bench/big_frame.py --root /work/benchdata/scale/big-20mb [--repeat 5]
                              [--before /path/to/other/checkout]
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tui.core.store.dataset import Dataset

CHILD = """
import sys, time
import tui.app
from tui.cli import main
class TimedApp(tui.app.GlossApp):
    def post_display_hook(self):
        from tui.screens.reader import ReaderScreen
        if isinstance(self.screen, ReaderScreen) and self.screen.panes.panes:
            print(time.time(), flush=True)
            self.exit()
    def run(self, **kwargs):
        return super().run(headless=True, size=(120, 40))
tui.app.GlossApp = TimedApp
main(["read", "--db", sys.argv[1], sys.argv[2]], standalone_mode=False)
"""
USED = re.compile(r"(?:User|System) time \(seconds\): ([\d.]+)")
PEAK = re.compile(r"Maximum resident set size \(kbytes\): (\d+)")


def sample(tree: Path, db: Path, path: Path) -> tuple[float, float, int]:
    """(wall s to the first frame, processor s of the process, peak MB)."""
    env = {**os.environ, "PYTHONPATH": str(tree), "GLOSS_ANNOTATOR": "alice",
           "TEXTUAL_DRIVER": "textual.drivers.headless_driver:HeadlessDriver"}
    started = time.time()
    done = subprocess.run(["/usr/bin/time", "-v", sys.executable, "-c", CHILD, str(db),
                           str(path)], capture_output=True, text=True, cwd=tree, env=env,
                          check=True)
    shown = float(done.stdout.split()[-1])
    used = sum(float(t) for t in USED.findall(done.stderr))
    peak = PEAK.search(done.stderr)
    return shown - started, used, int(peak.group(1)) // 1024 if peak else -1


def row(label: str, runs: list[tuple[float, float, int]]) -> str:
    def three(values: list[float]) -> str:
        values = sorted(values)
        return f"{values[0]:.2f} / {statistics.median(values):.2f} / {values[-1]:.2f} s"
    return (f"| {label} | {three([w for w, _, _ in runs])} | {three([c for _, c, _ in runs])}"
            f" | {max(p for _, _, p in runs)} MB |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--root", type=Path, required=True, help="the big-20mb dataset")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--before", type=Path, default=None, help="another checkout")
    args = parser.parse_args()
    dataset = Dataset.existing(args.root, "alice")
    (doc_id,) = dataset.ids()
    trees = [("this", ROOT)] + ([("before", args.before)] if args.before else [])
    with tempfile.TemporaryDirectory(prefix="gloss-big-frame-") as temp:
        path = Path(temp) / "big.txt"  # the stored text, so the read opens it as stored
        path.write_text(dataset.open_article(doc_id).document.text, encoding="utf-8")
        runs: dict[str, list[tuple[float, float, int]]] = {label: [] for label, _ in trees}
        for _ in range(args.repeat):
            for label, tree in trees:
                runs[label].append(sample(tree, args.root, path))
    print(f"load {os.getloadavg()[0]:.1f}\n| reader, first frame, 20 MB | wall (min / median"
          " / max) | processor | peak |\n|---|---|---|---|")
    for label, _ in trees:
        print(row(label, runs[label]))


if __name__ == "__main__":
    main()
