#!/usr/bin/env python3
"""The wheel's smoke test: Gloss as an analyst gets it, installed from the wheel into an
environment of its own, run from an empty folder outside the checkout.

    python tests/release/smoke.py /path/to/venv/bin/gloss VERSION

Checks, in a temp folder: `gloss --version`; the samples are inside the installed package
(not read from a checkout); importing one and exporting it gives its text back; in tmux,
the empty library's first frame guides, enter imports the samples and opens the library,
enter opens the reader on the first article's first frame, q quits; `gloss serve` answers
on loopback. Standard library only (it runs beside any venv); tmux is polled, never slept
on. Exit status 0 when every check holds, else 1 with what was seen.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import unicodedata
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parents[2]
FIRST = "trump-putin-ceasefire-call.txt"


class Failed(Exception):
    pass


def run(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True,
                          timeout=120, env=ENV)


def expect(condition: bool, what: str) -> None:
    if not condition:
        raise Failed(what)


def poll(check: Callable[[], str | None], seconds: float, what: str) -> str:
    """Ask ``check`` until it returns something (never a fixed sleep: a short pause
    between asks only)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = check()
        if found is not None:
            return found
        time.sleep(0.05)
    raise Failed(f"{what} did not happen within {seconds:.0f} s")


# pytest's COLUMNS and LINES, or a caller's, would override the pane's size
ENV = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "GLOSS_DB")}
ENV |= {"GLOSS_ANNOTATOR": "smoke", "TERM": "xterm-256color"}


def version(gloss: Path, expected: str, home: Path) -> None:
    result = run(gloss, "--version", cwd=home)
    expect(result.stdout == f"gloss, version {expected}\n",
           f"gloss --version said {result.stdout!r} {result.stderr!r}")


def installed_samples(gloss: Path, home: Path) -> Path:
    """The installed package's samples, found by the interpreter the command runs on."""
    shebang = gloss.read_text(encoding="utf-8", errors="replace").splitlines()[0]
    python = shebang.removeprefix("#!").split()[0]  # pipx's is "#!.../python -E"
    code = ("import tui; from tui.core.store.samples import samples_folder;"
            " print(tui.__file__); print(samples_folder())")
    result = run(python, "-c", code, cwd=home)
    expect(result.returncode == 0, f"importing tui failed: {result.stderr}")
    package, folder = (Path(line) for line in result.stdout.splitlines())
    for path in (package, folder):
        expect(CHECKOUT not in path.resolve().parents, f"{path} is in the checkout, not the"
               " installed wheel")
    names = sorted(p.name for p in folder.iterdir())
    expect(len([n for n in names if n.endswith(".txt")]) == 7 and "SOURCES.md" in names,
           f"the samples folder holds {names}")
    return folder


def import_and_export(gloss: Path, samples: Path, home: Path) -> None:
    result = run(gloss, "import", samples / FIRST, "--db", "one", cwd=home)
    expect(result.returncode == 0 and "imported 1 new articles" in result.stderr,
           f"import: {result.stderr}")
    result = run(gloss, "export", "--db", "one", "--all", cwd=home)
    lines = result.stdout.splitlines()
    expect(result.returncode == 0 and len(lines) == 1, f"export: {result.stderr}")
    record = json.loads(lines[0])
    text = unicodedata.normalize("NFC", (samples / FIRST).read_text(encoding="utf-8"))
    expect(record["text"] == text, "the exported text is not the sample's")
    expect(record["meta"]["source"] == FIRST, f"meta: {record['meta']}")


class Tmux:
    def __init__(self, command: list[str], cwd: Path) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="gloss-smoke-tmux-"))
        self.base = ["tmux", "-S", str(self.folder / "socket"), "-f", os.devnull]
        subprocess.run([*self.base, "new-session", "-d", "-s", "smoke", "-x", "100", "-y",
                        "30", "-c", str(cwd), "-e", "GLOSS_ANNOTATOR=smoke", "-e",
                        "TERM=xterm-256color", *command], check=True, env=ENV)

    def screen(self) -> str:
        return subprocess.run([*self.base, "capture-pane", "-p", "-t", "smoke"],
                              capture_output=True, text=True, env=ENV).stdout

    def wait_for(self, text: str) -> str:
        try:
            return poll(lambda: (s if text in (s := self.screen()) else None), 60,
                        f"{text!r} on screen")
        except Failed as exc:
            raise Failed(f"{exc}; the screen was:\n{self.screen()}") from None

    def send(self, key: str) -> None:
        subprocess.run([*self.base, "send-keys", "-t", "smoke", key], check=True, env=ENV)

    def closed(self) -> None:
        poll(lambda: "" if subprocess.run([*self.base, "has-session", "-t", "smoke"],
                                          capture_output=True, env=ENV).returncode else None,
             30, "gloss quitting")

    def close(self) -> None:
        subprocess.run([*self.base, "kill-server"], capture_output=True, env=ENV)
        shutil.rmtree(self.folder, ignore_errors=True)


def first_run_in_tmux(gloss: Path, home: Path) -> None:
    empty = home / "first-run"
    empty.mkdir()
    terminal = Tmux([str(gloss)], empty)
    try:
        terminal.wait_for("No articles here yet")
        terminal.wait_for("press enter to import the 7 sample news articles")
        terminal.send("Enter")
        terminal.wait_for("7 articles")
        terminal.send("Enter")  # the first article, in the reader
        terminal.wait_for(f"{FIRST} · 3,839 characters")
        terminal.wait_for("President Trump and Russian President Vladimir Putin")
        terminal.send("q")
        terminal.closed()
    finally:
        terminal.close()
    result = run(gloss, "export", "--all", cwd=empty)
    expect(len(result.stdout.splitlines()) == 7, f"after the first run: {result.stderr}")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def serve(gloss: Path, home: Path) -> None:
    port = free_port()
    server = subprocess.Popen([str(gloss), "serve", "--port", str(port), "--db", "one"],
                              cwd=home, env=ENV, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)

    def page() -> str | None:
        if server.poll() is not None:
            raise Failed(f"gloss serve stopped: {server.stderr.read() if server.stderr else ''}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as answer:
                return answer.read().decode("utf-8", "replace")
        except (urllib.error.URLError, ConnectionError):
            return None

    try:
        body = poll(page, 60, f"gloss serve answering on 127.0.0.1:{port}")
        expect("Gloss" in body and "<html" in body.lower(), f"the page: {body[:300]!r}")
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    gloss, expected = Path(sys.argv[1]).absolute(), sys.argv[2]
    home = Path(tempfile.mkdtemp(prefix="gloss-smoke-"))
    failed = False
    try:
        samples = installed_samples(gloss, home)
        checks: list[tuple[str, Callable[[], None]]] = [
            ("gloss --version", lambda: version(gloss, expected, home)),
            ("import a shipped sample, export it", lambda: import_and_export(gloss, samples,
                                                                             home)),
            ("first run in tmux: guide, samples, reader", lambda: first_run_in_tmux(gloss,
                                                                                    home)),
            ("gloss serve answers on loopback", lambda: serve(gloss, home)),
        ]
        for name, check in checks:
            start = time.monotonic()
            try:
                check()
            except Failed as exc:
                failed = True
                print(f"  FAIL {name}: {exc}")
            else:
                print(f"  ok   {name} ({time.monotonic() - start:.1f} s)")
    except Failed as exc:
        failed = True
        print(f"  FAIL the installed package: {exc}")
    finally:
        shutil.rmtree(home, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
