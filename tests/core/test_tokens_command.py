"""`gloss tokens`: the tokens of a dataset's articles kept without an import, only where
none check out; safe beside another writer and against kill -9; and the export saying
when it tokenized many articles itself."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.core.test_token_cache import TEXTS, export, hits, uncached
from tests.hostile.attack import HANG_S, ONE_LINE, run, snapshot
from tui import cli
from tui.core.disk import token_cache
from tui.core.document.model import Document
from tui.core.store.dataset import Dataset

MORE = [f"Talks number {n} in Kyiv: Zelensky’s envoy met Rubio’s 👩‍👩‍👧 team on day {n}."
        for n in range(40)]


@pytest.fixture(autouse=True)
def imports_keep_nothing(monkeypatch):
    """Articles that arrived without kept tokens (the reader, merge, git, a large import)."""
    monkeypatch.setattr(token_cache, "IMPORT_BUDGET_S", 0.0)


def dataset_without_tokens(folder: Path, texts: list[str] = TEXTS + MORE) -> Path:
    Dataset(folder, "alice").add_articles([(Document.from_text(t), [], []) for t in texts])
    assert not (folder / token_cache.FOLDER).exists()
    return folder


def kept_files(folder: Path) -> list[Path]:
    return sorted((folder / token_cache.FOLDER).glob(f"*{token_cache.SUFFIX}"))


def test_the_command_keeps_every_article_s_tokens_and_the_export_is_the_same(tmp_path):
    folder = dataset_without_tokens(tmp_path / "db")
    plain = uncached(folder, tmp_path)
    done = run("tokens", "--db", folder)
    total, name = len(TEXTS + MORE), token_cache.version().split("+")[0]
    assert done.code == 0, done.err
    assert done.err == f"kept the tokens of {total} articles ({name}); 0 articles had them" \
        " already\n"
    assert done.out == b""
    assert hits(folder) == total and len(kept_files(folder)) == 1
    assert export(folder) == plain
    again = run("tokens", "--db", folder)  # nothing left to keep: no file made
    assert again.code == 0
    assert f"of 0 articles ({name}); {total} articles had them already" in again.err
    assert len(kept_files(folder)) == 1


def test_only_the_articles_without_valid_tokens_are_tokenized(tmp_path, monkeypatch):
    folder = dataset_without_tokens(tmp_path / "db")
    first = [(Document.from_text(t).id, Document.from_text(t).text) for t in TEXTS]
    assert token_cache.fill(folder, first, budget=60) == len(TEXTS)
    made: list[str] = []
    real = token_cache.make
    monkeypatch.setattr(token_cache, "make", lambda text: made.append(text) or real(text))
    report = token_cache.keep(folder, [(a.document.id, a.document.text)
                                       for a in Dataset.existing(folder, "x").readable([])])
    assert (report.made, report.already) == (len(MORE), len(TEXTS))
    assert sorted(made) == sorted(Document.from_text(t).text for t in MORE)
    assert hits(folder) == len(TEXTS + MORE)


def test_tokens_of_another_version_are_replaced(tmp_path, monkeypatch):
    """Another spaCy, another format: what the export cannot use is made again, and the
    useless file removed."""
    folder = dataset_without_tokens(tmp_path / "db")
    with monkeypatch.context() as other:
        other.setattr(token_cache, "version", lambda: "spacy-9.9.9+f0-u1-r1")
        assert run("tokens", "--db", folder).code == 0
    [old] = kept_files(folder)
    assert hits(folder) == 0
    done = run("tokens", "--db", folder)
    assert done.code == 0 and f"of {len(TEXTS + MORE)} articles" in done.err
    assert not old.exists() and hits(folder) == len(TEXTS + MORE)


def test_an_article_too_long_is_left_to_the_export(tmp_path, monkeypatch):
    folder = dataset_without_tokens(tmp_path / "db")
    piece = 70
    monkeypatch.setattr(token_cache, "PIECE", piece)
    longer = [t for t in TEXTS + MORE if len(Document.from_text(t).text) > piece]
    assert 0 < len(longer) < len(TEXTS + MORE)
    done = run("tokens", "--db", folder)
    assert done.code == 0 and f"; {len(longer)} articles over 70 characters" in done.err
    assert hits(folder) == len(TEXTS + MORE) - len(longer)
    assert export(folder) == uncached(folder, tmp_path)


def test_a_broken_article_file_is_one_line_and_nothing_kept(tmp_path):
    folder = dataset_without_tokens(tmp_path / "db")
    broken = folder / f"{Document.from_text(MORE[7]).id}.json"
    broken.write_bytes(broken.read_bytes()[:40])
    before = snapshot(folder)
    done = run("tokens", "--db", folder)
    assert done.code == 2 and ONE_LINE.fullmatch(done.err), done.err
    assert str(broken) in done.err and "no tokens kept" in done.err
    assert snapshot(folder) == before  # no .tokens folder, no temp file left


def test_no_dataset_is_one_line(tmp_path):
    done = run("tokens", "--db", tmp_path / "none")
    assert done.code == 2 and ONE_LINE.fullmatch(done.err), done.err
    assert not (tmp_path / "none").exists()


def start(folder: Path, **env: str) -> subprocess.Popen[bytes]:
    """`gloss tokens` in a child that stops (GLOSS_STOP_AT) once its first entry is
    written into its temp file."""
    return subprocess.Popen([sys.executable, "-m", "tui", "tokens", "--db", str(folder)],
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE,
                            env={**os.environ, "GLOSS_STOP_AT": "tokens", **env})


def test_kill_9_while_keeping_leaves_a_miss_never_an_error(tmp_path):
    folder = dataset_without_tokens(tmp_path / "db")
    plain = uncached(folder, tmp_path)
    child = start(folder)
    assert child.stderr is not None
    assert child.stderr.readline() == b"stopped at tokens\n"
    [temp] = [p for p in (folder / token_cache.FOLDER).iterdir()]
    assert temp.name.startswith(".") and temp.stat().st_size > 0  # half written
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=HANG_S)
    assert kept_files(folder) == [] and hits(folder) == 0
    assert export(folder) == plain  # the torn temp file is no cache file: all misses
    done = run("tokens", "--db", folder)  # and the next run keeps them all
    assert done.code == 0, done.err
    assert hits(folder) == len(TEXTS + MORE) and export(folder) == plain


def test_two_writers_at_once_keep_every_article(tmp_path):
    """One run held half-way while another runs whole, then let go: both files hold
    every article, either may be read, and the export is the same."""
    folder = dataset_without_tokens(tmp_path / "db")
    plain = uncached(folder, tmp_path)
    hold = tmp_path / "hold"
    child = start(folder, GLOSS_STOP_HOLD=str(hold))
    try:
        while not hold.exists():  # the child's first entry is written
            assert child.poll() is None, child.stderr.read() if child.stderr else ""
            os.sched_yield()
        assert run("tokens", "--db", folder).code == 0
        assert export(folder) == plain and hits(folder) == len(TEXTS + MORE)
    finally:
        hold.unlink(missing_ok=True)
    assert child.wait(timeout=HANG_S) == 0
    assert len(kept_files(folder)) == 2  # the same tokens twice: merged when they pile up
    assert hits(folder) == len(TEXTS + MORE) and export(folder) == plain


def test_the_export_says_once_when_it_tokenized_many_articles(tmp_path, monkeypatch):
    folder = dataset_without_tokens(tmp_path / "db")
    monkeypatch.setattr(cli, "TOKENIZED_HINT", 10)
    done = run("export", "--db", folder, "--all")
    hint = f"tokenized {len(TEXTS + MORE)} articles: `gloss tokens` keeps their tokens"
    assert done.code == 0 and done.err.count(hint) == 1, done.err
    assert b"gloss tokens" not in done.out  # never on the pipe's stdout
    assert run("tokens", "--db", folder).code == 0
    after = run("export", "--db", folder, "--all")
    assert after.code == 0 and "tokenized" not in after.err and after.out == done.out
    monkeypatch.setattr(cli, "TOKENIZED_HINT", 1000)
    other = dataset_without_tokens(tmp_path / "other", MORE[:5])
    few = run("export", "--db", other, "--all")
    assert few.code == 0 and "tokenized" not in few.err  # a few: not worth a line
