"""Text rules: normalisation, grapheme and word boundaries, and tokens.

Offsets everywhere are Python code points into the *stored* text. Work is done per
paragraph (a run between two LFs) because a LF always ends a grapheme cluster once CRs are
gone, so a paragraph can be segmented on its own: segmenting a whole 1 MB article with
`regex`'s ``\\X`` takes about 250 ms, one paragraph well under a millisecond.
"""

from __future__ import annotations

import unicodedata
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache

import regex

_BOM = "\ufeff"
_GRAPHEME = regex.compile(r"\X")
_WORD = regex.compile(r"\w+(?:['’\-]\w+)*")


def normalise(raw: str | bytes) -> str:
    """The stored form of an article: UTF-8 (BOM dropped), LF line ends, Unicode NFC.

    Nothing else changes: tabs, NBSP and control characters stay, so offsets computed by
    another tool on the same normalised text agree with ours.
    """
    text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
    if text.startswith(_BOM):
        text = text[1:]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return unicodedata.normalize("NFC", text)


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
    """True when ``offset`` does not fall inside a grapheme cluster."""
    if offset <= 0 or offset >= len(text):
        return 0 <= offset <= len(text)
    if text[offset] == "\n" or text[offset - 1] == "\n":
        return True
    start, end = paragraph_bounds(text, offset)
    starts = grapheme_starts(text, start, end)
    return _contains(starts, offset - start)


def _contains(sorted_values: tuple[int, ...], value: int) -> bool:
    i = bisect_left(sorted_values, value)
    return i < len(sorted_values) and sorted_values[i] == value


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
    if text[offset - 1] == "\n":
        return offset - 1
    start, end = paragraph_bounds(text, offset - 1)
    starts = grapheme_starts(text, start, end)
    i = bisect_left(starts, offset - start)
    return start + starts[i - 1] if i > 0 else start


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


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    start: int
    end: int
    ws: bool


# spaCy's English rules, reduced to what plain news text needs: abbreviations with inner
# dots stay whole, a clitic 's and n't split off, numbers keep their separators, hyphens
# between letters split (as spaCy's infixes do), every other mark is a token of its own.
_TOKEN = regex.compile(
    r"""
    (?P<ws>\s+)
  | (?:[A-Za-z]\.){2,}
  | (?:Mr|Mrs|Ms|Dr|St|Jr|Sr|Gen|Gov|Sen|Rep|Lt|Col|Inc|Corp|Ltd|Co|vs|etc
       |Jan|Feb|Aug|Sept|Oct|Nov|Dec)\.
  | \d+(?:[.,:]\d+)+
  | \w+(?=n['’]t\b)
  | n['’]t\b
  | ['’][sS]\b
  | \w+(?:['’](?![sS]\b)\w+)*
  | \.\.\.
  | (?!\s)\X
    """,
    regex.VERBOSE,
)


def tokenize(text: str) -> list[Token]:
    """Tokens as spaCy's English tokenizer would make them on plain news text.

    As in spaCy, a single space after a token is its ``ws`` flag and any other whitespace
    run is a token of its own.
    """
    tokens: list[Token] = []
    append = tokens.append
    for m in _TOKEN.finditer(text):
        if m.lastgroup == "ws":
            ws = m.group()
            start = m.start()
            if ws[0] == " " and tokens and not tokens[-1].text.isspace():
                last = tokens[-1]
                tokens[-1] = Token(last.text, last.start, last.end, True)
                ws, start = ws[1:], start + 1
            if ws:
                append(Token(ws, start, m.end(), False))
        else:
            append(Token(m.group(), m.start(), m.end(), False))
    return tokens
