"""The save queue answers every write, whatever it raises, and one edit is one write.

On the main branch a write that raised anything but a GlossError (orjson's "Recursion
limit reached" on an article nested too deep) ended the writer thread: the label stayed
"saving..." for ever and neither q nor ctrl+c quit. And an edit of 800 spans was 800
writes of the article, of which a kill kept any number."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

import orjson
import pytest

from tests.faults import dataset_templates as datasets
from tests.faults.kill import WAIT_S
from tui.app import GlossApp
from tui.core.article_model import ArticleModel
from tui.core.dataset import Dataset
from tui.core.editor import label_every
from tui.core.edits import Change, Edit, LinkChange
from tui.core.model import Document, GlossError, Relation, Span
from tui.core.save_queue import SaveQueue
from tui.widgets.bars.status_bar import StatusBar

TEXT = "Putin and Trump spoke about a cease-fire in Ukraine. Kyiv said talks resume."


@pytest.fixture
def dataset(tmp_path: Path) -> Dataset:
    dataset = Dataset(tmp_path / "annotations", "alice")
    dataset.add_article(Document.from_text(TEXT))
    return dataset


@pytest.mark.parametrize("error", [TypeError("Recursion limit reached"),
                                   MemoryError(), KeyError("spans")])
async def test_a_write_that_raises_anything_is_a_failed_save_and_q_still_quits(
        dataset, monkeypatch, error):
    real = orjson.dumps

    def dumps(data, *args):  # an article's tables cannot be written
        if isinstance(data, dict) and "article" in data:
            raise error
        return real(data, *args)

    monkeypatch.setattr(orjson, "dumps", dumps)
    app = GlossApp(dataset, dataset.ids())
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("1")
        await asyncio.wait_for(app.session.wait(), 10)  # answered, not "saving…" for ever
        await pilot.pause()
        status = app.screen.query_one(StatusBar).plain
        assert "NOT SAVED" in status and (str(error) or type(error).__name__) in status
        await asyncio.wait_for(pilot.press("q"), 10)
        await pilot.pause()
    assert app.return_code == 0 or app.return_code is None
    [line] = app.not_saved()  # said on stderr as `gloss` ends
    assert line.startswith(f"article {dataset.ids()[0]}: 1 spans or links not saved: ")


async def test_a_failed_save_retried_is_no_longer_said_at_the_end(dataset, monkeypatch):
    real = dataset.save_steps

    def full(doc_id, steps):
        raise GlossError("the disk is full")

    monkeypatch.setattr(dataset, "save_steps", full)
    app = GlossApp(dataset, dataset.ids())
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("1")
        await app.session.wait()
        assert app.not_saved()
        monkeypatch.setattr(dataset, "save_steps", real)
        await pilot.press("r")
        await app.session.wait()
        await pilot.press("q")
    assert app.not_saved() == []
    assert [s.text for s in Dataset(dataset.folder, "x").spans(dataset.ids()[0])] == ["Putin"]


def test_an_edit_of_many_spans_and_links_is_one_write(dataset, monkeypatch):
    """Labelling every Kyiv of an 800-Kyiv article, each linked: one read-modify-write."""
    db = datasets.for_every(dataset.folder.parent / "every")[0]
    every = Dataset(db, "alice")
    doc_id = every.ids()[0]
    model = ArticleModel(every.article(doc_id), "alice", every.labels)
    edit = label_every(model, model.spans[0])
    assert not isinstance(edit, str) and len(edit.changes) == 799
    head, child = edit.changes[1].span, edit.changes[0].span  # two of the new spans
    link = Relation(head.id, child.id, "SOURCE", "alice")
    edit = Edit(doc_id, edit.changes, (LinkChange(None, link, head, child),))
    writes = []
    real = every._tables

    def counted(doc):
        writes.append(doc)
        return real(doc)

    monkeypatch.setattr(every, "_tables", counted)
    model.apply(edit)
    queue = SaveQueue(every, lambda answer: answer())
    queue.submit(model, edit)
    queue.close()
    assert writes == [doc_id]
    article = Dataset(db, "x").article(doc_id)
    assert len(article.spans) == 800 and [r.id for r in article.relations] == [link.id]
    assert not model.saving and model.report.message.startswith("saved 799 spans")


def test_a_step_that_fails_writes_none_of_the_edit(dataset):
    doc_id = dataset.ids()[0]
    kept = dataset.path(doc_id).read_bytes()
    putin = Span.new(TEXT, 0, 5, "ACTOR", "alice")
    missing = Span.new(TEXT, 10, 15, "ACTOR", "alice")  # never saved
    steps = (Change(None, putin),
             LinkChange(None, Relation(putin.id, missing.id, "SOURCE", "alice"), putin,
                        missing))
    with pytest.raises(GlossError, match="has no span"):
        dataset.save_steps(doc_id, steps)
    assert dataset.path(doc_id).read_bytes() == kept


def test_edits_written_at_once_never_hang_the_queue(dataset):
    """A write that is done before its answer is asked for (the writer is quicker than the
    thread that hands it the edit) must not deadlock the queue."""

    class Quick:
        def save_steps(self, doc_id, steps) -> None:
            pass

    model = ArticleModel(dataset.article(dataset.ids()[0]), "alice", dataset.labels)
    queue = SaveQueue(Quick(), lambda answer: answer())
    answered = threading.Event()

    def submit() -> None:
        for start in range(0, 60, 6):
            edit = Edit.adding(model.doc_id, Span.new(TEXT, start, start + 5, "ACTOR", "alice"))
            model.apply(edit)
            for _ in range(40):
                queue.submit(model, edit)
        queue.close()
        answered.set()

    worker = threading.Thread(target=submit, daemon=True)
    worker.start()
    worker.join(WAIT_S)
    assert answered.is_set(), "the save queue hung"
