"""The session's suggestions without Textual: found in the worker (run at once here),
offered where no span of this analyst clashes and nothing was rejected, kept up to date at
each edit of every open article (the names' index told, never built again), accepted as
one edit with a claim's source, rejections kept, a model's spans after the others, and a
model that cannot be loaded said in one line."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui.core.document.model import Document, Span
from tui.core.document.schema import SOURCE
from tui.core.document.suggestion import Suggestion
from tui.core.editing import accepting, editor
from tui.core.editing.session import Session
from tui.core.editing.suggestions import ArticleSuggestions, chunks
from tui.core.store.dataset import Dataset
from tui.core.suggest import seen_names
from tui.core.suggest.model_finder import ModelFinder

TEXT = "Putin met Zelensky in Kyiv.\nZelensky said the talks would resume in March.\n"
OTHER = "Kyiv was quiet. Putin and Zelensky spoke again.\n"


def at(text: str, needle: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return start, start + len(needle)


@pytest.fixture
def dataset(tmp_path: Path) -> Dataset:
    dataset = Dataset(tmp_path / "db", "alice")
    dataset.add_article(Document.from_text(TEXT),
                        [Span.new(TEXT, *at(TEXT, "Putin"), "ACTOR", "alice")])
    dataset.add_article(Document.from_text(OTHER))
    return dataset


def ids() -> tuple[str, str]:
    return Document.from_text(TEXT).id, Document.from_text(OTHER).id


def opened(session: Session, doc: str) -> ArticleSuggestions:
    return session.suggestions.open(session.open(doc))


def offered(article: ArticleSuggestions) -> list[tuple[str, str, str]]:
    text = article.model.text
    return [(text[s.start:s.end], s.label, s.kind) for s in article.offered]


def test_an_article_is_offered_names_seen_and_claims(dataset):
    session = Session(dataset)
    article = opened(session, ids()[1])
    assert article.ready
    assert ("Putin", "ACTOR", "seen-name") in offered(article)
    first = opened(session, ids()[0])
    assert ("the talks would resume in March", "CLAIM", "claim-cue") in offered(first)
    assert all(s.start != 0 for s in first.offered)  # Putin is labelled there


def test_labelling_updates_every_open_article_and_the_index_is_never_built_again(
        dataset, monkeypatch):
    built: list[int] = []
    of_rows = seen_names.SeenNames.of_rows
    monkeypatch.setattr(seen_names.SeenNames, "of_rows", classmethod(
        lambda cls, *a, **k: built.append(1) or of_rows(*a, **k)))
    session = Session(dataset)
    first, other = opened(session, ids()[0]), opened(session, ids()[1])
    assert ("Kyiv", "LOCATION") not in [o[:2] for o in offered(other)]
    model = first.model
    session.apply(model, editor.label(model, *at(TEXT, "Kyiv"), "LOCATION"))
    assert ("Kyiv", "LOCATION", "seen-name") in offered(other)  # the other article too
    session.apply(model, editor.remove(model, model.find(*at(TEXT, "Kyiv"), "LOCATION",
                                                         "alice")))
    assert ("Kyiv", "LOCATION") not in [o[:2] for o in offered(other)]
    assert built == [1]


def test_a_span_hides_what_it_clashes_with_at_once_and_undo_brings_it_back(dataset):
    session = Session(dataset)
    article = opened(session, ids()[0])
    model = article.model
    zelensky = at(TEXT, "Zelensky", 1)
    assert ("Zelensky", "ACTOR", "seen-name") not in offered(article)  # not seen yet
    session.apply(model, editor.label(model, *at(TEXT, "Zelensky"), "ACTOR"))
    assert any((s.start, s.end) == zelensky for s in article.offered)
    # a place over it clashes (neither is a claim); a claim around it does not
    session.apply(model, editor.label(model, *zelensky, "LOCATION"))
    assert not any((s.start, s.end) == zelensky for s in article.offered)
    session.undo(model)
    assert any((s.start, s.end) == zelensky for s in article.offered)


def test_accepting_a_claim_makes_its_source_and_link_in_one_edit(dataset):
    session = Session(dataset)
    article = opened(session, ids()[0])
    model = article.model
    [claim] = [s for s in article.offered if s.label == "CLAIM"]
    edit = session.apply(model, accepting.accept(model, claim))
    span = model.find(claim.start, claim.end, "CLAIM", "alice")
    assert span is not None and span.origin == "claim-cue"
    [link] = model.links_from(span.id, SOURCE)
    source = model.get(link.child)
    assert source is not None and (source.text, source.origin) == ("Zelensky", "claim-cue")
    assert not isinstance(edit, str) and len(edit.changes) == 2 and len(edit.links) == 1
    assert claim not in article.offered
    session.undo(model)
    assert model.relations == [] and len(model.spans) == 1
    assert claim in article.offered


def test_accepting_all_of_a_label_is_one_edit_and_nothing_twice(dataset):
    session = Session(dataset)
    article = opened(session, ids()[1])
    model = article.model
    actors = article.of_label("ACTOR")
    edit = accepting.accept_all(model, [*actors, *actors])
    assert not isinstance(edit, str) and len(edit.changes) == len(actors)
    assert accepting.accept_all(model, []) == "no suggestion to accept"


def test_a_rejection_is_kept_and_only_for_its_analyst(dataset):
    session = Session(dataset)
    article = opened(session, ids()[1])
    putin = next(s for s in article.offered if s.label == "ACTOR")
    session.reject(article, putin)
    assert putin not in article.offered
    session.close()
    rows = Dataset(dataset.folder, "x").article(ids()[1]).rejected
    assert [(r["text"], r["annotator"], r["kind"]) for r in rows] == [
        ("Putin", "alice", "seen-name")]
    again = Session(Dataset(dataset.folder, "alice"))
    assert putin not in opened(again, ids()[1]).offered
    bob = Session(Dataset(dataset.folder, "bob"))
    assert putin in opened(bob, ids()[1]).offered


class FakeModel:
    def find(self, text: str) -> list[Suggestion]:
        start, end = at(text, "Kyiv")
        return [Suggestion(start, end, "LOCATION", "model", 0.7)]


def test_a_models_suggestions_come_after_the_others(dataset, monkeypatch):
    (dataset.folder / "models").mkdir()
    monkeypatch.setattr(ModelFinder, "load", classmethod(lambda cls, path: FakeModel()))
    answers: list[list[str]] = []
    session = Session(dataset)
    session.suggestions.answers.append(
        lambda article: answers.append(sorted({s.kind for s in article.offered})))
    opened(session, ids()[1])
    assert answers == [["claim-cue", "seen-name"], ["claim-cue", "model", "seen-name"]] \
        or answers == [["seen-name"], ["model", "seen-name"]]


def test_a_model_that_cannot_be_loaded_is_one_line(dataset, tmp_path):
    lines: list[str] = []
    session = Session(dataset, model=tmp_path / "no-such-model")
    session.suggestions.notices.append(lines.append)
    article = opened(session, ids()[1])
    assert article.ready and offered(article)  # the others are offered all the same
    assert len(lines) == 1 and lines[0].startswith("no model suggestions: ")


def test_searches_wait_for_the_worker_one_at_a_time(dataset):
    """Asked for while the worker searches, an article is searched after it, once."""
    waiting: list[Callable[[], None]] = []
    session = Session(dataset, in_thread=waiting.append)
    first = opened(session, ids()[0])
    opened(session, ids()[1])
    assert len(waiting) == 1 and session.suggestions.busy
    waiting.pop()()
    assert first.ready and len(waiting) == 1  # the second, asked for meanwhile
    waiting.pop()()
    assert not session.suggestions.busy and not waiting


@given(st.lists(st.sampled_from(["a b", "\n", "Kyiv ", "x" * 40, "\n\n"]), max_size=60),
       st.integers(min_value=1, max_value=50))
def test_chunks_cover_the_text_and_end_at_a_line(pieces, size):
    text = "".join(pieces)
    parts = chunks(text, size)
    assert "".join(text[a:b] for a, b in parts) == text
    assert all(text[b - 1] == "\n" for _, b in parts[:-1])


def test_an_edit_stops_the_search_it_makes_stale_which_runs_again_after_a_settle(
        tmp_path, monkeypatch):
    """A long article edited while the worker searches it: that search stops at its next
    stretch (it would hold the interpreter against the edit's frame and save for nothing),
    the article is searched again once the edit has had ``SETTLE_S``, and then it offers
    the name the edit taught."""
    from tui.core.editing import suggestions as module

    paragraph = "Odesa was shelled overnight, officials said in Mykolaiv.\n"
    text = paragraph * (module.SETTLE_FROM // len(paragraph) + 1)
    dataset = Dataset(tmp_path / "db", "alice")
    dataset.add_article(Document.from_text(text))
    waiting: list[Callable[[], None]] = []
    session = Session(dataset, in_thread=waiting.append)
    article = opened(session, Document.from_text(text).id)
    searched: list[int] = []
    slept: list[float] = []
    from tui.core.suggest import finders  # where the worker takes it from

    real = finders.suggest_article

    def counted(*args, **kwargs):
        searched.append(1)
        if len(searched) == 2:  # the analyst labels while the worker is on its way
            model = article.model
            session.apply(model, editor.label(model, *at(text, "Odesa"), "LOCATION"))
        return real(*args, **kwargs)

    monkeypatch.setattr(finders, "suggest_article", counted)
    monkeypatch.setattr(module.time, "sleep", slept.append)
    waiting.pop()()
    assert len(searched) == 2 < len(chunks(text))  # stopped at the stretch after the edit
    assert not article.ready and len(waiting) == 1  # asked for again, not answered stale
    slept.clear()
    waiting.pop()()
    assert 0 < slept[0] <= module.SETTLE_S  # it let the edit's frame and save go first
    assert article.ready and not waiting
    odesa = [s for s in article.offered if text[s.start:s.end] == "Odesa"]
    assert len(odesa) == text.count("Odesa") - 1 and {s.label for s in odesa} == {"LOCATION"}
