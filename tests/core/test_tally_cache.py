"""The figures' cache between sessions (.cache/figures.json): a later session counts
without reading the files that did not change; a cache that is broken, forged, of other
labels, a FIFO or behind a link is a miss, never an error and never wrong; a read-only
command never writes it; a broken article is never cached."""

from __future__ import annotations

import os

import orjson
import pytest

from tests.hostile.attack import TYPES, snapshot
from tests.hostile.test_hostile_inputs import paths, replaced
from tui.core.counts.figures import Figures
from tui.core.counts.tally import NAME, Tally
from tui.core.document.model import Document, LabelSet, Relation, Span
from tui.core.store.cache_file import FOLDER
from tui.core.store.dataset import Dataset

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
    return dataset.folder / FOLDER / NAME


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
    Dataset(dataset.folder, "maria").new_span(changed, 0, 7, "LOCATION")  # "Article"
    read = no_reading(monkeypatch)
    fresh = Tally(keep=True).figures(dataset)
    assert read == [changed]
    assert fresh.labels["LOCATION"] == 1 and fresh.analysts["maria"] == 1
    read.clear()
    assert shown(Tally().figures(dataset)) == shown(fresh) and read == []


def test_a_read_only_count_never_writes_the_cache(dataset):
    before = snapshot(dataset.folder)
    Tally(keep=True).figures(Dataset.existing(dataset.folder, "olena"))
    Tally().figures(dataset)
    assert snapshot(dataset.folder) == before


def test_a_broken_article_is_never_cached(dataset):
    broken = dataset.path(dataset.ids()[2])
    broken.write_bytes(b'{"article": 5}')
    figures = Tally(keep=True).figures(dataset)
    assert len(figures.problems) == 1 and str(broken) in figures.problems[0]
    entries = orjson.loads(cache(dataset).read_bytes())["articles"]
    assert broken.stem not in entries and len(entries) == 3
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
    where.parent.mkdir(exist_ok=True)
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
def test_every_field_of_an_entry_replaced_by_every_json_type(dataset, kind):
    """A forged entry (its signature still right): one of another shape is a miss, and the
    figures are those of the files; one of the same shape is taken (a cache is trusted as
    far as its signatures), and nothing ever fails."""
    fresh = shown(Tally().figures(dataset))
    Tally(keep=True).figures(dataset)
    data = orjson.loads(cache(dataset).read_bytes())
    doc_id = dataset.ids()[1]
    for where in paths(data["articles"][doc_id]):
        if not where or where[0] == 0:
            continue  # the signature: another one is a miss by design
        value = data["articles"][doc_id]
        for step in where:
            value = value[step]
        raw = TYPES[kind]
        cache(dataset).write_bytes(replaced(data, ("articles", doc_id, *where), raw))
        again = shown(Tally().figures(dataset))
        same_shape = type(value) is type(orjson.loads(raw)) if kind not in ("nan", "huge") \
            else False
        if not same_shape:
            assert again == fresh, (where, kind)
