"""Interchange formats: one module a format, all behind this registry.

A reader turns a path into :class:`~tui.core.corpus.RawArticle`s; a writer turns the
dataset's articles into bytes. Offsets are code points inside Gloss; a format that counts
otherwise converts at its own boundary.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from tui.core.corpus import InputError, Notes, RawArticle, read_csv, read_text_paths
from tui.core.dataset import Article, Dataset
from tui.core.model import GlossError
from tui.formats import prodigy

Reader = Callable[[Path, Notes], Iterator[RawArticle]]
Writer = Callable[[Iterable[Article], IO[bytes], Notes, str | None], int]


@dataclass(frozen=True, slots=True)
class Format:
    name: str
    description: str
    suffixes: tuple[str, ...]
    read: Reader | None = None
    write: Writer | None = None


def _text(path: Path, notes: Notes) -> Iterator[RawArticle]:
    return read_text_paths(path)


def _csv(path: Path, notes: Notes) -> Iterator[RawArticle]:
    return read_csv(path)


FORMATS: dict[str, Format] = {
    "jsonl": Format("jsonl", "Prodigy / spaCy JSONL: text, meta, tokens, spans",
                    (".jsonl", ".json"), prodigy.read, prodigy.write),
    "text": Format("text", "plain .txt / .md articles, a file or a folder", (".txt", ".md"),
                   _text),
    "csv": Format("csv", "CSV with a 'text' column (and 'title')", (".csv",), _csv),
}
ALIASES = {"prodigy": "jsonl", "spacy": "jsonl", "txt": "text", "md": "text"}


def get(name: str) -> Format:
    name = ALIASES.get(name, name)
    if name not in FORMATS:
        raise InputError(name, f"unknown format (known: {', '.join(FORMATS)})")
    return FORMATS[name]


def detect(path: Path) -> Format:
    """The format of ``path`` by its extension; a folder is read as text articles."""
    if path.is_dir():
        return FORMATS["text"]
    for fmt in FORMATS.values():
        if path.suffix.lower() in fmt.suffixes:
            return fmt
    raise InputError(str(path), "cannot tell the format from the name; use --format")


def read(path: Path, name: str, notes: Notes) -> Iterator[RawArticle]:
    if not path.exists():
        raise InputError(str(path), "no such file or folder")
    fmt = detect(path) if name == "auto" else get(name)
    if fmt.read is None:
        raise InputError(str(path), f"Gloss can export {fmt.name} but not import it")
    return fmt.read(path, notes)


@dataclass(slots=True)
class ExportReport:
    articles: int
    warnings: list[str]
    unreadable: list[str]


def export(dataset: Dataset, out: IO[bytes], name: str = "jsonl",
           annotator: str | None = None) -> ExportReport:
    """Write every readable article; a broken file is reported, never half-exported."""
    fmt = get(name)
    if fmt.write is None:
        raise InputError(name, "Gloss can import this format but not export it")
    notes = Notes()
    unreadable: list[str] = []

    def articles() -> Iterator[Article]:
        for item in dataset.articles():
            if isinstance(item, Article):
                yield item
            else:
                unreadable.append(str(item))

    count = fmt.write(articles(), out, notes, annotator)
    return ExportReport(count, notes.lines(), unreadable)


def export_file(dataset: Dataset, path: Path, name: str = "jsonl",
                annotator: str | None = None) -> ExportReport:
    """Export to ``path``, which appears whole or not at all."""
    try:
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise GlossError(f"{path}: cannot write: {exc.strerror or exc}") from exc
    try:
        with os.fdopen(fd, "wb") as handle:
            report = export(dataset, handle, name, annotator)
        os.replace(temp, path)
    except OSError as exc:
        raise GlossError(f"{path}: not written: {exc.strerror or exc}") from exc
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temp)
    return report
