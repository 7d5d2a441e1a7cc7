"""The reader's first frame in a fresh process, for the benches that time a start
(bench/reader.py, bench/big_frame.py, bench/save.py): a child that starts Gloss as
`gloss read --db DB FILE` does (the article is in the dataset already), headless at
120x40, and prints the wall time of the first frame that shows the reader; or, with the
mode "bare", a bare Textual app started the same way (so that the difference is Gloss's
own).

    subprocess.run(command("gloss", db, path), env=headless(), capture_output=True, ...)
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

CHILD = """
import sys, time
mode, db, path = sys.argv[1], sys.argv[2], sys.argv[3]
if mode == "bare":
    from textual.app import App
    from textual.widgets import Static
    class Bare(App):
        def compose(self):
            yield Static("hello")
        def post_display_hook(self):
            print(time.time(), flush=True)
            self.exit()
    Bare().run(headless=True)
else:
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
    main(["read", "--db", db, path], standalone_mode=False)
"""
# the child has no terminal (its output is read here): Textual's headless driver, named as
# textual-serve names its own, lets `gloss read` start without one
DRIVER = "textual.drivers.headless_driver:HeadlessDriver"


def command(mode: str, db: Path, path: Path) -> list[str]:
    """The child's command line: ``mode`` "gloss" (the reader on ``path``, stored in
    ``db``) or "bare"."""
    return [sys.executable, "-c", CHILD, mode, str(db), str(path)]


def headless(env: dict[str, str] | None = None) -> dict[str, str]:
    """``env`` (this process's when None) with Textual's headless driver."""
    return {**(os.environ if env is None else env), "TEXTUAL_DRIVER": DRIVER}


def shown(stdout: str, started: float) -> float:
    """Seconds from ``started`` (``time.time()`` before the child ran) to its first
    frame, which it printed last."""
    return float(stdout.split()[-1]) - started
