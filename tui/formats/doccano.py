"""doccano JSONL: ``{"text", "label": [[start, end, LABEL]], "meta"}`` (sequence labelling)
or ``{"text", "entities": [{"id", "start_offset", "end_offset", "label"}], "relations":
[{"from_id", "to_id", "type"}]}`` (relation extraction).

doccano counts offsets in UTF-16 units (it is a JavaScript front end): converted here, at
the boundary, to and from Gloss's code points. Export writes the ``label`` form, or the
``entities`` form for an article that has relations, attributes or spans from accepted
suggestions (Gloss's own ``attributes`` and ``origin`` keys of an entity, read back).
doccano has no field for who labelled a record (it exports one file a user):
``meta.annotators`` names them, and one name there is read back as the spans' analyst.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from tui.core.corpus import (
    InputError,
    Notes,
    RawArticle,
    is_id,
    json_lines,
    list_field,
    object_field,
    short,
)
from tui.core.dataset import Article
from tui.core.export_selection import analysts
from tui.core.model import TYPED
from tui.core.text import Utf16Offsets
from tui.core.visible import json_bytes

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
        if key not in RESERVED:
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
    doc = article.document
    offsets = Utf16Offsets(doc.text)
    spans = [s for s in article.spans if annotator is None or s.annotator == annotator]
    ids = {s.id for s in spans}
    relations = [r for r in article.relations if r.head in ids and r.child in ids]
    out: dict[str, Any] = {"text": doc.text}
    if relations or any(s.attributes or s.origin != TYPED for s in spans):
        number = {s.id: n for n, s in enumerate(spans)}
        out["entities"] = [{"id": number[s.id], "start_offset": offsets.to_utf16(s.start),
                            "end_offset": offsets.to_utf16(s.end), "label": s.label,
                            **({"attributes": dict(s.attributes)} if s.attributes else {}),
                            **({"origin": s.origin} if s.origin != TYPED else {})}
                           for s in spans]
        out["relations"] = [{"id": n, "from_id": number[r.head], "to_id": number[r.child],
                             "type": r.label} for n, r in enumerate(relations)]
    else:
        out["label"] = [[offsets.to_utf16(s.start), offsets.to_utf16(s.end), s.label]
                        for s in spans]
    workers = analysts(article)
    out["meta"] = {**doc.meta, "annotators": workers} if workers else doc.meta
    return out


def write(articles: Iterable[Article], out: IO[bytes], notes: Notes,
          annotator: str | None) -> int:
    count = 0
    for article in articles:
        out.write(json_bytes(record(article, annotator)) + b"\n")
        count += 1
    return count
