"""A team over git: ``gloss git-setup`` and ``gloss git-merge``, git's merge driver.

Each analyst clones the dataset's repository and runs ``gloss git-setup`` once. It writes
``.gitattributes`` in the dataset folder, routing the article files and ``labels.json``
through the merge driver ``gloss``; ``.gitignore`` there, leaving out what is no one's work
(locks, caches, kept tokens, temp files); and the clone's own git config, which names the
command git runs for that driver. The command is this very interpreter by its absolute path
(``python -P -m tui``), so a ``gloss`` installed in a virtual environment is found by git
whatever its PATH; ``git-setup`` says so, and is run again if that interpreter moves.

When both sides changed an article file, ``git pull`` runs ``gloss git-merge BASE OURS
THEIRS PATH``: the three versions are checked whole like any article file, merged span by
span (``tui/core/team/merge_rules.py``), checked again and written over OURS, and git records
the merge as clean. A version that cannot be read (broken JSON, not a Gloss file, another
text under the id) gets one line naming the file and side, OURS is left exactly as it was,
and the exit status tells git to report a conflict: never a conflict marker in a file.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import orjson

from tui.core.disk.article_file import read_article
from tui.core.disk.files import Missing, NotReadable, read_bytes
from tui.core.disk.storage import (
    CorruptFileError,
    StorageError,
    discard,
    write_atomic,
    write_temp,
)
from tui.core.document.model import GlossError, LabelSet
from tui.core.store.dataset import ARTICLE_FILE, LABELS_FILE
from tui.core.team.merge_rules import caps_of, merge_article, merge_labels

DRIVER = "gloss"
# Git's patterns, relative to the dataset folder: an article file is 16 hex digits .json
ARTICLES = "/" + "[0-9a-f]" * 16 + ".json"
ATTRIBUTES = ["# gloss git-setup: two analysts' work on an article merges span by span",
              f"{ARTICLES} merge={DRIVER}", f"/{LABELS_FILE} merge={DRIVER}"]
IGNORED = ["# gloss git-setup: locks, caches, kept tokens and temp files are no one's work",
           "/.locks/", "/.cache/", "/.tokens/", ".*.tmp"]
SIDES = ("the common ancestor", "ours", "theirs")


# -- git-setup ---------------------------------------------------------------------------


def driver_command() -> str:
    """What git runs to merge: this interpreter, by its absolute path. ``-P`` keeps the
    repository's own folder out of ``sys.path`` (git runs the driver there)."""
    python = shlex.quote(str(Path(sys.executable).absolute()))
    return f"{python} -P -m tui git-merge %O %A %B %P"


def git_setup(folder: Path) -> list[str]:
    """Set up the clone holding ``folder`` (see the module's docstring); the lines to say."""
    if folder.exists() and not folder.is_dir():
        raise GlossError(f"{folder}: not a dataset folder")
    if shutil.which("git") is None:
        raise GlossError("git-setup: git is not installed (no git on PATH)")
    inside = folder if folder.is_dir() else folder.parent
    top = _git(inside, "rev-parse", "--show-toplevel", what=f"{folder}: not in a git"
               " repository (clone the team's repository, or git init, first)")
    try:
        folder.mkdir(exist_ok=True)  # a new team's repository: the dataset comes next
    except OSError as exc:
        raise GlossError(f"{folder}: cannot make the dataset folder: {exc.strerror}") from exc
    _ensure_lines(folder / ".gitattributes", ATTRIBUTES)
    _ensure_lines(folder / ".gitignore", IGNORED)
    command = driver_command()
    _git(folder, "config", f"merge.{DRIVER}.name", "Gloss: span by span, as gloss merge")
    _git(folder, "config", f"merge.{DRIVER}.driver", command)
    lines = [f"{folder / '.gitattributes'}: article files and {LABELS_FILE} merge span by span"
             " (commit it)",
             f"{folder / '.gitignore'}: .locks/, .cache/, .tokens/ and temp files left out"
             " (commit it)",
             f"{top}: git runs {command} (this clone's config: run gloss git-setup again in"
             " each clone, and after moving this Python)"]
    if _git(folder, "ls-files", "--", ".locks", ".cache", ".tokens"):
        lines.append(f"note: files git-setup leaves out are tracked already: git rm -r"
                     f" --cached {shlex.quote(str(folder))}/.locks (and .cache, .tokens)")
    return lines


def _git(folder: Path, *args: str, what: str | None = None) -> str:
    try:
        done = subprocess.run(["git", "-C", str(folder), *args], capture_output=True,
                              text=True, check=False)
    except OSError as exc:
        raise GlossError(f"git-setup: cannot run git: {exc.strerror or exc}") from exc
    if done.returncode != 0:
        if what is not None:
            raise GlossError(what)
        why = (done.stderr.strip().splitlines() or ["failed"])[-1]
        raise GlossError(f"{folder}: git {' '.join(args[:2])}: {why}")
    return done.stdout.strip()


def _ensure_lines(path: Path, wanted: list[str]) -> None:
    """Add to the file the lines it lacks, leaving the others as they are."""
    try:
        old = read_bytes(path).decode("utf-8")
    except Missing:
        old = ""
    except NotReadable as exc:
        raise GlossError(f"{path}: cannot read: {exc}") from exc
    except UnicodeDecodeError as exc:
        raise GlossError(f"{path}: not UTF-8 text ({exc.reason}); left as it is") from exc
    have = set(old.splitlines())
    missing = [line for line in wanted if line not in have]
    if not missing:
        return
    text = old + ("\n" if old and not old.endswith("\n") else "") + "\n".join(missing) + "\n"
    write_atomic(path, text.encode())


# -- git-merge ---------------------------------------------------------------------------


def git_merge(base: Path, ours: Path, theirs: Path, name: str) -> None:
    """Merge THEIRS into OURS, knowing BASE; ``name`` is the file's path in the repository.
    Raises ``GlossError`` (OURS untouched) when it cannot."""
    path = Path(name)
    if path.name == LABELS_FILE:
        merged = _merge_label_files(base, ours, theirs, name)
    elif ARTICLE_FILE.match(path.name):
        merged = _merge_articles(base, ours, theirs, path)
    else:
        raise GlossError(f"{name}: not a Gloss article file or {LABELS_FILE}: merge it by"
                         " hand (git-merge left ours as it is)")
    try:  # git reads the result back and writes it itself: no need to make it durable
        temp = write_temp(ours, orjson.dumps(merged), fsync=False)
        try:
            os.replace(temp, ours)
        except OSError as exc:
            discard(temp)
            raise StorageError(f"{ours}: not written: {exc.strerror or exc}") from exc
    except StorageError as exc:
        raise GlossError(f"{name}: not merged: {exc} (git-merge left ours as it is)"
                         ) from exc


def _merge_articles(base: Path, ours: Path, theirs: Path, path: Path) -> dict[str, Any]:
    versions = [_article(file, side, path) for file, side in zip((base, ours, theirs), SIDES,
                                                                  strict=True)]
    first, mine, yours = versions
    assert mine is not None and yours is not None  # only BASE may be empty
    try:
        merged = merge_article(first, mine, yours, caps_of(_labels_beside(path)))
        read_article(path, merged)  # what is written must read back
    except GlossError as exc:
        raise GlossError(f"{path}: not merged: {exc} (git-merge left ours as it is)") from exc
    return merged


def _article(file: Path, side: str, path: Path) -> dict[str, Any] | None:
    data = _json(file, side, str(path))
    if data is NO_BASE:
        return None
    try:
        read_article(path, data)
    except CorruptFileError as exc:
        why = str(exc).removeprefix(f"{path}: ").removesuffix("; the file is left as it is")
        raise GlossError(f"{path}: {side}: {why} (git-merge left ours as it is)") from exc
    return data


NO_BASE = object()  # an empty common ancestor: git gives one when both sides added the file


def _json(file: Path, side: str, name: str) -> Any:
    """The parsed version, or ``NO_BASE``."""
    try:
        data = read_bytes(file)
    except NotReadable as exc:
        raise GlossError(f"{name}: {side}: cannot read {file}: {exc} (git-merge left ours"
                         " as it is)") from exc
    if not data.strip():
        if side == SIDES[0]:
            return NO_BASE
        raise GlossError(f"{name}: {side}: the file is empty (git-merge left ours as it is)")
    try:
        return orjson.loads(data)
    except (orjson.JSONDecodeError, UnicodeDecodeError) as exc:
        raise GlossError(f"{name}: {side}: not valid JSON ({exc}) (git-merge left ours as"
                         " it is)") from exc


def _merge_label_files(base: Path, ours: Path, theirs: Path, name: str) -> Any:
    first = _json(base, SIDES[0], name)  # checked like the others, though a union needs
    mine, yours = _json(ours, SIDES[1], name), _json(theirs, SIDES[2], name)  # only two
    try:
        if first is not NO_BASE:
            LabelSet.from_records(first)
        return merge_labels(mine, yours)
    except GlossError as exc:
        raise GlossError(f"{name}: not merged: {exc} (git-merge left ours as it is)"
                         ) from exc


def _labels_beside(path: Path) -> LabelSet:
    """The label set in the working tree beside the article (git runs the driver at the
    repository's top): its relation types cap links. The default set when it is missing
    or cannot be read: the merge does not depend on it being right."""
    try:
        data = orjson.loads(read_bytes(path.parent / LABELS_FILE))
        return LabelSet.from_records(data)
    except (OSError, orjson.JSONDecodeError, GlossError):
        return LabelSet.default()
