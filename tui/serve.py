"""``gloss serve``: the same app in a browser, through textual-serve.

Each browser tab gets its own ``gloss`` process on the one dataset (textual-serve starts
the command for each websocket), so two tabs are two writers, and the dataset's lock per
article keeps both's labels. There is no login: by default the server listens on the
loopback address only, for one analyst who reaches it through an SSH tunnel
(docs/serve.md); any other address must be asked for with ``--public``.

Two things textual-serve leaves open are closed here. Its page names its own address
(``public_url``) for the websocket and the static files, which breaks behind a tunnel to
another local port; here the page names the address the browser asked for. And a
websocket is not held to the same-origin rule: any web page the analyst opens could
connect to a port on their machine and type into Gloss. So a websocket must come from
this server's own page (its ``Origin`` is the address asked for), and on loopback the
address asked for must be a loopback name, which a DNS-rebinding page cannot give.
"""

from __future__ import annotations

import asyncio
import html
import ipaddress
import logging
import os
import shlex
import signal
import socket
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import aiohttp_jinja2
from aiohttp import web
from rich.console import Console
from rich.logging import RichHandler
from textual_serve.server import Server, to_int

from tui.parent_watch import PARENT_VARIABLE

LOOPBACK = "127.0.0.1"
BUSY_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title}: every tab taken</title></head>
<body style="font-family: sans-serif; max-width: 40em; margin: 4em auto">
<h1>{title}</h1><p>{reason}</p></body></html>
"""


def is_loopback(host: str) -> bool:
    """``host`` is this machine's loopback: only this machine can reach it."""
    if host.strip("[]").lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def app_command(folder: Path, analyst: str, keymap: Path | None = None) -> str:
    """The shell command textual-serve runs for each tab: this Python, this dataset (and
    the keymap file found when the server started). The shell ``exec``s it, so the app is
    the server's own child and can watch it (``tui/parent_watch.py``)."""
    mapped = ["--keymap", str(keymap.absolute())] if keymap is not None else []
    return "exec " + shlex.join([sys.executable, "-m", "tui", "--db", str(folder.absolute()),
                                 "--annotator", analyst, *mapped])


class GlossServer(Server):
    """textual-serve's server with the page's addresses taken from the request, a
    websocket refused unless it comes from the page (see the module's docstring), and at
    most ``max_sessions`` tabs (each an app process) at once."""

    def __init__(self, command: str, host: str, port: int, title: str,
                 max_sessions: int) -> None:
        super().__init__(command, host=host, port=port, title=title)
        self.loopback = is_loopback(host)
        self.max_sessions = max_sessions
        self.tabs: set[asyncio.Task[Any]] = set()  # each websocket's handler, its app running

    def initialize_logging(self) -> None:
        # Warnings and errors only, on stderr: no line for each request
        logging.basicConfig(level="WARNING", format="%(message)s", handlers=[
            RichHandler(show_path=False, show_time=False, console=Console(stderr=True))])

    async def on_startup(self, app: web.Application) -> None:
        """textual-serve prints a logo and the command here; ``gloss serve`` says its own."""

    async def on_shutdown(self, app: web.Application) -> None:
        """Stop every tab's app now (each finishes its saves): aiohttp would otherwise wait
        seconds for the websockets to end by themselves before it cancels them."""
        for tab in self.tabs:
            tab.cancel()
        await asyncio.gather(*self.tabs, return_exceptions=True)

    def listen(self) -> socket.socket:
        """The listening socket, bound now: an address that cannot be had is an
        ``OSError`` before anything is served or said."""
        family, _, _, _, address = socket.getaddrinfo(self.host, self.port,
                                                      type=socket.SOCK_STREAM)[0]
        return socket.create_server(address[:2], family=family)

    def serve_on(self, listening: socket.socket) -> None:
        """Serve until ctrl+c or SIGTERM, as textual-serve's ``serve`` does, on the socket
        of :meth:`listen`. Each app it starts watches this process and ends with it."""
        os.environ[PARENT_VARIABLE] = str(os.getpid())  # textual-serve passes it on
        self.initialize_logging()
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        for stop in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(stop, self.request_exit)
        web.run_app(self._make_app(), sock=listening, handle_signals=False, loop=loop,
                    print=None)

    def refusal(self, request: web.Request) -> str | None:
        """Why this request may not reach the app, or None when it may."""
        name = urlsplit(f"//{request.host}").hostname or ""
        if self.loopback and not is_loopback(name):
            return "this server answers only to a loopback address (localhost, 127.0.0.1)"
        return None

    def full(self) -> str | None:
        """Why no other tab may start now, or None."""
        if len(self.tabs) < self.max_sessions:
            return None
        return (f"Gloss is serving {len(self.tabs)} tabs, as many as this server starts"
                f" (gloss serve --max-sessions {self.max_sessions}); each tab is an app of"
                " its own. Close a tab of Gloss, then reload this page.")

    async def handle_index(self, request: web.Request) -> web.Response:
        reason = self.refusal(request)
        if reason:
            raise web.HTTPForbidden(text=reason)
        busy = self.full()
        if busy:
            return web.Response(status=503, content_type="text/html", text=BUSY_PAGE.format(
                title=html.escape(self.title), reason=html.escape(busy)))
        secure = request.scheme == "https"
        context: dict[str, Any] = {
            "font_size": to_int(request.query.get("fontsize", "16"), 16),
            "app_websocket_url": f"{'wss' if secure else 'ws'}://{request.host}/ws",
            "config": {"static": {"url": f"{request.scheme}://{request.host}/static/"}},
            "application": {"name": self.title},
        }
        return aiohttp_jinja2.render_template("app_index.html", request, context)

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        reason = self.refusal(request)
        origin = request.headers.get("Origin", "")
        if reason is None and urlsplit(origin).netloc != request.host:
            reason = "a websocket must come from this server's own page"
        if reason:
            raise web.HTTPForbidden(text=reason)
        busy = self.full()
        if busy:
            raise web.HTTPServiceUnavailable(text=busy)
        tab = asyncio.current_task()
        assert tab is not None
        self.tabs.add(tab)  # no await since the check: no other request came between
        try:
            return await super().handle_websocket(request)
        finally:
            self.tabs.discard(tab)
