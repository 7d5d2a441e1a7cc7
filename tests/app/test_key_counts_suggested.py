"""Keys per span on a second article of a story once the first is done, with and without
suggestions, pressed in the real app.

The seed article is cut in two at a paragraph: its second half, annotated as the
reference says, is the article done; its first half (where most of its claims are) is the
next article of the same story. Each
reference span of the second half is made in order by the cheaper of two ways: the
shortest plan of selecting keys and a label key (``keyplan.py``, as
``test_key_counts.py``), or, with suggestions, `j` until the suggestion that is exactly
that span is selected, then `y` (used only when accepting makes nothing the reference has
not: a claim's suggested source must be a reference actor too). Prints the table by label,
before (no suggestions) and after, and fails above 2 keys a span at the mean where a
suggestion exists, or above 5 keys for a claim.
"""

from __future__ import annotations

import statistics
from typing import Any

from tests.app.keyplan import AFTER, Planner, State, in_order
from tests.app.seed_reference import SEED, reference_spans
from tests.app.test_suggestion_keys import suggested
from tui.app import GlossApp
from tui.core.document.model import Document, Span
from tui.core.editing import accepting, editor
from tui.core.editing.suggestions import Suggestions
from tui.core.store.dataset import Dataset
from tui.screens.reader import ReaderScreen

KEYS = {"ACTOR": "1", "CLAIM": "2", "LOCATION": "3"}


def halves() -> tuple[tuple[str, list[Span]], tuple[str, list[Span]]]:
    """The seed's two halves, each with the reference spans inside it."""
    text = SEED.read_text(encoding="utf-8")
    cut = text.index("\n", len(text) // 2) + 1
    spans = reference_spans(text, "alice")
    first = [s for s in spans if s.end <= cut]
    second = [Span(s.start - cut, s.end - cut, s.label, s.text, "alice", id=s.id)
              for s in spans if s.start >= cut]
    return (text[:cut], first), (text[cut:], second)


def dataset_of(folder: Any) -> tuple[Dataset, str]:
    (next_text, _), (done_text, done) = halves()
    dataset = Dataset(folder / "db", "alice")
    dataset.add_article(Document.from_text(done_text), done)
    document = Document.from_text(next_text)
    dataset.add_article(document)
    return dataset, document.id


async def costs_of(dataset: Dataset, doc_id: str, suggest: bool
                   ) -> list[tuple[str, int, bool]]:
    """(label, keys, whether a suggestion was that span) for each reference span."""
    (_, reference), _ = halves()
    reference = in_order(reference)
    wanted = {(s.start, s.end, s.label) for s in reference}
    out: list[tuple[str, int, bool]] = []
    async with GlossApp(dataset, [doc_id]).run_test(size=(120, 40)) as pilot:
        screen = pilot.app.screen
        assert isinstance(screen, ReaderScreen)
        view, model = screen.view, screen.pane.model
        planner = Planner(model, view.layout_.width, view.size.height, AFTER)
        for span in reference:
            if model.find(span.start, span.end, span.label, "alice") is not None:
                out.append((span.label, 0, False))
                continue
            article = await suggested(pilot) if suggest else None
            caret = view.caret
            start = State.of(caret, model)
            keys, _ = planner.plan(start, span, KEYS[span.label])
            offer = next((s for s in article.offered if s.key == span.key[:3]), None) \
                if article is not None else None
            walk = None
            if offer is not None:
                edit = accepting.accept(model, offer)
                if not isinstance(edit, str) and all(
                        c.span.key[:3] in wanted for c in edit.changes):
                    walk, at = 0, caret.cursor
                    while view.selection != (offer.start, offer.end) and walk < 40:
                        walk += 1
                        step = article.step(at, 1)
                        if step is None or step == offer:
                            break
                        at = step.start
            if walk is not None and walk + 1 <= len(keys):
                keys = ["j"] * walk + ["y"]
                await pilot.press(*keys)
            else:
                await pilot.press(*keys)
                made = model.find(span.start, span.end, span.label, "alice")
                assert made is not None, (span.text, keys)
                every = editor.label_every(model, made)
                if not isinstance(every, str) and all(
                        c.span.key[:3] in wanted for c in every.changes):
                    await pilot.press("a")
                    keys.append("a")
            assert model.find(span.start, span.end, span.label, "alice") is not None, keys
            mine = {s.key[:3] for s in model.spans}
            assert mine <= wanted, sorted(mine - wanted)
            out.append((span.label, len(keys), offer is not None))
        await pilot.app.session.wait()
    return out


def table(before: list[tuple[str, int, bool]], after: list[tuple[str, int, bool]]) -> str:
    lines = ["keys per span, the first half of the seed (the second half done):",
             f"  {'label':<9} {'spans':>5} {'before':>7} {'after':>7} {'suggested':>9}"
             f" {'after, suggested':>16}"]
    for label in [*KEYS, "all"]:
        mine_b = [c for lab, c, _ in before if label in (lab, "all")]
        mine_a = [(c, s) for lab, c, s in after if label in (lab, "all")]
        with_s = [c for c, s in mine_a if s]
        if not mine_b:
            continue
        lines.append(f"  {label:<9} {len(mine_b):>5} {statistics.mean(mine_b):>7.2f}"
                     f" {statistics.mean(c for c, _ in mine_a):>7.2f} {len(with_s):>9}"
                     f" {statistics.mean(with_s) if with_s else 0:>16.2f}")
    return "\n".join(lines)


async def test_suggestions_bring_a_second_article_to_two_keys_a_span(tmp_path, monkeypatch):
    dataset, doc_id = dataset_of(tmp_path / "with")
    after = await costs_of(dataset, doc_id, suggest=True)
    with monkeypatch.context() as patched:  # the same reader with nothing suggested
        patched.setattr(Suggestions, "_want", lambda self, articles: None)
        dataset, doc_id = dataset_of(tmp_path / "without")
        before = await costs_of(dataset, doc_id, suggest=False)
    print("\n" + table(before, after))
    suggested_costs = [c for _, c, s in after if s]
    assert suggested_costs and statistics.mean(suggested_costs) <= 2
    assert all(c <= 5 for label, c, _ in after if label == "CLAIM")
    assert sum(c for _, c, _ in after) < sum(c for _, c, _ in before)
