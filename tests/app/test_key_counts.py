"""Half the keys per span: the seed article annotated as the reference says, each span with
the shortest key sequence the reader offers, pressed in the real app.

Prints the keys per span (median, mean, per label) and fails above a median of 7. The
same figures for the reader before issue 8 (no grow, no resize, no labelling of every
occurrence, plain search) come from ``python bench/keys.py``: planning them takes a minute.
"""

from __future__ import annotations

import statistics

from tests.app.keyplan import AFTER, Planner, State, in_order
from tests.app.seed_reference import SEED, reference_spans
from tui.app import GlossApp
from tui.core.document.model import Document
from tui.core.editing import editor
from tui.core.store.dataset import Dataset
from tui.screens.reader import ReaderScreen

KEYS = {"ACTOR": "1", "CLAIM": "2", "LOCATION": "3"}


def summary(name: str, costs: list[tuple[str, int]]) -> str:
    lines = [f"{name}: median {statistics.median(c for _, c in costs)}, mean "
             f"{statistics.mean(c for _, c in costs):.2f} keys a span ({len(costs)} spans)"]
    for label in KEYS:
        mine = [c for lab, c in costs if lab == label]
        lines.append(f"  {label:<9} median {statistics.median(mine)}, mean "
                     f"{statistics.mean(mine):.2f} ({len(mine)} spans)")
    return "\n".join(lines)


async def test_the_reference_takes_at_most_seven_keys_a_span(tmp_path):
    text = SEED.read_text(encoding="utf-8")
    dataset = Dataset(tmp_path / "db", "alice")
    dataset.add_article(Document.from_text(text))
    reference = in_order(reference_spans(text, "alice"))
    wanted = {(s.start, s.end, s.label) for s in reference}
    costs: list[tuple[str, int]] = []
    async with GlossApp(dataset, dataset.ids()).run_test(size=(120, 40)) as pilot:
        screen = pilot.app.screen
        assert isinstance(screen, ReaderScreen)
        view, model = screen.view, screen.pane.model
        planner = Planner(model, view.layout_.width, view.size.height, AFTER)
        for span in reference:
            if model.find(span.start, span.end, span.label, "alice") is not None:
                costs.append((span.label, 0))  # labelled with every occurrence before
                continue
            start = State.of(view.caret, model)
            keys, _ = planner.plan(start, span, KEYS[span.label])
            await pilot.press(*keys)
            made = model.find(span.start, span.end, span.label, "alice")
            assert made is not None, (span.text, keys)
            every = editor.label_every(model, made)
            if not isinstance(every, str) and all(
                    (c.span.start, c.span.end, c.span.label) in wanted for c in every.changes):
                await pilot.press("a")
                keys.append("a")
            mine = {(s.start, s.end, s.label) for s in model.spans}
            assert mine <= wanted, sorted(mine - wanted)
            costs.append((span.label, len(keys)))
        await pilot.app.session.wait()
    on_disk = {(s.start, s.end, s.label) for s in Dataset(dataset.folder, "x").spans(
        dataset.ids()[0])}
    assert on_disk == wanted
    report = summary("keys per span, this reader", costs)
    made_alone = [(label, c) for label, c in costs if c]
    report += "\n" + summary("the same, leaving out spans made by `a`", made_alone)
    print("\n" + report)
    assert statistics.median(c for _, c in costs) <= 7
