"""Where a reader's pane puts its heading, its text and its span list, without Textual: the
pane (``panes.py``) lays itself out by these, and the first paint (``tui/first_paint.py``)
draws an article's first lines where the pane will draw them."""

from __future__ import annotations

from rich.cells import cell_len

from tui.core.language.visible import visible
from tui.widgets.cells import one_line

MIN_TEXT = 50  # columns of article text the span list never takes
VIEW_EXTRA = 3  # the view's padding and scrollbar around its text
LIST_WIDTH, LIST_MIN = 42, 22


def list_width(inner: int, shown: bool | None = None) -> int:
    """The span list's width in a pane ``inner`` columns wide (0: folded away): what the
    article's 50 columns leave, up to its own width; ``shown``: asked for by hand."""
    room = inner - MIN_TEXT - VIEW_EXTRA
    if not (room >= LIST_MIN if shown is None else shown):
        return 0
    return min(max(room, LIST_MIN), LIST_WIDTH)


def heading(analyst: str | None, source: str, length: int, width: int = 1000) -> str:
    """Whose version, where the article comes from, its length, in ``width`` cells: the
    length goes first, then "version", and the source is cut in its middle last (its end
    is most often the file's name)."""
    whose = visible(analyst) if analyst is not None else None
    version = f"{whose}'s version · " if whose else ""
    for shown in (f"{version}{source} · {length:,} characters",
                  f"{version}{source} · {length:,}", f"{version}{source}",
                  (f"{whose} · " if whose else "") + source):
        if cell_len(shown) <= width:
            return shown
    start = f"{one_line(whose, 12).rstrip()} · " if whose else ""
    room = max(width - cell_len(start), 3)
    head = max((room - 1) // 3, 0)
    tail = room - 1 - head
    return start + (one_line(source, head).rstrip("…") + "…" + _last_cells(source, tail)
                    if tail > 0 else one_line(source, room))


def _last_cells(text: str, cells: int) -> str:
    """The end of ``text`` in at most ``cells`` cells (a wide character takes two)."""
    kept = len(text)
    while kept > 0 and cell_len(text[kept - 1:]) <= cells:
        kept -= 1
    return text[kept:]
