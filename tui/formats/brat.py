"""brat standoff: a folder of ``name.txt`` + ``name.ann`` pairs.

``T`` lines are spans (code-point offsets into the .txt, the covered text after a tab);
``R`` lines relations between them; ``A`` (and the older ``M``) lines attributes of a span:
``A1<TAB>canonical T3 Vladimir%20Putin``. A brat attribute value is one token, so Gloss
writes the characters that would break it (space, tab, ``%``, controls) percent-encoded,
and reads them back. ``E`` lines that attribute content to a source, as PolNeAR writes them
(``E1<TAB>Attribution:T2 Source:T1 Content:T3``: roles Source and Content, or Reporter-Arg
and Event-Arg), become SOURCE links from the content to the source; other events are
skipped and counted. A discontinuous span (``0 5;9 14``) whose fragments are separated only
by whitespace is how brat writes a span across a line break: it becomes one span. Other
discontinuous spans become one span per fragment, counted in a note. A span from an
accepted suggestion carries where it came from in a note, ``#1<TAB>AnnotatorNotes T3<TAB>gloss
origin: seen-name``, read back as its origin. ``N`` (normalisations), other ``#`` (notes)
and ``*`` (equivalences) lines are skipped and counted.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from itertools import pairwise
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

from tui.core.document.model import TYPED
from tui.core.language.visible import escape_controls, unescape_controls
from tui.core.store.corpus import InputError, Notes, RawArticle, decode, files_under, read_input
from tui.core.store.dataset import Article

_UNSAFE_NAME = re.compile(r"[^\w.+-]")
SKIPPED = {"E": "events", "N": "normalisations", "#": "notes", "*": "equivalences"}
SOURCE_ROLES = ("Source", "Source-Arg", "Reporter-Arg", "Speaker")
CONTENT_ROLES = ("Content", "Content-Arg", "Event-Arg", "Message")
# What cannot stand in a brat attribute value, percent-encoded: the rest stays readable
_VALUE_UNSAFE = re.compile(r"[%\s\x00-\x1f\x7f-\x9f]")
ORIGIN_NOTE = "gloss origin: "
_ORIGIN = re.compile(r"#[^\t]*\tAnnotatorNotes (T\S+)\t" + ORIGIN_NOTE + r"(\S+)")


def pairs(path: Path) -> list[tuple[Path, Path]]:
    if path.is_dir():
        anns = files_under(path, (".ann",))
    elif path.suffix == ".ann":
        anns = [path]
    else:
        anns = [path.with_suffix(".ann")]
    found = []
    for ann in anns:
        txt = ann.with_suffix(".txt")
        if not txt.exists():
            raise InputError(str(ann), f"no {txt.name} beside it")
        found.append((txt, ann))
    return found


def read(path: Path, notes: Notes) -> Iterator[RawArticle]:
    for txt, ann in pairs(path):
        try:
            yield _article(txt, ann, notes)
        except InputError as exc:
            notes.reject(exc)


def _article(txt: Path, ann: Path, notes: Notes) -> RawArticle:
    text = decode(read_input(txt), str(txt))
    # not splitlines(): U+2028, U+0085 and the like may stand inside a covered text
    lines = decode(read_input(ann), str(ann)).replace("\r\n", "\n").split("\n")
    spans: list[dict[str, Any]] = []
    first_span: dict[str, int] = {}
    relations: list[tuple[str, dict[str, Any]]] = []
    attributes: list[tuple[str, str]] = []
    origins: list[tuple[str, str]] = []
    for number, line in enumerate(lines, start=1):
        where = f"{ann}:{number}"
        if not line.strip():
            continue
        kind = line[0]
        if kind == "T":
            try:
                found = _text_bound(line, text, where, notes)
            except InputError as exc:
                notes.reject(exc)
                continue
            first_span[line.split("\t", 1)[0]] = len(spans)
            spans += found
        elif kind == "R":
            try:
                relations.append(_relation(line, where))
            except InputError as exc:
                notes.reject(exc)
        elif kind in "AM":
            attributes.append((where, line))
        elif kind == "E" and (link := _attribution(line)) is not None:
            relations.append((where, link))
        elif kind == "#" and (said := _ORIGIN.fullmatch(line)) is not None:
            origins.append(said.groups())
        elif kind in SKIPPED:
            notes.add(f"brat {kind} lines ({SKIPPED[kind]}) skipped")
        else:
            notes.add("brat lines of an unknown kind skipped")
    for where, line in attributes:
        try:
            span_id, name, value = _attribute(line, where)
        except InputError as exc:
            notes.reject(exc)
            continue
        if span_id not in first_span:
            notes.add("brat attributes of events or relations skipped")
            continue
        span = spans[first_span[span_id]]
        span.setdefault("attributes", {})[name] = value
    for span_id, origin in origins:
        if span_id in first_span:
            spans[first_span[span_id]]["origin"] = unquote(origin)
    linked = []
    for where, relation in relations:
        missing = [relation[r] for r in ("head", "child") if relation[r] not in first_span]
        if missing:
            notes.reject(InputError(where, f"relation names {missing[0]}, which is not a"
                                           " span of this file"))
            continue
        linked.append({**relation, "head": first_span[relation["head"]],
                       "child": first_span[relation["child"]]})
    return RawArticle(text, {"source": txt.name}, str(ann), spans, linked)


def _text_bound(line: str, text: str, where: str, notes: Notes) -> list[dict[str, Any]]:
    parts = line.split("\t", 2)
    if len(parts) < 3:
        raise InputError(where, "a T line needs an id, 'Label start end' and the text")
    label, _, ranges = parts[1].partition(" ")
    try:
        fragments = [tuple(int(x) for x in r.split()) for r in ranges.split(";")]
        if any(len(f) != 2 for f in fragments):
            raise ValueError
    except ValueError:
        raise InputError(where, f"cannot read the offsets {ranges!r}") from None
    for start, end in fragments:
        if not 0 <= start < end <= len(text):
            raise InputError(where, f"span {start}-{end} is outside the text (length"
                                    f" {len(text)})")
    quoted = parts[2]
    found = " ".join(text[s:e] for s, e in fragments)
    if found != quoted and found != unescape_controls(quoted):
        raise InputError(where, f"the text at {ranges} reads {found!r}, the .ann says"
                                f" {quoted!r}")
    gaps_blank = all(not text[a[1]:b[0]].strip() for a, b in pairwise(fragments))
    if len(fragments) > 1 and gaps_blank:
        return [{"start": fragments[0][0], "end": fragments[-1][1], "label": label}]
    if len(fragments) > 1:
        notes.add("discontinuous brat spans split into one span per fragment")
    return [{"start": s, "end": e, "label": label} for s, e in fragments]


def _relation(line: str, where: str) -> tuple[str, dict[str, Any]]:
    parts = line.split("\t")
    fields = parts[1].split() if len(parts) > 1 else []
    if len(fields) != 3 or not all(":" in f for f in fields[1:]):
        raise InputError(where, "an R line needs 'Label Arg1:T1 Arg2:T2'")
    return where, {"label": fields[0], "head": fields[1].split(":", 1)[1],
                   "child": fields[2].split(":", 1)[1]}


def _attribute(line: str, where: str) -> tuple[str, str, str]:
    """(span id, name, value) of an A line; a binary attribute (no value) is "true"."""
    fields = line.split("\t")[1].split() if "\t" in line else []
    if len(fields) not in (2, 3):
        raise InputError(where, "an A line needs 'Name T1' or 'Name T1 Value'")
    return fields[1], fields[0], unquote(fields[2]) if len(fields) == 3 else "true"


def _attribution(line: str) -> dict[str, Any] | None:
    """A SOURCE link from an E line that attributes content to a source, else None."""
    roles = dict(arg.split(":", 1) for arg in line.split("\t")[1].split()[1:]
                 if ":" in arg) if "\t" in line else {}
    source = next((roles[r] for r in SOURCE_ROLES if r in roles), None)
    content = next((roles[r] for r in CONTENT_ROLES if r in roles), None)
    if source and content and source.startswith("T") and content.startswith("T"):
        return {"label": "SOURCE", "head": content, "child": source}
    return None


def write_folder(articles: Iterable[Article], folder: Path, notes: Notes,
                 annotator: str | None) -> int:
    """Write each article as ``name.txt`` + ``name.ann`` into ``folder`` (which exists)."""
    count = 0
    for article in articles:
        doc = article.document
        name = file_stem(doc.meta.get("source")) or doc.id
        name = name if not (folder / f"{name}.txt").exists() else f"{name}-{doc.id}"
        spans = [s for s in article.spans if annotator is None or s.annotator == annotator]
        number = {s.id: n for n, s in enumerate(spans, start=1)}
        lines = []
        for span in spans:
            fragments = _fragments(doc.text, span.start, span.end)
            ranges = ";".join(f"{s} {e}" for s, e in fragments)
            covered = escape_controls(" ".join(doc.text[s:e] for s, e in fragments))
            lines.append(f"T{number[span.id]}\t{span.label} {ranges}\t{covered}")
        relations = [r for r in article.relations if r.head in number and r.child in number]
        lines += [f"R{n}\t{r.label} Arg1:T{number[r.head]} Arg2:T{number[r.child]}\t"
                  for n, r in enumerate(relations, start=1)]
        lines += [f"A{n}\t{name} T{number[span_id]} {_quote(value)}" for n, (span_id, name,
                  value) in enumerate(((s.id, k, v) for s in spans for k, v in s.attributes),
                                      start=1)]
        lines += [f"#{n}\tAnnotatorNotes T{number[s.id]}\t{ORIGIN_NOTE}{_quote(s.origin)}"
                  for n, s in enumerate((s for s in spans if s.origin != TYPED), start=1)]
        _write(folder / f"{name}.txt", doc.text)
        _write(folder / f"{name}.ann", "".join(line + "\n" for line in lines))
        count += 1
    return count


def _fragments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """brat cannot hold a line break in a T line: a span across lines is written as
    fragments, one a line (read back as one span)."""
    if "\n" not in text[start:end]:
        return [(start, end)]
    out = []
    position = start
    for piece in text[start:end].split("\n"):
        if piece.strip():
            left = position + len(piece) - len(piece.lstrip())
            out.append((left, left + len(piece.strip())))
        position += len(piece) + 1
    return out or [(start, end)]


def _quote(value: str) -> str:
    return _VALUE_UNSAFE.sub(lambda m: quote(m.group(), safe=""), value)


def file_stem(source: object) -> str:
    """A safe file name (no folder, no dot first, no control) from an article's source."""
    stem = Path(str(source or "")).stem if isinstance(source, str) else ""
    return _UNSAFE_NAME.sub("_", stem).lstrip(".")[:80]


def _write(path: Path, content: str) -> None:
    path.write_text(content, encoding="utf-8", newline="")
