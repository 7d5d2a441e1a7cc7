"""A hostile index (.cache/index.sqlite): bytes that are not SQLite, an SQLite file of
another shape, rows of the wrong types, bad JSON in a column, a huge file or a huge row.
Each command that reads it (stats, claims, agree, export, the library's rows) says what
the article files say, exits 0, writes nothing when it reads only, and never shows a
traceback; a writer replaces a file it cannot use and goes on saving."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

try:
    import pyarrow.parquet as pq
except ImportError:  # the parquet extra: the Parquet left out
    pq = None

from tests.core.test_article_index import build
from tests.hostile.attack import check, run, snapshot
from tui.core.store import claim_table
from tui.core.store.article_index import FOLDER, NAME
from tui.core.store.dataset import Dataset, summary

COMMANDS = {
    "stats": ["stats", "--format", "json"],
    "claims": ["claims", "--format", "jsonl"],
    "claims csv": ["claims", "--format", "csv"],
    "claims table": ["claims", "--format", "table"],
    "agree": ["agree", "--format", "json"],
    "export": ["export"],
}


def sql(*statements: str) -> Callable[[Path], None]:
    def forged(path: Path) -> None:
        with sqlite3.connect(path) as db:
            for statement in statements:
                db.execute(statement)
    return forged


def raw(data: bytes) -> Callable[[Path], None]:
    return lambda path: path.write_bytes(data)


DONE = '{"alice": "done", "bob": "done"}'
FORGERIES: dict[str, Callable[[Path], None]] = {
    "not json, not sqlite": raw(b"{not json"),
    "empty": raw(b""),
    "huge garbage": raw(b"\x00gloss" * 3_000_000),  # 18 MB
    "another schema": lambda p: (p.unlink(), sql("CREATE TABLE articles (x)")(p)),
    "another version": sql("UPDATE meta SET value='99' WHERE name='version'"),
    "version 2 said, not its shape": sql("UPDATE meta SET value='2' WHERE name='version'"),
    "no meta": sql("DROP TABLE meta"),
    "bad json": sql("UPDATE articles SET summary=x'7b7b', counts='['",
                    "UPDATE agrees SET agree='[{'", "UPDATE digests SET claims='nope'"),
    "wrong types": sql("UPDATE articles SET added='soon', summary=7, counts=2.5",
                       "UPDATE agrees SET agree=x'00ff'", "UPDATE digests SET claims=NULL"),
    "id of another type": sql("UPDATE articles SET id=random()",
                              "UPDATE digests SET id=rowid",
                              "UPDATE agrees SET id=CAST(id AS BLOB)"),
    "agree digests gone": sql("DELETE FROM agrees WHERE id > (SELECT min(id) FROM agrees)"),
    "no agree digests": sql("DROP TABLE agrees"),
    "digests gone": sql("DELETE FROM digests WHERE id > (SELECT min(id) FROM digests)"),
    "no digests": sql("DROP TABLE digests"),
    "json of every wrong shape": sql(
        "UPDATE articles SET summary='[1,2,3,4,5,6,7,8]', counts='{\"a\": 1}'",
        "UPDATE agrees SET agree='[{}, [\"a\"], [[[\"X\", null], 3]], {}, []]'",
        "UPDATE digests SET claims='[\"t\", \"d\", 1, {}, [[1]], [], []]'"),
    # digests of the right types that cannot be an article's: a label for one analyst
    # where two saw it, an analyst twice, a count below one; and null, a digest not kept
    # (a long article): each file is read (the articles spread by their ids' last digit)
    "agree digests that do not add up": sql(
        f"UPDATE agrees SET agree='[{DONE}, [\"alice\", \"bob\"], [[[null], 3]], {{}},"
        " []]' WHERE unicode(substr(id, 16)) % 4 = 0",
        f"UPDATE agrees SET agree='[{DONE}, [\"alice\", \"alice\"], [[[null, null], 3]],"
        " {}, []]' WHERE unicode(substr(id, 16)) % 4 = 1",
        f"UPDATE agrees SET agree='[{DONE}, [\"alice\", \"bob\"], [[[null, null], 0]],"
        " {}, []]' WHERE unicode(substr(id, 16)) % 4 = 2",
        "UPDATE agrees SET agree='null' WHERE unicode(substr(id, 16)) % 4 = 3"),
    "huge row": sql("UPDATE articles SET summary=zeroblob(30000000)"),
    # the claims tables (claim_table.py): an article's claims are used only while its
    # signature, label set and count agree; a row of the wrong type cannot be written
    "claims of another shape": sql("DROP TABLE claims", "CREATE TABLE claims (x)"),
    "claim counts forged": sql("UPDATE claim_sets SET n = n + 1"),
    "claim rows deleted": sql("DELETE FROM claims WHERE seq = 0"),
    "claim rows added": sql("INSERT INTO claims SELECT source || '!', added, article, seq,"
                            " status, places, cells, csv FROM claims"),
    "claim lines deleted": sql("DELETE FROM claim_jsonl"),
    "claim line parts deleted": sql("DELETE FROM claim_jsonl WHERE part > 0"),
    "claim rows of no article": sql("INSERT INTO claims SELECT source, added, 'nowhere',"
                                    " seq, status, places, cells, csv FROM claims"),
    "claim cells forged": sql("UPDATE claims SET cells = x'7b5b'"),
    "claims of another label set": sql("UPDATE claim_sets SET labels = 'x'"),
    "claim signatures forged": sql("UPDATE claim_sets SET ino = ino + 1"),
    # the Parquet's columns in the cells (claims_parquet.py): made again from the file
    "claim cells without the parquet's": sql(
        "UPDATE claims SET cells = CAST(json_remove(CAST(cells AS TEXT), '$[13]') AS BLOB)"),
    "claim outlet of another type": sql(
        "UPDATE claims SET cells = CAST(json_set(CAST(cells AS TEXT), '$[13]', json('[1]'))"
        " AS BLOB)"),
    "claims' parquet flag forged": sql("UPDATE claim_sets SET wide = 2"),
    # the Parquet's column values (claim_columns.py): the cells read instead
    "claim values of another shape": sql("DROP TABLE claim_cols",
                                         "CREATE TABLE claim_cols (x)"),
    "claim values deleted": sql("DELETE FROM claim_cols WHERE seq = 0"),
    "claim values' counts forged": sql("UPDATE claim_sets SET cols = cols + 1"),
    "claim values not UTF-8": sql(
        "UPDATE claim_cols SET data = CAST(x'c0' || substr(data, 2) AS BLOB)"),
    "claim values' lengths forged": sql(
        "UPDATE claim_cols SET lens = CAST(x'ffffff3f' || substr(lens, 5) AS BLOB)"),
    "claim values' lengths cut short": sql(
        "UPDATE claim_cols SET lens = substr(lens, 1, length(lens) - 2)"),
    # claim_sets made again by hand without STRICT: counts of text, a label set of NULL
    # (and a signature forged: each article then checked on its own)
    "claim sets of no types": sql(
        "CREATE TABLE lax (article PRIMARY KEY, ino, mtime, size, labels, n, lines, wide,"
        " cols)",
        "INSERT INTO lax SELECT * FROM claim_sets", "DROP TABLE claim_sets",
        "ALTER TABLE lax RENAME TO claim_sets",
        "UPDATE claim_sets SET n = CAST(n AS TEXT), lines = CAST(lines AS TEXT),"
        " cols = CAST(cols AS TEXT)"
        " WHERE rowid % 2", "UPDATE claim_sets SET labels = NULL WHERE rowid = 2",
        "UPDATE claim_sets SET ino = ino + 1 WHERE rowid = 4"),
}


@pytest.mark.parametrize("forgery", list(FORGERIES))
def test_every_command_over_a_hostile_index_says_what_the_files_say(
        tmp_path, forgery):
    folder = tmp_path / "db"
    dataset = build(folder, 6)
    index = folder / FOLDER / NAME
    index.unlink()  # what the files say: a read-only command writes no index
    expected = {name: run(*args, "--db", folder).out for name, args in COMMANDS.items()}
    table = tmp_path / "claims.parquet"  # (with the parquet extra)
    claims = pq and run("claims", "--format", "parquet", "-o", table, "--db", folder).code \
        == 0 and pq.read_table(table).to_pylist()
    Dataset(folder, "alice").summaries()  # the index rebuilt, then forged
    FORGERIES[forgery](index)
    before = snapshot(folder)
    for name, args in COMMANDS.items():
        outcome = run(*args, "--db", folder)
        check(outcome, folder, before, imports=False)
        assert outcome.code == 0, outcome.err
        assert outcome.out == expected[name], name
    if pq is not None:
        outcome = run("claims", "--format", "parquet", "-o", table, "--db", folder)
        check(outcome, folder, before, imports=False)
        assert outcome.code == 0, outcome.err
        assert claims and pq.read_table(table).to_pylist() == claims
    rows, problems = Dataset.existing(folder, "alice").summaries()
    assert rows == [summary(a, "alice") for a in dataset.readable([])] and problems == []
    for reviewer, pair in (("bob", ()), ("review", ("bob", "alice"))):  # `gloss review`'s
        rows, problems = Dataset.existing(folder, reviewer).summaries(reviewer, pair)
        assert problems == [] and rows == [summary(a, reviewer, reviewer, pair)
                                           for a in dataset.readable([])]
    writer = Dataset(folder, "alice")  # a writer replaces what it cannot use, and saves
    writer.new_span(writer.ids()[0], 0, 7, "LOCATION")
    rows, _ = Dataset.existing(folder, "alice").summaries()
    assert rows == [summary(a, "alice") for a in writer.readable([])]


def test_a_claim_line_forged_in_the_index_is_printed_escaped(tmp_path):
    """A claim's lines forged (with the right types and counts, so trusted) are data:
    their controls are escaped, never sent to the terminal."""
    folder = tmp_path / "db"
    build(folder, 2)
    Dataset(folder, "alice").summaries()
    sql("UPDATE claims SET csv = x'1b5b33316d7265640d0a'",
        "UPDATE claim_jsonl SET jsonl = x'7b1b5d303b74c29b7d0a'")(folder / FOLDER / NAME)
    for fmt in ("csv", "jsonl"):
        outcome = run("claims", "--format", fmt, "--db", folder)
        assert outcome.code == 0, outcome.err
        assert b"\x1b" not in outcome.out and b"\xc2\x9b" not in outcome.out
        assert b"\\u001b" in outcome.out


def test_a_control_cut_across_a_lines_parts_is_escaped(tmp_path, monkeypatch):
    """A JSONL line is kept in parts (``claim_table.PART`` bytes): a control forged in
    two halves, one at the end of a part and one at the start of the next, on either side
    of the end of a batch of rows, is escaped all the same."""
    folder = tmp_path / "db"
    monkeypatch.setattr(claim_table, "PART", 1)  # every byte a row: thousands of them
    build(folder, 2)
    Dataset(folder, "alice").summaries()
    # the first byte of a C1 control (CSI) the last of one batch of rows (a thousand), its
    # second the first of the next; every byte around it innocent (one group: the walk's
    # order is the table's)
    at = "(SELECT source, added, article, seq, part FROM claim_jsonl ORDER BY source, added," \
         " article, seq, part LIMIT 1 OFFSET {})"
    sql(f"UPDATE claim_jsonl SET jsonl = CASE WHEN (source, added, article, seq, part) IN"
        f" {at.format(999)} THEN x'c2' WHEN (source, added, article, seq, part) IN"
        f" {at.format(1000)} THEN x'9b' WHEN part % 5 = 4 THEN x'0a' ELSE x'61'"
        " END")(folder / FOLDER / NAME)
    outcome = run("claims", "--format", "jsonl", "--db", folder)
    assert outcome.code == 0, outcome.err
    assert outcome.out.count(b"\n") * 5 > 1000 and b"\xc2\x9b" not in outcome.out
    assert b"\\u009b" in outcome.out


def test_names_that_look_like_sql_or_json_are_data_to_the_review_library(tmp_path,
                                                                       monkeypatch):
    """The review library of two analysts whose names hold quotes, a backslash, SQL and
    JSON: their digests are found (no file read), the figures are the files', and the
    index is as it was."""
    from tui.core.document.model import Document, Span

    names = ("o'brien\"); DROP TABLE agrees; --", 'b\\ob":"done')
    text = "Putin spoke in Moscow to Lavrov."
    dataset = Dataset(tmp_path / "db", "x")
    dataset.add_article(Document.from_text(text), [
        Span.new(text, 0, 5, "ACTOR", names[0]), Span.new(text, 0, 5, "ACTOR", names[1]),
        Span.new(text, 15, 21, "LOCATION", names[1])])
    for name in names:
        dataset.set_status(dataset.ids()[0], "done", name)
    index = dataset.folder / FOLDER / NAME
    before = index.read_bytes()
    read: list[str] = []
    article = Dataset.article
    monkeypatch.setattr(Dataset, "article", lambda self, i: read.append(i) or article(self, i))
    pair = names  # not in the order of the first two by name: from the digest
    [row], problems = Dataset.existing(dataset.folder, "review").summaries("review", pair)
    assert read == [] and problems == [] and index.read_bytes() == before
    assert row.agreement == 2 * 1 / (2 + 1)
    assert [row] == [summary(a, "review", "review", pair) for a in dataset.readable([])]
