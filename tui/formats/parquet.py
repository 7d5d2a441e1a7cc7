"""Apache Parquet (export only; needs the ``parquet`` extra, pyarrow): tables that DuckDB,
Polars, Spark and Hugging Face ``datasets`` read as they are.

``gloss export --format parquet -o DIR`` writes a folder of two files:

- ``spans.parquet``, one row per span: ``article`` (its id), ``title``, ``start``, ``end``
  (code points, end exclusive), ``label``, ``text``, ``annotator``, ``status`` (that
  analyst's status of the article), ``source`` (where the span came from: ``gloss``, or
  the file it was imported from), ``canonical``, ``attributes`` (a list of ``{name,
  value}``: ``datasets`` has no map type), ``id``, ``created``, ``updated`` (UTC
  timestamps). The table SQL engines query and join.
- ``articles.parquet``, one row per article: ``id``, ``title``, ``date``, ``outlet``,
  ``meta`` (the whole metadata, as JSON), ``text``, ``statuses``, and its ``spans`` and
  ``relations`` as lists of structs: one training example a row, as ``datasets`` loads it.

``gloss claims --format parquet -o FILE`` writes the claims table, one row per claim (see
:data:`CLAIMS`).

Rows are written as the articles come, a row group each :data:`ROWS` rows or
:data:`TEXT` characters of text, so the writer holds one row group, never the dataset.
Nothing here imports pyarrow until a file is written: Gloss runs without it.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any
from urllib.parse import urlsplit

import orjson

from tui.core.claim_board import ClaimRow, claim_rows, name_of
from tui.core.corpus import InputError, Notes
from tui.core.dataset import Article
from tui.core.install import extra_command
from tui.core.model import Document, LabelSet

if TYPE_CHECKING:
    import pyarrow as pa
    import pyarrow.parquet as pq

ROWS = 50_000  # rows a row group, at most
TEXT = 16_000_000  # characters of article text a row group of articles.parquet, at most
SPANS_FILE, ARTICLES_FILE = "spans.parquet", "articles.parquet"

# The columns of each table, in order (their types: _schemas)
SPANS = ("article", "title", "start", "end", "label", "text", "annotator", "status",
         "source", "canonical", "attributes", "id", "created", "updated")
ARTICLES = ("id", "title", "date", "outlet", "meta", "text", "statuses", "spans",
            "relations")
CLAIMS = ("claim", "start", "end", "source", "canonical", "source_kind", "quote", "places",
          "article", "title", "outlet", "date", "analyst", "status", "id")
BAD_TIME = "span times that are not ISO 8601 written as null"


def _arrow() -> tuple[Any, Any]:
    try:
        import pyarrow
        import pyarrow.parquet
    except ImportError as exc:
        raise InputError("parquet", f"the parquet format needs pyarrow: "
                                    f"{extra_command('parquet')}") from exc
    return pyarrow, pyarrow.parquet


def write_folder(articles: Iterable[Article], folder: Path, notes: Notes,
                 annotator: str | None) -> int:
    """``spans.parquet`` and ``articles.parquet`` in ``folder``; the articles written."""
    pa, pq = _arrow()
    schemas = _schemas(pa)
    count = 0
    # the articles' spans have the same times: a bad one is said once, by the spans table
    with _Table(pq, pa, folder / SPANS_FILE, schemas["spans"], notes) as spans, \
            _Table(pq, pa, folder / ARTICLES_FILE, schemas["articles"], Notes()) as texts:
        for article in articles:
            document = article.document
            rows = [row for row in article.span_rows
                    if annotator is None or row["annotator"] == annotator]
            title = document.title
            for row in rows:
                spans.add({"article": document.id, "title": title,
                           "status": article.status.get(row["annotator"], "todo"),
                           "canonical": (row.get("attributes") or {}).get("canonical"),
                           **_span(row)})
            ids = {row["id"] for row in rows}
            texts.add({
                "id": document.id, "title": title, "date": _text(document.meta.get("date")),
                "outlet": outlet(document), "meta": orjson.dumps(document.meta).decode(),
                "text": document.text,
                "statuses": [{"annotator": who, "status": status}
                             for who, status in sorted(article.status.items())],
                "spans": [_span(row) for row in rows],
                "relations": [r.to_record() for r in article.relations
                              if r.head in ids and r.child in ids],
            }, len(document.text))
            count += 1
    return count


def write_claims(articles: Iterable[Article], out: IO[bytes], labels: LabelSet,
                 keep: Callable[[ClaimRow], bool] | None = None) -> int:
    """The claims table (one row per claim ``keep`` keeps) to ``out``; the claims written."""
    pa, pq = _arrow()
    written = 0
    with _Table(pq, pa, out, _schemas(pa)["claims"], Notes()) as table:
        for article in articles:
            document = article.document
            place = outlet(document)
            for row in claim_rows(article, labels, sentences=False):
                if keep is not None and not keep(row):
                    continue
                claim, source = row.claim, row.source
                table.add({
                    "claim": claim.text, "start": claim.start, "end": claim.end,
                    "source": source.text if source else None,
                    "canonical": name_of(source) if source else None,
                    "source_kind": claim.attribute("source_kind")
                    or ("actor" if source else None),
                    "quote": claim.attribute("quote"), "places": row.place_names,
                    "article": row.article, "title": row.title, "outlet": place,
                    "date": row.date or None, "analyst": claim.annotator,
                    "status": row.status, "id": claim.id})
                written += 1
    return written


def outlet(document: Document) -> str | None:
    """Who published the article: its ``outlet`` (or ``publisher``, ``site``) metadata,
    else the host of its ``url``; None when the article does not say."""
    meta = document.meta
    for name in ("outlet", "publisher", "site"):
        if meta.get(name):
            return _text(meta[name])
    url = meta.get("url")
    if isinstance(url, str):
        try:
            return urlsplit(url).hostname or None
        except ValueError:
            return None
    return None


def _text(value: Any) -> str | None:
    return None if value is None or value == "" else str(value)


def _span(row: dict[str, Any]) -> dict[str, Any]:
    return {"start": row["start"], "end": row["end"], "label": row["label"],
            "text": row["text"], "annotator": row["annotator"],
            "source": row.get("source", ""), "id": row["id"],
            "created": row.get("created", ""), "updated": row.get("updated", ""),
            "attributes": [{"name": k, "value": v}
                           for k, v in (row.get("attributes") or {}).items()]}


def _schemas(pa: Any) -> dict[str, pa.Schema]:
    time = pa.timestamp("ms", tz="UTC")
    attributes = pa.list_(pa.struct([("name", pa.string()), ("value", pa.string())]))
    span = [("start", pa.int64()), ("end", pa.int64()), ("label", pa.string()),
            ("text", pa.string()), ("annotator", pa.string()), ("source", pa.string()),
            ("id", pa.string()), ("created", time), ("updated", time),
            ("attributes", attributes)]
    types = dict(span)
    relation = pa.struct([(name, pa.string())
                          for name in ("head", "child", "label", "annotator", "id")])
    types.update({"article": pa.string(), "title": pa.string(), "status": pa.string(),
                  "canonical": pa.string(), "date": pa.string(), "outlet": pa.string(),
                  "meta": pa.string(), "statuses": pa.list_(pa.struct(
                      [("annotator", pa.string()), ("status", pa.string())])),
                  "spans": pa.list_(pa.struct(span)), "relations": pa.list_(relation),
                  "claim": pa.string(), "source_kind": pa.string(), "quote": pa.string(),
                  "places": pa.list_(pa.string()), "analyst": pa.string()})
    return {name: pa.schema([(column, types[column]) for column in columns])
            for name, columns in (("spans", SPANS), ("articles", ARTICLES),
                                  ("claims", CLAIMS))}


class _Table:
    """One Parquet file written a row group at a time: rows are kept column by column
    until there are :data:`ROWS` of them (or :data:`TEXT` characters), then written."""

    def __init__(self, pq: Any, pa: Any, where: Path | IO[bytes], schema: pa.Schema,
                 notes: Notes) -> None:
        self.pa = pa
        self.schema = schema
        self.notes = notes
        self.writer: pq.ParquetWriter = pq.ParquetWriter(where, schema)
        self.columns: dict[str, list[Any]] = {name: [] for name in schema.names}
        self.rows = 0
        self.size = 0

    def __enter__(self) -> _Table:
        return self

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        try:
            if kind is None:
                self.flush()
        finally:
            self.writer.close()

    def add(self, row: dict[str, Any], size: int = 0) -> None:
        for name, values in self.columns.items():
            values.append(row[name])
        self.rows += 1
        self.size += size
        if self.rows >= ROWS or self.size >= TEXT:
            self.flush()

    def flush(self) -> None:
        if not self.rows:
            return
        arrays = [self._array(name, values) for name, values in self.columns.items()]
        self.writer.write_batch(self.pa.record_batch(arrays, schema=self.schema))
        self.columns = {name: [] for name in self.schema.names}
        self.rows = self.size = 0

    def _array(self, name: str, values: list[Any]) -> pa.Array:
        kind = self.schema.field(name).type
        if name in ("created", "updated"):
            return _times(self.pa, values, kind, self.notes)
        if name == "spans":  # each span's times, as the spans table has them
            return _nested_times(self.pa, values, kind, self.notes)
        return self.pa.array(values, type=kind)


def _times(pa: Any, values: list[str], kind: pa.DataType, notes: Notes) -> pa.Array:
    """Gloss's ISO 8601 times as UTC timestamps, in one cast when every one parses (as
    Gloss writes them), else one by one, those that do not parse null and counted."""
    try:
        return pa.array(values, type=pa.string()).cast(kind)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return pa.array(list(_parsed(values, notes)), type=kind)


def _parsed(values: list[str], notes: Notes) -> Iterator[datetime.datetime | None]:
    for value in values:
        try:
            moment = datetime.datetime.fromisoformat(value)
        except (TypeError, ValueError):
            if value:
                notes.add(BAD_TIME)
            yield None
            continue
        yield moment if moment.tzinfo else moment.replace(tzinfo=datetime.UTC)


def _nested_times(pa: Any, values: list[list[dict[str, Any]]], kind: pa.DataType,
                  notes: Notes) -> pa.Array:
    """The articles' lists of spans, their times made timestamps as in ``_times``."""
    flat = [span for spans in values for span in spans]
    struct = kind.value_type
    children = []
    for field in struct:
        column = [span[field.name] for span in flat]
        children.append(_times(pa, column, field.type, notes) if field.name in (
            "created", "updated") else pa.array(column, type=field.type))
    inner = pa.StructArray.from_arrays(children, fields=list(struct))
    offsets = [0]
    for spans in values:
        offsets.append(offsets[-1] + len(spans))
    return pa.ListArray.from_arrays(pa.array(offsets, type=pa.int32()), inner, type=kind)
