"""Import, export, merge and agree show a progress bar on stderr when it is a terminal,
and nothing when it is piped: what a script reads stays the one-line summary."""

from __future__ import annotations

import os
import pty
import subprocess
import sys

import orjson
import pytest

from tests.conftest import gloss
from tui.core.document.model import Document, Span
from tui.core.store.dataset import Dataset

TEXT = "Zelensky said the talks in Riyadh were a trap."


def on_a_terminal(*args: object) -> tuple[int, str]:
    """`gloss ARGS` with stderr on a pseudo-terminal (stdout piped): what it drew there."""
    main, child_end = pty.openpty()
    env = {**os.environ, "GLOSS_ANNOTATOR": "alice", "TERM": "xterm-256color",
           "COLUMNS": "100", "LINES": "30"}
    env.pop("NO_COLOR", None)
    child = subprocess.Popen([sys.executable, "-m", "tui", *map(str, args)],
                             stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                             stderr=child_end, env=env)
    os.close(child_end)
    drawn = b""
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:  # the child closed its end
            break
        if not chunk:
            break
        drawn += chunk
    child.stdout.read()
    code = child.wait(timeout=120)
    os.close(main)
    return code, drawn.decode("utf-8", "replace")


@pytest.fixture
def folders(tmp_path):
    made = []
    for who in ("alice", "bob"):
        dataset = Dataset(tmp_path / who, who)
        document = Document.from_text(TEXT)
        dataset.add_article(document, [Span.new(TEXT, 0, 8, "ACTOR", who)])
        dataset.set_status(document.id, "done")
        made.append(dataset.folder)
    source = tmp_path / "in.jsonl"
    source.write_bytes(orjson.dumps({"text": TEXT, "spans": [
        {"start": 27, "end": 33, "label": "LOCATION"}]}))
    return made, source, tmp_path / "team"


def commands(made, source, team):
    return {"merging": ["merge", *made, "--db", team], "reading": ["import", source, "--db",
                                                                   team],
            "exporting": ["export", "--db", team, "-o", team.parent / "out.jsonl"],
            "agree": ["agree", "--db", team, "--format", "json"]}


def test_a_terminal_shows_a_bar_for_each_long_command(folders):
    for what, args in commands(*folders).items():
        code, drawn = on_a_terminal(*args)
        assert code == 0, drawn
        bar = "reading" if what == "agree" else what
        assert bar in drawn and "━" in drawn, (what, drawn)


def test_a_pipe_gets_no_bar_only_the_summary(folders):
    made, source, team = folders
    for what, args in commands(made, source, team).items():
        result = gloss(*args)
        assert result.returncode == 0, result.stderr
        assert "━" not in result.stderr and "\x1b" not in result.stderr, what
    assert gloss("merge", *made, "--db", team).stderr.count("\n") == 1
