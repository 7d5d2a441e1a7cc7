"""The reader's pure parts, without Textual: the article model, edits, the save queue,
search and the units a selection grows through."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from tests.app.seed_reference import SEED
from tui.core.document.edits import Edit, cut
from tui.core.document.model import Document, GlossError, Relation, Span
from tui.core.editing import editor, units
from tui.core.editing.article_model import ArticleModel, ModelRegistry
from tui.core.editing.save_queue import SaveQueue
from tui.core.language.search import find, occurrences
from tui.core.store.dataset import Article, Dataset

TEXT = SEED.read_text(encoding="utf-8")
DOC = Document.from_text(TEXT)


def model(spans: list[Span] | None = None) -> ArticleModel:
    return ArticleModel(Article(DOC, list(spans or []), {}, 0), "alice")


extents = st.tuples(st.integers(0, len(TEXT) - 1), st.integers(1, 60)).map(
    lambda p: (p[0], min(p[0] + p[1], len(TEXT))))
labels = st.sampled_from(["ACTOR", "CLAIM", "LOCATION"])
spans = st.lists(st.tuples(extents, labels, st.sampled_from(["alice", "bob"])), max_size=40
                 ).map(lambda items: [Span(s, e, lab, TEXT[s:e], who) for (s, e), lab, who
                                      in items])


@given(spans, st.integers(0, len(TEXT)))
def test_lookups_agree_with_a_plain_scan(items, offset):
    m = model(items)
    assert {s.id for s in m.at(offset)} == {s.id for s in items if s.start <= offset < s.end}
    assert [len(s) for s in m.at(offset)] == sorted(len(s) for s in m.at(offset))
    window = (offset, min(offset + 30, len(TEXT)))
    assert {s.id for s in m.overlapping(*window, "bob")} == {
        s.id for s in items if s.start < window[1] and s.end > window[0] and s.annotator == "bob"}


@given(spans, spans)
def test_an_edit_then_its_inverse_leaves_the_spans_as_they_were(before, added):
    m = model(before)
    kept = list(m.spans)
    removed = before[: len(before) // 2]
    edit = Edit(DOC.id, tuple(Edit.removing(DOC.id, s).changes[0] for s in removed)
                + Edit.adding(DOC.id, *added).changes)
    events = []
    m.observe(events.append)
    m.apply(edit)
    assert {s.id for s in m.spans} == {s.id for s in kept} - {s.id for s in removed} | {
        s.id for s in added}
    m.apply(edit.inverse())
    assert m.spans == kept
    assert [e.kind for e in events] == ["edit", "edit"]


def test_the_model_refuses_a_span_it_already_has():
    span = Span.new(TEXT, 10, 15, "ACTOR", "alice")
    m = model([span])
    assert "already there" in editor.label(m, 10, 15, "ACTOR")
    twice = Edit.adding(DOC.id, Span.new(TEXT, 20, 25, "ACTOR", "alice"),
                        Span.new(TEXT, 20, 25, "ACTOR", "alice"))
    assert "already there" in m.check(twice)
    relabel = editor.label(m, 10, 15, "CLAIM")
    assert isinstance(relabel, Edit) and relabel.changes[0].before == span
    other = model([Span.new(TEXT, 10, 15, "ACTOR", "bob")])  # another analyst's: a new span
    made = editor.label(other, 10, 15, "ACTOR")
    assert isinstance(made, Edit) and made.changes[0].before is None


def test_saved_and_failed_marks_and_retry_saves_what_is_there_now():
    m = model()
    span = Span.new(TEXT, 0, 9, "ACTOR", "alice")
    add = Edit.adding(DOC.id, span)
    m.apply(add)
    assert m.is_unsaved(span.id) and m.saving
    m.saved(add, 0, "disk full", 1.0)
    assert m.is_unsaved(span.id) and m.failed == 1 and m.report.error
    relabel = Edit.replacing(DOC.id, span, span.relabelled("CLAIM"))
    m.apply(relabel)
    retry = m.retry()
    assert retry is not None and retry.changes[0].after.label == "CLAIM"
    m.saved(relabel, 1, None, 1.0)
    m.saved(retry, 1, None, 1.0)
    assert not m.is_unsaved(span.id) and "saved" in m.report.message
    removal = Edit.removing(DOC.id, m.spans[0])
    m.apply(removal)
    m.saved(removal, 0, "lock held", 1.0)  # not removed from disk: shown again
    assert [s.id for s in m.spans] == [span.id]


def test_the_registry_shares_one_model_and_forgets_it_when_done(tmp_path: Path):
    dataset = Dataset(tmp_path / "db", "alice")
    dataset.add_article(DOC)
    registry = ModelRegistry(dataset.article, "alice")
    first, second = registry.open(DOC.id), registry.open(DOC.id)
    assert first is second
    registry.release(first)
    assert registry.models() == [first]
    registry.release(second)
    assert registry.models() == []
    assert registry.open(DOC.id) is not first  # read afresh


class Recorder:
    """A dataset that records the writes (an edit's steps all or none), and fails those it
    is told to."""

    def __init__(self, fail: set[str]) -> None:
        self.fail = fail
        self.calls: list[tuple[str, str]] = []
        self.thread: set[str] = set()
        self.saved: set[str] = set()

    def save_steps(self, doc_id: str, steps) -> None:
        self.thread.add(threading.current_thread().name)
        if any(s.after is not None and s.after.text in self.fail for s in steps):
            raise GlossError("disk full")
        for step in steps:
            if step.after is not None:
                self.saved.add(step.after.id)
                self.calls.append(("save", step.after.text))
            elif step.before.id in self.saved:  # as on disk: what is not there stays so
                self.saved.discard(step.before.id)
                self.calls.append(("remove", step.before.text))


async def test_the_queue_writes_in_key_order_off_the_ui_thread_and_skips_what_never_landed():
    loop = asyncio.get_running_loop()
    dataset = Recorder(fail={"President"})
    queue = SaveQueue(dataset, loop.call_soon_threadsafe)
    m = model()
    words = [Span.new(TEXT, s, e, "ACTOR", "alice") for s, e in [(0, 9), (10, 15), (20, 27)]]
    for span in words:
        edit = Edit.adding(DOC.id, span)
        m.apply(edit)
        queue.submit(m, edit)
    removal = Edit.removing(DOC.id, words[0])  # undo of the one that failed
    m.apply(removal)
    queue.submit(m, removal)
    await queue.wait()
    assert dataset.calls == [("save", "Trump"), ("save", "Russian")]  # nothing to remove
    assert dataset.thread and threading.current_thread().name not in dataset.thread
    assert not m.saving and m.failed == 0
    queue.close()


@given(st.sampled_from(["“must end NOW”", "Trump’s", "month-long", "U.S."]))
def test_what_is_typed_finds_what_is_printed(printed):
    typed = printed.translate(str.maketrans("“”’–", "\"\"'-")).lower()
    found = find(TEXT, typed, 0)
    assert found is not None and TEXT[slice(*found)].lower() == printed.lower()
    assert find(TEXT, typed.upper(), 0) is None or typed.upper() == printed.upper()


def test_every_occurrence_is_whole_words():
    assert all(TEXT[s - 1] != "n" for s, _ in occurrences(TEXT, "Russia"))
    assert TEXT[slice(*occurrences(TEXT, "Russia")[0])] == "Russia"
    assert all(not TEXT[e].isalpha() for _, e in occurrences(TEXT, "Russia"))


@given(st.integers(0, len(TEXT) - 1), st.integers(0, 40))
def test_each_unit_holds_the_one_before_and_is_larger(offset, length):
    end = min(offset + length, len(TEXT))
    ladder = units.units(TEXT, offset, end)
    previous = (offset, end)
    for unit in ladder:
        before = TEXT[previous[0]:unit[0]].split()
        if before and all(word.lower() in units.DETERMINERS for word in before):
            previous = (unit[0], previous[1])  # a place leaves its "the" out: "Zaporizhzhia plant"
        assert unit[0] <= previous[0] and unit[1] >= previous[1] and unit != previous
        assert not TEXT[slice(*unit)].startswith(" ") and not TEXT[slice(*unit)].endswith(" ")
        previous = unit


def test_status_texts_are_cut_and_safe():
    assert cut("a\x1b[31m" + "x" * 100, 20) == "a␛[31m" + "x" * 13 + "…"
    assert len(cut("y" * 100, 30)) == 30
    assert cut("Kremlin spokesman Dmitry Peskov said that", 30) == "Kremlin spokesman Dmitry…"


def test_a_removed_span_takes_its_relations_along_as_on_disk():
    claim = Span.new(TEXT, 158, 199, "CLAIM", "alice")
    actor = Span.new(TEXT, 158, 165, "ACTOR", "alice")
    m = ArticleModel(Article(DOC, [claim, actor], {}, 0,
                             [Relation(claim.id, actor.id, "SOURCE", "alice")]), "alice")
    m.apply(Edit.replacing(DOC.id, actor, actor.relabelled("LOCATION")))
    assert len(m.relations) == 1  # relabelled: the same span
    m.apply(Edit.removing(DOC.id, m.get(actor.id)))
    assert m.relations == []
