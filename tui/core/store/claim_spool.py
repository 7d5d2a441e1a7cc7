"""The claims of a whole dataset grouped by who made them, without holding them: each
claim's line is spooled to a private temporary SQLite database (on disk, removed when
closed) as the articles come, with a count of each group in memory; the groups are then
read back largest first, each in the order its claims came, as ``claim_board.group``
orders them. Memory: one count a source, not one row a claim."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from typing import Any

import orjson

_BATCH = 1000


class ClaimSpool:
    def __init__(self) -> None:
        self._db = sqlite3.connect("", isolation_level=None)  # "": a temporary file
        self._db.execute("CREATE TABLE claims (source TEXT, seq INTEGER, line BLOB)")
        self._db.execute("BEGIN")
        self.sizes: dict[str, int] = {}  # source: claims, in the order first seen
        self._waiting: list[tuple[str, int, bytes]] = []

    def add(self, source: str, line: Any) -> None:
        """Spool ``line`` (JSON-ready) under the group ``source``."""
        seq = len(self._waiting) + sum(self.sizes.values())
        self.sizes[source] = self.sizes.get(source, 0) + 1
        self._waiting.append((source, seq, orjson.dumps(line)))
        if len(self._waiting) >= _BATCH:
            self._flush()

    def _flush(self) -> None:
        self._db.executemany("INSERT INTO claims VALUES (?, ?, ?)", self._waiting)
        self._waiting.clear()

    def __len__(self) -> int:
        return sum(self.sizes.values())

    def groups(self) -> Iterator[tuple[str, Iterator[Any]]]:
        """(source, its lines one at a time), the groups with the most claims first, then
        by name folded."""
        self._flush()
        self._db.execute("COMMIT")
        self._db.execute("CREATE INDEX by_source ON claims (source, seq)")
        for source in sorted(self.sizes, key=lambda s: (-self.sizes[s], s.casefold())):
            yield source, (orjson.loads(line) for (line,) in self._db.execute(
                "SELECT line FROM claims WHERE source=? ORDER BY seq", (source,)))

    def close(self) -> None:
        self._db.close()
