"""Export, import into an empty dataset, export again: the same data, for every format that
can hold it, on text that breaks naive offset code (emoji, flags, CJK, accents, Cyrillic)."""

import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui import interchange
from tui.core.document.model import Document, Relation, Span
from tui.core.language.text import is_grapheme_boundary, normalise
from tui.core.store.corpus import Notes, import_articles
from tui.core.store.dataset import Dataset
from tui.core.store.export_selection import Choice

PIECES = ["👩‍👩‍👧", "🇺🇦", "e\u0301", "Київ", "東京", "Zelensky", "said", "Putin’s", "talks",
          "😀", "ceasefire", "İstanbul"]
# A text of words between single spaces and line breaks, so every format can hold it.
texts = st.lists(st.sampled_from(PIECES), min_size=2, max_size=14).flatmap(
    lambda words: st.lists(st.sampled_from([" ", " ", " ", "\n"]), min_size=len(words) - 1,
                           max_size=len(words) - 1).map(
        lambda gaps: normalise(words[0] + "".join(g + w for g, w in zip(gaps, words[1:],
                                                                         strict=True)))))

SETTINGS = settings(max_examples=40, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])


def word_edges(text: str) -> list[tuple[int, int]]:
    out, start = [], 0
    for i, ch in enumerate(text + " "):
        if ch in " \n":
            if i > start:
                out.append((start, i))
            start = i + 1
    return out


@st.composite
def articles(draw, overlapping: bool = True):
    text = draw(texts)
    words = word_edges(text)
    chosen = draw(st.lists(st.sampled_from(words), max_size=4, unique=True))
    spans = []
    for start, end in chosen:
        label = draw(st.sampled_from(["ACTOR", "CLAIM", "LOCATION"]))
        spans.append(Span.new(text, start, end, label, "alice"))
    if overlapping and len(words) > 2 and draw(st.booleans()):
        # a claim over several words, nesting whatever lies inside
        spans.append(Span.new(text, words[0][0], words[2][1], "CLAIM", "alice"))
    if not overlapping:
        spans = sorted(spans, key=lambda s: s.start)
    return text, spans


def dataset_with(tmp: Path, text: str, spans: list[Span],
                 relations: list[Relation] | None = None) -> Dataset:
    dataset = Dataset(tmp, "alice")
    dataset.add_article(Document.from_text(text, {"source": "test"}), spans, relations or [])
    return dataset


# Every article, an article without spans too (`gloss export --all`): the round trip of
# what was labelled is the point here (tests/formats/test_statuses.py: which are exported)
EVERY = Choice(every=True)


def exported(dataset: Dataset, name: str, tmp: Path) -> bytes:
    fmt = interchange.get(name)
    if fmt.write_folder:
        folder = tmp / "out"
        interchange.export_file(dataset, folder, name, choice=EVERY)
        return b"".join(p.name.encode() + p.read_bytes() for p in sorted(folder.iterdir()))
    out = io.BytesIO()
    interchange.export(dataset, out, name, choice=EVERY)
    return out.getvalue()


def reimported(dataset: Dataset, name: str, tmp: Path) -> Dataset:
    tmp.mkdir(parents=True, exist_ok=True)
    fmt = interchange.get(name)
    source = tmp / ("out" if fmt.write_folder else f"out.{name}")
    if fmt.write_folder:
        interchange.export_file(dataset, source, name, choice=EVERY)
    else:
        source.write_bytes(exported(dataset, name, tmp))
    again = Dataset(tmp / "again", "alice")
    import_articles(again, list(fmt.read(source, Notes())), "test")
    return again


def spans_of(dataset: Dataset) -> list[tuple[str, int, int, str, str]]:
    [article] = [a for a in dataset.articles()]
    text = article.document.text
    return sorted((text, s.start, s.end, s.label, text[s.start:s.end]) for s in article.spans)


@pytest.mark.parametrize("name", ["jsonl", "doccano", "labelstudio", "brat"])
@SETTINGS
@given(case=articles())
def test_lossless_formats_round_trip(tmp_path_factory, name, case):
    tmp = tmp_path_factory.mktemp(name)
    text, spans = case
    original = dataset_with(tmp / "one", text, spans)
    again = reimported(original, name, tmp)
    assert spans_of(again) == spans_of(original)
    for _, start, end, _, _ in spans_of(again):
        assert is_grapheme_boundary(text, start) and is_grapheme_boundary(text, end)
    assert exported(again, name, tmp / "x") == exported(original, name, tmp / "y") or \
        name == "brat"  # brat file names come from the source, which a round trip renames


@SETTINGS
@given(case=articles(overlapping=False))
def test_conll_round_trip_keeps_the_spans(tmp_path_factory, case):
    tmp = tmp_path_factory.mktemp("conll")
    text, spans = case
    original = dataset_with(tmp / "one", text, spans)
    first = exported(original, "conll", tmp)
    again = reimported(original, "conll", tmp)
    # CoNLL keeps tokens, not the spacing between them ("Putin’s" comes back "Putin ’s"):
    # the labels cover the same characters, and a second round is byte for byte the same.
    def squeezed(dataset):
        return [(s[3], "".join(s[4].split())) for s in spans_of(dataset)]

    assert squeezed(again) == squeezed(original)
    assert exported(again, "conll", tmp / "x") == first


def test_what_iob_cannot_hold_is_counted_never_dropped_silently(tmp_path):
    text = "Putin met Zelensky in Istanbul"
    spans = [Span.new(text, 0, 18, "CLAIM", "alice"), Span.new(text, 0, 5, "ACTOR", "alice"),
             Span.new(text, 1, 5, "ACTOR", "alice")]
    report = interchange.export(dataset_with(tmp_path, text, spans), io.BytesIO(), "conll")
    assert sorted(report.warnings) == [
        "1 overlapping spans left out of CoNLL (one label a token)",
        "1 spans off token edges left out of CoNLL"]


def test_doccano_counts_utf16_units_and_label_studio_code_points(tmp_path):
    """doccano's annotator counts JavaScript string offsets; Label Studio's Text tag counts
    code points (its own tests put an emoji at one), as its converters slice in Python."""
    text = "😀 Kyiv 🇺🇦 Odesa"
    spans = [Span.new(text, 2, 6, "LOCATION", "alice"), Span.new(text, 10, 15, "LOCATION",
                                                                  "alice")]
    dataset = dataset_with(tmp_path, text, spans)
    doccano = exported(dataset, "doccano", tmp_path)
    assert b'"label":[[3,7,"LOCATION"],[13,18,"LOCATION"]]' in doccano
    assert text.encode("utf-16-le")[3 * 2:7 * 2].decode("utf-16-le") == "Kyiv"
    studio = exported(dataset, "labelstudio", tmp_path)
    assert b'"start":10,"end":15,"text":"Odesa"' in studio
    assert text[10:15] == "Odesa"


def test_relations_survive_brat_doccano_prodigy_and_label_studio(tmp_path):
    text = "Terry Pratchett lives in England."
    head, child = Span.new(text, 0, 15, "ACTOR", "alice"), Span.new(text, 25, 32,
                                                                    "LOCATION", "alice")
    dataset = dataset_with(tmp_path / "one", text, [head, child],
                           [Relation(head.id, child.id, "Located", "alice")])
    for name in ("brat", "doccano", "jsonl", "labelstudio"):
        again = reimported(dataset, name, tmp_path / name)
        [article] = list(again.articles())
        [relation] = article.relations
        by_id = {s.id: s.text for s in article.spans}
        assert (by_id[relation.head], by_id[relation.child], relation.label) == (
            "Terry Pratchett", "England", "Located"), name


VALUES = st.text(st.characters(codec="utf-8", categories=("L", "N", "P", "Zs", "S")),
                 min_size=1, max_size=12).filter(lambda v: v.strip() and v.isprintable())


@st.composite
def claims(draw):
    """An article with claims linked to their sources and places, and attributes."""
    text, spans = draw(articles(overlapping=False))
    spans = [span.with_attribute("canonical", draw(VALUES)) if draw(st.booleans())
             else span for span in spans]
    if spans and draw(st.booleans()):
        spans[0] = spans[0].with_attribute("quote", draw(st.sampled_from(
            ["direct", "indirect", "none"])))
    relations = []
    if len(spans) >= 2:
        for child in spans[1:]:
            label = draw(st.sampled_from(["SOURCE", "ABOUT"]))
            relations.append(Relation(spans[0].id, child.id, label, "alice"))
    return text, spans, relations


def links_of(dataset: Dataset) -> tuple[list, list]:
    [article] = list(dataset.articles())
    by_id = {s.id: (s.start, s.end, s.label) for s in article.spans}
    attributes = sorted((by_id[s.id], s.attributes) for s in article.spans)
    links = sorted((by_id[r.head], by_id[r.child], r.label) for r in article.relations)
    return attributes, links


@pytest.mark.parametrize("name", ["jsonl", "doccano", "labelstudio", "brat"])
@SETTINGS
@given(case=claims())
def test_relations_and_attributes_round_trip(tmp_path_factory, name, case):
    tmp = tmp_path_factory.mktemp(name)
    text, spans, relations = case
    original = dataset_with(tmp / "one", text, spans, relations)
    again = reimported(original, name, tmp)
    assert spans_of(again) == spans_of(original)
    assert links_of(again) == links_of(original)
