"""A keymap file gives rows of the key table other keys: where it is looked for, what it may
say, and the one line a refusal gets; `gloss keys` prints the keys as they are."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import gloss
from tui.keymap import KeymapError, conflicts, is_key, load, normal, parse, where


def test_the_option_then_the_variable_then_xdg_then_home():
    env = {"HOME": "/home/olena"}
    assert where(None, env) == (Path("/home/olena/.config/gloss/keymap.toml"), False)
    assert where(None, {**env, "XDG_CONFIG_HOME": "/cfg"}) == (
        Path("/cfg/gloss/keymap.toml"), False)
    assert where(None, {**env, "XDG_CONFIG_HOME": "relative"})[0] == Path(
        "/home/olena/.config/gloss/keymap.toml")  # the XDG rule: relative is ignored
    assert where(None, {**env, "GLOSS_KEYMAP": "/k.toml"}) == (Path("/k.toml"), True)
    assert where(Path("mine.toml"), {**env, "GLOSS_KEYMAP": "/k.toml"}) == (
        Path("mine.toml"), True)


def test_a_missing_default_file_is_no_keymap_a_missing_named_one_is_refused(tmp_path):
    assert load(None, {"HOME": str(tmp_path)}) == (None, {})
    with pytest.raises(KeymapError, match=r"gone.toml: no such keymap file"):
        load(None, {"GLOSS_KEYMAP": str(tmp_path / "gone.toml")})


def test_ids_tables_lists_and_a_name_for_every_scope():
    text = ('reader.undo = "ctrl+u"\n'
            'help = "f1"\n'
            '"reader.label_1" = "f2"\n'
            "[review]\n"
            'take_agreements = ["g", "f6"]\n')
    assert parse(text, "k.toml") == {
        "reader.undo": "ctrl+u", "reader.label_1": "f2", "review.take_agreements": "g,f6",
        **{f"{scope}.help": "f1" for scope in ("reader", "board", "review", "library",
                                               "stats")}}


@pytest.mark.parametrize(("text", "said"), [
    ('reader.undoo = "u"', "k.toml:1: no key has the id 'reader.undoo' (did you mean"
                           " reader.undo?)"),
    ('\n\nnothing = "u"', "k.toml:3: no key has the id 'nothing' (gloss keys lists them)"),
    ('[reader]\nundo = "ctlr+u"', "k.toml:2: reader.undo: 'ctlr+u' is not a key"),
    ('reader.undo = 3', "k.toml:1: reader.undo: give a key as a string"),
    ('reader.undo = []', "k.toml:1: reader.undo: give a key as a string"),
    ('reader.undo = ""', "k.toml:1: reader.undo: '' is not a key"),
    ('# mine\nreader.undo = "x"', "k.toml:2: x would be both reader.remove_span and"
                                  " reader.undo in the reader"),
    ('reader.search = "escape"', "k.toml:1: escape would be both reader.search and"
                                 " view.clear_selection in the reader"),
    ('reader.label_every = "ctrl+g"', "k.toml:1: ctrl+g would be both app.stats and"
                                      " reader.label_every in the reader"),
    ('reader.undo = "u"\nreader.redo = "u"', "k.toml:1: u would be both reader.redo and"
                                             " reader.undo in the reader"),
    ('reader.undo = "u"\n[reader\n', "k.toml:2: not TOML"),
])
def test_a_bad_keymap_is_one_line_naming_the_line(text, said):
    with pytest.raises(KeymapError) as refused:
        parse(text, "k.toml")
    assert str(refused.value).startswith(said)
    assert "\n" not in str(refused.value)


def test_a_key_moved_off_frees_it_and_what_the_table_does_on_purpose_stays():
    # x is free once remove_span has another key; the review's tab is the view's too
    assert parse('reader.remove_span = "delete"\nreader.undo = "x"', "k") == {
        "reader.remove_span": "delete", "reader.undo": "x"}
    assert conflicts({}) == []
    assert parse('review.undo = "x"', "k") == {"review.undo": "x"}  # x is the reader's


def test_key_names_as_textual_has_them():
    assert all(map(is_key, ["?", "u", "U", "ctrl+u", "f5", "question_mark", "shift+tab",
                            "ctrl+shift+left", "comma", "space", "é", "alt+enter"]))
    assert not any(map(is_key, ["", " ", "ctlr+u", "ctrl", "foo", "ctrl+ctrl+a", "f99x",
                                "ctrl+", "\x1b"]))
    assert [normal(k) for k in ["?", "ctrl+?", "a", "[", "-"]] == [
        "question_mark", "ctrl+question_mark", "a", "left_square_bracket", "minus"]


def test_gloss_keys_prints_the_table_with_the_keymap_marked(tmp_path):
    plain = gloss("keys")
    assert plain.returncode == 0, plain.stderr
    assert "no keymap at" in plain.stdout and "reader.undo" in plain.stdout
    keymap = tmp_path / "keymap.toml"
    keymap.write_text('reader.undo = "ctrl+u"\n', encoding="utf-8")
    mine = gloss("keys", "--keymap", keymap)
    assert mine.returncode == 0, mine.stderr
    [row] = [line for line in mine.stdout.splitlines() if "reader.undo" in line]
    assert row.startswith(" *ctrl+u ") and f"with the keymap {keymap}" in mine.stdout
    same = gloss("--keymap", keymap, "keys")  # before the command, as --db
    assert same.stdout == mine.stdout
    env = gloss("keys", env={"GLOSS_KEYMAP": str(keymap)})
    assert env.stdout == mine.stdout


def test_a_bad_keymap_stops_gloss_before_the_dataset_is_touched(tmp_path):
    keymap = tmp_path / "keymap.toml"
    keymap.write_text('reader.undo = "x"\n', encoding="utf-8")
    for args in (["keys", "--keymap", keymap], ["read", "--keymap", keymap, "--db",
                                                 tmp_path / "db"]):
        refused = gloss(*args)
        assert refused.returncode == 2
        assert refused.stderr == (f"gloss: {keymap}:1: x would be both reader.remove_span"
                                  " and reader.undo in the reader\n")
    assert not (tmp_path / "db").exists()
