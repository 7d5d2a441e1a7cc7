"""The figures of a dataset (tui/core/counts/figures.py): what the stats screen, `gloss stats
--plot` and `--format json` show, counted from the files' rows and checked against the
same figures counted the slow way, from Span objects."""

from __future__ import annotations

import statistics
from collections import Counter

import orjson
from hypothesis import given, settings
from hypothesis import strategies as st

from tui.core.counts.figures import HOURS_SHOWN, ArticleCounts, figures, grouped, numbers
from tui.core.document.model import Document, LabelSet, Relation, Span
from tui.core.store.dataset import Dataset
from tui.core.store.tally import Tally

TEXT = "Putin told Trump that Kyiv would talk in Riyadh. Zelensky said Russia lied. " * 3


def span(text: str, word: str, label: str, who: str, created: str = "2026-03-02T09:15:00.000"
         "+00:00", source: str = "gloss", nth: int = 0) -> Span:
    start = -1
    for _ in range(nth + 1):
        start = text.index(word, start + 1)
    return Span(start, start + len(word), label, word, who, source, created=created,
                updated=created)


def build(tmp_path) -> tuple[Dataset, list[str]]:
    """Three articles: one labelled by olena and taras (a claim with a source, one with a
    source kind, one to do), one by olena only, one without spans; statuses."""
    dataset = Dataset(tmp_path / "db", "olena")
    texts = [TEXT, TEXT + "More.", TEXT + "Empty."]
    a = [span(texts[0], "Putin", "ACTOR", "olena"),
         span(texts[0], "Kyiv would talk", "CLAIM", "olena", "2026-03-02T09:59:59.999+00:00"),
         span(texts[0], "Zelensky", "ACTOR", "taras", "2026-03-02T11:00:00.000+00:00"),
         span(texts[0], "Russia lied", "CLAIM", "taras", "2026-03-02T11:30:00.000+00:00")
         .with_attribute("source_kind", "unnamed"),
         span(texts[0], "Riyadh", "CLAIM", "taras", "2026-03-02T11:31:00.000+00:00"),
         span(texts[0], "Riyadh", "LOCATION", "olena", "2026-03-01T08:00:00.000+00:00",
              source="import.jsonl")]
    b = [span(texts[1], "Trump", "ACTOR", "olena", "2026-03-03T10:00:00.000+00:00"),
         span(texts[1], "Trump", "PERSON", "olena", "2026-03-03T10:01:00.000+00:00"),
         span(texts[1], "Putin", "ACTOR", "olena", "not a time")]
    relations = [Relation(a[1].id, a[0].id, "SOURCE", "olena")]
    dataset.add_articles([(Document.from_text(texts[0], {"title": "First"}), a, relations),
                          (Document.from_text(texts[1], {"title": "Second"}), b, []),
                          (Document.from_text(texts[2], {"title": "Third"}), [], [])])
    ids = [Document.from_text(t).id for t in texts]
    dataset.set_status(ids[0], "done")
    dataset.set_status(ids[1], "skipped")
    Dataset(dataset.folder, "taras").set_status(ids[0], "done")
    return dataset, ids


def test_the_figures_of_a_small_dataset(tmp_path):
    dataset, ids = build(tmp_path)
    found = Tally().figures(dataset)
    assert (found.articles, found.spans) == (3, 9)
    assert found.progress == {
        "olena": {"done": 1, "skipped": 1, "reviewed": 0, "todo": 1},
        "taras": {"done": 1, "skipped": 0, "reviewed": 0, "todo": 2}}
    # the label set's order first, then a label the set does not have
    assert found.labels == {"ACTOR": 4, "CLAIM": 3, "LOCATION": 1, "PERSON": 1}
    assert found.analysts == {"olena": 6, "taras": 3}
    # a team: each analyst's version of an article is counted on its own (First: 3 and 3)
    assert found.per_analyst and found.per_article == [3, 3, 3, 0]
    assert (found.median, found.empty, found.heavy) == (3, 1, 0)
    assert found.heaviest == [(ids[0], "First (olena)", 3), (ids[0], "First (taras)", 3),
                              (ids[1], "Second (olena)", 3)]
    # labelled in Gloss only (not the import), by the hour they were made, UTC; a time
    # edited by hand is left out
    assert found.hours == {"olena": {"2026-03-02T09": 2, "2026-03-03T10": 2},
                           "taras": {"2026-03-02T11": 3}}
    # a SOURCE link or a source kind: sourced; neither: to do
    assert found.claims == {"olena": (1, 0), "taras": (1, 1)}
    assert found.claim_labels == ("CLAIM",)
    assert found.problems == []


def test_the_numbers_beside_the_plots(tmp_path):
    dataset, _ = build(tmp_path)
    shown = dict(numbers(Tally().figures(dataset)))
    assert shown["progress"] == [
        "olena: 1 done (33.3 %), 1 skipped, 0 reviewed, 1 to do",
        "taras: 1 done (33.3 %), 0 skipped, 0 reviewed, 2 to do"]
    assert shown["labels"] == ["ACTOR: 4 (44.4 %)", "CLAIM: 3 (33.3 %)",
                               "LOCATION: 1 (11.1 %)", "PERSON: 1 (11.1 %)",
                               "all: 9 (every analyst's: olena 6, taras 3)"]
    assert shown["per article"] == [
        "4 analysts' versions of 3 articles: min 0, median 3, max 3", "1 without a span",
        "0 with over 2x the median", "most spans:", "3: First (olena)", "3: First (taras)",
        "3: Second (olena)"]
    assert shown["per hour"] == [
        "olena: 4 spans in 2 hours; 2 an hour (median), best 2 (2026-03-02 09h)",
        "taras: 3 spans in 1 hours; 3 an hour (median), best 3 (2026-03-02 11h)"]
    assert shown["claims"] == ["3 claims: 2 with a source (66.7 %), 1 without",
                               "olena: 1 with, 0 without", "taras: 1 with, 1 without"]


def test_an_empty_dataset_and_the_analyst_who_looks(tmp_path):
    found = Tally().figures(Dataset(tmp_path / "nothing", "olena", read_only=True))
    assert found.articles == 0 and found.histogram() == [] and found.hourly("olena") == []
    assert found.progress == {"olena": {"done": 0, "skipped": 0, "reviewed": 0, "todo": 0}}
    assert dict(numbers(found))["per hour"] == ["no span labelled in Gloss yet"]


def test_a_label_set_without_claims_says_so(tmp_path):
    dataset = Dataset(tmp_path / "db", "olena")
    dataset.replace_labels(dataset.labels.__class__.from_names(["PER", "LOC"]))
    dataset.add_article(Document.from_text(TEXT), [span(TEXT, "Putin", "PER", "olena")])
    found = Tally().figures(dataset)
    assert found.claim_labels == () and found.claims == {}
    assert dict(numbers(found))["claims"] == [
        "no label is a claim (a SOURCE link goes from none)"]


def test_unbalanced_articles_and_the_histogram(tmp_path):
    dataset = Dataset(tmp_path / "db", "olena")
    sizes = [0, 4, 5, 5, 6, 30]
    items = []
    for n, size in enumerate(sizes):
        text = f"Article {n}. " + "Kyiv and Moscow. " * 30
        items.append((Document.from_text(text), [
            span(text, "Kyiv", "LOCATION", "olena", nth=k) for k in range(size)], []))
    dataset.add_articles(items)
    found = Tally().figures(dataset)
    assert sorted(found.per_article) == sizes
    assert (found.median, found.empty, found.heavy) == (5, 1, 1)  # 30 > 2 x 5
    bins = found.histogram(bins=6)
    assert sum(b.articles for b in bins) == len(sizes)
    assert bins[0].low == 0 and bins[-1].high >= 30
    assert all(b.high - b.low == bins[0].high - bins[0].low for b in bins)
    assert [b.articles for b in bins if b.low <= 30 <= b.high] == [1]


def test_hours_are_every_hour_of_at_least_a_day_and_at_most_two_weeks(tmp_path):
    dataset = Dataset(tmp_path / "db", "olena")
    text = TEXT
    spans = [span(text, "Putin", "ACTOR", "olena", "2026-01-01T08:00:00.000+00:00"),
             span(text, "Trump", "ACTOR", "olena", "2026-02-01T08:10:00.000+00:00"),
             span(text, "Trump", "ACTOR", "olena", "2026-02-01T08:20:00.000+00:00", nth=1),
             span(text, "Kyiv", "LOCATION", "taras", "2026-02-01T10:00:00.000+00:00")]
    dataset.add_article(Document.from_text(text), spans)
    found = Tally().figures(dataset)
    olena = found.hourly("olena")
    assert len(olena) == HOURS_SHOWN  # January is more than two weeks before February
    assert olena[-1] == ("2026-02-01T10", 0)  # up to the last hour anyone labelled
    assert ("2026-02-01T08", 2) in olena and sum(n for _, n in olena) == 2
    taras = found.hourly("taras")
    assert len(taras) == 24 and taras[-1] == ("2026-02-01T10", 1)  # a day at least


def test_a_count_again_reads_only_the_files_that_changed(tmp_path, monkeypatch):
    dataset, ids = build(tmp_path)
    tally = Tally()
    first = tally.figures(dataset)
    read: list[str] = []
    article = Dataset.article
    monkeypatch.setattr(Dataset, "article", lambda self, i: read.append(i) or article(self, i))
    assert tally.figures(dataset) is first  # nothing changed: the same figures
    assert read == []
    Dataset(dataset.folder, "taras").new_span(ids[1], 0, 5, "ACTOR")  # "Putin"
    read.clear()  # the save's own read
    again = tally.figures(dataset)
    assert read == []  # the save kept the article's row of the index
    writer = Dataset(dataset.folder, "olena")
    writer.index.write = False  # a writer that keeps no index: its file is read again
    writer.new_span(ids[1], 6, 10, "ACTOR")
    read.clear()
    assert tally.figures(dataset).labels["ACTOR"] == again.labels["ACTOR"] + 1
    assert read == [ids[1]]
    assert again.labels["ACTOR"] == first.labels["ACTOR"] + 1
    assert again.analysts["taras"] == first.analysts["taras"] + 1
    dataset.path(ids[2]).unlink()  # an article removed
    assert tally.figures(dataset).articles == 2


def test_a_broken_file_is_named_and_the_rest_counted(tmp_path):
    dataset, ids = build(tmp_path)
    tally = Tally()
    tally.figures(dataset)
    dataset.path(ids[1]).write_bytes(b'{"article": 5}')
    found = tally.figures(dataset)
    assert found.articles == 2 and found.spans == 6
    assert found.problems == Dataset.existing(dataset.folder, "x").summaries()[1]
    assert str(dataset.path(ids[1])) in found.problems[0]


def test_json_holds_every_figure(tmp_path):
    dataset, _ = build(tmp_path)
    data = orjson.loads(orjson.dumps(Tally().figures(dataset).to_json()))
    assert data["articles"] == 3 and data["spans"] == 9
    assert data["progress"]["taras"] == {"done": 1, "skipped": 0, "reviewed": 0, "todo": 2}
    assert data["spans_per_article"]["histogram"][0] == {"from": 0, "to": 0, "articles": 1}
    assert data["spans_per_article"]["heaviest"][0]["title"] == "First (olena)"
    assert data["spans_per_article"]["per"] == "analyst"
    assert data["spans_per_hour"]["taras"] == {"2026-03-02T11": 3}
    assert data["claims"]["by_analyst"]["taras"] == {"sourced": 1, "todo": 1}


WORDS = ["Putin", "Trump", "Kyiv", "Riyadh", "Zelensky", "Russia"]


@settings(max_examples=30)
@given(st.lists(st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from(
    ["ACTOR", "CLAIM", "LOCATION", "OTHER"]), st.sampled_from(["olena", "taras"]),
    st.integers(0, 47), st.booleans(), st.booleans()), max_size=12), max_size=6),
    st.lists(st.tuples(st.integers(0, 5), st.sampled_from(["olena", "taras", "maria"]),
                       st.sampled_from(["done", "skipped", "reviewed", "todo"])),
             max_size=8))
def test_figures_are_those_counted_from_spans(tmp_path_factory, articles, statuses):
    """Counted from rows, the figures are those counted the slow way from Span objects."""
    dataset = Dataset(tmp_path_factory.mktemp("db") / "db", "olena")
    items = []
    for n, marks in enumerate(articles):
        text = f"Article {n}. {TEXT}"
        spans: dict[tuple, Span] = {}
        for word, label, who, hour, imported, kind in marks:
            made = span(text, word, label, who, f"2026-03-{1 + hour // 24:02d}T"
                        f"{hour % 24:02d}:00:00.000+00:00", "x.jsonl" if imported else "gloss")
            made = made.with_attribute("source_kind", "unnamed") if kind else made
            spans.setdefault(made.key, made)
        kept = list(spans.values())
        links = [Relation(c.id, a.id, "SOURCE", c.annotator) for c, a in zip(
            [s for s in kept if s.label == "CLAIM"][::2],
            [s for s in kept if s.label == "ACTOR"], strict=False)]
        items.append((Document.from_text(text), kept, links))
    if items:
        dataset.add_articles(items)
    ids = dataset.ids()
    for which, who, status in statuses:
        if which < len(ids):
            Dataset(dataset.folder, who).set_status(ids[which], status)

    found = Tally().figures(dataset)
    read = list(Dataset.existing(dataset.folder, "olena").articles()) if ids else []
    every = [s for a in read for s in a.spans]
    assert found.spans == len(every)
    assert {k: v for k, v in found.labels.items() if v} == Counter(s.label for s in every)
    assert found.analysts == Counter(s.annotator for s in every)
    team = any(len({s.annotator for s in a.spans}) > 1 for a in read)
    versions = [n for a in read for n in (
        Counter(s.annotator for s in a.spans).values()
        if team and len({s.annotator for s in a.spans}) > 1 else [len(a.spans)])]
    assert sorted(found.per_article) == sorted(versions)
    assert found.median == (statistics.median(versions) if read else 0)
    hours = Counter((s.annotator, s.created[:13]) for s in every if s.source == "gloss")
    assert {(w, h): n for w, hs in found.hours.items() for h, n in hs.items()} == hours
    sourced = {r.head for a in read for r in a.relations if r.label == "SOURCE"}
    claims = Counter((s.annotator, s.id in sourced or s.attribute("source_kind") is not None)
                     for s in every if s.label == "CLAIM")
    assert found.claims == {w: (claims[w, True], claims[w, False])
                            for w in sorted({w for w, _ in claims})}
    for who, progress in found.progress.items():
        for status in ("done", "skipped", "reviewed"):
            assert progress[status] == sum(a.status.get(who) == status for a in read)
        assert sum(progress.values()) == len(read)


KIND = st.builds(
    lambda status, labels, analysts, hours, claims, origins: (
        status, labels, analysts, hours, claims, origins),
    st.dictionaries(st.sampled_from(["olena", "taras"]),
                    st.sampled_from(["done", "skipped", "reviewed"]), max_size=2),
    st.dictionaries(st.sampled_from(["ACTOR", "CLAIM", "PERSON"]), st.integers(1, 9),
                    max_size=3),
    st.dictionaries(st.sampled_from(["olena", "taras", "review"]), st.integers(1, 9),
                    max_size=3),
    st.lists(st.tuples(st.sampled_from(["olena", "taras"]),
                       st.sampled_from(["2026-03-02T09", "2026-03-02T10", "not a time"]),
                       st.integers(1, 5)), max_size=3),
    st.lists(st.tuples(st.sampled_from(["olena", "taras"]), st.integers(0, 3),
                       st.integers(0, 3)), max_size=2),
    st.lists(st.tuples(st.sampled_from(["seen", "cues"]), st.integers(0, 3),
                       st.integers(0, 3)), max_size=2))


@settings(max_examples=60)
@given(st.lists(KIND, min_size=1, max_size=4),
       st.lists(st.tuples(st.integers(0, 3), st.sampled_from(["A", "B"]), st.integers(0, 3)),
                max_size=40))
def test_counted_by_kind_the_figures_are_those_counted_one_by_one(kinds, articles):
    """``grouped`` (the stats of many articles, each kind of counts added once) makes the
    figures ``figures`` makes over every article on its own, but for per_article's order."""
    counts, groups = [], {}
    for n, (which, title, added) in enumerate(articles):
        status, labels, analysts, hours, claims, origins = kinds[which % len(kinds)]
        made = ArticleCounts(f"{n:04x}{which}", title, added, status, sum(labels.values()),
                             labels, analysts, hours, claims, origins)
        counts.append(made)
        groups.setdefault(which % len(kinds), (made, []))[1].append((made.id, title))
    labels = LabelSet.default()
    one = figures(sorted(counts, key=lambda c: (c.added, c.id)), labels, "db", "olena")
    many = grouped(list(groups.values()), labels, "db", "olena")
    assert sorted(many.per_article) == sorted(one.per_article)
    many.per_article = one.per_article
    assert many == one
    assert many.to_json() == one.to_json() and list(numbers(many)) == list(numbers(one))
