"""Cue files: the shipped ones load, a team's file adds and takes away words, and a file
that cannot be used is named with its line."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.core.store.corpus import InputError
from tui.core.suggest import cue_files
from tui.core.suggest.claim_cues import claim_suggestions


def test_every_shipped_language_loads_with_every_list():
    assert cue_files.languages() == ["en", "uk"]
    for language in cue_files.languages():
        cues = cue_files.load(language)
        assert cues.language == language
        assert all(count > 0 for name, count in cues.counts().items()
                   if name in ("verbs", "according", "complementisers", "pronouns"))


def test_a_team_file_adds_and_takes_away_words(tmp_path: Path):
    team = cue_files.team_file(tmp_path, "en")
    team.parent.mkdir()
    team.write_text('language = "en"\n[cues]\nverbs = ["blurted", "-said"]\n'
                    '[sources]\nunnamed = ["insiders"]\n', encoding="utf-8")
    cues = cue_files.for_dataset(tmp_path, "en")
    assert "blurted" in cues.verbs and "said" not in cues.verbs
    text = "Zelensky blurted that the talks were a trap. Putin said the war goes on."
    found = claim_suggestions(text, cues=cues)
    assert [text[s.start:s.end] for s in found] == ["the talks were a trap"]
    assert cue_files.for_dataset(tmp_path / "elsewhere", "en") is cue_files.cached("en")


def test_the_words_are_matched_case_aside(tmp_path: Path):
    path = tmp_path / "en.toml"
    path.write_text('[cues]\nverbs = ["Blurted"]\n', encoding="utf-8")
    assert "blurted" in cue_files.load("en", [path]).verbs


@pytest.mark.parametrize(("content", "line", "reason"), [
    ('[cues]\nverbs = "said"\n', 2, "verbs must be a list of words"),
    ('[cues]\nverbs = ["said", 3]\n', 2, "3 is not a word in quotes"),
    ('[cues]\nverbs = [\n  "said",\n  "",\n]\n', 4, "an empty word"),
    ('[cues]\nverbs = ["x\\u0007y"]\n', 2, "control character"),
    ('[cues]\nverbs = ["..."]\n', 2, "holds no letter"),
    ('[cues]\nnouns = ["ok"]\nverbz = ["said"]\n', 3, "unknown list 'verbz'"),
    ('[cuez]\nverbs = []\n', 1, "unknown key 'cuez'"),
    ('cues = 3\n', 1, "'cues' must be a section"),
    ('language = "uk"\n', 1, "'language' is 'uk'"),
    ('[grammar]\ncomplementiser_required = "yes"\n', 2, "true or false"),
    ('[cues]\nverbs = ["said"\n', 2, "not TOML"),
    ('[cues\n', 1, "not TOML"),
    ("[cues]\nverbs = ['" + "x" * 65 + "']\n", 2, "at most 64 characters"),
])
def test_a_bad_cue_file_is_named_with_its_line(tmp_path: Path, content, line, reason):
    path = tmp_path / "en.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        cue_files.load("en", [path])
    assert caught.value.where == f"{path}:{line}"
    assert reason in caught.value.reason


def test_a_cue_file_that_is_not_utf8_or_not_there(tmp_path: Path):
    path = tmp_path / "en.toml"
    path.write_bytes(b'[cues]\nverbs = ["\xff"]\n')
    with pytest.raises(InputError, match="not UTF-8"):
        cue_files.load("en", [path])
    with pytest.raises(InputError):
        cue_files.load("en", [tmp_path / "missing.toml"])
    with pytest.raises(InputError, match="no cue file for the language"):
        cue_files.load("../en")
