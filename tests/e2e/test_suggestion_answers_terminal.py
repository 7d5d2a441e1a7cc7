"""A search's answer redraws, in a real terminal, the rows whose suggestions it changed:
tmux runs `gloss read` on an article that names Witkoff twice; labelling the first makes
the second a name seen, drawn underlined in the article and listed under the spans; taking
the label away takes both back: the second drawn again as it was before. The screen is
polled, never slept on."""

import shutil
import sys
from collections.abc import Callable

import pytest

from tests.e2e.terminal import Cells, Terminal, text_of, wait_cells

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]

ARTICLE = ("Talks in Riyadh\n\nWitkoff flew to Moscow on Monday.\n\n"
           "Later Witkoff met Putin in Moscow.\n")


def later_witkoff(rows: Cells) -> list[tuple[str, str, str, frozenset[str]]]:
    """The cells of the second Witkoff, as drawn in the article."""
    row = next(row for row in rows if text_of(row).startswith("│ Later Witkoff"))
    start = text_of(row).index("Witkoff")
    return row[start:start + len("Witkoff")]


def underlined(rows: Cells) -> bool:
    return all("underline" in cell[3] for cell in later_witkoff(rows))


def on_screen(done: Callable[[Cells], bool]) -> Callable[[Cells], bool]:
    """``done``, once the article's last line is drawn."""
    return lambda rows: any(text_of(row).startswith("│ Later Witkoff") for row in rows) \
        and done(rows)


def test_an_answer_draws_and_undraws_a_name_seen_where_it_stands(tmp_path):
    (tmp_path / "witkoff.txt").write_text(ARTICLE, encoding="utf-8")
    terminal = Terminal([sys.executable, "-m", "tui", "read", "witkoff.txt", "--db", "db"],
                        tmp_path, width=120)
    try:
        terminal.wait_for("no spans yet")
        first = wait_cells(terminal, on_screen(lambda rows: not underlined(rows)),
                           "the article", timeout=30)
        terminal.send("Down", "Down")
        terminal.wait_for("at 17 of")
        terminal.send("1")  # the first Witkoff, an actor: the second is a name seen
        terminal.wait_for("saved ACTOR “Witkoff”", "1 suggested", "?ACTOR")
        seen = wait_cells(terminal, on_screen(underlined),
                          "the second Witkoff was not drawn suggested", timeout=30)
        terminal.send("x")  # taken away: no longer a name seen anywhere
        gone = wait_cells(terminal, on_screen(lambda rows: not underlined(rows) and
                                              "suggested: 1" not in "".join(map(text_of, rows))),
                          "the second Witkoff stayed drawn suggested", timeout=30)
        assert later_witkoff(gone) == later_witkoff(first) != later_witkoff(seen)
        terminal.send("q")
        terminal.wait_until_closed()
    finally:
        terminal.close()
