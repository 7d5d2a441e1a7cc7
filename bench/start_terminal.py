"""`gloss read` of a stored 1 MB article through a real terminal (tmux): from the command to
its first lines on screen, and to the reader's own frame (the status bar drawn), with the
CPU time of the whole process (it quits as soon as the frame shows).

    python bench/start_terminal.py [--runs 9] [--before 'CMD'] [--size 120x40]

``--before`` is another command that runs `gloss` (e.g. a checkout of main), timed in
turns with this one, so a loaded machine weighs on both alike. Prints min / median / max;
asserts nothing. The screen is polled every 20 ms (each poll a capture-pane: polled faster,
the polling takes the CPU the start needs), so a figure is late by up to 20 ms.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FIRST = ("CEASE-FIRE TALKS: A LONG DISPATCH", "In Amman, the Turkish negotiator")
FRAME = "at 0 of 1,000,"  # the status bar: drawn by the reader, never by the first paint
WORDS = ["negotiator", "envoy", "said", "that", "talks", "in", "Amman", "Geneva", "the"]


def article() -> str:
    """About 1 MB of news-like paragraphs, the same each time."""
    paragraphs, size, n = ["CEASE-FIRE TALKS: A LONG DISPATCH\n\n"], 0, 0
    first = ("In Amman, the Turkish negotiator insisted that a prisoner exchange was"
             " complicated by a dispute over the map of front lines.")
    while size < 1_000_000:
        words = [WORDS[(n * 7 + i * 3) % len(WORDS)] for i in range(60)]
        text = (first if n == 0 else " ".join(words).capitalize() + ".") + "\n\n"
        paragraphs.append(text)
        size += len(text)
        n += 1
    return "".join(paragraphs)


def tmux(socket: Path, *args: str) -> str:
    return subprocess.run(["tmux", "-S", str(socket), "-f", os.devnull, *args],
                          capture_output=True, text=True).stdout


def one_start(socket: Path, command: str, folder: Path, n: int) -> tuple[float, float, float]:
    """(seconds to the first lines, to the reader's frame, CPU seconds of the process)."""
    times = folder / f"cpu-{n}"
    window = f"w{n}"
    shell = (f"cd {folder} && GLOSS_ANNOTATOR=olena /usr/bin/time -f '%U %S' -o {times}"
             f" {command} read --db db one_mb.txt")
    start = time.perf_counter()
    tmux(socket, "new-window", "-d", "-t", "hold", "-n", window, shell)
    first = frame = None
    while frame is None:
        screen = tmux(socket, "capture-pane", "-p", "-t", f"hold:{window}")
        now = time.perf_counter() - start
        if first is None and all(mark in screen for mark in FIRST):
            first = now
        if FRAME in screen:
            frame = now
        if now > 60:
            raise SystemExit(f"no frame; the screen was:\n{screen}")
        time.sleep(0.02)
    tmux(socket, "send-keys", "-t", f"hold:{window}", "q")
    while window in tmux(socket, "list-windows", "-t", "hold", "-F", "#{window_name}"):
        time.sleep(0.02)
    while not times.exists() or not times.read_text().strip():
        time.sleep(0.01)
    user, system = map(float, times.read_text().split()[-2:])
    return first or frame, frame, user + system


def show(name: str, values: list[float]) -> None:
    ms = [v * 1000 for v in values]
    print(f"  {name:<34} {min(ms):7.0f} {statistics.median(ms):7.0f} {max(ms):7.0f} ms"
          f"  (n={len(ms)})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--before", help="another command running gloss, timed in turns")
    parser.add_argument("--size", default="120x40")
    given = parser.parse_args()
    if shutil.which("tmux") is None:
        raise SystemExit("tmux is not installed")
    width, height = given.size.split("x")
    here = str(Path(sys.executable).with_name("gloss"))
    commands = {"this": here} | ({"before": given.before} if given.before else {})
    folder = Path(tempfile.mkdtemp(prefix="gloss-start-"))
    socket = folder / "socket"
    try:
        (folder / "one_mb.txt").write_text(article(), encoding="utf-8")
        subprocess.run([here, "import", "--db", str(folder / "db"),
                        str(folder / "one_mb.txt")], check=True, capture_output=True,
                       env={**os.environ, "GLOSS_ANNOTATOR": "olena"})
        tmux(socket, "new-session", "-d", "-s", "hold", "-x", width, "-y", height,
             "-e", "TERM=tmux-256color", "sleep 3600")
        figures: dict[str, list[tuple[float, float, float]]] = {k: [] for k in commands}
        for n in range(given.runs):
            order = list(commands.items())
            for name, command in (order if n % 2 == 0 else order[::-1]):
                figures[name].append(one_start(socket, command, folder, len(figures[name])
                                               + 1000 * (name == "before")))
        print(f"gloss read, stored 1 MB article, {given.size} tmux"
              f" (load {os.getloadavg()[0]:.1f} at the end)       min  median     max")
        for name, rows in figures.items():
            print(f"{name} ({commands[name]}):")
            show("first lines on screen", [r[0] for r in rows])
            show("the reader's own frame", [r[1] for r in rows])
            show("CPU of the process (start to quit)", [r[2] for r in rows])
    finally:
        tmux(socket, "kill-server")
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
