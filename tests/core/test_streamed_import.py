"""An import takes its records one at a time (bulk.py): it never holds every article, yet
records sharing a text anywhere in the input become one article, and a record refused
late leaves the dataset as it was."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest

from tests.conftest import gloss
from tui.core.document.model import Document, Span
from tui.core.store.corpus import InputError, RawArticle, import_articles
from tui.core.store.dataset import Dataset


def report(n: int) -> str:
    return f"Report {n}. Officials in Kyiv said talks on grain exports resume on day {n}."


def jsonl(path: Path, records: list[dict[str, object]]) -> Path:
    path.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in records))
    return path


def files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}


def alive() -> int:
    return sum(isinstance(o, Document) for o in gc.get_objects())


def test_an_import_of_many_articles_never_holds_them_all(tmp_path):
    dataset = Dataset(tmp_path / "annotations", "alice")
    most = 0

    def raws() -> Iterator[RawArticle]:
        nonlocal most
        for n in range(400):
            if n % 20 == 0:
                most = max(most, alive())
            yield RawArticle(report(n), {}, f"input:{n + 1}",
                             spans=[{"start": 0, "end": 6, "label": "EVENT"}])
        most = max(most, alive())

    before = alive()
    result = import_articles(dataset, raws(), "input")
    assert result.articles_added == 400 and result.spans_added == 400
    assert len(Dataset(dataset.folder, "bob").ids()) == 400
    assert most - before <= 3  # one record's article at a time, not 400


def test_two_records_of_one_text_far_apart_become_one_article(tmp_path):
    fresh, old = report(0), report(1)
    dataset = Dataset(tmp_path / "annotations", "alice")
    dataset.add_article(Document.from_text(old))
    records = [{"text": fresh, "spans": [{"start": 0, "end": 6, "label": "EVENT"}]},
               {"text": old, "spans": [{"start": 0, "end": 6, "label": "EVENT"}]},
               *({"text": report(n)} for n in range(2, 300)),
               {"text": fresh, "spans": [{"start": 23, "end": 27, "label": "LOCATION"}],
                "answer": "accept"},
               {"text": old, "spans": [{"start": 23, "end": 27, "label": "LOCATION"}]}]
    done = gloss("import", jsonl(tmp_path / "in.jsonl", records), "--db", dataset.folder)
    assert done.returncode == 0, done.stderr
    assert "imported 299 new articles, 4 spans (302 records read, 1 articles given new" \
        " spans)" in done.stderr
    again = Dataset(dataset.folder, "alice")
    assert len(again.ids()) == 300
    for text in (fresh, old):
        doc_id = Document.from_text(text).id
        assert sorted(s.text for s in again.spans(doc_id)) == ["Kyiv", "Report"]
    assert again.status(Document.from_text(fresh).id) == "done"
    assert not [p for p in dataset.folder.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.parametrize("fresh_folder", [True, False])
def test_a_bad_record_after_many_staged_leaves_the_dataset_as_it_was(tmp_path, fresh_folder):
    folder = tmp_path / "annotations"
    if not fresh_folder:
        Dataset(folder, "alice").add_article(Document.from_text(report(0)))
        Dataset(folder, "alice").owner.release()
    before = files(folder) if folder.exists() else None
    records = [{"text": report(n), "spans": [{"start": 0, "end": 6, "label": "EVENT"}]}
               for n in range(250)]
    records.append({"text": report(999), "spans": [{"start": 5, "end": 1, "label": "X"}]})
    done = gloss("import", jsonl(tmp_path / "in.jsonl", records), "--db", folder)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines()[-1].startswith(f"gloss: {tmp_path}/in.jsonl:251")
    if before is None:
        assert not folder.exists()  # a refused import makes no dataset
    else:
        assert files(folder) == before
        assert not [p for p in folder.iterdir() if p.name.endswith((".tmp", ".owner"))]


def test_strict_labels_refused_at_the_end_writes_nothing(tmp_path):
    dataset = Dataset(tmp_path / "annotations", "alice")
    dataset.add_article(Document.from_text(report(0)))
    before = files(dataset.folder)
    raws = (RawArticle(report(n), {}, f"in:{n}", spans=[
        {"start": 0, "end": 6, "label": "EVENT" if n < 150 else "NEWLABEL"}])
        for n in range(200))
    with pytest.raises(InputError, match="labels not in the label set: EVENT, NEWLABEL"):
        import_articles(dataset, raws, "in", strict_labels=True)
    assert files(dataset.folder) == before
    assert not [p for p in dataset.folder.iterdir() if p.name.endswith(".tmp")]


def test_an_article_merged_into_twice_and_saved_meanwhile_keeps_all(tmp_path, monkeypatch):
    """What two records far apart bring to an article is spooled, not held: bob's save
    made after they were staged is merged with both at the commit."""
    text = report(0)
    dataset = Dataset(tmp_path / "annotations", "alice")
    document = Document.from_text(text)
    dataset.add_article(document)
    other = Dataset(dataset.folder, "bob")  # another process, in effect
    committing = dataset.committing

    def meanwhile():
        other.new_span(document.id, 10, 19, "ACTOR")
        return committing()

    monkeypatch.setattr(dataset, "committing", meanwhile)
    items = [(Document.from_text(text), [Span.new(text, 0, 6, "EVENT", "alice")], []),
             *((Document.from_text(report(n)), [], []) for n in range(1, 50)),
             (Document.from_text(text), [Span.new(text, 23, 27, "LOCATION", "alice")], [])]
    dataset.add_articles(items, labels=["EVENT"])
    assert sorted(s.text for s in Dataset(dataset.folder, "x").spans(document.id)) == [
        "Kyiv", "Officials", "Report"]
    assert not [p for p in dataset.folder.iterdir() if p.name.endswith(".tmp")]


def test_a_merge_into_many_articles_never_holds_them_all(tmp_path, monkeypatch):
    from tui.core.team import merging

    target = Dataset(tmp_path / "target", "alice")
    source = Dataset(tmp_path / "source", "bob")
    for n in range(200):
        document = Document.from_text(report(n))
        target.add_article(document, [Span.new(document.text, 0, 6, "EVENT", "alice")])
        source.add_article(document, [Span.new(document.text, 7, 9, "EVENT", "bob")])
    most, read = 0, merging._item

    def counted(*args, **kwargs):
        nonlocal most
        most = max(most, alive())
        return read(*args, **kwargs)

    monkeypatch.setattr(merging, "_item", counted)
    before = alive()
    result = merging.merge_datasets(target, [source.folder])
    assert result.articles_merged == 200 and result.spans_added == 200
    assert all(len(target.spans(doc_id)) == 2 for doc_id in target.ids())
    assert most - before <= 3  # one article read at a time, not 200
