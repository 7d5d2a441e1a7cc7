"""Where every character of an article goes on screen: wrapped rows, columns, and what is drawn.

The article view asks three things of this: which rows a width gives, where an offset is
drawn (row, column) and which offset a mouse cell hits, and the safe text of a stretch of
a row. Wrapping is kept per width; a paragraph whose code points are each one cell wide
and one cluster (most news text, checked in C) is wrapped with string searches only, the
rest cluster by cluster.

Nothing is ever drawn as markup, and characters a terminal would act on are drawn as
visible placeholders: C0/C1 controls as Unicode control pictures (ESC as ␛, BEL as ␇),
tab as →, and zero-width format characters (bidi controls, ZWSP) as ·.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

import regex
from rich.cells import cell_len

from tui.core.language.text import grapheme_starts, has_joiners

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


@dataclass(slots=True)
class Paragraph:
    """One run between LFs. ``offsets`` is empty when each code point is one plain cell;
    otherwise it holds each cluster's offset, ``columns`` the column where each cluster
    starts (and one more entry for the paragraph's end), ``shown`` what is drawn."""

    start: int
    end: int
    offsets: list[int]
    columns: list[int]
    shown: list[str]
    is_placeholder: list[bool]

    @property
    def simple(self) -> bool:
        return not self.offsets

    def cells(self, start: int, end: int) -> int:
        if not self.offsets:
            return end - start
        return self.columns[bisect_left(self.offsets, end)] - self.columns[
            bisect_left(self.offsets, start)]


def analyse(text: str, start: int, end: int) -> Paragraph:
    # isprintable is False for every control, format and line separator (and NBSP, which
    # then takes the slow path)
    if is_plain(text, start, end):
        return Paragraph(start, end, [], [], [], [])
    chunk = text[start:end]
    starts = grapheme_starts(text, start, end)
    paragraph = Paragraph(start, end, [], [0], [], [])
    for i, rel in enumerate(starts):
        rel_end = starts[i + 1] if i + 1 < len(starts) else end - start
        cluster = chunk[rel:rel_end]
        shown = placeholder(cluster)
        paragraph.offsets.append(start + rel)
        paragraph.columns.append(paragraph.columns[-1] + (1 if shown else cell_len(cluster)))
        paragraph.shown.append(shown or cluster)
        paragraph.is_placeholder.append(shown is not None)
    return paragraph


class ArticleLayout:
    """The rows of one article at one width."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.width = 0
        self.paragraphs: list[Paragraph] = []
        position = 0
        for line in text.split("\n"):
            self.paragraphs.append(analyse(text, position, position + len(line)))
            position += len(line) + 1
        self.row_starts: list[int] = []
        self.row_ends: list[int] = []
        self.row_paragraph: list[int] = []

    # -- wrapping --------------------------------------------------------------------

    def wrap(self, width: int) -> None:
        width = max(width, 2)
        if width == self.width:
            return
        self.width = width
        starts: list[int] = []
        ends: list[int] = []
        owner: list[int] = []
        for index, paragraph in enumerate(self.paragraphs):
            rows = (self._wrap_simple(paragraph, width) if paragraph.simple
                    else self._wrap_clusters(paragraph, width))
            for row_start, row_end in rows:
                starts.append(row_start)
                ends.append(row_end)
                owner.append(index)
        self.row_starts, self.row_ends, self.row_paragraph = starts, ends, owner

    def _wrap_simple(self, paragraph: Paragraph, width: int) -> list[tuple[int, int]]:
        text, start, end = self.text, paragraph.start, paragraph.end
        rows = []
        while end - start > width:
            cut = start + width
            space = text.rfind(" ", start, cut)
            row_end = space + 1 if space >= start else cut
            rows.append((start, row_end))
            start = row_end
        rows.append((start, end))
        return rows

    def _wrap_clusters(self, paragraph: Paragraph, width: int) -> list[tuple[int, int]]:
        rows = []
        row_start = paragraph.start
        used = used_at_space = 0
        after_space = 0  # the offset just after the last space on this row, if any
        columns = paragraph.columns
        for i, offset in enumerate(paragraph.offsets):
            cells = columns[i + 1] - columns[i]
            if used + cells > width and offset > row_start:
                if after_space > row_start:
                    row_end, used = after_space, used - used_at_space
                else:
                    row_end, used = offset, 0
                rows.append((row_start, row_end))
                row_start, after_space = row_end, 0
            used += cells
            if self.text[offset] == " ":
                after_space, used_at_space = offset + 1, used
        rows.append((row_start, paragraph.end))
        return rows

    # -- geometry --------------------------------------------------------------------

    @property
    def rows(self) -> int:
        if not self.row_starts:
            self.wrap(80)  # asked before the view knew its width: any width will do
        return len(self.row_starts)

    def row_of(self, offset: int) -> int:
        if not self.row_starts:
            self.wrap(80)
        return max(0, bisect_right(self.row_starts, offset) - 1)

    def locate(self, offset: int) -> tuple[int, int]:
        """The (row, column) where ``offset`` is drawn."""
        row = self.row_of(offset)
        paragraph = self.paragraphs[self.row_paragraph[row]]
        return row, paragraph.cells(self.row_starts[row], offset)

    def offset_at(self, row: int, column: int) -> int:
        """The offset of the cluster drawn at (row, column): what a click lands on."""
        row = min(max(row, 0), self.rows - 1)
        start, end = self.row_starts[row], self.row_ends[row]
        paragraph = self.paragraphs[self.row_paragraph[row]]
        if paragraph.simple:
            return min(start + max(column, 0), end)
        first = bisect_left(paragraph.offsets, start)
        target = paragraph.columns[first] + max(column, 0)
        index = bisect_right(paragraph.columns, target) - 1  # the cluster covering that cell
        if index >= len(paragraph.offsets):
            return end
        return min(paragraph.offsets[index], end)

    def clusters(self, start: int, end: int) -> list[tuple[int, str, bool]]:
        """What to draw for text[start:end] of one row: (offset, text, is_placeholder) runs.

        A plain paragraph gives one run; otherwise runs break around placeholders.
        """
        paragraph = self.paragraphs[self.row_paragraph[self.row_of(start)]]
        if paragraph.simple:
            return [(start, self.text[start:end], False)] if end > start else []
        runs: list[tuple[int, str, bool]] = []
        for i in range(bisect_left(paragraph.offsets, start), len(paragraph.offsets)):
            offset = paragraph.offsets[i]
            if offset >= end:
                break
            shown, is_placeholder = paragraph.shown[i], paragraph.is_placeholder[i]
            if runs and not is_placeholder and not runs[-1][2]:
                runs[-1] = (runs[-1][0], runs[-1][1] + shown, False)
            else:
                runs.append((offset, shown, is_placeholder))
        return runs
