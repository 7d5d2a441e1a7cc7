"""Keys per span, before and after issue 8: the seed article annotated as
tests/app/seed_reference.py says, each span planned with the fewest keys the reader offers.

    python bench/keys.py [--width 73] [--height 33] [--spans]

"before" is the reader as it was (cursor and shift keys, tab, a plain search); "after" adds
= to grow the selection, { } < > to resize a span, a to label every occurrence, and a
search that finds curly quotes and dashes. The "after" plans are the ones the replay test
(tests/app/test_key_counts.py) presses in the app; the "before" ones follow the old reader's
rules in the planner (tests/app/keyplan.py). Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.app.keyplan import AFTER, BEFORE, Planner, Reader, State, in_order
from tests.app.seed_reference import SEED, reference_spans
from tui.core.document.model import Document, Span
from tui.core.editing import editor
from tui.core.editing.article_model import ArticleModel
from tui.core.store.dataset import Article

KEYS = {"ACTOR": "1", "CLAIM": "2", "LOCATION": "3"}


def plan_all(reader: Reader, width: int, height: int, rows: bool = True
             ) -> list[tuple[Span, list[str]]]:
    text = SEED.read_text(encoding="utf-8")
    model = ArticleModel(Article(Document.from_text(text), [], {}, 0), "alice")
    planner = Planner(model, width, height, reader, rows)
    reference = in_order(reference_spans(text, "alice"))
    wanted = {(s.start, s.end, s.label) for s in reference}
    state = State(0)
    out = []
    for span in reference:
        if model.find(span.start, span.end, span.label, "alice") is not None:
            out.append((span, []))  # made by `a` before
            continue
        keys, _ = planner.plan(state, span, KEYS[span.label], budget=14 if rows else 24)
        edit = editor.label(model, span.start, span.end, span.label)
        assert not isinstance(edit, str), edit
        model.apply(edit)
        made = model.find(span.start, span.end, span.label, "alice")
        assert made is not None
        if reader.label_every:
            every = editor.label_every(model, made)
            if not isinstance(every, str) and all(
                    (c.span.start, c.span.end, c.span.label) in wanted for c in every.changes):
                model.apply(every)
                keys = [*keys, "a"]
        state = State(span.end, span=model.index(made)) if reader.tab_to_start \
            else State(span.end)
        out.append((span, keys))
    return out


def report(name: str, plans: list[tuple[Span, list[str]]], seconds: float) -> None:
    costs = [(span.label, len(keys)) for span, keys in plans]

    def line(what: str, values: list[int]) -> str:
        return (f"  {what:<10} median {statistics.median(values):4.1f}  mean "
                f"{statistics.mean(values):5.2f}  (min {min(values)}, max {max(values)},"
                f" n={len(values)})")

    print(f"-- {name} ({seconds:.0f} s to plan) --")
    print(line("all", [c for _, c in costs]))
    for label in KEYS:
        print(line(label, [c for lab, c in costs if lab == label]))
    alone = [c for _, c in costs if c]
    if len(alone) < len(costs):
        print(line("typed", alone) + f"  ({len(costs) - len(alone)} spans made by `a`)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--width", type=int, default=73, help="columns of article text")
    parser.add_argument("--height", type=int, default=33, help="rows of article text")
    parser.add_argument("--spans", action="store_true", help="print each span's keys")
    parser.add_argument("--no-rows", action="store_true", help="leave out up, down, page up"
                        " and down, home and end: keys whose effect depends on the wrapping")
    args = parser.parse_args()
    for reader in (BEFORE, AFTER):
        started = time.perf_counter()
        plans = plan_all(reader, args.width, args.height, not args.no_rows)
        name = reader.name + (", without row keys" if args.no_rows else "")
        report(name, plans, time.perf_counter() - started)
        if args.spans:
            for span, keys in plans:
                print(f"    {len(keys):2d} {span.label[:3]} {span.text[:40]!r:44} {' '.join(keys)}")


if __name__ == "__main__":
    main()
