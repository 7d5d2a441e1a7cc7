"""One article file's tables: made new, merged into, and checked on every read.

An article file is a TinyDB database with the tables ``article`` (one row: id, text,
meta, when it was added), ``spans``, ``status`` (one row an analyst), ``relations`` and,
once an analyst has rejected a suggestion, ``rejected`` (``suggest/rejections.py``).
A file is checked, not trusted: valid JSON of the wrong shape (``{}``, a span row that is
a number, an ``end`` that is a string, a ``meta`` that is a list) is a broken article like
invalid JSON, named with the first thing wrong in it, never read half-way and never
written over.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import fields
from operator import itemgetter
from pathlib import Path
from typing import Any, NoReturn

from tui.core.disk.storage import CorruptFileError
from tui.core.document import rejections
from tui.core.document.depth import TOO_DEEP, deeper_than
from tui.core.document.model import STATUSES, TYPED, Document, Relation, Span

_SPAN_TEXT_FIELDS = ("label", "text", "annotator", "id")
_SPAN_OPTIONAL_TEXT_FIELDS = ("source", "created", "updated", "origin")
_RELATION_TEXT_FIELDS = ("head", "child", "label", "annotator", "id")


class Article:
    """An article as read from its file: the document, its spans and each analyst's status.

    A file's span rows are all checked when it is read, but made into :class:`Span` objects
    only when ``spans`` is first asked for: the library and the JSONL export need only the
    rows (``span_rows``, in the same order), and 60,000 spans cost a tenth of a second to
    make on this machine."""

    __slots__ = ("_rows", "_spans", "added", "document", "path", "rejected", "relations",
                 "status")

    def __init__(self, document: Document, spans: list[Span] | None, status: dict[str, str],
                 added: int, relations: list[Relation] | None = None, *,
                 rows: list[dict[str, Any]] | None = None, path: Path | None = None,
                 rejected: list[dict[str, Any]] | None = None) -> None:
        self.document = document
        self.status = status
        self.added = added
        self.relations = relations if relations is not None else []
        self.path = path  # the file it was read from, if any
        # the suggestions analysts rejected here (rows of suggest/rejections.py)
        self.rejected = rejected if rejected is not None else []
        self._spans = spans
        self._rows = rows

    @property
    def spans(self) -> list[Span]:
        if self._spans is None:
            self._spans = [row_span(row) for row in self._rows or ()]
        return self._spans

    @property
    def span_rows(self) -> list[dict[str, Any]]:
        """The spans as stored rows (start, end, label, text, annotator, source, id,
        created, updated), ordered like ``spans``; not to be changed."""
        if self._rows is None:
            self._rows = [span.to_record() for span in self._spans or ()]
        return self._rows

    def __repr__(self) -> str:
        return f"Article({self.document.id}, {len(self.span_rows)} spans)"


# What an import or a merge brings to one article: its document, spans (or span rows) and
# relations.
Item = tuple[Document, Sequence[Span | dict[str, Any]], list[Relation]]


def new_tables(document: Document) -> dict[str, Any]:
    return {
        "article": {"1": {"id": document.id, "text": document.text, "meta": document.meta,
                          "added": time.time_ns()}},
        "spans": {},
        "status": {},
        "relations": {},
    }


def find_key(table: dict[str, Any], name: str, value: object) -> str | None:
    """The TinyDB document id of the row whose ``name`` field is ``value``."""
    return next((key for key, row in table.items() if row.get(name) == value), None)


def next_key(table: dict[str, Any]) -> int:
    """The next free TinyDB document id of a table (a batch adds 1, 2, ... to it)."""
    return max(map(int, table), default=0) + 1


def span_key(row: dict[str, Any]) -> tuple[Any, ...]:
    """What makes two stored spans the same annotation (see ``Span.key``)."""
    return (row.get("start"), row.get("end"), row.get("label"), row.get("annotator"))


def merge(tables: dict[str, Any], spans: Iterable[Span | dict[str, Any]],
          relations: Iterable[Relation], statuses: Iterable[dict[str, Any]] = (),
          replace_statuses: bool = True) -> tuple[int, int]:
    """Add to an article's tables the spans, relations and statuses it does not have yet.

    ``spans`` are spans, or span rows as an article file holds them (a merge of datasets
    copies checked rows, never making a span of each). A span whose id is there already
    is the same span: the one updated last is kept (an analyst who relabelled it since). A
    span of another id but the same extent, label and analyst is not added again, and the
    relations that named it are pointed at the one kept. A relation is one by id, or by
    (head, child, label). An analyst's status is the one updated last (with
    ``replace_statuses`` false, as an import brings them, only an analyst without one gets
    it: a file never overrides what was set in Gloss). Returns (spans, relations and
    statuses) added or changed.
    """
    table = tables.setdefault("spans", {})
    by_id: dict[str, str] = {}
    kept: dict[tuple[Any, ...], str] = {}
    for place, row in table.items():
        by_id[row["id"]] = place
        kept[_span_key(row)] = row["id"]
    free = next_key(table)
    renamed: dict[str, str] = {}
    added = 0
    for span in spans:
        row = span if isinstance(span, dict) else span.to_record()
        span_id = row["id"]
        place = by_id.get(span_id)
        if place is not None:
            if row.get("updated", "") > table[place].get("updated", ""):
                table[place] = row
                added += 1
            continue
        key = _span_key(row)
        same = kept.get(key)
        if same is not None:
            renamed[span_id] = same
            continue
        kept[key] = span_id
        by_id[span_id] = place = str(free)
        free += 1
        table[place] = row
        added += 1
    links = tables.setdefault("relations", {})
    have = {(r["head"], r["child"], r["label"]) for r in links.values()}
    ids = {r["id"] for r in links.values()}
    first_link = next_key(links)
    linked = 0
    for relation in relations:
        head = renamed.get(relation.head, relation.head)
        child = renamed.get(relation.child, relation.child)
        if (head, child, relation.label) in have or relation.id in ids:
            continue
        have.add((head, child, relation.label))
        ids.add(relation.id)
        links[str(first_link + linked)] = {**relation.to_record(), "head": head,
                                           "child": child}
        linked += 1
    rows = tables.setdefault("status", {})
    for status in statuses:
        key = find_key(rows, "annotator", status["annotator"])
        if key is None or (replace_statuses and status.get("updated", "")
                           > rows[key].get("updated", "")):
            rows[key or str(next_key(rows))] = dict(status)
            linked += 1
    return added, linked


# Every span row merged is checked (or made from a Span): these four are always there.
_span_key = itemgetter("start", "end", "label", "annotator")


def read_article(path: Path, data: Any) -> Article:
    """The article held by ``data`` (the parsed file at ``path``), checked whole.

    Raises :class:`CorruptFileError` naming the first thing wrong: the caller then treats
    the file as broken (named, skipped, never overwritten).
    """
    check = _Checker(path)
    tables = check.object(data, "the file")
    row = check.object(check.object(tables.get("article"), "the 'article' table").get("1"),
                       "the article row")
    doc_id, text, meta = row.get("id"), row.get("text"), row.get("meta")
    if not isinstance(doc_id, str) or doc_id != path.stem:
        check.fail(f"the article id {doc_id!r} is not the file's name")
    if not isinstance(text, str) or not text:
        check.fail("the article has no text")
    if deeper_than(check.object(meta, "the article's 'meta'")):
        check.fail(f"the article's 'meta' is {TOO_DEEP}")
    added = row.get("added", 0)
    if type(added) is not int:
        check.fail("the article's 'added' is not a whole number")
    rows = _span_rows(check, check.table(tables, "spans"), text)
    ids = {row["id"] for row in rows}
    relations = _relations(check, check.table(tables, "relations"), ids)
    status: dict[str, str] = {}
    for key, r in check.table(tables, "status").items():
        r = check.object(r, f"status row {key}")
        if not isinstance(r.get("annotator"), str) or r.get("status") not in STATUSES:
            check.fail(f"status row {key} needs an analyst and one of {', '.join(STATUSES)}")
        if not isinstance(r.get("updated", ""), str):  # a merge compares them
            check.fail(f"status row {key}: 'updated' is not text")
        status[r["annotator"]] = r["status"]
    rejected = list(check.table(tables, rejections.TABLE).values())
    for n, r in enumerate(rejected, start=1):
        problem = rejections.problem(r, text)
        if problem:
            check.fail(f"rejected row {n}: {problem}")
    # by (start, -end, label, analyst, id): three stable sorts in C, not a key each span
    rows.sort(key=_TIES)
    rows.sort(key=_END, reverse=True)
    rows.sort(key=_START)
    return Article(Document(doc_id, text, meta), None, status, added, relations, rows=rows,
                   path=path, rejected=rejected)


# A row with these fields in this order makes a Span by position; one with 'attributes'
# (an object in the file, pairs in a Span) or 'origin' (a suggestion accepted) after them
# goes through the slower way.
_SPAN_ROW = tuple(f.name for f in fields(Span) if f.name not in ("attributes", "origin"))
_BARE = len(_SPAN_ROW)
_WITH_ATTRIBUTES = (*_SPAN_ROW, "attributes")
_WITH_ORIGIN = (*_SPAN_ROW, "origin")
_WITH_BOTH = (*_SPAN_ROW, "attributes", "origin")
_RELATION_ROW = _RELATION_TEXT_FIELDS


def row_span(row: dict[str, Any]) -> Span:
    """The Span of a checked row (one of ``Article.span_rows``)."""
    if len(row) == _BARE:
        return Span(*row.values())
    values = list(row.values())[:_BARE]
    pairs = tuple(row.get("attributes", {}).items())
    return Span(*values, tuple(sorted(pairs)) if len(pairs) > 1 else pairs,
                row.get("origin", TYPED))
_TIES = itemgetter("label", "annotator", "id")
_END = itemgetter("end")
_START = itemgetter("start")


def _span_rows(check: _Checker, table: dict[str, Any], text: str) -> list[dict[str, Any]]:
    """The span rows, checked, each with the fields of a Span in its order. A row as Gloss
    writes it (without attributes) is checked in one expression; any other goes through
    :meth:`_Checker.span`, which names what is wrong (an export reads every row of every
    article: 60,000 at 2,000 articles)."""
    rows = []
    length = len(text)
    for key, row in table.items():
        shape = tuple(row) if type(row) is dict else ()
        if shape == _SPAN_ROW or (shape in _EXTENDED and _texts(row.get("attributes", {}))
                                  and type(row.get("origin", "")) is str):
            start, end, label, quoted, annotator, source, span_id, created, updated = \
                list(row.values())[:_BARE]
            if (type(start) is int and type(end) is int and 0 <= start < end <= length
                    and type(label) is str and type(annotator) is str
                    and type(source) is str and type(span_id) is str
                    and type(created) is str and type(updated) is str
                    and quoted == text[start:end]):
                rows.append(row)
                continue
        rows.append(check.span(key, row, text).to_record())
    return rows


_EXTENDED = (_WITH_ATTRIBUTES, _WITH_ORIGIN, _WITH_BOTH)


def _texts(attributes: Any) -> bool:
    return type(attributes) is dict and all(type(v) is str for v in attributes.values())


def _relations(check: _Checker, table: dict[str, Any], span_ids: set[str]) -> list[Relation]:
    """The relation rows, checked; a row as Gloss writes it in one expression (the claims
    board reads 40,000 links at 5,000 articles)."""
    relations = []
    for key, row in table.items():
        if type(row) is dict and tuple(row) == _RELATION_ROW:
            head, child, label, annotator, relation_id = row.values()
            if (type(head) is str and type(child) is str and head in span_ids
                    and child in span_ids and type(label) is str
                    and type(annotator) is str and type(relation_id) is str):
                relations.append(Relation(head, child, label, annotator, relation_id))
                continue
        relations.append(check.relation(key, row, span_ids))
    return relations


class _Checker:
    """The checks of :func:`read_article`, each naming the file and the row at fault."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, reason: str) -> NoReturn:
        raise CorruptFileError(f"{self.path}: not a Gloss article file ({reason}); the file"
                               " is left as it is")

    def object(self, value: Any, what: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.fail(f"{what} is not an object")
        return value

    def table(self, tables: dict[str, Any], name: str) -> dict[str, Any]:
        return self.object(tables.get(name, {}), f"the '{name}' table")

    def span(self, key: str, row: Any, text: str) -> Span:
        row = self.object(row, f"span row {key}")
        start, end = row.get("start"), row.get("end")
        if type(start) is not int or type(end) is not int:
            self.fail(f"span row {key}: 'start' and 'end' must be whole numbers")
        if not 0 <= start < end <= len(text):
            self.fail(f"span row {key}: {start}-{end} is outside the text")
        for name in _SPAN_TEXT_FIELDS:
            if type(row.get(name)) is not str:
                self.fail(f"span row {key}: '{name}' is not text")
        for name in _SPAN_OPTIONAL_TEXT_FIELDS:
            if name in row and type(row[name]) is not str:
                self.fail(f"span row {key}: '{name}' is not text")
        if row["text"] != text[start:end]:
            self.fail(f"span row {key}: its text is not the article's text at {start}-{end}")
        attributes = row.get("attributes", {})
        if not isinstance(attributes, dict) or not all(
                type(v) is str for v in attributes.values()):
            self.fail(f"span row {key}: 'attributes' must be an object of texts")
        return Span.from_record(row)

    def relation(self, key: str, row: Any, span_ids: set[str]) -> Relation:
        row = self.object(row, f"relation row {key}")
        for name in _RELATION_TEXT_FIELDS:
            if type(row.get(name)) is not str:
                self.fail(f"relation row {key}: '{name}' is not text")
        if row["head"] not in span_ids or row["child"] not in span_ids:
            self.fail(f"relation row {key} names a span that is not in the file")
        return Relation.from_record(row)
