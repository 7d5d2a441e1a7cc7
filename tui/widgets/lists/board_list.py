"""The rows of the claims board: a heading for each source, then its claims, one a row, with
their places, article and date; or, setting two articles against each other, what each
source claims in the one beside what it claims in the other.

A Line API widget: only the rows on screen are drawn, so 30,000 claims cost what 40 do;
given its lines as a sequence that reads them as they are drawn (``board_lines.PagedLines``),
a million claims cost what 40 do too.
Every string is data, drawn literally (controls as placeholders). Enter or a click on a
claim posts :class:`BoardList.Chosen`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import BindingType
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tui.core.attribution.board_lines import Line, grouped_lines
from tui.core.attribution.claim_board import ClaimRow
from tui.keys import bindings
from tui.widgets.cells import one_line


class BoardList(ScrollView, can_focus=True):
    @dataclass
    class Chosen(Message):
        """A claim was chosen (enter or a click): show it in its article."""

        row: ClaimRow

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "board-list--heading", "board-list--cursor", "board-list--dim", "board-list--todo"}
    BINDINGS: ClassVar[list[BindingType]] = list(bindings("claims"))

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.lines: Sequence[Line] = []
        self.row = 0
        self.column = 0  # side by side: 0 the left article, 1 the right
        self.pair = False
        self.team = False  # say who holds each claim

    def show(self, groups: dict[str, list[ClaimRow]], pair: list[str] | None = None,
             team: bool = False, counts: dict[str, int] | None = None) -> None:
        """Every group's claims; with ``pair`` (two article ids), each source's claims in
        the first beside those in the second, the sources that both quote first; ``team``:
        each claim says who holds it; ``counts``: each group's claims, where only its
        first are given."""
        lines: list[Line] = []
        if pair is None:
            lines = grouped_lines(groups, counts)
        else:
            sides = {name: ([r for r in rows if r.article == pair[0]],
                            [r for r in rows if r.article == pair[1]])
                     for name, rows in groups.items()}
            for name, (left, right) in sorted(sides.items(), key=lambda item: (
                    not (item[1][0] and item[1][1]), -len(item[1][0]) - len(item[1][1]))):
                if not left and not right:
                    continue
                lines.append(Line(name, count=len(left) + len(right)))
                for n in range(max(len(left), len(right))):
                    lines.append(Line(name, left[n] if n < len(left) else None,
                                      right[n] if n < len(right) else None))
        self.show_lines(lines, team, pair is not None)

    def show_lines(self, lines: Sequence[Line], team: bool = False, pair: bool = False
                   ) -> None:
        """``lines`` as they are (a sequence that reads them as drawn, for a large board)."""
        self.lines, self.pair, self.team = lines, pair, team
        self.row = next((n for n, line in enumerate(lines) if not line.heading), 0)
        self.virtual_size = Size(self.scrollable_content_region.width, max(len(lines), 1))
        self.scroll_to(0, 0, animate=False, immediate=True)
        self.refresh()

    @property
    def chosen(self) -> ClaimRow | None:
        if not 0 <= self.row < len(self.lines):
            return None
        line = self.lines[self.row]
        if not self.pair:
            return line.left
        return (line.left, line.right)[self.column] or line.left or line.right

    def render_line(self, y: int) -> Strip:
        width, base = self.scrollable_content_region.width, self.rich_style
        index = self.scroll_offset.y + y
        if index >= len(self.lines):
            if not self.lines and y == 0:
                return Strip([Segment(" no claims here", base + self._part("dim"))]
                             ).crop_extend(0, width, base)
            return Strip.blank(width, base)
        line = self.lines[index]
        if line.heading and line.count < 0:  # a claim gone since the board was counted
            return Strip.blank(width, base)
        if line.heading:
            said = f"{line.count} claim" + ("" if line.count == 1 else "s")
            return Strip([Segment(" " + one_line(line.name, max(width - len(said) - 5, 1)),
                                  base + self._part("heading")),
                          Segment(f" · {said}", base + self._part("dim"))]
                         ).crop_extend(0, width, base)
        here = index == self.row and self.has_focus
        if not self.pair:
            return Strip(self._claim(line.left, width - 1, here)).crop_extend(0, width, base)
        half = (width - 3) // 2
        segments = [*self._claim(line.left, half, here and self.column == 0, brief=True),
                    Segment(" │ ", base + self._part("dim")),
                    *self._claim(line.right, width - half - 3, here and self.column == 1,
                                 brief=True)]
        return Strip(segments).crop_extend(0, width, base)

    def _claim(self, row: ClaimRow | None, width: int, here: bool, brief: bool = False
               ) -> list[Segment]:
        """A claim in ``width`` cells: its text, places, article title and date (side by
        side: its text and places)."""
        base = self.rich_style + (self._part("cursor") if here else Style())
        if row is None:
            return [Segment(" " * width, base)]
        places = ", ".join(row.place_names)
        if brief:
            room = width - 3
            text = one_line(row.claim.text, room - min(len(places) + 3, room // 3)
                            if places else room)
            tail = one_line(f" @ {places}", room - len(text)) if places else ""
            return [Segment("   ", base), Segment(text, base),
                    Segment(tail, base + self._part("dim"))]
        wide = width >= 100  # narrower, the date gives way and the title shrinks
        holders = " ".join(row.analysts)
        who = one_line(holders, min(len(holders), max(width // 6, 8))) if self.team else ""
        title = one_line(row.title, max(width * (2 if self.team else 3) // 10 if wide
                                        else width // 6, 8))
        where = one_line(f"@ {places}" if places else "", max(width * (2 if wide else 3) // 20,
                                                              6))
        tail = [("  ", ""), (where, "dim"), *([("  ", ""), (who, "dim")] if who else []),
                ("  ", ""), (title, "")]
        if wide:
            tail += [("  ", ""), (one_line(row.date, 10), "dim")]
        text = one_line(row.claim.text, max(width - 3 - sum(cell_len(t) for t, _ in tail), 8))
        todo = "?" if row.status != "sourced" else " "
        return [Segment(f" {todo} ", base + self._part("todo")), Segment(text, base),
                *(Segment(t, base + self._part(look)) if look else Segment(t, base)
                  for t, look in tail)]

    def _part(self, name: str) -> Style:
        return self.get_component_rich_style(f"board-list--{name}", partial=True)

    def action_cursor(self, step: int) -> None:
        if not self.lines:
            return
        row = max(0, min(self.row + step, len(self.lines) - 1))
        while self.lines[row].heading and 0 < row < len(self.lines) - 1:
            row += 1 if step > 0 else -1
        if self.lines[row].heading and row + 1 < len(self.lines):
            row += 1
        self._move_to(row)

    def action_column(self, column: int) -> None:
        if self.pair:
            self.column = column
            self.refresh_lines(self.row)

    def _move_to(self, row: int) -> None:
        old, self.row = self.row, row
        self.refresh_lines(old)
        self.refresh_lines(row)
        top = self.scroll_offset.y
        if not top <= row < top + self.size.height:
            self.scroll_to_region(Region(0, row, 1, 1), animate=False, immediate=True)

    def action_choose(self) -> None:
        if self.chosen is not None:
            self.post_message(self.Chosen(self.chosen))

    def on_click(self, event: events.Click) -> None:
        index = event.y + self.scroll_offset.y
        if 0 <= index < len(self.lines) and not self.lines[index].heading:
            if self.pair:
                self.column = 0 if event.x < self.size.width // 2 else 1
            self._move_to(index)
            self.action_choose()

    def on_resize(self, event: events.Resize) -> None:
        self.virtual_size = Size(self.scrollable_content_region.width, max(len(self.lines), 1))

    def on_focus(self) -> None:
        self.refresh_lines(self.row)

    def on_blur(self) -> None:
        self.refresh_lines(self.row)
