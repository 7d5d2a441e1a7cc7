"""The index's claims table (``claim_table.py``): ``gloss claims`` from it prints, byte for
byte, what the article files say (grouped as ``claim_board.group`` groups the rows made
from the files), whatever the filters, and whether the index is fresh, missing, partly
stale (files changed behind its back), or forged row by row."""

from __future__ import annotations

import contextlib
import csv
import io
import os
import random
import re
import shutil
import sqlite3
import tempfile
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.console import Console
from rich.table import Table
from rich.text import Text

from tui import claims_output, claims_table_output
from tui.claims_output import print_claims
from tui.core.attribution.claim_board import claim_rows, group
from tui.core.document.model import Document, Relation, Span
from tui.core.language.visible import escape_controls, json_bytes, visible
from tui.core.store import claim_table
from tui.core.store.article_index import FOLDER, NAME, labels_key, signature
from tui.core.store.dataset import Dataset

NAMES = ("Putin", "putin", "PUTIN", "Trump", "Zelensky", "the envoy", "Kyiv", "kyiv",
         "Riyadh", "\x1b[31mred", "Ärzte", "ǅemal", "İstanbul")
WORDS = ("said", "that", "talks", "would", "resume", "in", "the", "truce.", "Monday.")


def reference(dataset: Dataset, fmt: str, actor: str = "", place: str = "",
              status: str = "") -> tuple[bytes, list[str]]:
    """What the board says from the files: ``claim_board.group`` over every article's
    rows, printed as ``gloss claims`` prints them."""
    problems: list[str] = []
    texts = {}
    rows = []
    for article in dataset.readable(problems):
        texts[article.document.id] = article.document.text
        rows += claim_rows(article, dataset.labels)
    out = io.StringIO()
    data = b""
    if fmt == "csv":
        writer = csv.writer(out)
        writer.writerow(["source", "claim", "places", "title", "date", "status", "article"])
    for source, kept in group(rows, actor=actor, place=place, status=status).items():
        for row in kept:
            if fmt == "jsonl":
                data += json_bytes(row.record(texts[row.article])) + b"\n"
            else:
                writer.writerow([escape_controls(v) for v in (
                    source, row.claim.text, "; ".join(row.place_names), row.title, row.date,
                    row.status, row.article)])
    return data if fmt == "jsonl" else out.getvalue().encode(), problems


def reference_table(dataset: Dataset, **filters: str) -> str:
    """The table as Rich draws it from the files' rows (the old way, all in memory)."""
    rows = [row for article in dataset.readable([])
            for row in claim_rows(article, dataset.labels)]
    groups = group(rows, **filters)
    table = Table(title=f"{sum(map(len, groups.values()))} claims", expand=True)
    for name, ratio in (("source", 2), ("claim", 5), ("places", 2), ("article", 3)):
        table.add_column(name, ratio=ratio, overflow="fold")
    table.add_column("date", width=10, overflow="fold")
    for source, kept in groups.items():
        for n, row in enumerate(kept):
            table.add_row(Text(visible(source), style="bold") if n == 0 else "",
                          Text(visible(row.claim.text)), Text(visible(", ".join(
                              row.place_names))), Text(visible(row.title)),
                          Text(visible(row.date)), end_section=n == len(kept) - 1)
    out = io.StringIO()
    Console(file=out, width=100).print(table)
    return out.getvalue()


def printed(dataset: Dataset, fmt: str, **filters: str) -> tuple[bytes, list[str]]:
    out = io.BytesIO()
    problems = print_claims(dataset, fmt, out=out, **filters)
    return out.getvalue(), problems


def printed_in_two(dataset: Dataset, path: Path, piece: int, **filters: str
                   ) -> tuple[bytes, list[str]]:
    """The JSONL as ``gloss claims`` writes it into a file on two processes (where it
    may: every article's rows the index's own), in ranges of ``piece`` claims."""
    with mock.patch.object(claims_output, "TWO_FROM", 1), \
            mock.patch.object(claims_output, "PIECE", piece), path.open("wb") as out:
        problems = print_claims(dataset, "jsonl", out=out, **filters)
    return path.read_bytes(), problems


def printed_table(dataset: Dataset, chunk: int = 2000, first: int = 60, **filters: str) -> str:
    """The table as ``gloss claims`` draws it, ``first`` rows, then ``chunk`` at a time."""
    out = io.StringIO()
    with mock.patch.dict(os.environ, {"COLUMNS": "100"}), contextlib.redirect_stdout(out), \
            mock.patch.object(claims_table_output, "CHUNK", chunk), \
            mock.patch.object(claims_table_output, "FIRST", first):
        print_claims(dataset, "table", out=io.BytesIO(), **filters)
    return out.getvalue()


def changed_behind_the_index(folder: Path, ids: list[str], rng: random.Random,
                             *swaps: tuple[bytes, bytes]) -> None:
    """Half the articles (one at least) changed by another tool, behind the index's back:
    their source renamed, and ``swaps`` made."""
    for doc_id in rng.sample(ids, max(1, len(ids) // 2)):
        change_behind_the_index(folder / f"{doc_id}.json", *swaps)


def change_behind_the_index(path: Path, *swaps: tuple[bytes, bytes]) -> None:
    """One article's file changed by another tool, behind the index's back: a new file
    where it was, its source renamed, and ``swaps`` made."""
    data = path.read_bytes()
    path.unlink()
    for old, new in ((b'"gloss"', b'"other"'), *swaps):
        data = data.replace(old, new, 1)
    path.write_bytes(data)
    os.utime(path, ns=(1, 1))


def put_in_state(folder: Path, writer: Dataset, state: str, seed: int,
                 forged: dict[str, str], *swaps: tuple[bytes, bytes]) -> None:
    """The index of ``folder`` put in ``state``: none, stale (``changed_behind_the_index``
    with ``swaps``), forged by one of ``forged``'s statements, of the layout before
    (old), or as the writers left it (any other state)."""
    index = folder / FOLDER / NAME
    ids = writer.ids()
    if state == "none":
        shutil.rmtree(folder / FOLDER, ignore_errors=True)
    elif state == "stale" and ids:
        changed_behind_the_index(folder, ids, random.Random(seed), *swaps)
    elif state in forged:
        with contextlib.closing(sqlite3.connect(index)) as db, db:
            db.execute(forged[state])
    elif state == "old":  # an index of the layout before, read as it is
        to_old_layout(index)


def make(folder: Path, seed: int, count: int, metas: tuple[dict[str, object], ...] = ()
         ) -> Dataset:
    """``count`` random articles; ``metas``: each article's metadata gets one of them (an
    outlet, say), and some claims a quote (what the Parquet's columns read)."""
    rng = random.Random(seed)
    dataset = Dataset(folder, "alice")
    items = []
    for n in range(count):
        words = [rng.choice(NAMES + WORDS) for _ in range(rng.randint(4, 30))]
        text = f"A{n} " + " ".join(words)
        starts = [i + 1 for i, ch in enumerate(text) if ch == " "]
        spans: list[Span] = []
        links = []
        for who in ("alice", "bob")[: rng.randint(1, 2)]:
            mine: dict[str, list[Span]] = {"ACTOR": [], "CLAIM": [], "LOCATION": []}
            for start in rng.sample(starts, min(len(starts), rng.randint(0, 8))):
                end = text.find(" ", start)
                end = end if end > 0 else len(text)
                label = rng.choice(list(mine))
                span = Span.new(text, start, end, label, who)
                if rng.random() < 0.3:
                    span = span.with_attribute("canonical", rng.choice(NAMES))
                if label == "CLAIM" and rng.random() < 0.3:
                    span = span.with_attribute("source_kind",
                                               rng.choice(["journalist", "unnamed"]))
                if label == "CLAIM" and metas and rng.random() < 0.5:
                    span = span.with_attribute("quote", rng.choice(["direct", "indirect"]))
                mine[label].append(span)
                spans.append(span)
            for claim in mine["CLAIM"]:
                if mine["ACTOR"] and rng.random() < 0.6:
                    links.append(Relation(claim.id, rng.choice(mine["ACTOR"]).id, "SOURCE",
                                          who))
                for place in mine["LOCATION"]:
                    if rng.random() < 0.4:
                        links.append(Relation(claim.id, place.id, "ABOUT", who))
        meta = {"title": f"T{n} {rng.choice(NAMES)}", "date": rng.choice(["", "2026-03-0"
                                                                          f"{n % 9 + 1}"]),
                **(rng.choice(metas) if metas else {})}
        items.append((Document.from_text(text, meta), spans, links))
    for first in range(0, count, 3):  # several imports: articles added at several times
        dataset.add_articles(items[first:first + 3], keep_tokens=False)
    return dataset


# rows changed by hand: the articles they touch are read from their files
FORGED = {
    "count forged": "UPDATE claim_sets SET n = n + 1 WHERE rowid % 2",
    "row added": "INSERT INTO claims SELECT source || 'x', added, article, seq, status,"
                 " places, cells, csv FROM claims LIMIT 1",
    "row deleted": "DELETE FROM claims WHERE (source, added, article, seq) IN"
                   " (SELECT source, added, article, seq FROM claims LIMIT 1)",
    "lines deleted": "DELETE FROM claim_jsonl WHERE seq % 2",
    "line parts deleted": "DELETE FROM claim_jsonl WHERE part = 1",
    "line part added": "INSERT INTO claim_jsonl SELECT source, added, article, seq, part + 1000000,"
                       " status, places, jsonl FROM claim_jsonl LIMIT 1",
    "cells forged": "UPDATE claims SET cells = x'7b' WHERE seq % 2",
    "rows of no article": "INSERT INTO claims SELECT source, added, 'nowhere', seq, status,"
                          " places, cells, csv FROM claims",
    "labels forged": "UPDATE claim_sets SET labels = 'x' WHERE rowid % 3",
    "signature forged": "UPDATE claim_sets SET mtime = mtime + 1 WHERE rowid % 2 = 0",
}

FILTERS = st.fixed_dictionaries({}, optional={
    "actor": st.sampled_from(["put", "PUTIN", "kyiv", "envoy", "(", "ärz", "\x1f"]),
    "place": st.sampled_from(["kyiv", "i̇stanbul", "riy", "\x1f", "e"]),
    "status": st.sampled_from(["sourced", "to do"])})


@settings(max_examples=20, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 10_000), count=st.integers(1, 9), filters=FILTERS,
       state=st.sampled_from(["fresh", "none", "stale", "long", "old", *FORGED]),
       part=st.sampled_from([claim_table.PART, 7, 100]), piece=st.integers(1, 6))
def test_gloss_claims_from_the_index_is_what_the_files_say(seed, count, filters, state,
                                                           part, piece):
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "db"
        # long: articles too long to keep their claims' rows, read from their files;
        # part: each JSONL line kept in parts of that many bytes
        with mock.patch.object(claim_table, "KEPT_UP_TO", -1 if state == "long" else
                               claim_table.KEPT_UP_TO), \
                mock.patch.object(claim_table, "PART", part):
            writer = make(folder, seed, count)
            writer.summaries()  # the index as the writers leave it
        put_in_state(folder, writer, state, seed, FORGED)
        reader = Dataset.existing(folder, "alice")
        for fmt in ("csv", "jsonl"):
            assert printed(reader, fmt, **filters) == reference(reader, fmt, **filters)
        assert printed_in_two(reader, Path(tmp) / "out.jsonl", piece, **filters) \
            == reference(reader, "jsonl", **filters)
        table = reference_table(reader, **filters)
        for first, chunk in ((1, 1), (2, 3), (60, 2000)):  # pieces of so many rows
            assert printed_table(reader, chunk, first, **filters) == table


SHORT_WAY = {  # forged so that the counts in all still add up, or a file gone
    "counts forged in turn": "UPDATE claim_sets SET n = n + (CASE WHEN rowid = 1 THEN 1"
                             " ELSE -1 END) WHERE rowid IN (1, 2)",
    "parquet flag forged": "UPDATE claim_sets SET wide = 0 WHERE rowid % 2",
    "a row of no file": "INSERT INTO claim_sets SELECT 'f' || substr(article, 2), ino,"
                        " mtime, size, labels, 0, 0, wide, 0 FROM claim_sets LIMIT 1",
    # claim_sets made again by hand without STRICT: a label set of NULL, a count of text
    "labels of null": "UPDATE claim_sets SET labels = NULL WHERE rowid = 1",
    "a count of text": "UPDATE claim_sets SET n = CAST(n AS TEXT) WHERE rowid = 1",
}


LAX = """
    CREATE TABLE lax (article PRIMARY KEY, ino, mtime, size, labels, n, lines, wide, cols);
    INSERT INTO lax SELECT * FROM claim_sets;
    DROP TABLE claim_sets;
    ALTER TABLE lax RENAME TO claim_sets;"""


@pytest.mark.parametrize("wide", [False, True], ids=["lines", "parquet"])
@pytest.mark.parametrize("state", ["fresh", "stale", "file gone", *FORGED, *SHORT_WAY])
def test_the_trust_checks_short_way_says_what_its_long_way_says(tmp_path, monkeypatch,
                                                                state, wide):
    """``trusted`` first tries every article fresh at once, in C (``_all_fresh``), the
    claims' total given by the groups: whatever the index or the files, it finds what the
    check article by article finds."""
    folder = tmp_path / "db"
    make(folder, 11, 8).summaries()
    ids = Dataset.existing(folder, "alice").ids()
    if state == "stale":
        changed_behind_the_index(folder, ids, random.Random(11))
    elif state == "file gone":
        (folder / f"{ids[0]}.json").unlink()
    elif state in FORGED or state in SHORT_WAY:
        with contextlib.closing(sqlite3.connect(folder / FOLDER / NAME)) as db, db:
            if state in ("labels of null", "a count of text"):
                db.executescript(LAX)
            db.execute({**FORGED, **SHORT_WAY}[state])
    reader = Dataset.existing(folder, "alice")
    stamps = dict(zip(reader.ids(), map(signature, reader.stats(reader.ids())), strict=True))
    key = labels_key(reader.labels)
    db = reader.index.connection()
    assert db is not None
    db.execute("BEGIN")
    try:
        query = claim_table.Query(db, "main.claims", "")
        query.groups()
        answered = []
        all_fresh = claim_table._all_fresh
        monkeypatch.setattr(claim_table, "_all_fresh",
                            lambda *args: answered.append(all_fresh(*args)) or answered[-1])
        short = claim_table.trusted(db, lambda: stamps, key, True, wide,
                                    {"claims": query.total} if query.total is not None else {})
        monkeypatch.setattr(claim_table, "_all_fresh", lambda *args: False)
        long = claim_table.trusted(db, stamps, key, True, wide)
    finally:
        db.execute("COMMIT")
    assert short == long
    # it answers only where every row stands (a row of no file, of no claim, is left to
    # the long way), and does where nothing was changed
    assert len(answered) == 1 and (not answered[0] or long == (set(), set()))
    assert answered == [True] or state not in ("fresh", "cells forged")


def to_old_layout(index: Path) -> None:
    """Turn the claims tables into those an index of version 3 had before its lines were
    kept in print order: each claim's line whole in ``claim_lines`` by (article, seq),
    no count of lines in ``claim_sets`` (nor whether its cells hold the Parquet's
    columns)."""
    with contextlib.closing(sqlite3.connect(index)) as db, db:
        lines: dict[tuple[str, int], bytes] = {}
        for article, seq, jsonl in db.execute(
                "SELECT article, seq, jsonl FROM claim_jsonl ORDER BY article, seq, part"):
            lines[article, seq] = lines.get((article, seq), b"") + jsonl
        db.executescript("""
            DROP TABLE claim_jsonl;
            ALTER TABLE claim_sets DROP COLUMN lines;
            ALTER TABLE claim_sets DROP COLUMN wide;
            CREATE TABLE claim_lines (article TEXT NOT NULL, seq INTEGER NOT NULL,
                jsonl BLOB NOT NULL) STRICT;
            CREATE UNIQUE INDEX claim_lines_key ON claim_lines (article, seq);""")
        db.executemany("INSERT INTO claim_lines VALUES (?, ?, ?)",
                       [(*key, line) for key, line in lines.items()])


SETS = "article, ino, mtime, size, labels, n, lines"  # claim_sets' columns but ``wide``


def test_an_index_of_the_layout_before_is_read_as_it_is_and_brought_up_by_a_writer(
        tmp_path, monkeypatch):
    """An index whose claims tables are of the layout before (version 3 as first
    released) is read as it is by a read-only command, byte for byte what the files say,
    and brought up in place by the first writer, with no article file read: its lines in
    print order, in parts, each article's rows counted."""
    folder = tmp_path / "db"
    writer = make(folder, 5, 9)
    text = "Kyiv said " + "the talks would resume in Riyadh " * 60 + "on Monday."
    writer.add_articles([(Document.from_text(text, {"title": "Long"}),
                          [Span.new(text, 5, 9, "CLAIM", "alice")], [])], keep_tokens=False)
    writer.summaries()
    index = folder / FOLDER / NAME
    with contextlib.closing(sqlite3.connect(index)) as db:
        made = db.execute("SELECT * FROM claim_jsonl ORDER BY source, added, article, seq,"
                          " part").fetchall()
        sets = db.execute(f"SELECT {SETS} FROM claim_sets ORDER BY article").fetchall()
    assert any(row[4] for row in made)  # some line in more than one part
    to_old_layout(index)
    expected = {fmt: reference(Dataset.existing(folder, "alice"), fmt)
                for fmt in ("csv", "jsonl")}
    read: list[str] = []
    article = Dataset.article
    monkeypatch.setattr(Dataset, "article", lambda self, i: read.append(i) or article(self, i))
    reader = Dataset.existing(folder, "alice")
    for fmt in ("csv", "jsonl"):
        assert printed(reader, fmt) == expected[fmt]
    with contextlib.closing(sqlite3.connect(index)) as db:
        assert claim_table.layout(db) == claim_table.OLD  # a reader never writes
    Dataset(folder, "alice").summaries()  # the first writer
    with contextlib.closing(sqlite3.connect(index)) as db:
        assert claim_table.layout(db) == claim_table.NEW
        assert db.execute("SELECT * FROM claim_jsonl ORDER BY source, added, article, seq,"
                          " part").fetchall() == made
        assert db.execute(f"SELECT {SETS} FROM claim_sets ORDER BY article").fetchall() == sets
        # the Parquet's columns are not in those cells: their files are read for it
        assert db.execute("SELECT DISTINCT wide FROM claim_sets").fetchall() == [(0,)]
    for fmt in ("csv", "jsonl"):
        assert printed(Dataset.existing(folder, "alice"), fmt) == expected[fmt]
    assert read == []


def test_a_save_keeps_the_claims_tables_and_gloss_claims_reads_no_file(tmp_path, monkeypatch):
    """Each save replaces its article's claim rows in the same transaction as its row: a
    new claim, its link, a claim removed and an article gone are printed at once, with
    no article file read."""
    folder = tmp_path / "db"
    writer = make(folder, 7, 4)
    doc_id = writer.ids()[0]
    text = writer.document(doc_id).text
    claim = writer.save_span(doc_id, Span.new(text, 0, 2, "CLAIM", "alice"))
    actor = writer.save_span(doc_id, Span.new(text, 0, 2, "ACTOR", "alice").with_attribute(
        "canonical", "Somebody New"))
    writer.save_relation(doc_id, Relation(claim.id, actor.id, "SOURCE", "alice"))
    removed = next(s for s in writer.article(writer.ids()[1]).spans if s.label == "CLAIM")
    writer.remove_span(writer.ids()[1], removed.id)
    (folder / f"{writer.ids()[2]}.json").unlink()
    expected = {fmt: reference(Dataset.existing(folder, "alice"), fmt) for fmt in
                ("csv", "jsonl")}
    read: list[str] = []
    article = Dataset.article
    monkeypatch.setattr(Dataset, "article", lambda self, i: read.append(i) or article(self, i))
    reader = Dataset.existing(folder, "alice")
    for fmt in ("csv", "jsonl"):
        assert printed(reader, fmt) == expected[fmt]
    assert b"Somebody New," in expected["csv"][0]
    assert read == []


def test_the_boards_first_rows_are_of_articles_the_index_holds_as_they_are(tmp_path):
    """``first_claims`` (the board while the session reads the dataset) shows no row of an
    article changed behind the index's back, nor of one whose rows were forged."""
    from tui.core.store.claim_pass import first_claims

    folder = tmp_path / "db"
    writer = make(folder, 11, 6)
    writer.summaries()
    rows = first_claims(Dataset.existing(folder, "alice"), 1000)
    assert rows is not None
    articles = {row.article for row in rows[1]}
    changed, forged = sorted(articles)[:2]
    path = folder / f"{changed}.json"
    os.utime(path, ns=(1, 1))
    with sqlite3.connect(folder / FOLDER / NAME) as db:
        db.execute("UPDATE claim_sets SET n = n + 1 WHERE article = ?", (forged,))
    groups, shown = first_claims(Dataset.existing(folder, "alice"), 1000) or ([], [])
    assert {row.article for row in shown} == articles - {changed, forged}
    assert sum(n for _source, n in groups) == sum(1 for a in Dataset.existing(
        folder, "alice").readable([]) for _row in claim_rows(a, writer.labels))


def test_the_boards_first_rows_never_take_a_writers_commit_halfway(tmp_path, monkeypatch):
    """The session's pass puts right an article changed behind the index's back (its
    claims and their signature, in one commit) while ``first_claims`` reads: the first
    rows never show the article's old claims on the word of its new signature."""
    from tui.core.store import article_index, claim_pass

    folder = tmp_path / "db"
    writer = make(folder, 11, 6)
    writer.summaries()
    writer.settle()
    article = next(i for i in writer.ids()
                   if any(r.label == "SOURCE" for r in writer.article(i).relations))
    index = folder / FOLDER / NAME
    kept = index.read_bytes()
    for link in writer.article(article).relations:
        writer.remove_relation(article, link.id)
    writer.settle()
    index.write_bytes(kept)  # the index as it was: the file changed behind its back
    now = {(row.source_name, row.claim.text)
           for row in claim_rows(writer.article(article), writer.labels)}
    monkeypatch.setattr(article_index, "BUSY_S", 0.2)  # how long the pass waits for readers
    fresh = claim_pass._fresh
    passes: list[int] = []

    def meanwhile(db, dataset, doc_id, key):  # the rows are read; their sets are not yet
        if not passes:
            passes.append(len(Dataset(folder, "alice").summaries()[0]))
        return fresh(db, dataset, doc_id, key)

    monkeypatch.setattr(claim_pass, "_fresh", meanwhile)
    _groups, shown = claim_pass.first_claims(Dataset.existing(folder, "alice"), 1000) or \
        ([], [])
    assert passes == [len(writer.ids())] and shown
    assert {(row.source_name, row.claim.text) for row in shown
            if row.article == article} <= now


@settings(max_examples=300, deadline=None)
@given(data=st.lists(st.sampled_from([b"a", b"\n", b"\r\n", b"\r", b"\t", b"\x1b", b"\x7f",
                                      b"\xc2", b"\x9b", b"\x85", b"\xe2", b"\x80", b"\x81",
                                      b"\xae", b"\xa6", b"\x99", b"\xd8", b"\x9c", b"\xc3\xa9",
                                      "’".encode()]), max_size=40).map(b"".join),
       fmt=st.sampled_from(["csv", "jsonl"]))
def test_what_the_claims_tables_print_as_read_holds_no_control(data, fmt):
    """``safe``, over any bytes (a row forged by hand): what it lets through holds no
    control nor C1 control but the lines' ends and tabs, and in JSONL (whose writer
    escapes them) no bidirectional mark or line separator."""
    lines = data.count(b"\r\n") if fmt == "csv" else None
    out = claim_table.safe(data, fmt, lines).decode(errors="replace")
    unsafe = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]") if fmt == "csv" else \
        claim_table._UNSAFE_TEXT
    assert unsafe.search(out.replace("\r\n", "").replace("\n", "")) is None


@pytest.mark.parametrize("line", ["’\u2028’", "\u2028’", "’\u202e", "’’\u2066x’",
                                  "a\u200f’b", "’\u2069"])
def test_a_separator_beside_a_closing_quote_is_escaped(line):
    """’ (E2 80 99) is taken out before the separators are looked for (``_clean``): one
    next to it, which shares its first bytes, is escaped all the same."""
    data = (line + "\n").encode() * 3
    out = claim_table.safe(data, "jsonl", None).decode()
    assert claim_table._UNSAFE_TEXT.search(out) is None
    assert out.replace("\\u", "U+") == (line + "\n").replace("\u2028", "U+2028").replace(
        "\u202e", "U+202e").replace("\u2066", "U+2066").replace("\u200f", "U+200f").replace(
        "\u2069", "U+2069") * 3
