"""Reader benchmark: start to first frame, key to frame, link key to frame, peak memory.

    python bench/reader.py [--keys N] [--starts N] [--links N] [--links-only]
                           [--suggestions-only] [--opens N]

Prints figures; asserts nothing. Key to frame is timed without Pilot's waits: an event is
set in ``App.post_display_hook``, the key is posted as the driver would post it, and the
time runs until the frame that follows. Start to first frame runs a fresh process per
sample, beside a bare Textual app started the same way, so the difference is Gloss's own.

Link key to frame: the claims' analyst walks to the next claim to do (`t`, not timed),
presses `w` (timed to the frame that shows the highlighted candidate) and enter (timed to
the frame that shows the link). A third of each article's claims have a source already,
and a quarter of its actors a canonical name.

Suggestions (``--suggestions-only`` runs these alone): from the first frame of an opened
article to the first frame that shows its suggestions (the seed and the 1 MB article, the
dataset's names, its claim cues), the cursor keys pressed meanwhile on the 1 MB article
(each to its frame), and a label key on the 1 MB article with its suggestions shown (its
name then searched again in a thread).
"""

from __future__ import annotations

import argparse
import asyncio
import bisect
import json
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from textual import events

from bench.first_frame import command, headless, shown
from bench.timing import TimedApp, line
from tui.core.document.model import Document, Relation, Span
from tui.core.document.schema import SOURCE
from tui.core.editing.article_suggestions import ArticleSuggestions
from tui.core.language.text import words
from tui.core.store.dataset import Dataset
from tui.screens.reader import ReaderScreen

SEED = ROOT / "seeds" / "trump-putin-ceasefire-call.txt"
LABELS = ("ACTOR", "CLAIM", "LOCATION")

def article(size: int, spans: int, rng: random.Random
            ) -> tuple[str, list[Span], list[Relation]]:
    seed = SEED.read_text(encoding="utf-8")
    paragraphs = [p for p in seed.split("\n") if p.strip()]
    out: list[str] = []
    length = 0
    while length < size:
        paragraph = rng.choice(paragraphs)
        out.append(paragraph)
        length += len(paragraph) + 1
    text = "\n".join(out)[:size]
    text = text[: text.rfind(" ")]
    marks = []
    found = words(text, 0, len(text))
    for start, end in rng.sample(found, min(spans, len(found))):
        label = rng.choice(LABELS)
        if label == "CLAIM":  # claims run over a few words and nest the others
            end = min(found[min(found.index((start, end)) + rng.randint(2, 8), len(found) - 1)][1],
                      start + 200)
        marks.append(Span(start, end, label, text[start:end], "bench"))
    return text, *linked(marks, rng)


def linked(marks: list[Span], rng: random.Random) -> tuple[list[Span], list[Relation]]:
    """A third of the claims with a source (an actor near it) and the source_kind that
    gives; an actor in four with a canonical name."""
    actors = sorted((s for s in marks if s.label == "ACTOR"), key=lambda s: s.start)
    starts = [a.start for a in actors]
    relations, out = [], []
    for n, span in enumerate(marks):
        if span.label == "ACTOR" and n % 4 == 0:
            span = span.with_attribute("canonical", span.text.title())
        elif span.label == "CLAIM" and n % 3 == 0 and actors:
            near = min(bisect.bisect(starts, span.start) + rng.randint(-3, 3), len(actors) - 1)
            relations.append(Relation(span.id, actors[max(near, 0)].id, SOURCE, "bench"))
            span = span.with_attribute("source_kind", "actor")
        out.append(span)
    return out, relations


async def key_to_frame(dataset: Dataset, doc_id: str, presses: int) -> dict[str, list[float]]:
    app = TimedApp(Dataset(dataset.folder, "reader"), [doc_id])  # not the spans' analyst
    app.frame = asyncio.Event()
    results: dict[str, list[float]] = {"cursor move": [], "label": [], "label saved": []}
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReaderScreen)
        view = screen.view

        def moved(before: int):
            return lambda: view.cursor != before

        for i in range(presses):
            key = "down" if i % 20 < 10 else "up"
            results["cursor move"].append(await timed(app, pilot, key, None,
                                                      moved(view.cursor)))
        for _ in range(presses // 2):
            await timed(app, pilot, "ctrl+right", None, moved(view.cursor))
            await timed(app, pilot, "ctrl+right", None, moved(view.cursor))
            before = len(view.model.spans)
            results["label"].append(await timed(app, pilot, "1", "1",
                                                lambda b=before: len(view.model.spans) > b))
            start = time.perf_counter()
            while app.session.saving:
                await asyncio.sleep(0.0005)
            results["label saved"].append(results["label"][-1] + time.perf_counter() - start)
    return results


async def link_to_frame(dataset: Dataset, doc_id: str, presses: int
                        ) -> dict[str, list[float]]:
    """`t` to the next claim to do (not timed), then `w` and enter, each to its frame."""
    app = TimedApp(Dataset(dataset.folder, "bench"), [doc_id])  # the claims' analyst
    app.frame = asyncio.Event()
    results: dict[str, list[float]] = {"link key (w)": [], "link enter": [], "link saved": []}
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ReaderScreen)
        view = screen.view
        for _ in range(presses):
            if not view.model.todo():
                break  # every claim linked (the small article has fewer than asked for)
            await pilot.press("t")
            await pilot.pause()
            claim = view.span_here()
            assert claim is not None and claim.label == "CLAIM", claim
            results["link key (w)"].append(
                await timed(app, pilot, "w", "w", lambda: screen.claim_keys.linking is not None))
            results["link enter"].append(await timed(
                app, pilot, "enter", None,
                lambda c=claim: bool(view.model.links_from(c.id, SOURCE))))
            start = time.perf_counter()
            while app.session.saving:
                await asyncio.sleep(0.0005)
            results["link saved"].append(results["link enter"][-1] + time.perf_counter() - start)
    return results


class FrameLog(TimedApp):
    """Gloss, noting when each frame is handed to the terminal."""

    frames: list[float]

    def post_display_hook(self) -> None:
        self.frames.append(time.perf_counter())
        super().post_display_hook()


async def suggestions_to_frame(dataset: Dataset, doc_id: str, keys: bool
                               ) -> tuple[float, list[float]]:
    """From the first frame of the opened article to the first frame after its
    suggestions were answered; with ``keys``, the cursor keys pressed meanwhile, each to
    its frame."""
    app = FrameLog(Dataset(dataset.folder, "reader"), [doc_id])
    app.frame, app.frames = asyncio.Event(), []
    answered: list[float] = []
    app.session.suggestions.answers.append(lambda _: answered.append(time.perf_counter()))
    moves: list[float] = []
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, ReaderScreen)
        view = screen.view
        while not answered or app.frames[-1] < answered[0]:
            if keys and app.frames:  # a key every 20 ms, as a reader scrolls
                before, start = view.cursor, time.perf_counter()
                app.frame.clear()
                app.post_message(events.Key("down", None))
                while view.cursor == before or app.frames[-1] < start:
                    app.frame.clear()
                    await asyncio.wait_for(app.frame.wait(), 5)
                moves.append(time.perf_counter() - start)
                await asyncio.sleep(0.02)
            else:
                await pilot.pause(0.001)
    shown = next(t for t in app.frames if t >= answered[0])
    return shown - app.frames[0], moves


async def label_with_suggestions(dataset: Dataset, doc_id: str, presses: int
                                 ) -> dict[str, list[float]]:
    """A label key on an article whose suggestions are on screen, to its frame; each
    search's answer taken in on the UI thread (``ArticleSuggestions.answered``, the
    panes' observers with it: the first one's and those the labels asked for), and from
    its start to the next frame shown."""
    answers: list[tuple[float, float]] = []
    answered = ArticleSuggestions.answered

    def timed_answer(self: ArticleSuggestions, *args: Any) -> None:
        start = time.perf_counter()
        answered(self, *args)
        answers.append((start, time.perf_counter()))

    with mock.patch.object(ArticleSuggestions, "answered", timed_answer):
        labels, shown = await _label_with_suggestions(dataset, doc_id, presses, answers)
    return {"label key to frame": labels, "answer": [end - start for start, end in answers],
            "answer to its frame": shown}


async def _label_with_suggestions(dataset: Dataset, doc_id: str, presses: int,
                                  answers: list[tuple[float, float]]
                                  ) -> tuple[list[float], list[float]]:
    app = FrameLog(Dataset(dataset.folder, "reader"), [doc_id])
    app.frame, app.frames = asyncio.Event(), []
    out: list[float] = []
    shown: list[float] = []
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, ReaderScreen)
        view, pane = screen.view, screen.pane
        while pane.suggested is None or not pane.suggested.ready:
            await pilot.pause(0.05)

        def moved(before: int):
            return lambda: view.cursor != before

        for _ in range(presses):
            await timed(app, pilot, "ctrl+right", None, moved(view.cursor))
            await timed(app, pilot, "ctrl+right", None, moved(view.cursor))
            before = len(view.model.spans)
            out.append(await timed(app, pilot, "1", "1",
                                   lambda b=before: len(view.model.spans) > b))
            asked, waited = len(answers), time.perf_counter()
            # the search the label asked for answered (an analyst reads on meanwhile)
            while len(answers) == asked and time.perf_counter() - waited < 5:
                await pilot.pause(0.01)
            if len(answers) > asked:
                start, end = answers[-1]
                while app.frames[-1] < end and time.perf_counter() - end < 0.5:
                    await pilot.pause(0.001)
                if app.frames[-1] >= end:  # (none: nothing on screen changed)
                    shown.append(next(t for t in app.frames if t >= end) - start)
        await app.session.wait()
    return out, shown


def suggestions(folder: Path, opens: int, keys: int) -> None:
    """A dataset of the seed annotated as the tests' reference says and a 1 MB article of
    the seed's paragraphs, not yet labelled: its names and claims are what is suggested
    (the articles above have random words labelled, "the" among them)."""
    from tests.app.seed_reference import reference_spans

    dataset = Dataset(folder / "suggest", "olena")
    text = SEED.read_text(encoding="utf-8")
    seed = Document.from_text(text, {"source": SEED.name})
    dataset.add_article(seed, reference_spans(text, "olena"))
    big_text, _, _ = article(1_000_000, 0, random.Random(5))
    big = Document.from_text(big_text, {"source": "bench 1 MB, to annotate"})
    dataset.add_article(big)
    seed_id, big_id = seed.id, big.id
    print("\n-- suggestions (headless, 120x40): the seed done, a 1 MB article to annotate --")
    for name, doc_id, samples in (("seed", seed_id, opens), ("1 MB", big_id, max(opens // 3, 2))):
        shown = [asyncio.run(suggestions_to_frame(dataset, doc_id, False))[0]
                 for _ in range(samples)]
        print(line(f"{name}: first frame to suggestions", shown, 44))
    shown, moves = asyncio.run(suggestions_to_frame(dataset, big_id, True))
    print(line("1 MB: suggestions shown, keys pressed", [shown], 44))
    if moves:
        print(line("1 MB: a cursor key meanwhile, to frame", moves, 44, p95=True))
    figures = asyncio.run(label_with_suggestions(dataset, big_id, keys))
    print(line("1 MB: label key to frame, suggested", figures["label key to frame"], 44,
               p95=True))
    print(line("1 MB: a search answered, on the UI thread", figures["answer"], 44, p95=True))
    print(line("1 MB: its answer to the next frame shown", figures["answer to its frame"], 44,
               p95=True))


async def timed(app: TimedApp, pilot, key: str, character: str | None, shown) -> float:
    """From posting the key to the first frame that shows its effect."""
    await pilot.pause()
    app.frame.clear()
    start = time.perf_counter()
    app.post_message(events.Key(key, character))
    while True:
        await asyncio.wait_for(app.frame.wait(), 5)
        if shown():
            return time.perf_counter() - start
        app.frame.clear()


def starts(mode: str, db: Path, path: Path, samples: int) -> list[float]:
    times = []
    for _ in range(samples):
        started = time.time()
        out = subprocess.run(command(mode, db, path), capture_output=True, text=True,
                             cwd=ROOT, check=True, env=headless())
        times.append(shown(out.stdout, started))
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--keys", type=int, default=200, help="key presses per measure")
    parser.add_argument("--starts", type=int, default=7, help="process starts per measure")
    parser.add_argument("--links", type=int, default=100, help="claims linked per article")
    parser.add_argument("--links-only", action="store_true", help="only link key to frame")
    parser.add_argument("--spread", action="store_true", help="print every sample, sorted")
    parser.add_argument("--suggestions-only", action="store_true",
                        help="only the suggestions' figures")
    parser.add_argument("--opens", type=int, default=9, help="articles opened per measure")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="gloss-bench-reader-") as temp:
        run(Path(temp), args)  # 17 MB of dataset, removed after


def run(folder: Path, args: argparse.Namespace) -> None:
    rng = random.Random(11)
    dataset = Dataset(folder, "bench")
    seed = Document.from_text(SEED.read_text(encoding="utf-8"), {"source": SEED.name})
    dataset.add_article(seed)
    docs, files = {}, {}
    for name, size in (("20 KB", 20_000), ("1 MB", 1_000_000)):
        text, marks, relations = article(size, 5000 if size > 100_000 else 300, rng)
        document = Document.from_text(text, {"source": f"bench {name}"})
        dataset.add_article(document, marks, relations)
        docs[name] = (document.id, len(marks))
        files[name] = folder / f"{name.replace(' ', '')}.txt"
        files[name].write_text(text, encoding="utf-8")

    if args.suggestions_only:
        suggestions(folder, args.opens, args.keys // 4)
        return
    if not args.links_only:
        start_to_frame(folder, files, args.starts)
        print("\n-- key to frame (headless, 120x40) --")
        for name, (doc_id, count) in docs.items():
            show(f"{name}, {count:,} spans", asyncio.run(key_to_frame(dataset, doc_id, args.keys)),
                 args.spread)
    if not args.links_only:
        suggestions(folder, args.opens, args.keys // 4)
    print("\n-- link key to frame (headless, 120x40) --")
    for name, (doc_id, count) in docs.items():
        show(f"{name}, {count:,} spans", asyncio.run(link_to_frame(dataset, doc_id, args.links)),
             args.spread)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"\npeak RSS: this process (both articles opened, labelled and linked) {peak:.0f} MB;"
          f" largest start-up process {child:.0f} MB")


def start_to_frame(folder: Path, files: dict[str, Path], samples: int) -> None:
    print("-- start to first frame (fresh process, headless) --")
    bare = starts("bare", folder, SEED, samples)
    gloss = starts("gloss", folder, SEED, samples)
    big = starts("gloss", folder, files["1 MB"], samples)
    print(line("bare Textual app", bare, 34, p95=True))
    print(line("gloss, seed article", gloss, 34, p95=True))
    own = (statistics.median(gloss) - statistics.median(bare)) * 1000
    print(f"{'':<34} Gloss's own: {own:+.0f} ms")
    print(line("gloss, 1 MB article, 5,000 spans", big, 34, p95=True))
    print(json.dumps({"bare": statistics.median(bare), "gloss": statistics.median(gloss),
                      "big": statistics.median(big)}))


def show(article: str, results: dict[str, list[float]], spread: bool) -> None:
    for what, values in results.items():
        print(line(f"{article}: {what}", values, 34, p95=True))
        if spread:
            print("   ", " ".join(f"{v * 1000:.0f}" for v in sorted(values)))


if __name__ == "__main__":
    main()
