"""`gloss serve` without a browser: which addresses are loopback, the command each tab runs
(through a shell: a dataset's name must stay one argument), and a running server's
refusals: another site's websocket, a name that is not loopback (DNS rebinding), and the
warning --public prints."""

from __future__ import annotations

import http.client
import os
import shlex
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tui.serve import app_command, is_loopback


@pytest.mark.parametrize(("host", "loopback"), [
    ("127.0.0.1", True), ("127.8.9.10", True), ("localhost", True), ("LOCALHOST", True),
    ("::1", True), ("[::1]", True), ("0.0.0.0", False), ("::", False), ("10.0.0.2", False),
    ("localhost.example.org", False), ("example.org", False), ("", False),
])
def test_loopback_addresses(host, loopback):
    assert is_loopback(host) is loopback


def test_each_tab_runs_this_python_on_this_dataset_whatever_its_name(tmp_path):
    folder = tmp_path / "a b; $(touch owned) `id` 'q\""
    command = app_command(folder, "o'lena; rm -rf ~")
    assert shlex.split(command) == ["exec", sys.executable, "-m", "tui", "--db", str(folder),
                                    "--annotator", "o'lena; rm -rf ~"]
    echoed = subprocess.run(["sh", "-c", command.replace(shlex.quote(sys.executable),
                                                         "printf '%s\\n'", 1)],
                            capture_output=True, text=True, cwd=tmp_path, check=True)
    assert echoed.stdout.splitlines()[-1] == "o'lena; rm -rf ~"
    assert not (tmp_path / "owned").exists()


def start(tmp_path: Path, *args: str) -> tuple[subprocess.Popen[str], int, str]:
    """`gloss serve ARGS` on a free port; returns it with what it said on stderr."""
    with socket.create_server(("127.0.0.1", 0)) as probe:
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "tui", "serve", "--port", str(port), "--db",
         str(tmp_path / "db"), *args], env={**os.environ, "GLOSS_ANNOTATOR": "olena"},
        stderr=subprocess.PIPE, text=True)
    said = line = ""
    while not line.startswith("gloss: serving "):  # said once the port is bound
        line = server.stderr.readline() if server.stderr else ""
        assert line, f"gloss serve ended: {said}"
        said += line
    return server, port, said


def ask(port: int, path: str, headers: dict[str, str]) -> tuple[int, str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        return response.status, response.read().decode()
    finally:
        connection.close()


WEBSOCKET = {"Connection": "Upgrade", "Upgrade": "websocket", "Sec-WebSocket-Version": "13",
             "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ=="}


def stop(server: subprocess.Popen[str]) -> None:
    server.terminate()
    server.wait(timeout=60)


def test_the_page_names_the_address_the_browser_asked_for(tmp_path):
    server, port, said = start(tmp_path)
    try:
        assert said == (f"gloss: serving {tmp_path / 'db'} as olena on"
                        f" http://127.0.0.1:{port} (ctrl+c stops)\n")
        # a tunnel from another local port: the page must send the browser back through it
        status, page = ask(port, "/", {"Host": "localhost:9999"})
        assert status == 200
        assert 'data-session-websocket-url="ws://localhost:9999/ws"' in page
        assert "http://localhost:9999/static/js/textual.js" in page
    finally:
        stop(server)


def test_loopback_refuses_other_names_and_other_sites(tmp_path):
    server, port, _ = start(tmp_path)
    here = f"127.0.0.1:{port}"
    try:
        # DNS rebinding: a site whose name now points at 127.0.0.1
        assert ask(port, "/", {"Host": f"rebound.example.org:{port}"})[0] == 403
        assert ask(port, "/ws", {**WEBSOCKET, "Host": f"rebound.example.org:{port}",
                                 "Origin": f"http://rebound.example.org:{port}"})[0] == 403
        # any page the analyst has open may try a websocket to a port of their machine
        assert ask(port, "/ws", {**WEBSOCKET, "Host": here,
                                 "Origin": "https://elsewhere.example.org"})[0] == 403
        assert ask(port, "/ws", {**WEBSOCKET, "Host": here})[0] == 403  # no Origin
        status, _ = ask(port, "/ws", {**WEBSOCKET, "Host": here, "Origin": f"http://{here}"})
        assert status == 101  # the server's own page: the app starts
    finally:
        stop(server)


def test_public_warns_that_there_is_no_login(tmp_path):
    server, port, said = start(tmp_path, "--host", "0.0.0.0", "--public")
    try:
        first, second = said.splitlines()
        assert first == (f"gloss: warning: serving to anyone who can reach 0.0.0.0:{port},"
                         " with no login: they label as olena and read every article"
                         " (docs/serve.md)")
        assert second.startswith("gloss: serving ")
        # others reach it by any name; the websocket must still come from its own page
        assert ask(port, "/", {"Host": f"gloss.example.org:{port}"})[0] == 200
        assert ask(port, "/ws", {**WEBSOCKET, "Host": f"gloss.example.org:{port}",
                                 "Origin": "http://elsewhere.example.org"})[0] == 403
    finally:
        stop(server)


def test_ctrl_c_stops_the_server(tmp_path):
    server, port, _ = start(tmp_path)
    assert ask(port, "/", {"Host": f"127.0.0.1:{port}"})[0] == 200  # serving
    server.send_signal(signal.SIGINT)
    assert server.wait(timeout=60) == 0
