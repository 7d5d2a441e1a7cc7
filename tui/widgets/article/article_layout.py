"""Where every character of an article goes on screen: wrapped rows, columns, and what is drawn.

The article view asks three things of this: which rows a width gives, where an offset is
drawn (row, column) and which offset a mouse cell hits, and the safe text of a stretch of
a row. A paragraph whose code points are each one cell wide and one cluster (most news
text, checked in C: ``paragraph``) is wrapped with string searches only, the rest cluster
by cluster; a paragraph is analysed when wrapping first reaches it.

A long article is wrapped as far as it is asked: ``wrap`` wraps the first rows (all of
them up to ``eager`` characters), whatever asks for a later row or offset wraps up to it,
and ``wrap_more`` goes on in steps (the view runs it between frames). Until the last row
is wrapped, ``rows`` is an estimate from the rows so far; every row the caller sees is the
row the whole wrap gives, since each row is wrapped from its own start alone.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from tui.widgets.article.paragraph import Paragraph, analyse, is_plain, placeholder

__all__ = ["ArticleLayout", "Paragraph", "analyse", "is_plain", "placeholder"]


class ArticleLayout:
    """The rows of one article at one width."""

    EAGER = 2_000_000  # an article up to this long is wrapped whole by wrap()
    FIRST_ROWS = 1000  # else as many rows first

    def __init__(self, text: str, eager: int | None = None, first_rows: int | None = None
                 ) -> None:
        self.text = text
        self.eager = self.EAGER if eager is None else eager
        self.first_rows = self.FIRST_ROWS if first_rows is None else first_rows
        self.width = 0
        self._bounds: list[tuple[int, int]] = []  # each paragraph's start and end
        position = 0
        for line in text.split("\n"):
            self._bounds.append((position, position + len(line)))
            position += len(line) + 1
        self._analysed: dict[int, Paragraph] = {}
        self.row_starts: list[int] = []
        self.row_ends: list[int] = []
        self.row_paragraph: list[int] = []
        self._next = 0  # the paragraph of the next row to wrap (past the last: all wrapped)
        self._resume = 0  # the offset where that row starts

    def paragraph(self, index: int) -> Paragraph:
        found = self._analysed.get(index)
        if found is None:
            found = self._analysed[index] = analyse(self.text, *self._bounds[index])
        return found

    # -- wrapping --------------------------------------------------------------------

    def wrap(self, width: int) -> None:
        width = max(width, 2)
        if width == self.width:
            return
        self.width = width
        self.row_starts, self.row_ends, self.row_paragraph = [], [], []
        self._next, self._resume = 0, 0
        self.wrap_more(None if len(self.text) <= self.eager else self.first_rows)

    @property
    def complete(self) -> bool:
        return self._next >= len(self._bounds)

    def wrap_more(self, rows: int | None, cluster_cost: int = 1) -> bool:
        """Wrap ``rows`` more rows (None: all the rest), a row of a paragraph that is not
        plain counting ``cluster_cost`` rows (its clusters cost that much more to wrap,
        analysed the first time); True once every row is wrapped."""
        if not self.width:
            self.wrap(80)  # asked before the view knew its width: any width will do
        budget = rows
        while not self.complete and (budget is None or budget > 0):
            index = self._next
            paragraph = self.paragraph(index)
            cost = 1 if paragraph.simple else cluster_cost
            wanted = None if budget is None else -(-budget // cost)
            rows_of = self._wrap_simple if paragraph.simple else self._wrap_clusters
            starts, ends, done = rows_of(paragraph, self._resume, wanted)
            self.row_starts += starts
            self.row_ends += ends
            self.row_paragraph += [index] * len(starts)
            if budget is not None:
                budget -= len(starts) * cost
            if done:
                self._next += 1
                self._resume = self._bounds[self._next][0] if not self.complete else 0
            else:
                self._resume = ends[-1]
        return self.complete

    def _wrap_to(self, offset: int) -> None:
        """Wrap at least every row that starts at or before ``offset``."""
        if not self.width:
            self.wrap(80)
        while not self.complete and offset >= self._resume:
            self.wrap_more(max(self.first_rows, 1))

    def has_row(self, row: int) -> bool:
        """Whether ``row`` exists (wrapped up to it to know)."""
        while not self.complete and row >= len(self.row_starts):
            self.wrap_more(max(self.first_rows, row + 1 - len(self.row_starts)))
        return 0 <= row < len(self.row_starts)

    def extent(self, row: int) -> tuple[int, int]:
        """Where ``row`` starts and ends (a row that exists: see ``has_row``)."""
        self.has_row(row)
        return self.row_starts[row], self.row_ends[row]

    def _wrap_simple(self, paragraph: Paragraph, start: int, wanted: int | None
                     ) -> tuple[list[int], list[int], bool]:
        text, width, end = self.text, self.width, paragraph.end
        starts, ends = [], []
        rfind = text.rfind
        while end - start > width and (wanted is None or len(starts) < wanted):
            cut = start + width
            space = rfind(" ", start, cut)
            starts.append(start)
            start = space + 1 if space >= start else cut
            ends.append(start)
        if wanted is not None and len(starts) >= wanted:
            return starts, ends, False
        starts.append(start)
        ends.append(end)
        return starts, ends, True

    def _wrap_clusters(self, paragraph: Paragraph, start: int, wanted: int | None
                       ) -> tuple[list[int], list[int], bool]:
        starts, ends = [], []
        row_start = start
        used = used_at_space = 0
        after_space = 0  # the offset just after the last space on this row, if any
        columns, offsets, text, width = paragraph.columns, paragraph.offsets, self.text, \
            self.width
        i = bisect_left(offsets, start)
        while i < len(offsets) or paragraph.done < paragraph.end:
            if i == len(offsets):  # wrapped as far as analysed: the next piece
                paragraph.more(text)
                continue
            offset = offsets[i]
            cells = columns[i + 1] - columns[i]
            # a while, not an if: what follows the last space, with this cluster, may
            # still not fit (a wide one), and then it starts a row of its own
            while used + cells > width and offset > row_start:
                if after_space > row_start:
                    row_end, used = after_space, used - used_at_space
                else:
                    row_end, used = offset, 0
                starts.append(row_start)
                ends.append(row_end)
                row_start, after_space = row_end, 0
                if wanted is not None and len(starts) >= wanted:
                    return starts, ends, False
            used += cells
            if text[offset] == " ":
                after_space, used_at_space = offset + 1, used
            i += 1
        starts.append(row_start)
        ends.append(paragraph.end)
        return starts, ends, True

    # -- geometry --------------------------------------------------------------------

    @property
    def rows(self) -> int:
        """How many rows there are; until all are wrapped, an estimate (more than wrapped)."""
        if not self.width:
            self.wrap(80)
        wrapped = len(self.row_starts)
        if self.complete:
            return wrapped
        done = self._resume - (self.row_starts[0] if wrapped else 0)
        left = len(self.text) - self._resume
        return wrapped + max(1, -(-left * wrapped // max(done, 1)) if wrapped else left)

    def row_of(self, offset: int) -> int:
        self._wrap_to(offset)
        return max(0, bisect_right(self.row_starts, offset) - 1)

    def locate(self, offset: int) -> tuple[int, int]:
        """The (row, column) where ``offset`` is drawn."""
        row = self.row_of(offset)
        paragraph = self.paragraph(self.row_paragraph[row])
        return row, paragraph.cells(self.row_starts[row], offset)

    def offset_at(self, row: int, column: int) -> int:
        """The offset of the cluster drawn at (row, column): what a click lands on."""
        row = max(row, 0)
        if not self.has_row(row):
            row = len(self.row_starts) - 1
        start, end = self.row_starts[row], self.row_ends[row]
        paragraph = self.paragraph(self.row_paragraph[row])
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
        paragraph = self.paragraph(self.row_paragraph[self.row_of(start)])
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
