"""A first run that guides: an empty library says how to add articles and imports the
samples that ship inside the package on enter; `gloss demo` does the same from the
command line; the help names no folder a wheel lacks."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from tests.app.helpers import notices
from tests.conftest import ROOT, gloss
from tui.app import GlossApp
from tui.core.dataset import Dataset
from tui.core.samples import first_steps, samples_folder
from tui.widgets.lists.article_list import ArticleList

SAMPLES = sorted(p.name for p in (ROOT / "seeds").glob("*.txt"))


def test_the_samples_in_the_package_are_the_repositorys_seeds():
    """One copy: tui/samples is seeds/ (the wheel carries the files themselves)."""
    assert samples_folder().resolve() == (ROOT / "seeds").resolve()
    assert len(SAMPLES) == 7


def test_the_guide_names_the_dataset_only_when_it_is_not_the_default(monkeypatch):
    monkeypatch.delenv("GLOSS_DB", raising=False)
    assert "gloss import FILE_OR_FOLDER" in first_steps(Path("annotations"))
    assert "gloss --db '/tmp/my data' import" in first_steps(Path("/tmp/my data"))
    monkeypatch.setenv("GLOSS_DB", "/tmp/team")
    assert "gloss import" in first_steps(Path("/tmp/team"))


async def test_an_empty_library_says_how_to_add_articles_and_enter_imports_the_samples(
        tmp_path):
    dataset = Dataset(tmp_path / "db", "alice")
    app = GlossApp(dataset)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        shown = str(app.screen.query_one("#library-empty").render())
        assert "No articles here yet" in shown
        assert "press enter to import the 7 sample news articles" in shown
        await pilot.press("enter")
        await pilot.pause()
        assert not app.screen.query("#library-empty")
        titles = [r.title for r in app.screen.query_one(ArticleList).rows]
        assert len(titles) == 7
        assert titles[0].startswith("President Trump and Russian President Vladimir Putin")
        assert "imported 7 sample articles" in notices(app)
        await pilot.press("enter")  # now enter opens the article under the cursor
        await pilot.pause()
        assert type(app.screen).__name__ == "ReaderScreen"
    assert len(Dataset(tmp_path / "db", "bob").ids()) == 7


async def test_a_library_with_articles_or_broken_files_has_no_guide(tmp_path):
    folder = tmp_path / "db"
    folder.mkdir()
    (folder / ("0" * 16 + ".json")).write_text("{", encoding="utf-8")
    app = GlossApp(Dataset(folder, "alice"))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert not app.screen.query("#library-empty")
        await pilot.press("enter")
        await pilot.pause()
    assert Dataset(folder, "alice").ids() == ["0" * 16]  # enter imported nothing


def test_the_empty_library(snap_compare, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the folder's name is on screen: the same every run
    monkeypatch.delenv("GLOSS_DB", raising=False)
    assert snap_compare(GlossApp(Dataset(Path("annotations"), "alice")),
                        terminal_size=(80, 24))


def test_help_names_gloss_demo_and_no_folder_of_a_clone(tmp_path):
    result = gloss("--help", cwd=tmp_path)
    assert result.returncode == 0
    assert "gloss demo" in result.stdout and "seeds" not in result.stdout
    assert "sample news articles" in gloss("demo", "--help", cwd=tmp_path).stdout


@pytest.mark.e2e
@pytest.mark.skipif(shutil.which("tmux") is None, reason="needs tmux")
def test_gloss_demo_imports_the_samples_once_and_opens_the_library(tmp_path):
    from tests.e2e.terminal import Terminal
    from tui.core.corpus import text_files

    for _ in range(2):  # the second time adds nothing
        terminal = Terminal([sys.executable, "-m", "tui", "demo", "--db", "team"],
                            cwd=tmp_path)
        try:
            terminal.wait_for("7 articles")
            terminal.send("q")
            terminal.wait_until_closed()
        finally:
            terminal.close()
    stored = Dataset(tmp_path / "team", "alice")
    assert len(stored.ids()) == len(text_files(samples_folder())) == 7
