"""`gloss demo` refused: no terminal, a dataset that cannot be one, a label file that
cannot be read, a dataset that cannot be written. Each is one line, exit 2, the dataset as
it was, and no app opened (the samples are imported before the app is, after the checks).

TEXTUAL_DRIVER (as under `gloss serve`) stands for a terminal where the case is not the
terminal: each refusal is then the one the case is about."""

from __future__ import annotations

import pytest

from tests.hostile.attack import attack, can_drop_privileges
from tui.core.document.model import Document
from tui.core.store.dataset import Dataset

LABEL_FILES = [b"", b"[5]", b'[{"key": "1"}]', b"\xff\xfe\x00A",
               b'[{"name": "A"}, {"name": "A"}]', b'[{"name": "\x1b]0;owned\x07"}]']


def one_article(tmp_path):
    Dataset(tmp_path / "db", "alice").add_article(Document.from_text("Kyiv says talks resume."))


def test_no_terminal_imports_nothing(tmp_path):
    one_article(tmp_path)
    outcome = attack(tmp_path, "demo")
    assert outcome.code == 2 and "not a terminal" in outcome.err


def test_a_dataset_that_is_a_file(tmp_path, monkeypatch):
    monkeypatch.setenv("TEXTUAL_DRIVER", "as under gloss serve")
    (tmp_path / "db").write_text("a file")
    outcome = attack(tmp_path, "demo")
    assert outcome.code == 2 and "terminal" not in outcome.err


@pytest.mark.parametrize("content", LABEL_FILES, ids=[repr(c)[:24] for c in LABEL_FILES])
def test_a_label_file_that_cannot_be_read(tmp_path, monkeypatch, content):
    monkeypatch.setenv("TEXTUAL_DRIVER", "as under gloss serve")
    one_article(tmp_path)
    labels = tmp_path / "labels.txt"
    labels.write_bytes(content)
    outcome = attack(tmp_path, "demo", "--labels", labels)
    assert outcome.code == 2 and "labels.txt" in outcome.err


def test_a_label_set_in_the_dataset_that_is_broken(tmp_path, monkeypatch):
    monkeypatch.setenv("TEXTUAL_DRIVER", "as under gloss serve")
    one_article(tmp_path)
    (tmp_path / "db" / "labels.json").write_bytes(b"[{")
    outcome = attack(tmp_path, "demo")
    assert outcome.code == 2 and "labels.json" in outcome.err


@pytest.mark.skipif(not can_drop_privileges(), reason="running as root without setpriv")
def test_a_read_only_dataset(tmp_path, monkeypatch):
    monkeypatch.setenv("TEXTUAL_DRIVER", "as under gloss serve")
    one_article(tmp_path)
    for path in [tmp_path / "db", *(tmp_path / "db").iterdir()]:
        path.chmod(0o555 if path.is_dir() else 0o444)
    try:
        outcome = attack(tmp_path, "demo", child=True, unprivileged=True)
        assert outcome.code == 2 and "terminal" not in outcome.err, outcome.err
    finally:
        (tmp_path / "db").chmod(0o755)
