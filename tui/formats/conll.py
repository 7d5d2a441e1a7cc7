"""CoNLL / IOB token files: one ``token<TAB>tag`` (or space separated, tag last) a line,
a blank line between sentences, ``-DOCSTART-`` between documents.

Import reads IOB2, IOB1 (an entity may start with ``I-``; detected and converted) and
BILOU/IOBES tags; the text is the tokens joined by spaces, sentences by line breaks.
Export writes IOB2 over Gloss's tokens. IOB holds one label a token: of overlapping spans
the longest is kept and the others counted in a warning, as are spans off token edges.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from tui.core.corpus import InputError, Notes, RawArticle
from tui.core.dataset import Article
from tui.formats.prodigy import tokenizer

TAG = re.compile(r"^(O|([BIESLU])-(\S+))$")
DOCSTART = "-DOCSTART-"


def read(path: Path, notes: Notes) -> Iterator[RawArticle]:
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(str(path), f"cannot read: {exc}") from exc
    document: list[list[tuple[str, str]]] = [[]]
    first_line = 1
    bad = False  # a bad line spoils its whole document (skipped under --skip-invalid)
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            if document[-1]:
                document.append([])
            continue
        fields = line.split("\t") if "\t" in line else line.split()
        if fields[0] == DOCSTART:
            if any(document) and not bad:
                yield _article(document, path, first_line, notes)
            document, first_line, bad = [[]], number + 1, False
            continue
        where = f"{path}:{number}"
        token, tag = fields[0], fields[-1]
        error = ("expected a token and a tag" if len(fields) < 2 else
                 None if TAG.match(tag) else f"{tag!r} is not an IOB tag (O, B-X, I-X, ...)")
        if error:
            if not bad:
                notes.reject(InputError(where, error))
            bad = True
            continue
        document[-1].append((token, tag))
    if any(document) and not bad:
        yield _article(document, path, first_line, notes)


def _article(sentences: list[list[tuple[str, str]]], path: Path, first_line: int,
             notes: Notes) -> RawArticle:
    text_parts: list[str] = []
    spans: list[dict[str, Any]] = []
    position = 0
    iob1 = False
    for sentence in (s for s in sentences if s):
        if text_parts:
            text_parts.append("\n")
            position += 1
        open_span: dict[str, Any] | None = None
        previous = "O"
        for i, (token, tag) in enumerate(sentence):
            if i:
                text_parts.append(" ")
                position += 1
            start, end = position, position + len(token)
            text_parts.append(token)
            position = end
            kind, label = (tag[0], tag[2:]) if tag != "O" else ("O", "")
            continues = kind in ("I", "E", "L") and previous[2:] == label and previous != "O" \
                and previous[0] not in ("E", "L", "S", "U")
            if kind == "I" and not continues:
                iob1 = True  # an entity that starts with I-: IOB1
            if kind == "O":
                open_span = None
            elif continues and open_span is not None:
                open_span["end"] = end
            else:
                open_span = {"start": start, "end": end, "label": label}
                spans.append(open_span)
            if kind in ("E", "L", "S", "U"):
                open_span = None
            previous = tag
    if iob1:
        notes.add("IOB1 entities (starting with I-) converted")
    return RawArticle("".join(text_parts), {"source": path.name}, f"{path}:{first_line}",
                      spans)


def write(articles: Iterable[Article], out: IO[bytes], notes: Notes,
          annotator: str | None) -> int:
    _, tokens_of = tokenizer()
    count = 0
    for article in articles:
        if count:
            out.write(f"{DOCSTART}\tO\n\n".encode())
        text = article.document.text
        tokens = tokens_of(text)
        tags = ["O"] * len(tokens)
        first = {t.start: i for i, t in enumerate(tokens)}
        last = {t.end: i for i, t in enumerate(tokens)}
        spans = sorted((s for s in article.spans if annotator is None or
                        s.annotator == annotator), key=lambda s: (-(s.end - s.start), s.start))
        for span in spans:  # longest first: it keeps its tokens
            if span.start not in first or span.end not in last:
                notes.add("spans off token edges left out of CoNLL")
                continue
            a, b = first[span.start], last[span.end]
            if any(tag != "O" for tag in tags[a:b + 1]):
                notes.add("overlapping spans left out of CoNLL (one label a token)")
                continue
            tags[a:b + 1] = [f"B-{span.label}"] + [f"I-{span.label}"] * (b - a)
        lines = []
        for token, tag in zip(tokens, tags, strict=True):
            if token.text.isspace():
                if "\n" in token.text and lines and lines[-1]:
                    lines.append("")
                continue
            lines.append(f"{token.text}\t{tag}")
        out.write(("\n".join(lines).rstrip("\n") + "\n\n").encode())
        count += 1
    return count
