"""Claims board benchmark: 150,000 spans and 30,000 claims, from the files to the board.

    python bench/claims.py [--articles N] [--repeat N]

Prints figures; asserts nothing. A generated dataset of 5,000 articles of about 2 KB, each
with 30 spans: 6 claims, 12 actors (with canonical names), 12 locations; four claims in
five have a SOURCE link, half an ABOUT link. Timed: reading every article file, making the
board's rows and groups, and the claims board screen from its key to the first frame that
shows its rows (headless, 120x40): in a first session (no cache of claims yet: every file
is read) and in a later one (the cache read, the files only looked at).
"""

from __future__ import annotations

import argparse
import asyncio
import random
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from textual import events

from bench.timing import TimedApp, line
from tui.core.attribution.claim_board import board
from tui.core.document.model import Document, Relation, Span
from tui.core.store.article_index import FOLDER
from tui.core.store.dataset import Dataset

NAMES = ("Vladimir Putin", "Donald Trump", "Volodymyr Zelensky", "Steve Witkoff", "Marco Rubio",
         "Dmitry Peskov", "Sergei Lavrov", "Keir Starmer", "Emmanuel Macron", "Recep Erdogan")
PLACES = ("Kyiv", "Moscow", "Riyadh", "Istanbul", "Kursk", "Donetsk", "Odesa", "Kharkiv")
FILLER = ("talks resumed after a long pause and the envoys met again on Monday while officials "
          "said the cease-fire would hold").split()


def article(rng: random.Random, n: int) -> tuple[Document, list[Span], list[Relation]]:
    """About 2 KB: 12 sentences, each an actor, a claim and a place (half of them twice)."""
    parts: list[str] = [f"Article {n} on the talks."]
    marks: list[tuple[int, int, str, str]] = []  # start, end, label, canonical
    length = len(parts[0]) + 1
    for i in range(12):
        name = rng.choice(NAMES)
        place = rng.choice(PLACES)
        shown = name if i % 3 else name.split()[-1]
        claim = " ".join(rng.choices(FILLER, k=rng.randint(6, 12)))
        sentence = f"{shown} said that {claim} in {place}."
        base = length
        marks.append((base, base + len(shown), "ACTOR", name))
        at = base + len(shown) + len(" said that ")
        if i % 2 == 0:
            marks.append((at, at + len(claim), "CLAIM", ""))
        place_at = base + sentence.rindex(place)
        marks.append((place_at, place_at + len(place), "LOCATION", place))
        parts.append(sentence)
        length += len(sentence) + 1
    text = " ".join(parts)
    spans = []
    for start, end, label, canonical in marks:
        span = Span(start, end, label, text[start:end], "bench")
        spans.append(span.with_attribute("canonical", canonical) if canonical and
                     label == "ACTOR" else span)
    relations = []
    for index, span in enumerate(spans):
        if span.label != "CLAIM":
            continue
        actor, place = spans[index - 1], spans[index + 1]
        if rng.random() < 0.8:
            relations.append(Relation(span.id, actor.id, "SOURCE", "bench"))
        if rng.random() < 0.5:
            relations.append(Relation(span.id, place.id, "ABOUT", "bench"))
    document = Document.from_text(text, {"title": f"Talks, day {n}",
                                         "date": f"2025-{1 + n % 12:02d}-{1 + n % 28:02d}"})
    return document, spans, relations


def build(folder: Path, count: int) -> Dataset:
    rng = random.Random(9)
    dataset = Dataset(folder, "bench")
    items = [article(rng, n) for n in range(count)]
    for first in range(0, count, 1000):
        dataset.add_articles(items[first:first + 1000])
    return dataset


async def board_screen(dataset: Dataset, doc_id: str, settled: bool = False) -> float:
    """From `B` in the reader to the first frame that shows the board's rows: pressed at
    the reader's first frame, or (``settled``) once the session has read its index, as
    for an analyst who has been reading for a few seconds."""
    from tui.screens.board import BoardScreen

    app = TimedApp(Dataset(dataset.folder, "bench"), [doc_id])
    app.frame = asyncio.Event()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        while settled and not app.session.index.ready:
            await asyncio.sleep(0.05)
        await pilot.pause()
        app.frame.clear()
        start = time.perf_counter()
        app.post_message(events.Key("B", "B"))
        while True:
            await asyncio.wait_for(app.frame.wait(), 30)
            screen = app.screen
            if isinstance(screen, BoardScreen) and screen.ready:
                elapsed = time.perf_counter() - start
                break
            app.frame.clear()
        await pilot.press("escape")
    return elapsed


async def board_first_rows(folder: Path, analyst: str) -> float:
    """From `B`, pressed at the reader's first frame in a first session (the session's
    index not read yet), to the first frame that shows rows of the board: its first
    groups from the dataset's index file, or the whole board."""
    from tui.screens.board import BoardScreen
    from tui.widgets.lists.board_list import BoardList

    dataset = Dataset(folder, analyst)
    app = TimedApp(dataset, [dataset.ids()[0]])
    app.frame = asyncio.Event()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.frame.clear()
        start = time.perf_counter()
        app.post_message(events.Key("B", "B"))
        while True:
            await asyncio.wait_for(app.frame.wait(), 120)
            screen = app.screen
            if isinstance(screen, BoardScreen) and screen.query_one(BoardList).lines:
                elapsed = time.perf_counter() - start
                break
            app.frame.clear()
        await pilot.press("escape")
    return elapsed


async def board_figures(folder: Path, analyst: str, typed: str = "@ky") -> list[float]:
    """In a first session, `B` pressed at the reader's first frame: the seconds to the
    first frame with rows, to the whole board (``ready``), then from the cursor sent to
    the last claim (what `end` does) to its frame, from a jump to the middle line (of the
    largest group) to its frame, and from each character of ``typed`` put into the filter
    (as the board's keys do) to its frame."""
    from textual.widgets import Input

    from tui.screens.board import BoardScreen
    from tui.widgets.lists.board_list import BoardList

    dataset = Dataset(folder, analyst)
    app = TimedApp(dataset, [dataset.ids()[0]])
    app.frame = asyncio.Event()
    figures: list[float] = []

    async def frame_after(start: float, done: Callable[[], bool]) -> None:
        while True:
            await asyncio.wait_for(app.frame.wait(), 600)
            app.frame.clear()
            if done():
                figures.append(time.perf_counter() - start)
                return

    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.frame.clear()
        start = time.perf_counter()
        app.post_message(events.Key("B", "B"))

        def board() -> BoardScreen | None:
            return app.screen if isinstance(app.screen, BoardScreen) else None

        await frame_after(start, lambda: (s := board()) is not None and bool(
            s.query_one(BoardList).lines))
        await frame_after(start, lambda: (s := board()) is not None and s.ready)
        table = app.screen.query_one(BoardList)
        box = app.screen.query_one(Input)
        start = time.perf_counter()
        table.action_cursor(10**9)  # what end does
        await frame_after(start, lambda: True)
        start = time.perf_counter()
        table.action_cursor(len(table.lines) // 2 - table.row)
        await frame_after(start, lambda: True)
        for key in typed:  # as the board's keys type into its filter
            start = time.perf_counter()
            box.value += key
            await frame_after(start, lambda: True)
        await pilot.press("escape", "escape")
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="gloss-bench-claims-")) / "db"
    started = time.perf_counter()
    dataset = build(folder, args.articles)
    articles = list(dataset.readable([]))
    spans = sum(len(a.spans) for a in articles)
    claims = sum(s.label == "CLAIM" for a in articles for s in a.spans)
    links = sum(len(a.relations) for a in articles)
    print(f"{len(articles):,} articles, {spans:,} spans, {claims:,} claims, {links:,} links "
          f"(made in {time.perf_counter() - started:.1f} s)")
    reads, groups = [], []
    for _ in range(args.repeat):
        start = time.perf_counter()
        articles = list(Dataset(folder, "bench").readable([]))
        reads.append(time.perf_counter() - start)
        start = time.perf_counter()
        board(articles, dataset.labels)
        groups.append(time.perf_counter() - start)
    print(line("read every article file", reads))
    print(line("claim rows and groups", groups))
    cold, warm, settled = [], [], []
    first = articles[0].document.id
    for _ in range(args.repeat):
        shutil.rmtree(folder / FOLDER, ignore_errors=True)
        cold.append(asyncio.run(board_screen(dataset, first)))
        warm.append(asyncio.run(board_screen(dataset, first)))
        settled.append(asyncio.run(board_screen(dataset, first, settled=True)))
    print(line("B at once, no cache (a first session)", cold))
    print(line("B at once, the cache a session left", warm))
    print(line("B once the session's index is read", settled))


if __name__ == "__main__":
    main()
