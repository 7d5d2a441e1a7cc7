"""Text rules: normalisation, grapheme and word boundaries, and tokens.

Offsets everywhere are Python code points into the *stored* text. Work is done per
paragraph (a run between two LFs) because a LF always ends a grapheme cluster once CRs are
gone, so a paragraph can be segmented on its own: segmenting a whole 1 MB article with
`regex`'s ``\\X`` takes about 250 ms, one paragraph well under a millisecond.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from functools import lru_cache
from typing import NamedTuple

import regex

_BOM = "\ufeff"
# Every rule of UAX #29 that keeps two code points in one cluster needs one of these on one
# side (CR aside, and CRs are gone after normalisation): between two code points outside
# this class there is always a boundary, and a text without any is one cluster a code point.
_JOINERS = regex.compile(
    r"[\p{Grapheme_Cluster_Break=Extend}\p{Grapheme_Cluster_Break=ZWJ}"
    r"\p{Grapheme_Cluster_Break=SpacingMark}\p{Grapheme_Cluster_Break=Prepend}"
    r"\p{Grapheme_Cluster_Break=Regional_Indicator}\p{Grapheme_Cluster_Break=L}"
    r"\p{Grapheme_Cluster_Break=V}\p{Grapheme_Cluster_Break=T}"
    r"\p{Grapheme_Cluster_Break=LV}\p{Grapheme_Cluster_Break=LVT}]"
)


def has_joiners(text: str) -> bool:
    """False when every code point of ``text`` is a grapheme cluster of its own."""
    return any(_is_joiner(char) for char in set(text) if char >= "\u0300")


@lru_cache(maxsize=4096)
def _is_joiner(char: str) -> bool:
    return _JOINERS.match(char) is not None
_GRAPHEME = regex.compile(r"\X")
# A word keeps inner hyphens and apostrophes (cease-fire, O’Rourke) but not a possessive
# 's, which spaCy splits off: labelling "Trump’s" labels the actor "Trump".
_WORD = regex.compile(r"\w+(?:['’](?![sS]\b)\w+|-\w+)*")


def normalise(raw: str | bytes) -> str:
    """The stored form of an article: UTF-8 (BOM dropped), LF line ends, Unicode NFC.

    Nothing else changes: tabs, NBSP and control characters stay, so offsets computed by
    another tool on the same normalised text agree with ours.
    """
    text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
    if text.startswith(_BOM):
        text = text[1:]
    return normalise_body(text)


def normalise_body(text: str) -> str:
    """:func:`normalise` of a piece of a text: line ends and NFC, a BOM kept."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    # the same object back when nothing changes, so callers can tell with `is`
    return text if unicodedata.is_normalized("NFC", text) else unicodedata.normalize("NFC", text)


class Utf16Offsets:
    """Convert offsets between code points (Gloss) and UTF-16 units (doccano, Label Studio,
    INCEpTION, JavaScript). Only astral characters (emoji, some CJK) count twice."""

    def __init__(self, text: str) -> None:
        self._astral = [i for i, ch in enumerate(text) if ord(ch) > 0xFFFF] \
            if text and max(text) > "\uffff" else []
        # the UTF-16 offset at which each astral character starts
        self._astral16 = [i + n for n, i in enumerate(self._astral)]

    def to_utf16(self, offset: int) -> int:
        return offset + bisect_left(self._astral, offset)

    def from_utf16(self, offset: int) -> int:
        """The code point offset; an offset inside a surrogate pair raises ValueError."""
        before = bisect_left(self._astral16, offset)
        if before < len(self._astral16) and self._astral16[before] + 1 == offset:
            raise ValueError(f"UTF-16 offset {offset} falls inside a surrogate pair")
        if before > 0 and self._astral16[before - 1] + 1 == offset:
            raise ValueError(f"UTF-16 offset {offset} falls inside a surrogate pair")
        return offset - before


def paragraph_bounds(text: str, offset: int) -> tuple[int, int]:
    """The start and end (exclusive, before the LF) of the paragraph holding ``offset``."""
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    return start, len(text) if end < 0 else end


@lru_cache(maxsize=256)
def _cluster_starts(paragraph: str) -> tuple[int, ...]:
    return tuple(m.start() for m in _GRAPHEME.finditer(paragraph))


def grapheme_starts(text: str, start: int, end: int) -> tuple[int, ...]:
    """Offsets (relative to ``start``) where each grapheme cluster of text[start:end] begins."""
    return _cluster_starts(text[start:end])


def is_grapheme_boundary(text: str, offset: int) -> bool:
    """True when ``offset`` does not fall inside a grapheme cluster.

    Only the run of joining characters around ``offset`` is segmented, never its whole
    paragraph: a 1.5 MB file without a line break (a CoNLL file without blank lines) would
    otherwise be segmented once per span edge.
    """
    if offset <= 0 or offset >= len(text):
        return 0 <= offset <= len(text)
    before, after = text[offset - 1], text[offset]
    if after == "\n" or before == "\n" or (before < "\u0300" and after < "\u0300"):
        return True  # the common case, without a regex call
    if not _is_joiner(before) and not _is_joiner(after):
        return True
    return _contains(_run(text, offset), offset)


def _contains(sorted_values: tuple[int, ...], value: int) -> bool:
    i = bisect_left(sorted_values, value)
    return i < len(sorted_values) and sorted_values[i] == value


def _certain_boundary(text: str, offset: int) -> bool:
    """A boundary that needs no segmentation: text edges, line breaks, two non-joiners."""
    if offset <= 0 or offset >= len(text):
        return True
    before, after = text[offset - 1], text[offset]
    return before == "\n" or after == "\n" or (
        not _is_joiner(before) and not _is_joiner(after))


_runs: dict[tuple[int, int], tuple[str, tuple[int, ...]]] = {}


def _run(text: str, offset: int) -> tuple[int, ...]:
    """The cluster starts (absolute) of the run between the certain boundaries around
    ``offset``, and the run's end. Runs are short (a few characters of an accent, a flag or
    an emoji sequence); the last few are kept, keyed by the very text object."""
    start = offset
    while not _certain_boundary(text, start):
        start -= 1
    cached = _runs.get((id(text), start))
    if cached is not None and cached[0] is text:
        return cached[1]
    end = offset
    while not _certain_boundary(text, end):
        end += 1
    starts = (*(m.start() for m in _GRAPHEME.finditer(text, start, end)), end)
    if len(_runs) >= 64:
        _runs.clear()
    _runs[(id(text), start)] = (text, starts)
    return starts


def next_grapheme(text: str, offset: int) -> int:
    """The boundary after the cluster that starts at ``offset``."""
    if offset >= len(text):
        return len(text)
    if text[offset] == "\n":
        return offset + 1
    match = _GRAPHEME.match(text, offset)
    return match.end() if match else offset + 1


def previous_grapheme(text: str, offset: int) -> int:
    """The start of the cluster that ends at ``offset``."""
    if offset <= 0:
        return 0
    if _certain_boundary(text, offset - 1):
        return offset - 1
    starts = _run(text, offset - 1)
    return starts[bisect_left(starts, offset) - 1]


def words(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The (start, end) of every word in text[start:end]; a word keeps inner ' ’ and -."""
    return [(m.start(), m.end()) for m in _WORD.finditer(text, start, end)]


def word_at(text: str, offset: int) -> tuple[int, int] | None:
    """The word that holds ``offset`` or ends right at it; None between words."""
    start, end = paragraph_bounds(text, min(offset, len(text)))
    for w_start, w_end in words(text, start, end):
        if w_start <= offset < w_end:
            return w_start, w_end
    for w_start, w_end in words(text, start, end):
        if w_end == offset:
            return w_start, w_end
    return None


def next_word_end(text: str, offset: int) -> int:
    """Where ctrl+right lands: the end of the word at or after ``offset``."""
    match = _WORD.search(text, offset)
    return match.end() if match else len(text)


def previous_word_start(text: str, offset: int) -> int:
    """Where ctrl+left lands: the start of the word before ``offset``, paragraph by paragraph."""
    end = offset
    while end > 0:
        start = text.rfind("\n", 0, end - 1) + 1 if end > 1 else 0
        found = [m.start() for m in _WORD.finditer(text, start, end) if m.start() < offset]
        if found:
            return found[-1]
        end = start
    return 0


def snap_to_words(text: str, start: int, end: int) -> tuple[int, int]:
    """Grow a selection to whole words and drop leading and trailing whitespace.

    A selection that holds no word character is only trimmed, so punctuation and emoji can
    still be labelled in word mode.
    """
    start, end = min(start, end), max(start, end)
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start == end:
        return start, end
    first = word_at(text, start)
    if first and first[0] < start < first[1]:
        start = first[0]
    last = word_at(text, end)
    if last and last[0] < end < last[1]:
        end = last[1]
    return start, end


class Token(NamedTuple):
    text: str
    start: int
    end: int
    ws: bool


def _token(text: str, start: int, end: int, ws: bool) -> Token:
    # NamedTuple's own constructor goes through Python code; a tokenizer makes one per word
    return tuple.__new__(Token, (text, start, end, ws))  # type: ignore[type-var]


# spaCy's English rules, reduced to what plain news text needs: abbreviations with inner
# dots stay whole, a clitic 's and n't split off, numbers keep their separators, hyphens
# between letters split (as spaCy's infixes do), every other mark is a token of its own.
_TOKEN_RULES = r"""
    \s+
  | (?:[A-Za-z]\.){2,}
  | (?:Mr|Mrs|Ms|Dr|St|Jr|Sr|Gen|Gov|Sen|Rep|Lt|Col|Inc|Corp|Ltd|Co|vs|etc
       |Jan|Feb|Aug|Sept|Oct|Nov|Dec)\.
  | \d+(?:[.,:]\d+)+
  | (?i:ai|are|ca|could|did|does|do|had|has|have|is|might|must|need|sha|should|was|were|wo
       |would)(?=n['’]t\b)
  | n['’]t\b
  | ['’][sS]\b
  | \w+(?:['’](?![sS]\b)\w+)*
  | \.\.\.
"""
# Where every code point is a cluster of its own (most news text), the standard library's
# engine, twice as fast, stands in for `regex` and its \X.
_TOKEN_NARROW = re.compile(_TOKEN_RULES + r"  | \S", re.VERBOSE)
_TOKEN_WIDE = regex.compile(_TOKEN_RULES + r"  | (?!\s)\X", regex.VERBOSE)


def tokenize(text: str) -> list[Token]:
    """Tokens as spaCy's English tokenizer would make them on plain news text.

    As in spaCy, a single space after a token is its ``ws`` flag and any other whitespace
    run is a token of its own. Most of news text is plain words between single spaces, so
    the text is cut at spaces first (in C) and only the other pieces go through the rules.
    """
    pattern = _TOKEN_WIDE if has_joiners(text) else _TOKEN_NARROW
    tokens: list[Token] = []
    append = tokens.append
    start = 0
    last = len(text)
    for chunk in text.split(" "):
        end = start + len(chunk)
        if chunk.isalpha():
            append(_token(chunk, start, end, end < last))
        elif not chunk:  # a space after a space: spaCy keeps it as a whitespace token
            if end == last:
                pass
            elif tokens and tokens[-1].text.isspace() and tokens[-1].end == start:
                gap = tokens.pop()
                append(_token(gap.text + " ", gap.start, end + 1, False))
            else:
                append(_token(" ", start, end + 1, False))
        else:
            piece_start = start
            for piece in pattern.findall(chunk):
                piece_end = piece_start + len(piece)
                append(_token(piece, piece_start, piece_end, False))
                piece_start = piece_end
            if end < last:
                tokens[-1] = _token(*tokens[-1][:3], True)
        start = end + 1
    return tokens
