"""Prodigy / spaCy JSONL: the default format, one article a line.

``{"text", "meta", "tokens": [{"text", "start", "end", "id", "ws"}], "spans": [{"start",
"end", "label", "token_start", "token_end", ...}], "answer": "accept"}``, code-point offsets,
``token_end`` inclusive as in Prodigy. On import a record answered ``accept`` is its
analyst's done work and one answered ``ignore`` a skipped article (never accepted data); one
not answered is raw input; ``reject`` is left out, counted.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from operator import itemgetter
from pathlib import Path
from typing import IO, Any

import orjson

from tui.core.disk import token_cache
from tui.core.document.model import TYPED
from tui.core.language.export_tokens import token_records, tokenizer
from tui.core.language.visible import json_bytes
from tui.core.store.corpus import (
    InputError,
    Notes,
    RawArticle,
    json_lines,
    list_field,
    object_field,
)
from tui.core.store.dataset import Article
from tui.core.store.export_selection import analysts, answer, restricted


def read(path: Path, notes: Notes) -> Iterator[RawArticle]:
    for where, record in json_lines(path, notes):
        try:
            raw = _record(record, where, notes)
        except InputError as exc:
            notes.reject(exc)
            continue
        if raw is not None:
            yield raw


ANSWERS = ("accept", "reject", "ignore")


# What an answer says of the analyst's work: an accepted example is done (its spans are all
# there are, none at all included), an ignored one skipped (kept out of training, as Prodigy
# keeps it). A record without an answer is a task to label, or pre-annotated input.
DECIDED = {"accept": "done", "ignore": "skipped"}


def _record(record: dict[str, Any], where: str, notes: Notes) -> RawArticle | None:
    said = record.get("answer")
    if said is not None and said not in ANSWERS:
        raise InputError(where, f"'answer' must be one of {', '.join(ANSWERS)}")
    if said == "reject":  # in a manual task: the text itself is bad; Gloss has no such status
        notes.add(f"records answered {said!r} skipped")
        return None
    if said == "ignore":
        notes.add("records answered 'ignore' imported as skipped")
    text = record.get("text")
    if not isinstance(text, str):
        raise InputError(where, "no 'text' string")
    spans = list_field(record, "spans", where, notes)
    annotator = record.get("_annotator_id")
    if annotator is not None and not isinstance(annotator, str):
        notes.reject(InputError(where, "'_annotator_id' must be text"))
        annotator = None
    if annotator:
        spans = [{"annotator": annotator, **s} if isinstance(s, dict) else s for s in spans]
    meta = object_field(record, "meta", where, notes)
    return RawArticle(text, meta, where, spans,
                      _relations(list_field(record, "relations", where, notes), spans,
                                 where, notes),
                      {annotator or "": DECIDED[said]} if said in DECIDED else {})


def _relations(relations: list[Any], spans: list[Any], where: str, notes: Notes
               ) -> list[dict[str, Any]]:
    """Prodigy relations name their spans by ``head_span`` / ``child_span`` offsets (and
    label, where two spans share their offsets)."""
    index: dict[tuple[Any, ...], int] = {}
    for i, span in enumerate(spans):
        if isinstance(span, dict) and _offsets(span):
            index.setdefault(_offsets(span), i)
            index.setdefault((*_offsets(span), _label(span)), i)
    out = []
    for n, relation in enumerate(relations, start=1):
        ends = [relation.get(k) for k in ("head_span", "child_span")] \
            if isinstance(relation, dict) else []
        found = [_find(index, end) for end in ends]
        if len(found) != 2 or None in found:
            notes.reject(InputError(where, f"relation {n} names a span that is not in"
                                           " 'spans'"))
            continue
        out.append({"head": found[0], "child": found[1], "label": relation.get("label")})
    return out


def _find(index: dict[tuple[Any, ...], int], end: Any) -> int | None:
    """The span a relation's end names: by offsets and label, else by offsets alone."""
    if not isinstance(end, dict) or not _offsets(end):
        return None
    found = index.get((*_offsets(end), _label(end)))
    return found if found is not None else index.get(_offsets(end))


def _label(span: dict[str, Any]) -> str | None:
    label = span.get("label")
    return label if isinstance(label, str) else None


def _offsets(span: dict[str, Any]) -> tuple[int, int] | tuple[()]:
    start, end = span.get("start"), span.get("end")
    if type(start) is int and type(end) is int:
        return (start, end)
    return ()


def record(article: Article, annotator: str | None, notes: Notes,
           cached: token_cache.Cached | None = None, workers: list[str] | None = None
           ) -> dict[str, Any]:
    """The line of ``article`` (``workers``: its analysts, when known already)."""
    doc = article.document
    if cached is not None:  # the tokens an import kept: copied, not made again
        name, first, last = cached.name, cached.first, cached.last
        tokens: Any = orjson.Fragment(cached.tokens)
    else:
        name = tokenizer()[0]
        tokens = token_records(doc.text)
        first = {t["start"]: t["id"] for t in tokens}
        last = {t["end"]: t["id"] for t in tokens}
    spans = []
    for row in article.span_rows:  # the checked rows: no Span objects made for an export
        start, end, label, text, who, source, span_id, created, updated = _fields(row)
        if annotator is not None and who != annotator:
            continue
        if start in first and end in last:
            out = {"start": start, "end": end, "label": label, "text": text,
                   "token_start": first[start], "token_end": last[end], "annotator": who,
                   "source": source, "id": span_id, "created": created, "updated": updated}
        else:
            notes.add("spans off token edges (exported with character offsets only)")
            out = {"start": start, "end": end, "label": label, "text": text, "annotator": who,
                   "source": source, "id": span_id, "created": created, "updated": updated}
        # Gloss's own keys (Prodigy and spaCy pass them by), on every span: Hugging Face
        # datasets reads a span that lacks a key its neighbours have as untyped JSON,
        # and then no span of the file has typed fields
        out["attributes"] = row.get("attributes") or {}
        out["origin"] = row.get("origin") or TYPED  # a suggestion accepted, or typed
        spans.append(out)
    exported = {s["id"]: s for s in spans if "token_end" in s}
    relations = [{"head": exported[r.head]["token_end"], "child": exported[r.child]["token_end"],
                  "head_span": _ends(exported[r.head]), "child_span": _ends(exported[r.child]),
                  "label": r.label}
                 for r in article.relations if r.head in exported and r.child in exported]
    line: dict[str, Any] = {
        "text": doc.text,
        "meta": {**doc.meta, "tokenizer": name},
        "tokens": tokens,
        "spans": spans,
    }
    if relations:
        line["relations"] = relations
    workers = analysts(article) if workers is None else workers
    if len(workers) == 1:  # whose example it is, as Prodigy's named sessions say it
        line["_annotator_id"] = line["_session_id"] = workers[0]
    said = answer(article, workers)
    if said is not None:  # an article nobody opened is a task to label, not an example
        line["answer"] = said
    return line


_fields = itemgetter("start", "end", "label", "text", "annotator", "source", "id", "created",
                     "updated")


def _ends(span: dict[str, Any]) -> dict[str, Any]:
    return {k: span[k] for k in ("start", "end", "token_start", "token_end", "label")}


def versions(article: Article, notes: Notes) -> list[tuple[Article, list[str]]]:
    """The article as Prodigy holds annotations: one example an analyst, each with its
    ``_annotator_id`` and its own answer (``prodigy review`` takes them so), with the
    analysts of each. A link between two analysts' spans belongs to neither: left out,
    counted."""
    workers = analysts(article)
    if len(workers) < 2:
        return [(article, workers)]
    split = [(restricted(article, [who]), [who]) for who in workers]
    lost = len(article.relations) - sum(len(v.relations) for v, _ in split)
    if lost:
        notes.add("links between two analysts' spans left out (one line an analyst)", lost)
    return split


def write(articles: Iterable[Article], out: IO[bytes], notes: Notes,
          annotator: str | None) -> int:
    count = 0
    kept: dict[Path, token_cache.Index] = {}  # the tokens an import kept, by dataset
    try:
        for article in articles:
            cached = None
            if article.path is not None:
                folder = article.path.parent
                if folder not in kept:
                    kept[folder] = token_cache.Index(folder)
                cached = kept[folder].get(article.document.id, article.document.text)
            for version, workers in versions(article, notes):
                out.write(json_bytes(record(version, annotator, notes, cached, workers)))
                out.write(b"\n")
                count += 1  # lines: one an article and analyst
    finally:
        for index in kept.values():
            index.close()
    return count


def rejected(articles: Iterable[Article], out: IO[bytes], notes: Notes,
             annotator: str | None) -> int:
    """The suggestions analysts rejected, one example each, as Prodigy's binary
    annotation writes them (``ner.teach``): the text and tokens, the one span suggested
    (with the finder as its ``origin``), ``answer: "reject"`` and whose answer it was.
    Returns the number of examples."""
    count = 0
    for article in articles:
        rows = [row for row in article.rejected
                if annotator is None or row["annotator"] == annotator]
        if not rows:
            continue
        doc = article.document
        name = tokenizer()[0]
        tokens = token_records(doc.text)
        first = {t["start"]: t["id"] for t in tokens}
        last = {t["end"]: t["id"] for t in tokens}
        for row in rows:
            span = {"start": row["start"], "end": row["end"], "label": row["label"],
                    "text": row["text"], "origin": row["kind"]}
            if row["start"] in first and row["end"] in last:
                span["token_start"], span["token_end"] = first[row["start"]], last[row["end"]]
            else:
                notes.add("rejected spans off token edges (with character offsets only)")
            who = row["annotator"]
            line = {"text": doc.text, "meta": {**doc.meta, "tokenizer": name},
                    "tokens": tokens, "spans": [span], "answer": "reject",
                    "_annotator_id": who, "_session_id": who}
            out.write(json_bytes(line) + b"\n")
            count += 1
    return count
