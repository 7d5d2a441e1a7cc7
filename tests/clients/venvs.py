"""A virtual environment of its own for each real client, kept between runs.

A client (Label Studio, doccano, spaCy...) is installed with pip into
``$GLOSS_CLIENTS_CACHE`` (default ``~/.cache/gloss-clients``) under its name, once: a run
that finds it there uses it as it is. It is built in a temp folder and renamed into place
when whole, under a lock, so that two runs at once build it once and a run killed halfway
leaves nothing half-made. A client whose pinned dependencies have wheels only up to some
Python (doccano's pandas 1.5: 3.11) is built from that Python, found on PATH or under pyenv:
from a newer one pip would compile them for many minutes, then fail. Where it cannot be
installed (no network, no such Python) the test is skipped with one line saying why,
never failed.
"""

from __future__ import annotations

import contextlib
import fcntl
import glob
import hashlib
import os
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
INSTALL_TIMEOUT_S = 900
READY = ".gloss-ready"  # written last: a folder without it is not a venv to use
# why a client could not be installed, once per run: the next test that needs it is
# skipped at once instead of asking pip again (offline, each try costs half a minute)
_refused: dict[str, str] = {}


def cache_root() -> Path:
    given = os.environ.get("GLOSS_CLIENTS_CACHE")
    return Path(given) if given else Path.home() / ".cache" / "gloss-clients"


def gloss_requirements() -> list[str]:
    """Gloss's own dependencies, for a client that runs Gloss's code beside its own (the
    DocBin export needs spaCy in the same interpreter)."""
    with open(ROOT / "pyproject.toml", "rb") as handle:
        return list(tomllib.load(handle)["project"]["dependencies"])


def named(base: str, requirements: list[str]) -> str:
    """``base``, and a digest of the requirements when they are more than the client's
    own pin: another list of packages is another venv."""
    digest = hashlib.sha256("\n".join(requirements).encode()).hexdigest()[:8]
    return f"{base}-{digest}"


def interpreter(version: str | None) -> str | None:
    """The python to make a client's venv from: this one, or Python ``version`` from PATH
    or pyenv (a pyenv shim of a version not selected fails when asked to run: each is
    asked); None when there is none."""
    if version is None:
        return sys.executable
    pyenv = os.environ.get("PYENV_ROOT") or str(Path.home() / ".pyenv")
    candidates = [shutil.which(f"python{version}"),
                  *sorted(glob.glob(f"{pyenv}/versions/{version}.*/bin/python{version}"),
                          reverse=True)]
    for candidate in filter(None, candidates):
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            if subprocess.run([candidate, "-c", "pass"], capture_output=True,
                              timeout=30).returncode == 0:
                return candidate
    return None


def client_venv(name: str, requirements: list[str], python: str | None = None) -> Path:
    """The python of the venv ``name`` holding ``requirements``, made from Python
    ``python`` (a version, "3.11": its venv's name says it) or this one; built if
    missing."""
    if python is not None:
        name = f"{name}-py{python}"
    root = cache_root()
    home = root / name
    if (home / READY).is_file():
        return home / "bin" / "python"
    if name in _refused:
        pytest.skip(_refused[name])
    try:
        root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        pytest.skip(f"{name}: no cache folder for clients ({exc.strerror})")
    made_from = interpreter(python)
    if made_from is None:
        _refused[name] = f"{name}: no Python {python} on PATH or under pyenv to make it from"
        pytest.skip(_refused[name])
    with _locked(root / f".{name}.lock"):
        if not (home / READY).is_file():
            _build(root, name, requirements, made_from)
    return home / "bin" / "python"


def prepared(home: Path, what: str, make: Callable[[Path], None]) -> Path:
    """``home/what``, made once by ``make(folder)`` (a client's migrated database, say)
    and kept, built and renamed into place under the same rules as a venv."""
    folder = home / what
    if (folder / READY).is_file():
        return folder
    with _locked(home / f".{what}.lock"):
        if not (folder / READY).is_file():
            temp = home / f".{what}.{os.getpid()}.tmp"
            shutil.rmtree(temp, ignore_errors=True)
            temp.mkdir()
            try:
                make(temp)
            except BaseException:
                shutil.rmtree(temp, ignore_errors=True)
                raise
            shutil.rmtree(folder, ignore_errors=True)
            (temp / READY).write_text("")
            os.rename(temp, folder)
    return folder


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    with open(path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _build(root: Path, name: str, requirements: list[str], made_from: str) -> None:
    home = root / name
    temp = root / f".{name}.{os.getpid()}.tmp"
    shutil.rmtree(temp, ignore_errors=True)
    steps = [[made_from, "-m", "venv", str(temp)],
             [str(temp / "bin" / "python"), "-m", "pip", "install", "--quiet",
              "--disable-pip-version-check", "--retries", "1", "--timeout", "30",
              *requirements]]
    for step in steps:
        try:
            done = subprocess.run(step, capture_output=True, text=True,
                                  timeout=INSTALL_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            _refuse(name, temp, f"{name}: not installed within {INSTALL_TIMEOUT_S} s")
        if done.returncode != 0:
            _refuse(name, temp, f"{name}: cannot be installed here"
                                f" ({_last_line(done.stderr)})")
    # the venv's own paths are relative to its python: it works once renamed (its
    # scripts' #! lines do not, so a client is always run as `python -m ...`)
    (temp / READY).write_text("\n".join(requirements) + "\n")
    shutil.rmtree(home, ignore_errors=True)
    os.rename(temp, home)


def _refuse(name: str, temp: Path, reason: str) -> None:
    shutil.rmtree(temp, ignore_errors=True)
    _refused[name] = reason
    pytest.skip(reason)


def _last_line(stderr: str) -> str:
    lines = [line.strip() for line in stderr.splitlines()
             if line.strip() and "is ignored: it is neither a file" not in line]
    return lines[-1][:200] if lines else "pip said nothing"
