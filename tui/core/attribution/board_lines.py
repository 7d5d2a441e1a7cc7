"""The lines of the claims board: a heading for each source, then its claims, one a line.

A board of a million claims is never made whole: :class:`PagedLines` works out which
group a line falls in from the groups' sizes alone and asks for the claims of the lines
drawn a page at a time (``claim_pages.py`` reads them from the index), keeping the last
pages asked for.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import accumulate
from typing import overload

from tui.core.attribution.claim_board import ClaimRow

PAGE = 64  # claims fetched at a time
KEPT = 64  # pages kept


@dataclass(frozen=True, slots=True)
class Line:
    """One row: a source's heading (``name``, how many claims) or its claims (one, or
    one of each article when two are set against each other)."""

    name: str
    left: ClaimRow | None = None
    right: ClaimRow | None = None
    count: int = 0

    @property
    def heading(self) -> bool:
        return self.left is None and self.right is None


def grouped_lines(groups: dict[str, list[ClaimRow]], counts: dict[str, int] | None = None
                  ) -> list[Line]:
    """Every group's heading and claims (``counts``: each group's size, where only its
    first claims are given)."""
    lines: list[Line] = []
    for name, rows in groups.items():
        lines.append(Line(name, count=(counts or {}).get(name, len(rows))))
        lines += [Line(name, row) for row in rows]
    return lines


Fetch = Callable[[int, int, int], list[ClaimRow]]  # (group, first, how many) -> its claims


class PagedLines(Sequence[Line]):
    """The lines of ``groups`` (source, claims), their claims fetched as they are drawn:
    ``fetch(group, first, n)`` gives the claims ``first`` to ``first + n`` of the group at
    that place (fewer where the dataset changed since it was counted: those lines are
    left blank)."""

    def __init__(self, groups: list[tuple[str, int]], fetch: Fetch) -> None:
        self.groups = groups
        self._fetch = fetch
        self._starts = [0, *accumulate(n + 1 for _name, n in groups)]
        self._pages: OrderedDict[tuple[int, int], list[ClaimRow]] = OrderedDict()

    def __len__(self) -> int:
        return self._starts[-1]

    @overload
    def __getitem__(self, index: int) -> Line: ...
    @overload
    def __getitem__(self, index: slice) -> list[Line]: ...

    def __getitem__(self, index: int | slice) -> Line | list[Line]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        group = bisect_right(self._starts, index) - 1
        name, _n = self.groups[group]
        at = index - self._starts[group] - 1
        if at < 0:
            return Line(name, count=self.groups[group][1])
        rows = self._page(group, at // PAGE)
        row = rows[at % PAGE] if at % PAGE < len(rows) else None
        return Line(name, row) if row is not None else Line(name, count=-1)

    def _page(self, group: int, page: int) -> list[ClaimRow]:
        key = (group, page)
        rows = self._pages.get(key)
        if rows is None:
            first = page * PAGE
            rows = self._fetch(group, first, min(PAGE, self.groups[group][1] - first))
            self._pages[key] = rows
            if len(self._pages) > KEPT:
                self._pages.popitem(last=False)
        else:
            self._pages.move_to_end(key)
        return rows
