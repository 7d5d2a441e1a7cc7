"""CSV and CoNLL files are read a line at a time (``corpus.text_lines``), never held whole:
the lines, their line numbers and a bad byte's place are what decoding the whole file
gave, wherever the reads cut it."""

from __future__ import annotations

import csv
import io
import tracemalloc
from collections.abc import Iterable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui.core.store import corpus
from tui.core.store.corpus import InputError, read_csv, text_lines
from tui.formats import conll

PIECES = st.lists(st.sampled_from(["a", "b,c", '"q\nr"', "\r", "\n", "\r\n", "é", "\u2028",
                                   "\ufeff", "\x0b", " ", "text"]), max_size=30)


def whole_lines(text: str) -> list[str]:
    """The lines as the readers took them before: the file decoded whole."""
    return list(io.StringIO(text.removeprefix("\ufeff"), newline=""))


@given(pieces=PIECES, read=st.integers(1, 9))
def test_the_lines_are_those_of_the_whole_text(tmp_path_factory, pieces, read):
    path = tmp_path_factory.mktemp("lines") / "in.csv"
    text = "".join(pieces)
    path.write_bytes(text.encode())
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(corpus, "READ", read)  # reads cut lines, CR LFs and characters
        assert list(text_lines(path)) == whole_lines(text)
        # CoNLL's: ends dropped, as splitting the text whole at its line ends did
        normal = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
        assert list(conll._lines(path)) == normal.split("\n")


@given(before=st.text(max_size=20), bad=st.sampled_from([b"\xff", b"\xe2\x80", b"\xc3("]),
       after=st.text(max_size=20), read=st.integers(1, 9))
def test_a_bad_byte_is_named_where_the_whole_file_named_it(tmp_path_factory, before, bad,
                                                           after, read):
    path = tmp_path_factory.mktemp("bad") / "in.csv"
    data = before.encode() + bad + after.encode()
    path.write_bytes(data)
    with pytest.raises(UnicodeDecodeError) as whole:
        data.decode("utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(corpus, "READ", read)
        lines = text_lines(path)
        with pytest.raises(InputError) as found:
            next(lines)  # before any line: the whole file is checked first
        assert found.value.reason == f"not UTF-8 text (byte {whole.value.start})"
        with pytest.raises(InputError):
            next(conll._lines(path))


def counted_at_peak(items: Iterable[object]) -> tuple[int, int]:
    """How many ``items`` there are, and the most memory Python held while they came."""
    tracemalloc.start()
    try:
        count = sum(1 for _ in items)
        _now, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return count, peak


def test_a_csv_is_never_held_whole(tmp_path, monkeypatch):
    """8 MB of articles read 64 KB at a time in well under a megabyte of memory (decoded
    whole it took the file's size at least twice over: bytes and text)."""
    monkeypatch.setattr(corpus, "READ", 1 << 16)
    path = tmp_path / "big.csv"
    row = ["Kyiv said talks would go on. " * 40, "A title"]
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["text", "title"])
        for _ in range(7000):
            writer.writerow(row)
    assert path.stat().st_size > 8_000_000
    count, peak = counted_at_peak(read_csv(path))
    assert count == 7000
    assert peak < 1 << 20


def test_a_csv_row_keeps_its_line_number(tmp_path):
    path = tmp_path / "in.csv"
    path.write_bytes(b'\xef\xbb\xbftext,title\r\n"one\r\nline two",A\r\n,B\r\nthree,C\r\n')
    notes = corpus.Notes(skip_invalid=True)
    rows = [(raw.text, raw.where, raw.meta["title"]) for raw in read_csv(path, notes)]
    assert rows == [("one\r\nline two", f"{path}:3", "A"), ("three", f"{path}:5", "C")]
    assert notes.skipped == [f"{path}:4: empty text"]  # after a cell of two lines
