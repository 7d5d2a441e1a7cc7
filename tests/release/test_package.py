"""The package as a packager sees it: one version, a name of its own in every hint, the
extra's requirement taken from the metadata, a clear refusal where there are no POSIX
locks, and metadata that says what CI tests."""

from __future__ import annotations

import importlib.metadata
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from tests.conftest import ROOT, gloss
from tui import DISTRIBUTION, __version__

PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def test_gloss_version_prints_the_one_version():
    result = gloss("--version")
    assert result.returncode == 0
    assert result.stdout == f"gloss, version {__version__}\n"
    # the installed metadata says the same (a stale editable install would not)
    assert importlib.metadata.version(DISTRIBUTION) == __version__


def test_the_distribution_is_named_as_the_hints_name_it():
    assert PROJECT["name"] == DISTRIBUTION
    assert PROJECT["dynamic"] == ["version"]
    assert PROJECT["scripts"] == {"gloss": "tui.start:main"}  # the first paint, then the command


@pytest.mark.parametrize("prefix, expected", [
    ("/home/olena/.local/share/pipx/venvs/gloss-annotator",
     "pipx inject gloss-annotator 'spacy<3.9,>=3.8.18'"),
    ("/home/olena/.local/share/uv/tools/gloss-annotator",
     "uv tool install --force 'gloss-annotator[spacy]'"),
])
def test_the_spacy_hint_under_pipx_and_uv_names_this_distribution(monkeypatch, prefix,
                                                                  expected):
    from tui.core.disk.install import extra_command

    monkeypatch.setattr(sys, "prefix", prefix)
    assert extra_command("spacy") == expected


def test_the_pipx_hint_asks_for_what_the_extra_declares():
    from tui.core.disk.install import extra_requirements

    declared = PROJECT["optional-dependencies"]["spacy"]
    assert len(declared) == 1
    name, ranges = declared[0].split(">", 1)
    wanted = extra_requirements("spacy")
    assert len(wanted) == 1 and wanted[0].startswith(name)
    assert sorted(wanted[0][len(name):].split(",")) == sorted(f">{ranges}".split(","))


def test_no_hint_names_the_other_projects_gloss():
    """"gloss" on the package index is an unrelated project: `pip install gloss[spacy]`
    replaced Gloss with it."""
    for path in [*ROOT.glob("tui/**/*.py"), ROOT / "README.md", *ROOT.glob("docs/*.md")]:
        text = path.read_text(encoding="utf-8")
        for wrong in ("'gloss[", '"gloss[', " gloss[", "install gloss\n", "install gloss "):
            assert wrong not in text, (path, wrong)


def test_without_posix_locks_importing_gloss_says_so_in_one_line(tmp_path):
    code = ("import sys, runpy; sys.modules['fcntl'] = None;"
            " runpy.run_module('tui', run_name='__main__')")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            cwd=tmp_path, timeout=60)
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == ("gloss: Gloss runs on Linux and macOS (it locks files the POSIX"
                             " way, with fcntl); on Windows, run it in WSL\n")


def test_the_classifiers_name_the_pythons_ci_tests():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    tested = {line.split("::")[-1].strip() for line in PROJECT["classifiers"]
              if line.startswith("Programming Language :: Python :: 3.")}
    assert tested == {"3.11", "3.12", "3.13"}
    for version in tested:
        assert f"python{version}" in ci or version in ci
    assert PROJECT["requires-python"] == ">=3.11"


def test_every_runtime_dependency_is_a_range_with_a_tested_lower_bound():
    """A lower bound for the lowest-versions job to install; an upper one at the next
    major (regex has calendar versions, so none)."""
    for requirement in PROJECT["dependencies"]:
        assert "==" not in requirement, requirement
        assert ">=" in requirement, requirement
        assert "<" in requirement or requirement.startswith("regex"), requirement


def test_the_lowest_versions_are_the_lower_bounds(tmp_path):
    result = subprocess.run([sys.executable, str(ROOT / ".ci" / "lowest.py")],
                            capture_output=True, text=True, check=True, timeout=60)
    pins = dict(line.split("==") for line in result.stdout.splitlines())
    for requirement in PROJECT["dependencies"]:
        name, rest = requirement.split(">=", 1)
        assert pins[name] == rest.split(",")[0]


def test_the_constraints_pin_every_runtime_dependency_within_its_range():
    from packaging.requirements import Requirement

    pins = {}
    for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, version = line.split("==")
            pins[name.lower().replace("_", "-")] = version
    for text in PROJECT["dependencies"]:
        requirement = Requirement(text)
        assert requirement.specifier.contains(pins[requirement.name.lower()]), text


def test_the_venvs_pytest_runs_the_tests_as_documented():
    """`.venv/bin/pytest tests/...` (the README, docs/serve.md), not only python -m pytest:
    the tests import tests.* from the repository's root."""
    pytest_command = Path(sys.executable).parent / "pytest"
    if not pytest_command.exists():
        pytest.skip(f"no pytest command beside {sys.executable}")
    result = subprocess.run([str(pytest_command), "-q", "--collect-only", "-p",
                             "no:cacheprovider", "tests/app/test_keys_doc.py"], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "tests collected" in result.stdout


def test_the_license_and_changelog_are_there_and_name_this_version():
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")
    assert f"## {__version__} " in (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert Path(ROOT / "tui" / "samples").is_symlink()
