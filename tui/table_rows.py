"""The claims table's rows written as Rich draws them, without Rich laying out each one.

Rich measures, wraps, pads and styles every cell of a table through its renderables: about
0.4 ms a row, minutes at a million claims. Yet in ``gloss claims``' table a row's lines
depend on its cells' text alone: the columns' widths are fixed by their ratios, every cell
is plain text (the source's first cell bold), folded at the column's width, padded on the
right, one space of padding either side, the same vertical line between every two cells.
``FastRows`` learns that shape from Rich itself for the console at hand (the widths, the
edges and dividers, the escape sequences of bold under its colour system) and writes each
row's lines with them. A cell of characters one cell wide that join no other (``SIMPLE``:
Latin, Greek, Cyrillic, typographic punctuation) is its text padded to the width, or, when
longer, folded as Rich folds it (``folded``: Rich's steps, a character for a cell); any
other cell is wrapped by Rich's own ``Text.wrap``, the very call Rich makes for it. A row
it cannot be sure of (a wrapped line that does not fill its column exactly) is left to
Rich, and so is every row of a console whose table the probes do not read as expected
(``learn`` gives ``None``): rows drawn by Rich and by this module compared at set-up (filled,
empty, bold, folded one-cell text, wide and joined characters), and ``folded`` compared with
the ``Text.wrap`` of the Rich at hand. No Rich version is named: Rich 14.3 and 15 both pass.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from operator import sub
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.text import Text

if TYPE_CHECKING:
    from rich.console import Console

# What draws rows through Rich: the rows (cells and whether the row ends its group) in,
# the lines of the rows out (no edge above or below them, no line ends).
Draw = Callable[[list[tuple[Text | str | bool, ...]]], list[str]]
# A row of the table: its cells as shown, whether its first is bold, whether it ends its
# group.
Row = tuple[str, str, str, str, str, bool, bool]

MARKS = "vwxyz"  # no escape sequence nor box character holds these letters

# Text one cell a character that no character joins into a cluster with another (no
# combining mark, joiner, variation selector, wide or zero-width character): Latin, Greek,
# Cyrillic, typographic punctuation (a claim's ’ and “”). Such a cell of no more characters
# than its column is one line, its text padded; ``learn`` checks that Rich measures each of
# them one cell (else only ASCII is).
SIMPLE_CODES = ((0x20, 0x7E), (0xA0, 0xAC), (0xAE, 0x2FF), (0x370, 0x482), (0x2010, 0x2027),
                (0x2030, 0x205E))
SIMPLE = re.compile("[" + "".join(f"{re.escape(chr(first))}-{re.escape(chr(last))}"
                                  for first, last in SIMPLE_CODES) + "]*")
ASCII = re.compile("[ -~]*")
WORD = re.compile(r"\s*\S+\s*")  # Rich's word: its whitespace before and after with it
END_SPACE = re.compile(r"\s+$")
# What ``learn`` folds both ways (``folded`` and Rich's ``Text.wrap``) at every width up to
# FOLD_WIDTHS, and puts in a probe row: each step of ``folded`` taken (a word that fits, one
# that starts a line, one cut, whitespace runs at a fold, no-break spaces, typographic
# marks). Should a Rich fold otherwise, Rich draws every row.
FOLDS = ("supercalifragilistic  a   bc “Ж’é”, x.  ", "  \xa0a b\xa0  cdefghijklmn —   o ")
FOLD_WIDTHS = 14
# A probe row of text only Rich wraps (wide, combining, joined emoji): its lines, laid side
# by side here, checked against Rich's table.
WIDE = "漢字 👨‍👩‍👧 e\u0301 ‼\ufe0f アプリケーション "


class FastRows:
    """Writes the lines of a row of the table: ``widths`` the columns', ``left``, ``between``
    and ``right`` what comes before the first cell, between two and after the last,
    ``bold`` the sequences around a bold line (empty without colour)."""

    def __init__(self, console: Console, widths: list[int], left: str, between: str,
                 right: str, bold: tuple[str, str]) -> None:
        self.console = console
        self.simple = SIMPLE.fullmatch if all(
            cell_len(chr(code)) == 1 for first, last in SIMPLE_CODES
            for code in range(first, last + 1)) else ASCII.fullmatch
        self.widths = widths
        self.left, self.between, self.right = left, between, right
        self.bold_on, self.bold_off = bold
        self.blank = [" " * width for width in widths]

    @classmethod
    def learn(cls, console: Console, draw: Draw) -> FastRows | None:
        """The shape of the rows Rich draws with ``draw`` on ``console``, read from a probe
        and checked on a second: None when either is not what this module writes."""
        if not folds_as_rich(console):
            return None
        columns = len(MARKS)
        long = console.width + 1  # wider than any column: the first line fills each one
        plain = draw([(*[Text(mark * long) for mark in MARKS], False)])
        found = re.fullmatch("".join(f"([^{MARKS}]*)({mark}+)" for mark in MARKS)
                             + f"([^{MARKS}]*)", plain[0] if plain else "")
        if found is None:
            return None
        parts = found.groups()
        glue, widths = list(parts[0::2]), [len(run) for run in parts[1::2]]
        if len(set(glue[1:-1])) != 1:
            return None
        bolded = draw([(Text(MARKS[0] * long, style="bold"),
                        *[Text(mark * long) for mark in MARKS[1:]], False)])
        rest = plain[0][len(glue[0]) + widths[0]:]
        line = bolded[0] if bolded else ""
        if not (line.startswith(glue[0]) and line.endswith(rest)):
            return None
        on, _, off = line[len(glue[0]):len(line) - len(rest)].partition(MARKS[0] * widths[0])
        if MARKS[0] in on + off:
            return None
        rows = cls(console, widths, glue[0], glue[1], glue[-1], (on, off))
        if rows._checked(draw, columns):
            return rows
        return None

    def _checked(self, draw: Draw, columns: int) -> bool:
        """Whether Rich draws a few rows (bold or not, filled, short, empty, wrapped, first,
        middle and last of a piece; folded one-cell text; wide and joined characters) as this
        writes them (the line after a group's end is the caller's). A probe row this leaves
        to Rich (``lines`` None) is not drawn, but the first five must be this module's."""
        full = [mark * width for mark, width in zip(MARKS, self.widths, strict=True)]
        probe: list[tuple[list[str], bool]] = [
            ([text] + [text[:2] or text] * (columns - 1), bold) for text, bold in (
                (full[0], True), ("a", False), ("", True), (" ".join(["wrap"] * 40), True),
                ("", False))]
        probe += [([FOLDS[n % 2] * (n + 1) for n in range(columns)], True),
                  ([WIDE * (n + 1) for n in range(columns)], False)]
        rows: list[tuple[Text | str | bool, ...]] = []
        mine: list[str] = []
        for number, (cells, bold) in enumerate(probe):
            lines = self.lines(cells, bold)
            if lines is None:
                if number < 5:
                    return False
                continue
            rows.append((Text(cells[0], style="bold" if bold else ""),
                         *[Text(cell) for cell in cells[1:]], False))
            mine.append(lines)
        drawn = draw(rows)
        return drawn == "".join(mine).split("\n")[:-1]

    def block(self, rows: Sequence[Row], by_rich: Callable[[Row], str], gap: str
              ) -> list[str]:
        """Each row's lines as Rich draws them (each line ended by a newline), ``gap`` after a
        row that ends its group; ``by_rich`` draws a row this cannot. The cells are strings
        as ``visible`` leaves them (no control character)."""
        w0, w1, w2, w3, w4 = self.widths
        left, mid, right = self.left, self.between, self.right + "\n"
        on, off, simple = self.bold_on, self.bold_off, self.simple
        out: list[str] = []
        append = out.append
        for row in rows:  # the common row, one line of cells that fit, written inline
            source, text, places, title, date, bold, end = row
            if len(source) <= w0 and len(text) <= w1 and len(places) <= w2 \
                    and len(title) <= w3 and len(date) <= w4 and simple(
                        source + text + places + title + date):
                line = (left + (on + source.ljust(w0) + off if bold else source.ljust(w0))
                        + mid + text.ljust(w1) + mid + places.ljust(w2) + mid + title.ljust(w3)
                        + mid + date.ljust(w4) + right)
            else:
                line = self.lines(row[:5], bold) or by_rich(row)
            append(line + gap if end else line)
        return out

    def lines(self, cells: Sequence[str], bold: bool) -> str | None:
        """The row's lines as Rich draws them (each ended by a newline), ``bold`` whether
        its first cell is (the source's first row); None when Rich must draw it. The cells
        are strings as ``visible`` leaves them (no control character)."""
        widths = self.widths
        joined = "".join(cells)
        if ((joined.isascii() and joined.isprintable()) or self.simple(joined)) \
                and max(map(sub, map(len, cells), widths)) <= 0:
            padded = list(map(str.ljust, cells, widths))
            if bold:
                padded[0] = self.bold_on + padded[0] + self.bold_off
            return self.left + self.between.join(padded) + self.right + "\n"
        return self._wrapped(cells, bold)

    def _wrapped(self, cells: Sequence[str], bold: bool) -> str | None:
        """A row of several lines, or of text beyond ASCII: each cell through Rich's
        ``Text.wrap`` (fold, left), then its lines put side by side as the table does."""
        columns: list[list[str]] = []
        for text, width in zip(cells, self.widths, strict=True):
            if self.simple(text):
                columns.append([text.ljust(width)] if len(text) <= width
                               else folded(text, width))
                continue
            lines = [line.plain for line in Text(text).wrap(
                self.console, width, justify="left", overflow="fold")]
            if any(cell_len(line) != width for line in lines):
                return None
            columns.append(lines)
        if bold:
            columns[0] = [self.bold_on + line + self.bold_off for line in columns[0]]
        height = max(len(lines) for lines in columns)
        blank = self.blank
        return "".join([
            self.left + self.between.join([
                lines[n] if n < len(lines) else blank[column]
                for column, lines in enumerate(columns)]) + self.right + "\n"
            for n in range(height)])


def folds_as_rich(console: Console) -> bool:
    """Whether ``folded`` gives the lines Rich's ``Text.wrap`` gives for ``FOLDS`` at every
    width up to ``FOLD_WIDTHS``: Rich's steps, copied, checked against the Rich at hand."""
    return all(folded(text, width) == [line.plain for line in Text(text).wrap(
        console, width, justify="left", overflow="fold")]
        for text in FOLDS for width in range(1, FOLD_WIDTHS + 1))


def folded(text: str, width: int) -> list[str]:
    """The lines of a cell of ``SIMPLE`` text as Rich's ``Text.wrap`` makes them (fold,
    left), its steps taken with a character for a cell: ``divide_line``'s breaks (a word
    that fits goes on, one that does not starts a line, one wider than a line is cut in
    lines of ``width``), each line's whitespace past the width cut (``rstrip_end``), then
    cropped or padded to the width (``truncate``)."""
    breaks: list[int] = []
    offset = 0
    word = WORD.match(text)
    while word is not None:
        start, end = word.span()
        length = len(word.group().rstrip())
        if width - offset >= length:
            offset += end - start
        elif length > width:
            for piece in range(start, end, width):
                if piece:
                    breaks.append(piece)
                offset = min(width, end - piece)
        elif offset and start:
            breaks.append(start)
            offset = end - start
        word = WORD.match(text, end)
    lines = []
    for first, last in zip([0, *breaks], [*breaks, len(text)], strict=True):
        line = text[first:last]
        if len(line) > width:
            space = END_SPACE.search(line)
            if space is not None:
                line = line[:len(line) - min(len(space.group()), len(line) - width)]
        lines.append(line[:width] if len(line) > width else line.ljust(width))
    return lines
