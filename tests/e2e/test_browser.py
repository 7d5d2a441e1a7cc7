"""`gloss serve` in a real browser: headless Chromium (Debian's package) through Playwright.

Two tabs are two app processes on one dataset: each labels a word of the seed article and
every label reaches the file, the first tab's second label too, after the second tab's
save (its process must not write back what it read before); then the first tab's stats
(ctrl+g) count all three. Skipped where there is no
browser or no Playwright (`.ci/run` installs both). What a tab shows is read from the
terminal stream its websocket carries, without the escape sequences.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.app.seed_reference import SEED
from tui.core.store.dataset import Dataset

pytestmark = pytest.mark.e2e

CHROMIUM = Path("/usr/bin/chromium")
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
if not CHROMIUM.exists():
    pytest.skip(f"no browser at {CHROMIUM} (apt-get install chromium)", allow_module_level=True)
QUIET_CHROMIUM = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                  "--no-first-run", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync"]
ESCAPES = re.compile(r"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b[^\[]")
HANG_S = 60  # only a hang gets there: the whole test takes a few seconds


def until(what: str, ready: Callable[[], object], pause: Callable[[], None]) -> None:
    deadline = time.monotonic() + HANG_S
    while not ready():
        if time.monotonic() > deadline:
            raise AssertionError(f"never saw {what}")
        pause()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """`gloss serve` on a free loopback port, on a dataset holding the seed article."""
    db = tmp_path / "db"
    env = {**os.environ, "GLOSS_ANNOTATOR": "olena"}
    subprocess.run([sys.executable, "-m", "tui", "import", str(SEED), "--db", str(db)],
                   env=env, check=True, capture_output=True)
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "tui", "serve", "--port", str(port),
                               "--db", str(db)], env=env, cwd=tmp_path,
                              stderr=subprocess.PIPE, text=True)
    try:
        def listening() -> bool:
            assert server.poll() is None, server.communicate()[1]
            with socket.socket() as probe:
                return probe.connect_ex(("127.0.0.1", port)) == 0

        until("the server listening", listening, lambda: time.sleep(0.05))
        yield f"http://127.0.0.1:{port}/", db
    finally:
        server.terminate()
        try:
            server.wait(timeout=HANG_S)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


class Tab:
    """One browser tab on the app: what it shows, and keys for it."""

    def __init__(self, browser, url: str) -> None:
        self.page = browser.new_page(viewport={"width": 1200, "height": 800})
        self.stream: list[str] = []
        self.page.on("websocket", lambda ws: ws.on("framereceived", self._received))
        self.page.goto(url, wait_until="domcontentloaded")

    def _received(self, payload: str | bytes) -> None:
        self.stream.append(payload.decode("utf-8", "replace") if isinstance(payload, bytes)
                           else payload)

    def shown(self) -> str:
        return ESCAPES.sub("", "".join(self.stream))

    def pause(self) -> None:
        self.page.wait_for_timeout(50)

    def wait_for(self, text: str, after: int = 0) -> None:
        """Until ``text`` is drawn (after the first ``after`` characters shown)."""
        until(f"{text!r} in the tab", lambda: text in self.shown()[after:], self.pause)

    def keys(self, *keys: str, typed: str = "") -> int:
        """Press ``keys`` (Playwright's names) after typing ``typed``, all at once as a
        paste or SSH brings them; return how much was shown before, for :meth:`wait_for`."""
        before = len(self.shown())
        self.page.focus(".xterm-helper-textarea")  # xterm.js's keyboard input
        self.page.keyboard.type(typed)
        for key in keys:
            self.page.keyboard.press(key)
        return before


def on_disk(db: Path) -> set[tuple[str, str, str]]:
    """Every span in the dataset's files, read as another process would."""
    dataset = Dataset.existing(db, "reader")
    return {(s.text, s.label, s.annotator) for doc_id in dataset.ids()
            for s in dataset.spans(doc_id)}


def test_two_tabs_label_the_seed_article_and_every_label_lands(served, tmp_path):
    url, db = served
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM),
                                             args=QUIET_CHROMIUM)
        first = Tab(browser, url)
        first.wait_for("President Trump and Russian President")  # the library's row
        first.wait_for("3,839 characters", after=first.keys("Enter"))
        first.keys("1")  # the word under the cursor: "President"
        until("the first tab's label on disk",
              lambda: ("President", "ACTOR", "olena") in on_disk(db), first.pause)

        second = Tab(browser, url)
        second.wait_for("President Trump and Russian President")
        second.wait_for("3,839 characters", after=second.keys("Enter"))
        second.keys("Enter", "3", typed="/Kursk")  # search, the match selected, LOCATION
        until("the second tab's label on disk",
              lambda: ("Kursk", "LOCATION", "olena") in on_disk(db), second.pause)

        first.keys("Enter", "1", typed="/Zelensky")
        until("the first tab's second label on disk",
              lambda: ("Zelensky", "ACTOR", "olena") in on_disk(db), first.pause)
        assert on_disk(db) == {("President", "ACTOR", "olena"),
                               ("Kursk", "LOCATION", "olena"),
                               ("Zelensky", "ACTOR", "olena")}
        first.wait_for("saved ACTOR")
        shot = tmp_path / "browser.png"
        first.page.screenshot(path=str(shot))
        assert shot.read_bytes().startswith(b"\x89PNG")
        if os.environ.get("GLOSS_BROWSER_SHOT"):  # how docs/browser.png is made
            shutil.copy(shot, os.environ["GLOSS_BROWSER_SHOT"])
        # the stats, counted in the tab's own process: all three labels, both tabs'
        first.wait_for("ACTOR: 2 (66.7 %)", after=first.keys("Control+g"))
        first.wait_for("LOCATION: 1 (33.3 %)")
        browser.close()
