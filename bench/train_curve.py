"""The loop pays off: keys per span on the next articles after training on N finished ones.

The news of bench/train_data.py (seeds and Wikinews 2019, in order of publication, cut
into parts of about a kilobyte, annotated by bench/silver.py) are the story. The last
TEST parts are the next articles; for each N the first N parts are marked done and
``gloss train`` learns them (--max-epochs EPOCHS); the analyst then works through the
next articles with the model's suggestions:

- a suggestion that is exactly a wanted span: 1 key (accept; the accept key also goes on
  to the next suggestion);
- a suggestion of the right label whose edges are off: accept and move each edge a word
  at a time ({ } < >), 1 + the words between the edges, unless typing it is cheaper;
- a suggestion of the right extent and the wrong label: 2 keys (to it, the label key);
- a suggestion that is not wanted: 1 key (reject);
- a wanted span with no suggestion: the keys the reader's shortest plan takes to type it
  (tests/app/keyplan.py, from the end of the span before, 96 x 36; 15 where it finds no
  plan within 14 keys).

Prints keys per span for N = 0 (no model), 10, 50, 200, per label.
"""

from __future__ import annotations

import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TEST = 30
SIZES = (10, 50, 200)
EPOCHS = 10
KEYS = {"ACTOR": "1", "CLAIM": "2", "LOCATION": "3"}
BUDGET = 14  # keys the planner searches within; a span it cannot reach costs one more


def typed_costs(parts) -> dict[tuple[str, int, int, str], int]:
    """The keys the reader's shortest plan takes to type each wanted span (from the end of
    the span before). The search costs a second or more a span on the loaded machine, and
    its answer depends only on the articles and the planner: kept in a file named by a
    hash of both, so only the first run pays."""
    import hashlib

    import orjson

    from tests.app import keyplan

    digest = hashlib.sha256(Path(keyplan.__file__).read_bytes())
    for doc, spans, _ in parts:
        digest.update(doc.text.encode())
        digest.update(repr(sorted((s.start, s.end, s.label) for s in spans)).encode())
    cache = Path(tempfile.gettempdir()) / f"gloss-bench-typed-{digest.hexdigest()[:16]}.json"
    if cache.is_file():
        return {tuple(k): v for k, v in orjson.loads(cache.read_bytes())}
    costs = _plan_costs(parts)
    cache.write_bytes(orjson.dumps([[list(k), v] for k, v in costs.items()]))
    return costs


def _plan_costs(parts) -> dict[tuple[str, int, int, str], int]:
    from tests.app.keyplan import AFTER, Planner, State, in_order
    from tui.core.disk.article_file import Article
    from tui.core.editing.article_model import ArticleModel

    costs = {}
    for doc, spans, _ in parts:
        planner = Planner(ArticleModel(Article(doc, [], {}, 0), "sim"), 96, 36, AFTER)
        cursor = 0
        for span in in_order(spans):
            try:
                cost = len(planner.plan(State(cursor), span, KEYS[span.label],
                                        BUDGET)[0])
            except AssertionError:  # no plan within the budget: counted as one key more
                cost = BUDGET + 1
            costs[doc.id, span.start, span.end, span.label] = cost
            cursor = span.end
    return costs


def words(text: str, a: int, b: int) -> int:
    return len(re.findall(r"\S+", text[min(a, b):max(a, b)]))


def keys_with(doc, spans, suggested, typed) -> tuple[Counter[str], Counter[str]]:
    """Keys and spans per label for one article, given the model's suggestions."""
    keys: Counter[str] = Counter()
    count: Counter[str] = Counter()
    used = set()
    for span in spans:
        count[span.label] += 1
        cost = typed[doc.id, span.start, span.end, span.label]
        for s in suggested:
            if (s.start, s.end) == (span.start, span.end):
                cost = min(cost, 1 if s.label == span.label else 2)
                used.add(s)
            elif s.label == span.label and s.start < span.end and span.start < s.end:
                fix = 1 + words(doc.text, s.start, span.start) + words(doc.text, s.end, span.end)
                if fix < cost:
                    cost = fix
                used.add(s)
        keys[span.label] += cost
    for s in suggested:
        if s not in used:
            keys[s.label] += 1  # rejected
    return keys, count


def main(seed: int = 0) -> None:
    from train_data import annotated

    from tui.core.store.dataset import Dataset
    from tui.core.suggest.model_finder import ModelFinder

    parts = annotated()
    test, pool = parts[-TEST:], parts[:-TEST]
    print(f"curve: {len(parts)} parts, the last {TEST} are the next articles"
          f" ({sum(len(s) for _, s, _ in test)} wanted spans); load {os.getloadavg()[0]:.1f}",
          flush=True)
    started = time.perf_counter()
    typed = typed_costs(test)
    print(f"  typed keys planned in {time.perf_counter() - started:.0f} s", flush=True)
    rows = [("0", {d.id: [] for d, _, _ in test}, 0.0)]
    with tempfile.TemporaryDirectory(prefix="gloss-curve-") as work:
        for n in SIZES:
            if n > len(pool):
                print(f"  N={n}: only {len(pool)} parts before the test set; skipped")
                continue
            folder = Path(work) / f"n{n}"
            dataset = Dataset(folder, "silver")
            dataset.add_articles(pool[:n], labels=list(KEYS))
            for doc, _, _ in pool[:n]:
                dataset.set_status(doc.id, "done")
            began = time.perf_counter()
            result = subprocess.run([str(Path(sys.executable).parent / "gloss"), "train",
                                     "--db", str(folder), "--seed", str(seed),
                                     "--max-epochs", str(EPOCHS)],
                                    capture_output=True, text=True)
            if result.returncode:
                print(f"  N={n}: gloss train failed: {result.stderr[-500:]}")
                continue
            seconds = time.perf_counter() - began
            held = [line for line in result.stdout.splitlines()
                    if line.startswith(("held out", "spans", "links"))]
            print(f"  N={n}: gloss train {seconds:.0f} s\n    " + "\n    ".join(held),
                  flush=True)
            finder = ModelFinder.load(folder)
            rows.append((str(n), {d.id: finder.find(d.text) for d, _, _ in test}, seconds))
    print(f"  {'N':>4} {'keys/span':>10} " + " ".join(f"{label:>9}" for label in KEYS)
          + "   training")
    for name, suggested, seconds in rows:
        keys: Counter[str] = Counter()
        count: Counter[str] = Counter()
        for doc, spans, _ in test:
            k, c = keys_with(doc, spans, suggested[doc.id], typed)
            keys.update(k)
            count.update(c)
        per = " ".join(f"{keys[label] / max(count[label], 1):9.2f}" for label in KEYS)
        print(f"  {name:>4} {sum(keys.values()) / sum(count.values()):10.2f} {per}"
              f"   {seconds:.0f} s", flush=True)
    print(f"  median typed keys a span: {statistics.median(typed.values())}")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "bench"))
    main()
