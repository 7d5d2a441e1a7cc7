"""`gloss serve` refused: a bad port, an address others reach without --public, a port in
use, a dataset that cannot be one. Each is one line, exit 2, the dataset as it was, and
nothing served."""

from __future__ import annotations

import socket

import pytest

from tests.hostile.attack import attack
from tui.core.document.model import Document
from tui.core.store.dataset import Dataset

BAD = {
    "port not a number": ["--port", "eighty"],
    "port zero": ["--port", "0"],
    "port too big": ["--port", "65536"],
    "port negative": ["--port", "-1"],
    "every address": ["--host", "0.0.0.0"],
    "every IPv6 address": ["--host", "::"],
    "a name": ["--host", "gloss.example.org"],
    "a LAN address": ["--host", "192.168.1.20", "--port", "8001"],
    "a name that looks local": ["--host", "localhost.example.org"],
    "an unknown name": ["--host", "no-such-host.invalid", "--public"],
    "a label file": ["--labels", "labels.txt"],
    "a host with controls": ["--host", "\x1b]0;owned\x07"],
}


def dataset(tmp_path):
    db = Dataset(tmp_path / "db", "alice")
    db.add_article(Document.from_text("Putin and Zelensky spoke in Kyiv."))
    return db


@pytest.mark.parametrize("args", list(BAD.values()), ids=list(BAD))
def test_a_bad_serve_is_one_line(tmp_path, args):
    dataset(tmp_path)
    outcome = attack(tmp_path, "serve", *args, imports=False)
    assert outcome.code == 2, outcome.err


def test_a_port_in_use(tmp_path):
    dataset(tmp_path)
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        outcome = attack(tmp_path, "serve", "--port", port, imports=False)
    assert outcome.code == 2
    assert outcome.err == f"gloss: cannot listen on 127.0.0.1:{port}: Address already in use\n"


def test_a_dataset_that_is_a_file(tmp_path):
    (tmp_path / "db").write_text("not a folder")
    outcome = attack(tmp_path, "serve", imports=False)
    assert outcome.code == 2
