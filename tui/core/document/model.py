"""Document, Span, LabelSet and the offset rules they obey.

A span is a code-point range [start, end) into the stored text of one article; it may
overlap or nest inside other spans. Both edges must fall on grapheme-cluster boundaries.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import asdict, dataclass, field, fields, replace
from datetime import UTC, datetime
from typing import Any

from tui.core.document.schema import (
    DEFAULT_ATTRIBUTES,
    DEFAULT_RELATIONS,
    AttributeType,
    RelationType,
    SchemaError,
    attribute_types,
    relation_types,
)
from tui.core.language.text import is_grapheme_boundary


class GlossError(Exception):
    """An error the analyst should read: one line, naming what and where."""


class OffsetError(GlossError):
    """A span that does not fit the text it points into."""


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def new_id() -> str:
    """A random 128-bit id, as uuid4().hex but without building a UUID object."""
    return os.urandom(16).hex()


def document_id(text: str) -> str:
    """Same stored text, same id: importing an article twice adds nothing."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def check_offsets(text: str, start: int, end: int) -> None:
    """Refuse a span outside the text, empty, reversed, or splitting a grapheme cluster."""
    if not (isinstance(start, int) and isinstance(end, int)):
        raise OffsetError(f"offsets must be whole numbers, got {start!r}, {end!r}")
    if not 0 <= start < end <= len(text):
        raise OffsetError(f"span {start}-{end} is outside the text (length {len(text)})")
    for edge in (start, end):
        if not is_grapheme_boundary(text, edge):
            raise OffsetError(f"span {start}-{end} splits a character at offset {edge}")


# Where a span came from: typed by an analyst, or a suggestion they accepted (the kinds of
# tui/core/document/suggestion.py). A span records it in ``origin``; a typed span's file row
# and exports leave it out, so that files made before suggestions read and export as they did.
TYPED = "typed"
ORIGINS = (TYPED, "seen-name", "pattern", "claim-cue", "model")


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int
    label: str
    text: str
    annotator: str
    source: str = "gloss"
    id: str = field(default_factory=new_id)
    created: str = field(default_factory=now)
    updated: str = ""
    # (name, value) pairs, sorted by name: the claim's source_kind, the actor's canonical
    # name... A tuple, so that a span stays immutable and hashable.
    attributes: tuple[tuple[str, str], ...] = ()
    origin: str = TYPED  # one of ORIGINS (a later version's name is kept as it is)

    @classmethod
    def new(
        cls, text: str, start: int, end: int, label: str, annotator: str, source: str = "gloss",
        origin: str = TYPED,
    ) -> Span:
        check_offsets(text, start, end)
        stamp = now()
        return cls(start, end, label, text[start:end], annotator, source, created=stamp,
                   updated=stamp, origin=origin)

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> Span:
        if "attributes" in record or "origin" in record:
            known = {k: record[k] for k in _SPAN_FIELDS if k in record}
            known["attributes"] = tuple(sorted(record.get("attributes", {}).items()))
            return cls(**known)
        try:
            return cls(**record)  # Gloss's own records: exactly these fields
        except TypeError:  # a record with fields of a later version (or of another tool)
            return cls(**{k: record[k] for k in _SPAN_FIELDS if k in record})

    def to_record(self) -> dict[str, Any]:
        record = {"start": self.start, "end": self.end, "label": self.label,
                  "text": self.text, "annotator": self.annotator, "source": self.source,
                  "id": self.id, "created": self.created, "updated": self.updated}
        if self.attributes:
            record["attributes"] = dict(self.attributes)
        if self.origin != TYPED:
            record["origin"] = self.origin
        return record

    def attribute(self, name: str) -> str | None:
        return next((value for key, value in self.attributes if key == name), None)

    def with_attribute(self, name: str, value: str | None) -> Span:
        """This span with ``name`` set to ``value`` (None: without it)."""
        kept = {k: v for k, v in self.attributes if k != name}
        if value is not None:
            kept[name] = value
        return replace(self, attributes=tuple(sorted(kept.items())), updated=now())

    def relabelled(self, label: str) -> Span:
        return replace(self, label=label, updated=now())

    @property
    def key(self) -> tuple[int, int, str, str]:
        """What makes two spans the same annotation: importing one twice adds nothing."""
        return (self.start, self.end, self.label, self.annotator)

    def __len__(self) -> int:
        return self.end - self.start


_SPAN_FIELDS = tuple(f.name for f in fields(Span))


@dataclass(frozen=True, slots=True)
class Relation:
    """A directed, labelled link between two spans of one article (brat R lines, doccano
    relations, Prodigy relations)."""

    head: str  # span id
    child: str  # span id
    label: str
    annotator: str
    id: str = field(default_factory=new_id)

    def to_record(self) -> dict[str, Any]:
        return {"head": self.head, "child": self.child, "label": self.label,
                "annotator": self.annotator, "id": self.id}

    @classmethod
    def from_record(cls, record: dict[str, Any]) -> Relation:
        return cls(record["head"], record["child"], record["label"], record["annotator"],
                   record["id"])

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.head, self.child, self.label)


@dataclass(slots=True)
class Document:
    id: str
    text: str
    meta: dict[str, Any]

    @classmethod
    def from_text(cls, text: str, meta: dict[str, Any] | None = None) -> Document:
        meta = dict(meta or {})
        doc_id = document_id(text)
        meta["id"] = doc_id
        meta.setdefault("title", first_line(text))
        return cls(doc_id, text, meta)

    @property
    def title(self) -> str:
        return str(self.meta.get("title") or first_line(self.text))


def first_line(text: str, limit: int = 120) -> str:
    """The first non-blank line of the first 20 (a Markdown heading's # dropped), cut to
    ``limit``; read line by line, so that a long article is never copied for its title."""
    start = 0
    for _ in range(20):
        end = text.find("\n", start)
        line = text[start:end if end >= 0 else len(text)].strip().lstrip("#").strip()
        if line:
            return line[:limit]
        if end < 0:
            break
        start = end + 1
    return "(untitled)"


# "reviewed": the status of a reviewer's version of an article, once its differences are
# settled (see docs/teams.md).
STATUSES = ("todo", "done", "skipped", "reviewed")
REVIEWER = "review"  # the reviewer's analyst name unless one is given (--reviewer)

LABEL_MAX = 64


def label_problem(name: object) -> str | None:
    """Why ``name`` cannot be a label, or None when it can.

    A label must survive every export: brat writes ``T1<TAB>LABEL 0 5``, CoNLL ``B-LABEL``
    after a space or a tab, so whitespace and control characters in a name would make files
    that no reader (Gloss included) can read back.
    """
    if not isinstance(name, str):
        return f"a label must be text, not {type(name).__name__}"
    if not name:
        return "a label cannot be empty"
    if len(name) > LABEL_MAX:
        return f"a label is at most {LABEL_MAX} characters"
    if any(char.isspace() or not char.isprintable() for char in name):
        return (f"the label {name!r} holds whitespace or a control character, which brat"
                " and CoNLL files cannot hold")
    return None

# Colours are Rich/Textual colour names; each label gets its own drawing channel in the
# view (background, bold colour, underline) so nested spans all stay visible.
PALETTE = ("#e5c07b", "#61afef", "#98c379", "#c678dd", "#e06c75", "#56b6c2", "#d19a66",
           "#abb2bf", "#be5046", "#7ec699")


_COLOUR = re.compile(r"#[0-9a-fA-F]{6}|[a-z_]+[0-9]*")


@dataclass(frozen=True, slots=True)
class Label:
    name: str
    key: str
    colour: str


@dataclass(slots=True)
class LabelSet:
    labels: list[Label]
    relations: tuple[RelationType, ...] = DEFAULT_RELATIONS
    attributes: tuple[AttributeType, ...] = DEFAULT_ATTRIBUTES

    def relation(self, name: str) -> RelationType | None:
        return next((r for r in self.relations if r.name == name), None)

    def relations_from(self, label: str) -> list[RelationType]:
        """The relation types a span of ``label`` links from (a claim: SOURCE, ABOUT)."""
        return [r for r in self.relations if r.head == label]

    def attributes_of(self, label: str) -> list[AttributeType]:
        return [a for a in self.attributes if label in a.labels]

    def attribute(self, name: str) -> AttributeType | None:
        return next((a for a in self.attributes if a.name == name), None)

    @classmethod
    def default(cls) -> LabelSet:
        return cls([Label("ACTOR", "1", "#61afef"), Label("CLAIM", "2", "#e5c07b"),
                    Label("LOCATION", "3", "#98c379")])

    @classmethod
    def from_names(cls, names: list[str]) -> LabelSet:
        labels = cls([])
        for name in names:
            labels.add(name)
        return labels

    def names(self) -> list[str]:
        return [label.name for label in self.labels]

    def get(self, name: str) -> Label | None:
        return next((label for label in self.labels if label.name == name), None)

    def by_key(self, key: str) -> Label | None:
        return next((label for label in self.labels if label.key == key), None)

    def index(self, name: str) -> int:
        return self.names().index(name)

    def add(self, name: str) -> Label:
        """Add a label with the next free digit key (none after 9) and palette colour."""
        existing = self.get(name)
        if existing:
            return existing
        used = {label.key for label in self.labels}
        key = next((str(d) for d in range(1, 10) if str(d) not in used), "")
        colour = PALETTE[len(self.labels) % len(PALETTE)]
        label = Label(name, key, colour)
        self.labels.append(label)
        return label

    def to_records(self) -> list[dict[str, str]] | dict[str, Any]:
        """The label set file: a list of labels, or, with relations or attributes of the
        project's own, an object that holds all three."""
        labels = [asdict(label) for label in self.labels]
        if self.relations == DEFAULT_RELATIONS and self.attributes == DEFAULT_ATTRIBUTES:
            return labels
        return {"labels": labels, "relations": [r.to_record() for r in self.relations],
                "attributes": [a.to_record() for a in self.attributes]}

    @classmethod
    def from_records(cls, records: list[Any] | dict[str, Any]) -> LabelSet:
        """The label set of a label set file (see :meth:`to_records`)."""
        if isinstance(records, dict):
            labels = cls.from_records(records.get("labels"))
            try:
                if "relations" in records:
                    labels.relations = relation_types(records["relations"])
                if "attributes" in records:
                    labels.attributes = attribute_types(records["attributes"])
            except SchemaError as exc:
                raise GlossError(str(exc)) from exc
            return labels
        if not isinstance(records, list):
            raise GlossError("a label set is a list of labels, or an object with 'labels'")
        labels = cls([])
        for record in records:
            if not isinstance(record, dict):
                raise GlossError(f"a label must be an object with a name, got {record!r}")
            problem = label_problem(record.get("name"))
            if problem:
                raise GlossError(problem)
            if labels.get(record["name"]):
                raise GlossError(f"the label {record['name']!r} is named twice")
            label = labels.add(record["name"])
            key = record.get("key", label.key)
            colour = record.get("colour", record.get("color", label.colour))
            if not isinstance(key, str) or len(key) > 1 or (key and not key.isprintable()):
                raise GlossError(f"the key of {label.name!r} must be one character, got"
                                 f" {key!r}")
            if not isinstance(colour, str) or not _COLOUR.fullmatch(colour):
                raise GlossError(f"the colour of {label.name!r} must be like #61afef or a"
                                 f" colour name, got {colour!r}")
            labels.labels[-1] = Label(label.name, key, colour)
        return labels
