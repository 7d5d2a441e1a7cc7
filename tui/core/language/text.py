"""Text rules: normalisation, grapheme and word boundaries (tokens: tokens.py).

Offsets everywhere are Python code points into the *stored* text. Work is done per
paragraph (a run between two LFs) because a LF always ends a grapheme cluster once CRs are
gone, so a paragraph can be segmented on its own: segmenting a whole 1 MB article with
`regex`'s ``\\X`` takes about 250 ms, one paragraph well under a millisecond.
"""

from __future__ import annotations

import unicodedata
from bisect import bisect_left, bisect_right, insort
from collections.abc import Callable
from functools import lru_cache

import regex

_BOM = "\ufeff"
# Every rule of UAX #29 that keeps two code points in one cluster needs one of these on one
# side (CR aside, and CRs are gone after normalisation): between two code points outside
# this class there is always a boundary, and a text without any is one cluster a code point.
JOINERS = regex.compile(
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
    return JOINERS.match(char) is not None
GRAPHEME = regex.compile(r"\X")
# A word keeps inner hyphens and apostrophes (cease-fire, O’Rourke) but not a possessive
# 's, which spaCy splits off: labelling "Trump’s" labels the actor "Trump".
_WORD = regex.compile(r"\w+(?:['’](?![sS]\b)\w+|-\w+)*")
_SPACE = regex.compile(r"\s")


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
    return tuple(m.start() for m in GRAPHEME.finditer(paragraph))


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


class _Runs:
    """The runs of joining characters of one text already segmented: (start, end) with
    their cluster starts, found again by bisection."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts: list[int] = []
        self.found: dict[int, tuple[int, tuple[int, ...]]] = {}

    def get(self, offset: int) -> tuple[int, ...] | None:
        index = bisect_right(self.starts, offset) - 1
        if index < 0:
            return None
        end, clusters = self.found[self.starts[index]]
        return clusters if offset <= end else None

    def add(self, start: int, end: int, clusters: tuple[int, ...]) -> None:
        insort(self.starts, start)
        self.found[start] = (end, clusters)


_runs: dict[int, _Runs] = {}


def _run(text: str, offset: int) -> tuple[int, ...]:
    """The cluster starts (absolute) of the run between the certain boundaries around
    ``offset``, and the run's end. Runs are most often short (an accent, a flag, an emoji
    sequence); each is segmented once per text (kept for the last few texts, keyed by the
    very text object), so that even a line of flags a megabyte long costs one pass."""
    runs = _runs.get(id(text))
    if runs is None or runs.text is not text:
        if len(_runs) >= 32:
            _runs.clear()
        runs = _runs[id(text)] = _Runs(text)
    clusters = runs.get(offset)
    if clusters is not None:
        return clusters
    start = offset
    while not _certain_boundary(text, start):
        start -= 1
    end = offset
    while not _certain_boundary(text, end):
        end += 1
    clusters = (*_cluster_starts_between(text, start, end), end)
    runs.add(start, end, clusters)
    return clusters


_EXTENDING = regex.compile(r"[\p{Grapheme_Cluster_Break=Extend}"
                           r"\p{Grapheme_Cluster_Break=ZWJ}"
                           r"\p{Grapheme_Cluster_Break=SpacingMark}]*")


def _cluster_starts_between(text: str, start: int, end: int) -> list[int]:
    """Where each cluster of text[start:end] begins (``start`` being a boundary).

    Flags are pairs of regional indicators, counted from the start of their run; `regex`
    finds that parity by looking back over the whole run at every cluster, which is
    quadratic on a long line of flags, so such runs are paired here instead.
    """
    starts = []
    position = start
    while position < end:
        starts.append(position)
        if _is_regional(text[position]):
            after = position + (2 if position + 1 < end and _is_regional(text[position + 1])
                                else 1)
            match = _EXTENDING.match(text, after, end)
            position = match.end() if match else after
        else:
            match = GRAPHEME.match(text, position, end)
            position = match.end() if match else position + 1
    return starts


def _is_regional(char: str) -> bool:
    return "\U0001f1e6" <= char <= "\U0001f1ff"


def next_grapheme(text: str, offset: int) -> int:
    """The boundary after the cluster that starts at ``offset``."""
    if offset >= len(text):
        return len(text)
    if text[offset] == "\n":
        return offset + 1
    match = GRAPHEME.match(text, offset)
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
    """The word that holds ``offset`` or ends right at it; None between words. Read from
    a whitespace between ``NEAR`` characters before it and it, to the first whitespace
    ``NEAR`` characters after it (no word runs across one), not from its paragraph's ends:
    on an article of one paragraph of a megabyte that read it whole, 85 ms a call."""
    start, end = paragraph_bounds(text, min(offset, len(text)))
    low, high = max(start, offset - NEAR), min(end, offset + NEAR)
    if low > start:
        space = _SPACE.search(text, low, offset)
        low = space.end() if space is not None else start
    if high < end:
        space = _SPACE.search(text, high, end)
        high = space.start() if space is not None else end
    near = words(text, low, high)
    for w_start, w_end in near:
        if w_start <= offset < w_end:
            return w_start, w_end
    for w_start, w_end in near:
        if w_end == offset:
            return w_start, w_end
    return None


NEAR = 4096


def next_word_end(text: str, offset: int) -> int:
    """Where ctrl+right lands: the end of the word at or after ``offset``."""
    match = _WORD.search(text, offset)
    return match.end() if match else len(text)


def previous_word_start(text: str, offset: int) -> int:
    """Where ctrl+left lands: the start of the word before ``offset``, paragraph by paragraph,
    read back from ``offset`` a few KB at a time from just after a space (no word runs
    across one): a paragraph of megabytes is not read whole for one key."""
    end = offset
    while end > 0:
        start = text.rfind("\n", 0, end - 1) + 1 if end > 1 else 0
        reach = 4096
        while True:
            low = max(start, end - reach)
            if low > start:
                space = _SPACE.search(text, low, end)
                if space is None:
                    reach *= 2
                    continue
                low = space.end()
            found = [m.start() for m in _WORD.finditer(text, low, end) if m.start() < offset]
            if found:
                return found[-1]
            if low == start:
                break
            reach *= 2
        end = start
    return 0


def snap_to_words(text: str, start: int, end: int,
                  word: Callable[[str, int], tuple[int, int] | None] | None = None
                  ) -> tuple[int, int]:
    """Grow a selection to whole words and drop leading and trailing whitespace.

    A selection that holds no word character is only trimmed, so punctuation and emoji can
    still be labelled in word mode. ``word`` finds the word at an offset (``word_at``
    unless given one that keeps a paragraph's words between calls).
    """
    word = word or word_at
    start, end = min(start, end), max(start, end)
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start == end:
        return start, end
    first = word(text, start)
    if first and first[0] < start < first[1]:
        start = first[0]
    last = word(text, end)
    if last and last[0] < end < last[1]:
        end = last[1]
    return start, end
