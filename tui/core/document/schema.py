"""The relation types and span attributes of a label set: what links a claim to who made
it and where it applies, and what an analyst can say of a span.

Defaults follow the field's practice (PARC 3.0 and PolNeAR for attribution, ACLED and UCDP
for actors and places); a project's label set file may replace them with its own::

    {"labels": [...],
     "relations": [{"name": "SOURCE", "from": "CLAIM", "to": "ACTOR", "most": 1}, ...],
     "attributes": [{"name": "quote", "on": ["CLAIM"], "values": ["direct", ...]}, ...]}
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

SOURCE = "SOURCE"
ABOUT = "ABOUT"


class SchemaError(ValueError):
    """A relation type or attribute of a label set file that cannot be used."""


@dataclass(frozen=True, slots=True)
class RelationType:
    """Links from a span labelled ``head`` to one labelled ``child``: SOURCE goes from a
    claim to its actor. ``most`` caps the links of one head (None: any number)."""

    name: str
    head: str
    child: str
    most: int | None = None

    def to_record(self) -> dict[str, Any]:
        record: dict[str, Any] = {"name": self.name, "from": self.head, "to": self.child}
        if self.most is not None:
            record["most"] = self.most
        return record


@dataclass(frozen=True, slots=True)
class AttributeType:
    """Something said of spans of ``labels``: one of ``values``, or free text that matches
    ``pattern`` (empty: any one line of text)."""

    name: str
    labels: tuple[str, ...]
    values: tuple[str, ...] = ()
    pattern: str = ""

    def problem(self, value: str) -> str | None:
        """Why ``value`` cannot be this attribute's value, or None when it can."""
        if self.values and value not in self.values:
            return f"{self.name} is one of {', '.join(self.values)}, not {value!r}"
        if self.pattern and not re.fullmatch(self.pattern, value):
            return f"{self.name} must look like {self.pattern}, not {value!r}"
        if not value.strip() or not value.isprintable() or len(value) > 200:
            return f"{self.name} must be one line of text"
        return None

    def to_record(self) -> dict[str, Any]:
        record: dict[str, Any] = {"name": self.name, "on": list(self.labels)}
        if self.values:
            record["values"] = list(self.values)
        if self.pattern:
            record["pattern"] = self.pattern
        return record


DEFAULT_RELATIONS = (
    RelationType(SOURCE, "CLAIM", "ACTOR", most=1),
    RelationType(ABOUT, "CLAIM", "LOCATION"),
)
DEFAULT_ATTRIBUTES = (
    AttributeType("source_kind", ("CLAIM",), ("actor", "journalist", "unnamed")),
    AttributeType("quote", ("CLAIM",), ("direct", "indirect", "none")),
    AttributeType("canonical", ("ACTOR", "LOCATION")),
    AttributeType("kind", ("ACTOR",), ("person", "organisation", "state", "group")),
    AttributeType("country", ("ACTOR", "LOCATION"), pattern="[A-Z]{2}"),  # ISO 3166 alpha-2
)


def relation_types(records: Any) -> tuple[RelationType, ...]:
    if not isinstance(records, list):
        raise SchemaError("'relations' must be a list")
    found = []
    for record in records:
        if not isinstance(record, dict) or not all(
                _word(record.get(k)) for k in ("name", "from", "to")):
            raise SchemaError(f"a relation needs a name, 'from' and 'to' labels: {record!r}")
        most = record.get("most")
        if most is not None and (type(most) is not int or most < 1):
            raise SchemaError(f"'most' of {record['name']} must be a whole number above 0")
        found.append(RelationType(record["name"], record["from"], record["to"], most))
    _unique([r.name for r in found], "relation")
    return tuple(found)


def attribute_types(records: Any) -> tuple[AttributeType, ...]:
    if not isinstance(records, list):
        raise SchemaError("'attributes' must be a list")
    found = []
    for record in records:
        labels = record.get("on") if isinstance(record, dict) else None
        values = record.get("values", []) if isinstance(record, dict) else None
        pattern = record.get("pattern", "") if isinstance(record, dict) else None
        if not isinstance(record, dict) or not _word(record.get("name")) \
                or not isinstance(labels, list) or not all(map(_word, labels)) \
                or not isinstance(values, list) or not all(map(_word, values)) \
                or not isinstance(pattern, str):
            raise SchemaError(f"an attribute needs a name, 'on' (a list of labels) and may"
                              f" have 'values' or a 'pattern': {record!r}")
        try:
            re.compile(pattern)
        except re.error as exc:
            raise SchemaError(f"the pattern of {record['name']} is not a regex: {exc}") from exc
        found.append(AttributeType(record["name"], tuple(labels), tuple(values), pattern))
    _unique([a.name for a in found], "attribute")
    return tuple(found)


def _word(value: Any) -> bool:
    return isinstance(value, str) and bool(value) and len(value) <= 64 and not any(
        c.isspace() or not c.isprintable() for c in value)


def _unique(names: list[str], what: str) -> None:
    twice = {name for name in names if names.count(name) > 1}
    if twice:
        raise SchemaError(f"the {what} {sorted(twice)[0]!r} is named twice")
