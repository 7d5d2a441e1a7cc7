"""Reading articles: plain .txt/.md files and folders, CSV, and the import pipeline.

Every reader yields :class:`RawArticle`s, the text as found plus spans as the source gave
them. :func:`prepare` normalises the text, moves the offsets onto the normalised text and
checks them; :func:`import_articles` checks *every* record before it writes anything, so a
bad line leaves the dataset as it was.
"""

from __future__ import annotations

import csv
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from tui.core.dataset import Dataset, ImportResult
from tui.core.model import (
    Document,
    GlossError,
    OffsetError,
    Relation,
    Span,
    check_offsets,
    now,
)
from tui.core.text import normalise

TEXT_SUFFIXES = (".txt", ".md")


class InputError(GlossError):
    """Bad input: the message is ``file:line: reason``."""

    def __init__(self, where: str, reason: str) -> None:
        super().__init__(f"{where}: {reason}")
        self.where = where
        self.reason = reason


@dataclass(slots=True)
class RawArticle:
    """One article as a source gave it. Span offsets are code points into ``text`` (a
    format that counts otherwise converts before this). A relation names its spans by
    their index in ``spans``: ``{"head": 0, "child": 2, "label": "Located"}``."""

    text: str
    meta: dict[str, Any]
    where: str
    spans: list[dict[str, Any]] = field(default_factory=list)
    relations: list[dict[str, Any]] = field(default_factory=list)


def json_lines(path: Path, notes: Notes) -> Iterator[tuple[str, dict[str, Any]]]:
    """Each JSON object of a JSONL file with its ``file:line``; a bad line is rejected."""
    try:
        handle = path.open("rb")
    except OSError as exc:
        raise InputError(str(path), exc.strerror or str(exc)) from exc
    with handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            where = f"{path}:{number}"
            try:
                record = orjson.loads(line)
            except orjson.JSONDecodeError as exc:
                notes.reject(InputError(where, f"not valid JSON ({exc.msg})"))
                continue
            if not isinstance(record, dict):
                notes.reject(InputError(where, "each line must be a JSON object"))
                continue
            yield where, record


def read_text_file(path: Path) -> RawArticle:
    try:
        raw = path.read_bytes()
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(str(path), f"not UTF-8 text (byte {exc.start})") from exc
    except OSError as exc:
        raise InputError(str(path), exc.strerror or str(exc)) from exc
    if not text.strip():
        raise InputError(str(path), "the file is empty")
    return RawArticle(text, {"source": path.name}, str(path))


def text_files(path: Path) -> list[Path]:
    if path.is_dir():
        return sorted(p for p in path.rglob("*") if p.suffix.lower() in TEXT_SUFFIXES
                      and p.is_file() and not p.name.startswith(".")
                      and p.name.upper() not in ("README.MD", "SOURCES.MD"))
    return [path]


def read_text_paths(path: Path) -> Iterator[RawArticle]:
    for file in text_files(path):
        yield read_text_file(file)


def read_csv(path: Path, notes: Notes | None = None) -> Iterator[RawArticle]:
    """A CSV with a ``text`` column; ``title`` and every other column go into ``meta``."""
    csv.field_size_limit(sys.maxsize)
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise InputError(str(path), exc.strerror or str(exc)) from exc
    with handle:
        try:
            reader = csv.DictReader(handle)
            if reader.fieldnames is None or "text" not in reader.fieldnames:
                raise InputError(f"{path}:1", f"no 'text' column (columns: "
                                 f"{', '.join(reader.fieldnames or [])})")
            for row in reader:
                where = f"{path}:{reader.line_num}"
                if None in row or not (row.get("text") or "").strip():
                    error = InputError(where, "more fields than the header has" if None in row
                                       else "empty text")
                    if notes is None:
                        raise error
                    notes.reject(error)
                    continue
                text = row.pop("text")
                meta = {k: v for k, v in row.items() if v not in (None, "")}
                meta.setdefault("source", path.name)
                yield RawArticle(text, meta, where)
        except csv.Error as exc:
            raise InputError(f"{path}:{reader.line_num}", f"malformed CSV ({exc})") from exc
        except UnicodeDecodeError as exc:
            raise InputError(str(path), f"not UTF-8 text (byte {exc.start})") from exc


def prepare(raw: RawArticle, annotator: str, source: str
            ) -> tuple[Document, list[Span], list[Relation]]:
    """The stored document and checked spans of one record, or an :class:`InputError`."""
    text = normalise(raw.text)
    if not text.strip():
        raise InputError(raw.where, "empty text")
    spans: list[Span] = []
    stamp = now()
    for i, item in enumerate(raw.spans):
        where = f"{raw.where}: span {i + 1}"
        if not isinstance(item, dict):
            raise InputError(where, f"a span must be an object, got {item!r}")
        label = item.get("label")
        if not isinstance(label, str) or not label.strip():
            raise InputError(where, "a span needs a label")
        start, end = item.get("start"), item.get("end")
        if isinstance(start, bool) or isinstance(end, bool):
            start = end = None
        try:
            check_offsets(raw.text, start, end)  # type: ignore[arg-type]
            if raw.text is not text:  # normalising changed the text: offsets move with it
                start, end = _moved(raw.text, start), _moved(raw.text, end)  # type: ignore[arg-type]
                check_offsets(text, start, end)
        except OffsetError as exc:
            raise InputError(where, str(exc)) from exc
        quoted = item.get("text")
        if isinstance(quoted, str) and normalise(quoted) != text[start:end]:
            raise InputError(where, f"span {item.get('start')}-{item.get('end')} reads "
                                    f"{text[start:end]!r}, the record says {quoted!r}")
        times = {k: str(item[k]) for k in ("id", "created", "updated") if item.get(k)}
        times.setdefault("created", stamp)
        times.setdefault("updated", times["created"])
        spans.append(Span(start, end, label.strip(), text[start:end],
                          str(item.get("annotator") or annotator),
                          str(item.get("source") or source), **times))
    relations = []
    for i, item in enumerate(raw.relations):
        where = f"{raw.where}: relation {i + 1}"
        head, child, label = item.get("head"), item.get("child"), item.get("label")
        if not (isinstance(head, int) and isinstance(child, int)
                and 0 <= head < len(spans) and 0 <= child < len(spans)):
            raise InputError(where, "it names a span that is not in the record")
        if not isinstance(label, str) or not label:
            raise InputError(where, "a relation needs a label")
        relations.append(Relation(spans[head].id, spans[child].id, label,
                                  str(item.get("annotator") or annotator)))
    return Document.from_text(text, raw.meta), spans, relations


def _moved(raw: str, offset: int) -> int:
    """Where an offset into the source text lands in its normalised text."""
    return len(normalise(raw[:offset]))


def import_articles(dataset: Dataset, raws: Iterable[RawArticle], source: str,
                    strict_labels: bool = False, skipped: list[str] | None = None
                    ) -> ImportResult:
    """Check every record, then write: records sharing a text become one article.

    A bad record stops the import before anything is written, unless ``skipped`` is given:
    then it is left out and its one-line reason appended there (``--skip-invalid``).
    """
    merged: dict[str, tuple[Document, list[Span], list[Relation]]] = {}
    for raw in raws:
        try:
            document, spans, relations = prepare(raw, dataset.annotator, source)
        except InputError as exc:
            if skipped is None:
                raise
            skipped.append(str(exc))
            continue
        if document.id in merged:
            merged[document.id][1].extend(spans)
            merged[document.id][2].extend(relations)
        else:
            merged[document.id] = (document, spans, relations)
    labels = [s.label for _, spans, _ in merged.values() for s in spans]
    unknown = [name for name in dict.fromkeys(labels) if dataset.labels.get(name) is None]
    if strict_labels and unknown:
        raise InputError(source, f"labels not in the label set: {', '.join(unknown)}"
                         " (drop --strict-labels to add them)")
    result = ImportResult(labels_added=dataset.ensure_labels(unknown) if unknown else [],
                          ids=list(merged))
    for is_new, added in dataset.add_articles(merged.values()):
        result.articles_added += is_new
        result.articles_merged += (not is_new) and added > 0
        result.spans_added += added
    return result


class Notes:
    """What a reader or writer skipped or could not represent, counted, for one summary
    line each; and, under ``--skip-invalid``, the bad records it set aside."""

    def __init__(self, skip_invalid: bool = False) -> None:
        self.counts: dict[str, int] = {}
        self.skip_invalid = skip_invalid
        self.skipped: list[str] = []

    def add(self, what: str, n: int = 1) -> None:
        self.counts[what] = self.counts.get(what, 0) + n

    def reject(self, error: InputError) -> None:
        """A bad record: stop the import, or (skipping invalid records) set it aside."""
        if not self.skip_invalid:
            raise error
        self.skipped.append(str(error))

    def lines(self) -> list[str]:
        return [f"{n} {what}" for what, n in self.counts.items()]
