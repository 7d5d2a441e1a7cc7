"""The dataset's index (.cache/index.sqlite): kept by the writers as they save and import,
used only where a file's signature is the one in its row (a file changed behind its back
is read again, and its row put right), corrected on the next opening after a writer is
killed between its file and its row, never written by a read-only command; and the
commands that read every article hold one article at a time, however many there are."""

from __future__ import annotations

import contextlib
import gc
import io
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.core.test_claim_cache import board_of
from tests.core.test_claim_cache import from_files as board_from_files
from tests.hostile.attack import snapshot
from tui import interchange
from tui.claims_output import print_claims
from tui.core.disk.article_file import Article
from tui.core.document.model import Document, Relation, Span
from tui.core.store.article_index import FOLDER, NAME, PAGE, ArticleIndex
from tui.core.store.claim_cache import cached_articles
from tui.core.store.dataset import Dataset, summary
from tui.core.store.tally import Tally
from tui.core.team.agreement import agree, compared, kept, tally

TEXT = "Putin told Trump that Kyiv would talk in Riyadh. Zelensky said Russia lied."


def build(folder: Path, count: int = 4) -> Dataset:
    dataset = Dataset(folder, "alice")
    items = []
    for n in range(count):
        text = f"Article {n}. {TEXT}"
        spans = []
        links = []
        for who in ("alice", "bob"):
            actor = Span.new(text, text.index("Putin"), text.index("Putin") + 5, "ACTOR", who)
            claim = Span.new(text, text.index("Kyiv"), text.index(" in Riyadh"), "CLAIM", who)
            spans += [actor, claim]
            links.append(Relation(claim.id, actor.id, "SOURCE", who))
        items.append((Document.from_text(text), spans, links))
    dataset.add_articles(items, keep_tokens=False)
    for doc_id in dataset.ids()[: count // 2]:
        for who in ("alice", "bob"):
            Dataset(folder, who).set_status(doc_id, "done")
    return dataset


@pytest.fixture
def dataset(tmp_path) -> Dataset:
    return build(tmp_path / "db")


def index_rows(dataset: Dataset) -> dict[str, tuple[int, int, int]]:
    with sqlite3.connect(dataset.folder / FOLDER / NAME) as db:
        return {r[0]: (r[1], r[2], r[3]) for r in db.execute(
            "SELECT id, ino, mtime, size FROM articles")}


def reading(monkeypatch) -> list[str]:
    """The ids of the article files read from now on."""
    read: list[str] = []
    article = Dataset.article
    monkeypatch.setattr(Dataset, "article", lambda self, i: read.append(i) or article(self, i))
    return read


def from_files(dataset: Dataset) -> list:
    return [summary(a, dataset.annotator) for a in dataset.readable([])]


def test_every_save_and_import_keeps_its_row_and_the_library_reads_no_file(
        dataset, monkeypatch):
    doc_id = dataset.ids()[0]
    dataset.new_span(doc_id, 0, 7, "LOCATION")
    dataset.set_status(doc_id, "skipped")
    assert index_rows(dataset) == {i: dataset.stamp(i) for i in dataset.ids()}
    read = reading(monkeypatch)
    rows, problems = Dataset.existing(dataset.folder, "alice").summaries()
    assert read == [] and problems == []
    changed = next(r for r in rows if r.id == doc_id)
    assert changed.every == 5 and changed.spans == 3 and changed.status == "skipped"
    figures = Tally().figures(Dataset.existing(dataset.folder, "alice"))
    assert read == [] and figures.labels["LOCATION"] == 1
    assert len(list(cached_articles(Dataset.existing(dataset.folder, "bob"), []))) == 4
    assert read == []
    monkeypatch.undo()
    assert rows == from_files(dataset)


def page_size(index: Path) -> int:
    with contextlib.closing(sqlite3.connect(index)) as db:
        return db.execute("PRAGMA page_size").fetchone()[0]


def test_a_new_index_has_large_pages_and_one_made_before_with_small_ones_is_kept(
        dataset, monkeypatch):
    index = dataset.folder / FOLDER / NAME
    assert PAGE > 4096 and page_size(index) == PAGE
    with contextlib.closing(sqlite3.connect(index, isolation_level=None)) as db:
        db.execute("PRAGMA page_size = 4096")  # SQLite's default, as an earlier gloss made it
        db.execute("VACUUM")
    assert page_size(index) == 4096
    doc_id = dataset.ids()[0]
    writer = Dataset(dataset.folder, "alice")
    writer.new_span(doc_id, 0, 7, "LOCATION")
    writer.settle()
    assert page_size(index) == 4096  # never made again: its rows are sound
    assert index_rows(dataset) == {i: dataset.stamp(i) for i in dataset.ids()}
    read = reading(monkeypatch)
    rows, problems = Dataset.existing(dataset.folder, "alice").summaries()
    assert read == [] and problems == []
    monkeypatch.undo()
    assert rows == from_files(dataset)


def test_a_file_changed_behind_its_back_is_read_again_and_its_row_put_right(
        dataset, monkeypatch):
    """Another program (git, an older Gloss) replaces a file: its signature is not the
    row's, so the file is read, and a writable dataset writes the row again."""
    doc_id = dataset.ids()[1]
    path = dataset.path(doc_id)
    stat = path.stat()
    other = Dataset(dataset.folder, "carol")
    other.index.write = False  # a writer that keeps no index
    other.new_span(doc_id, 0, 7, "LOCATION")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # even the same time
    read = reading(monkeypatch)
    rows, _ = Dataset.existing(dataset.folder, "alice").summaries()
    assert read == [doc_id]
    assert next(r for r in rows if r.id == doc_id).every == 5
    assert index_rows(dataset)[doc_id] != dataset.stamp(doc_id)  # read-only: not written
    read.clear()
    Dataset(dataset.folder, "alice").summaries()
    assert read == [doc_id] and index_rows(dataset)[doc_id] == dataset.stamp(doc_id)
    read.clear()
    Dataset(dataset.folder, "alice").summaries()
    assert read == []


def test_a_missing_index_is_rebuilt_with_progress_and_a_read_only_command_writes_none(
        dataset):
    index = dataset.folder / FOLDER / NAME
    index.unlink()
    before = snapshot(dataset.folder)
    reader = Dataset.existing(dataset.folder, "alice")
    assert reader.summaries()[0] == from_files(dataset)
    assert snapshot(dataset.folder) == before  # nothing written
    seen: list[tuple[int, int]] = []
    writer = Dataset(dataset.folder, "alice")
    list(writer.index.scan(writer, "summary", lambda done, total: seen.append((done, total))))
    assert seen[0] == (0, 4) and seen[-1] == (4, 4)
    assert index_rows(dataset) == {i: dataset.stamp(i) for i in dataset.ids()}


def as_version_2(index: Path) -> None:
    """Turn an index into one of version 2: the claims digest a column of the articles."""
    with sqlite3.connect(index) as db:
        db.executescript("""
            CREATE TABLE old (id TEXT PRIMARY KEY, ino INTEGER, mtime INTEGER, size INTEGER,
                labels TEXT, added INTEGER, summary BLOB, counts BLOB, claims BLOB);
            INSERT INTO old SELECT a.id, a.ino, a.mtime, a.size, a.labels, a.added, a.summary,
                    a.counts, d.claims FROM articles a LEFT JOIN digests d USING (id);
            DROP TABLE articles; DROP TABLE digests; DROP TABLE agrees;
            ALTER TABLE old RENAME TO articles;
            CREATE INDEX by_added ON articles (added, id);
            UPDATE meta SET value = '2' WHERE name = 'version';""")


def test_an_index_of_version_2_is_read_as_it_is_and_brought_up_by_a_writer(
        dataset, monkeypatch):
    """After an upgrade, a read-only command reads the older index (its rows are the same)
    and writes nothing; the first writer brings it up to this version in place, reading
    no article file."""
    index = dataset.folder / FOLDER / NAME
    as_version_2(index)
    rows, claims = from_files(dataset), board_from_files(dataset)
    figures = Tally().figures(dataset).to_json()
    before = snapshot(dataset.folder)
    read = reading(monkeypatch)
    reader = Dataset.existing(dataset.folder, "alice")
    assert reader.summaries()[0] == rows and board_of(reader) == claims
    assert Tally().figures(reader).to_json() == figures
    assert read == [] and snapshot(dataset.folder) == before
    writer = Dataset(dataset.folder, "alice")
    assert writer.summaries()[0] == rows and board_of(writer) == claims
    assert read == []
    with sqlite3.connect(index) as db:
        assert db.execute("SELECT value FROM meta").fetchone() == ("4",)
        assert db.execute("SELECT count(*) FROM digests").fetchone() == (4,)
    assert Tally().figures(Dataset.existing(dataset.folder, "alice")).to_json() == figures


def as_version_3(index: Path) -> None:
    """Turn an index into one of version 3: the agree digests a column of the articles."""
    with sqlite3.connect(index) as db:
        db.executescript("""
            CREATE TABLE old (id TEXT NOT NULL, ino INTEGER, mtime INTEGER, size INTEGER,
                labels TEXT, added INTEGER NOT NULL, summary BLOB, counts BLOB, agree BLOB,
                PRIMARY KEY (added, id)) WITHOUT ROWID;
            INSERT INTO old SELECT a.id, a.ino, a.mtime, a.size, a.labels, a.added,
                a.summary, a.counts, g.agree FROM articles a LEFT JOIN agrees g USING (id);
            DROP TABLE articles; DROP TABLE agrees; ALTER TABLE old RENAME TO articles;
            CREATE UNIQUE INDEX by_id ON articles (id);
            UPDATE meta SET value = '3' WHERE name = 'version';""")


def agreement(dataset: Dataset) -> dict[str, object]:
    """What ``gloss agree`` says of alice and bob, from the index's digests."""
    problems: list[str] = []
    report = tally(kept(dataset, problems), ["alice", "bob"], dataset.labels.names(),
                   every=True)
    assert problems == []
    return report.to_json()


def test_an_index_of_version_3_is_read_as_it_is_and_brought_up_by_a_writer(
        dataset, monkeypatch):
    """Version 3 kept the agree digests in the articles' rows: a read-only command reads
    them there and writes nothing; the first writer moves them to their table in place,
    reading no article file; the library, the stats, the board and the agreement say
    the same throughout."""
    doc_id = dataset.ids()[0]
    dataset.new_span(doc_id, 0, 7, "LOCATION")  # not every article alike
    index = dataset.folder / FOLDER / NAME
    rows, claims = from_files(dataset), board_from_files(dataset)
    figures, agreed = Tally().figures(dataset).to_json(), agreement(dataset)
    as_version_3(index)
    before = snapshot(dataset.folder)
    read = reading(monkeypatch)
    reader = Dataset.existing(dataset.folder, "alice")
    assert reader.summaries()[0] == rows and board_of(reader) == claims
    assert Tally().figures(reader).to_json() == figures
    assert agreement(reader) == agreed
    assert read == [] and snapshot(dataset.folder) == before
    writer = Dataset(dataset.folder, "alice")
    assert writer.summaries()[0] == rows and board_of(writer) == claims
    assert read == []
    with sqlite3.connect(index) as db:
        assert db.execute("SELECT value FROM meta").fetchone() == ("4",)
        assert "agree" not in [c[1] for c in db.execute("PRAGMA table_info(articles)")]
        assert db.execute("SELECT count(*) FROM agrees").fetchone() == (4,)
    reader = Dataset.existing(dataset.folder, "alice")
    assert agreement(reader) == agreed and Tally().figures(reader).to_json() == figures
    assert reader.summaries()[0] == rows and read == []
    Dataset(dataset.folder, "bob").new_span(doc_id, 0, 7, "LOCATION")  # its digest
    read.clear()
    reader = Dataset.existing(dataset.folder, "alice")  # replaced with its row
    now = agreement(reader)
    assert read == [] and now != agreed
    assert now == agree(reader.readable([]), ["alice", "bob"],
                        reader.labels.names()).to_json()


def test_a_writer_killed_between_its_file_and_its_row_is_corrected_on_next_open(
        dataset, monkeypatch):
    doc_id = dataset.ids()[2]
    child = subprocess.Popen(
        [sys.executable, "-c", "import sys; from tui.core.store.dataset import Dataset; "
         "Dataset(sys.argv[1], 'dmytro').new_span(sys.argv[2], 0, 7, 'LOCATION')",
         str(dataset.folder), doc_id],
        env={**os.environ, "GLOSS_STOP_AT": "saved"}, stderr=subprocess.PIPE, text=True)
    assert child.stderr is not None
    assert child.stderr.readline() == "stopped at saved\n"
    child.send_signal(signal.SIGKILL)
    child.wait()
    assert index_rows(dataset)[doc_id] != dataset.stamp(doc_id)  # the row is stale
    read = reading(monkeypatch)
    opened = Dataset(dataset.folder, "alice")
    rows, _ = opened.summaries()
    assert read == [doc_id]
    assert next(r for r in rows if r.id == doc_id).analysts == ("alice", "bob", "dmytro")
    assert index_rows(dataset)[doc_id] == dataset.stamp(doc_id)


def test_labels_whose_claims_differ_make_every_row_stale(dataset, monkeypatch):
    from tui.core.document.model import LabelSet

    dataset.replace_labels(LabelSet.from_names(["ACTOR", "LOCATION"]))
    read = reading(monkeypatch)
    figures = Tally().figures(Dataset.existing(dataset.folder, "alice"))
    assert len(read) == 4 and figures.claims == {}


def live_articles() -> int:
    return sum(isinstance(o, Article) for o in gc.get_objects())


@pytest.mark.parametrize("count", [6, 30])
def test_commands_that_read_every_article_hold_one_at_a_time(tmp_path, monkeypatch, count):
    """Memory bounded by the largest article, not the dataset: while the export, the
    agreement and the claims' JSONL go through the articles, the Article objects alive
    at any read are a few, whether there are 6 articles or 30."""
    dataset = build(tmp_path / "db", count)
    most = [0]
    article = Dataset.article

    def counted(self: Dataset, doc_id: str) -> Article:
        most[0] = max(most[0], live_articles())
        return article(self, doc_id)

    monkeypatch.setattr(Dataset, "article", counted)
    reader = Dataset.existing(dataset.folder, "alice")
    interchange.export(reader, io.BytesIO(), "jsonl")
    agree(compared(reader.some(set(reader.ids()), []), ["alice", "bob"], every=True),
          ["alice", "bob"], reader.labels.names())
    print_claims(reader, "jsonl", out=io.BytesIO())
    assert most[0] <= 2


STEPS = st.lists(st.tuples(
    st.sampled_from(["span", "span, no index", "status", "remove", "relabel", "labels"]),
    st.integers(0, 3), st.integers(0, 60)), min_size=1, max_size=8)


@settings(max_examples=20, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=STEPS)
def test_whatever_is_done_the_index_says_what_the_files_say(tmp_path_factory, steps):
    """Saves with and without the index kept, statuses, removed files, another label set:
    the library's rows, the figures and the claims from the index are those of the files,
    for a reader and for a writer."""
    dataset = build(tmp_path_factory.mktemp("db") / "db", 4)
    ids = dataset.ids()
    for what, which, start in steps:
        doc_id = ids[which]
        if not dataset.path(doc_id).exists():
            continue
        writer = Dataset(dataset.folder, "erin")
        if what.startswith("span"):
            writer.index.write = what == "span"
            writer.new_span(doc_id, start, start + 3, "LOCATION")
        elif what == "status":
            writer.set_status(doc_id, "done")
        elif what == "remove":
            dataset.path(doc_id).unlink()
        elif what == "relabel":
            span = writer.spans(doc_id)[0]
            writer.relabel_span(doc_id, span.id, "ACTOR" if span.label != "ACTOR" else "CLAIM")
        else:
            from tui.core.document.model import LabelSet
            writer.replace_labels(LabelSet.from_names(["ACTOR", "LOCATION"]))
        for reader in (Dataset.existing(dataset.folder, "alice"),
                       Dataset(dataset.folder, "alice")):
            assert reader.summaries()[0] == from_files(reader)
            counted = Tally().figures(reader).to_json()
            with_no_index = Dataset.existing(dataset.folder, "alice")
            with_no_index.index.path = dataset.folder / "no such index"
            assert counted == Tally().figures(with_no_index).to_json()
            assert board_of(reader) == board_from_files(reader)


def test_a_row_that_could_not_be_rewritten_is_never_trusted(dataset, monkeypatch):
    """A file changed behind the index's back, and the index then busy (another writer's
    transaction): the claims come from the file, not from the stale row."""
    doc_id = dataset.ids()[0]
    other = Dataset(dataset.folder, "carol")
    other.index.write = False
    claim = next(s for s in other.spans(doc_id) if s.label == "CLAIM")
    other.relabel_span(doc_id, claim.id, "LOCATION")
    monkeypatch.setattr(ArticleIndex, "record_made", lambda *args: None)
    for reader in (Dataset(dataset.folder, "alice"), Dataset.existing(dataset.folder, "x")):
        assert board_of(reader) == board_from_files(reader)
        assert reader.summaries()[0] == from_files(reader)


def test_an_index_held_by_another_process_is_never_replaced_by_a_writer(dataset, monkeypatch):
    """Another process holding the index past the timeout (a writer bringing it up, a long
    transaction) leaves this writer without an index for now: the files are read, and
    the index, sound, is neither removed nor rebuilt under the other process."""
    from tui.core.store import article_index

    path = dataset.folder / FOLDER / NAME
    rows = index_rows(dataset)
    inode = path.stat().st_ino
    monkeypatch.setattr(article_index, "BUSY_S", 0.05)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        writer = Dataset(dataset.folder, "alice")
        assert sorted(a.id for a in writer.summaries()[0]) == sorted(rows)
        assert path.stat().st_ino == inode
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert index_rows(dataset) == rows
