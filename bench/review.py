"""Review benchmark: two analysts' versions compared, and a review key to its frame.

    python bench/review.py [--keys N] [--agreements N]

Prints figures; asserts nothing. Two analysts label the same words (every fifth and every
seventh span differ), on a 20 KB article with 300 spans each and a 1 MB one with 5,000
each. Key to frame is timed as in bench/reader.py: the key is posted as the driver posts
it, and the time runs until the frame that shows its effect. `a` (every agreement, one
edit) and its undo are timed from the key until the save has returned.
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

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from textual import events

from bench.timing import TimedApp, line
from tui.core.article_model import ArticleModel
from tui.core.dataset import Dataset
from tui.core.model import Document, Span
from tui.core.review import ReviewPlan, compare
from tui.core.text import words
from tui.screens.review import ReviewScreen
from tui.widgets.bars.review_bar import ReviewBar

LABELS = ("ACTOR", "CLAIM", "LOCATION")
VOCABULARY = ("Putin Trump Zelensky Kyiv Moscow Riyadh cease-fire talks envoy said the a of "
              "in on security adviser officials claimed troops withdrawal").split()


def article(size: int, spans: int, rng: random.Random) -> tuple[str, list[Span]]:
    text = ""
    while len(text) < size:
        text += " ".join(rng.choice(VOCABULARY) for _ in range(40)) + ".\n"
    found = list(words(text, 0, len(text)))
    step = max(len(found) // spans, 2)
    out = []
    for who, shift in (("alice", 7), ("bob", 5)):
        for n, k in enumerate(range(0, len(found) - 2, step)):
            end = found[k + (n % shift == 0)][1]
            out.append(Span.new(text, found[k][0], end, LABELS[n % 3], who))
    return text, out


async def keys_to_frame(folder: Path, presses: int) -> dict[str, list[float]]:
    app = TimedApp(Dataset(folder, "review"), review=ReviewPlan(), reviewing=True)
    app.frame = asyncio.Event()
    results: dict[str, list[float]] = {"tab (next difference)": [], "1 (take the left)": []}
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter")
        while not isinstance(app.screen, ReviewScreen):
            await pilot.pause()
        await pilot.pause()
        bar = app.screen.query_one(ReviewBar)

        async def timed(key: str) -> float:
            await pilot.pause()
            await app.session.wait()
            before = bar.plain
            app.frame.clear()
            start = time.perf_counter()
            app.post_message(events.Key(key, key if len(key) == 1 else None))
            while True:
                await asyncio.wait_for(app.frame.wait(), 10)
                if bar.plain != before:
                    return time.perf_counter() - start
                app.frame.clear()

        for _ in range(presses):
            results["tab (next difference)"].append(await timed("tab"))
            results["1 (take the left)"].append(await timed("1"))
        await app.session.wait()
    return results


async def every_agreement(folder: Path, presses: int) -> tuple[int, list[float]]:
    """`a` (every agreement taken into the review, one edit) until it is saved, then
    ctrl+z (the same spans removed, one edit) until that is saved: each timed from the key
    to the save's answer."""
    app = TimedApp(Dataset(folder, "review"), review=ReviewPlan(), reviewing=True)
    app.frame = asyncio.Event()
    times: list[float] = []
    taken = 0
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter")
        while not isinstance(app.screen, ReviewScreen):
            await pilot.pause()
        await pilot.pause()
        screen = app.screen
        for _ in range(presses):
            for key in ("a", "ctrl+z"):
                await pilot.pause()
                await app.session.wait()
                start = time.perf_counter()
                app.post_message(events.Key(key, key if len(key) == 1 else None))
                while not screen.model.saving:
                    await pilot.pause(0)
                await app.session.wait()
                times.append(time.perf_counter() - start)
                taken = max(taken, sum(s.annotator == "review" for s in screen.model.spans))
    return taken, times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--keys", type=int, default=30, help="presses of each key")
    parser.add_argument("--agreements", type=int, default=3,
                        help="presses of a (every agreement) and ctrl+z, each until saved")
    args = parser.parse_args()
    rng = random.Random(5)
    root = Path(tempfile.mkdtemp(prefix="gloss-bench-review-", dir=Path(__file__).parent))
    try:
        for name, size, spans in (("20 KB", 20_000, 300), ("1 MB", 1_000_000, 5000)):
            text, marks = article(size, spans, rng)
            folder = root / name.replace(" ", "")
            dataset = Dataset(folder, "alice")
            dataset.add_article(Document.from_text(text), marks)
            model = ArticleModel(dataset.article(dataset.ids()[0]), "review")
            times = []
            for _ in range(10):
                start = time.perf_counter()
                comparison = compare(model, "alice", "bob")
                times.append(time.perf_counter() - start)
            print(f"-- {name}, {spans:,} spans an analyst, "
                  f"{len(comparison.differences):,} differences --")
            print(line("compare the two versions", times))
            for what, values in asyncio.run(keys_to_frame(folder, args.keys)).items():
                print(line(f"key to frame: {what}", values))
            if args.agreements:
                taken, values = asyncio.run(every_agreement(folder, args.agreements))
                print(line(f"a / ctrl+z ({taken:,} agreements) to saved", values))
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
