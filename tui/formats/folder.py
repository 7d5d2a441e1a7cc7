"""Importing a folder: every file whose format can be told, each by its own reader.

``gloss import DIR`` walks the folder (every level down; hidden files and folders aside,
as a file manager hides them) and reads each file in the format its name and content
give: brat pairs (``x.ann`` with its ``x.txt``), plain ``.txt`` / ``.md`` articles, JSONL
(Prodigy or doccano), Label Studio JSON, CSV with a ``text`` column, CoNLL. A file that is
none of these (a PDF, a README, a CSV of other data, JSON that holds no articles) is
left out and named with the reason, for the command to print; a file of a known format
that is broken stops the import as it would alone (all or nothing). A folder with nothing
to import is refused in one line. With ``--format X`` only the files named as X are read.
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Protocol

import orjson

from tui.core.disk.files import NotReadable, open_binary
from tui.core.store.corpus import InputError, Notes, RawArticle, files_under, read_input


class Format(Protocol):
    """What this module reads of a format of the registry (``tui/interchange.py``,
    which imports this module: so named here, not imported back)."""

    @property
    def name(self) -> str: ...
    @property
    def suffixes(self) -> tuple[str, ...]: ...
    @property
    def read(self) -> Callable[[Path, Notes], Iterator[RawArticle]] | None: ...

CANNOT_TELL = "cannot tell the format from the name"
NOT_ARTICLES = ("README", "SOURCES", "LICENSE", "LICENCE", "CHANGELOG", "NOTICE")
_ARTICLE_FILE = re.compile(r"^[0-9a-f]{16}\.json$")


def read_folder(folder: Path, notes: Notes, formats: dict[str, Format],
                tell: Callable[[Path], Format], only: Format | None = None
                ) -> Iterator[RawArticle]:
    """The articles of every file of ``folder`` that ``tell`` (or ``only``'s names) gives a
    format; the others go to ``notes.files_skipped`` with the reason."""
    if _is_dataset(folder):
        raise InputError(str(folder), "a Gloss dataset: bring it into another with"
                                      " gloss merge")
    files = files_under(folder, None)
    paired = {f.with_suffix(".txt") for f in files if f.suffix.lower() == ".ann"}
    plan: list[tuple[Path, Format]] = []
    for file in files:
        if file in paired:
            continue  # read with its .ann
        if only is not None:
            kind: Format | str = only if file.suffix.lower() in _names_of(only) else \
                f"not a {only.name} file by its name"
        else:
            kind = _kind(file, formats, tell)
        if isinstance(kind, str):
            notes.skip_file(str(file), kind)
        else:
            plan.append((file, kind))
    if not plan:
        what = f"no {only.name} file" if only is not None else "no file Gloss can import"
        raise InputError(str(folder), f"{what} in the folder" + (
            f" ({len(notes.files_skipped)} left out; the first: "
            f"{notes.files_skipped[0]})" if notes.files_skipped else ""))
    for file, fmt in plan:
        assert fmt.read is not None
        yield from fmt.read(file, notes)


def _names_of(fmt: Format) -> tuple[str, ...]:
    """The file names a format is read from when it is given with --format."""
    return (".jsonl",) if fmt.name == "doccano" else fmt.suffixes


def _kind(file: Path, formats: dict[str, Format], tell: Callable[[Path], Format]
          ) -> Format | str:
    """The format to read ``file`` in, or why it is left out."""
    suffix = file.suffix.lower()
    if file.stem.upper() in NOT_ARTICLES and suffix in ("", ".txt", ".md"):
        return "a README or licence, not an article"
    if suffix == ".conf":
        return "a settings file (brat's), not an article"
    try:
        fmt = tell(file)
    except InputError as exc:
        if not exc.reason.startswith(CANNOT_TELL):
            raise  # a file of a known name that cannot be read: bad input, as alone
        return CANNOT_TELL
    if fmt.read is None:
        return f"Gloss writes {fmt.name} files but does not read them"
    if suffix in (".json", ".jsonl"):
        return _json_records(file, fmt, formats)
    if fmt.name == "csv":
        return _csv_with_text(file, fmt)
    return fmt


def _json_records(file: Path, fmt: Format, formats: dict[str, Format]) -> Format | str:
    """``fmt`` when the JSON file holds articles (records with a text, or Label Studio
    tasks); the reason when it holds something else (patterns, settings). A file that
    does not parse is read, so that its reader names what is wrong."""
    try:
        if file.suffix.lower() == ".json":
            data = orjson.loads(read_input(file))
            first = data[0] if isinstance(data, list) and data else data
        else:
            first = orjson.loads(_first_line(file))
    except (InputError, orjson.JSONDecodeError):
        return fmt
    if isinstance(first, list) and not first:
        return fmt  # an empty list of tasks
    if isinstance(first, dict) and (isinstance(first.get("data"), dict)
                                    or isinstance(first.get("text"), str)):
        if fmt.name == "labelstudio" and not isinstance(first.get("data"), dict):
            return "JSON records with a text but not in a list of Label Studio tasks"
        return fmt
    return "JSON that holds no articles (no 'text' or Label Studio 'data')"


def _first_line(file: Path) -> bytes:
    try:
        with open_binary(file) as handle:
            for line in handle:
                if line.strip():
                    return line
    except NotReadable as exc:
        raise InputError(str(file), str(exc)) from exc
    return b""


def _csv_with_text(file: Path, fmt: Format) -> Format | str:
    try:
        head = _first_line(file).decode("utf-8").removeprefix("\ufeff")
        columns = next(csv.reader(io.StringIO(head)), [])
    except (InputError, UnicodeDecodeError, csv.Error):
        return fmt  # its reader says what is wrong
    return fmt if "text" in columns else "a CSV without a 'text' column"


def _is_dataset(folder: Path) -> bool:
    """Does ``folder`` look like a Gloss dataset: article files (and perhaps its label
    file), and no other JSON?"""
    try:
        names = [n for n in os.listdir(folder) if n.lower().endswith(".json")]
    except OSError:
        return False
    articles = sum(1 for n in names if _ARTICLE_FILE.match(n))
    return articles > 0 and articles + ("labels.json" in names) == len(names)
