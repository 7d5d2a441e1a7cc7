"""``gloss claims --format table`` to a terminal (issue 19): its first rows and its whole run.

    python bench/claims_table.py --db DATASET [--before TREE] [--repeat N] [--size 120x40]
                                 [--rows N] [--before-rows N]

Runs the command in a pseudo-terminal of a fixed size (so Rich sees a terminal: its width,
TERM=xterm-256color's colours), reading and discarding its output as fast as it comes.
Each run gives: the first byte on the terminal (the title, header and first rows come in
one write), the time and processor time (user + system, the command's own) at ``--rows``
lines, and the whole run (and its peak memory). The processor time of the whole run is
the command's and its helpers' (a second process making rows, a third stating the files:
``wait4`` counts the children a process has reaped); the one at ``--rows`` lines is the
command's own. With ``--before TREE`` (a checkout of the
code to compare) that tree's command is run in turns with this one's; it is stopped after
``--before-rows`` lines when given (Rich drawing every row takes minutes at a million),
its whole run then extrapolated from its rate after the first byte to the number of
claims the title gives (a row a line: the bench datasets' cells fit their columns; the
lines between groups not counted), said so in its row. Prints min / median / max;
asserts nothing.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import re
import statistics
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TITLE = re.compile(rb"(\d+) claims")


def once(tree: Path, db: Path, size: tuple[int, int], rows: int, stop: int | None
         ) -> dict[str, float]:
    """One run of the command in a terminal of ``size`` (columns, lines): the seconds to its
    first byte, to ``rows`` lines (and the processor seconds then, from /proc), to its end
    or its ``stop``-th line (then killed), the processor seconds of the whole, the lines."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", size[1], size[0], 0, 0))
    env = {"PYTHONPATH": str(tree), "PATH": "/usr/bin:/bin", "HOME": "/tmp",
           "GLOSS_ANNOTATOR": "alice", "TERM": "xterm-256color", "LANG": "C.UTF-8",
           "GLOSS_PAGER": ""}  # straight to the terminal (an older gloss has no pager)
    start = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-c", "import sys; from tui.start import main; main()", "claims",
         "--format", "table", "--db", str(db)], stdin=slave, stdout=slave, stderr=slave,
        cwd="/tmp", env=env, start_new_session=True)
    os.close(slave)
    found: dict[str, float] = {}
    lines = 0
    head = b""
    while True:
        try:
            chunk = os.read(master, 1 << 16)
        except OSError:  # EIO: the command's end closed the terminal
            break
        if not chunk:
            break
        now = time.perf_counter() - start
        found.setdefault("first", now)
        if len(head) < 400:
            head += chunk[:400]
        lines += chunk.count(b"\n")
        if lines >= rows and "rows" not in found:
            found["rows"], found["rows cpu"] = now, cpu_of(child.pid)
        if stop is not None and lines >= stop:
            found["stopped"] = 1.0
            child.kill()
            break
    _pid, _status, usage = os.wait4(child.pid, 0)
    found["end"] = time.perf_counter() - start
    os.close(master)
    found["cpu"] = usage.ru_utime + usage.ru_stime
    found["peak"] = usage.ru_maxrss / 1024  # MB
    found["lines"] = float(lines)
    title = TITLE.search(head)
    found["claims"] = float(title.group(1)) if title else 0.0
    return found


def cpu_of(pid: int) -> float:
    """A running process's processor seconds (user + system), from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def figures(name: str, values: list[float], unit: str = "s") -> str:
    values = sorted(values)
    return (f"| {name} | {values[0]:.2f} / {statistics.median(values):.2f} / "
            f"{values[-1]:.2f} {unit} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--before", type=Path, help="a checkout of the code to compare")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--size", default="120x40", help="the terminal's COLUMNSxLINES")
    parser.add_argument("--rows", type=int, default=50_000,
                        help="lines at which the time is taken too")
    parser.add_argument("--before-rows", type=int,
                        help="stop the --before command after so many lines, extrapolate")
    args = parser.parse_args()
    columns, lines = (int(n) for n in args.size.split("x"))
    trees = [("after", ROOT, None)]
    if args.before:
        trees.insert(0, ("before", args.before.resolve(), args.before_rows))
    runs: dict[str, list[dict[str, float]]] = {label: [] for label, _, _ in trees}
    load = os.getloadavg()[0]
    for _ in range(args.repeat):  # in turns: the load the same for each
        for label, tree, stop in trees:
            runs[label].append(once(tree, args.db, (columns, lines), args.rows, stop))
            print(f"  {label}: {runs[label][-1]}", file=sys.stderr, flush=True)
    print(f"gloss claims --format table, a {args.size} terminal, load (1 min) {load:.1f}"
          f" at the start, {os.getloadavg()[0]:.1f} at the end")
    for label, _tree, _stop in trees:
        done = runs[label]
        print(figures(f"{label}: first byte (title, header, first rows)",
                      [r["first"] for r in done]))
        if all("rows" in r for r in done):
            print(figures(f"{label}: {args.rows:,} lines", [r["rows"] for r in done]),
                  figures("processor then", [r["rows cpu"] for r in done]))
        if any("stopped" in r for r in done):
            whole = [r["first"] + (r["end"] - r["first"]) * r["claims"] / r["lines"]
                     for r in done]
            cpu = [r["cpu"] * r["claims"] / r["lines"] for r in done]
            print(figures(f"{label}: whole run EXTRAPOLATED from {int(done[0]['lines']):,}"
                          f" lines to {int(done[0]['claims']):,} claims", whole),
                  figures("processor, extrapolated", cpu))
        else:
            print(figures(f"{label}: whole run ({int(done[0]['lines']):,} lines)",
                          [r["end"] for r in done]),
                  figures("processor", [r["cpu"] for r in done]),
                  f" peak {max(r['peak'] for r in done):.0f} MB |")


if __name__ == "__main__":
    main()
