"""``gloss claims --format table``'s rows after the first screenful (``claims_table_rest``):
the bytes written on one process or two are those the table wrote before, row by row
(``FastRows.block`` behind Rich's first rows), for a dataset of many groups, one cut in
ranges, hostile and wide cells and forged rows; a second process killed mid-way or unable
to start leaves its ranges to the first; a broken pipe and Ctrl-C end the command as on one
process, with no process left behind."""

from __future__ import annotations

import contextlib
import io
import os
import signal
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from unittest import mock

import pytest

from tui import claims_table_output, claims_table_rest
from tui.claims_output import print_claims
from tui.core.disk import second_process
from tui.core.document.model import Document, Relation, Span
from tui.core.store.article_index import FOLDER, NAME
from tui.core.store.claim_table import Piece, Query
from tui.core.store.dataset import Dataset

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ("Putin", "Zelensky", "the envoy", "\x1b[31mred", "漢字 👨‍👩‍👧", "Ärzte")
WORDS = ("said", "talks", "would", "resume", "truce", "Kyiv’s", "“no”", "e\u0301", "\t",
         "\u202e", "supercalifragilisticexpialidocious", "[bold]x[/]", "Ж", "2026")
COLOURS = ({}, {"FORCE_COLOR": "1", "TERM": "xterm-256color"})


def make(folder: Path, articles: int, claims: int) -> Dataset:
    """A dataset of ``articles`` articles of ``claims`` claims each: most without a source
    (one large group, cut in ranges), the rest of a few sources, some about a place, and
    every claim of the last quarter of one source (a large group whose first ranges, cut
    where the articles were added, are empty)."""
    dataset = Dataset(folder, "alice")
    items = []
    for n in range(articles):
        words = [WORDS[(n * 7 + k * 3) % len(WORDS)] for k in range(claims * 2)]
        text = f"Kyiv {n} " + " ".join(words)
        starts = [i + 1 for i, ch in enumerate(text) if ch == " "]
        spans: list[Span] = [Span.new(text, 0, 4, "LOCATION", "alice")]
        links = []
        for k in range(claims):
            start = starts[2 * k + 1]
            end = text.find(" ", start)
            claim = Span.new(text, start, end if end > 0 else len(text), "CLAIM", "alice")
            spans.append(claim)
            late = n >= articles * 3 // 4  # a large group of the last articles alone
            if late or (n + k) % 4 == 0:
                actor = Span.new(text, starts[2 * k], starts[2 * k + 1] - 1, "ACTOR",
                                 "alice").with_attribute(
                    "canonical", "Late" if late else SOURCES[(n + k) % len(SOURCES)])
                spans.append(actor)
                links.append(Relation(claim.id, actor.id, "SOURCE", "alice"))
            if k % 3 == 0:
                links.append(Relation(claim.id, spans[0].id, "ABOUT", "alice"))
        meta = {"title": f"Title {n} " + "long " * (n % 9), "date": f"2026-03-0{n % 9 + 1}"}
        items.append((Document.from_text(text, meta), spans, links))
    for first in range(0, articles, 4):  # articles added at several times: cuts between
        dataset.add_articles(items[first:first + 4], keep_tokens=False)
    dataset.summaries()
    return Dataset.existing(folder, "alice")


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> Dataset:
    return make(tmp_path_factory.mktemp("two") / "db", 40, 12)


@contextlib.contextmanager
def small(piece: int = 30, first: int = 3) -> Iterator[None]:
    """Ranges of ``piece`` claims, two processes from any count, ``first`` rows by Rich."""
    with mock.patch.object(claims_table_rest, "TWO_FROM", 1), \
            mock.patch.object(claims_table_rest, "PIECE", piece), \
            mock.patch.object(claims_table_output, "FIRST", first):
        yield


def environment(colour: dict[str, str]) -> dict[str, str]:
    kept = {key: value for key, value in os.environ.items()
            if key not in ("FORCE_COLOR", "NO_COLOR", "COLORTERM", "TERM", "COLUMNS")}
    return {**kept, "COLUMNS": "100", **colour}


def before(dataset: Dataset, colour: dict[str, str], **filters: str) -> bytes:
    """The table as it was written before: every row after Rich's by ``FastRows.block``
    (an output of text only: no bytes under it)."""
    out = io.StringIO()
    with mock.patch.dict(os.environ, environment(colour), clear=True), \
            contextlib.redirect_stdout(out):
        print_claims(dataset, "table", out=io.BytesIO(), **filters)
    return out.getvalue().encode()


def now(dataset: Dataset, path: Path, colour: dict[str, str], **filters: str) -> bytes:
    """The table as ``gloss claims`` writes it into a file (bytes under its text)."""
    with path.open("wb") as raw, io.TextIOWrapper(raw, encoding="utf-8") as text, \
            mock.patch.dict(os.environ, environment(colour), clear=True), \
            mock.patch.object(sys, "stdout", text):
        print_claims(dataset, "table", **filters)
    return path.read_bytes()


class Counted(second_process.Helper):
    started = 0

    def __init__(self, life: Callable[[int, int], None]) -> None:
        Counted.started += 1
        super().__init__(life)


@pytest.mark.parametrize("colour", COLOURS)
@pytest.mark.parametrize("filters", [{}, {"place": "kyiv"}, {"status": "sourced"},
                                     {"actor": "zz"}])
def test_two_processes_write_the_bytes_one_wrote(dataset: Dataset, tmp_path: Path,
                                                 colour: dict[str, str],
                                                 filters: dict[str, str]) -> None:
    expected = before(dataset, colour, **filters)
    with small(), mock.patch.object(claims_table_rest, "Helper", Counted):
        Counted.started = 0
        assert now(dataset, tmp_path / "two", colour, **filters) == expected
        assert Counted.started == (0 if filters.get("actor") else 1)
    with small(piece=10**6):  # one range: this process alone, the same bytes
        assert now(dataset, tmp_path / "one", colour, **filters) == expected
    with small(piece=7, first=1):
        assert now(dataset, tmp_path / "tiny", colour, **filters) == expected


def test_forged_rows_and_files_changed_behind_the_index_are_read_from_the_files(
        tmp_path: Path) -> None:
    reader = make(tmp_path / "db", 12, 10)
    with sqlite3.connect(tmp_path / "db" / FOLDER / NAME) as db:
        db.execute("UPDATE claims SET cells = x'7b' WHERE seq % 5 = 1")
    expected = before(reader, {})
    with small():
        assert now(reader, tmp_path / "out", {}) == expected
    with small(), mock.patch.object(claims_table_rest, "BATCH", 4):  # rows read 4 at a time
        assert now(reader, tmp_path / "batches", {}) == expected
    path = tmp_path / "db" / f"{reader.ids()[3]}.json"  # changed by another tool
    data = path.read_bytes()
    path.unlink()
    path.write_bytes(data.replace(b'"CLAIM"', b'"OTHER"', 2))
    os.utime(path, ns=(1, 1))
    first, expected = expected, before(reader, {})
    assert expected != first
    with small():  # rows joined from a temporary table: this process alone
        assert now(reader, tmp_path / "stale", {}) == expected


def test_a_second_process_killed_mid_way_or_not_started_leaves_its_ranges_to_the_first(
        dataset: Dataset, tmp_path: Path) -> None:
    expected = before(dataset, COLOURS[1])
    parent = os.getpid()
    made = claims_table_rest._write_piece

    def killed(query: Query, rest: claims_table_rest.Rest, piece: Piece,
               write: Callable[[bytes], object], skip: int = 0, lead: str = "") -> None:
        if os.getpid() != parent and piece[0] > 0:  # the second process, past its first
            os.kill(os.getpid(), signal.SIGKILL)
        made(query, rest, piece, write, skip, lead)

    with small(piece=20), mock.patch.object(claims_table_rest, "_write_piece", killed), \
            mock.patch.object(claims_table_rest, "Helper", Counted):
        Counted.started = 0
        assert now(dataset, tmp_path / "out", COLOURS[1]) == expected
        assert Counted.started == 1

    def refused(_dataset: Dataset) -> sqlite3.Connection:
        raise sqlite3.Error("not the file being read")

    with small(), mock.patch.object(claims_table_rest, "reopened", refused):
        assert now(dataset, tmp_path / "alone", COLOURS[1]) == expected

    def no_fork(_life: Callable[[int, int], None]) -> second_process.Helper:
        raise OSError(11, "Resource temporarily unavailable")

    with small(), mock.patch.object(claims_table_rest, "Helper", no_fork):
        assert now(dataset, tmp_path / "unforked", COLOURS[1]) == expected


def command(folder: Path, two: bool) -> list[str]:
    """``gloss claims --format table`` with two processes from any count, or never."""
    limits = "r.TWO_FROM, r.PIECE = 1, 20" if two else "r.TWO_FROM = 10**9"
    return [sys.executable, "-c",
            f"import tui.claims_table_rest as r; {limits}; from tui.start import main; main()",
            "claims", "--format", "table", "--db", str(folder)]


def left_behind(group: int) -> bool:
    """Whether any process of the session ``group`` is still there (a zombie too)."""
    try:
        os.killpg(group, 0)
    except ProcessLookupError:
        return False
    return True


def run(folder: Path, two: bool, stop: str) -> tuple[int, bytes]:
    """The command's status and what it said, stopped by ``stop``: a reader that reads a
    line then closes the pipe, or Ctrl-C (SIGINT to its process group) after a line."""
    env = {**environment({}), "PYTHONPATH": str(ROOT), "GLOSS_ANNOTATOR": "alice"}
    child = subprocess.Popen(command(folder, two), stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, env=env, start_new_session=True)
    assert child.stdout is not None and child.stderr is not None
    assert child.stdout.readline()
    if stop == "sigint":
        os.killpg(child.pid, signal.SIGINT)
    child.stdout.close()
    said = child.stderr.read()
    status = child.wait()
    assert not left_behind(child.pid)  # its helper killed and reaped before it ended
    return status, said


@pytest.mark.parametrize("stop", ["closed", "sigint"])
def test_a_broken_pipe_and_ctrl_c_end_it_as_on_one_process(tmp_path: Path, stop: str) -> None:
    folder = tmp_path / "db"
    make(folder, 60, 40)  # 2,400 rows: more than a pipe holds
    assert run(folder, True, stop) == run(folder, False, stop)
