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

import orjson

from tui.core.corpus import InputError, Notes, RawArticle, read_csv, read_text_paths
from tui.core.dataset import Article, Dataset
from tui.core.model import GlossError
from tui.formats import brat, conll, doccano, labelstudio, prodigy, spacy_docbin

Reader = Callable[[Path, Notes], Iterator[RawArticle]]
Writer = Callable[[Iterable[Article], IO[bytes], Notes, str | None], int]
FolderWriter = Callable[[Iterable[Article], Path, Notes, str | None], int]


@dataclass(frozen=True, slots=True)
class Format:
    name: str
    description: str
    suffixes: tuple[str, ...]
    read: Reader | None = None
    write: Writer | None = None
    write_folder: FolderWriter | None = None  # writes a folder, not a stream (brat)
    binary: bool = False  # never to a terminal: needs -o


def _text(path: Path, notes: Notes) -> Iterator[RawArticle]:
    return read_text_paths(path)


def _csv(path: Path, notes: Notes) -> Iterator[RawArticle]:
    return read_csv(path, notes)


FORMATS: dict[str, Format] = {
    "jsonl": Format("jsonl", "Prodigy / spaCy JSONL: text, meta, tokens, spans (default)",
                    (".jsonl",), prodigy.read, prodigy.write),
    "doccano": Format("doccano", "doccano JSONL: label or entities/relations, UTF-16 offsets",
                      (), doccano.read, doccano.write),
    "brat": Format("brat", "brat standoff: a folder of .txt + .ann", (".ann",), brat.read,
                   write_folder=brat.write_folder),
    "conll": Format("conll", "CoNLL / IOB token files (IOB2 out; IOB1, BILOU in)",
                    (".conll", ".iob", ".iob2", ".bio", ".tsv"), conll.read, conll.write),
    "labelstudio": Format("labelstudio", "Label Studio JSON tasks, UTF-16 offsets", (".json",),
                          labelstudio.read, labelstudio.write),
    "spacy": Format("spacy", "spaCy DocBin (.spacy), with the spacy extra", (".spacy",),
                    write=spacy_docbin.write, binary=True),
    "text": Format("text", "plain .txt / .md articles, a file or a folder", (".txt", ".md"),
                   _text),
    "csv": Format("csv", "CSV with a 'text' column (and 'title')", (".csv",), _csv),
}
ALIASES = {"prodigy": "jsonl", "txt": "text", "md": "text", "iob": "conll",
           "label-studio": "labelstudio", "docbin": "spacy"}


def get(name: str) -> Format:
    name = ALIASES.get(name, name)
    if name not in FORMATS:
        raise InputError(name, f"unknown format (known: {', '.join(FORMATS)})")
    return FORMATS[name]


def detect(path: Path) -> Format:
    """The format of ``path``, by its extension and, where that is shared, its content."""
    if path.is_dir():
        return FORMATS["brat"] if any(path.rglob("*.ann")) else FORMATS["text"]
    suffix = path.suffix.lower()
    if suffix == ".txt" and path.with_suffix(".ann").exists():
        return FORMATS["brat"]
    if suffix in (".jsonl", ".json"):
        return _sniff_json(path)
    for fmt in FORMATS.values():
        if suffix in fmt.suffixes:
            return fmt
    raise InputError(str(path), "cannot tell the format from the name; use --format")


def _sniff_json(path: Path) -> Format:
    try:
        with path.open("rb") as handle:
            head = handle.read(1 << 16)
    except OSError as exc:
        raise InputError(str(path), exc.strerror or str(exc)) from exc
    if head.lstrip().startswith(b"["):
        return FORMATS["labelstudio"]
    first = next((line for line in head.splitlines() if line.strip()), b"")
    try:
        record = orjson.loads(first)
    except orjson.JSONDecodeError:
        return FORMATS["labelstudio"] if path.suffix == ".json" else FORMATS["jsonl"]
    if isinstance(record, dict):
        if labelstudio.sniff(record):
            return FORMATS["labelstudio"]
        if doccano.sniff(record):
            return FORMATS["doccano"]
    return FORMATS["jsonl"]


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


Progress = Callable[[Iterable[Article]], Iterable[Article]]


def export(dataset: Dataset, out: IO[bytes], name: str = "jsonl",
           annotator: str | None = None, progress: Progress | None = None) -> ExportReport:
    """Write every readable article; a broken file is reported, never half-exported."""
    fmt = get(name)
    if fmt.write is None:
        raise InputError(name, "this format is written to a folder: use -o DIR"
                         if fmt.write_folder else "Gloss can import this format, not export it")
    notes = Notes()
    unreadable: list[str] = []
    articles = dataset.readable(unreadable)
    count = fmt.write(progress(articles) if progress else articles, out, notes, annotator)
    return ExportReport(count, notes.lines(), unreadable)


def export_file(dataset: Dataset, path: Path, name: str = "jsonl",
                annotator: str | None = None, progress: Progress | None = None
                ) -> ExportReport:
    """Export to ``path`` (a folder for brat), which appears whole or not at all."""
    fmt = get(name)
    if fmt.write_folder is not None:
        notes = Notes()
        unreadable: list[str] = []
        articles = dataset.readable(unreadable)
        try:
            count = fmt.write_folder(progress(articles) if progress else articles, path,
                                     notes, annotator)
        except OSError as exc:
            raise GlossError(f"{path}: not written: {exc.strerror or exc}") from exc
        return ExportReport(count, notes.lines(), unreadable)
    try:
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise GlossError(f"{path}: cannot write: {exc.strerror or exc}") from exc
    try:
        with os.fdopen(fd, "wb") as handle:
            report = export(dataset, handle, name, annotator, progress)
        os.replace(temp, path)
    except OSError as exc:
        raise GlossError(f"{path}: not written: {exc.strerror or exc}") from exc
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temp)
    return report
