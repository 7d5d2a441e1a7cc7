"""`gloss serve`'s app processes, one a browser tab: they end when the server ends, however
it ends (ctrl+c, SIGTERM, kill -9), and a server starts at most --max-sessions of them; one
more tab gets a page saying so. Real websockets (aiohttp's client) against a real server;
the apps are found by their parent pid in /proc."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
import time
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import aiohttp
import pytest

from tests.core.test_serve import ask, start
from tui.core.document.model import Document
from tui.core.store.dataset import Dataset

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
HANG_S = 60  # only a hang gets there: each step takes a second or two


def children(pid: int) -> set[int]:
    """The live processes whose parent is ``pid``."""
    found = set()
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            with contextlib.suppress(OSError):
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
                if int(fields[1]) == pid and fields[0] != "Z":
                    found.add(int(entry))
    return found


def descendants(pid: int) -> set[int]:
    """Every live process under ``pid``: what a failed test must not leave running."""
    found: set[int] = set()
    level = {pid}
    while level:
        level = set().union(*(children(p) for p in level)) - found
        found |= level
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has ended; its new parent has not reaped it yet


async def until(what: str, ready: Callable[[], bool]) -> None:
    deadline = time.monotonic() + HANG_S
    while not ready():
        if time.monotonic() > deadline:
            raise AssertionError(f"never saw {what}")
        await asyncio.sleep(0.05)


class Tab:
    """One browser tab's websocket, read as it comes (pings answered, frames drained)."""

    def __init__(self, socket: aiohttp.ClientWebSocketResponse) -> None:
        self.socket = socket
        self.frames = 0
        self.reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        async for _ in self.socket:
            self.frames += 1

    async def close(self) -> None:
        await self.socket.close()
        self.reader.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self.reader


@contextlib.asynccontextmanager
async def browser(port: int) -> AsyncIterator[Callable[[], object]]:
    """A function that opens one more tab (a Tab, or the HTTP status it was refused with
    and the page's text)."""
    here = f"127.0.0.1:{port}"
    tabs: list[Tab] = []
    async with aiohttp.ClientSession() as session:

        async def open_tab() -> Tab | tuple[int, str]:
            try:
                socket = await session.ws_connect(f"ws://{here}/ws?width=80&height=24",
                                                  origin=f"http://{here}", heartbeat=5)
            except aiohttp.WSServerHandshakeError as exc:
                return exc.status, exc.message
            tab = Tab(socket)
            tabs.append(tab)
            return tab

        try:
            yield open_tab
        finally:
            for tab in tabs:
                with contextlib.suppress(Exception):
                    await tab.close()


def dataset(tmp_path: Path) -> None:
    Dataset(tmp_path / "db", "olena").add_article(
        Document.from_text("Putin and Zelensky spoke in Kyiv."))


def end_all(pids: set[int]) -> None:
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


async def tabs_running(server_pid: int, open_tab: Callable[[], object], n: int
                       ) -> tuple[list[Tab], set[int]]:
    """Open ``n`` tabs and wait until each one's app has drawn; return them and the apps."""
    tabs = [await open_tab() for _ in range(n)]
    assert all(isinstance(tab, Tab) for tab in tabs), tabs
    await until("every app drawing", lambda: all(tab.frames > 0 for tab in tabs))
    apps = children(server_pid)
    assert len(apps) == n, descendants(server_pid)
    return tabs, apps | descendants(server_pid)


@pytest.mark.parametrize("how", ["kill -9", "SIGTERM", "ctrl+c"])
def test_the_apps_end_when_the_server_ends(tmp_path, how):
    dataset(tmp_path)
    server, port, _ = start(tmp_path, "--max-sessions", "3")
    apps: set[int] = set()

    async def scenario() -> None:
        nonlocal apps
        async with browser(port) as open_tab:
            _, apps = await tabs_running(server.pid, open_tab, 3)
            server.send_signal({"kill -9": signal.SIGKILL, "SIGTERM": signal.SIGTERM,
                                "ctrl+c": signal.SIGINT}[how])
            await until("the server gone", lambda: server.poll() is not None)
            await until("every app gone", lambda: not any(map(alive, apps)))

    try:
        asyncio.run(scenario())
    finally:
        end_all(apps)
        if server.poll() is None:
            server.kill()
        server.wait(timeout=60)


def test_a_tab_beyond_max_sessions_gets_a_page_saying_so(tmp_path):
    dataset(tmp_path)
    server, port, _ = start(tmp_path, "--max-sessions", "2")
    apps: set[int] = set()
    here = {"Host": f"127.0.0.1:{port}"}

    async def scenario() -> None:
        nonlocal apps
        async with browser(port) as open_tab:
            tabs, apps = await tabs_running(server.pid, open_tab, 2)
            refused = await open_tab()
            assert isinstance(refused, tuple) and refused[0] == 503
            status, page = await asyncio.to_thread(ask, port, "/", here)
            assert status == 503
            assert "serving 2 tabs" in page and "--max-sessions 2" in page
            assert children(server.pid) == apps  # no third app was started
            await tabs[0].close()  # a tab closed: its app ends, its place is free
            await until("the first app gone", lambda: len(children(server.pid)) == 1)
            await until("a place free", lambda: ask(port, "/", here)[0] == 200)
            again = await open_tab()
            assert isinstance(again, Tab)
            await until("the new app drawing", lambda: again.frames > 0)
            apps |= children(server.pid)

    try:
        asyncio.run(scenario())
    finally:
        server.terminate()
        server.wait(timeout=60)
        end_all(apps)


def test_an_app_whose_server_died_before_it_watched_ends_at_once(tmp_path):
    """The watch starts after the app's imports: a parent gone by then is seen at once."""
    import subprocess

    done = subprocess.run([sys.executable, "-m", "tui", "--db", tmp_path / "db"],
                          env={**os.environ, "GLOSS_SERVE_PARENT": "1",
                               "TEXTUAL_DRIVER": "textual.drivers.web_driver:WebDriver"},
                          stdin=subprocess.PIPE, capture_output=True, timeout=HANG_S)
    assert done.returncode == 1 and done.stdout == b""
    assert not (tmp_path / "db").exists()
