"""One line at the foot of the reader: who, where, which mode, the claims still to do, and
whether it is saved; while a link key chooses, a line of the link bar instead."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip
from textual.widget import Widget

from tui.core.language.visible import visible
from tui.widgets.cells import one_line

if TYPE_CHECKING:
    from tui.widgets.panes import ArticlePane


@dataclass(frozen=True, slots=True)
class StatusLine:
    analyst: str
    place: str  # "article 2 / 7"
    mode: str  # "word" or "char"
    cursor: str  # "at 10 of 3,839" or "sel 10–15 of 3,839"
    saved: str  # the focused article's last save, or why it failed
    error: bool = False
    todo: str = ""  # "3 to do": claims with no source and no source kind
    suggested: str = ""  # "12 suggested": the suggestions the article offers


# One piece of a bar's line (the link bar's, the review bar's): its text, already safe to
# draw, and how it looks
Piece = tuple[str, str]
LOOKS = {"title": Style(bold=True, reverse=True), "key": Style(bold=True, color="black",
                                                                bgcolor="#f0f0f0"),
         "current": Style(bold=True, color="black", bgcolor="#2aa198"), "text": Style(),
         "dim": Style(dim=True)}


def status_of(analyst: str, order: list[str] | None, pane: ArticlePane, char_mode: bool
              ) -> StatusLine:
    """What the status bar says about the focused pane."""
    view, model = pane.view, pane.model
    place = f"{order.index(pane.doc_id) + 1} / {len(order)}" if order and \
        pane.doc_id in order else "…"
    selection = view.selection
    where = (f"sel {selection[0]}–{selection[1]}" if selection else f"at {view.cursor}") \
        + f" of {len(view.text):,}"
    saved, error = model.report.message, model.report.error
    if model.failed and not model.saving and not error:
        saved, error = f"{model.failed} unsaved (r retries)", True
    todo = len(model.todo())
    offered = len(pane.suggested.offered) if pane.suggested is not None else 0
    # a huge article's are those of the stretches searched around where the analyst looked
    near = " nearby" if pane.suggested is not None and pane.suggested.huge else ""
    return StatusLine(analyst, f"article {place}", "char" if char_mode else "word", where,
                      saved, error, f"{todo} to do" if todo else "",
                      f"{offered} suggested{near}" if offered else "")


def fit(line: StatusLine, width: int) -> list[Piece]:
    """The line's pieces in ``width`` cells: whole when it fits; else the place, the mode
    and the cursor said shorter, then the cursor, the place and the mode left out, so
    whether the article is saved is never cut (its message is shortened last)."""
    analyst, saved = f" {visible(line.analyst)} ", visible(line.saved)
    todo = [(line.todo, "todo"), ("  ", "")] if line.todo else []
    todo += [(line.suggested, "suggested"), ("  ", "")] if line.suggested else []
    short_place = line.place.removeprefix("article ").replace(" / ", "/")
    short_cursor = line.cursor.split(" of ")[0]
    for place, mode, cursor in ((line.place, f"{line.mode} mode", line.cursor),
                                (short_place, line.mode, short_cursor),
                                (short_place, line.mode, ""), ("", "", "")):
        middle = [(f"  {place}  ", ""), (mode, "mode")] if place else []
        middle += [(f"  {cursor}  ", "")] if cursor else [("  ", "")]
        pieces = [(analyst, "analyst"), *middle, *todo, (saved, "saved")]
        if sum(cell_len(text) for text, _look in pieces) <= width:
            return pieces
    room = width - sum(cell_len(text) for text, _look in pieces[:-1])
    return [*pieces[:-1], (one_line(saved, max(room, 1)), "saved")]


class StatusBar(Widget):
    """Drawn from segments, not a Rich ``Text``: it changes with every key, and a Text's
    markup-free render costs a millisecond a key that a frame cannot spare."""
    DEFAULT_CSS = """
    StatusBar {
        height: 1;
        background: $panel;
    }

    StatusBar.-error {
        background: $error 30%;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._shown: StatusLine | None = None
        self._mode: list[Piece] | None = None
        self._strip: Strip | None = None

    def show(self, line: StatusLine) -> None:
        if line == self._shown:
            return
        self._shown, self._strip = line, None
        self.set_class(line.error, "-error")
        self.refresh()

    def show_mode(self, pieces: list[Piece] | None) -> None:
        """Draw a mode's line (the link bar's last) in place of the status; None: stop."""
        if pieces != self._mode:
            self._mode, self._strip = pieces, None
            self.refresh()

    @property
    def mode_plain(self) -> str:
        return "".join(text for text, _look in self._mode or ())

    def render_line(self, y: int) -> Strip:
        width, base = self.size.width, self.rich_style
        line = self._shown
        if self._mode is not None and not y:
            if self._strip is None or self._strip.cell_length != width:
                self._strip = Strip([Segment(text, base + LOOKS[look])
                                     for text, look in self._mode]).crop_extend(0, width, base)
            return self._strip
        if y or line is None:
            return Strip.blank(width, base)
        if self._strip is None or self._strip.cell_length != width:
            saved = Style(bold=True, color="white", bgcolor="red") if line.error else \
                Style(color="green")
            looks = {"analyst": Style(bold=True, reverse=True), "mode": Style(bold=True),
                     "todo": Style(bold=True, color="yellow"),
                     "suggested": Style(underline=True), "saved": saved}
            pieces = fit(line, width)
            self._strip = Strip([Segment(text, base + looks.get(look, Style()))
                                 for text, look in pieces]).crop_extend(0, width, base)
        return self._strip

    @property
    def plain(self) -> str:
        """The whole line, as it reads before it is fitted to a width (for tests)."""
        line = self._shown
        todo = f"{line.todo}  " if line and line.todo else ""
        todo += f"{line.suggested}  " if line and line.suggested else ""
        return "" if line is None else (f" {visible(line.analyst)}   {line.place}  "
                                        f"{line.mode} mode  {line.cursor}  {todo}"
                                        f"{visible(line.saved)}")

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._strip = None
