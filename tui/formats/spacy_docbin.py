"""spaCy ``DocBin`` (``.spacy``), for ``spacy train``: needs the ``spacy`` extra.

Each article becomes a ``Doc`` from ``spacy.blank("en")``; token-aligned spans that do not
overlap are its ``ents``, and every token-aligned span is in ``doc.spans["gloss"]`` (a
span group may overlap). Spans off token edges are left out and counted. Where some spans
came from accepted suggestions, the group's ``attrs["origins"]`` lists each span's origin.

A ``DocBin`` is one zlib stream of one msgpack map whose fields hold every document's
arrays end to end, so ``DocBin.to_bytes`` needs them all in memory at once (3 GB for
20,000 articles). Here each article goes through a ``DocBin`` of its own and its fields
are spooled to temporary files, compressed; at the end the map is written field by field
through one compressor, in ``DocBin.to_bytes``'s order and msgpack encoding: the bytes are
``to_bytes``'s own, and memory is bounded by the largest article and the strings.
"""

from __future__ import annotations

import contextlib
import struct
import tempfile
import zlib
from collections.abc import Callable, Iterable
from typing import IO, Any

from tui.core.disk.install import extra_command
from tui.core.document.model import TYPED
from tui.core.store.corpus import InputError, Notes
from tui.core.store.dataset import Article

CHUNK = 1 << 20  # bytes a spool gives back at a time


def write(articles: Iterable[Article], out: IO[bytes], notes: Notes,
          annotator: str | None) -> int:
    try:
        import spacy  # noqa: F401  (here to say what to install; used in _write)
    except ImportError as exc:
        raise InputError("spacy", "the .spacy format needs spaCy: "
                                  f"{extra_command('spacy')}") from exc
    with contextlib.ExitStack() as files:
        fields = {name: _Spool(files.enter_context(tempfile.TemporaryFile()))
                  for name in ("tokens", "spaces", "cats", "flags", "span_groups",
                               "user_data")}
        return _write(articles, out, notes, annotator, fields)


def _write(articles: Iterable[Article], out: IO[bytes], notes: Notes, annotator: str | None,
           fields: dict[str, _Spool]) -> int:
    import spacy
    import srsly
    from spacy.tokens import DocBin
    from spacy.util import filter_spans

    nlp = spacy.blank("en")
    lengths = bytearray()
    strings: set[str] = set()
    shape = DocBin(store_user_data=True)
    count = 0
    for article in articles:
        doc = nlp.make_doc(article.document.text)
        spans = []
        origins: list[str] = []
        for span in article.spans:
            if annotator is not None and span.annotator != annotator:
                continue
            found = doc.char_span(span.start, span.end, label=span.label)
            if found is None:
                notes.add("spans off token edges left out of the DocBin")
            else:
                spans.append(found)
                origins.append(span.origin)
        ents = filter_spans(spans)
        if len(ents) < len(spans):  # counted a span, as the line says
            notes.add("overlapping spans kept in doc.spans['gloss'] only, not in doc.ents",
                      len(spans) - len(ents))
        doc.ents = ents
        doc.spans["gloss"] = spans
        if any(origin != TYPED for origin in origins):  # from accepted suggestions
            doc.spans["gloss"].attrs["origins"] = origins
        doc.user_data["gloss_id"] = article.document.id
        one = DocBin(store_user_data=True)
        one.add(doc)
        fields["tokens"].add(one.tokens[0].tobytes("C"))
        fields["spaces"].add(one.spaces[0].tobytes("C"))
        lengths += struct.pack("<i", len(doc))
        strings |= one.strings
        for name, value in (("cats", one.cats[0]), ("flags", one.flags[0]),
                            ("span_groups", one.span_groups[0]),
                            ("user_data", one.user_data[0])):
            fields[name].add(srsly.msgpack_dumps(value))
        count += 1
    _write_message(out, srsly.msgpack_dumps, shape, fields, bytes(lengths), strings)
    return count


def _write_message(out: IO[bytes], dumps: Callable[[Any], bytes], shape: Any,
                   fields: dict[str, _Spool], lengths: bytes, strings: set[str]) -> None:
    """``DocBin.to_bytes``'s message, a field at a time through one compressor."""
    compressor = zlib.compressobj()

    def emit(data: bytes) -> None:
        out.write(compressor.compress(data))

    emit(b"\x8a")  # a map of ten fields (``to_bytes`` with user data)
    for name, value in (("version", shape.version), ("attrs", shape.attrs)):
        emit(dumps(name) + dumps(value))
    for name in ("tokens", "spaces"):  # one bin: every document's array, end to end
        emit(dumps(name) + _bin_head(fields[name].size))
        fields[name].replay(emit)
    emit(dumps("lengths") + dumps(lengths) + dumps("strings") + dumps(sorted(strings)))
    for name in ("cats", "flags", "span_groups", "user_data"):  # lists, a document each
        emit(dumps(name) + _array_head(fields[name].items))
        fields[name].replay(emit)
    out.write(compressor.flush())


def _bin_head(size: int) -> bytes:
    """msgpack's head of ``size`` bytes, as msgpack packs them (its shortest)."""
    if size < 1 << 8:
        return struct.pack(">BB", 0xC4, size)
    if size < 1 << 16:
        return struct.pack(">BH", 0xC5, size)
    return struct.pack(">BI", 0xC6, size)


def _array_head(items: int) -> bytes:
    if items < 16:
        return bytes([0x90 | items])
    if items < 1 << 16:
        return struct.pack(">BH", 0xDC, items)
    return struct.pack(">BI", 0xDD, items)


class _Spool:
    """Bytes kept compressed in a temporary file until they are written out in order."""

    def __init__(self, file: IO[bytes]) -> None:
        self.file = file
        self.compressor = zlib.compressobj(1)
        self.size = 0
        self.items = 0

    def add(self, data: bytes) -> None:
        self.file.write(self.compressor.compress(data))
        self.size += len(data)
        self.items += 1

    def replay(self, emit: Callable[[bytes], None]) -> None:
        self.file.write(self.compressor.flush())
        self.file.seek(0)
        expander = zlib.decompressobj()
        while chunk := self.file.read(CHUNK):
            emit(expander.decompress(chunk))
        emit(expander.flush())
