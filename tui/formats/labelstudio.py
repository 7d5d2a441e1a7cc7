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

from tui.core.corpus import InputError, Notes, RawArticle
from tui.core.dataset import Article
from tui.core.text import Utf16Offsets


def sniff(data: Any) -> bool:
    first = data[0] if isinstance(data, list) and data else data
    return isinstance(first, dict) and isinstance(first.get("data"), dict)


def read(path: Path, notes: Notes) -> Iterator[RawArticle]:
    try:
        tasks = orjson.loads(path.read_bytes())
    except (OSError, orjson.JSONDecodeError) as exc:
        raise InputError(str(path), f"not a Label Studio JSON file ({exc})") from exc
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
    for annotation in task.get("annotations") or []:
        if annotation.get("was_cancelled"):
            notes.add("cancelled Label Studio annotations skipped")
            continue
        who = annotation.get("completed_by")
        who = who.get("email") if isinstance(who, dict) else who
        index: dict[Any, int] = {}
        links = []
        for result in annotation.get("result") or []:
            kind = result.get("type")
            if kind == "relation":
                links.append(result)
                continue
            value = result.get("value") or {}
            if kind != "labels" or "start" not in value:
                notes.add(f"Label Studio results of type {kind!r} skipped")
                continue
            try:
                start = offsets.from_utf16(value["start"])
                end = offsets.from_utf16(value["end"])
            except (ValueError, TypeError) as exc:
                raise InputError(where, f"bad offsets in result {result.get('id')}:"
                                        f" {exc}") from exc
            for n, label in enumerate(value.get("labels") or []):
                index.setdefault(result.get("id"), len(spans))
                ident = result.get("id")
                spans.append({"start": start, "end": end, "label": label,
                              "text": value.get("text"),
                              "annotator": str(who) if who is not None else None,
                              "id": f"{ident}-{n}" if ident and n else ident})
        for link in links:
            if link.get("from_id") not in index or link.get("to_id") not in index:
                raise InputError(where, "a relation names a result that is not a span")
            for label in link.get("labels") or ["related"]:
                relations.append({"head": index[link["from_id"]],
                                  "child": index[link["to_id"]], "label": label})
    return RawArticle(text, meta, where, spans, relations)


def task(article: Article, annotator: str | None) -> dict[str, Any]:
    doc = article.document
    offsets = Utf16Offsets(doc.text)
    by_analyst: dict[str, list[Any]] = {}
    for span in article.spans:
        if annotator is not None and span.annotator != annotator:
            continue
        by_analyst.setdefault(span.annotator, []).append({
            "id": span.id, "from_name": "label", "to_name": "text", "type": "labels",
            "value": {"start": offsets.to_utf16(span.start), "end": offsets.to_utf16(span.end),
                      "text": span.text, "labels": [span.label]},
        })
    owner = {s.id: s.annotator for s in article.spans}
    for relation in article.relations:
        who = owner.get(relation.head)
        if who in by_analyst and owner.get(relation.child) == who:
            by_analyst[who].append({"type": "relation", "from_id": relation.head,
                                    "to_id": relation.child, "direction": "right",
                                    "labels": [relation.label]})
    return {"data": {"text": doc.text, **doc.meta},
            "annotations": [{"completed_by": who, "result": results}
                            for who, results in by_analyst.items()]}


def write(articles: Iterable[Article], out: IO[bytes], notes: Notes,
          annotator: str | None) -> int:
    count = 0
    out.write(b"[")
    for article in articles:
        out.write((b",\n" if count else b"\n") + orjson.dumps(task(article, annotator)))
        count += 1
    out.write(b"\n]\n")
    return count
