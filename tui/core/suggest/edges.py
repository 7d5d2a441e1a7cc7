"""Where a found extent may stand. Whole words: whether it starts and ends where words do,
by the very rule of ``text.words`` (a word keeps inner hyphens and apostrophes, not a
possessive 's), so that "Ukr" is never found in "Ukraine", "cease" never in "cease-fire",
and "Trump" is found in "Trump’s".

Checked from the few characters around each edge, never by segmenting the paragraph: a
finder checks thousands of candidates in a 1 MB article. And of extents that overlap, which
to keep (``longest_first``).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

import regex

from tui.core.language.text import is_grapheme_boundary

_WORD_CHAR = regex.compile(r"\w")
_JOINERS = "-'’"
_APOSTROPHES = "'’"


@lru_cache(maxsize=8192)
def _is_word(char: str) -> bool:
    return _WORD_CHAR.match(char) is not None


def is_word_edge(text: str, offset: int) -> bool:
    """True when no word of ``text`` (as ``text.words`` finds them) runs across ``offset``."""
    if offset <= 0 or offset >= len(text):
        return True
    before, after = text[offset - 1], text[offset]
    if _is_word(before):
        if _is_word(after):
            return False
        if after in _JOINERS:  # the word goes on through a hyphen or an apostrophe
            return not _joins(text, offset)
        return True
    if before in _JOINERS and _is_word(after) and offset >= 2 and _is_word(text[offset - 2]):
        return not _joins(text, offset - 1)
    return True


def _joins(text: str, joiner: int) -> bool:
    """Does the hyphen or apostrophe at ``joiner`` (after a word character) join the word
    characters after it to the word? Not an apostrophe before a possessive s."""
    after = joiner + 1
    if after >= len(text) or not _is_word(text[after]):
        return False
    if text[joiner] in _APOSTROPHES and text[after] in "sS":
        return after + 1 < len(text) and _is_word(text[after + 1])
    return True


def whole_words(text: str, start: int, end: int) -> bool:
    """Does text[start:end] start and end on word edges and grapheme boundaries?"""
    return (is_word_edge(text, start) and is_word_edge(text, end)
            and is_grapheme_boundary(text, start) and is_grapheme_boundary(text, end))


# start, end, the size that ranks it (characters, tokens), and whatever the finder keeps
Sized = tuple[int, ...]


def longest_first(extents: Iterable[Sized]) -> list[Sized]:
    """Of overlapping extents the largest (then the first; then the one given first), none
    overlapping, in text order: spaCy's ``filter_spans``."""
    ordered = sorted(extents, key=lambda e: (-e[2], e[0]))
    if not ordered:
        return []
    # the characters kept extents cover, looked up and marked in C: a list of kept starts
    # kept sorted by insertion was quadratic (minutes for the names of a 20 MB article);
    # from the first extent's start, as a stretch far into a huge article is asked about
    base = min(e[0] for e in ordered)
    taken = bytearray(max(e[1] for e in ordered) + 1 - base)
    kept: list[Sized] = []
    for extent in ordered:
        start, end = extent[0] - base, extent[1] - base
        if end > start:
            if taken.find(1, start, end) >= 0:
                continue
            taken[start:end] = b"\x01" * (end - start)
        elif start < len(taken) and taken[start]:  # an empty extent inside a kept one
            continue
        kept.append(extent)
    kept.sort(key=lambda e: e[0])
    return kept
