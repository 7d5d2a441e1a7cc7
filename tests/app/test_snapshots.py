"""What the analyst sees, pinned as SVG snapshots (update with --snapshot-update)."""

from pathlib import Path

from tui.app import GlossApp
from tui.core.dataset import Dataset
from tui.core.model import Document, Span

CLAIM = ("Kremlin spokesman Dmitry Peskov said Russia would not withdraw from Zaporizhzhia "
         "before talks in Istanbul.\nKyiv rejected the claim on Tuesday.")
WIDE = ("東京 and Київ: leaders 👩‍👩‍👧 met; flags 🇺🇦 🇷🇺 were raised.\n"
        "Café de l’Europe hosted Zelensky (Зеленський) at 10:00.")


def fixed(text: str, start: int, end: int, label: str) -> Span:
    return Span(start, end, label, text[start:end], "alice", id=f"{label}-{start}",
                created="2026-01-01T00:00:00.000+00:00", updated="2026-01-01T00:00:00.000+00:00")


def build(tmp_path: Path, *texts: str, spans: dict[int, list[tuple[str, str]]]) -> Dataset:
    dataset = Dataset(tmp_path / "db", "alice")
    for n, text in enumerate(texts):
        document = Document.from_text(text)
        marks = []
        for needle, label in spans.get(n, []):
            start = text.index(needle)
            marks.append(fixed(text, start, start + len(needle), label))
        dataset.add_article(document, marks)
    return dataset


def test_nested_spans_are_all_visible(snap_compare, tmp_path):
    dataset = build(tmp_path, CLAIM, spans={0: [
        ("Dmitry Peskov said Russia would not withdraw from Zaporizhzhia", "CLAIM"),
        ("Dmitry Peskov", "ACTOR"), ("Russia", "ACTOR"), ("Zaporizhzhia", "LOCATION"),
        ("Istanbul", "LOCATION"), ("Kyiv", "ACTOR"), ("Kyiv rejected", "CLAIM")]})
    app = GlossApp(dataset, dataset.ids())
    assert snap_compare(app, terminal_size=(110, 16))


def test_side_by_side(snap_compare, tmp_path):
    dataset = build(tmp_path, CLAIM, WIDE, spans={0: [("Dmitry Peskov", "ACTOR")],
                                                  1: [("Київ", "LOCATION")]})
    first, second = (r.id for r in dataset.summaries()[0])
    app = GlossApp(dataset, [first, second])
    assert snap_compare(app, terminal_size=(130, 16))


def test_cjk_emoji_and_flags_are_drawn_and_labelled_whole(snap_compare, tmp_path):
    dataset = build(tmp_path, WIDE, spans={0: [("東京", "LOCATION"), ("👩‍👩‍👧", "ACTOR"),
                                                ("🇺🇦", "LOCATION"), ("Зеленський", "ACTOR")]})
    app = GlossApp(dataset, dataset.ids())
    assert snap_compare(app, terminal_size=(100, 14), press=["shift+right", "shift+right"])
