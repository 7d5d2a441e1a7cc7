"""The figures between sessions (the counts column of the dataset's index): a later
session counts without reading the files that did not change; an index that is broken,
forged, of other labels, a FIFO or behind a link is a miss, never an error and never
wrong; a read-only command never writes it; a broken article is never indexed."""

from __future__ import annotations

import json
import os
import shutil

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.core.index_rows import column, forge, index_path
from tests.core.test_article_index import index_rows
from tests.hostile.attack import TYPES, snapshot
from tests.hostile.test_hostile_inputs import paths, replaced
from tui.core.counts.figures import Figures
from tui.core.document.model import Document, LabelSet, Relation, Span
from tui.core.store.dataset import Dataset
from tui.core.store.index_columns import Kinds, counts
from tui.core.store.tally import Tally

TEXT = "Putin told Trump that Kyiv would talk in Riyadh. Zelensky said Russia lied."


def build(folder) -> Dataset:
    dataset = Dataset(folder, "olena")
    for n in range(3):
        text = f"Article {n}. {TEXT}"
        putin = Span.new(text, text.index("Putin"), text.index("Putin") + 5, "ACTOR", "olena")
        claim = Span.new(text, text.index("Kyiv"), text.index(" in Riyadh"), "CLAIM", "taras")
        dataset.add_article(Document.from_text(text), [putin, claim],
                            [Relation(claim.id, putin.id, "SOURCE", "taras")] if n else [])
    dataset.add_article(Document.from_text("An article without a span yet."))
    dataset.set_status(dataset.ids()[0], "done")
    return dataset


def shown(figures: Figures) -> dict:
    return figures.to_json()


@pytest.fixture
def dataset(tmp_path) -> Dataset:
    return build(tmp_path / "db")


def cache(dataset: Dataset):
    return index_path(dataset)


def no_reading(monkeypatch) -> list[str]:
    read: list[str] = []
    article = Dataset.article
    monkeypatch.setattr(Dataset, "article", lambda self, i: read.append(i) or article(self, i))
    return read


def test_a_later_session_counts_without_reading_the_files(dataset, monkeypatch):
    first = Tally(keep=True).figures(dataset)
    assert cache(dataset).is_file()
    read = no_reading(monkeypatch)
    again = Tally(keep=True).figures(Dataset(dataset.folder, "olena"))
    assert read == [] and shown(again) == shown(first)


def test_an_article_saved_since_is_read_again_and_the_cache_follows(dataset, monkeypatch):
    Tally(keep=True).figures(dataset)
    changed = dataset.ids()[1]
    writer = Dataset(dataset.folder, "maria")
    writer.index.write = False  # a writer that keeps no index (another program)
    writer.new_span(changed, 0, 7, "LOCATION")  # "Article"
    read = no_reading(monkeypatch)
    fresh = Tally(keep=True).figures(dataset)
    assert read == [changed]
    assert fresh.labels["LOCATION"] == 1 and fresh.analysts["maria"] == 1
    read.clear()
    assert shown(Tally().figures(dataset)) == shown(fresh) and read == []


def test_a_read_only_count_never_writes_the_cache(dataset):
    cache(dataset).unlink()
    before = snapshot(dataset.folder)
    Tally(keep=True).figures(Dataset.existing(dataset.folder, "olena"))
    assert snapshot(dataset.folder) == before


def test_a_broken_article_is_never_cached(dataset):
    broken = dataset.path(dataset.ids()[2])
    broken.write_bytes(b'{"article": 5}')
    figures = Tally(keep=True).figures(dataset)
    assert len(figures.problems) == 1 and str(broken) in figures.problems[0]
    assert index_rows(dataset)[broken.stem] != dataset.stamp(broken.stem)  # never trusted
    assert Tally(keep=True).figures(dataset).problems == figures.problems


def test_claims_of_other_labels_are_a_miss(dataset, monkeypatch):
    Tally(keep=True).figures(dataset)
    dataset.replace_labels(LabelSet.from_names(["ACTOR", "LOCATION"]))
    read = no_reading(monkeypatch)
    figures = Tally(keep=True).figures(Dataset(dataset.folder, "olena"))
    assert len(read) == 4 and figures.claims == {}


@pytest.mark.parametrize("kind", ["fifo", "folder", "garbage", "link"])
def test_a_cache_that_is_not_one_is_a_miss_and_never_hangs(dataset, tmp_path, kind):
    fresh = shown(Tally().figures(dataset))
    where = cache(dataset)
    shutil.rmtree(where.parent)
    where.parent.mkdir()
    if kind == "fifo":
        os.mkfifo(where)
    elif kind == "folder":
        where.mkdir()
    elif kind == "garbage":
        where.write_bytes(b"\xff{not json")
    else:  # .cache a link elsewhere: read as a miss, never written through
        where.parent.rmdir()
        elsewhere = tmp_path / "elsewhere"
        elsewhere.mkdir()
        where.parent.symlink_to(elsewhere)
    assert shown(Tally(keep=True).figures(dataset)) == fresh
    if kind == "link":
        assert list((tmp_path / "elsewhere").iterdir()) == []


@pytest.mark.parametrize("kind", list(TYPES))
def test_every_field_of_a_row_replaced_by_every_json_type(dataset, kind):
    """A forged row (its signature still right): one of another shape is a miss, and the
    figures are those of the files; one of the same shape is taken (the index is trusted
    as far as its signatures), and nothing ever fails."""
    fresh = shown(Tally().figures(dataset))
    doc_id = dataset.ids()[1]
    data = column(dataset, doc_id, "counts")
    for where in paths(data):
        value = data
        for step in where:
            value = value[step]
        raw = TYPES[kind]
        forge(dataset, doc_id, "counts", replaced(data, where, raw))
        again = shown(Tally().figures(Dataset.existing(dataset.folder, "olena")))
        same_shape = type(value) is type(orjson.loads(raw)) if kind not in ("nan", "huge") \
            else False
        if not same_shape:
            assert again == fresh, (where, kind)


KINDS = [  # a counts row but its title and when added: two that check out, two that do not
    [{"a": "done"}, 2, {"ACTOR": 2}, {"a": 2}, [["a", "2026-01-01T08", 2]], [["a", 1, 0]], []],
    [{}, 0, {}, {}, [], [], [["pattern", 1, 2]]],
    [{}, 3, {"ACTOR": 2}, {"a": 2}, [], [], []],  # its spans do not add up
    [{}, "3", {}, {}, [], [], []],
]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.text(), st.integers(-2**40, 2**40), st.sampled_from(KINDS),
                          st.booleans()), max_size=20))
def test_a_counts_row_found_by_its_bytes_is_the_row_decoded_whole(rows):
    """The stats decode each kind of counts once and find the next row of that kind by
    its bytes after the title and when added: whatever the title (quotes, controls, any
    script) and however the row is written (as the writers write it, or by hand with
    spaces), each row says what it says decoded whole."""
    kinds = Kinds()
    for title, added, kind, spaced in rows:
        blob = (json.dumps([title, added, *kind]).encode() if spaced
                else orjson.dumps([title, added, *kind]))
        got, whole = kinds("id", blob), counts("id", blob)
        if whole is None:
            assert got is None
            continue
        assert got is not None and got[0] == title
        made = kinds.kinds[got[1]]
        assert made is not None
        assert (made.status, made.spans, made.labels, made.analysts, made.hours,
                made.claims, made.origins) == (whole.status, whole.spans, whole.labels,
                                               whole.analysts, whole.hours, whole.claims,
                                               whole.origins)
