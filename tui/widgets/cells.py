"""Text drawn in a given number of cells, whatever it holds: every widget that draws a
name, a title or a span's text in a column goes through :func:`one_line`."""

from __future__ import annotations

import regex
from rich.cells import cell_len, set_cell_size

from tui.widgets.article.article_layout import placeholder


def one_line(text: str, cells: int) -> str:
    """``text`` on one safe line of exactly ``cells`` cells: newlines as ⏎, controls as
    placeholders, clusters kept whole, an ellipsis where it is cut."""
    if cells <= 0:
        return ""
    text = text[: cells * 2 + 8]
    if text.isprintable() and cell_len(text) == len(text):
        shown = text  # the common case: nothing to replace, one cell a code point
    else:
        shown = "".join("⏎" if cluster == "\n" else (placeholder(cluster) or cluster)
                        for cluster in regex.findall(r"\X", text))
    if cell_len(shown) > cells:
        shown = set_cell_size(shown, cells - 1) + "…"
    return set_cell_size(shown, cells)


def fit_links(links: str, room: int) -> str:
    """``links`` (``← source @ place = name``) in ``room`` cells: each part cut alike, so a
    claim keeps its source and its places however narrow the list."""
    if cell_len(links) <= room:
        return links
    parts = regex.findall(r"[←@=] (?:[^←@=]|[←@=](?! ))*?(?= [←@=] |$)", links) or [links]
    cells = [cell_len(part) for part in parts]
    budget = room - len(parts) + 1
    while sum(cells) > budget and max(cells) > 3:  # the longest part gives way first
        cells[cells.index(max(cells))] -= 1
    joined = " ".join(one_line(part, n) for part, n in zip(parts, cells, strict=True))
    return joined if cell_len(joined) <= room else one_line(joined, room)
