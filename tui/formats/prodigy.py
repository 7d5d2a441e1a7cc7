"""Prodigy / spaCy JSONL: the default format, one article a line.

``{"text", "meta", "tokens": [{"text", "start", "end", "id", "ws"}], "spans": [{"start",
"end", "label", "token_start", "token_end", ...}], "answer": "accept"}``, code-point offsets,
``token_end`` inclusive as in Prodigy. On import a record answered ``accept`` is its
analyst's done work and one answered ``ignore`` a skipped article (never accepted data); one
not answered is raw input; ``reject`` is left out, counted.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Iterator, Sequence
from operator import itemgetter
from pathlib import Path
from typing import IO, Any

import orjson

import tui.formats.tokens_in_two as tokens_in_two
from tui.core.disk import token_cache
from tui.core.disk.collector import collector_paused
from tui.core.document.model import TYPED
from tui.core.language.export_tokens import (
    PIECE,
    TokenPiece,
    found_at,
    token_json,
    token_pieces,
    token_records,
    tokenizer,
)
from tui.core.language.visible import json_bytes, terminal_safe, terminal_unsafe
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


class _Tokens:
    """An article's tokens for its lines, made safe for a terminal: those an import kept,
    else made once for each of its lines when the text is one piece long, else made again
    a piece at a time for each line (a 20 MB article: 230 MB of JSON never held)."""

    def __init__(self, text: str, cached: token_cache.Cached | None) -> None:
        self.text = text
        # tokens are pieces of the text: a text without what a terminal acts on needs no
        # look at them (a scan of each article's tokens, twice its text, saved)
        self.unsafe = terminal_unsafe(text)
        self.json: bytes | None = None  # the JSON list of the tokens, when held whole
        # where each token starts and where each ends, in order (with ``json``)
        self.edges: tuple[Sequence[int], Sequence[int]] = ([], [])
        self._name: str | None = None
        if cached is not None:
            self._name = cached.name
            self.json, self.edges = self._safe(cached.tokens), (cached.starts, cached.ends)
        elif len(text) <= PIECE:
            made = token_json(text)
            self.json, self.edges = self._safe(made.json), (made.starts, made.ends)

    @property
    def name(self) -> str:
        """The tokenizer's name, asked of it when the line's head is made."""
        if self._name is None:
            self._name = tokenizer()[0]
        return self._name

    def pieces(self) -> Iterator[TokenPiece]:
        """The tokens a piece at a time (for a text too long to hold them whole)."""
        for piece in token_pieces(self.text):
            yield TokenPiece(piece.starts, piece.ends, self._safe(piece.json))

    def _safe(self, json: bytes) -> bytes:
        return terminal_safe(json) if self.unsafe else json


def line(article: Article, annotator: str | None, notes: Notes, tokens: _Tokens,
         workers: list[str] | None = None, head: bytes | None = None) -> Iterator[bytes]:
    """The line of ``article`` in pieces, its tokens written as they are made
    (``workers``: its analysts, when known already; ``head``: :func:`line_head`)."""
    rows = [row for row in article.span_rows  # the checked rows: no Span objects made
            if annotator is None or row["annotator"] == annotator]
    yield head if head is not None else line_head(article, tokens)
    # offset of a span's edge -> the token starting there, the token ending there
    first: dict[int, int] = {}
    last: dict[int, int] = {}
    wanted_starts = sorted({row["start"] for row in rows})
    wanted_ends = sorted({row["end"] for row in rows})
    if tokens.json is not None:
        found_at(first, wanted_starts, tokens.edges[0], 0)
        found_at(last, wanted_ends, tokens.edges[1], 0)
        yield tokens.json
    else:  # found in each piece as it is made
        count = 0
        yield b"["
        for piece in tokens.pieces():
            if count:
                yield b","
            yield piece.json
            found_at(first, wanted_starts, piece.starts, count)
            found_at(last, wanted_ends, piece.ends, count)
            count += len(piece.starts)
        yield b"]"
    yield _rest(article, annotator, notes, first, last,
                analysts(article) if workers is None else workers)


def line_head(article: Article, tokens: _Tokens) -> bytes:
    """The start of an article's line, up to its tokens: the same for each of its lines."""
    doc = article.document
    head = json_bytes({"text": doc.text, "meta": {**doc.meta, "tokenizer": tokens.name}})
    return head[:-1] + b',"tokens":'


_fields = itemgetter("start", "end", "label", "text", "annotator", "source", "id", "created",
                     "updated")
_BARE = 9  # the fields of a span row without attributes or origin


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
    # No collection meanwhile: an article's objects hold no cycles and go with it, so the
    # passes (a full one now and then over every object of the process) would free nothing.
    # Only in a command's main thread: the app exports in a thread beside its screens
    try:
        with collector_paused(main_thread_only=True):
            for article in articles:
                cached = None
                if article.path is not None:
                    folder = article.path.parent
                    if folder not in kept:
                        kept[folder] = token_cache.Index(folder)
                    cached = kept[folder].get(article.document.id, article.document.text)
                    if cached is None:  # said once at the end (``gloss tokens`` would keep it)
                        notes.add(token_cache.TOKENIZED)
                tokens = _Tokens(article.document.text, cached)
                if tokens.json is None and tokens_in_two.usable(out, article.document.text):
                    count += _in_two(article, tokens, out, notes, annotator)
                    continue
                head = line_head(article, tokens)  # the text and meta: once an article
                if tokens.json is not None:
                    # the token at each span's edge, looked up once for the article's lines
                    first = _at_edges([row["start"] for row in article.span_rows],
                                      tokens.edges[0])
                    last = _at_edges([row["end"] for row in article.span_rows],
                                     tokens.edges[1])
                    parts = []
                    for version, workers in versions(article, notes):
                        parts += (head, tokens.json,
                                  _rest(version, annotator, notes, first, last, workers))
                        count += 1  # lines: one an article and analyst
                    out.write(b"".join(parts))  # one write an article, not five a line
                else:
                    for version, workers in versions(article, notes):
                        for part in line(version, annotator, notes, tokens, workers, head):
                            out.write(part)  # a long article's tokens: as they are made
                        count += 1
    finally:
        for index in kept.values():
            index.close()
    return count


def _in_two(article: Article, tokens: _Tokens, out: IO[bytes], notes: Notes,
            annotator: str | None) -> int:
    """The lines of a long article, the tokens of each made on two processes
    (``tokens_in_two``); returns how many."""
    starts = sorted({row["start"] for row in article.span_rows})
    ends = sorted({row["end"] for row in article.span_rows})
    heads: list[bytes] = []

    def head() -> bytes:  # the same for each line: made once
        if not heads:
            heads.append(line_head(article, tokens))
        return heads[0]

    lines = 0
    for version, workers in versions(article, notes):
        first, last = tokens_in_two.write(article.document.text, out, head, starts, ends,
                                          tokens._safe)
        out.write(_rest(version, annotator, notes, first, last, workers))
        lines += 1
    return lines


def _at_edges(offsets: list[int], edges: Sequence[int]) -> dict[int, int]:
    """The token at each of ``offsets`` that is one of ``edges`` (sorted), by offset: each
    bisection from where the one before it ended (the offsets taken in order)."""
    found = {}
    at = 0
    count = len(edges)
    for offset in sorted(set(offsets)):
        at = bisect_left(edges, offset, at)
        if at == count:
            break
        if edges[at] == offset:
            found[offset] = at
    return found


def _rest(article: Article, annotator: str | None, notes: Notes, first: dict[int, int],
          last: dict[int, int], workers: list[str]) -> bytes:
    """What follows the tokens in the line of ``article`` (one version of it), as
    :func:`line` writes it: its spans, relations and answer, ``first`` and ``last`` the
    tokens where a span's edges are."""
    rows = article.span_rows
    if annotator is not None:
        rows = [row for row in rows if row["annotator"] == annotator]
    # the spans a relation names: only their edges are needed again (most spans are in none)
    linked = {end for r in article.relations for end in (r.head, r.child)}
    spans = []
    exported = {}
    off_edges = 0
    for row in rows:
        start, end, label, text, who, source, span_id, created, updated = _fields(row)
        token_start, token_end = first.get(start), last.get(end)
        # Gloss's own keys (Prodigy and spaCy pass them by), on every span: Hugging Face
        # datasets reads a span that lacks a key its neighbours have as untyped JSON,
        # and then no span of the file has typed fields
        if len(row) == _BARE:  # the common row: neither key
            attributes, origin = {}, TYPED
        else:
            attributes = row.get("attributes") or {}
            origin = row.get("origin") or TYPED  # a suggestion accepted, or typed
        if token_start is not None and token_end is not None:
            spans.append({"start": start, "end": end, "label": label, "text": text,
                          "token_start": token_start, "token_end": token_end,
                          "annotator": who, "source": source, "id": span_id,
                          "created": created, "updated": updated,
                          "attributes": attributes, "origin": origin})
            if span_id in linked:
                exported[span_id] = {"start": start, "end": end, "token_start": token_start,
                                     "token_end": token_end, "label": label}
        else:
            off_edges += 1
            spans.append({"start": start, "end": end, "label": label, "text": text,
                          "annotator": who, "source": source, "id": span_id,
                          "created": created, "updated": updated,
                          "attributes": attributes, "origin": origin})
    if off_edges:
        notes.add("spans off token edges (exported with character offsets only)", off_edges)
    return _after_tokens(article, orjson.dumps(spans), exported, workers)


def _after_tokens(article: Article, spans: bytes, exported: dict[str, dict[str, Any]],
                  workers: list[str]) -> bytes:
    """The end of a line: its spans (their JSON), the relations between those of them on
    token edges (``exported``: their edges, by id), whose example it is and its answer."""
    relations = [{"head": exported[r.head]["token_end"], "child": exported[r.child]["token_end"],
                  "head_span": exported[r.head], "child_span": exported[r.child],
                  "label": r.label}
                 for r in article.relations if r.head in exported and r.child in exported]
    rest = [b',"spans":', spans]
    if relations:
        rest += (b',"relations":', orjson.dumps(relations))
    if len(workers) == 1:  # whose example it is, as Prodigy's named sessions say it
        who = orjson.dumps(workers[0])
        rest += (b',"_annotator_id":', who, b',"_session_id":', who)
    said = answer(article, workers)
    if said is not None:  # an article nobody opened is a task to label, not an example
        rest += (b',"answer":', orjson.dumps(said))
    # the keys in the order of one object: text, meta, tokens, spans, relations, ...
    rest.append(b"}\n")
    return terminal_safe(b"".join(rest))


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
