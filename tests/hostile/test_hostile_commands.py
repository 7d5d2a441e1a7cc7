"""Commands started where they cannot work: the app with no terminal on stdin or stderr
(it would wait for keys forever), and a `--labels` given to a command that only reads or
merges. Each is one line and exit 2, with the dataset as it was."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.hostile.attack import HANG_S, ONE_LINE, TEXT, attack, snapshot
from tui.core.document.model import Document
from tui.core.store.dataset import Dataset

APP_COMMANDS = {"the library": [], "read a new file": ["read", "new.txt"],
                "a file alone": ["new.txt"], "review": ["review"]}


@pytest.fixture
def db(tmp_path: Path) -> Path:
    Dataset(tmp_path / "db", "alice").add_article(Document.from_text(TEXT))
    (tmp_path / "new.txt").write_text("Odesa was shelled overnight.")
    return tmp_path / "db"


def app(tmp_path: Path, args: list[str], **streams: object) -> tuple[int, str]:
    """`gloss ARGS --db db` with the given stdin / stdout / stderr; its code and stderr."""
    err = tmp_path / "err.txt"
    with err.open("wb") as stderr:
        done = subprocess.run([sys.executable, "-m", "tui", *args, "--db", "db"],
                              cwd=tmp_path, timeout=HANG_S,
                              env={**os.environ, "GLOSS_ANNOTATOR": "alice"},
                              **{"stdin": subprocess.DEVNULL, "stdout": subprocess.DEVNULL,
                                 "stderr": stderr, **streams})
    return done.returncode, err.read_text()


@pytest.mark.parametrize("args", list(APP_COMMANDS.values()), ids=list(APP_COMMANDS))
@pytest.mark.parametrize("stdin", ["/dev/null", "a pipe", "a file"])
def test_the_app_without_a_terminal_is_one_line(tmp_path, db, args, stdin):
    before = snapshot(db)
    if stdin == "a pipe":
        given: object = subprocess.PIPE
    elif stdin == "a file":
        given = (tmp_path / "new.txt").open("rb")
    else:
        given = subprocess.DEVNULL
    code, err = app(tmp_path, args, stdin=given)
    assert code == 2, err
    assert ONE_LINE.fullmatch(err) and "stdin is not a terminal" in err, err
    assert snapshot(db) == before  # nothing imported, nothing made


def test_the_app_drawing_into_a_file_is_one_line(tmp_path, db):
    """Keys from a terminal but stderr (where Textual draws) sent to a file."""
    leader, follower = os.openpty()
    try:
        code, err = app(tmp_path, [], stdin=follower)
    finally:
        os.close(leader)
        os.close(follower)
    assert code == 2 and "stderr is not a terminal" in err, err


def test_the_app_without_a_terminal_makes_no_dataset(tmp_path):
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "a.txt").write_text(TEXT)
    code, err = app(tmp_path, [])
    assert code == 2 and ONE_LINE.fullmatch(err), err
    assert not (tmp_path / "db").exists()


READING = {"stats": ["stats"], "claims": ["claims"], "agree": ["agree"],
           "merge": ["merge", "other"], "serve": ["serve", "--port", "1"],
           "tokens": ["tokens"]}


@pytest.mark.parametrize("name", list(READING))
@pytest.mark.parametrize("where", ["after the command", "before it"])
def test_labels_to_a_command_that_does_not_take_them(tmp_path, db, name, where):
    labels = tmp_path / "labels.txt"
    labels.write_text("PERSON\n")
    Dataset(tmp_path / "other", "bob").add_article(Document.from_text("Another article."))
    args = READING[name]
    given = [*args, "--labels", labels] if where == "after the command" else \
        ["--labels", labels, *args]
    outcome = attack(tmp_path, *given, imports=False)
    assert outcome.code == 2, outcome.err
    assert "--labels" in outcome.err

