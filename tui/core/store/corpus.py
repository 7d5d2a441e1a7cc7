"""Reading articles: plain .txt/.md files and folders, CSV, and the import pipeline.

Every reader yields :class:`RawArticle`s, the text as found plus spans as the source gave
them. :func:`prepare` normalises the text, moves the offsets onto the normalised text and
checks them; :func:`import_articles` stages each record as it is read and puts nothing in
place unless every record is good, so a bad line leaves the dataset as it was.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import os
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import IO, Any

import orjson

from tui.core.disk.article_file import Item
from tui.core.disk.files import NotReadable, open_binary, read_bytes, reason
from tui.core.document.depth import TOO_DEEP, deeper_than, json_problem
from tui.core.document.model import (
    ORIGINS,
    TYPED,
    Document,
    GlossError,
    OffsetError,
    Relation,
    Span,
    check_offsets,
    label_problem,
    new_id,
    now,
)
from tui.core.language.text import is_grapheme_boundary, normalise, normalise_body
from tui.core.store.dataset import Dataset, ImportResult

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
    their index in ``spans``: ``{"head": 0, "child": 2, "label": "Located"}``. A format
    that says what an analyst decided (Prodigy's answer, Label Studio's cancelled and
    ground-truth annotations) gives ``statuses``: analyst ("" for the one importing) to
    done, skipped or reviewed."""

    text: str
    meta: dict[str, Any]
    where: str
    spans: list[dict[str, Any]] = field(default_factory=list)
    relations: list[dict[str, Any]] = field(default_factory=list)
    statuses: dict[str, str] = field(default_factory=dict)


def json_lines(path: Path, notes: Notes) -> Iterator[tuple[str, dict[str, Any]]]:
    """Each JSON object of a JSONL file with its ``file:line``; a bad line is rejected."""
    with open_input(path) as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            where = f"{path}:{number}"
            try:
                record = orjson.loads(line)
            except orjson.JSONDecodeError as exc:
                notes.reject(InputError(where, json_problem(exc.msg)))
                continue
            if not isinstance(record, dict):
                notes.reject(InputError(where, "each line must be a JSON object"))
                continue
            yield where, record


def json_type(value: Any) -> str:
    """How a JSON value is named in an error: "a number", "a list", ..."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    return "a list" if isinstance(value, list) else "an object"


def list_field(record: dict[str, Any], key: str, where: str, notes: Notes) -> list[Any]:
    """``record[key]`` as a list (absent or null: empty); another type is rejected."""
    value = record.get(key)
    if value is None:
        return []
    if isinstance(value, list):
        return value
    notes.reject(InputError(where, f"'{key}' must be a list, not {json_type(value)}"))
    return []


def object_field(record: dict[str, Any], key: str, where: str, notes: Notes
                 ) -> dict[str, Any]:
    """``record[key]`` as an object (absent or null: empty); another type is rejected."""
    value = record.get(key)
    if value is None:
        return {}
    if isinstance(value, dict):
        return dict(value)
    notes.reject(InputError(where, f"'{key}' must be an object, not {json_type(value)}"))
    return {}


def is_id(value: Any) -> bool:
    """Can ``value`` name a span or a record (text or a whole number, not true/false)?"""
    return isinstance(value, str) or (isinstance(value, int) and not isinstance(value, bool))


def open_input(path: Path) -> IO[bytes]:
    """A regular file to read, or the one-line reason why not (never waits on a FIFO)."""
    try:
        return open_binary(path)
    except NotReadable as exc:
        raise InputError(str(path), str(exc)) from exc


def read_input(path: Path) -> bytes:
    try:
        return read_bytes(path)
    except NotReadable as exc:
        raise InputError(str(path), str(exc)) from exc


def decode(data: bytes, where: str) -> str:
    """UTF-8 text (a BOM is dropped later, by normalising), or where it is not."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(where, f"not UTF-8 text (byte {exc.start})") from None


def text_lines(path: Path) -> Iterator[str]:
    """The lines of a UTF-8 text file, each with its end (``\\n``, ``\\r\\n`` or ``\\r``, as
    ``io.StringIO(text, newline="")`` gives them): :func:`text_blocks`' lines."""
    for block in text_blocks(path):
        yield from io.StringIO(block, newline="")


def text_blocks(path: Path) -> Iterator[str]:
    """A UTF-8 text file decoded about :data:`READ` bytes at a time, each block ending at
    a line end (never between a CR and its LF) but the last, a BOM dropped: never held
    whole (a CSV or CoNLL file of a million articles). The file is read twice: first only
    to check that it is UTF-8, so that a bad byte stops the reader before any text is
    given, as decoding the file whole did (an ``InputError``)."""
    for _block in _decoded(path):
        pass
    first = True
    for block in _decoded(path):
        if first:
            block, first = block.removeprefix("\ufeff"), False
        if block:
            yield block


def _decoded(path: Path) -> Iterator[str]:
    offset = 0  # bytes before the block
    for data in _binary_blocks(path):
        try:
            yield data.decode("utf-8")
        except UnicodeDecodeError as exc:  # no CR or LF is inside a UTF-8 sequence
            raise InputError(str(path), f"not UTF-8 text (byte {offset + exc.start})"
                             ) from None
        offset += len(data)


def _binary_blocks(path: Path) -> Iterator[bytes]:
    with open_input(path) as handle:
        held = b""
        while chunk := handle.read(READ):
            data = held + chunk
            # cut after the last LF, or a CR known not to be followed by one
            cut = max(data.rfind(b"\n"), data.rfind(b"\r", 0, len(data) - 1)) + 1
            if cut:
                yield data[:cut]
            held = data[cut:]
        if held:
            yield held


READ = 1 << 20  # bytes read at a time


def json_array_items(path: Path) -> Iterator[Any]:
    """The items of a JSON file, each as ``orjson.loads`` gives it: a file holding one
    array is read a megabyte at a time and each item parsed as it is reached (a Label
    Studio export of a million tasks), never held whole; any other file (one object) is
    read whole, as is one that does not parse as it goes, to raise ``orjson``'s own
    error (``orjson.JSONDecodeError``) and go on from where the items stopped."""
    given = 0
    try:
        for item in _array_items(path):
            yield item
            given += 1
    except _Whole:
        data = orjson.loads(read_input(path))
        yield from (data if isinstance(data, list) else [data])[given:]


_AFTER = (" ", "\t", "\n", "\r", ",", "]")  # what may follow an item of an array


class _Whole(Exception):
    """The file is read whole instead (not an array, or something to say of it)."""


def _refuse(constant: str) -> None:
    raise _Whole(constant)  # NaN, Infinity: orjson refuses them


def _array_items(path: Path) -> Iterator[Any]:
    # Python's own decoder (in C) finds where each item ends; orjson parses the item, so
    # that what is accepted, and how, is what reading the file whole gave
    scan = json.JSONDecoder(parse_constant=_refuse).raw_decode
    with open_input(path) as handle:
        text = _Text(handle)
        if text.next_char() != "[":
            raise _Whole
        text.pos += 1
        first = True
        while True:
            char = text.next_char()
            if char == "]":
                text.pos += 1
                if text.next_char() != "":
                    raise _Whole  # something after the array
                return
            if not first:
                if char != ",":
                    raise _Whole
                text.pos += 1
                text.next_char()
            first = False
            while True:
                try:
                    _item, end = scan(text.buffer, text.pos)
                except (json.JSONDecodeError, RecursionError):
                    end = -1
                # an item that fails, or is not followed by what may follow an item (a
                # number cut by the end of what is read: 1 of 1e16), may go on past it
                if end >= 0 and (text.ended or text.buffer[end:end + 1] in _AFTER):
                    break
                if not text.more():
                    raise _Whole
            try:
                yield orjson.loads(text.buffer[text.pos:end])
            except orjson.JSONDecodeError:
                raise _Whole from None
            text.pos = end
            text.trim()


class _Text:
    """A UTF-8 file decoded as it is read: ``buffer`` from ``pos`` on is what is left."""

    def __init__(self, handle: IO[bytes]) -> None:
        self.handle = handle
        self.decoder = codecs.getincrementaldecoder("utf-8")()
        self.buffer, self.pos, self.ended = "", 0, False

    def more(self) -> bool:
        """Read on (twice as much as is held, a megabyte at least); False at the end."""
        if self.ended:
            return False
        data = self.handle.read(max(READ, 2 * (len(self.buffer) - self.pos)))
        try:
            self.buffer += self.decoder.decode(data, final=not data)
        except UnicodeDecodeError:
            raise _Whole from None
        self.ended = not data
        return True

    def next_char(self) -> str:
        """The next character but JSON's whitespace ("" at the end), at ``pos``."""
        while True:
            while self.pos < len(self.buffer) and self.buffer[self.pos] in " \t\n\r":
                self.pos += 1
            if self.pos < len(self.buffer) or not self.more():
                return self.buffer[self.pos:self.pos + 1]

    def trim(self) -> None:
        if self.pos > READ:
            self.buffer, self.pos = self.buffer[self.pos:], 0


def read_text_file(path: Path) -> RawArticle:
    text = decode(read_input(path), str(path))
    if not text.strip():
        raise InputError(str(path), "the file is empty")
    return RawArticle(text, {"source": path.name}, str(path))


def text_files(path: Path) -> list[Path]:
    """The .txt and .md files of a folder, every level down (READMEs aside), or the file."""
    if not path.is_dir():
        return [path]
    return [p for p in files_under(path, TEXT_SUFFIXES)
            if p.name.upper() not in ("README.MD", "SOURCES.MD")]


def files_under(folder: Path, suffixes: tuple[str, ...] | None) -> list[Path]:
    """Every file of ``folder`` (every level down, hidden ones aside) ending in one of
    ``suffixes`` (None: every file), sorted. A folder that cannot be read stops the import
    with its name, rather than its files being left out without a word."""

    def refuse(exc: OSError) -> None:
        raise InputError(str(exc.filename or folder), f"cannot read the folder: "
                                                      f"{reason(exc)}")

    found = []
    for parent, subfolders, names in os.walk(folder, onerror=refuse):
        subfolders[:] = sorted(d for d in subfolders if not d.startswith("."))
        found += [Path(parent, name) for name in names if not name.startswith(".")
                  and (suffixes is None or Path(name).suffix.lower() in suffixes)]
    return sorted(found)


def read_text_paths(path: Path) -> Iterator[RawArticle]:
    for file in text_files(path):
        yield read_text_file(file)


def read_csv(path: Path, notes: Notes | None = None) -> Iterator[RawArticle]:
    """A CSV with a ``text`` column; ``title`` and every other column go into ``meta``."""
    csv.field_size_limit(sys.maxsize)
    reader = csv.DictReader(text_lines(path))
    try:
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


def prepare(raw: RawArticle, annotator: str, source: str, notes: Notes | None = None
            ) -> tuple[Document, list[Span], list[Relation]]:
    """The stored document and checked spans of one record.

    A bad text is an :class:`InputError` for the whole record. A bad span or relation is
    rejected through ``notes``: the import stops, or (skipping invalid records) that span
    alone is left out and the article kept.
    """
    notes = notes or Notes()
    if not isinstance(raw.text, str):
        raise InputError(raw.where, "the text is not a string")
    text = normalise(raw.text)
    if not text or text.isspace():
        raise InputError(raw.where, "empty text")
    if not isinstance(raw.meta, dict):
        notes.reject(InputError(raw.where, "'meta' must be an object"))
        raw.meta = {}
    if deeper_than(raw.meta):  # no writer could write it back (tui/core/document/depth.py)
        raise InputError(raw.where, f"its metadata is {TOO_DEEP}")
    checked: list[tuple[int, dict[str, Any], int, int, str]] = []
    for i, item in enumerate(raw.spans):
        try:
            start, end, label = _checked_span(raw.text, item)
        except InputError as exc:
            notes.reject(InputError(f"{raw.where}: span {i + 1}", exc.reason))
            continue
        checked.append((i, item, start, end, label))
    unchanged = text is raw.text  # normalising changed nothing: offsets hold as they are
    moved = {} if unchanged else offsets_after_normalising(
        raw.text, text, [x for _, _, start, end, _ in checked for x in (start, end)])
    spans: list[Span] = []
    index: dict[int, int] = {}  # the record's span number -> its place in ``spans``
    stamp = now()
    for i, item, start, end, label in checked:
        if not unchanged:
            start, end = moved[start], moved[end]
            try:
                check_offsets(text, start, end)
            except OffsetError as exc:
                notes.reject(InputError(f"{raw.where}: span {i + 1}", str(exc)))
                continue
        quoted = item.get("text")
        if isinstance(quoted, str) and normalise(quoted) != text[start:end]:
            notes.reject(InputError(f"{raw.where}: span {i + 1}",
                                    f"span {item.get('start')}-{item.get('end')} "
                                    f"reads {text[start:end]!r}, the record says {quoted!r}"))
            continue
        created = item.get("created")
        created = str(created) if created else stamp
        updated = item.get("updated")
        given = item.get("id")
        attributes = item.get("attributes")
        index[i] = len(spans)
        spans.append(Span(start, end, label, text[start:end],
                          item.get("annotator") or annotator, item.get("source") or source,
                          str(given) if given else new_id(), created,
                          str(updated) if updated else created,
                          tuple(sorted(attributes.items())) if attributes else (),
                          item.get("origin") or TYPED))
    relations = []
    for i, item in enumerate(raw.relations):
        where = f"{raw.where}: relation {i + 1}"
        head, child, label = item.get("head"), item.get("child"), item.get("label")
        if head not in index or child not in index:
            notes.reject(InputError(where, "it names a span that is not in the record" if
                                    not (head in range(len(raw.spans)) and
                                         child in range(len(raw.spans)))
                                    else "it names a span that was left out"))
            continue
        problem = label_problem(label)
        if problem:
            notes.reject(InputError(where, problem.replace("a label", "a relation label")))
            continue
        who = item.get("annotator")
        relations.append(Relation(spans[index[head]].id, spans[index[child]].id, label,
                                  who if isinstance(who, str) and who else annotator))
    return Document.from_text(text, raw.meta), spans, relations


_SPAN_TEXT_FIELDS = ("annotator", "source", "created", "updated")


def _checked_span(text: str, item: Any) -> tuple[int, int, str]:
    """The offsets and label of one span of a record, checked against its source text."""
    if not isinstance(item, dict):
        raise InputError("", f"a span must be an object, got {short(item)}")
    label = item.get("label")
    if isinstance(label, str):
        label = label.strip()
        problem = _label_problem(label)
    else:
        problem = label_problem(label)
    if problem:
        raise InputError("", "a span needs a label" if label in (None, "") else problem)
    for name in _SPAN_TEXT_FIELDS:
        value = item.get(name)
        if value is not None and not isinstance(value, str):
            raise InputError("", f"'{name}' must be text, not {json_type(value)}")
    attributes = item.get("attributes")
    if attributes is not None and not (isinstance(attributes, dict) and all(
            label_problem(k) is None and isinstance(v, str) and v.strip() and v.isprintable()
            for k, v in attributes.items())):
        raise InputError("", "'attributes' must be an object of names and one-line texts")
    origin = item.get("origin")
    if origin is not None and label_problem(origin) is not None:
        raise InputError("", f"'origin' must be one word such as {', '.join(ORIGINS)}, not"
                             f" {short(origin)}")
    if item.get("id") is not None and not is_id(item["id"]):
        raise InputError("", f"'id' must be text or a whole number, not "
                             f"{json_type(item['id'])}")
    start, end = item.get("start"), item.get("end")
    if type(start) is not int or type(end) is not int:
        raise InputError("", f"offsets must be whole numbers, got {short(start)}, "
                             f"{short(end)}")
    if not (0 <= start < end <= len(text) and is_grapheme_boundary(text, start)
            and is_grapheme_boundary(text, end)):
        try:
            check_offsets(text, start, end)  # says which rule the offsets break
        except OffsetError as exc:
            raise InputError("", str(exc)) from None
    assert isinstance(label, str)
    return start, end, label


@lru_cache(maxsize=1024)
def _label_problem(label: str) -> str | None:
    """:func:`label_problem` of a label name: a file holds a few labels many times over."""
    return label_problem(label)


def short(value: Any) -> str:
    shown = repr(value)
    return shown if len(shown) <= 60 else shown[:59] + "…"


def offsets_after_normalising(raw: str, text: str, offsets: Iterable[int]) -> dict[int, int]:
    """Where each offset into the source text lands in its normalised form ``text``.

    In one pass: the source is cut at the offsets (sorted) and each piece normalised on its
    own, which gives the same text as normalising the whole because every offset is on a
    grapheme boundary, and no composition, reordering or line end joins characters across
    one. An offset between a CR and its LF (one character, which Unicode never splits)
    lands on the line end. The pieces are checked to make the text; were they ever not to,
    each offset is mapped on its own.
    """
    edges = sorted(set(offsets))
    if raw is text:
        return {edge: edge for edge in edges}
    body = 1 if raw.startswith("\ufeff") else 0
    moved: dict[int, int] = {}
    pieces: list[str] = []
    length = 0
    position = body
    for edge in edges:
        cut = edge - 1 if 0 < edge < len(raw) and raw[edge - 1] == "\r" \
            and raw[edge] == "\n" else edge
        if cut > position:
            piece = normalise_body(raw[position:cut])
            pieces.append(piece)
            length += len(piece)
            position = cut
        moved[edge] = length
    pieces.append(normalise_body(raw[position:]))
    if "".join(pieces) == text:
        return moved
    return {edge: len(normalise(raw[:edge])) for edge in edges}  # never seen; kept safe

def import_articles(dataset: Dataset, raws: Iterable[RawArticle], source: str,
                    strict_labels: bool = False, notes: Notes | None = None,
                    replace_labels: bool = False) -> ImportResult:
    """Check every record, then write, all or nothing: records sharing a text become one
    article, new labels join the label set.

    Records are taken one at a time, each staged as it is read (``bulk.py``): memory is
    bounded by the largest article, not by the input. A bad record stops the import before
    anything is in place, unless ``notes`` skips invalid records (``--skip-invalid``): then
    the smallest bad unit (a span, a relation, or a record whose text is bad) is left out
    and its one-line reason kept in ``notes``. With ``replace_labels`` the dataset's label
    set becomes ``dataset.labels`` (set by the caller from ``--labels``) along with the
    articles.
    """
    from tui.core.store.bulk import BulkImport  # the index and the tokens: not at start

    notes = notes or Notes()
    unknown: dict[str, None] = {}  # labels not in the label set, in the order met
    stamp = now()

    def records() -> Iterator[tuple[Item, list[dict[str, Any]]]]:
        for raw in raws:
            try:
                document, spans, relations = prepare(raw, dataset.annotator, source, notes)
            except InputError as exc:
                notes.reject(exc)
                continue
            for span in spans:
                if span.label not in unknown and dataset.labels.get(span.label) is None:
                    unknown[span.label] = None
            yield (document, spans, relations), [
                {"annotator": who or dataset.annotator, "status": status, "updated": stamp}
                for who, status in raw.statuses.items()]
        if strict_labels and unknown:  # nothing is in place yet: the import stops whole
            raise InputError(source, f"labels not in the label set: {', '.join(unknown)}"
                             " (drop --strict-labels to add them)")

    label_set = dataset.labels if replace_labels else None
    # a status from a file is given only to an analyst who has none in the dataset yet
    bulk = BulkImport(dataset, records(), unknown, label_set, replace_statuses=False)
    bulk.run()
    result = ImportResult(labels_added=list(unknown), ids=list(bulk.results))
    for is_new, added in bulk.results.values():
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
        self.files_skipped: list[str] = []  # files of a folder that are no format Gloss reads

    def skip_file(self, where: str, why: str) -> None:
        self.files_skipped.append(f"{where}: {why}")

    def add(self, what: str, n: int = 1) -> None:
        self.counts[what] = self.counts.get(what, 0) + n

    def reject(self, error: InputError) -> None:
        """A bad record: stop the import, or (skipping invalid records) set it aside."""
        if not self.skip_invalid:
            raise error
        self.skipped.append(str(error))

    def lines(self) -> list[str]:
        return [f"{n} {what}" for what, n in self.counts.items()]
