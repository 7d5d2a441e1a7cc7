"""Each token's label for each analyst, for agreement over tokens, in numpy at once.

A token is a word or a mark (``\\w+|[^\\w\\s]``, as ``re`` reads it); its value for an
analyst is the code of the label of the innermost span of theirs that covers it, ``O`` (0)
when none does, and -1 (missing) in an article the analyst did not see. A span covers the
tokens that lie wholly inside it; where spans nest, the shorter one wins (of two as long,
the later in the article's order), as painting the longest first would leave it.

2,000 articles are 800,000 tokens: finding them with ``re.finditer`` and painting span by
span took over a second of ``gloss agree``; here the characters are classified as arrays
(each character not ASCII once, by ``re`` itself, so ``\\w`` and ``\\s`` mean what they mean
to ``re``) and every span is placed by one binary search over all articles' tokens.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import numpy as np

_WORD = re.compile(r"\w")
_SPACE = re.compile(r"\s")
_ASCII_WORD = np.array([bool(_WORD.match(chr(c))) for c in range(128)])
_ASCII_SPACE = np.array([bool(_SPACE.match(chr(c))) for c in range(128)])


@lru_cache(maxsize=65536)
def _kind(code: int) -> tuple[bool, bool]:
    """Is the character a word character, a space (for ``re``)?"""
    char = chr(code)
    return bool(_WORD.match(char)), bool(_SPACE.match(char))


def token_arrays(text: str) -> tuple[Any, Any]:
    """The starts and ends (exclusive) of the text's tokens, as arrays."""
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype="<u4")
    ascii_ = codes < 128
    small = np.where(ascii_, codes, 0)
    word = _ASCII_WORD[small]
    space = _ASCII_SPACE[small]
    if not ascii_.all():
        wide = np.flatnonzero(~ascii_)
        kinds = np.array([_kind(int(c)) for c in codes[wide]], dtype=bool).reshape(-1, 2)
        word[wide], space[wide] = kinds[:, 0], kinds[:, 1]
    mark = ~word & ~space
    before = np.concatenate(([False], word[:-1]))
    after = np.concatenate((word[1:], [False]))
    starts = np.flatnonzero((word & ~before) | mark)
    ends = np.flatnonzero((word & ~after) | mark) + 1
    return starts, ends


class Tokens:
    """The tokens of several articles, one after another: article ``i``'s characters are
    placed at ``base[i]`` onwards (a gap of one between articles, so no token or span of
    one article reaches the next) and its tokens are ``first[i]`` to ``first[i + 1]``."""

    def __init__(self, texts: Sequence[str]) -> None:
        bounds = [token_arrays(text) for text in texts]
        empty = np.zeros(0, dtype=np.int64)
        lengths = np.array([len(text) + 1 for text in texts], dtype=np.int64)
        self.base = np.cumsum(lengths) - lengths
        sizes = np.array([len(starts) for starts, _ in bounds], dtype=np.int64)
        self.sizes = sizes
        self.first = np.concatenate(([0], np.cumsum(sizes))).astype(np.int64)
        self.count = int(self.first[-1])
        self.starts = np.concatenate([s + b for (s, _), b in zip(bounds, self.base,
                                                               strict=True)] or [empty])
        self.ends = np.concatenate([e + b for (_, e), b in zip(bounds, self.base,
                                                             strict=True)] or [empty])

    def values(self, article: Any, start: Any, end: Any, code: Any, seen: Any) -> Any:
        """Each token's code for one analyst: ``article``, ``start``, ``end`` and ``code``
        describe their spans (in each article's order); ``seen`` says, per article,
        whether they saw it (else its tokens are -1)."""
        out = np.zeros(self.count, dtype=np.int64)
        if len(article):
            where = self.base[article]
            first = np.searchsorted(self.starts, where + start, side="left")
            last = np.searchsorted(self.ends, where + end, side="right")
            # painting order: by article, the longest first, the article's order kept
            order = np.lexsort((-(end - start), article))
            rank = np.empty(len(order), dtype=np.int64)
            rank[order] = np.arange(len(order))
            covers = last > first
            counts = (last - first)[covers]
            if counts.sum():
                starts = np.repeat(first[covers], counts)
                steps = np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts,
                                                             counts)
                best = np.full(self.count, -1, dtype=np.int64)
                np.maximum.at(best, starts + steps, np.repeat(rank[covers], counts))
                by_rank = np.empty(len(order), dtype=np.int64)
                by_rank[rank] = code
                painted = best >= 0
                out[painted] = by_rank[best[painted]]
        out[~np.repeat(np.asarray(seen, dtype=bool), self.sizes)] = -1
        return out
