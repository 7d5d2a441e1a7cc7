"""A save writes the article table's JSON made at its first save again at the next ones
(the text of a 20 MB article is not serialised at every save): each file is still the very
bytes orjson makes of its tables, and a file another process wrote is read afresh."""

from __future__ import annotations

import orjson

from tui.core.document.model import Document, Relation, Span
from tui.core.store.dataset import Dataset

TEXT = ("Kyiv said “no” to the \"plan\" \\ of Putin.\nZelensky’s envoy met Rubio in Riyadh. "
        "Flag 🇺🇦 and \x1b escape.")


def file_bytes(dataset: Dataset, doc_id: str) -> bytes:
    return dataset.path(doc_id).read_bytes()


def test_every_save_writes_the_bytes_orjson_makes_of_the_tables(tmp_path):
    dataset = Dataset(tmp_path / "db", "alice")
    document = Document.from_text(TEXT, {"title": "Talks", "nested": {"a": [1, {"b": None}]}})
    dataset.add_article(document)
    words = [(0, 4), (23, 29), (42, 50), (60, 65)]
    spans = [Span.new(document.text, s, e, "ACTOR", "alice") for s, e in words]
    for span in spans:
        dataset.save_span(document.id, span)
        data = file_bytes(dataset, document.id)
        assert data == orjson.dumps(orjson.loads(data))
    dataset.save_relation(document.id, Relation(spans[1].id, spans[0].id, "SOURCE", "alice"))
    dataset.set_status(document.id, "done")
    dataset.remove_span(document.id, spans[3].id)
    data = file_bytes(dataset, document.id)
    tables = orjson.loads(data)
    assert data == orjson.dumps(tables)
    assert tables["article"]["1"]["text"] == document.text
    assert tables["article"]["1"]["meta"] == document.meta
    assert len(tables["spans"]) == 3 and len(tables["relations"]) == 1


def test_a_save_after_another_process_wrote_the_file_keeps_its_work(tmp_path):
    mine = Dataset(tmp_path / "db", "alice")
    document = Document.from_text(TEXT)
    mine.add_article(document)
    mine.save_span(document.id, Span.new(document.text, 0, 4, "ACTOR", "alice"))
    theirs = Dataset(tmp_path / "db", "bob")  # another process: tables of its own
    theirs.save_span(document.id, Span.new(document.text, 23, 29, "ACTOR", "bob"))
    mine.save_span(document.id, Span.new(document.text, 42, 50, "LOCATION", "alice"))
    data = file_bytes(mine, document.id)
    assert data == orjson.dumps(orjson.loads(data))
    assert sorted(s.annotator for s in mine.spans(document.id)) == ["alice", "alice", "bob"]


def test_an_article_opened_to_edit_is_not_read_again_by_its_first_save(tmp_path,
                                                                        monkeypatch):
    """The reader opens an article (``open_article``): its first save writes from the
    tables read then, unless another process has replaced the file since."""
    from tui.core.store import dataset as dataset_module

    reads: list[int] = []
    read_locked = dataset_module.read_locked
    monkeypatch.setattr(dataset_module, "read_locked",
                        lambda fd: reads.append(fd) or read_locked(fd))
    mine = Dataset(tmp_path / "db", "alice")
    document = Document.from_text(TEXT)
    mine.add_article(document)
    opened = mine.open_article(document.id)
    assert opened.document == document and opened.spans == []
    mine.save_span(document.id, Span.new(document.text, 0, 4, "ACTOR", "alice"))
    assert reads == []
    data = file_bytes(mine, document.id)
    assert data == orjson.dumps(orjson.loads(data))
    mine = Dataset(tmp_path / "db", "alice")  # a new session
    mine.open_article(document.id)
    theirs = Dataset(tmp_path / "db", "bob")
    theirs.save_span(document.id, Span.new(document.text, 23, 29, "ACTOR", "bob"))
    mine.save_span(document.id, Span.new(document.text, 42, 50, "LOCATION", "alice"))
    assert len(reads) == 2  # bob's save read alice's file, alice's read bob's
    assert sorted(s.annotator for s in mine.spans(document.id)) == ["alice", "alice", "bob"]
    data = file_bytes(mine, document.id)
    assert data == orjson.dumps(orjson.loads(data))
