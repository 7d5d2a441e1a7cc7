"""One article's paragraphs: which are plain (checked in C) and, for the rest, what each
grapheme cluster is, how many cells it takes and what is drawn for it.

Nothing is ever drawn as markup, and characters a terminal would act on are drawn as
visible placeholders: C0/C1 controls as Unicode control pictures (ESC as ␛, BEL as ␇),
tab as →, and zero-width format characters (bidi controls, ZWSP) as ·.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

import regex
from rich.cells import cell_len

from tui.core.language.text import grapheme_starts, has_joiners, is_grapheme_boundary

_SPECIAL = regex.compile(r"[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]")
# The characters learnt to be plain (below) beyond printable ASCII, at most this many: a
# pattern is compiled again for each one learnt
_LEARNT = 1024


def plain_char(char: str) -> bool:
    """True when ``char`` is drawn as itself, in one cell, and is a cluster of its own
    whatever stands beside it."""
    return char.isprintable() and cell_len(char) == 1 and not has_joiners(char)


class PlainText:
    """Whether a stretch of text is all plain characters, asked of a compiled pattern (so
    in C, once over the stretch): the pattern matches any character not known plain yet,
    and each one it meets is checked once and, when plain, learnt into the pattern. A
    20 MB paragraph with a curly apostrophe costs two scans, not 20 million calls."""

    def __init__(self) -> None:
        self._known = [chr(code) for code in range(0x20, 0x7F)]
        self._other = self._compile()

    def _compile(self) -> re.Pattern[str]:
        return re.compile("[^" + "".join(re.escape(char) for char in self._known) + "]")

    def __call__(self, text: str, start: int, end: int) -> bool:
        position = start
        while (found := self._other.search(text, position, end)) is not None:
            char = found.group()
            if not plain_char(char):
                return False
            position = found.start()
            if len(self._known) >= 0x5F + _LEARNT:  # rare scripts by the thousand: by set
                return all(map(plain_char, set(text[position:end])))
            self._known.append(char)
            self._other = self._compile()
        return True


is_plain = PlainText()


def placeholder(cluster: str) -> str | None:
    """What to draw instead of ``cluster``, or None when it is drawn as it is."""
    if len(cluster) == 1:
        code = ord(cluster)
        if cluster == "\t":
            return "→"
        if code < 0x20:
            return chr(0x2400 + code)
        if code == 0x7F:
            return "␡"
        if 0x80 <= code < 0xA0:
            return "␦"
    if _SPECIAL.search(cluster) and (cell_len(cluster) == 0 or _SPECIAL.fullmatch(cluster)):
        return "·"
    if cell_len(cluster) == 0:
        return "·"
    return None


# A paragraph that is not plain is analysed this many characters at a time (to a cluster
# boundary past it), as far as wrapping reaches: a 20 MB paragraph with one emoji costs its
# first frame a few pieces, not 20 million clusters
PIECE = 1 << 14


@dataclass(slots=True)
class Paragraph:
    """One run between LFs. ``offsets`` is empty when each code point is one plain cell;
    otherwise it holds each cluster's offset, ``columns`` the column where each cluster
    starts (and one more entry: where the clusters analysed so far end), ``shown`` what is
    drawn; ``done`` is how far the clusters are analysed (``end`` once all are)."""

    start: int
    end: int
    offsets: list[int]
    columns: list[int]
    shown: list[str]
    is_placeholder: list[bool]
    done: int

    @property
    def simple(self) -> bool:
        return not self.offsets

    def cells(self, start: int, end: int) -> int:
        if not self.offsets:
            return end - start
        return self.columns[bisect_left(self.offsets, end)] - self.columns[
            bisect_left(self.offsets, start)]

    def more(self, text: str) -> None:
        """Analyse the next piece of clusters (the lists grow in place)."""
        start = self.done
        end = min(start + PIECE, self.end)
        while end < self.end and not is_grapheme_boundary(text, end):
            end += 1
        chunk = text[start:end]
        starts = grapheme_starts(text, start, end)
        for i, rel in enumerate(starts):
            rel_end = starts[i + 1] if i + 1 < len(starts) else end - start
            cluster = chunk[rel:rel_end]
            shown = placeholder(cluster)
            self.offsets.append(start + rel)
            self.columns.append(self.columns[-1] + (1 if shown else cell_len(cluster)))
            self.shown.append(shown or cluster)
            self.is_placeholder.append(shown is not None)
        self.done = end


def analyse(text: str, start: int, end: int) -> Paragraph:
    # isprintable is False for every control, format and line separator (and NBSP, which
    # then takes the slow path)
    if is_plain(text, start, end):
        return Paragraph(start, end, [], [], [], [], end)
    paragraph = Paragraph(start, end, [], [0], [], [], start)
    paragraph.more(text)
    return paragraph
