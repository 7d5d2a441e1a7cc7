"""Cue files attacked: every value of a valid file replaced by every TOML type, files cut
short, random bytes, bad encodings, words holding controls or markup, and paths that are
not files. `gloss cues` reads them (the shipped ones, DIR/cues/LANG.toml, the files given)
and must keep the rule of `attack.check`: it only reads, so the dataset never changes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.hostile.attack import CONTROL, attack
from tests.hostile.test_hostile_inputs import NASTY
from tui.core.suggest import cue_files

VALID = """language = "en"

[cues]
verbs = ["blurted", "-said"]
according = ["as told to"]

[sources]
unnamed = ["insiders"]

[grammar]
complementiser_required = false
"""
# Each value of VALID, and what may stand in its place
PLACES = ['"en"', '["blurted", "-said"]', '["as told to"]', '["insiders"]', "false"]
TOML_TYPES = {"string": '"x"', "int": "7", "float": "2.5", "bool": "true", "nan": "nan",
              "array": '[1, "a", true]', "nested": '[["a"]]', "table": "{a = 1}",
              "date": "1979-05-27", "empty": "[]", "empty string": '[""]'}


def cues_file(tmp: Path, content: bytes) -> Path:
    path = tmp / "cues.toml"
    path.write_bytes(content)
    return path


def test_a_valid_cue_file_is_read(tmp_path):
    outcome = attack(tmp_path, "cues", cues_file(tmp_path, VALID.encode()), imports=False)
    assert outcome.code == 0
    assert b"cues for en: shipped +" in outcome.out


@pytest.mark.parametrize("place", PLACES)
@pytest.mark.parametrize("kind", list(TOML_TYPES))
def test_every_value_replaced_by_every_toml_type(tmp_path, place, kind):
    content = VALID.replace(place, TOML_TYPES[kind], 1)
    attack(tmp_path, "cues", cues_file(tmp_path, content.encode()), imports=False)


@pytest.mark.parametrize("part", range(8))
def test_a_valid_file_cut_short(tmp_path, part):
    data = VALID.encode()
    attack(tmp_path, "cues", cues_file(tmp_path, data[: len(data) * part // 8]), imports=False)


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(junk=st.binary(max_size=300))
def test_random_bytes(tmp_path_factory, junk):
    tmp = tmp_path_factory.mktemp("cues")
    attack(tmp, "cues", cues_file(tmp, junk), imports=False)


def test_bad_encodings(tmp_path):
    for data in (VALID.encode()[:30] + b"\xff\xfe" + VALID.encode()[30:],
                 b"\xff\xfe" + VALID.encode("utf-16-le"), b"\x00" * 40):
        assert attack(tmp_path, "cues", cues_file(tmp_path, data), imports=False).code == 2


@pytest.mark.parametrize("nasty", NASTY, ids=[repr(n) for n in NASTY])
def test_words_with_controls_or_markup_are_refused_or_shown_harmless(tmp_path, nasty):
    word = nasty.replace("\\", "\\\\").replace('"', '\\"')
    content = f'[cues]\nverbs = ["{word}"]\n'.encode()
    for args in (("cues",), ("cues", "--words", "verbs")):
        outcome = attack(tmp_path, *args, cues_file(tmp_path, content), imports=False)
        assert not CONTROL.search(outcome.out.decode("utf-8", "replace"))
        assert b"\x1b" not in outcome.out and b"\xc2\x9b" not in outcome.out


def test_the_datasets_own_cue_file_is_checked_too(tmp_path):
    team = cue_files.team_file(tmp_path / "db", "en")
    team.parent.mkdir(parents=True)
    team.write_bytes(b'[cues]\nverbs = "said"\n')
    outcome = attack(tmp_path, "cues", imports=False)
    assert outcome.code == 2
    assert outcome.err == f"gloss: {team}:2: verbs must be a list of words\n"


def test_paths_that_are_not_cue_files(tmp_path):
    fifo = tmp_path / "fifo.toml"
    os.mkfifo(fifo)
    (tmp_path / "folder.toml").mkdir()
    for path in (fifo, Path("/dev/zero"), tmp_path / "folder.toml", tmp_path / "none.toml"):
        assert attack(tmp_path, "cues", path, child=True, imports=False).code == 2


@pytest.mark.parametrize("language", ["xx", "../en", "", "EN", "en\x1b"])
def test_a_language_without_cues_is_refused(tmp_path, language):
    assert attack(tmp_path, "cues", "--lang", language, imports=False).code == 2
