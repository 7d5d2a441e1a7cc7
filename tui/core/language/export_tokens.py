"""The tokens of an exported article, shared by the formats that write tokens.

spaCy's own English tokenizer (``spacy.blank("en")``) when the ``spacy`` extra is
installed, else Gloss's port of its rules (``tui.core.language.tokens.tokenize``), which gives the
same tokens on any text but never splits a grapheme cluster. The export names which in its
``meta`` (``gloss-rules-2``: the port; ``gloss-rules`` was an older, news-only rule set).

The JSONL export writes an article's tokens as :func:`token_pieces` makes them: the JSON of
the records (``token_records``, byte for byte as orjson writes them) made straight from the
tokens' offsets, never a dict a token (3.5 million dicts for a 20 MB article), and a long
text tokenized a piece at a time, cut where no token can cross the cut, so that neither
spaCy's ``Doc`` nor the JSON of a long article is ever held whole.
"""

from __future__ import annotations

import importlib.util
import sys
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from itertools import islice
from typing import Any

from tui.core.language.text import has_joiners, is_grapheme_boundary
from tui.core.language.tokens import Token, tokenize
from tui.core.language.tokens import make_token as make

Tokenizer = Callable[[str], list[Token]]
RULES = "gloss-rules-2"  # the name of Gloss's own tokenizer in an export's meta
# Characters of a piece of text this long at most are tokenized at once: spaCy's Doc of a
# 20 MB article alone would take about 1 GB
PIECE = 1 << 19


@cache
def expected_name() -> str:
    """The name :func:`tokenizer` will give, known without loading spaCy (a second)."""
    spacy = sys.modules.get("spacy")
    if spacy is not None:
        return f"spacy-{spacy.__version__}"
    if importlib.util.find_spec("spacy") is None:
        return RULES
    from importlib import metadata  # put off: email, zipfile, csv... the reader never asks

    try:
        return f"spacy-{metadata.version('spacy')}"
    except metadata.PackageNotFoundError:
        return "spacy-unknown"  # never what a real spaCy calls itself


# The format of the tokens Gloss makes and keeps beside a dataset (token_cache): bump it BY
# HAND in the change that alters the bytes made for any text (the rules of tokens.py and
# text.py, the joining of clusters or the records' JSON here). tests/core/test_token_golden.py
# fails, saying so, when the tokens of its corpus change and this stays the same.
TOKENS_FORMAT = 1


@cache
def format_version() -> str:
    """What decides the tokens of a text besides the tokenizer :func:`expected_name` names:
    :data:`TOKENS_FORMAT`, Python's Unicode data (``str.isalnum``, ``re``: spaCy's rules and
    Gloss's are written with them) and the release of ``regex`` (grapheme clusters: it does
    not say which Unicode its tables are of; pip upgrades it only when Gloss needs a newer
    one). A refactor, a comment or a new Gloss that makes the same bytes changes none of
    these, so tokens kept before an upgrade stay of use after it."""
    import regex

    return f"f{TOKENS_FORMAT}-u{unicodedata.unidata_version}-r{regex.__version__}"


def tokenizer() -> tuple[str, Tokenizer]:
    """spaCy's own English tokenizer when the ``spacy`` extra is installed, else ours."""
    name, tokens, _, _ = _tokenizers()
    return name, tokens


def token_records(text: str) -> list[dict[str, Any]]:
    """The ``tokens`` of an exported line."""
    return _tokenizers()[2](text)


@dataclass(frozen=True, slots=True)
class TokenPiece:
    """The tokens of a piece of an article: where each starts and ends in the article, and
    their records as JSON, comma-separated (no brackets), their ids counted on from the
    pieces before."""

    starts: list[int]
    ends: list[int]
    json: bytes


def token_json(text: str) -> TokenPiece:
    """The tokens of a whole text: their starts, ends and the JSON list of their records,
    the bytes ``orjson.dumps(token_records(text))`` gives."""
    starts: list[int] = []
    ends: list[int] = []
    parts = []
    for piece in token_pieces(text):
        starts += piece.starts
        ends += piece.ends
        parts.append(piece.json)
    return TokenPiece(starts, ends, b"[" + b",".join(parts) + b"]")


def token_pieces(text: str, size: int | None = None) -> Iterator[TokenPiece]:
    """The tokens of ``text`` a piece of about ``size`` characters (:data:`PIECE`) at a
    time, in order (one piece for a short text): what :func:`token_json` joins."""
    first = 0
    for start, end in cuts(text, size or PIECE):
        starts, ends, spaces = piece_tokens(text, start, end)
        if starts:
            yield TokenPiece(starts, ends, records_json(text, starts, ends, spaces, first))
            first += len(starts)


def piece_tokens(text: str, start: int, end: int) -> tuple[list[int], list[int], list[int]]:
    """The tokens of ``text[start:end]`` (a piece :func:`cuts` gives): where each starts and
    ends in ``text``, and whether a space follows it (1) or not (0)."""
    return _tokenizers()[3](text, start, end)


def found_at(found: dict[int, int], wanted: list[int], edges: Sequence[int], first: int
             ) -> None:
    """Put in ``found`` the token (counted from ``first``) of each offset of ``wanted``
    (sorted) that is one of ``edges`` (sorted: a piece's token starts, or ends)."""
    if not edges:
        return
    for offset in wanted[bisect_left(wanted, edges[0]):bisect_right(wanted, edges[-1])]:
        k = bisect_left(edges, offset)
        if k < len(edges) and edges[k] == offset:
            found[offset] = first + k


def cuts(text: str, size: int) -> Iterator[tuple[int, int]]:
    """``text`` cut into pieces of about ``size`` characters, each cut after a single space
    between two letters or digits (neither inside a grapheme cluster with it): the
    tokenizers cut a text at whitespace first, so each piece gives the tokens the whole gives
    there, and the token before the cut ends at its space (its ``ws``).

    Letters or digits, not any two characters: spaCy's special cases are also looked for
    in the tokens of the whole text, spaces and all ("e.g ." is found as "e.g."); one found
    across a space is left as it is but keeps the tokens it holds from a shorter one, so a
    cut between its tokens would change them (":) )" cut after its space). No special case
    of spaCy's English holds a token ending in a letter or digit followed by one starting
    with one (``tests/formats/test_tokens_in_two.py`` checks its rules), so none is found
    across such a cut.
    """
    start = 0
    while len(text) - start > size:
        cut = _cut(text, start + size)
        if cut is None:
            break
        yield start, cut
        start = cut
    yield start, len(text)


def _cut(text: str, at: int) -> int | None:
    """The first place from ``at`` on where :func:`cuts` may cut (None: there is none)."""
    space = text.find(" ", at - 1)
    while 0 < space < len(text) - 1:
        before, after = text[space - 1], text[space + 1]
        if before.isalnum() and after.isalnum() and (
                (before < "\u0300" and after < "\u0300")  # never a joiner: see text.py
                or (is_grapheme_boundary(text, space)
                    and is_grapheme_boundary(text, space + 1))):
            return space + 1
        space = text.find(" ", space + 1)
    return None


@cache
def _encoding() -> tuple[Any, Any]:
    """A token's record and its encoder, made when the first tokens are (msgspec is not
    for the reader's first frame, which imports this module for the kept tokens)."""
    import msgspec

    class Record(msgspec.Struct, gc=False):
        """A token's record, its fields in the order of the export's JSON. Untracked by
        the garbage collector: millions made at once would otherwise set off its passes."""

        text: str
        start: int
        end: int
        id: int
        ws: bool

    return Record, msgspec.json.Encoder()  # strings escaped as orjson escapes them


_WS = (False, True)
# Records made and encoded this many at a time: their small objects then fit in the memory
# the allocator keeps between two batches, not fresh pages for each piece (a fifth faster)
_BATCH = 4096


def records_json(text: str, starts: list[int], ends: list[int], spaces: list[int],
                 first: int) -> bytes:
    """The records of these tokens of ``text`` as orjson writes them, comma-separated:
    one struct a token, encoded by msgspec in C (0.5 of the time of one ``%`` format of
    them all, a third of that of a dict a token written by orjson), into one buffer."""
    record, encoder = _encoding()
    words = map(text.__getitem__, map(slice, starts, ends))
    records = map(record, words, starts, ends, range(first, first + len(starts)),
                  map(_WS.__getitem__, spaces))
    out = bytearray()
    while batch := list(islice(records, _BATCH)):
        # each batch's list over the "]" of the one before, its "[" made the comma
        at = len(out) - 1 if out else 0
        encoder.encode_into(batch, out, at)
        if at:
            out[at] = 0x2C
    return bytes(memoryview(out)[1:-1])


Offsets = Callable[[str, int, int], tuple[list[int], list[int], list[int]]]


@cache
def _tokenizers() -> tuple[str, Tokenizer, Callable[[str], list[dict[str, Any]]], Offsets]:
    def records_of(tokens: list[Token]) -> list[dict[str, Any]]:
        return [{"text": t.text, "start": t.start, "end": t.end, "id": i, "ws": t.ws}
                for i, t in enumerate(tokens)]

    def rule_offsets(text: str, start: int, end: int
                     ) -> tuple[list[int], list[int], list[int]]:
        tokens = tokenize(text[start:end])
        return ([t.start + start for t in tokens], [t.end + start for t in tokens],
                [t.ws for t in tokens])

    try:
        import spacy
    except ImportError:
        return RULES, tokenize, lambda text: records_of(tokenize(text)), rule_offsets
    from spacy.attrs import IDX, LENGTH, SPACY

    nlp = spacy.blank("en")

    def rows(text: str) -> list[list[int]]:
        # Offsets read in bulk (Doc.to_array) rather than through a Python object a token.
        return nlp.tokenizer(text).to_array([IDX, LENGTH, SPACY]).tolist()

    def spacy_tokens(text: str) -> list[Token]:
        tokens = [make(text[i:i + n], i, i + n, bool(ws)) for i, n, ws in rows(text)]
        if not has_joiners(text):
            return tokens
        merged: list[Token] = []
        for token in tokens:
            if merged and not merged[-1].ws and not is_grapheme_boundary(text, token.start):
                # spaCy splits some clusters (a ZWJ family, a flag): a token edge inside a
                # character can hold no span edge, so the pieces become one token again
                last = merged.pop()
                token = make(last.text + token.text, last.start, token.end, token.ws)
            merged.append(token)
        return merged

    def spacy_records(text: str) -> list[dict[str, Any]]:
        if has_joiners(text):
            return records_of(spacy_tokens(text))
        # the common case, straight from the offsets: half the time of building tokens first
        return [{"text": text[i:i + n], "start": i, "end": i + n, "id": k, "ws": bool(ws)}
                for k, (i, n, ws) in enumerate(rows(text))]

    def spacy_offsets(text: str, start: int, end: int
                      ) -> tuple[list[int], list[int], list[int]]:
        piece = text[start:end]
        table = nlp.tokenizer(piece).to_array([IDX, LENGTH, SPACY])
        # a column at a time: tolist() of the whole table is ten times slower
        starts = (table[:, 0] + start).tolist()
        ends = (table[:, 0] + table[:, 1] + start).tolist()
        spaces = table[:, 2].tolist()
        if not starts or not has_joiners(piece):
            return starts, ends, spaces
        # as spacy_tokens joins the pieces of a cluster
        kept_starts, kept_ends, kept_spaces = starts[:1], ends[:1], spaces[:1]
        for at, to, space in zip(starts[1:], ends[1:], spaces[1:], strict=True):
            if not kept_spaces[-1] and not is_grapheme_boundary(text, at):
                kept_ends[-1], kept_spaces[-1] = to, space
            else:
                kept_starts.append(at)
                kept_ends.append(to)
                kept_spaces.append(space)
        return kept_starts, kept_ends, kept_spaces

    return f"spacy-{spacy.__version__}", spacy_tokens, spacy_records, spacy_offsets
