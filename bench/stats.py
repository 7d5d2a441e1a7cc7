"""Stats benchmark: the figures and the stats screen on 5,000 articles and 150,000 spans.

    python bench/stats.py [--articles N] [--repeat N] [--keep DIR]

Prints figures (min / median / max); asserts nothing. A generated dataset: three analysts
who labelled over ten working days, each article in a half-hour sitting, about 30 spans an
article (a few articles far more, some none; actors with canonical names), a claim in
five, most with a SOURCE link, and statuses done / skipped. Timed:

- counting the figures: from every file (no cache), from the cache a session left
  (the index, .cache/index.sqlite), and again after one save (the save keeps its row);
- `gloss stats --format json` (a new process), without and with the cache;
- the stats screen (headless, 120x50) from ctrl+g to its first frame, and to the first
  frame that shows the plots: the first open of a session without a cache, the first open
  of a later session (the cache), and an open again in the same session.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from textual import events

from bench.timing import TimedApp, line
from tui.core.document.model import Document, Relation, Span
from tui.core.store.dataset import Dataset
from tui.core.store.tally import Tally

ANALYSTS = ("olena", "taras", "maria")
NAMES = ("Vladimir Putin", "Donald Trump", "Volodymyr Zelensky", "Steve Witkoff",
         "Marco Rubio", "Dmitry Peskov", "Sergei Lavrov", "Keir Starmer")
PLACES = ("Kyiv", "Moscow", "Riyadh", "Istanbul", "Kursk", "Donetsk", "Odesa", "Kharkiv")
WORDS = ("talks resumed after a long pause and the envoys met again on Monday while officials"
         " said the cease-fire would hold").split()
START = datetime(2026, 3, 2, 8, tzinfo=UTC)


def session(rng: random.Random) -> datetime:
    """When an analyst sat down to an article: a moment of ten working days, 8 to 18 UTC."""
    day = START + timedelta(days=rng.randrange(14))
    if day.weekday() >= 5:
        day -= timedelta(days=2)
    return day + timedelta(seconds=rng.randrange(10 * 3600))


def when(rng: random.Random, sat: datetime) -> str:
    """A label in the half hour after the analyst sat down to the article."""
    return (sat + timedelta(seconds=rng.randrange(1800))).isoformat(timespec="milliseconds")


def article(rng: random.Random, n: int) -> tuple[Document, list[Span], list[Relation]]:
    count = 0 if n % 100 == 0 else 90 if n % 100 == 1 else rng.randint(20, 40)
    sentences = max(-(-count // 3), 4)
    parts, marks = [f"Article {n} on the talks."], []
    length = len(parts[0]) + 1
    for i in range(sentences):
        name, place = rng.choice(NAMES), rng.choice(PLACES)
        claim = " ".join(rng.choices(WORDS, k=rng.randint(5, 10)))
        sentence = f"{name} said that {claim} in {place}."
        at = length + len(name) + len(" said that ")
        place_at = length + sentence.rindex(place)
        marks += [(length, length + len(name), "ACTOR", name),
                  (at, at + len(claim), "CLAIM" if i % 5 == 0 else "LOCATION", ""),
                  (place_at, place_at + len(place), "LOCATION", "")]
        parts.append(sentence)
        length += len(sentence) + 1
    text = " ".join(parts)
    who = ANALYSTS[n % 3]
    spans = []
    sat = session(rng)
    for start, end, label, canonical in marks[:count]:
        stamp = when(rng, sat)
        span = Span(start, end, label, text[start:end], who, "gloss", created=stamp,
                    updated=stamp)
        spans.append(span.with_attribute("canonical", canonical) if canonical else span)
    relations = [Relation(s.id, spans[k - 1].id, "SOURCE", who)
                 for k, s in enumerate(spans) if s.label == "CLAIM" and rng.random() < 0.8]
    return Document.from_text(text, {"title": f"Talks, day {n}"}), spans, relations


def build(folder: Path, count: int) -> None:
    rng = random.Random(11)
    dataset = Dataset(folder, "olena")
    for first in range(0, count, 1000):
        dataset.add_articles([article(rng, n) for n in range(first, min(first + 1000, count))])
    ids = dataset.ids()
    for k, doc_id in enumerate(ids[: count // 3]):
        Dataset(folder, ANALYSTS[k % 3]).set_status(doc_id, "skipped" if k % 9 == 0 else "done")


async def screen_times(folder: Path) -> tuple[list[float], list[float]]:
    """ctrl+g to the first frame and to the plots: the session's first open, then again."""
    from tui.screens.stats import StatsScreen

    app = TimedApp(Dataset(folder, "olena"))
    app.frame = asyncio.Event()
    shown, plotted = [], []
    async with app.run_test(size=(120, 50)) as pilot:
        await pilot.pause()
        for _ in range(2):
            app.frame.clear()
            start = time.perf_counter()
            app.post_message(events.Key("ctrl+g", None))
            first = None
            while True:
                await asyncio.wait_for(app.frame.wait(), 60)
                app.frame.clear()
                screen = app.screen
                if isinstance(screen, StatsScreen) and first is None:
                    first = time.perf_counter() - start
                if isinstance(screen, StatsScreen) and screen.ready:
                    plotted.append(time.perf_counter() - start)
                    break
            shown.append(first or 0.0)
            await pilot.press("escape")
            await pilot.pause()
    return shown, plotted


def forget(folder: Path) -> None:
    """No cache: as the first session on the dataset."""
    shutil.rmtree(folder / ".cache", ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="build the dataset here and keep it")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="gloss-bench-stats-")) / "db"
    if not folder.exists():
        started = time.perf_counter()
        build(folder, args.articles)
        print(f"built in {time.perf_counter() - started:.1f} s")
    dataset = Dataset.existing(folder, "olena")
    figures = Tally().figures(dataset)
    print(f"{figures.articles:,} articles, {figures.spans:,} spans,"
          f" {sum(s + t for s, t in figures.claims.values()):,} claims,"
          f" {sum(len(h) for h in figures.hours.values()):,} analyst-hours")
    cold, cached, warm = [], [], []
    for _ in range(args.repeat):
        forget(folder)
        start = time.perf_counter()
        Tally().figures(dataset)
        cold.append(time.perf_counter() - start)
        Tally(keep=True).figures(Dataset(folder, "olena"))  # as the app leaves it
        start = time.perf_counter()
        tally = Tally(keep=True)
        tally.figures(dataset)
        cached.append(time.perf_counter() - start)
        Dataset(folder, "olena").set_status(dataset.ids()[7], "done")
        start = time.perf_counter()
        tally.figures(dataset)
        warm.append(time.perf_counter() - start)
    print(line("figures from every file (no cache)", cold, 52))
    print(line("figures from the cache a session left", cached, 52))
    print(line("figures again after a save (one file read)", warm, 52))
    for cache in (False, True):
        runs = []
        if cache:  # as the app leaves it (the command never writes it)
            Tally(keep=True).figures(Dataset(folder, "olena"))
        for _ in range(args.repeat):
            if not cache:
                forget(folder)
            start = time.perf_counter()
            subprocess.run([sys.executable, "-m", "tui", "stats", "--format", "json", "--db",
                            str(folder)], check=True, capture_output=True)
            runs.append(time.perf_counter() - start)
        print(line(f"gloss stats --format json ({'the cache' if cache else 'no cache'})", runs, 52))
    for cache in (False, True):
        first_frames, plots, again_frames, again_plots = [], [], [], []
        for _ in range(args.repeat):
            if not cache:
                forget(folder)
            shown, plotted = asyncio.run(screen_times(folder))
            first_frames.append(shown[0])
            plots.append(plotted[0])
            again_frames.append(shown[1])
            again_plots.append(plotted[1])
        when = "later session (the cache)" if cache else "first session (no cache)"
        print(line(f"ctrl+g to the first frame, {when}", first_frames, 52))
        print(line(f"ctrl+g to the plots, {when}", plots, 52))
        if cache:
            print(line("ctrl+g to the first frame, opened again", again_frames, 52))
            print(line("ctrl+g to the plots, opened again", again_plots, 52))


if __name__ == "__main__":
    main()
