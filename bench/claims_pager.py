"""``gloss claims`` on a terminal through its pager (``less``, LESS=FRX as gloss sets it):
what the analyst waits for.

    python bench/claims_pager.py --db DATASET [--repeat N] [--size 120x40] [--pager less]

Runs the command in a pseudo-terminal of a fixed size (its own session and controlling
terminal, as a shell's), and per run takes: the first screen (the pager's prompt shown
under a full screen of the table), then ``G`` pressed and the time to the table's end on
the screen (its bottom edge: the pager has read every row), then ``q`` and the time the
command takes to end. A second kind of run presses ``q`` at the first screen: the time the
command takes to end with the rest of the table never drawn. Prints min / median / max;
asserts nothing.
"""

from __future__ import annotations

import argparse
import fcntl
import os
import select
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.claims_table import figures  # min / median / max, as that bench prints them

BOTTOM = "┘".encode()
WAIT_S = 120.0


def once(db: Path, size: tuple[int, int], pager: str, to_end: bool) -> dict[str, float]:
    """One run: the first screen, (``to_end``) the end after ``G``, the command's end after
    ``q``; each in seconds from the command's start, the last from the key."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", size[1], size[0], 0, 0))
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin", "HOME": "/tmp",
           "GLOSS_ANNOTATOR": "alice", "TERM": "xterm-256color", "LANG": "C.UTF-8",
           "GLOSS_PAGER": pager}

    def own_terminal() -> None:
        os.setsid()
        fcntl.ioctl(0, termios.TIOCSCTTY, 0)

    start = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-c", "from tui.start import main; main()", "claims", "--db",
         str(db)], stdin=slave, stdout=slave, stderr=slave, cwd="/tmp", env=env,
        preexec_fn=own_terminal)
    os.close(slave)
    found: dict[str, float] = {}
    seen = b""
    lines = 0
    while True:
        ready, _, _ = select.select([master], [], [], WAIT_S)
        if not ready:
            child.kill()
            raise SystemExit(f"nothing for {WAIT_S:.0f} s; last bytes: {seen[-200:]!r}")
        try:
            chunk = os.read(master, 1 << 16)
        except OSError:  # EIO: the terminal's last holder ended
            break
        if not chunk:
            break
        now = time.perf_counter() - start
        seen = (seen + chunk)[-4096:]
        lines += chunk.count(b"\n")
        if "first" not in found and lines >= size[1] - 1:
            found["first"] = now
            if to_end:
                os.write(master, b"G")
            else:
                found["key"] = now
                os.write(master, b"q")
        elif to_end and "first" in found and "end" not in found and BOTTOM in seen:
            found["end"] = found["key"] = now
            os.write(master, b"q")
    child.wait()
    found["quit"] = time.perf_counter() - start - found.get("key", 0.0)
    os.close(master)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--size", default="120x40", help="the terminal's COLUMNSxLINES")
    parser.add_argument("--pager", default="less")
    args = parser.parse_args()
    size = tuple(int(n) for n in args.size.split("x"))
    load = os.getloadavg()[0]
    ends, quits = [], []
    for _ in range(args.repeat):
        ends.append(once(args.db, (size[0], size[1]), args.pager, True))
        quits.append(once(args.db, (size[0], size[1]), args.pager, False))
        print(f"  {ends[-1]} {quits[-1]}", file=sys.stderr, flush=True)
    print(f"gloss claims through {args.pager}, a {args.size} terminal, load (1 min)"
          f" {load:.1f} at the start, {os.getloadavg()[0]:.1f} at the end")
    print(figures("first screen", [r["first"] for r in ends + quits]))
    print(figures("G at the first screen: the table's end shown", [r["end"] for r in ends]))
    print(figures("q then: the command ended after", [r["quit"] for r in ends]))
    print(figures("q at the first screen: the command ended after",
                  [r["quit"] for r in quits]))


if __name__ == "__main__":
    main()
