"""The reader's first frame on one 20 MB article (bench/scale.py's, one paragraph), in a
fresh process per sample, as `gloss read --db DATASET FILE` of a stored article starts,
headless at 120x40: wall and processor time (user + system, the whole process), min /
median / max, and peak memory; with --before TREE, that tree's code in turns with this
one's (the machine is shared: turns, and the processor time, say more than the wall).

With --hold N the app is kept open after its first frame, as an analyst would: N seconds
as it is (the suggestions settling), then ctrl+end and N seconds (scrolled to the end),
then a label key on a word there and N seconds (its save): the peak memory (resident, read
from /proc every 50 ms) and the processor time of each stretch, and of the whole process
to its exit (which waits for a search under way), min / median / max.

    python bench/big_frame.py --root /work/benchdata/scale/big-20mb [--repeat 5]
                              [--before /path/to/other/checkout] [--hold 10]
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

from bench.first_frame import command, headless, shown
from tui.core.store.dataset import Dataset

HOLD = """
import os, sys, threading, time
import tui.app
from tui.cli import main
HOLD = float(sys.argv[3])
phases = []  # [name, peak kB, processor s at its start]
def resident():
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS"))
def watch():
    while True:
        phases[-1][1] = max(phases[-1][1], resident())
        time.sleep(0.05)
def begin(name):
    used = os.times()
    phases.append([name, resident(), used.user + used.system])
class HeldApp(tui.app.GlossApp):
    shown = False
    def post_display_hook(self):
        from tui.screens.reader import ReaderScreen
        if not self.shown and isinstance(self.screen, ReaderScreen) and self.screen.panes.panes:
            self.shown = True
            print("frame", time.time(), flush=True)
            begin("open")
            threading.Thread(target=watch, daemon=True).start()
            self.set_timer(HOLD, self.to_end)
    def to_end(self):
        begin("end")
        self.simulate_key("ctrl+end")
        self.set_timer(HOLD, self.label)
    def label(self):
        begin("label")
        self.simulate_key("ctrl+left")
        self.simulate_key("1")
        self.set_timer(HOLD, self.done)
    def done(self):
        begin("")
        for (name, peak, at), (_, _, until) in zip(phases, phases[1:]):
            print("phase", name, peak // 1024, until - at, flush=True)
        self.exit()
    def run(self, **kwargs):
        return super().run(headless=True, size=(120, 40))
tui.app.GlossApp = HeldApp
main(["read", "--db", sys.argv[1], sys.argv[2]], standalone_mode=False)
"""
PHASES = {"open": "after the first frame", "end": "ctrl+end, at the end",
          "label": "a label there, saved", "whole": "the whole run, to its exit"}
USED = re.compile(r"(?:User|System) time \(seconds\): ([\d.]+)")
PEAK = re.compile(r"Maximum resident set size \(kbytes\): (\d+)")


def sample(tree: Path, db: Path, path: Path) -> tuple[float, float, int]:
    """(wall s to the first frame, processor s of the process, peak MB)."""
    env = headless({**os.environ, "PYTHONPATH": str(tree), "GLOSS_ANNOTATOR": "alice"})
    started = time.time()
    done = subprocess.run(["/usr/bin/time", "-v", *command("gloss", db, path)],
                          capture_output=True, text=True, cwd=tree, env=env, check=True)
    used = sum(float(t) for t in USED.findall(done.stderr))
    peak = PEAK.search(done.stderr)
    return shown(done.stdout, started), used, int(peak.group(1)) // 1024 if peak else -1


def held(tree: Path, db: Path, path: Path, hold: float) -> dict[str, tuple[int, float]]:
    """{phase: (peak MB, processor s)} of the app held open (see the module)."""
    env = headless({**os.environ, "PYTHONPATH": str(tree), "GLOSS_ANNOTATOR": "alice",
                    "PYTHONDONTWRITEBYTECODE": "1"})
    done = subprocess.run(["/usr/bin/time", "-v", sys.executable, "-c", HOLD, str(db),
                           str(path), str(hold)],
                          capture_output=True, text=True, cwd=tree, env=env, check=True)
    peak = PEAK.search(done.stderr)  # the whole run: until the search under way ends too
    out = {"whole": (int(peak.group(1)) // 1024 if peak else -1,
                     sum(float(t) for t in USED.findall(done.stderr)))}
    for line in done.stdout.splitlines():
        if line.startswith("phase "):
            _, name, peak, used = line.split()
            out[name] = (int(peak), float(used))
    return out


def three(values: list[float], unit: str, digits: int = 1) -> str:
    values = sorted(values)
    return (f"{values[0]:.{digits}f} / {statistics.median(values):.{digits}f} / "
            f"{values[-1]:.{digits}f} {unit}")


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
    parser.add_argument("--hold", type=float, default=0.0,
                        help="seconds held open at each step after the first frame")
    args = parser.parse_args()
    dataset = Dataset.existing(args.root, "alice")
    (doc_id,) = dataset.ids()
    trees = [("this", ROOT)] + ([("before", args.before)] if args.before else [])
    with tempfile.TemporaryDirectory(prefix="gloss-big-frame-") as temp:
        path = Path(temp) / "big.txt"  # the stored text, so the read opens it as stored
        path.write_text(dataset.open_article(doc_id).document.text, encoding="utf-8")
        if args.hold:
            hold(trees, args, path)
            return
        runs: dict[str, list[tuple[float, float, int]]] = {label: [] for label, _ in trees}
        for _ in range(args.repeat):
            for label, tree in trees:
                runs[label].append(sample(tree, args.root, path))
    print(f"load {os.getloadavg()[0]:.1f}\n| reader, first frame, 20 MB | wall (min / median"
          " / max) | processor | peak |\n|---|---|---|---|")
    for label, _ in trees:
        print(row(label, runs[label]))


def hold(trees: list[tuple[str, Path]], args: argparse.Namespace, path: Path) -> None:
    """The app held open (--hold), each tree in turn, min / median / max of the runs.
    The label is saved into the dataset: a copy of the bench's, made again by
    /work/benchcopy.sh (or any) between runs if its byte-for-byte state matters."""
    runs: dict[str, list[dict[str, tuple[int, float]]]] = {label: [] for label, _ in trees}
    for _ in range(args.repeat):
        for label, tree in trees:
            runs[label].append(held(tree, args.root, path, args.hold))
    print(f"load {os.getloadavg()[0]:.1f}, held {args.hold:g} s at each step\n"
          "| tree | step | peak resident | processor |\n|---|---|---|---|")
    for label, _ in trees:
        for phase, said in PHASES.items():
            got = [r[phase] for r in runs[label] if phase in r]
            if got:
                print(f"| {label} | {said} | {three([p for p, _ in got], 'MB', 0)} | "
                      f"{three([u for _, u in got], 's')} |")


if __name__ == "__main__":
    main()
