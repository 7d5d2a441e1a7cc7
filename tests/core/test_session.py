"""The editing session without Textual: every edit from a key (or a suggestion) to the
disk goes through it, undo and redo and retry too, and it keeps the claims index and the
library's order."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from tui.core.document.edits import Edit, Step
from tui.core.document.model import Document, GlossError
from tui.core.document.schema import SOURCE
from tui.core.editing import editor, linking
from tui.core.editing.session import Notice, Session
from tui.core.store.claim_pages import ClaimPages, Filter
from tui.core.store.dataset import Dataset

TEXT = "Zelensky said the talks in Riyadh were a trap.\nPutin said nothing."
OTHER = "Odesa was shelled overnight, officials in Kyiv said."


@pytest.fixture
def dataset(tmp_path: Path) -> Dataset:
    dataset = Dataset(tmp_path / "db", "alice")
    dataset.add_article(Document.from_text(TEXT))
    dataset.add_article(Document.from_text(OTHER))
    return dataset


def doc_id() -> str:
    return Document.from_text(TEXT).id


def on_disk(dataset: Dataset) -> list[tuple[str, str]]:
    """(text, label) of the article's spans as another process reads them."""
    return sorted((s.text, s.label) for s in Dataset(dataset.folder, "x").spans(doc_id()))


def session_of(dataset: Dataset, **runs: Callable[[Callable[[], None]], None]) -> Session:
    """A session whose answers come back on this loop, as the app's do on its own."""
    runs.setdefault("on_ui", asyncio.get_running_loop().call_soon_threadsafe)
    return Session(dataset, **runs)


def label(session: Session, text: str, name: str) -> Edit | Notice:
    model = session.models.held(doc_id()) or session.open(doc_id())
    start = model.text.index(text)
    return session.apply(model, editor.label(model, start, start + len(text), name, None))


async def test_an_edit_is_shown_at_once_recorded_and_saved(dataset):
    session = session_of(dataset)
    model = session.open(doc_id())
    seen: list[str] = []
    model.observe(lambda event: seen.append(event.kind))
    edit = label(session, "Zelensky", "ACTOR")
    assert isinstance(edit, Edit)
    assert [s.text for s in model.spans] == ["Zelensky"] and seen[0] == "edit"
    assert model.history.done == [edit]
    await session.wait()
    assert on_disk(dataset) == [("Zelensky", "ACTOR")]
    assert not model.saving and model.report.message.startswith("saved ACTOR “Zelensky”")
    session.close()


async def test_a_refused_edit_is_a_notice_and_changes_nothing(dataset):
    session = session_of(dataset)
    label(session, "Zelensky", "ACTOR")
    again = label(session, "Zelensky", "ACTOR")
    assert again == Notice("ACTOR “Zelensky” is already there")
    await session.wait()
    assert on_disk(dataset) == [("Zelensky", "ACTOR")]
    assert session.saving == 0
    session.close()


async def test_undo_and_redo_take_the_same_path_to_the_disk(dataset):
    session = session_of(dataset)
    model = session.open(doc_id())
    label(session, "Zelensky", "ACTOR")
    label(session, "Riyadh", "LOCATION")
    assert isinstance(session.undo(model), Edit)
    await session.wait()
    assert on_disk(dataset) == [("Zelensky", "ACTOR")]
    assert isinstance(session.redo(model), Edit)
    await session.wait()
    assert on_disk(dataset) == [("Riyadh", "LOCATION"), ("Zelensky", "ACTOR")]
    assert session.redo(model) == Notice("nothing to redo", warning=False)
    session.undo(model)
    session.undo(model)
    assert session.undo(model) == Notice("nothing to undo", warning=False)
    await session.wait()
    assert on_disk(dataset) == []
    session.close()


async def test_an_undo_that_would_make_a_span_twice_is_refused(dataset):
    session = session_of(dataset)
    model = session.open(doc_id())
    label(session, "Zelensky", "ACTOR")
    span = model.spans[0]
    session.apply(model, editor.remove(model, span))
    label(session, "Zelensky", "ACTOR")  # made again by hand: undoing the removal is refused
    model.history.done.pop()  # the undo reaches the removal itself
    refused = session.undo(model)
    assert isinstance(refused, Notice) and "already there" in refused.text
    await session.wait()
    assert on_disk(dataset) == [("Zelensky", "ACTOR")]
    session.close()


async def test_a_failed_save_is_kept_and_retry_saves_it_as_it_is_now(dataset, monkeypatch):
    session = session_of(dataset)
    model = session.open(doc_id())
    real = dataset.save_steps

    def full(doc: str, steps: list[Step]) -> None:
        raise GlossError("disk full")

    monkeypatch.setattr(dataset, "save_steps", full)
    label(session, "Zelensky", "ACTOR")
    await session.wait()
    assert model.failed == 1 and "NOT SAVED: disk full" in model.report.message
    assert on_disk(dataset) == []
    monkeypatch.setattr(dataset, "save_steps", real)
    assert session.retry() is None
    await session.wait()
    assert on_disk(dataset) == [("Zelensky", "ACTOR")] and model.failed == 0
    assert session.retry() == Notice("every edit is saved", warning=False)
    session.close()


async def test_an_edit_of_several_steps_is_one_write_of_its_article(dataset, monkeypatch):
    session = session_of(dataset)
    model = session.open(doc_id())
    real = dataset.save_steps
    writes: list[int] = []

    def counted(doc: str, steps: list[Step]) -> None:
        writes.append(len(steps))
        real(doc, steps)

    monkeypatch.setattr(dataset, "save_steps", counted)
    label(session, "talks in Riyadh were a trap", "CLAIM")
    label(session, "Zelensky", "ACTOR")
    actor, claim = sorted(model.spans, key=lambda s: s.label)
    session.apply(model, linking.link(model, model.labels.relation(SOURCE), claim, actor))
    session.apply(model, editor.remove(model, actor))  # the actor and its link
    await session.wait()
    assert len(writes) == 4 and writes[2] > 1 and writes[3] > 1
    assert on_disk(dataset) == [("talks in Riyadh were a trap", "CLAIM")]
    assert Dataset(dataset.folder, "x").article(doc_id()).relations == []
    session.close()


async def test_closing_writes_the_edits_still_waiting_for_their_frame(dataset):
    frames: list[Callable[[], None]] = []  # the frame that would start the write never comes
    session = session_of(dataset, after_frame=frames.append)
    label(session, "Zelensky", "ACTOR")
    label(session, "Putin", "ACTOR")
    assert session.saving == 2 and on_disk(dataset) == []
    session.close()
    assert on_disk(dataset) == [("Putin", "ACTOR"), ("Zelensky", "ACTOR")]


async def test_answers_reach_the_ui_through_on_ui_and_an_idle_model_is_let_go(dataset):
    loop = asyncio.get_running_loop()
    threads: list[str] = []

    def on_ui(run: Callable[[], None]) -> None:
        def ran() -> None:
            threads.append(threading.current_thread().name)
            run()
        loop.call_soon_threadsafe(ran)

    session = Session(dataset, on_ui=on_ui)
    model = session.open(doc_id())
    label(session, "Zelensky", "ACTOR")
    session.release(model)
    assert session.models.held(doc_id()) is model  # its save is under way
    await session.wait()
    assert threads == [threading.current_thread().name]
    assert session.models.held(doc_id()) is None
    session.close()


async def test_a_link_marks_the_article_for_the_index_read_again_from_its_model(dataset):
    started: list[Callable[[], None]] = []
    session = session_of(dataset, in_thread=started.append)
    orders: list[list[str]] = []
    stop = session.watch_index(orders.append)
    session.read_index()
    session.read_index()  # once a session
    assert len(started) == 1 and session.reading is not None and not session.index.ready
    started[0]()  # the thread's work, here; its answer comes on the loop
    assert not session.index.ready
    await asyncio.sleep(0)
    assert session.index.ready and session.reading is None
    order = [row.id for row in dataset.summaries()[0]]  # the library's
    assert orders == [order] and session.order == order
    stop()
    model = session.open(doc_id())
    label(session, "talks in Riyadh were a trap", "CLAIM")
    label(session, "Zelensky", "ACTOR")
    actor, claim = sorted(model.spans, key=lambda s: s.label)
    assert isinstance(session.apply(model, linking.link(
        model, model.labels.relation(SOURCE), claim, actor)), Edit)
    assert not session.index.keep_rows  # the board is paged from the dataset's index
    boards: list[ClaimPages | None] = []
    assert session.board_pages(boards.append)  # a small dataset: at once
    [pages] = boards
    assert pages is not None
    lines = pages.board(Filter()).lines
    assert lines is not None
    # unsaved yet: read from the model
    [row] = [line.left for line in lines if line.left is not None]
    assert row.source is not None and row.source.text == "Zelensky"
    await session.wait()
    session.close()


async def test_a_status_is_set_on_disk_and_in_the_model_or_said_why_not(dataset):
    session = session_of(dataset)
    model = session.open(doc_id())
    assert session.set_status(model, "done") is None
    assert Dataset(dataset.folder, "x").article(doc_id()).status == {"alice": "done"}
    assert model.status["alice"] == "done"
    assert session.set_status(model, "reviewed", "review") is None
    assert model.status["review"] == "reviewed"
    locked = Session(Dataset.existing(dataset.folder, "alice"))
    notice = locked.set_status(locked.open(doc_id()), "skipped")
    assert notice is not None and notice.text.startswith("NOT SAVED:") and notice.warning
    assert Dataset(dataset.folder, "x").article(doc_id()).status["alice"] == "done"
    session.close()
    locked.close()
