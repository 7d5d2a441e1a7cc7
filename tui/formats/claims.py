"""Claims JSONL (export only): one line per claim with its source, places and sentence,
for training claim-attribution models (see ``tui/core/attribution/claim_board.py``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import IO

from tui.core.attribution.claim_board import claim_rows
from tui.core.document.model import LabelSet
from tui.core.language.visible import json_bytes
from tui.core.store.corpus import Notes
from tui.core.store.dataset import Article


def write(articles: Iterable[Article], out: IO[bytes], notes: Notes, annotator: str | None,
          labels: LabelSet) -> int:
    """One line a claim; returns how many claims."""
    count = 0
    for article in articles:
        for row in claim_rows(article, labels, annotator):
            out.write(json_bytes(row.record(article.document.text)) + b"\n")
            if row.status != "sourced":
                notes.add("claims with no source yet (source null, source_kind null)")
            count += 1
    return count
