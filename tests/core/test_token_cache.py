"""Tokens kept at import for the export: used only when they check out, never written by
reading, and the export the same byte for byte with them or without."""

from __future__ import annotations

import gc
import io
import os
import shutil
import sys
import time
import zlib
from pathlib import Path

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui.core.disk import token_cache
from tui.core.document.model import Document, Span
from tui.core.language.export_tokens import token_records
from tui.core.language.visible import _JSON_UNSAFE, json_bytes, terminal_safe
from tui.core.store.corpus import Notes
from tui.core.store.dataset import Dataset
from tui.formats import prodigy

TEXTS = [
    "Putin and Trump spoke about a cease-fire in Ukraine.\nKyiv said “no”.",
    "Zelensky’s envoy can't say \"yes\" \\ or no: talks in Riyadh, 30-day truce.",
    "Flag 🇺🇦 and Cafe\u0301 and 👩‍👩‍👧 in Genève.\tTab and \x1b[31m escape.",
    "Line\r\nends\rof Windows and old Macs, and a U+2028\u2028separator.",
]


@pytest.fixture(autouse=True)
def small_imports_load_spacy(monkeypatch):
    """With spaCy installed, an import this small would not load it for the cache."""
    monkeypatch.setattr(token_cache, "SPACY_WORTH_LOADING", 0)


def imported(folder: Path, texts: list[str] = TEXTS) -> Dataset:
    dataset = Dataset(folder, "alice")
    items = []
    for text in texts:
        document = Document.from_text(text)
        word = document.text.index(" ")
        items.append((document, [Span.new(document.text, 0, word, "ACTOR", "alice")], []))
    dataset.add_articles(items)
    return dataset


def export(folder: Path) -> bytes:
    out = io.BytesIO()
    prodigy.write(Dataset.existing(folder, "x").readable([]), out, Notes(), None)
    return out.getvalue()


def uncached(folder: Path, tmp_path: Path) -> bytes:
    """The export of a copy of the dataset without its cache."""
    copy = tmp_path / "uncached"
    shutil.copytree(folder, copy, ignore=shutil.ignore_patterns(token_cache.FOLDER))
    return export(copy)


def hits(folder: Path) -> int:
    index = token_cache.Index(folder)
    try:
        return sum(index.get(a.document.id, a.document.text) is not None
                   for a in Dataset.existing(folder, "x").readable([]))
    finally:
        index.close()


def kept_file(folder: Path) -> Path:
    [path] = (folder / token_cache.FOLDER).glob(f"*{token_cache.SUFFIX}")
    return path


def test_an_import_keeps_the_tokens_and_the_export_is_the_same_with_them(tmp_path):
    dataset = imported(tmp_path / "db")
    assert hits(dataset.folder) == len(TEXTS)
    with_cache = export(dataset.folder)
    assert with_cache == uncached(dataset.folder, tmp_path)
    lines = [orjson.loads(line) for line in with_cache.splitlines()]
    assert [line["spans"][0]["token_start"] for line in lines] == [0] * len(TEXTS)
    assert b"\x1b" not in with_cache  # the escape in the text is written as \u001b


@given(st.text(alphabet=st.sampled_from(list("ab .,’'\"\\-\n\t🇺🇦👩\u200d\u0301\x1b\x7f\x9b")),
               min_size=1, max_size=40).filter(lambda t: t.strip()))
def test_an_entry_holds_the_tokens_an_export_would_make(text):
    text = Document.from_text(text).text
    records = token_records(text)
    starts = [t["start"] for t in records]
    ends = [t["end"] for t in records]
    older = orjson.dumps([starts, ends]) + b"\n" + orjson.dumps(records)  # the first layout
    for entry in (token_cache.make(text), older):
        unpacked = token_cache.unpack(entry)
        assert unpacked is not None
        assert unpacked[2] == orjson.dumps(records)  # byte for byte: the export copies them
        assert (list(unpacked[0]), list(unpacked[1])) == (starts, ends)
        # cut short anywhere: never taken for tokens
        assert all(token_cache.unpack(entry[:cut]) is None for cut in range(len(entry)))


def test_tokens_kept_in_the_first_layout_are_still_used(tmp_path):
    """A file an older Gloss wrote (each entry's offsets a line of JSON) is read as it is:
    every article a hit, the export the same as without it."""
    dataset = imported(tmp_path / "db")
    path = kept_file(dataset.folder)
    data = path.read_bytes()
    at = int.from_bytes(data[-8:], "big")
    index = orjson.loads(data[at:-8])
    body = b""
    for place in index["articles"].values():
        starts, ends, tokens = token_cache.unpack(data[place[1]:place[2]])
        entry = orjson.dumps([list(starts), list(ends)]) + b"\n" + tokens
        place[1:] = [len(body), len(body) + len(entry), zlib.crc32(entry)]
        body += entry
    path.write_bytes(body + orjson.dumps(index) + len(body).to_bytes(8, "big"))
    assert not body.startswith(token_cache.EDGES)
    assert hits(dataset.folder) == len(TEXTS)
    assert export(dataset.folder) == uncached(dataset.folder, tmp_path)


def rewritten(path: Path, change_index=None, change_entry=None) -> None:
    """The cache file with its index or its first article's entry changed, the entry's
    checksum made to fit."""
    data = path.read_bytes()
    at = int.from_bytes(data[-8:], "big")
    body, index = data[:at], orjson.loads(data[at:-8])
    first = Document.from_text(TEXTS[0]).id
    _, start, end, _ = index["articles"][first]
    if change_entry is not None:
        entry = change_entry(body[start:end])
        body = body[:start] + entry + body[end:]
        shift = len(entry) - (end - start)
        for place in index["articles"].values():
            if place[1] > start:
                place[1] += shift
                place[2] += shift
        index["articles"][first] = [index["articles"][first][0], start, start + len(entry),
                                    zlib.crc32(entry)]
    if change_index is not None:
        change_index(index, first)
    path.write_bytes(body + orjson.dumps(index) + len(body).to_bytes(8, "big"))


DAMAGE = {
    "cut short": lambda p: p.write_bytes(p.read_bytes()[: p.stat().st_size // 2]),
    "byte flipped": lambda p: p.write_bytes(
        (lambda d: d[:9] + bytes([d[9] ^ 1]) + d[10:])(p.read_bytes())),
    "index cut short": lambda p: p.write_bytes(p.read_bytes()[:-9] + p.read_bytes()[-8:]),
    "index far away": lambda p: p.write_bytes(p.read_bytes()[:-8] + (10**12).to_bytes(8, "big")),
    "other tokenizer": lambda p: rewritten(p, lambda f, _: f.update(
        tokenizer="gloss-rules+000000000000")),
    "other text": lambda p: rewritten(p, lambda f, first: f["articles"][first].__setitem__(
        0, f["articles"][first][0] ^ 1)),
    "place not a list": lambda p: rewritten(p, lambda f, first: f["articles"].__setitem__(
        first, "here")),
    "place out of the file": lambda p: rewritten(p, lambda f, first: f["articles"].__setitem__(
        first, [f["articles"][first][0], 10**9, 10**9 + 5, 0])),
    "place a terabyte long": lambda p: rewritten(p, lambda f, first: f["articles"].__setitem__(
        first, [f["articles"][first][0], 0, 10**12, 0])),
    "no articles": lambda p: rewritten(p, lambda f, _: f.pop("articles")),
    "escape forged": lambda p: rewritten(p, change_entry=lambda e: e.replace(
        b'"Putin"', b'"\x1b[2J"', 1)),
    "wrong edges": lambda p: rewritten(p, change_entry=lambda e: b"[[[1]], 5]\n" +
                                       token_cache.unpack(e)[2]),
    "edges cut short": lambda p: rewritten(p, change_entry=lambda e: e[:1] + (
        int.from_bytes(e[1:5], "little") + 1).to_bytes(4, "little") + e[5:]),
    "edges of the first layout, escape forged": lambda p: rewritten(p, change_entry=lambda e: (
        lambda u: orjson.dumps([list(u[0]), list(u[1])]) + b"\n"
        + u[2].replace(b'"Putin"', b'"\x1b[2J"', 1))(token_cache.unpack(e))),
    "not json": lambda p: p.write_bytes(b"\x00\xff" * 40),
    "empty": lambda p: p.write_bytes(b""),
    "folder": lambda p: (p.unlink(), p.mkdir()),
    "fifo": lambda p: (p.unlink(), os.mkfifo(p)),
    "dangling link": lambda p: (p.unlink(), p.symlink_to(p.parent / "nowhere")),
}


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_a_cache_that_does_not_check_out_is_not_used(tmp_path, damage):
    dataset = imported(tmp_path / "db")
    DAMAGE[damage](kept_file(dataset.folder))
    first = Document.from_text(TEXTS[0])
    assert token_cache.read(dataset.folder, first.id, first.text) is None
    assert hits(dataset.folder) < len(TEXTS)
    assert export(dataset.folder) == uncached(dataset.folder, tmp_path)


def test_another_tokenizer_version_makes_every_file_a_miss(tmp_path, monkeypatch):
    dataset = imported(tmp_path / "db")
    before = export(dataset.folder)
    monkeypatch.setattr(token_cache, "version", lambda: "spacy-9.9.9+0123456789ab")
    assert hits(dataset.folder) == 0
    assert export(dataset.folder) == before


def test_an_import_removes_the_files_of_another_version(tmp_path, monkeypatch):
    dataset = imported(tmp_path / "db", TEXTS[:2])
    old = kept_file(dataset.folder)
    monkeypatch.setattr(token_cache, "version", lambda: "gloss-rules+0123456789ab")
    dataset.add_articles([(Document.from_text(TEXTS[2]), [], [])])
    assert kept_file(dataset.folder) != old  # the new version's only
    assert hits(dataset.folder) == 1


def test_a_save_by_another_process_leaves_the_tokens_valid(tmp_path):
    dataset = imported(tmp_path / "db")
    first = Document.from_text(TEXTS[0])
    other = Dataset(dataset.folder, "bob")  # another analyst, as another process would
    other.new_span(first.id, 0, 5, "ACTOR")
    other.set_status(first.id, "done")
    assert hits(dataset.folder) == len(TEXTS)
    assert export(dataset.folder) == uncached(dataset.folder, tmp_path)


def test_a_small_import_does_not_load_spacy_for_the_cache(tmp_path, monkeypatch):
    monkeypatch.setattr(token_cache, "SPACY_WORTH_LOADING", 1_000_000)
    monkeypatch.setattr(token_cache, "expected_name", lambda: "spacy-3.8.18")
    monkeypatch.delitem(sys.modules, "spacy", raising=False)
    dataset = imported(tmp_path / "db")
    assert not (dataset.folder / token_cache.FOLDER).exists()


def test_reading_never_writes_the_cache(tmp_path, monkeypatch):
    monkeypatch.setattr(token_cache, "IMPORT_BUDGET_S", 0.0)
    dataset = imported(tmp_path / "db")
    assert not (dataset.folder / token_cache.FOLDER).exists()
    export(dataset.folder)
    Dataset.existing(dataset.folder, "x").summaries()
    assert not (dataset.folder / token_cache.FOLDER).exists()


def test_the_budget_bounds_what_an_import_caches(tmp_path, monkeypatch):
    monkeypatch.setattr(token_cache, "IMPORT_BUDGET_S", 0.0)
    dataset = imported(tmp_path / "db")
    assert hits(dataset.folder) == 0
    monkeypatch.setattr(token_cache, "IMPORT_BUDGET_S", 10.0)
    dataset.add_articles([(Document.from_text(text), [], []) for text in TEXTS])
    assert hits(dataset.folder) == len(TEXTS)  # importing again fills what was left


def test_a_refused_import_writes_no_tokens(tmp_path):
    dataset = imported(tmp_path / "db", TEXTS[:1])
    broken = Document.from_text(TEXTS[1])
    dataset.path(broken.id).write_bytes(b"{}")  # a broken file to merge into stops it all
    with pytest.raises(Exception, match="not a Gloss article file"):
        dataset.add_articles([(Document.from_text(TEXTS[2]), [], []), (broken, [], [])])
    assert len(list((dataset.folder / token_cache.FOLDER).iterdir())) == 1
    assert hits(dataset.folder) == 1


def test_leftover_temp_files_of_the_cache_are_removed_on_open(tmp_path):
    dataset = imported(tmp_path / "db")
    old = dataset.folder / token_cache.FOLDER / ".0001-dead.tokens.tmp"
    young = dataset.folder / token_cache.FOLDER / ".0002-live.tokens.tmp"
    old.write_bytes(b"half")
    young.write_bytes(b"being written")
    os.utime(old, (time.time() - 3600, time.time() - 3600))
    Dataset(dataset.folder, "alice")
    assert not old.exists() and young.exists()


@given(st.binary(max_size=30) | st.text(alphabet=st.sampled_from(
    ["\x7f", "\x80", "\x9f", "\x9c", "\u061c", "\u200e", "\u200f", "\u2028", "\u202e",
     "\u2066", "\u2069", "\u2026", "’", "a", "\u00a0", "\u00c2", "\u2019", "\u0600"]),
    max_size=12).map(str.encode))
def test_the_quick_look_for_unsafe_json_finds_what_the_full_one_finds(data):
    full = _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group().decode()):04x}".encode(), data)
    assert terminal_safe(data) == full


def test_json_bytes_escapes_terminal_controls_only():
    assert json_bytes("a\u009b\u202eb’…") == b'"a\\u009b\\u202eb\xe2\x80\x99\xe2\x80\xa6"'


def test_a_cache_folder_that_is_a_link_is_never_followed(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    old = elsewhere / ".keep.tokens.x.tmp"
    old.write_bytes(b"someone else's")
    os.utime(old, (time.time() - 3600, time.time() - 3600))
    folder = tmp_path / "db"
    folder.mkdir()
    (folder / token_cache.FOLDER).symlink_to(elsewhere)
    dataset = imported(folder)
    assert sorted(p.name for p in elsewhere.iterdir()) == [old.name]  # nothing written, kept
    assert export(dataset.folder) == uncached(dataset.folder, tmp_path)


def test_a_cache_folder_that_is_a_file_leaves_the_import_whole(tmp_path):
    folder = tmp_path / "db"
    folder.mkdir()
    (folder / token_cache.FOLDER).write_bytes(b"not a folder")
    dataset = imported(folder)
    assert len(dataset.ids()) == len(TEXTS) and hits(dataset.folder) == 0


def test_an_article_too_long_for_the_budget_is_left_to_the_export(tmp_path, monkeypatch):
    monkeypatch.setattr(token_cache, "IMPORT_BUDGET_S", 1.0)
    long = "Kyiv talks resume. " * 60_000  # 1.1 million characters: over a second, at worst
    dataset = imported(tmp_path / "db", [long, TEXTS[0]])
    assert hits(dataset.folder) == 1
    assert export(dataset.folder) == uncached(dataset.folder, tmp_path)


def test_an_index_over_the_limit_is_not_read(tmp_path, monkeypatch):
    dataset = imported(tmp_path / "db")
    monkeypatch.setattr(token_cache, "_INDEX_MAX", 1 << 20)
    (dataset.folder / token_cache.FOLDER / "0000-huge.tokens").write_bytes(
        b"[" * (3 << 20) + (0).to_bytes(8, "big"))
    assert hits(dataset.folder) == len(TEXTS)  # the import's own file is still read


def test_the_export_leaves_the_garbage_collector_as_it_found_it(tmp_path):
    """The JSONL export runs without collection passes and turns them back on, even when
    its output fails; one that found them off leaves them off."""
    dataset = imported(tmp_path / "db")
    gc.enable()  # as a command finds it
    export(dataset.folder)
    assert gc.isenabled()

    class Full(io.BytesIO):
        def write(self, data):
            raise OSError(28, "No space left on device")

    with pytest.raises(OSError):
        prodigy.write(Dataset.existing(dataset.folder, "x").readable([]), Full(), Notes(),
                      None)
    assert gc.isenabled()
    gc.disable()
    try:
        export(dataset.folder)
        assert not gc.isenabled()
    finally:
        gc.enable()
