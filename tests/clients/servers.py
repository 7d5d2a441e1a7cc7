"""A real client's server on loopback for one test session: started in its own process
group with its own data folder, waited for by polling its health URL, stopped by its
process id; and a small JSON client for its HTTP API (the standard library's)."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

START_S = 600  # only a hang gets there: a cold start migrates a database (a minute)
POLL_S = 0.25


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextlib.contextmanager
def running(commands: list[list[str]], env: dict[str, str], log: Path, health: str,
            cwd: Path | None = None) -> Iterator[None]:
    """Start ``commands`` (a server and its workers), wait until ``health`` answers 200,
    and stop each by its process id at the end, whatever happened."""
    processes: list[subprocess.Popen[bytes]] = []
    try:
        with open(log, "ab") as out:
            for command in commands:
                processes.append(subprocess.Popen(command, env=env, cwd=cwd, stdout=out,
                                                  stderr=subprocess.STDOUT,
                                                  start_new_session=True))
        until(f"{health} to answer", lambda: _healthy(health, processes, log))
        yield
    finally:
        for process in processes:
            stop(process)


def stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM to the process and the children it started (its own session), then
    SIGKILL if it has not ended within a minute."""
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def until(what: str, ready: Callable[[], object], limit: float = START_S) -> Any:
    deadline = time.monotonic() + limit
    while True:
        found = ready()
        if found:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"never saw {what} in {limit:.0f} s")
        time.sleep(POLL_S)


def _healthy(url: str, processes: list[subprocess.Popen[bytes]], log: Path) -> bool:
    for process in processes:
        if process.poll() is not None:
            tail = log.read_text(errors="replace").splitlines()[-15:]
            raise AssertionError(f"{process.args[:4]} ended ({process.returncode}):\n"
                                 + "\n".join(tail))
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:
            return answer.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


class Api:
    """JSON over HTTP to one server, with its token."""

    def __init__(self, base: str, token: str = "") -> None:
        self.base = base
        self.token = token

    def call(self, method: str, path: str, body: Any = None, *, raw: bool = False,
             data: bytes | None = None, kind: str = "application/json") -> Any:
        headers = {"Content-Type": kind}
        if self.token:
            headers["Authorization"] = f"Token {self.token}"
        payload = data if data is not None else (
            None if body is None else json.dumps(body).encode())
        request = urllib.request.Request(self.base + path, method=method, headers=headers,
                                         data=payload)
        try:
            with urllib.request.urlopen(request, timeout=300) as answer:
                content = answer.read()
        except urllib.error.HTTPError as exc:
            raise AssertionError(f"{method} {path}: {exc.code} {exc.read()[:2000]!r}") from exc
        return content if raw else json.loads(content or b"null")

    def upload(self, path: str, field: str, name: str, content: bytes) -> bytes:
        """One file as a multipart form, as a browser uploads it."""
        boundary = uuid.uuid4().hex
        body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; "
                f"filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
                ).encode() + content + f"\r\n--{boundary}--\r\n".encode()
        return self.call("POST", path, raw=True, data=body,
                         kind=f"multipart/form-data; boundary={boundary}")
