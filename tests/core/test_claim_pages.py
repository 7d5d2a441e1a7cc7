"""The claims board paged from the index (``claim_pages.py``) shows what the board made in
memory from the files shows (``claim_board.group`` over every article's rows, a team's
claims held alike one row): the same groups in the same order, the same counts, the same
claims in each, however the filter, the view (each analyst's, two articles) and the
index (fresh, files changed behind it, rows forged), read from the start, from the end
or from the middle of a group."""

from __future__ import annotations

import os
import random
import shutil
import sqlite3
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.core.test_claim_table import FILTERS, FORGED, make
from tui.core.attribution import board_lines
from tui.core.attribution.board_lines import Line
from tui.core.attribution.claim_board import ClaimRow, claim_rows, group, one_a_claim
from tui.core.document.model import Document, Relation, Span
from tui.core.store.article_index import FOLDER, NAME
from tui.core.store.claim_pages import ClaimPages, Filter, open_pages
from tui.core.store.dataset import Dataset

Shown = tuple[str, str, str, str, tuple[str, ...], tuple[str, ...], str]


def shown(row: ClaimRow) -> Shown:
    """What the board draws of a claim, and what enter opens."""
    return (row.article, row.claim.id, row.claim.text, row.status, tuple(row.place_names),
            row.analysts, row.title + " " + row.date)


def reference(dataset: Dataset, view: Filter) -> list[tuple[str, list[Shown]]]:
    rows = [row for article in dataset.readable([])
            for row in claim_rows(article, dataset.labels, sentences=False)]
    team = len({row.claim.annotator for row in rows}) > 1
    if view.once and team:
        rows = one_a_claim(rows, dataset.annotator)
    if view.pair:
        rows = [row for row in rows if row.article in view.pair]
    groups = group(rows, actor=view.actor, place=view.place, status=view.status)
    return [(name, [shown(row) for row in kept]) for name, kept in groups.items()]


def paged(pages: ClaimPages, view: Filter, order: str) -> list[tuple[str, list[Shown]]]:
    """The board's lines, read in ``order``: first to last, last to first, or from the
    middle out (each read where the reads before left off)."""
    board = pages.board(view)
    if board.lines is None:
        return [(name, [shown(row) for row in rows]) for name, rows in board.pair.items()]
    lines = board.lines
    at = list(range(len(lines)))
    if order == "backwards":
        at.reverse()
    elif order == "middle":
        at = at[len(at) // 2:] + at[:len(at) // 2][::-1]
    read: dict[int, Line] = {n: lines[n] for n in at}
    out: list[tuple[str, list[Shown]]] = []
    for n in range(len(lines)):
        line = read[n]
        if line.heading:
            out.append((line.name, []))
            assert line.count > 0
        else:
            assert line.left is not None
            out[-1][1].append(shown(line.left))
    assert [len(rows) for _name, rows in out] == [line.count for line in lines
                                                  if line.heading]
    assert board.shown == sum(len(rows) for _name, rows in out)
    assert board.todo == sum(row[3] == "to do" for _name, rows in out for row in rows)
    return out


def team_of(folder: Path, seed: int, count: int) -> Dataset:
    """``count`` articles where bob holds many of alice's claims alike (the same extent,
    source and places), some with another source."""
    rng = random.Random(seed)
    dataset = Dataset(folder, "bob")
    items = []
    for n in range(count):
        text = f"B{n} " + " ".join(rng.choice(["Kyiv", "said", "Putin", "the", "talks",
                                               "Riyadh", "would", "hold."]) for _ in range(20))
        starts = [i + 1 for i, ch in enumerate(text) if ch == " "]
        spans: list[Span] = []
        links: list[Relation] = []
        picks = sorted(rng.sample(starts, 6))
        for who in ("alice", "bob"):
            made = [Span.new(text, s, text.find(" ", s) if text.find(" ", s) > 0 else len(text),
                             label, who) for s, label in zip(picks, ["ACTOR", "CLAIM",
                                                                     "LOCATION", "ACTOR",
                                                                     "CLAIM", "CLAIM"],
                                                              strict=True)]
            spans += made
            source = made[0] if who == "alice" or rng.random() < 0.7 else made[3]
            links.append(Relation(made[1].id, source.id, "SOURCE", who))
            if rng.random() < 0.5:
                links.append(Relation(made[4].id, made[2].id, "ABOUT", who))
        items.append((Document.from_text(text, {"title": f"B{n}"}), spans, links))
    dataset.add_articles(items, keep_tokens=False)
    return dataset


VIEWS = st.builds(lambda filters, once: Filter(**filters, once=once), FILTERS, st.booleans())


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 10_000), count=st.integers(1, 9), view=VIEWS, team=st.booleans(),
       state=st.sampled_from(["fresh", "stale", "pair", *FORGED]),
       order=st.sampled_from(["forwards", "backwards", "middle"]))
def test_the_paged_board_is_the_board_made_in_memory(seed, count, view, team, state, order,
                                                      monkeypatch):
    monkeypatch.setattr(board_lines, "PAGE", 2)  # many pages, read from either side
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "db"
        writer = (team_of if team else make)(folder, seed, count)
        ids = writer.ids()
        rng = random.Random(seed)
        if state == "stale":  # changed behind the index's back: a claim's link taken away
            writer.settle()  # the rows of its saves written (a thread)
            for doc_id in rng.sample(ids, max(1, len(ids) // 2)):
                article = writer.article(doc_id)
                kept = (folder / FOLDER / NAME).read_bytes()
                for link in article.relations[:1]:
                    writer.remove_relation(doc_id, link.id)
                writer.settle()  # its row of the index first: never written over the copy
                (folder / FOLDER / NAME).write_bytes(kept)
        elif state == "pair":
            view = Filter(view.actor, view.place, view.status, view.once,
                          tuple(rng.sample(ids, min(2, len(ids)))))
        elif state in FORGED:
            with sqlite3.connect(folder / FOLDER / NAME) as db:
                db.execute(FORGED[state])
        reader = Dataset(folder, writer.annotator)
        pages = open_pages(reader)
        assert pages is not None
        pages.walk()
        try:
            assert paged(pages, view, order) == reference(reader, view)
        finally:
            pages.close()


def test_an_article_put_in_replaces_its_rows_and_the_board_needs_no_index_of_it(tmp_path):
    """The session's edits (an article as its model has it) replace the index's rows of
    it; an index removed: no pages (the board is made in memory)."""
    dataset = make(tmp_path / "db", 3, 6)
    pages = open_pages(dataset)
    assert pages is not None
    pages.walk()
    doc_id = dataset.ids()[0]
    article = dataset.article(doc_id)
    claim = Span.new(article.document.text, 0, 2, "CLAIM", "alice")
    actor = Span.new(article.document.text, 0, 2, "ACTOR", "alice").with_attribute(
        "canonical", "Somebody New")
    edited = type(article)(article.document, [*article.spans, claim, actor],
                           dict(article.status), 0,
                           [*article.relations, Relation(claim.id, actor.id, "SOURCE",
                                                         "alice")])
    pages.put(doc_id, edited)
    board = pages.board(Filter(actor="somebody new"))
    assert board.lines is not None
    assert [(line.name, line.left and line.left.claim.id) for line in board.lines] == [
        ("Somebody New", None), ("Somebody New", claim.id)]
    pages.put(doc_id, None)  # gone
    assert pages.board(Filter()).shown == sum(
        1 for other in dataset.ids()[1:] for _row in claim_rows(
            dataset.article(other), dataset.labels, sentences=False))
    pages.close()
    shutil.rmtree(tmp_path / "db" / FOLDER)
    assert open_pages(dataset) is None


def test_a_file_changed_behind_the_index_is_shown_as_it_is(tmp_path):
    dataset = make(tmp_path / "db", 11, 5)
    doc_id = next(i for i in dataset.ids() if dataset.article(i).relations)
    index = tmp_path / "db" / FOLDER / NAME
    dataset.settle()  # the rows of its saves written (a thread)
    kept = index.read_bytes()
    for link in dataset.article(doc_id).relations:
        dataset.remove_relation(doc_id, link.id)
    dataset.settle()  # its row of the index first: never written over the copy
    index.write_bytes(kept)
    os.utime(tmp_path / "db" / f"{doc_id}.json", ns=(1, 1))
    pages = open_pages(dataset)
    assert pages is not None and doc_id in pages.replaced
    pages.walk()
    assert paged(pages, Filter(), "forwards") == reference(dataset, Filter())
    pages.close()
