"""What the analyst sees, pinned as SVG snapshots (update with --snapshot-update, then look
at each SVG you accept)."""

from pathlib import Path

import pytest
from rich.color import Color, ColorSystem
from rich.segment import Segment
from rich.style import Style
from rich.terminal_theme import DEFAULT_TERMINAL_THEME
from textual.color import Color as TextualColor
from textual.filter import LineFilter

from tests.app.seed_reference import SEED, reference_spans
from tui.app import GlossApp
from tui.core.document.model import Document, Relation, Span
from tui.core.store.dataset import Dataset
from tui.widgets.palette import ANSI16

CLAIM = ("Kremlin spokesman Dmitry Peskov said Russia would not withdraw from Zaporizhzhia "
         "before talks in Istanbul.\nKyiv rejected the claim on Tuesday.")
WIDE = ("東京 and Київ: leaders 👩‍👩‍👧 met; flags 🇺🇦 🇷🇺 were raised.\n"
        "Café de l’Europe hosted Zelensky (Зеленський) at 10:00.")
NESTED = [("Dmitry Peskov said Russia would not withdraw from Zaporizhzhia", "CLAIM"),
          ("Russia would not withdraw", "CLAIM"), ("Dmitry Peskov", "ACTOR"),
          ("Russia", "ACTOR"), ("Zaporizhzhia", "LOCATION"), ("Istanbul", "LOCATION"),
          ("Kyiv", "ACTOR"), ("Kyiv rejected", "CLAIM")]


def fixed(text: str, start: int, end: int, label: str, who: str = "alice") -> Span:
    return Span(start, end, label, text[start:end], who, id=f"{label}-{start}-{end}",
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


def seed(tmp_path: Path, upto: int) -> Dataset:
    """The seed article with the first ``upto`` spans of the reference annotation."""
    text = SEED.read_text(encoding="utf-8")
    dataset = Dataset(tmp_path / "db", "olena")
    spans = [fixed(text, s.start, s.end, s.label, "olena")
             for s in reference_spans(text, "olena")[:upto]]
    dataset.add_article(Document.from_text(text, {"source": SEED.name}), spans)
    return dataset


class Terminal16(LineFilter):
    """What a 16-colour terminal shows: every colour turned into the nearest of its 16."""

    def apply(self, segments: list[Segment], background: TextualColor) -> list[Segment]:
        return [Segment(text, style and Style.chain(style, Style(
            color=_sixteen(style.color), bgcolor=_sixteen(style.bgcolor))), control)
            for text, style, control in segments]


def _sixteen(colour: Color | None) -> Color | None:
    if colour is None or colour.is_default:
        return colour
    standard = colour.downgrade(ColorSystem.STANDARD)
    return Color.from_triplet(standard.get_truecolor(DEFAULT_TERMINAL_THEME))


class Gloss16(GlossApp):
    def get_line_filters(self) -> list[LineFilter]:
        return [*super().get_line_filters(), Terminal16()]


def test_nested_spans_are_all_visible(snap_compare, tmp_path):
    dataset = build(tmp_path, CLAIM, spans={0: NESTED})
    app = GlossApp(dataset, dataset.ids())
    assert snap_compare(app, terminal_size=(110, 16), press=["tab", "tab"])


def test_nested_spans_in_sixteen_colours(snap_compare, tmp_path):
    dataset = build(tmp_path, CLAIM, spans={0: NESTED})
    app = Gloss16(dataset, dataset.ids(), colours=ANSI16)
    assert snap_compare(app, terminal_size=(110, 16), press=["tab", "tab"])


def test_nested_spans_without_colour(snap_compare, tmp_path, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    dataset = build(tmp_path, CLAIM, spans={0: NESTED})
    app = GlossApp(dataset, dataset.ids())
    assert snap_compare(app, terminal_size=(110, 16), press=["tab", "tab"])


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


@pytest.mark.parametrize("size", [(80, 24), (200, 50)])
def test_the_reader(snap_compare, tmp_path, size):
    dataset = seed(tmp_path, 20)
    app = GlossApp(dataset, dataset.ids())
    assert snap_compare(app, terminal_size=size, press=["slash", *"kursk", "enter"])


def test_two_articles_at_200_by_50(snap_compare, tmp_path):
    dataset = seed(tmp_path, 30)
    dataset.add_article(Document.from_text(CLAIM), [fixed(CLAIM, 0, 7, "ACTOR")])
    first, second = dataset.ids()
    app = GlossApp(dataset, [first, second])
    assert snap_compare(app, terminal_size=(200, 50))


@pytest.mark.parametrize("size", [(80, 24), (200, 50)])
def test_the_library(snap_compare, tmp_path, monkeypatch, size):
    monkeypatch.chdir(tmp_path)  # the folder's name is on screen: the same every run
    dataset = seed(Path(), 12)
    dataset.add_article(Document.from_text(CLAIM))
    dataset.add_article(Document.from_text("A title far too long to fit in eighty columns, "
                                           "about Zaporizhzhia, Kursk and the Sumy region\n"
                                           "and the text below it."))
    (dataset.folder / ("0" * 16 + ".json")).write_text("{", encoding="utf-8")  # broken
    app = GlossApp(dataset)
    assert snap_compare(app, terminal_size=size)


def linked(tmp_path: Path) -> Dataset:
    """The claim of CLAIM with its source (Peskov) and place (Zaporizhzhia) linked."""
    dataset = Dataset(tmp_path / "db", "alice")
    spans = {}
    for needle, label in NESTED:
        start = CLAIM.index(needle)
        spans[needle] = fixed(CLAIM, start, start + len(needle), label)
    claim = spans["Russia would not withdraw"].with_attribute("source_kind", "actor")
    spans["Russia would not withdraw"] = claim
    spans["Dmitry Peskov"] = spans["Dmitry Peskov"].with_attribute("canonical", "Dmitry Peskov")
    links = [Relation(claim.id, spans["Dmitry Peskov"].id, "SOURCE", "alice", id="r1"),
             Relation(claim.id, spans["Zaporizhzhia"].id, "ABOUT", "alice", id="r2")]
    dataset.add_article(Document.from_text(CLAIM), list(spans.values()), links)
    return dataset


def test_a_linked_claim_shows_its_source_and_place(snap_compare, tmp_path):
    """The cursor on the claim: Peskov and Zaporizhzhia marked in the text, and the list
    says `claim ← source @ place`; the claim with no source yet says `← ?`."""
    dataset = linked(tmp_path)
    app = GlossApp(dataset, dataset.ids())
    assert snap_compare(app, terminal_size=(110, 16), press=["tab", "tab", "tab"])


def test_a_link_key_highlights_the_likeliest_source(snap_compare, tmp_path):
    dataset = build(tmp_path, CLAIM, spans={0: NESTED})
    app = GlossApp(dataset, dataset.ids())
    assert snap_compare(app, terminal_size=(110, 16), press=["tab", "tab", "tab", "w"])


@pytest.mark.parametrize("size", [(80, 24), (200, 50)])
def test_the_reader_with_suggestions(snap_compare, tmp_path, size):
    """The seed with its first eight spans: the rest of its names and its claims are
    suggested, dim and underlined, listed under the spans, counted in the status; j has
    selected the first."""
    dataset = seed(tmp_path, 8)
    app = GlossApp(dataset, dataset.ids())
    assert snap_compare(app, terminal_size=size, press=["j"])


def test_the_reader_with_suggestions_without_colour(snap_compare, tmp_path, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    dataset = seed(tmp_path, 8)
    app = GlossApp(dataset, dataset.ids())
    assert snap_compare(app, terminal_size=(80, 24), press=["j"])
