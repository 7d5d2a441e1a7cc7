"""doccano JSONL: ``{"text", "label": [[start, end, LABEL]], "meta"}`` (sequence labelling)
or ``{"text", "entities": [{"id", "start_offset", "end_offset", "label"}], "relations":
[{"from_id", "to_id", "type"}]}`` (relation extraction).

doccano counts offsets in UTF-16 units (it is a JavaScript front end): converted here, at
the boundary, to and from Gloss's code points (a project in doccano's grapheme mode counts
otherwise: not supported). Export writes one form for the whole file, since doccano refuses
a file that mixes them: the ``entities`` form when an article has relations, attributes or
spans from accepted suggestions (Gloss's own ``attributes`` and ``origin`` keys of an
entity, read back; doccano drops them), and a sequence-labelling project with relations
imports it as "JSONL(Relation)"; else the ``label`` form. doccano has no field for who
labelled a record (it exports one file a user): ``meta.annotators`` names them, and one
name there is read back as the spans' analyst.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from tui.core.document.model import TYPED
from tui.core.language.text import Utf16Offsets
from tui.core.language.visible import json_bytes
from tui.core.store.corpus import (
    InputError,
    Notes,
    RawArticle,
    is_id,
    json_lines,
    list_field,
    object_field,
    short,
)
from tui.core.store.dataset import Article
from tui.core.store.export_selection import analysts

RESERVED = ("text", "label", "entities", "relations", "meta")


def sniff(record: dict[str, Any]) -> bool:
    """Does this JSON object look like a doccano record (rather than a Prodigy one)?"""
    label = record.get("label")
    return "entities" in record or (isinstance(label, list) and (
        not label or isinstance(label[0], list)))


def read(path: Path, notes: Notes) -> Iterator[RawArticle]:
    for where, record in json_lines(path, notes):
        try:
            yield _article(record, where, notes)
        except InputError as exc:
            notes.reject(exc)


def _article(record: dict[str, Any], where: str, notes: Notes) -> RawArticle:
    text = record.get("text")
    if not isinstance(text, str):
        raise InputError(where, "no 'text' string")
    offsets = Utf16Offsets(text)
    meta = object_field(record, "meta", where, notes)
    for key, value in record.items():
        if key not in RESERVED and not (key == "Comments" and value == []):
            # doccano's export writes every record's comments, most often none
            meta[f"doccano_{key}" if key in ("id", "title") else key] = value
    spans: list[dict[str, Any]] = []
    relations: list[dict[str, Any]] = []
    if "entities" in record:
        index: dict[str | int, int] = {}
        for n, entity in enumerate(list_field(record, "entities", where, notes), start=1):
            if not isinstance(entity, dict) or not is_id(entity.get("id")) \
                    or entity["id"] in index:
                notes.reject(InputError(where, f"entity {n} needs an object with an id of"
                                               " its own (text or a whole number)"))
                continue
            span = _span(offsets, entity.get("start_offset"), entity.get("end_offset"),
                         entity.get("label"), f"{where}: entity {n}", notes)
            for own in ("attributes", "origin"):  # Gloss's own keys: doccano has neither
                if span is not None and own in entity:
                    span[own] = entity[own]
            if span is not None:
                index[entity["id"]] = len(spans)
                spans.append(span)
        for n, relation in enumerate(list_field(record, "relations", where, notes), start=1):
            ends = [relation.get(k) for k in ("from_id", "to_id")] \
                if isinstance(relation, dict) else []
            if len(ends) != 2 or not all(is_id(e) and e in index for e in ends):
                notes.reject(InputError(where, f"relation {n} names an entity that is not"
                                               " in the record"))
                continue
            relations.append({"head": index[ends[0]], "child": index[ends[1]],
                              "label": relation.get("type") or relation.get("label")})
    else:
        for n, item in enumerate(list_field(record, "label", where, notes), start=1):
            if not (isinstance(item, list) and len(item) == 3):
                notes.reject(InputError(f"{where}: label {n}", f"a label must be [start, end,"
                                        f" LABEL], got {short(item)}"))
                continue
            span = _span(offsets, *item, f"{where}: label {n}", notes)
            if span is not None:
                spans.append(span)
    named = meta.get("annotators")  # Gloss's own: whose spans the record holds
    if isinstance(named, list) and len(named) == 1 and isinstance(named[0], str) \
            and named[0]:
        del meta["annotators"]
        for span in spans:
            span["annotator"] = named[0]
    unique = {(s["start"], s["end"], s["label"]) for s in spans if isinstance(s["label"], str)}
    if len(unique) < len(spans):
        notes.add("duplicate spans in one record kept once")
    return RawArticle(text, meta, where, spans, relations)


def _span(offsets: Utf16Offsets, start: Any, end: Any, label: Any, where: str, notes: Notes
          ) -> dict[str, Any] | None:
    if type(start) is not int or type(end) is not int:
        notes.reject(InputError(where, f"offsets must be whole numbers, got {short(start)},"
                                       f" {short(end)}"))
        return None
    try:
        return {"start": offsets.from_utf16(start), "end": offsets.from_utf16(end),
                "label": label}
    except ValueError as exc:
        notes.reject(InputError(where, str(exc)))
        return None


def record(article: Article, annotator: str | None) -> dict[str, Any]:
    """The article in doccano's relation form (``entities`` and ``relations``)."""
    doc = article.document
    offsets = Utf16Offsets(doc.text)
    spans = [s for s in article.spans if annotator is None or s.annotator == annotator]
    ids = {s.id for s in spans}
    number = {s.id: n for n, s in enumerate(spans)}
    out: dict[str, Any] = {"text": doc.text}
    out["entities"] = [{"id": number[s.id], "start_offset": offsets.to_utf16(s.start),
                        "end_offset": offsets.to_utf16(s.end), "label": s.label,
                        **({"attributes": dict(s.attributes)} if s.attributes else {}),
                        **({"origin": s.origin} if s.origin != TYPED else {})}
                       for s in spans]
    out["relations"] = [{"id": n, "from_id": number[r.head], "to_id": number[r.child],
                         "type": r.label} for n, r in enumerate(
                             r for r in article.relations if r.head in ids and r.child in ids)]
    workers = analysts(article)
    out["meta"] = {**doc.meta, "annotators": workers} if workers else doc.meta
    return out


def _linked(record: dict[str, Any]) -> bool:
    """Does the record need the relation form: a relation, or an attribute or an origin to
    keep?"""
    return bool(record["relations"]) or any("attributes" in e or "origin" in e
                                             for e in record["entities"])


def _sequence(record: dict[str, Any]) -> dict[str, Any]:
    """The record in doccano's sequence-labelling form (``label``)."""
    return {"text": record["text"],
            "label": [[e["start_offset"], e["end_offset"], e["label"]]
                      for e in record["entities"]],
            "meta": record["meta"]}


def write(articles: Iterable[Article], out: IO[bytes], notes: Notes,
          annotator: str | None) -> int:
    """One form for the whole file, as doccano imports a file: a file that mixes them is
    refused whole. The relation form as soon as one article has a link or an attribute;
    until then the records wait (their texts are the articles' own strings, not copies)."""
    waiting: list[dict[str, Any]] = []
    linked = False
    count = 0
    for article in articles:
        line = record(article, annotator)
        count += 1
        if not linked and not _linked(line):
            waiting.append(line)
            continue
        if not linked:
            linked = True
            for held in waiting:
                out.write(json_bytes(held) + b"\n")
            waiting = []
        out.write(json_bytes(line) + b"\n")
    for held in waiting:
        out.write(json_bytes(_sequence(held)) + b"\n")
    return count
