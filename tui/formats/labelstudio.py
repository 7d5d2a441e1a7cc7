"""Label Studio JSON: a list of tasks ``{"data": {"text"}, "annotations": [{"result": [...],
"completed_by"}]}``; a span is a result of type ``labels`` with ``value: {start, end, text,
labels}``, a relation a result of type ``relation`` with ``from_id`` and ``to_id``.

Label Studio counts offsets in UTF-16 units (it runs in the browser): converted here.
Predictions and results of other types (choices, ratings...) are skipped and counted.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

import orjson

from tui.core.corpus import (
    InputError,
    Notes,
    RawArticle,
    is_id,
    list_field,
    read_input,
    short,
)
from tui.core.dataset import Article
from tui.core.export_selection import analysts
from tui.core.model import TYPED
from tui.core.text import Utf16Offsets
from tui.core.visible import json_bytes

# Attributes of free text (a name), written as a textarea; the others as choices.
FREE_TEXT = ("canonical",)


def sniff(data: Any) -> bool:
    first = data[0] if isinstance(data, list) and data else data
    return isinstance(first, dict) and isinstance(first.get("data"), dict)


def read(path: Path, notes: Notes) -> Iterator[RawArticle]:
    try:
        tasks = orjson.loads(read_input(path))
    except orjson.JSONDecodeError as exc:
        raise InputError(str(path), f"not a Label Studio JSON file ({exc.msg})") from exc
    tasks = tasks if isinstance(tasks, list) else [tasks]
    for number, task in enumerate(tasks, start=1):
        try:
            yield _article(task, f"{path}: task {number}", notes)
        except InputError as exc:
            notes.reject(exc)


def _article(task: Any, where: str, notes: Notes) -> RawArticle:
    data = task.get("data") if isinstance(task, dict) else None
    if not isinstance(data, dict) or not isinstance(data.get("text"), str):
        raise InputError(where, "no data.text string")
    text = data["text"]
    offsets = Utf16Offsets(text)
    meta = {k: v for k, v in data.items() if k != "text"}
    if "id" in task:
        meta["labelstudio_id"] = task["id"]
    if task.get("predictions"):
        notes.add("Label Studio predictions skipped")
    spans: list[dict[str, Any]] = []
    relations: list[dict[str, Any]] = []
    statuses: dict[str, str] = {}
    for n, annotation in enumerate(list_field(task, "annotations", where, notes), start=1):
        if not isinstance(annotation, dict):
            notes.reject(InputError(where, f"annotation {n} is not an object"))
            continue
        who = _analyst(annotation)
        # A submitted annotation is its analyst's finished work; a cancelled one (Label
        # Studio's skip) a skipped article, never accepted data; the ground truth the
        # reviewed version.
        if annotation.get("was_cancelled"):
            notes.add("cancelled Label Studio annotations imported as skipped")
            statuses[who or ""] = "skipped"
        else:
            statuses[who or ""] = "reviewed" if annotation.get("ground_truth") is True \
                else "done"
        _annotation(annotation, who, offsets, f"{where}: annotation {n}", notes, spans,
                    relations)
    return RawArticle(text, meta, where, spans, relations, statuses)


def _analyst(annotation: dict[str, Any]) -> str | None:
    who = annotation.get("completed_by")
    who = who.get("email") or who.get("id") if isinstance(who, dict) else who
    return str(who) if is_id(who) else None


def _annotation(annotation: dict[str, Any], who: str | None, offsets: Utf16Offsets,
                where: str, notes: Notes, spans: list[dict[str, Any]],
                relations: list[dict[str, Any]]) -> None:
    """The spans and relations of one analyst's annotation of a task, added to the lists."""
    index: dict[str | int, int] = {}
    links = []
    said = []  # per-region choices and texts: attributes of the span of the same id
    for n, result in enumerate(list_field(annotation, "result", where, notes), start=1):
        here = f"{where}: result {n}"
        if not isinstance(result, dict):
            notes.reject(InputError(here, "a result must be an object"))
            continue
        kind = result.get("type")
        if kind == "relation":
            links.append((here, result))
            continue
        if kind in ("choices", "textarea") and is_id(result.get("id")):
            said.append((here, result))
            continue
        value = result.get("value")
        if kind != "labels" or not isinstance(value, dict) or "labels" not in value:
            notes.add(f"Label Studio results of type {short(kind)} skipped")
            continue
        start, end, labels = value.get("start"), value.get("end"), value.get("labels")
        if type(start) is not int or type(end) is not int:
            notes.reject(InputError(here, "'start' and 'end' must be whole numbers"))
            continue
        if not isinstance(labels, list) or not labels:
            notes.reject(InputError(here, "'labels' must be a list of label names"))
            continue
        try:
            start, end = offsets.from_utf16(start), offsets.from_utf16(end)
        except ValueError as exc:
            notes.reject(InputError(here, str(exc)))
            continue
        ident = result.get("id") if is_id(result.get("id")) else None
        if ident is not None:
            index.setdefault(ident, len(spans))
        origin = _origin(result)
        for k, label in enumerate(labels):
            spans.append({"start": start, "end": end, "label": label,
                          "text": value.get("text"), "annotator": who,
                          "id": f"{ident}-{k}" if ident is not None and k else ident,
                          **({"origin": origin} if origin else {})})
    for here, result in said:
        _attribute(result, index, spans, here, notes)
    for here, link in links:
        ends = [link.get("from_id"), link.get("to_id")]
        if not all(is_id(e) and e in index for e in ends):
            notes.reject(InputError(here, "a relation names a result that is not a span"))
            continue
        names = link.get("labels")
        for label in names if isinstance(names, list) and names else ["related"]:
            relations.append({"head": index[ends[0]], "child": index[ends[1]], "label": label})


def _origin(result: dict[str, Any]) -> Any:
    """Where a region came from: Gloss's own ``meta.origin``, else Label Studio's
    ``origin``, whose "prediction" (a model's region, accepted unchanged) is Gloss's
    "model"; "manual" and "prediction-changed" are typed."""
    meta = result.get("meta")
    if isinstance(meta, dict) and "origin" in meta:
        return meta["origin"]
    return "model" if result.get("origin") == "prediction" else None


def task(article: Article, annotator: str | None) -> dict[str, Any]:
    doc = article.document
    offsets = Utf16Offsets(doc.text)
    by_analyst: dict[str, list[Any]] = {}
    for span in article.spans:
        if annotator is not None and span.annotator != annotator:
            continue
        region = {"start": offsets.to_utf16(span.start), "end": offsets.to_utf16(span.end),
                  "text": span.text}
        results = by_analyst.setdefault(span.annotator, [])
        results.append({"id": span.id, "from_name": "label", "to_name": "text",
                        "type": "labels", "value": {**region, "labels": [span.label]},
                        **({"meta": {"origin": span.origin}} if span.origin != TYPED
                           else {})})
        # an attribute is a per-region result of the same id, as Label Studio writes them
        results += [{"id": span.id, "from_name": name, "to_name": "text",
                     "type": "textarea" if name in FREE_TEXT else "choices",
                     "value": {**region, "text" if name in FREE_TEXT else "choices": [value]}}
                    for name, value in span.attributes]
    owner = {s.id: s.annotator for s in article.spans}
    for relation in article.relations:
        who = owner.get(relation.head)
        if who in by_analyst and owner.get(relation.child) == who:
            by_analyst[who].append({"type": "relation", "from_id": relation.head,
                                    "to_id": relation.child, "direction": "right",
                                    "labels": [relation.label]})
    for who in analysts(article):  # done with no span, or skipped: an annotation too
        by_analyst.setdefault(who, [])
    status = article.status
    return {"data": {**doc.meta, "text": doc.text},  # meta never overrides the text
            "annotations": [{"completed_by": who, "result": results,
                             "was_cancelled": status.get(who) == "skipped",
                             "ground_truth": status.get(who) == "reviewed"}
                            for who, results in by_analyst.items()]}


def write(articles: Iterable[Article], out: IO[bytes], notes: Notes,
          annotator: str | None) -> int:
    count = 0
    out.write(b"[")
    for article in articles:
        out.write((b",\n" if count else b"\n") + json_bytes(task(article, annotator)))
        count += 1
    out.write(b"\n]\n")
    return count


def _attribute(result: dict[str, Any], index: dict[str | int, int],
               spans: list[dict[str, Any]], where: str, notes: Notes) -> None:
    """A per-region ``choices`` or ``textarea`` result: an attribute of its span."""
    if result["id"] not in index:
        notes.add("Label Studio choices or texts of the whole task skipped")
        return
    value = result.get("value")
    said = value.get("choices", value.get("text")) if isinstance(value, dict) else None
    name = result.get("from_name")
    if not (isinstance(said, list) and len(said) == 1 and isinstance(said[0], str)
            and isinstance(name, str)):
        notes.reject(InputError(where, "a region's choice must name one value"))
        return
    span = spans[index[result["id"]]]
    span.setdefault("attributes", {})[name] = said[0]
