"""The claims board: every claim of the dataset grouped by who made it (the source's
canonical name), with its places, article title and date; filtered by source, place and
status as the analyst types; enter shows the claim in its article.

With two articles open side by side, tab sets them against each other: what each source
claims in the one beside what it claims in the other (one story as two outlets told it).

For a team, a claim several analysts hold alike is one row, which names them; ctrl+t shows
each analyst's row instead.

The rows are paged from the dataset's index (``claim_pages.py``: the lines on screen are
read as they are drawn; the articles edited here put in as their models have them), so a
board of a million claims costs what its screen does. While that is opened (a thread, the
first time: a few seconds at 100,000 articles) the board shows its largest groups' first
claims straight from the index (``claim_pass.py``), each analyst's rows. Without a usable
index the rows come from the session's index of the dataset (read once a session, in a
thread; the articles edited since are read again when the board opens).
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
from tui.core.store.claim_pages import ClaimPages, Filter
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
        self._rows: list[ClaimRow] = []  # without pages: every claim
        self.pages: ClaimPages | None = None
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
        self._timer = self.set_interval(0.2, self._progress)
        self._progress()
        if not self.session.board_pages(self._paged):
            self.session.first_claims(self._start)

    def _paged(self, pages: ClaimPages | None) -> None:
        if not self.is_attached:
            return
        if pages is not None:  # twice: once open, then its team's claims held alike found
            self.pages = pages
            self.fill()
            self.ready = pages.team is not None
        elif self.session.index.ready:
            self.fill()
        else:
            self._unwatch = self.session.watch_index(
                lambda _order: self.fill() if self.is_attached else None)

    def on_unmount(self) -> None:
        self._unwatch()

    def _progress(self) -> None:
        reading = self.session.reading
        if reading is None:
            self._title(f" Claims{self._started} · reading the dataset's index…")
            return
        self._title(f" Claims{self._started} · reading the dataset: {reading.read:,}"
                    " articles so far…")

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
        if self.pages is None:
            self._rows = self.session.fresh_index().rows()
        self.ready = True
        self.show()

    def show(self) -> None:
        query = parse_filter(self.query_one(Input).value)
        if self.pages is not None:
            self._show_pages(query)
            return
        team = len({r.claim.annotator for r in self._rows}) > 1
        rows = self._rows if self.each_analyst or not team else one_a_claim(
            self._rows, self.session.analyst)
        pair = self.pair if self.side_by_side else None
        if pair is not None:
            rows = [r for r in rows if r.article in pair]
        groups = group(rows, **query)
        self.query_one(BoardList).show(groups, pair, team)
        todo = sum(r.status == TODO for rows in groups.values() for r in rows)
        names = {r.article: r.title for r in self._rows if pair and r.article in pair}
        self._figures(sum(map(len, groups.values())), len(rows), len(groups), todo, team,
                      names)

    def _show_pages(self, query: dict[str, str]) -> None:
        assert self.pages is not None
        pair = self.pair if self.side_by_side else None
        board = self.pages.board(Filter(**query, once=not self.each_analyst,
                                        pair=tuple(pair or ())))
        team = bool(self.pages.team)
        if board.problem:
            self.notify(board.problem, severity="error", markup=False)
        if board.lines is not None:
            self.query_one(BoardList).show_lines(board.lines, team)
        else:
            self.query_one(BoardList).show(board.pair, pair, team)
        self._figures(board.shown, board.total, board.groups, board.todo, team, board.titles,
                      "" if self.pages.team is not None else
                      " · each analyst's: finding the claims held alike…")

    def _figures(self, shown: int, total: int, groups: int, todo: int, team: bool,
                 names: dict[str, str], note: str = "") -> None:
        pair = self.pair if self.side_by_side else None
        titles = " · " + " │ ".join(visible(names.get(i, i))[:40] for i in pair) \
            if pair is not None else ""
        whose = (" · each analyst's" if self.each_analyst else " · once, with who holds it") \
            if team else ""
        self._title(f" Claims · {shown:,} of {total:,} · {groups:,} sources"
                    f" · {todo:,} to do{whose}{titles}{note}")

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
