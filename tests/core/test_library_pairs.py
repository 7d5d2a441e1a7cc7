"""The library of `gloss review` for any reviewer and any pair of analysts comes from the
index (each agreement that is not the one a row keeps, from the article's agree digest)
and says what the files say: the same rows, byte for byte, as reading every article, on
random datasets of several analysts, whoever reviews and whichever two are compared;
after edits by another process that kept no index (those rows stale: their files read),
and for articles whose digest is not kept (too long: their file read)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui.core.document.model import REVIEWER, STATUSES, Document, Span
from tui.core.store import agree_digest
from tui.core.store.dataset import Dataset, summary

NAMES = ["alice", "bob", "carol", REVIEWER]
WORDS = ["Putin", "said", "Kyiv", "talks", "in", "Riyadh", "Zelensky", "x", ",", "."]
LABELS = ["ACTOR", "CLAIM", "LOCATION"]
STAMP = "2026-03-02T08:00:00+00:00"
# an article longer than this keeps no agree digest here (its file is read for a pair)
SHORT = 60

Item = tuple[str, list[tuple[str, int, int, str]], dict[str, str]]


@st.composite
def article(draw: st.DrawFn, n: int) -> Item:
    text = f"Article {n}: " + " ".join(draw(st.lists(st.sampled_from(WORDS), min_size=1,
                                                     max_size=20)))
    spans = []
    for who in draw(st.lists(st.sampled_from(NAMES), unique=True, max_size=4)):
        for _ in range(draw(st.integers(0, 5))):
            start = draw(st.integers(0, len(text) - 1))
            end = draw(st.integers(start + 1, min(len(text), start + 15)))
            spans.append((who, start, end, draw(st.sampled_from(LABELS))))
    status = draw(st.dictionaries(st.sampled_from(NAMES), st.sampled_from(
        ["done", "done", "done", *STATUSES]), max_size=4))  # absent from some: no status
    return text, spans, status


DATASETS = st.integers(1, 6).flatmap(
    lambda count: st.tuples(*(article(n) for n in range(count))).map(list))
CHOICES = st.tuples(
    st.sampled_from([REVIEWER, "alice", "carol", "erin"]),
    st.sampled_from([(), ("bob", "alice"), ("alice", "bob"), ("carol", "alice"),
                     ("alice", "dave"), ("alice", "alice"), ("carol",),
                     ("bob", "carol", "alice")]))
EDITS = st.lists(st.tuples(st.integers(0, 5), st.sampled_from(NAMES),
                           st.sampled_from(["span", "done", "reviewed", "todo"]),
                           st.booleans()), max_size=4)


def build(folder: Path, items: list[Item]) -> Dataset:
    dataset = Dataset(folder, "alice")
    made, statuses = [], {}
    for text, spans, status in items:
        document = Document.from_text(text)
        made.append((document, [Span.new(text, start, end, label, who)
                                for who, start, end, label in spans], []))
        statuses[document.id] = [{"annotator": who, "status": s, "updated": STAMP}
                                 for who, s in status.items()]
    dataset.add_articles(made, statuses=statuses, keep_tokens=False)
    return dataset


def from_files(folder: Path, who: str, reviewer: str, pair: tuple[str, ...]) -> list:
    return [summary(a, who, reviewer, pair)
            for a in Dataset.existing(folder, who).readable([])]


@pytest.fixture
def short_digests(monkeypatch) -> None:
    monkeypatch.setattr(agree_digest, "KEPT_UP_TO", SHORT)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(items=DATASETS, choice=CHOICES, edits=EDITS)
def test_the_library_for_any_reviewer_and_pair_says_what_the_files_say(
        tmp_path_factory, short_digests, items, choice, edits):
    reviewer, pair = choice
    folder = build(tmp_path_factory.mktemp("db") / "db", items).folder
    who = reviewer  # `gloss review`: the reviewer is who works there
    for reader in (Dataset.existing(folder, who), Dataset(folder, who)):
        expected = from_files(folder, who, reviewer, pair)
        assert reader.summaries(reviewer, pair) == (expected, [])
        assert reader.summaries(reviewer, pair, trusted=True) == (expected, [])
    ids = Dataset.existing(folder, who).ids()
    for which, name, what, kept in edits:  # another process's, with or without its row
        doc_id = ids[which % len(ids)]
        other = Dataset(folder, name)
        other.index.write = kept
        if what == "span":
            other.new_span(doc_id, 0, 7, "ACTOR")
        else:
            other.set_status(doc_id, what)
    expected = from_files(folder, who, reviewer, pair)
    for reader in (Dataset.existing(folder, who), Dataset(folder, who)):
        assert reader.summaries(reviewer, pair) == (expected, [])
    # the rows put right by the writer just before: as they stand, they are the files'
    assert Dataset(folder, who).summaries(reviewer, pair, trusted=True) == (expected, [])


def team(folder: Path) -> Dataset:
    """Four articles of three analysts who all marked them done: alice and bob label
    Putin and Kyiv, carol Putin and a longer claim; the last article too long for its
    digest to be kept (``SHORT``)."""
    items: list[Item] = []
    for n in range(4):
        text = f"Article {n}: Putin said Kyiv would talk in Riyadh" + " x" * (20 * (n == 3))
        putin, kyiv = text.index("Putin"), text.index("Kyiv")
        spans = [(who, putin, putin + 5, "ACTOR") for who in ("alice", "bob", "carol")]
        spans += [(who, kyiv, kyiv + 4, "LOCATION") for who in ("alice", "bob")]
        spans.append(("carol", kyiv, len(text), "CLAIM"))
        items.append((text, spans, dict.fromkeys(("alice", "bob", "carol"), "done")))
    return build(folder, items)


def test_a_fresh_index_reads_no_file_but_those_without_a_digest(tmp_path, monkeypatch,
                                                                short_digests):
    folder = team(tmp_path / "db").folder
    read: list[str] = []
    article = Dataset.article
    monkeypatch.setattr(Dataset, "article", lambda self, i: read.append(i) or article(self, i))
    long_one = next(r.id for r in Dataset.existing(folder, "x").summaries()[0]
                    if r.length > SHORT)
    assert read == []
    for reviewer, pair in (("olena", ()), ("alice", ()), (REVIEWER, ("carol", "alice")),
                           (REVIEWER, ("bob", "alice")), (REVIEWER, ("alice", "bob"))):
        read.clear()
        rows, _ = Dataset.existing(folder, reviewer).summaries(reviewer, pair)
        # alice reviewing: bob against carol; a pair of the default two: the kept figure
        assert read == ([long_one] if reviewer == "alice" or "carol" in pair
                        or pair == ("bob", "alice") else [])
        assert rows == from_files(folder, reviewer, reviewer, pair)
    figures = {r.agreement for r in Dataset.existing(folder, "x").summaries(
        REVIEWER, ("carol", "alice"))[0]}
    assert figures == {0.5}  # Putin of 2 spans each: not the 1.0 of alice and bob


def test_a_row_stale_after_another_process_s_edit_never_lends_its_digest(tmp_path):
    """carol labels Kyiv as alice did, in a process that keeps no index: her row and its
    digest are stale, and the figure is the file's (2 of 3 and 2 spans), not the digest's
    (1 match), for a reader, for a writer (which puts the row right) and after it."""
    folder = team(tmp_path / "db").folder
    doc_id = Dataset.existing(folder, "x").ids()[0]
    carol = Dataset(folder, "carol")
    carol.index.write = False
    text = carol.document(doc_id).text
    carol.new_span(doc_id, text.index("Kyiv"), text.index("Kyiv") + 4, "LOCATION")
    pair = ("carol", "alice")
    for reader in (Dataset.existing(folder, "x"), Dataset(folder, "x"),
                   Dataset.existing(folder, "x")):
        row = next(r for r in reader.summaries(REVIEWER, pair)[0] if r.id == doc_id)
        assert row.agreement == 2 * 2 / (3 + 2)


def test_a_lone_analysts_article_says_who_marked_it_done_and_who_reviewed_it(tmp_path):
    """A team's library row of an article only one analyst worked on: done by them when
    they marked it done, reviewed by them when reviewed; never their review shown as
    "done by". Rows an earlier build indexed (reviewers stored as done_by) read the same."""
    from tui.core.store.index_columns import SummaryRow

    dataset = Dataset(tmp_path / "db", "alice")
    texts = ["Putin said so in Kyiv.", "Zelensky said so in Riyadh.", "Talks in Kyiv."]
    dataset.add_articles([(Document.from_text(text), [], []) for text in texts])
    done, reviewed, untouched = dataset.ids()
    dataset.set_status(done, "done")
    dataset.set_status(reviewed, "reviewed")
    rows = {row.id: (row.done_by, row.reviewed_by) for row in dataset.summaries()[0]}
    assert rows == {done: (("alice",), ()), reviewed: ((), ("alice",)), untouched: ((), ())}
    old = SummaryRow("t", 5, 0, {"alice": "reviewed"}, ("alice",), ("alice",), (), None, {})
    assert old.marked() == ((), ("alice",))
