"""``gloss claims --format table``: the claims board as a Rich table, streamed.

The table is drawn ``FIRST`` rows with its title and header by Rich, so that the first
screenful is on the terminal without waiting for thousands of rows; the rest a row at a time
by ``table_rows.FastRows`` (the lines Rich would draw, written without its layout: Rich
takes 0.4 ms a row, minutes at a million claims), or, when the console's table is not one
it can write, ``CHUNK`` rows at a time by Rich, each piece a table of its own cut to fit the
one before it (its top edge and the one before's bottom edge left out). Either way a
million claims are never held and the bytes are those of one table: the columns' widths
are set by their ratios and the date's fixed width alone, the same for every piece and row.
Into an output with bytes under its text (a terminal, a file), the fast rows are read
again in ranges and written by ``claims_table_rest``: on two processes when it may, the
same bytes.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import IO, TYPE_CHECKING, Any

from tui.core.language.visible import has_controls, visible
from tui.core.store.claim_pass import row_from_file
from tui.core.store.claim_table import Cells, Query, cells_of
from tui.core.store.dataset import Dataset
from tui.pager import Terminal
from tui.table_rows import FastRows, Row

if TYPE_CHECKING:
    from rich.console import Console

CHUNK = 2000
FIRST = 60
COLUMNS = (("source", 2), ("claim", 5), ("places", 2), ("article", 3))
DATE_WIDTH = 10  # an ISO date whole: a ratio squeezed it to three cells on 80 columns
WRITE = 2000  # fast rows written at a time, about



def print_table(dataset: Dataset, groups: list[tuple[str, int]],
                batches: Iterator[list[tuple[str, str, int, bytes]]],
                query: Query | None = None, terminal: Terminal | None = None) -> None:
    """The table of ``groups``' claims from ``batches`` (``query``'s board batches); with
    ``query``, the rows after the first screenful are read again by ``claims_table_rest``
    in ranges, on two processes when it may. With ``terminal`` (standard output is a
    pager's pipe), drawn for that terminal."""
    from rich.console import Console  # the table's only: not for the CSV nor the JSONL

    console = Console() if terminal is None else Console(
        force_terminal=True, width=terminal.width, height=terminal.height,
        color_system=terminal.colours)
    title = f"{sum(n for _source, n in groups)} claims"
    # the line between two groups, as the table draws it (its widths are the rows')
    between = _piece(console, [("", "", "", "", "", True), ("", "", "", "", "", False)],
                     None, False).split("\n")[2]
    rows = _rows(dataset, groups, batches)
    piece: list[Row] = []
    for batch in rows:
        piece += batch
        if len(piece) > FIRST:
            break
    if len(piece) <= FIRST:  # the whole table in one piece
        _write(console, piece, title, True, False, between, last=True)
        return
    _write(console, piece[:FIRST], title, True, False, between, last=False)
    rest = _rest(piece[FIRST:], rows)
    fast = FastRows.learn(console, lambda drawn: _piece(
        console, drawn, None, False).split("\n")[1:-2])
    if fast is None:
        _in_pieces(console, (row for batch in rest for row in batch), piece[FIRST - 1][-1],
                   between)
    elif query is not None and (out := _bytes_out(console)) is not None:
        rows.close()
        close = getattr(batches, "close", None)
        if close is not None:  # its cursor closed, its ranks dropped
            close()
        _fast_rest(dataset, console, out, fast, query, groups, between,
                   piece[FIRST - 1][-1])
    else:
        _fast(console, fast, rest, piece[FIRST - 1][-1], between)


def _bytes_out(console: Console) -> IO[bytes] | None:
    """The binary output under the console's text file, when it has one."""
    buffer = getattr(console.file, "buffer", None)
    return buffer if buffer is not None and getattr(console.file, "encoding", None) else None


def _fast_rest(dataset: Dataset, console: Console, out: IO[bytes], fast: FastRows,
               query: Query, groups: list[tuple[str, int]], between: str,
               after_group: bool) -> None:
    """The rows after the first ``FIRST`` by ``claims_table_rest``, as bytes into ``out``
    (the console's file's own)."""
    from tui import claims_table_rest

    console.file.flush()

    def shown(blob: bytes, article: str, seq: int, source: str, bold: bool, end: bool
              ) -> Row:
        return shown_row(dataset, blob, article, seq, source if bold else "", bold, end)

    rest = claims_table_rest.Rest(
        fast, functools.partial(_by_rich, console), between + "\n",
        _piece(console, [], None, False).split("\n")[-2] + "\n", shown, groups, {},
        console.file.encoding, console.file.errors or "strict")
    claims_table_rest.write_rest(dataset, query, rest, out, after_group, FIRST)


def _by_rich(console: Console, row: Row) -> str:
    """A row drawn by Rich alone, its lines without the table's edges above and below."""
    return "\n".join(_piece(console, [_texts(row)], None, False).split("\n")[1:-2]) + "\n"


def _rest(held: list[Row], rows: Iterator[list[Row]]) -> Iterator[list[Row]]:
    yield held
    yield from rows


def _fast(console: Console, fast: FastRows, rows: Iterator[list[Row]], after_group: bool,
          between: str) -> None:
    """The rows after the first piece, written by ``fast`` (a row it cannot drawn by Rich as
    a piece of one row), with the line between groups and the table's bottom."""
    gap = between + "\n"
    out: list[str] = [gap] if after_group else []
    size, ended = 0, False
    for batch in rows:
        if not batch:
            continue
        drawn = fast.block(batch, functools.partial(_by_rich, console), gap)
        out += drawn
        size += len(batch)
        if size > WRITE:  # the last row kept back: the line after its group may go
            console.file.write("".join(out[:-1]))
            console.file.flush()
            out, size = out[-1:], 0
        ended = batch[-1][-1]
    if ended:  # no line after the table's last group
        out[-1] = out[-1][:-len(gap)]
    bottom = _piece(console, [], None, False).split("\n")[-2]
    console.file.write("".join(out) + bottom + "\n")
    console.file.flush()


def _in_pieces(console: Console, rows: Iterator[Row], after_group: bool,
               between: str) -> None:
    """The rows after the first piece drawn by Rich, ``CHUNK`` at a time."""
    piece: list[Row] = []
    for row in rows:
        piece.append(row)
        if len(piece) > CHUNK:  # the last piece is never empty
            _write(console, piece[:CHUNK], None, False, after_group, between, last=False)
            after_group, piece = piece[CHUNK - 1][-1], piece[CHUNK:]
    _write(console, piece, None, False, after_group, between, last=True)


def _rows(dataset: Dataset, groups: list[tuple[str, int]],
          batches: Iterator[list[tuple[str, str, int, bytes]]]) -> Iterator[list[Row]]:
    """Each claim's cells as the table shows them, whether its source is shown and whether
    it ends its group: a batch of the query at a time."""
    sizes = dict(groups)
    shown = 0  # of the group being drawn (its rows come together, in order)
    for batch in batches:
        rows: list[Row] = []
        append = rows.append
        for source, article, seq, blob in batch:
            size = sizes[source]
            shown += 1
            append(shown_row(dataset, blob, article, seq, source if shown == 1 else "",
                             shown == 1, shown == size))
            shown %= size
        yield rows


def shown_row(dataset: Dataset, blob: bytes, article: str, seq: int, source: str,
              bold: bool, end: bool) -> Row:
    """A claim's row as the table shows it: its cells (made again from its file when its
    ``blob`` is forged), every control shown as a placeholder."""
    cells = cells_of(blob) or _cells_again(dataset, article, seq)
    text, places, title, date = (cells.text, ", ".join(cells.places), cells.title,
                                 cells.date) if cells is not None else ("", "", "", "")
    if has_controls(source + text + places + title + date):  # one look, not five
        source, text, places, title, date = map(visible, (source, text, places, title, date))
    return (source, text, places, title, date, bold, end)


def _cells_again(dataset: Dataset, article: str, seq: int) -> Cells | None:
    """A claim's cells made again from its file: its row is missing or forged."""
    row = row_from_file(dataset, article, seq)
    return cells_of(row[6]) if row is not None else None


def _texts(row: Row) -> tuple[Any, ...]:
    """A row's cells as Rich draws them: text, never markup."""
    from rich.text import Text

    source, text, places, title, date, bold, end = row
    return (Text(source, style="bold") if bold else "", Text(text), Text(places),
            Text(title), Text(date), end)


def _write(console: Console, rows: list[Row], title: str | None, first: bool,
           after_group: bool, between: str, *, last: bool) -> None:
    lines = _piece(console, [_texts(row) for row in rows], title, first).split("\n")
    # the piece's own edges: its top (a later piece's) and its bottom (but the last's)
    lines = lines[(0 if first else 1):(len(lines) if last else len(lines) - 2)]
    console.file.write("".join([between + "\n" if after_group and not first else "",
                                "\n".join(lines), "" if last else "\n"]))
    console.file.flush()


def _piece(console: Console, rows: list[tuple[Any, ...]], title: str | None,
           header: bool) -> str:
    from rich.table import Table

    table = Table(title=title, expand=True, show_header=header)
    for name, ratio in COLUMNS:
        table.add_column(name, ratio=ratio, overflow="fold")
    table.add_column("date", width=DATE_WIDTH, overflow="fold")
    for *cells, end in rows:
        table.add_row(*cells, end_section=end)
    with console.capture() as drawn:
        console.print(table)
    return drawn.get()
