"""CoNLL / IOB token files, as tools write them and as corpora ship them.

One token a line. Three layouts, told apart by the first token line:

- *columns*: the token first, the tag last, tab or space separated (CoNLL-2003, spaCy's
  ``.iob``, doccano); a blank line ends a sentence, ``-DOCSTART-`` a document;
- *CoNLL-U*: ten tab-separated columns, an integer ID first; the tag is the MISC column
  itself or its ``NER=`` item, ``SpaceAfter=No`` is honoured, multiword-token ranges (``1-2``)
  and empty nodes (``1.1``) are skipped (their words are kept);
- *header*: a first line naming the columns, ``TOKEN`` first (HIPE / impresso newspaper
  TSV); the tag is the ``NE-COARSE-LIT`` column (else ``NER``, ``NE``, ``TAG``...), MISC's
  ``NoSpaceAfter`` / ``EndOfLine`` / ``EndOfSentence`` are honoured.

``#`` lines are comments. ``# newdoc``, ``# file:`` and ``# document_id`` start a new article,
as ``-DOCSTART-`` does; ``# key = value`` lines before an article's first token go into its
meta (``# text`` and ``# sent_id``, which repeat every sentence, do not).

Import reads IOB2, IOB1 (an entity may start with ``I-``; detected and converted) and
BILOU/IOBES tags. The text is the tokens joined by spaces, sentences by line breaks (a
document without any gets one after each ``.`` ``!`` ``?`` outside an entity). A token that
would fuse with its neighbour into one character (it begins with a combining mark, say) is
joined by a tab instead, which Unicode never fuses, so its edges stay span edges.
Under ``--skip-invalid`` a bad tag makes its token ``O``; only that line is reported.

Export writes IOB2 over Gloss's tokens. IOB holds one label a token: of overlapping spans
the longest is kept and the others counted in a warning, as are spans off token edges. A
control character in a token is written ``\\xHH`` (and read back), never raw.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from tui.core.language.export_tokens import tokenizer
from tui.core.language.text import GRAPHEME
from tui.core.store.corpus import InputError, Notes, RawArticle, text_blocks
from tui.core.store.dataset import Article

_CONTROLS = "\x00-\x1f\x7f-\x9f"
TAG = re.compile(f"O|[BIESLU]-[^\\s{_CONTROLS}]+")
DOCSTART = "-DOCSTART-"
_CONLLU_ID = re.compile(r"\d+")
_CONLLU_SKIPPED = re.compile(r"\d+(?:-\d+|\.\d+)")  # a multiword range, an empty node
# ``# key = value`` or ``# key: value``; CoNLL-U's keys may have a second word (newdoc id)
_COMMENT = re.compile(r"#\s*([A-Za-z_][\w.:-]*(?: id)?)\s*(?:=|:(?!//))\s*(.*)")
_SENTENCE_KEYS = ("text", "sent_id", "newpar", "newpar_id", "segment_iiif_link")
_TAG_COLUMNS = ("NE-COARSE-LIT", "NER", "NE", "TAG", "LABEL", "IOB")
_NO_SPACE = ("SpaceAfter=No", "NoSpaceAfter")
_LINE_END = ("EndOfLine", "EndOfSentence", "EndOfParagraph")
_SENTENCE_END = (".", "!", "?")
# Written \xHH and read back: a control, a backslash that would read as such an escape,
# and the first hyphen of a -DOCSTART- token (spaCy keeps one whole), read as a separator.
_ESCAPED = r"[01][0-9a-fA-F]|7[fF]|[89][0-9a-fA-F]|5[cC]|2[dD]"
_ESCAPE = re.compile(f"[{_CONTROLS}]|\\\\(?=x(?:{_ESCAPED}))|^-(?=DOCSTART-$)")
_UNESCAPE = re.compile(f"\\\\x({_ESCAPED})")


@dataclass(frozen=True, slots=True)
class _Layout:
    token: int
    tag: int | None  # None: CoNLL-U, the tag is MISC or its NER= item
    misc: int | None
    width: int  # the fields of a token line


def read(path: Path, notes: Notes) -> Iterator[RawArticle]:
    try:
        lines = _lines(path)
    except InputError as exc:
        notes.reject(exc)  # skipping invalid input: the file is the unit set aside
        return
    yield from _Reader(path, notes).articles(lines)


def _lines(path: Path) -> Iterator[str]:
    """The file's lines without their ends, as splitting it whole at its line ends gave
    them (an empty one after a last line end); read as they are used, the whole file
    checked to be UTF-8 here, before the first (an ``InputError``)."""
    blocks = text_blocks(path)
    return _split(next(blocks, ""), blocks)


def _split(first: str, blocks: Iterator[str]) -> Iterator[str]:
    block = first
    for after in blocks:  # each block but the last ends a line: no line is cut in two
        yield from _one_end(block).split("\n")[:-1]
        block = after
    yield from _one_end(block).split("\n")


def _one_end(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


class _Reader:
    def __init__(self, path: Path, notes: Notes) -> None:
        self.path = path
        self.notes = notes
        self.layout: _Layout | None = None
        self.header: list[str] | None = None
        self.article = _Article()
        self.comments: dict[str, str] = {}  # since the last token line: the next meta

    def articles(self, lines: list[str]) -> Iterator[RawArticle]:
        found = 0
        for number, line in enumerate(lines, start=1):
            if not line or line.isspace():
                self.article.end_sentence()
                continue
            fields = line.split("\t") if "\t" in line else line.split()
            if line[0] == "#" and not self._hash_token(fields):
                if self._comment(line) and self.article.parts:
                    found += 1
                    yield self._finish()
                continue
            if fields[0] == DOCSTART:
                if self.article.parts:
                    found += 1
                    yield self._finish()
                continue
            if self.layout is None:
                try:
                    self.layout = self._layout(fields, number)
                except InputError as exc:
                    self.notes.reject(exc)
                    return
                if self.header is not None:
                    continue
            if fields == self.header:
                continue
            self._token(fields, number)
        if self.article.parts:
            yield self._finish()
        elif not found:
            self.notes.reject(InputError(str(self.path), "no token lines"))

    def _finish(self) -> RawArticle:
        article, self.article = self.article, _Article()
        if article.iob1:
            self.notes.add("IOB1 entities (starting with I-) converted")
        return article.raw(self.path)

    def _layout(self, fields: list[str], number: int) -> _Layout:
        if len(fields) == 10 and _CONLLU_ID.fullmatch(fields[0].split("-")[0].split(".")[0]):
            return _Layout(token=1, tag=None, misc=9, width=10)
        if fields[0].upper() == "TOKEN" and len(fields) > 1 and not TAG.fullmatch(fields[-1]):
            names = [name.strip().upper() for name in fields]
            tag = next((names.index(n) for n in _TAG_COLUMNS if n in names),
                       next((i for i, n in enumerate(names) if n.startswith("NE-")), None))
            if tag is None:
                raise InputError(f"{self.path}:{number}", "a header line without a named"
                                 f" entity column ({', '.join(_TAG_COLUMNS)})")
            self.header = fields
            return _Layout(token=0, tag=tag, width=len(fields),
                           misc=names.index("MISC") if "MISC" in names else None)
        return _Layout(token=0, tag=-1, misc=None, width=max(len(fields), 2))

    def _hash_token(self, fields: list[str]) -> bool:
        """A line that starts with ``#`` is a comment, unless it reads as a token line of
        this file (a ``#`` token with a tag): never in CoNLL-U, where a token has an ID."""
        layout = self.layout
        if layout is None:
            return len(fields) == 2 and TAG.fullmatch(fields[1].strip()) is not None
        return (layout.tag is not None and len(fields) == layout.width
                and TAG.fullmatch(fields[layout.tag].strip()) is not None)

    def _comment(self, line: str) -> bool:
        """Note one comment line; True when it starts a new article."""
        match = _COMMENT.match(line)
        body = line[1:].strip()
        if match is None:
            self.notes.add("comment lines (#) skipped")
            return body in ("newdoc", "file")
        key, value = match.group(1).replace(" ", "_"), match.group(2).strip()
        starts = key in ("newdoc", "newdoc_id", "file") or key.endswith("document_id")
        if key in _SENTENCE_KEYS or key.startswith("text_") or not value:
            self.notes.add("comment lines (#) skipped")
        else:
            self.comments[f"conll_{key}" if key in ("id", "source") else key] = value
        return starts

    def _token(self, fields: list[str], number: int) -> None:
        layout = self.layout
        assert layout is not None
        misc = "_" if layout.misc is None or len(fields) <= layout.misc else fields[layout.misc]
        tag: str | None
        if layout.tag is None:  # CoNLL-U
            if len(fields) != 10:
                self._reject(number, "expected 10 tab-separated columns (CoNLL-U)")
                return
            if _CONLLU_SKIPPED.fullmatch(fields[0]):
                self.notes.add("CoNLL-U multiword-token and empty-node lines skipped"
                               " (their words are kept)")
                return
            tag = _misc_tag(misc)
        elif len(fields) < 2 or len(fields) <= layout.tag or len(fields) <= layout.token:
            tag = None
        else:
            tag = fields[layout.tag].strip()
        token = fields[layout.token]  # as written: " \u0303" is a token of Gloss's own
        if not token or token.isspace():
            self.notes.add("empty tokens skipped")
            return
        if tag != "O" and (tag is None or TAG.fullmatch(tag) is None):
            self._reject(number, "expected a token and a tag" if tag is None
                         else f"{tag!r} is not an IOB tag (O, B-X, I-X, ...)")
            tag = "O"  # skipping invalid input: the token stays, outside any entity
        if "\\x" in token:
            token = _UNESCAPE.sub(lambda m: chr(int(m.group(1), 16)), token)
        if not token.isascii() and not unicodedata.is_normalized("NFC", token):
            token = unicodedata.normalize("NFC", token)  # as stored: offsets never move
        if not self.article.parts:
            self.article.start(number, self.comments)
            self.comments = {}
        elif self.comments:  # said of a sentence, not of the article
            self.notes.add("comment lines (#) skipped", len(self.comments))
            self.comments = {}
        if misc == "_" or misc == "O":
            self.article.add(token, tag, True, False)
        else:
            items = misc.split("|")
            self.article.add(token, tag, space_after=not any(i in _NO_SPACE for i in items),
                             line_after=any(i in _LINE_END for i in items))

    def _reject(self, number: int, reason: str) -> None:
        self.notes.reject(InputError(f"{self.path}:{number}", reason))


def _misc_tag(misc: str) -> str:
    """The tag a CoNLL-U MISC column holds: itself, its ``NER=`` item, else ``O``."""
    if misc == "_" or TAG.fullmatch(misc):
        return "O" if misc == "_" else misc
    items = misc.split("|")
    for item in items:
        if item.startswith("NER="):
            return "O" if item == "NER=_" else item[4:]
    return "O" if all("=" in item for item in items) else misc


class _Article:
    """The text and spans of one article, built token by token in one pass."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.spans: list[dict[str, Any]] = []
        self.meta: dict[str, Any] = {}
        self.first_line = 0
        self.open: dict[str, Any] | None = None
        self.previous = "O"  # the tag of the token before, in this sentence
        self.last = ""  # the token before
        self.glue = ""  # what goes before the next token: " ", "" or "\n"
        self.broken = False  # a line break between two tokens
        self.ends: list[int] = []  # parts that are a space after . ! ? outside an entity
        self.iob1 = False

    def start(self, number: int, meta: dict[str, str]) -> None:
        self.first_line = number
        self.meta = meta

    def end_sentence(self) -> None:
        if self.parts:
            self.glue = "\n"
            self.open = None
            self.previous = "O"

    def add(self, token: str, tag: str, space_after: bool, line_after: bool) -> None:
        if self.parts:
            glue = self.glue
            if glue != "\n" and (token[0] >= "\u0300" or self.last[-1] >= "\u0300") \
                    and not _apart(self.last, glue, token):
                glue = "\t"
            if glue == " " and self.previous == "O" and self.last in _SENTENCE_END:
                self.ends.append(len(self.parts))
            self.broken = self.broken or glue == "\n"
            if glue:
                self.parts.append(glue)
                self.length += len(glue)
        start = self.length
        end = self.length = start + len(token)
        self.parts.append(token)
        self._tag(tag, start, end)
        self.last = token
        self.glue = "\n" if line_after else " " if space_after else ""

    def _tag(self, tag: str, start: int, end: int) -> None:
        kind, label = (tag[0], tag[2:]) if tag != "O" else ("O", "")
        previous = self.previous
        continues = kind in "IEL" and previous != "O" and previous[2:] == label \
            and previous[0] not in "ELSU"
        if kind == "I" and not continues:
            self.iob1 = True  # an entity that starts with I-: IOB1
        if kind == "O":
            self.open = None
        elif continues and self.open is not None:
            self.open["end"] = end
        else:
            self.open = {"start": start, "end": end, "label": label}
            self.spans.append(self.open)
        if kind in "ESLU":
            self.open = None
        self.previous = tag

    def raw(self, path: Path) -> RawArticle:
        if not self.broken:  # no sentence marked at all: a line a sentence, by punctuation
            for i in self.ends:
                self.parts[i] = "\n"  # as long as the space: no offset moves
        return RawArticle("".join(self.parts), {"source": path.name, **self.meta},
                          f"{path}:{self.first_line}", self.spans)


def _apart(before: str, glue: str, after: str) -> bool:
    """True when ``before + glue + after`` keeps both tokens whole: a grapheme boundary at
    each edge of the glue, and nothing that NFC would compose across it."""
    joined = before + glue + after
    if not unicodedata.is_normalized("NFC", joined):
        return False
    starts = {m.start() for m in GRAPHEME.finditer(joined)}
    return len(before) in starts and len(before) + len(glue) in starts


def _escaped(text: str) -> str:
    return _ESCAPE.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


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
            lines.append(f"{_escaped(token.text)}\t{_escaped(tag)}")
        out.write(("\n".join(lines).rstrip("\n") + "\n\n").encode())
        count += 1
    return count
