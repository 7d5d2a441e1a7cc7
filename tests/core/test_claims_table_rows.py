"""``gloss claims --format table``'s rows written without Rich's layout (``table_rows``):
the bytes are those Rich draws for the whole table, for random rows (wide and combining
characters, emoji sequences, markup, controls shown escaped, empty and overlong cells) at
the widths and colour settings a terminal gives ``gloss claims``' console."""

from __future__ import annotations

import contextlib
import io
import os
import re
from collections.abc import Callable, Iterator
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.console import Console
from rich.table import Table
from rich.text import Text

from tui import claims_table_output
from tui.claims_table_output import COLUMNS, DATE_WIDTH, print_table
from tui.core.language.visible import visible
from tui.table_rows import FOLDS, SIMPLE, FastRows, Row, folded, folds_as_rich

PIECES = ("word", "Vladimir Putin", " ", "  ", "[bold]x[/]", "[/]", "\\", "\\[b]", "漢字",
          "アプリケーション", "👍", "👨‍👩‍👧", "🇺🇦", "❤️", "e\u0301", "\u0301", "\u200d", "\ufe0f",
          "\t", "\x1b[31m", "\x07", "\x00", "\n", "\r", "\x9b", "\u202e", "\xa0", "\u3000",
          "a" * 30, "supercalifragilisticexpialidocious", "2026-03-02", ",", "-", ":",
          "Ukraine’s", "“quoted”", "é", "ß", "Ω", "Ж", "\u0483", "‼", "‼\ufe0f", "\u2026",
          "\u2028", "\xad", "\u200b", "\u2060")
# How a terminal's environment makes the console: no colour (a pipe), each colour system
# Rich picks from TERM and COLORTERM, and NO_COLOR
COLOURS = ({}, {"FORCE_COLOR": "1", "COLORTERM": "truecolor"},
           {"FORCE_COLOR": "1", "TERM": "xterm-256color"}, {"FORCE_COLOR": "1", "TERM": "xterm"},
           {"FORCE_COLOR": "1", "NO_COLOR": "1", "COLORTERM": "truecolor"})
WIDTHS = (40, 80, 120, 200)



cell = st.lists(st.sampled_from(PIECES) | st.text(max_size=4),
                max_size=12).map("".join)
row = st.tuples(cell, cell, cell, cell, cell, st.booleans(), st.booleans())


def environment(width: int, colour: dict[str, str]) -> dict[str, str]:
    kept = {key: value for key, value in os.environ.items() if key not in (
        "FORCE_COLOR", "NO_COLOR", "COLORTERM", "TERM", "TTY_COMPATIBLE", "TTY_INTERACTIVE",
        "COLUMNS", "LINES")}
    return {**kept, "COLUMNS": str(width), **colour}


def shown(rows: list[tuple[str, str, str, str, str, bool, bool]]) -> list[Row]:
    """The rows as ``claims_table_output._rows`` gives them: every cell ``visible``."""
    return [(visible(source) if bold else "", visible(text), visible(places), visible(title),
             visible(date), bold, end)
            for source, text, places, title, date, bold, end in rows]


def drawn_by_rich(rows: list[Row]) -> str:
    """The whole table as one Rich table draws it (``gloss claims`` before the fast rows)."""
    table = Table(title=f"{len(rows)} claims", expand=True)
    for name, ratio in COLUMNS:
        table.add_column(name, ratio=ratio, overflow="fold")
    table.add_column("date", width=DATE_WIDTH, overflow="fold")
    for source, text, places, title, date, bold, end in rows:
        table.add_row(Text(source, style="bold") if bold else "", Text(text), Text(places),
                      Text(title), Text(date), end_section=end)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        Console().print(table)
    return out.getvalue()


def printed(rows: list[Row], first: int, batch: int) -> str:
    """The table as ``gloss claims`` writes it: ``first`` rows by Rich, the rest fast, the
    rows read ``batch`` at a time."""
    out = io.StringIO()

    def given_rows(*_args: object) -> Iterator[list[Row]]:
        return iter([rows[n:n + batch] for n in range(0, len(rows), batch)])

    with contextlib.redirect_stdout(out), \
            mock.patch.object(claims_table_output, "_rows", given_rows), \
            mock.patch.object(claims_table_output, "FIRST", first), \
            mock.patch.object(claims_table_output, "WRITE", 2):
        print_table(mock.Mock(), [("", len(rows))], iter([]))
    return out.getvalue()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(row, max_size=8), width=st.sampled_from(WIDTHS),
       colour=st.sampled_from(COLOURS), first=st.integers(1, 3), batch=st.integers(1, 4))
def test_the_fast_rows_are_the_bytes_rich_draws(rows: list[tuple[str, str, str, str, str,
                                                                  bool, bool]],
                                                width: int, colour: dict[str, str],
                                                first: int, batch: int) -> None:
    table = shown(rows)
    with mock.patch.dict(os.environ, environment(width, colour), clear=True):
        assert printed(table, first, batch) == drawn_by_rich(table)


def draws_on(console: Console) -> Callable[[list[tuple[Text | str | bool, ...]]], list[str]]:
    """What ``print_table`` gives ``FastRows.learn``: rows drawn as a piece of the table."""
    return lambda rows: claims_table_output._piece(console, rows, None, False).split(
        "\n")[1:-2]


def learnt_or_none(width: int, colour: dict[str, str]) -> FastRows | None:
    with mock.patch.dict(os.environ, environment(width, colour), clear=True):
        console = Console()
        return FastRows.learn(console, draws_on(console))


def learnt(width: int, colour: dict[str, str]) -> FastRows:
    fast = learnt_or_none(width, colour)
    assert fast is not None
    return fast


# Where the probe says this Rich's table is not one FastRows writes, Rich draws every row
# (the bytes test above holds either way): what FastRows would write is not asked there.
# It says yes under Rich 14.3 and 15 alike.
FAST = pytest.mark.skipif(learnt_or_none(80, COLOURS[0]) is None,
                          reason="the probe found Rich drawing otherwise: Rich draws every row")


@FAST
def test_every_console_of_gloss_claims_is_written_fast_even_wide_text_and_escapes() -> None:
    """The fast rows are not a path the tests above never take: every width and colour is
    learnt, and rows of wide, combining and escaped characters and markup are its own."""
    for width in WIDTHS:
        for colour in COLOURS:
            fast = learnt(width, colour)
            assert sum(fast.widths) + 3 * len(fast.widths) + 1 == width
            for cells in (("Putin", "said [bold]no[/]", "Kyiv", "Talks", "2025-03-18"),
                          ("", "漢字 👨‍👩‍👧 e\u0301 " * 9, visible("\x1b[31m\t"), "\\", "")):
                assert fast.lines(cells, bool(cells[0])) is not None


@FAST
def test_bold_sources_and_the_colour_system_are_rich_s_own() -> None:
    assert learnt(80, COLOURS[1]).bold_on == "\x1b[1m"
    assert learnt(80, COLOURS[4]).bold_on == "\x1b[1m"  # NO_COLOR keeps bold
    plain = learnt(80, COLOURS[0])
    assert (plain.bold_on, plain.bold_off) == ("", "")
    assert plain.widths == [9, 24, 8, 13, 10]
    assert plain.lines(("Putin", "no", "", "", ""), True) == (
        "│ Putin     │ no" + " " * 22 + " │          │               │            │\n")


SIMPLE_PIECES = ("a", "bc", " ", "   ", "’", "“", "\xa0", "Ж", "é", "—", "supercalifragilistic",
                 ",", ".")
simple_text = st.lists(st.sampled_from(SIMPLE_PIECES), max_size=30).map("".join)


@FAST
@settings(max_examples=500, deadline=None)
@given(text=simple_text, width=st.integers(1, 30))
def test_one_cell_text_is_folded_as_rich_wraps_it(text: str, width: int) -> None:
    assert SIMPLE.fullmatch(text)
    console = Console(file=io.StringIO())
    assert folded(text, width) == [line.plain for line in Text(text).wrap(
        console, width, justify="left", overflow="fold")]


def test_rows_left_to_rich_and_consoles_it_cannot_read_are_the_same_bytes() -> None:
    """A row ``FastRows`` gives up on is drawn by Rich alone, and a console whose probe it
    does not read is drawn by Rich in pieces: either way the bytes of one table."""
    rows = shown([("Putin", "said " * 20, "Kyiv", "Talks", "2025-03-18", True, n % 3 == 2)
                  for n in range(9)])
    with mock.patch.dict(os.environ, environment(80, COLOURS[1]), clear=True):
        whole = drawn_by_rich(rows)
        with mock.patch.object(FastRows, "lines", lambda *_args: None):
            assert printed(rows, 1, 2) == whole
        with mock.patch.object(FastRows, "learn", lambda *_args: None), \
                mock.patch.object(claims_table_output, "CHUNK", 2):
            assert printed(rows, 1, 2) == whole


def divided_at_every_word(text: str, width: int, fold: bool = True) -> list[int]:
    """A Rich that folds otherwise: every word on a line of its own."""
    return [word.start() for word in re.finditer(r"\s*\S+\s*", text)][1:]


def test_a_rich_that_folds_otherwise_is_found_by_the_probe_and_draws_every_row() -> None:
    rows = shown([("Putin", FOLDS[0] * 3, "Kyiv, Kharkiv", "Talks", "2025-03-18", True, False)
                  for _ in range(4)])
    with mock.patch.dict(os.environ, environment(80, COLOURS[1]), clear=True):
        assert learnt_or_none(80, COLOURS[1]) is not None
        with mock.patch("rich.text.divide_line", divided_at_every_word):
            assert not folds_as_rich(Console())
            assert learnt_or_none(80, COLOURS[1]) is None
            assert printed(rows, 1, 2) == drawn_by_rich(rows)


@pytest.mark.parametrize("drawn_otherwise", ["Ж", "字", "́", "👧"])
def test_a_rich_table_that_draws_a_probe_row_otherwise_is_left_to_rich(drawn_otherwise: str
                                                                      ) -> None:
    """The probe's rows of folded one-cell text and of wide and joined characters are
    compared with Rich's table: one character drawn otherwise there, and Rich draws all."""
    console = Console(file=io.StringIO(), width=120)
    draw = draws_on(console)
    assert FastRows.learn(console, draw) is not None
    assert FastRows.learn(console, lambda rows: [
        line.replace(drawn_otherwise, "?") for line in draw(rows)]) is None
