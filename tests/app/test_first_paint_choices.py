"""The first paint's decisions, without a terminal: which command lines it paints for, which
terminals it foresees the colours of (as Rich decides them for Textual), how it finds a
stored article and its heading, and the terminal mode it sets (Textual's). What it draws is
compared with the reader's frame in tmux (tests/e2e/test_first_paint.py)."""

from __future__ import annotations

import hashlib
import json
import os
import termios
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.console import Console
from textual.drivers.linux_driver import LinuxDriver

from tui import first_paint
from tui.core.document.model import Document, document_id
from tui.core.language.text import normalise
from tui.core.store.dataset import Dataset

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(("args", "expected"), [
    (["a.txt"], ("annotations", "a.txt")),
    (["read", "a.txt"], ("annotations", "a.txt")),
    (["--db", "D", "read", "a.txt"], ("D", "a.txt")),
    (["read", "a.txt", "--db=D", "--annotator", "olena"], ("D", "a.txt")),
    (["--keymap", "k.toml", "read", "--db", "D", "dir/a.md"], ("D", "dir/a.md")),
])
def test_a_command_that_opens_one_file_in_the_reader_is_painted(args, expected):
    folder, path = first_paint.article_of(args)
    assert (str(folder), str(path)) == expected


@pytest.mark.parametrize("args", [
    [], ["read"], ["a.txt", "b.txt"], ["read", "--labels", "l.txt", "a.txt"],
    ["read", "--next", "uncertain"], ["read", "--model", "m", "a.txt"], ["--db"],
    ["stats"], ["export", "a.txt"], ["-h"], ["read", "--", "a.txt"], ["serve", "a.txt"],
])
def test_anything_else_starts_as_before(args):
    assert first_paint.article_of(args) is None


def test_the_dataset_folder_comes_from_the_environment_as_the_command_takes_it(monkeypatch):
    monkeypatch.setenv("GLOSS_DB", "elsewhere")
    assert first_paint.article_of(["a.txt"]) == (Path("elsewhere"), Path("a.txt"))


ENVIRONMENTS = st.fixed_dictionaries({}, optional={
    "TERM": st.sampled_from(["xterm", "xterm-256color", "tmux-256color", "screen", "dumb",
                             "xterm-kitty", "rxvt-16color", "", "linux", "unknown"]),
    "COLORTERM": st.sampled_from(["truecolor", "24bit", "", "yes", " TrueColor "]),
})


@given(ENVIRONMENTS)
def test_the_colours_foreseen_are_those_rich_gives_textual(environ):
    system = Console(force_terminal=True, _environ=environ).color_system
    expected = {"truecolor": "truecolor", "256": "256"}.get(system or "")
    assert first_paint.colour_system(environ) == expected


@pytest.mark.parametrize("name", ["NO_COLOR", "TEXTUAL_DRIVER", "TEXTUAL_THEME"])
def test_no_colour_another_theme_or_driver_is_not_foreseen(name):
    assert first_paint.colour_system({"COLORTERM": "truecolor", name: "x"}) is None
    assert first_paint.colour_system({"COLORTERM": "truecolor", name: ""}) is None
    assert first_paint.colour_system({"COLORTERM": "truecolor",
                                      "TEXTUAL_COLOR_SYSTEM": "standard"}) is None


def store(folder: Path, text: str, source: str) -> Path:
    document = Document.from_text(text, {"source": source})
    Dataset(folder, "olena").add_article(document, [], [])
    return folder / f"{document.id}.json"


def test_a_stored_article_is_found_by_its_text_with_its_heading(tmp_path):
    text = "Envoys meet\r\n\r\nIn Riyadh, \x1b[31mtalks\x1b[0m resume.\r\n"
    (tmp_path / "a.txt").write_bytes(text.encode())
    stored_file = store(tmp_path / "db", normalise(text), "wire\x1b]0;x\x07.txt")  # as imported
    doc_id, shown, source = first_paint.stored_article(tmp_path / "db", tmp_path / "a.txt")
    assert stored_file.name == f"{doc_id}.json"
    assert doc_id == document_id(shown) and shown == text.replace("\r\n", "\n")
    assert source == "wire␛]0;x␇.txt"  # the heading shows a control, never sends it


def test_an_article_not_stored_or_not_plain_text_is_not_painted(tmp_path):
    (tmp_path / "a.txt").write_text("never imported\n", encoding="utf-8")
    (tmp_path / "a.json").write_text("{}", encoding="utf-8")
    (tmp_path / "bad.txt").write_bytes(b"\xff\xfe not UTF-8")
    os.mkfifo(tmp_path / "fifo.txt")  # read, it would wait for a writer
    for name in ("a.txt", "a.json", "bad.txt", "missing.txt", "fifo.txt"):
        assert first_paint.stored_article(tmp_path / "db", tmp_path / name) is None


@given(st.text(max_size=200), st.dictionaries(st.sampled_from(["source", "url", "title"]),
                                               st.text(max_size=20)))
def test_the_meta_is_read_past_the_text_as_a_whole_parse_reads_it(text, meta):
    raw = json.dumps({"article": {"1": {"id": "x", "text": text, "meta": meta,
                                        "added": 1}}, "spans": {}}, separators=(",", ":"))
    assert first_paint.stored_meta(raw) == meta


@pytest.mark.parametrize("raw", ['{"spans":{}}', '{"article":{"1":{"id":"x","text":"a"}}}',
                                 '{"article":{"1":{"id":"x","text":"unended',
                                 '{"article":{"1":{"id":"x","text":"a","meta":' + "[" * 100000,
                                 "\x00\xff not JSON"])
def test_a_stored_file_laid_out_otherwise_is_not_painted(tmp_path, raw):
    (tmp_path / "a.txt").write_text("a\n", encoding="utf-8")
    (tmp_path / "db").mkdir()
    (tmp_path / "db" / f"{document_id('a' + chr(10))}.json").write_text(raw, encoding="utf-8")
    assert first_paint.stored_article(tmp_path / "db", tmp_path / "a.txt") is None


def test_a_stored_file_of_every_kind_gloss_writes_is_read(tmp_path):
    text = (ROOT / "seeds" / "trump-putin-ceasefire-call.txt").read_text(encoding="utf-8")
    path = store(tmp_path, text, "seed.txt")
    raw = path.read_text(encoding="utf-8")
    assert first_paint.stored_meta(raw) == json.loads(raw)["article"]["1"]["meta"]
    assert path.stem == hashlib.sha256(text.encode()).hexdigest()[:16]


def test_nothing_is_painted_without_a_terminal(tmp_path):
    # under pytest (and Pilot) stdout is no terminal
    if all(os.isatty(fd) for fd in (0, 1, 2)):
        pytest.skip("run with a terminal on every stream")
    (tmp_path / "a.txt").write_text("x\n", encoding="utf-8")
    assert not first_paint.paint(["--db", str(tmp_path / "db"), str(tmp_path / "a.txt")])
    assert first_paint.painted() is None and first_paint.hand_over() is None


def test_the_terminal_mode_is_the_one_textual_sets():
    attrs = [termios.BRKINT | termios.ICRNL | termios.IXON | termios.INLCR, 0, 0,
             termios.ECHO | termios.ICANON | termios.ISIG | termios.IEXTEN | termios.ECHOE,
             0, 0, [b"\x00"] * 32]
    mine = first_paint.quiet_mode([list(a) if isinstance(a, list) else a for a in attrs])
    assert mine[3] == LinuxDriver._patch_lflag(attrs[3])
    assert mine[0] == LinuxDriver._patch_iflag(attrs[0])
    assert mine[6][termios.VMIN] == 1
