"""Keymap files attacked through every door that reads one (`gloss keys`, `gloss read`,
`gloss review`, each with --keymap or $GLOSS_KEYMAP): every TOML type as a key, ids and keys
with controls and markup, random bytes, files cut short, keys of many parts, deep nesting,
and paths that are not files. Each case keeps the rule of `attack.check`: a good keymap is
taken, a bad one is one line `gloss: FILE[:LINE]: reason`, exit 2, and the dataset (which a
refused `read` never makes) as it was."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.hostile.attack import attack, check, run, run_child, snapshot
from tests.hostile.test_hostile_inputs import NASTY

GOOD = b'reader.undo = "ctrl+u"\n[review]\ntake_agreements = ["g", "f6"]\nhelp = "f1"\n'
VALUES = {"string": b'"U"', "int": b"7", "float": b"2.5", "bool": b"true",
          "date": b"1979-05-27", "datetime": b"1979-05-27T07:32:00Z", "empty": b'""',
          "list": b'["u", 7]', "empty list": b"[]", "table": b'{a = "u"}',
          "nested list": b'[["u"]]', "controls": b'"\\u001b[2J"', "markup": b'"[bold]u"',
          "many": b'"' + b",".join(b"f%d" % n for n in range(1, 13)) + b'"'}


def keymap_file(tmp: Path, content: bytes) -> Path:
    path = tmp / "keymap.toml"
    path.write_bytes(content)
    return path


def keys(tmp: Path, path: Path, *, child: bool = False, env: bool = False):
    """`gloss keys` with the file: it only reads, so nothing anywhere may change."""
    db = tmp / "db"
    before = snapshot(db)
    args = ("keys",) if env else ("keys", "--keymap", path)
    extra = {"GLOSS_KEYMAP": str(path)} if env else None
    outcome = run_child(*args, cwd=tmp, env=extra) if child else run(*args, env=extra)
    check(outcome, db, before, imports=False)
    return outcome


def refused_read(tmp: Path, path: Path, door: str = "read"):
    """A door that opens the app with a bad keymap: refused before it is opened."""
    outcome = attack(tmp, door, "--keymap", path)
    assert outcome.code == 2, outcome.err
    return outcome


def test_a_good_keymap_is_taken(tmp_path):
    outcome = keys(tmp_path, keymap_file(tmp_path, GOOD))
    assert outcome.code == 0 and b" *ctrl+u" in outcome.out


@pytest.mark.parametrize("kind", VALUES)
def test_every_toml_type_as_the_keys(tmp_path, kind):
    path = keymap_file(tmp_path, b"reader.undo = " + VALUES[kind] + b"\n")
    outcome = keys(tmp_path, path)
    assert outcome.code == (0 if kind in ("string", "many") else 2), outcome.err
    if outcome.code == 2:
        assert outcome.err.startswith(f"gloss: {path}:1: ")


@pytest.mark.parametrize("nasty", NASTY, ids=[repr(n) for n in NASTY])
@pytest.mark.parametrize("where", ["id", "key", "table", "quoted id"])
def test_ids_and_keys_with_controls_or_markup(tmp_path, nasty, where):
    quoted = '"' + nasty.encode("unicode_escape").decode("ascii").replace('"', '\\"') + '"'
    text = {"id": f'{quoted} = "u"', "key": f"reader.undo = {quoted}",
            "table": f'[{quoted}]\nundo = "u"', "quoted id": f'reader.{quoted} = "u"'}[where]
    outcome = keys(tmp_path, keymap_file(tmp_path, text.encode()))
    assert outcome.code == 2  # no id and no key is any of these


@pytest.mark.parametrize("part", range(1, 8))
def test_a_good_keymap_cut_short(tmp_path, part):
    keys(tmp_path, keymap_file(tmp_path, GOOD[: len(GOOD) * part // 8]))


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(junk=st.binary(max_size=300))
def test_random_bytes(tmp_path_factory, junk):
    tmp = tmp_path_factory.mktemp("keymap")
    keys(tmp, keymap_file(tmp, junk))


@pytest.mark.parametrize("content", [
    b".".join([b"a"] * 30000) + b" = 1",  # tomllib: seconds and gigabytes, were it let in
    b"[" + b".".join([b"a"] * 30000) + b"]\nb = 1",
    b"a = " + b"[" * 5000 + b"]" * 5000,
    b"a = " + b"{b = " * 3000 + b"1" + b"}" * 3000,
    b"x" + b" " * 60000,
    b"a = 1\n" * 20000,  # too large to be a keymap
    "reader.undo = \"é\"\n".encode("latin-1"),  # not UTF-8
], ids=["dotted", "header", "arrays", "tables", "spaces", "large", "latin-1"])
def test_keymaps_made_to_hang_or_to_eat_memory(tmp_path, content):
    assert keys(tmp_path, keymap_file(tmp_path, content)).code == 2


@pytest.mark.parametrize("kind", ["folder", "fifo", "device", "missing", "loop"])
def test_a_path_that_is_not_a_file(tmp_path, kind):
    path = tmp_path / "keymap.toml"
    if kind == "folder":
        path.mkdir()
    elif kind == "fifo":
        os.mkfifo(path)
    elif kind == "device":
        path = Path("/dev/zero")
    elif kind == "loop":
        path.symlink_to(path)
    outcome = keys(tmp_path, path, child=kind in ("fifo", "device"))
    assert outcome.code == 2
    assert outcome.err.startswith(f"gloss: {path}: ")


@pytest.mark.parametrize("door", ["read", "review"])
@pytest.mark.parametrize("content", [b'reader.undo = "x"', b"reader.undoo = 'u'", b"[[",
                                     b"\xff\xfe"], ids=["conflict", "unknown", "toml", "bytes"])
def test_the_app_never_opens_on_a_bad_keymap_and_the_dataset_is_not_made(tmp_path, door,
                                                                        content):
    refused_read(tmp_path, keymap_file(tmp_path, content), door)
    assert not (tmp_path / "db").exists() or door == "review"


def test_the_variable_names_a_keymap_as_the_option_does(tmp_path):
    path = keymap_file(tmp_path, b'reader.undo = "x"\n')
    outcome = keys(tmp_path, path, env=True)
    assert outcome.code == 2 and outcome.err.startswith(f"gloss: {path}:1: x would be both")
