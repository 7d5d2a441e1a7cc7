"""Library benchmark: its rows read from 5,000 articles, its first frame, a key typed into
its filter; for one analyst and for a team of two (the library then shows who is done,
who reviewed and the per-article agreement).

    python bench/library.py [--repeat N] [--keys N]

Prints figures; asserts nothing. The articles are bench/store.py's (about 2 KB, 30 spans
an analyst); the files are read from the page cache, as on a second start.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from textual import events

from bench.store import analyst, article
from bench.timing import TimedApp, line
from tui.core.store.corpus import import_articles
from tui.core.store.dataset import Dataset
from tui.core.team.review import ReviewPlan
from tui.screens.library import LibraryScreen
from tui.widgets.lists.article_table import ArticleTable


def make(root: Path, team: bool) -> Path:
    rng = random.Random(7)
    raws = [article(rng, n, 30) for n in range(5000)]
    folder = root / ("team" if team else "solo")
    dataset = Dataset(folder, "alice")
    for who, shift in ((("alice", 7), ("bob", 5)) if team else (("alice", 7),)):
        import_articles(dataset, analyst(raws, who, shift), source=who)
        for doc_id in dataset.ids()[:2500]:
            Dataset(folder, who).set_status(doc_id, "done")
    return folder


def rows(folder: Path, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        Dataset.existing(folder, "alice").summaries()
        times.append(time.perf_counter() - start)
    return times


async def first_frame_and_keys(folder: Path, keys: int, review: ReviewPlan | None = None
                               ) -> tuple[float, list[float]]:
    """From the app's start to the first frame showing the library's rows; then a letter
    typed into the filter (and taken back) to the frame that shows the filtered rows.
    ``review``: the library of `gloss review` for that reviewer and pair instead."""
    if review is None:
        app = TimedApp(Dataset(folder, "alice"))
    else:
        app = TimedApp(Dataset(folder, review.reviewer), review=review, reviewing=True)
    app.frame = asyncio.Event()
    start = time.perf_counter()
    async with app.run_test(size=(80, 24)) as pilot:
        while not (isinstance(app.screen, LibraryScreen)
                   and app.screen.query(ArticleTable) and app.frame.is_set()):
            app.frame.clear()
            await asyncio.wait_for(app.frame.wait(), 30)
        first = time.perf_counter() - start
        box = app.screen.query_one("#filter")
        typed = []
        for i in range(keys):
            await pilot.pause()
            before = box.value
            key, character = ("backspace", None) if i % 2 else ("1", "1")
            app.frame.clear()
            started = time.perf_counter()
            app.post_message(events.Key(key, character))
            while box.value == before:
                await asyncio.wait_for(app.frame.wait(), 30)
                app.frame.clear()
            await asyncio.wait_for(app.frame.wait(), 30)
            typed.append(time.perf_counter() - started)
    return first, typed


async def stats_first_frame(folder: Path) -> float:
    """From ctrl+g in the library of an app just started (the index there, no count kept
    in the process: the first session of the day; the library's rows checked) to the
    frame showing the figures (of the index's rows as they stand, checked right after)."""
    from tui.screens.stats import StatsScreen

    app = TimedApp(Dataset(folder, "alice"))
    app.frame = asyncio.Event()
    shown = asyncio.Event()
    show = StatsScreen._show

    def showing(screen: StatsScreen, *args: Any) -> None:  # the figures, and more
        show(screen, *args)
        app.frame.clear()  # the next frame is the one that shows them (one thread)
        shown.set()

    async with app.run_test(size=(120, 40)) as pilot:
        while not (isinstance(app.screen, LibraryScreen) and app.frame.is_set()):
            app.frame.clear()
            await asyncio.wait_for(app.frame.wait(), 30)
        await app.workers.wait_for_complete()  # the library's check of its rows
        await pilot.pause()
        setattr(StatsScreen, "_show", showing)  # noqa: B010 (a method replaced for the run)
        try:
            start = time.perf_counter()
            app.action_stats()
            await asyncio.wait_for(shown.wait(), 60)
            await asyncio.wait_for(app.frame.wait(), 60)
            return time.perf_counter() - start
        finally:
            setattr(StatsScreen, "_show", show)  # noqa: B010


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5, help="runs of each measure")
    parser.add_argument("--keys", type=int, default=20, help="keys typed into the filter")
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="gloss-bench-library-", dir=Path(__file__).parent))
    try:
        for team in (False, True):
            folder = make(root, team)
            who = "2 analysts x 30 spans, half done" if team else "1 analyst x 30 spans"
            print(f"-- the library of 5,000 articles, {who} --")
            print(line("rows read (Dataset.summaries)", rows(folder, args.repeat)))
            firsts, typed = [], []
            for _ in range(args.repeat):
                first, keys = asyncio.run(first_frame_and_keys(folder, args.keys))
                firsts.append(first)
                typed += keys
            print(line("app start to the library's first frame, 80x24", firsts, 46))
            print(line("a key typed into the filter to its frame", typed, 46))
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
