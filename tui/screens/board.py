"""The claims board: every claim of the dataset grouped by who made it (the source's
canonical name), with its places, article title and date; filtered by source, place and
status as the analyst types; enter shows the claim in its article.

With two articles open side by side, tab sets them against each other: what each source
claims in the one beside what it claims in the other (one story as two outlets told it).

For a team, a claim several analysts hold alike is one row, which names them; ctrl+t shows
each analyst's row instead.

The rows come from the session's index of the dataset (read once a session, in a thread;
the articles edited since are read again when the board opens), so the board opens at once.
In a session's first minute, while that index is still being read, the board shows its
largest groups' first claims straight from the dataset's index file (``claim_pass.py``),
each analyst's rows, until the whole board is in.
"""

from __future__ import annotations

from typing import ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Input, Static

from tui.core.attribution.claim_board import TODO, ClaimRow, group, one_a_claim
from tui.core.editing.session import Session
from tui.core.language.visible import visible
from tui.core.store.claim_pass import BoardStart
from tui.keys import bindings
from tui.screens.navigation import Chosen
from tui.widgets.lists.board_list import BoardList

STATUS_WORDS = {"todo": TODO, "sourced": "sourced"}


def parse_filter(text: str) -> dict[str, str]:
    """``putin @kursk todo`` -> actor "putin", place "kursk", status to do."""
    actor, place, status = [], [], ""
    for word in text.split():
        if word.startswith("@"):
            place.append(word[1:])
        elif word.casefold() in STATUS_WORDS:
            status = STATUS_WORDS[word.casefold()]
        else:
            actor.append(word)
    return {"actor": " ".join(actor), "place": " ".join(place), "status": status}


class BoardScreen(Screen[Chosen | None]):
    BINDINGS: ClassVar[list[BindingType]] = list(bindings("board"))

    def __init__(self, session: Session, pair: list[str] | None = None) -> None:
        super().__init__()
        self.session = session
        self.pair = pair  # two articles open side by side
        self.side_by_side = False
        self.each_analyst = False  # a team's claims: each analyst's row, not one a claim
        self.ready = False  # the rows are in
        self._rows: list[ClaimRow] = []
        self._timer: Timer | None = None
        self._unwatch = lambda: None
        self._started = ""  # what the first rows shown while the index is read say

    def compose(self) -> ComposeResult:
        yield Static(" Claims", id="board-title", markup=False)
        yield Input(placeholder="filter: words of the source, @place, todo or sourced",
                    select_on_focus=False, id="board-filter")
        yield BoardList(id="board")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(BoardList).focus()
        if self.session.index.ready:
            self.fill()
        else:
            self._unwatch = self.session.watch_index(
                lambda _order: self.fill() if self.is_attached else None)
            self._timer = self.set_interval(0.2, self._progress)
            self._progress()
            self.session.first_claims(self._start)

    def on_unmount(self) -> None:
        self._unwatch()

    def _progress(self) -> None:
        reading = self.session.reading
        read = reading.read if reading is not None else 0
        self._title(f" Claims{self._started} · reading the dataset: {read:,} articles so"
                    " far…")

    def _start(self, start: BoardStart) -> None:
        """The first rows, from the index file, while the session's index is read."""
        if self.ready or not self.is_attached:
            return
        sizes, rows = start
        groups: dict[str, list[ClaimRow]] = {}
        for row in rows:
            groups.setdefault(row.source_name, []).append(row)
        self.query_one(BoardList).show(groups, counts=dict(sizes))
        total = sum(n for _source, n in sizes)
        self._started = (f" · {total:,} · {len(sizes):,} sources · the first {len(rows):,}"
                         " shown, each analyst's")
        self._progress()

    def fill(self) -> None:
        """The rows, from the index (the articles edited here read again)."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        self._rows = self.session.fresh_index().rows()
        self.ready = True
        self.show()

    def show(self) -> None:
        query = parse_filter(self.query_one(Input).value)
        team = len({r.claim.annotator for r in self._rows}) > 1
        rows = self._rows if self.each_analyst or not team else one_a_claim(
            self._rows, self.session.analyst)
        pair = self.pair if self.side_by_side else None
        if pair is not None:
            rows = [r for r in rows if r.article in pair]
        groups = group(rows, **query)
        self.query_one(BoardList).show(groups, pair, team)
        shown = sum(map(len, groups.values()))
        todo = sum(r.status == TODO for rows in groups.values() for r in rows)
        titles = ""
        if pair is not None:
            names = {r.article: r.title for r in self._rows if r.article in pair}
            titles = " · " + " │ ".join(visible(names.get(i, i))[:40] for i in pair)
        whose = (" · each analyst's" if self.each_analyst else " · once, with who holds it") \
            if team else ""
        self._title(f" Claims · {shown:,} of {len(rows):,} · {len(groups):,} sources"
                    f" · {todo:,} to do{whose}{titles}")

    def _title(self, text: str) -> None:
        self.query_one("#board-title", Static).update(text)

    def on_input_changed(self, event: Input.Changed) -> None:
        if self.ready:
            self.show()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.query_one(BoardList).focus()

    def on_key(self, event: events.Key) -> None:
        """Typing filters, as in the library; the list keeps the focus."""
        box, board = self.query_one(Input), self.query_one(BoardList)
        character = event.character or ""
        if board.has_focus and event.is_printable and len(character) == 1 and not (
                character in "q?" and not box.value):
            box.value += character
            box.cursor_position = len(box.value)
            event.stop()
        elif board.has_focus and event.key == "backspace" and box.value:
            box.value = box.value[:-1]
            event.stop()
        elif box.has_focus and event.key in ("down", "up"):
            board.focus()
            event.stop()

    @on(BoardList.Chosen)
    def _chosen(self, message: BoardList.Chosen) -> None:
        self.dismiss((message.row.article, message.row.claim.id))

    def action_side_by_side(self) -> None:
        if self.pair is None:
            self.notify("open two articles side by side (s) to set them against each other")
            return
        self.side_by_side = not self.side_by_side
        self.show()

    def action_each_analyst(self) -> None:
        self.each_analyst = not self.each_analyst
        if self.ready:
            self.show()

    def action_back(self) -> None:
        box = self.query_one(Input)
        if box.value:
            box.value = ""
        else:
            self.dismiss(None)
