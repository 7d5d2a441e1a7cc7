"""Two analysts' versions of one article, for the review tests and snapshots.

alice and bob agree on Russia, Zaporizhzhia, Kyiv and the claim "Kyiv rejected the claim"
with Kyiv as its source; they differ four times, in text order: the bounds of Peskov
(alice "Dmitry Peskov", bob "Kremlin spokesman Dmitry Peskov"), the link of the claim
"Russia would not withdraw from Zaporizhzhia" (each linked it to their own Peskov), the
label of Istanbul (LOCATION / ACTOR), and Tuesday, which only bob labelled. The claim's two
Peskovs overlap: the same source, as `gloss agree` counts it, linked at other extents (so
its links differ, not its source).
"""

from __future__ import annotations

from pathlib import Path

from tui.app import GlossApp
from tui.core.dataset import Dataset
from tui.core.model import Document, Relation, Span
from tui.core.review import ReviewPlan

TEXT = ("Kremlin spokesman Dmitry Peskov said Russia would not withdraw from Zaporizhzhia "
        "before talks in Istanbul.\nKyiv rejected the claim on Tuesday.")
DOC_ID = Document.from_text(TEXT).id
STAMP = "2026-01-01T00:00:00.000+00:00"
AGREED = ["Russia", "Zaporizhzhia", "Kyiv", "Kyiv rejected the claim"]
DIFFERENCES = ["boundaries differ", "links differ", "label differs", "only bob has it"]


def span(needle: str, label: str, who: str, **attributes: str) -> Span:
    start = TEXT.index(needle)
    return Span(start, start + len(needle), label, needle, who, id=f"{who}-{label}-{start}",
                created=STAMP, updated=STAMP, attributes=tuple(sorted(attributes.items())))


def versions() -> tuple[list[Span], list[Relation]]:
    spans, links = [], []
    for who, peskov, istanbul in (("alice", "Dmitry Peskov", "LOCATION"),
                                  ("bob", "Kremlin spokesman Dmitry Peskov", "ACTOR")):
        mine = {"peskov": span(peskov, "ACTOR", who),
                "russia": span("Russia", "ACTOR", who),
                "claim": span("Russia would not withdraw from Zaporizhzhia", "CLAIM", who,
                              source_kind="actor"),
                "zaporizhzhia": span("Zaporizhzhia", "LOCATION", who),
                "istanbul": span("Istanbul", istanbul, who),
                "kyiv": span("Kyiv", "ACTOR", who),
                "rejected": span("Kyiv rejected the claim", "CLAIM", who,
                                 source_kind="actor")}
        if who == "bob":
            mine["tuesday"] = span("Tuesday", "LOCATION", who)
        spans += mine.values()
        links += [Relation(mine["claim"].id, mine["peskov"].id, "SOURCE", who, id=f"{who}-r1"),
                  Relation(mine["rejected"].id, mine["kyiv"].id, "SOURCE", who,
                           id=f"{who}-r2")]
    return spans, links


def team(folder: Path, done: bool = True) -> Dataset:
    dataset = Dataset(folder, "alice")
    dataset.add_article(Document.from_text(TEXT, {"source": "peskov.txt"}), *versions())
    if done:
        for who in ("alice", "bob"):
            dataset.set_status(DOC_ID, "done", who)
    return dataset


def reviewing(folder: Path, *analysts: str, reviewer: str = "review") -> GlossApp:
    """`gloss review` on ``folder``: the library, where enter opens the review."""
    return GlossApp(Dataset(folder, reviewer), review=ReviewPlan(reviewer, analysts),
                    reviewing=True)
