"""Apache Parquet (export only; needs the ``parquet`` extra, pyarrow): tables that DuckDB,
Polars, Spark and Hugging Face ``datasets`` read as they are.

``gloss export --format parquet -o DIR`` writes a folder of two files:

- ``spans.parquet``, one row per span: ``article`` (its id), ``title``, ``start``, ``end``
  (code points, end exclusive), ``label``, ``text``, ``annotator``, ``status`` (that
  analyst's status of the article), ``source`` (where the span came from: ``gloss``, or
  the file it was imported from), ``canonical``, ``attributes`` (a list of ``{name,
  value}``: ``datasets`` has no map type), ``id``, ``created``, ``updated`` (UTC
  timestamps), ``origin`` (typed, or the kind of suggestion an analyst accepted:
  docs/suggestions.md). The table SQL engines query and join.
- ``articles.parquet``, one row per article: ``id``, ``title``, ``date``, ``outlet``,
  ``meta`` (the whole metadata, as JSON), ``text``, ``statuses``, and its ``spans`` and
  ``relations`` as lists of structs: one training example a row, as ``datasets`` loads it.

``gloss claims --format parquet -o FILE`` writes the claims table, one row per claim (see
:data:`CLAIMS`), in the order ``gloss claims`` prints them, from the index's claims tables
(``tui/claims_parquet.py``).

Rows are written as the articles come, a row group each :data:`ROWS` rows or
:data:`TEXT` characters of text, so the writer holds one row group, never the dataset.
Nothing here imports pyarrow until a file is written: Gloss runs without it.
"""

from __future__ import annotations

import datetime
import importlib.abc
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from importlib.machinery import ModuleSpec
from operator import itemgetter
from pathlib import Path
from types import ModuleType
from typing import IO, TYPE_CHECKING, Any

import orjson

from tui.core.disk.install import extra_command
from tui.core.document.model import TYPED
from tui.core.store import claim_columns
from tui.core.store.claim_table import outlet
from tui.core.store.corpus import InputError, Notes
from tui.core.store.dataset import Article

if TYPE_CHECKING:
    import pyarrow as pa
    import pyarrow.parquet as pq

# A row group is written once it holds ROWS spans (or claims), or TEXT characters of
# article text: until then its rows are Python objects, some hundred bytes a span.
ROWS = 20_000
TEXT = 4_000_000
SPANS_FILE, ARTICLES_FILE = "spans.parquet", "articles.parquet"

# The columns of each table, in order (their types: _schemas)
SPANS = ("article", "title", "start", "end", "label", "text", "annotator", "status",
         "source", "canonical", "attributes", "id", "created", "updated", "origin")
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
    _no_pandas_asked(lambda: pyarrow.array([], type=pyarrow.null()))
    return pyarrow, pyarrow.parquet


def _no_pandas_asked(ask: Callable[[], object]) -> None:
    """Arrow's first ``pa.array`` asks whether pandas is installed (is the list given a
    pandas object?) by importing it: 0.35 s of every command on a machine that has
    pandas, in each of its processes, for a question whose answer is no (no pandas object
    is ever given here). Asked once here, with pandas not to be found; a later call that
    needs pandas (``to_pandas``, in the same process) imports it then, as Arrow tries
    again for those."""
    if "pandas" in sys.modules:  # imported already: the answer costs nothing
        return
    hidden = _Hidden("pandas")
    sys.meta_path.insert(0, hidden)
    try:
        ask()
    finally:
        sys.meta_path.remove(hidden)


class _Hidden(importlib.abc.MetaPathFinder):
    """A module not to be found while this is first on ``sys.meta_path``."""

    def __init__(self, name: str) -> None:
        self.name = name

    def find_spec(self, fullname: str, path: Sequence[str] | None,
                  target: ModuleType | None = None) -> ModuleSpec | None:
        if fullname == self.name or fullname.startswith(self.name + "."):
            raise ModuleNotFoundError(f"no module named {fullname!r}", name=fullname)
        return None


def write_folder(articles: Iterable[Article], folder: Path, notes: Notes,
                 annotator: str | None) -> int:
    """``spans.parquet`` and ``articles.parquet`` in ``folder``; the articles written."""
    pa, pq = _arrow()
    count = 0
    with _Export(pa, pq, folder, notes) as export:
        for article in articles:
            export.add(article, [row for row in article.span_rows
                                 if annotator is None or row["annotator"] == annotator])
            count += 1
    return count


def write_claims(batches: Iterable[dict[str, Sequence[Any]] | pa.RecordBatch],
                 out: IO[bytes]) -> int:
    """The claims table to ``out`` from ``batches`` of its columns (:data:`CLAIMS`, each a
    list of one batch's values, or Arrow's: ``ClaimValues``), a row group each
    :data:`ROWS` rows; the claims written."""
    pa, pq = _arrow()
    with _Table(pq, pa, out, _schemas(pa)["claims"]) as table:
        for batch in batches:
            table.add(batch if isinstance(batch, pa.RecordBatch)
                      else claims_batch(pa, table.schema, batch))
    return table.written


class ClaimValues:
    """Batches of the claims table made by Arrow from the index's column values of a
    range of claims, joined (``claim_columns``), as they are: no Python object a value."""

    def __init__(self) -> None:
        self.pa, _pq = _arrow()
        self.schema = _schemas(self.pa)["claims"]
        import pyarrow.compute

        self.pc = pyarrow.compute
        # a compute function's first call asks about pandas too (0.26 s), as ``pa.array``'s
        # (of a Python value: whether it is one of pandas')
        _no_pandas_asked(lambda: self.pc.add(self.pa.array([0], self.pa.int32()), 0))
        self.steps = self.pa.array([], self.pa.int64())  # 0, 15, 30...: see ``_starts``

    def batch(self, count: int, data: bytes, lens: bytes) -> pa.RecordBatch | None:
        """The batch of ``count`` claims' values; None when they are not what
        ``claim_columns`` writes (forged by hand: the caller reads their cells)."""
        pa, pc, fixed = self.pa, self.pc, len(claim_columns.FIXED)
        if len(lens) % 4:
            return None
        try:
            sizes = pa.Array.from_buffers(pa.int32(), len(lens) // 4,
                                          [None, pa.py_buffer(lens)])
            given = pc.greater_equal(sizes, 0)
            flag, zero = (pa.scalar(n, pa.int32()) for n in (claim_columns.PLACE, 0))
            place = pc.and_(given, pc.not_equal(pc.bit_wise_and(sizes, flag), zero))
            # (offsets of 32 bits, as Arrow's strings have: a scalar of 64 would widen them)
            ends = pc.cumulative_sum_checked(pc.if_else(
                given, pc.bit_wise_and(sizes, pa.scalar(claim_columns.PLACE - 1, pa.int32())),
                zero))
            if (ends[-1].as_py() if len(ends) else 0) != len(data):
                return None
            every = pa.StringArray.from_buffers(
                len(sizes), pa.concat_arrays([pa.array([0], pa.int32()), ends]).buffers()[1],
                pa.py_buffer(data), given.buffers()[1])
            every.validate(full=True)  # the offsets, and UTF-8
            kept = pc.indices_nonzero(pc.invert(place))  # where each claim's values are
            if len(kept) != fixed * count:
                return None
            # every value taken once, column after column, each column a slice of them
            # (a filter, then a take a column, copied every string twice: 60 % of this)
            starts = self._starts(count)
            values = every.take(kept.take(pa.concat_arrays(
                [pc.add(starts, pa.scalar(at, pa.int64())) for at in range(fixed)])))
            column = {name: values.slice(at * count, count)
                      for at, name in enumerate(claim_columns.FIXED)}
            for name in ("start", "end"):
                column[name] = column[name].cast(pa.int64())
            counts = column["places"].cast(pa.int32())
            names = every.filter(place)
            least = pc.min(counts).as_py()
            if counts.null_count or (least is not None and least < 0) \
                    or (pc.sum(counts).as_py() or 0) != len(names):
                return None
            column["places"] = pa.ListArray.from_arrays(
                pa.concat_arrays([pa.array([0], pa.int32()),
                                  pc.cumulative_sum_checked(counts)]),
                names, type=self.schema.field("places").type)
            return pa.record_batch([column[name] for name in self.schema.names],
                                   schema=self.schema)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError):
            return None

    def _starts(self, count: int) -> pa.Array:
        """Where each of ``count`` claims' values start among them all: 0, 15, 30...
        (kept for the largest count yet: most ranges count about a row group's)."""
        if len(self.steps) < count:
            fixed = len(claim_columns.FIXED)
            self.steps = self.pa.array(range(0, fixed * count, fixed), self.pa.int64())
        return self.steps.slice(0, count)


def claims_batch(pa: Any, schema: pa.Schema, batch: dict[str, Sequence[Any]]
                 ) -> pa.RecordBatch:
    """One batch of the claims table's columns as Arrow's."""
    return pa.record_batch([pa.array(batch[name], type=field.type)
                            for name, field in zip(schema.names, schema, strict=True)],
                           schema=schema)


class ClaimsStream:
    """The claims table as an Arrow IPC stream (its schema, then batches of rows, then its
    end: each a message of bytes), for a second process to make part of it (written in
    turns with this one's into one pipe); :meth:`write` makes the Parquet file of it."""

    def __init__(self) -> None:
        self.pa, self.pq = _arrow()
        self.schema = _schemas(self.pa)["claims"]

    def head(self) -> bytes:
        return self.schema.serialize().to_pybytes()

    def batch(self, batch: dict[str, Sequence[Any]]) -> bytes:
        return claims_batch(self.pa, self.schema, batch).serialize().to_pybytes()

    @staticmethod
    def end() -> bytes:
        return b"\xff\xff\xff\xff\x00\x00\x00\x00"  # IPC's end of stream

    def write(self, source: IO[bytes], out: IO[bytes]) -> int:
        """The stream read from ``source`` (to its end: a stream cut short is an error)
        written to ``out`` as the Parquet file ``write_claims`` writes; the claims."""
        reader = self.pa.ipc.open_stream(source)
        with _Table(self.pq, self.pa, out, self.schema, encoder=False) as table:
            for batch in reader:
                table.add(batch)
        return table.written


def _text(value: Any) -> str | None:
    return None if value is None or value == "" else str(value)


def _schemas(pa: Any) -> dict[str, pa.Schema]:
    time = pa.timestamp("ms", tz="UTC")
    attributes = pa.list_(pa.struct([("name", pa.string()), ("value", pa.string())]))
    span = [("start", pa.int64()), ("end", pa.int64()), ("label", pa.string()),
            ("text", pa.string()), ("annotator", pa.string()), ("source", pa.string()),
            ("id", pa.string()), ("created", time), ("updated", time),
            ("attributes", attributes), ("origin", pa.string())]
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


# A span row's fields, in the order of a span in articles.parquet (attributes last)
_FIELDS = itemgetter("start", "end", "label", "text", "annotator", "source", "id", "created",
                     "updated")


class _Export:
    """``spans.parquet`` and ``articles.parquet`` written together, a row group each at a
    time: a span is kept as one tuple until the group is written, and its columns make
    both the spans table and the articles' lists of spans (the times are parsed once)."""

    def __init__(self, pa: Any, pq: Any, folder: Path, notes: Notes) -> None:
        self.pa = pa
        self.notes = notes
        self.schemas = _schemas(pa)
        self.spans = pq.ParquetWriter(folder / SPANS_FILE, self.schemas["spans"])
        self.articles = pq.ParquetWriter(folder / ARTICLES_FILE, self.schemas["articles"])
        self.span_rows: list[tuple[Any, ...]] = []
        self.article_rows: list[tuple[Any, ...]] = []
        self.text = 0

    def __enter__(self) -> _Export:
        return self

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        try:
            if kind is None:
                self.flush()
        finally:
            self.spans.close()
            self.articles.close()

    def add(self, article: Article, rows: list[dict[str, Any]]) -> None:
        document = article.document
        status = article.status
        doc_id, title = document.id, document.title
        self.span_rows += [(*_FIELDS(row), row.get("attributes"), row.get("origin", TYPED),
                            doc_id, title, status.get(row["annotator"], "todo"))
                           for row in rows]
        ids = {row["id"] for row in rows}
        self.article_rows.append((
            doc_id, title, _text(document.meta.get("date")), outlet(document),
            orjson.dumps(document.meta).decode(), document.text,
            [{"annotator": who, "status": said} for who, said in sorted(status.items())],
            len(rows), [r.to_record() for r in article.relations
                        if r.head in ids and r.child in ids]))
        self.text += len(document.text)
        if len(self.span_rows) + len(self.article_rows) >= ROWS or self.text >= TEXT:
            self.flush()

    def flush(self) -> None:
        if not self.article_rows:
            return
        pa, schema = self.pa, self.schemas["spans"]
        columns = list(zip(*self.span_rows, strict=True)) or [()] * 14
        (start, end, label, text, annotator, source, span_id, created, updated, attributes,
         origin, article, title, status) = columns
        kind = schema.field("attributes").type
        pairs = pa.array([[{"name": k, "value": v} for k, v in a.items()] if a else []
                          for a in attributes], type=kind)
        canonical = pa.array([a.get("canonical") if a else None for a in attributes],
                             type=pa.string())
        span = {"start": pa.array(start, type=pa.int64()),
                "end": pa.array(end, type=pa.int64()),
                **{name: pa.array(values, type=pa.string()) for name, values in (
                    ("label", label), ("text", text), ("annotator", annotator),
                    ("source", source), ("id", span_id), ("origin", origin))},
                "created": _times(pa, list(created), schema.field("created").type, self.notes),
                "updated": _times(pa, list(updated), schema.field("updated").type, self.notes),
                "attributes": pairs}
        table = {"article": pa.array(article, type=pa.string()),
                 "title": pa.array(title, type=pa.string()),
                 "status": pa.array(status, type=pa.string()), "canonical": canonical, **span}
        self.spans.write_batch(pa.record_batch([table[name] for name in SPANS],
                                               schema=schema))
        self._articles(span)
        self.span_rows, self.article_rows, self.text = [], [], 0

    def _articles(self, span: dict[str, Any]) -> None:
        """The row group of articles.parquet, its lists of spans made of the spans'
        columns (``span``) and where each article's spans start."""
        pa, schema = self.pa, self.schemas["articles"]
        columns = list(zip(*self.article_rows, strict=True))
        kind = schema.field("spans").type
        offsets = [0]
        for count in columns[7]:
            offsets.append(offsets[-1] + count)
        inner = pa.StructArray.from_arrays([span[f.name] for f in kind.value_type],
                                           fields=list(kind.value_type))
        spans = pa.ListArray.from_arrays(pa.array(offsets, type=pa.int32()), inner, type=kind)
        made = {name: pa.array(values, type=schema.field(name).type) for name, values in zip(
            ("id", "title", "date", "outlet", "meta", "text", "statuses"), columns[:7],
            strict=True)}
        made["spans"] = spans
        made["relations"] = pa.array(columns[8], type=schema.field("relations").type)
        self.articles.write_batch(pa.record_batch([made[name] for name in ARTICLES],
                                                  schema=schema))


class _Table:
    """The claims table, written a row group of :data:`ROWS` rows at a time (the last one
    shorter), whatever the batches given: the same groups however the rows were cut, so
    the same file whether one process or two made them (``claims_parquet.py``). A group
    is encoded and compressed by Arrow on a thread of its own (``encoder``: it lets
    Python's lock go) while the next rows are made, one group at a time in flight, so
    that at most two are held."""

    def __init__(self, pq: Any, pa: Any, where: IO[bytes], schema: pa.Schema,
                 encoder: bool = True) -> None:
        self.pa = pa
        self.schema = schema
        self.writer: pq.ParquetWriter = pq.ParquetWriter(where, schema)
        self.held: list[pa.RecordBatch] = []
        self.rows = self.written = 0
        self.encoder = ThreadPoolExecutor(1, thread_name_prefix="gloss-parquet") \
            if encoder else None
        self.writing: Future[None] | None = None

    def __enter__(self) -> _Table:
        return self

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        try:
            if kind is None:
                self.flush(last=True)
            self._written()
        finally:
            if self.encoder is not None:
                self.encoder.shutdown(wait=True)
            self.writer.close()

    def add(self, batch: pa.RecordBatch) -> None:
        self.held.append(batch)
        self.rows += batch.num_rows
        if self.rows >= ROWS:
            self.flush()

    def flush(self, last: bool = False) -> None:
        """Write the rows held in groups of ROWS (``last``: and the rest)."""
        if not self.rows or (self.rows < ROWS and not last):
            return
        table = self.pa.Table.from_batches(self.held, schema=self.schema)
        at = 0
        while self.rows - at >= ROWS or (last and at < self.rows):
            group = table.slice(at, ROWS).combine_chunks()
            self._written()
            if self.encoder is None:
                self.writer.write_table(group, row_group_size=group.num_rows)
            else:
                self.writing = self.encoder.submit(self.writer.write_table, group,
                                                   row_group_size=group.num_rows)
            at += group.num_rows
            self.written += group.num_rows
        self.held = table.slice(at).to_batches() if at < self.rows else []
        self.rows -= at

    def _written(self) -> None:
        """Wait for the group in flight; its error, if any, raised here."""
        writing, self.writing = self.writing, None
        if writing is not None:
            writing.result()


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
