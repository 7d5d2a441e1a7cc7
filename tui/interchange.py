"""The registry of the interchange formats (``tui/formats/``, one module a format), and the
import and export built on them.

A reader turns a path into :class:`~tui.core.store.corpus.RawArticle`s; a writer turns the
dataset's articles into bytes. Offsets are code points inside Gloss; a format that counts
otherwise converts at its own boundary.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TypeVar

import orjson

from tui.core.disk.output import FolderOutput, open_output
from tui.core.disk.token_cache import TOKENIZED
from tui.core.document.model import LabelSet
from tui.core.store.corpus import (
    InputError,
    Notes,
    RawArticle,
    files_under,
    open_input,
    read_csv,
    read_text_paths,
)
from tui.core.store.dataset import Article, Dataset
from tui.core.store.export_selection import Choice, nothing_reviewed, select
from tui.formats import (
    brat,
    claims,
    conll,
    doccano,
    in_two,
    labelstudio,
    parquet,
    prodigy,
    spacy_docbin,
)

Reader = Callable[[Path, Notes], Iterator[RawArticle]]
Writer = Callable[[Iterable[Article], IO[bytes], Notes, str | None], int]
FolderWriter = Callable[[Iterable[Article], Path, Notes, str | None], int]
T = TypeVar("T")
ClaimsWriter = Callable[[Iterable[Article], IO[bytes], Notes, str | None, LabelSet], int]


@dataclass(frozen=True, slots=True)
class Format:
    name: str
    description: str
    suffixes: tuple[str, ...]
    read: Reader | None = None
    write: Writer | None = None
    write_folder: FolderWriter | None = None  # writes a folder, not a stream (brat)
    binary: bool = False  # never to a terminal: needs -o
    # needs the label set: its relation types (claims), its attribute types (Label Studio)
    write_claims: ClaimsWriter | None = None
    keeps_skipped: bool = False  # can say an article was skipped (Prodigy's ignore)
    one_version: bool = True  # a record holds one version (Prodigy: a line an analyst,
    # Label Studio: an annotation an analyst)
    whole: bool = False  # written from every article as it is (its rejected suggestions),
    # not from the work an export chooses
    unit: str = "article"  # what the writer counts: article, line (one an analyst), claim...


def _text(path: Path, notes: Notes) -> Iterator[RawArticle]:
    return read_text_paths(path)


def _csv(path: Path, notes: Notes) -> Iterator[RawArticle]:
    return read_csv(path, notes)


FORMATS: dict[str, Format] = {
    "jsonl": Format("jsonl", "Prodigy / spaCy JSONL: text, meta, tokens, spans (default)",
                    (".jsonl",), prodigy.read, prodigy.write, keeps_skipped=True,
                    one_version=False, unit="line"),
    "doccano": Format("doccano", "doccano JSONL: label or entities/relations, UTF-16 offsets",
                      (), doccano.read, doccano.write),
    "brat": Format("brat", "brat standoff: a folder of .txt + .ann", (".ann",), brat.read,
                   write_folder=brat.write_folder),
    "conll": Format("conll", "CoNLL / IOB token files (IOB2 out; IOB1, BILOU in)",
                    (".conll", ".conllu", ".iob", ".iob2", ".bio", ".tsv"), conll.read,
                    conll.write),
    "labelstudio": Format("labelstudio", "Label Studio JSON tasks (and --config)", (".json",),
                          labelstudio.read, write_claims=labelstudio.write,
                          keeps_skipped=True, one_version=False),
    "spacy": Format("spacy", "spaCy DocBin (.spacy), with the spacy extra", (".spacy",),
                    write=spacy_docbin.write, binary=True),
    "parquet": Format("parquet", "Apache Parquet: a folder of spans.parquet and"
                      " articles.parquet, with the parquet extra", (".parquet",),
                      write_folder=parquet.write_folder, keeps_skipped=True,
                      one_version=False),
    "claims": Format("claims", "one JSONL line per claim: source, places, sentence (export"
                     " only)", (), write_claims=claims.write, unit="claim"),
    "rejected": Format("rejected", "Prodigy JSONL of the rejected suggestions, answer reject"
                       " (export only)", (), write=prodigy.rejected, whole=True,
                       unit="rejected suggestion"),
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
        return FORMATS["brat"] if files_under(path, (".ann",)) else FORMATS["text"]
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
    """Label Studio (a JSON list), doccano or Prodigy, by the first record: read whole,
    however long its line, so that a long first article is not taken for another
    format."""
    with open_input(path) as handle:
        first = b""
        for line in handle:
            if line.strip():
                first = line
                break
    if first.lstrip().startswith(b"["):
        return FORMATS["labelstudio"]
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
    if not path.exists() and not path.is_symlink():
        raise InputError(str(path), "no such file or folder")
    fmt = None if name == "auto" else get(name)
    if fmt is not None and fmt.read is None:
        raise InputError(str(path), f"Gloss can export {fmt.name} but not import it")
    if path.is_dir() and (fmt is None or fmt.name not in ("text", "brat")):
        from tui.formats.folder import read_folder

        return read_folder(path, notes, FORMATS, detect, fmt)
    fmt = fmt or detect(path)
    if fmt.read is None:
        raise InputError(str(path), f"Gloss can export {fmt.name} but not import it")
    return fmt.read(path, notes)


@dataclass(slots=True)
class ExportReport:
    articles: int  # written (claims: read for their claims)
    warnings: list[str]
    unreadable: list[str]
    written: int = -1  # what the writer counts (its format's ``unit``); -1: the articles
    unit: str = "article"
    tokenized: int = 0  # articles the export tokenized, none kept for them (jsonl)

    def summary(self, reviewed: bool = False) -> str:
        """The line that says what was exported, true for every format."""
        what = _count(self.articles, "reviewed article" if reviewed else "article")
        if self.unit == "line":
            return f"exported {what}" + (f" ({self.written:,} lines: one an analyst)" if
                                         self.written not in (-1, self.articles) else "")
        if self.unit == "article":
            return f"exported {what}"
        if not self.written:  # claims, rejected suggestions: none is not "389 articles"
            return (f"exported no {self.unit}s: none in the {what} read" if self.articles
                    else f"exported no {self.unit}s: no article to read") + "; nothing written"
        return f"exported {_count(self.written, self.unit)} from {what}"


def _count(n: int, what: str) -> str:
    return f"{n:,} {what}{'' if n == 1 else 's'}"


class _Counted:
    """The articles a writer is given, counted as it takes them."""

    def __init__(self, articles: Iterable[Article]) -> None:
        self.articles = articles
        self.count = 0

    def __iter__(self) -> Iterator[Article]:
        for article in self.articles:
            self.count += 1
            yield article


Progress = Callable[[Iterable[Article]], Iterable[Article]]


def export(dataset: Dataset, out: IO[bytes], name: str = "jsonl",
           annotator: str | None = None, progress: Progress | None = None, *,
           choice: Choice | None = None) -> ExportReport:
    """Write the articles ``choice`` asks for (by default every one somebody opened); a
    broken file is reported, never half-exported."""
    fmt = get(name)
    notes = Notes()
    unreadable: list[str] = []
    if fmt.whole and fmt.write is not None:
        articles: Iterable[Article] = dataset.readable(unreadable)
        every = _Counted(progress(articles) if progress else articles)
        count = fmt.write(every, out, notes, (choice or Choice(annotator)).annotator)
        return _report(every.count, notes, unreadable, count, fmt.unit)
    choice = choice or Choice(annotator)
    if fmt.name == "jsonl" and fmt.write is not None:
        scan = dataset.index.scan(dataset, None)
        order = [found.id for found in scan]
        if in_two.usable(out, len(order), choice):  # both cores, the same bytes
            unreadable += scan.problems
            result = in_two.Result(notes, unreadable)
            in_two.export(dataset, order, out, fmt.write, choice, result, progress,
                          keeps_skipped=fmt.keeps_skipped, one_version=fmt.one_version)
            return _report(result.articles, notes, unreadable, result.lines, fmt.unit)
    shown = _Counted(_chosen(dataset, fmt, choice, notes, unreadable, progress))
    annotator = None  # the chosen articles hold only the work to export
    if fmt.write_claims is not None:
        count = fmt.write_claims(shown, out, notes, annotator, dataset.labels)
    elif fmt.write is not None:
        count = fmt.write(shown, out, notes, annotator)
    else:
        raise InputError(name, "this format is written to a folder: use -o DIR"
                         if fmt.write_folder else "Gloss can import this format, not export it")
    return _report(shown.count, notes, unreadable, count, fmt.unit)


def _report(articles: int, notes: Notes, unreadable: list[str], written: int, unit: str
            ) -> ExportReport:
    """What an export says at the end; the articles it tokenized (no tokens kept for
    them) apart from the warnings."""
    tokenized = notes.counts.pop(TOKENIZED, 0)
    return ExportReport(articles, notes.lines(), unreadable, written, unit, tokenized)


def _chosen(dataset: Dataset, fmt: Format, choice: Choice, notes: Notes,
            unreadable: list[str], progress: Progress | None) -> Iterable[Article]:
    """The articles to write, each with the work to export; ``--reviewed`` over a dataset
    with nothing reviewed is refused before a byte is written."""
    articles: Iterable[Article] = dataset.readable(unreadable)
    if progress is not None:
        articles = progress(articles)
    chosen = select(articles, choice, notes, keeps_skipped=fmt.keeps_skipped,
                    one_version=fmt.one_version)
    if not choice.reviewed:
        return chosen
    first = next(chosen, None)
    if first is None:
        if not unreadable:  # a broken file may hold the review: that is said instead
            raise nothing_reviewed(dataset.folder, choice, notes)
        return []
    return itertools.chain([first], chosen)


def export_file(dataset: Dataset, path: Path, name: str = "jsonl",
                annotator: str | None = None, progress: Progress | None = None, *,
                choice: Choice | None = None, wait: bool = True) -> ExportReport:
    """Export to ``path`` (a folder for brat): a new or regular file appears whole or not at
    all, a pipe or a device is written into, and nothing of the dataset is ever written
    over (``tui/core/disk/output.py``). ``wait``: wait for a reader of a named pipe."""
    fmt = get(name)
    if fmt.write_folder is not None:
        return _export_folder(dataset, path, fmt, choice or Choice(annotator), progress)
    return write_file(path, lambda handle: export(dataset, handle, name, annotator, progress,
                                                  choice=choice),
                      dataset.folder, wait=wait, binary=fmt.binary)


def write_file(path: Path, write: Callable[[IO[bytes]], T], dataset: Path | None = None,
               *, wait: bool = True, binary: bool = False) -> T:
    """Call ``write`` with what ``path`` names opened for writing, never over it and never
    inside the ``dataset`` folder (``tui/core/disk/output.py``): a new or regular file appears
    whole or not at all, a pipe or a device is written into."""
    with open_output(path, dataset, wait=wait, binary=binary) as handle:
        return write(handle)


def _export_folder(dataset: Dataset, path: Path, fmt: Format, choice: Choice,
                   progress: Progress | None) -> ExportReport:
    assert fmt.write_folder is not None
    target = FolderOutput(path, dataset.folder, fmt.name)  # refused before anything is read
    notes = Notes()
    unreadable: list[str] = []
    articles = _chosen(dataset, fmt, choice, notes, unreadable, progress)
    with target as temp:
        count = fmt.write_folder(articles, temp, notes, None)
    warnings = notes.lines()
    if target.kept is not None:
        warnings.append(f"{target.kept} kept: files appeared in {path} while it was"
                        " written, and Gloss removes only what it wrote")
    return ExportReport(count, warnings, unreadable)
