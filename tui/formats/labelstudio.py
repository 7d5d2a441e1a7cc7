"""Label Studio JSON: a list of tasks ``{"data": {"text"}, "annotations": [{"result": [...]}],
"meta"}``; a span is a result of type ``labels`` with ``value: {start, end, text, labels}``,
a relation a result of type ``relation`` with ``from_id`` and ``to_id``, an attribute a
per-region ``choices`` or ``textarea`` result with its span's id.

Offsets are code points, as Label Studio's ``Text`` tag counts them (its own tests count
an emoji as one, and its converters slice Python strings). Older versions counted UTF-16
units: a region whose ``text`` only matches that way is read so, and counted.

Label Studio takes ``completed_by`` only as the id or email of one of its own users, so the
export leaves it out (the importing user becomes the annotator) and names Gloss's analyst
in the task's ``meta`` (which Label Studio keeps): ``{"annotators": {"<annotation id>":
"olena"}}``. Label Studio keeps the annotation's id as its ``import_id``, so its own export
reads back with the analysts' names. ``config`` writes the labeling config that matches.
"""

from __future__ import annotations

import itertools
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

import orjson

from tui.core.document.depth import TOO_DEEP, json_problem
from tui.core.document.model import TYPED, LabelSet
from tui.core.language.text import Utf16Offsets
from tui.core.language.visible import json_bytes
from tui.core.store.corpus import (
    InputError,
    Notes,
    RawArticle,
    is_id,
    json_array_items,
    list_field,
    short,
)
from tui.core.store.dataset import Article
from tui.core.store.export_selection import analysts

# The names of the labeling config's controls: the spans' labels and the text they are on.
LABELS = "label"
TEXT = "text"


def sniff(data: Any) -> bool:
    first = data[0] if isinstance(data, list) and data else data
    return isinstance(first, dict) and isinstance(first.get("data"), dict)


def read(path: Path, notes: Notes) -> Iterator[RawArticle]:
    """The tasks of a Label Studio export: one array, read a task at a time
    (``corpus.json_array_items``), or one task."""
    tasks = json_array_items(path)
    for number in itertools.count(1):
        try:
            task = next(tasks, _END)
        except orjson.JSONDecodeError as exc:
            problem = json_problem(exc.msg)
            raise InputError(str(path), problem if problem == TOO_DEEP else
                             f"not a Label Studio JSON file ({exc.msg})") from exc
        if task is _END:
            return
        try:
            yield _article(task, f"{path}: task {number}", notes)
        except InputError as exc:
            notes.reject(exc)


_END = object()


def _article(task: Any, where: str, notes: Notes) -> RawArticle:
    data = task.get("data") if isinstance(task, dict) else None
    if not isinstance(data, dict) or not isinstance(data.get(TEXT), str):
        raise InputError(where, "no data.text string")
    if "id" in task and not is_id(task["id"]):  # Label Studio's tasks: a number
        raise InputError(where, "its id is not a number or a string")
    text = data[TEXT]
    offsets = _Offsets(text, notes)
    # Label Studio's own task fields (its id, counts, times) say nothing of the article
    meta = {k: v for k, v in data.items() if k != TEXT}
    if task.get("predictions"):
        notes.add("Label Studio predictions skipped")
    names = _names(task)
    spans: list[dict[str, Any]] = []
    relations: list[dict[str, Any]] = []
    statuses: dict[str, str] = {}
    for n, annotation in enumerate(list_field(task, "annotations", where, notes), start=1):
        if not isinstance(annotation, dict):
            notes.reject(InputError(where, f"annotation {n} is not an object"))
            continue
        who = _analyst(annotation, names)
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


def _names(task: dict[str, Any]) -> dict[str, str]:
    """Gloss's analysts by annotation id, from the task's ``meta`` (see the module)."""
    meta = task.get("meta")
    named = meta.get("annotators") if isinstance(meta, dict) else None
    if not isinstance(named, dict):
        return {}
    return {key: who for key, who in named.items() if isinstance(who, str) and who}


def _analyst(annotation: dict[str, Any], names: dict[str, str]) -> str | None:
    """Who made the annotation: the analyst its id names in the task's meta (Label Studio
    keeps that id as ``import_id``), else its ``completed_by`` (an email, or an id)."""
    key = annotation.get("import_id") if "import_id" in annotation else annotation.get("id")
    if is_id(key) and str(key) in names:
        return names[str(key)]
    who = annotation.get("completed_by")
    who = who.get("email") or who.get("id") if isinstance(who, dict) else who
    return str(who) if is_id(who) else None


class _Offsets:
    """A region's offsets as code points; UTF-16 units (older Label Studio) when only
    that reading gives the region's own ``text``."""

    def __init__(self, text: str, notes: Notes) -> None:
        self.text = text
        self.notes = notes
        self.utf16: Utf16Offsets | None = None

    def of(self, start: int, end: int, said: Any) -> tuple[int, int]:
        text = self.text
        if not isinstance(said, str) or text[start:end] == said or text.isascii():
            return start, end
        self.utf16 = self.utf16 or Utf16Offsets(text)
        try:
            start16, end16 = self.utf16.from_utf16(start), self.utf16.from_utf16(end)
        except ValueError:
            return start, end  # the import says where the text does not match
        if text[start16:end16] != said:
            return start, end
        self.notes.add("Label Studio regions in UTF-16 units (older versions) converted")
        return start16, end16


def _annotation(annotation: dict[str, Any], who: str | None, offsets: _Offsets,
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
        start, end = offsets.of(start, end, value.get("text"))
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


class _Writer:
    """Tasks for one export: annotation ids count up through the file, so that each is
    the one Label Studio keeps as ``import_id``."""

    def __init__(self, labels: LabelSet, notes: Notes) -> None:
        # an attribute with values is a choice in the labeling config, any other one text
        self.chosen = {a.name for a in labels.attributes if a.values}
        self.known = {a.name for a in labels.attributes}
        self.notes = notes
        self.annotations = 0

    def task(self, article: Article, annotator: str | None) -> dict[str, Any]:
        doc = article.document
        by_analyst: dict[str, list[Any]] = {}
        for span in article.spans:
            if annotator is not None and span.annotator != annotator:
                continue
            region = {"start": span.start, "end": span.end, "text": span.text}
            results = by_analyst.setdefault(span.annotator, [])
            results.append({"id": span.id, "from_name": LABELS, "to_name": TEXT,
                            "type": "labels", "value": {**region, "labels": [span.label]},
                            **({"meta": {"origin": span.origin}} if span.origin != TYPED
                               else {})})
            # an attribute is a per-region result of the same id, as Label Studio writes
            for name, value in span.attributes:
                if name not in self.known:
                    self.notes.add("attributes not in the label set (no control in the"
                                   " labeling config)")
                kind = "choices" if name in self.chosen else "textarea"
                results.append({"id": span.id, "from_name": name, "to_name": TEXT,
                                "type": kind, "value": {**region, ("choices" if kind ==
                                                                  "choices" else "text"):
                                                        [value]}})
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
        annotations = []
        named = {}
        for who, results in by_analyst.items():
            self.annotations += 1
            named[str(self.annotations)] = who
            annotations.append({"id": self.annotations, "result": results,
                                "was_cancelled": status.get(who) == "skipped",
                                "ground_truth": status.get(who) == "reviewed"})
        task: dict[str, Any] = {"data": {**doc.meta, TEXT: doc.text},  # never over the text
                                "annotations": annotations}
        if named:
            task["meta"] = {"annotators": named}
        return task


def write(articles: Iterable[Article], out: IO[bytes], notes: Notes,
          annotator: str | None, labels: LabelSet) -> int:
    writer = _Writer(labels, notes)
    count = 0
    out.write(b"[")
    for article in articles:
        out.write((b",\n" if count else b"\n") + json_bytes(writer.task(article, annotator)))
        count += 1
    out.write(b"\n]\n")
    return count


def config(labels: LabelSet) -> str:
    """The labeling config of a Label Studio project for this label set: its labels (with
    their keys and colours), relation types, and attributes as per-region controls."""
    view = ET.Element("View")
    spans = ET.SubElement(view, "Labels", name=LABELS, toName=TEXT)
    for label in labels.labels:
        ET.SubElement(spans, "Label", value=label.name,
                      **({"hotkey": label.key} if label.key else {}),
                      **({"background": label.colour} if label.colour.startswith("#")
                         else {}))
    ET.SubElement(view, "Text", name=TEXT, value=f"${TEXT}")
    if labels.relations:
        links = ET.SubElement(view, "Relations")
        for relation in labels.relations:
            ET.SubElement(links, "Relation", value=relation.name)
    for attribute in labels.attributes:
        # shown for a selected region of its label (of any label when it has several)
        only = {"whenLabelValue": attribute.labels[0]} if len(attribute.labels) == 1 else {}
        box = ET.SubElement(view, "View", visibleWhen="region-selected", **only)
        ET.SubElement(box, "Header", value=attribute.name)
        if attribute.values:
            choices = ET.SubElement(box, "Choices", name=attribute.name, toName=TEXT,
                                    perRegion="true", choice="single", showInline="true",
                                    **only)
            for value in attribute.values:
                ET.SubElement(choices, "Choice", value=value)
        else:
            ET.SubElement(box, "TextArea", name=attribute.name, toName=TEXT,
                          perRegion="true", maxSubmissions="1", editable="true", **only)
    ET.indent(view)
    return ET.tostring(view, encoding="unicode") + "\n"
