"""The command line as people type it: shared options before the command, a mistyped
command, help for everything, `export | head`, the umask, failed exports, install hints."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tomllib

import click
import orjson
import pytest

from tests.conftest import ROOT, gloss
from tui.core.document.model import Document
from tui.core.store.dataset import Dataset


@pytest.fixture
def db(tmp_path):
    folder = tmp_path / "db"
    dataset = Dataset(folder, "alice")
    document = Document.from_text("Putin and Trump spoke about a cease-fire in Kyiv.")
    dataset.add_article(document)
    dataset.new_span(document.id, 0, 5, "ACTOR")
    Dataset(folder, "bob").new_span(document.id, 10, 15, "ACTOR")
    return folder


def test_shared_options_work_before_the_command(db):
    result = gloss("--db", db, "stats", env={"COLUMNS": "100"})
    assert result.returncode == 0, result.stderr
    assert "ACTOR" in result.stdout
    result = gloss("--annotator", "bob", "--db", db, "export")
    assert result.returncode == 0, result.stderr
    [line] = [orjson.loads(x) for x in result.stdout.splitlines()]
    assert [s["text"] for s in line["spans"]] == ["Trump"]


def test_an_option_after_the_command_wins(db, tmp_path):
    result = gloss("--db", tmp_path / "nowhere", "stats", "--db", db)
    assert result.returncode == 0, result.stderr


def test_a_mistyped_command_is_named_with_the_closest_one(tmp_path):
    result = gloss("stat", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.startswith("gloss: No such command 'stat'; did you mean 'stats'?")
    assert result.stderr.count("\n") == 1
    assert not (tmp_path / "annotations").exists()


def test_help_lists_the_commands_and_says_what_gloss_alone_does():
    result = gloss("--help")
    assert result.returncode == 0
    for command in ("read", "import", "export", "stats"):
        assert f"  {command}  " in result.stdout
    assert "`gloss` alone opens the library" in result.stdout


def test_every_option_of_every_command_has_help():
    from tui.cli import main

    commands = [main, *main.commands.values()]
    missing = [f"{command.name} {param.opts[0]}" for command in commands
               for param in command.params
               if isinstance(param, click.Option) and not param.help]
    assert missing == []


def test_export_into_a_closed_pipe_exits_quietly(tmp_path):
    dataset = Dataset(tmp_path / "db", "alice")
    dataset.add_articles([(Document.from_text(f"Article {n} about talks in Kyiv. " * 40), [],
                           []) for n in range(400)])
    child = subprocess.Popen([sys.executable, "-m", "tui", "export", "--db", tmp_path / "db",
                              "--all"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert child.stdout is not None and child.stdout.readline().startswith(b'{"text"')
    child.stdout.close()  # as `head -1` does
    _, err = child.communicate(timeout=60)
    assert err == b"" and child.returncode == 0


def test_export_honours_the_umask(db, tmp_path):
    out = tmp_path / "out.jsonl"
    result = gloss("export", "--db", db, "-o", out, preexec_fn=lambda: os.umask(0o027))
    assert result.returncode == 0, result.stderr
    assert out.stat().st_mode & 0o777 == 0o640
    folder = tmp_path / "brat"
    result = gloss("export", "--db", db, "--format", "brat", "-o", folder,
                   preexec_fn=lambda: os.umask(0o077))
    assert result.returncode == 0, result.stderr
    assert folder.stat().st_mode & 0o777 == 0o700
    assert {p.stat().st_mode & 0o777 for p in folder.iterdir()} == {0o600}


@pytest.mark.parametrize("fmt", ["jsonl", "brat"])
def test_a_failed_export_leaves_nothing_behind(tmp_path, fmt):
    dataset = Dataset(tmp_path / "db", "alice")
    dataset.add_articles([(Document.from_text(f"Article {n} about talks in Kyiv. " * 40), [],
                           []) for n in range(50)])
    out = tmp_path / "out"
    out.mkdir()

    def cap() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (1_000, 1_000))

    result = gloss("export", "--db", tmp_path / "db", "--format", fmt, "-o", out / "x",
                   "--all", preexec_fn=cap)
    assert result.returncode == 2 and result.stderr.count("\n") == 1, result.stderr
    assert list(out.iterdir()) == []


def test_the_spacy_hint_names_a_command_that_fits_this_install(monkeypatch):
    from tui.core.disk.install import extra_command
    from tui.core.store.corpus import InputError, Notes
    from tui.formats import spacy_docbin

    monkeypatch.setitem(sys.modules, "spacy", None)  # as if spaCy were not installed
    with pytest.raises(InputError) as caught:
        spacy_docbin.write([], open(os.devnull, "wb"), Notes(), None)  # noqa: SIM115
    command = extra_command("spacy")
    assert command in str(caught.value)
    assert command.startswith(sys.executable) and "-e" in command and str(ROOT) in command


def test_the_package_metadata_uses_an_spdx_licence():
    """An SPDX string, and a setuptools that reads it, keep the install free of the
    deprecation warning that a licence table gives."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert project["project"]["license"] == "MIT"
    assert "setuptools>=77" in project["build-system"]["requires"]


TAKE_LABELS = {"read", "import", "demo"}


def test_only_the_commands_that_take_labels_list_it():
    """`--labels` in a command's help is an option it takes: stats, claims, agree, merge
    and serve once listed it only to refuse it."""
    from tui.cli import main

    listing = {name for name, command in main.commands.items()
               if any("--labels" in p.opts for p in command.params)}
    assert listing == TAKE_LABELS
    for name in ("stats", "claims", "agree", "merge", "serve"):
        result = gloss(name, "--help")
        assert result.returncode == 0 and "--labels" not in result.stdout, name


def test_export_summaries_tell_the_truth(db, tmp_path):
    """What the last line says was exported, for each format: claims count claims (none:
    said so), JSONL its lines when an article has several analysts."""
    said = {}
    for fmt in ("jsonl", "doccano", "conll", "labelstudio", "claims", "brat"):
        result = gloss("export", "--db", db, "--format", fmt, "-o", tmp_path / f"out-{fmt}")
        assert result.returncode == 0, result.stderr
        said[fmt] = result.stderr.splitlines()[-1]
    assert said == {"jsonl": "exported 1 article (2 lines: one an analyst)",
                    "doccano": "exported 1 article", "conll": "exported 1 article",
                    "labelstudio": "exported 1 article", "brat": "exported 1 article",
                    "claims": "exported no claims: none in the 1 article read; nothing"
                              " written"}
    assert (tmp_path / "out-claims").read_bytes() == b""
    dataset = Dataset(db, "alice")
    [doc_id] = dataset.ids()
    dataset.new_span(doc_id, 16, 48, "CLAIM")
    result = gloss("export", "--db", db, "--format", "claims")
    assert result.stderr.splitlines()[-1] == "exported 1 claim from 1 article"
    assert len(result.stdout.splitlines()) == 1


def test_an_export_of_nothing_says_nothing_was_exported(tmp_path):
    dataset = Dataset(tmp_path / "db", "alice")
    dataset.add_article(Document.from_text("Nobody has opened this article."))
    for fmt in ("jsonl", "claims"):
        result = gloss("export", "--db", tmp_path / "db", "--format", fmt)
        assert result.returncode == 0 and result.stdout == ""
        assert result.stderr.splitlines()[-1] == {
            "jsonl": "exported 0 articles",
            "claims": "exported no claims: no article to read; nothing written"}[fmt]


def test_a_read_that_fails_before_the_app_leaves_collections_on(tmp_path):
    """`gloss read` holds the cycle collector off until the app's start; a bad file stops
    it before that, and a caller in the same process (a script, a test) collects again."""
    import gc

    from click.testing import CliRunner

    from tui.cli import main

    bad = tmp_path / "bad.jsonl"
    bad.write_text("{bad\n", encoding="utf-8")
    try:
        result = CliRunner().invoke(main, ["read", str(bad), "--db", str(tmp_path / "db")])
        assert result.exit_code != 0
        assert gc.isenabled()
    finally:
        gc.enable()
