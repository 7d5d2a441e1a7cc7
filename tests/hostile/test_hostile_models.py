"""A model folder given to the finder (what ``--model DIR`` will load): empty, foreign,
a card of the wrong shape, a ``latest`` that points outside, weights that are junk. Each is
one line naming the folder, never a traceback."""

from __future__ import annotations

import importlib.util
import os

import pytest

from tui.core.suggest.model_finder import ModelFinder
from tui.core.train.store import CARD, LATEST, ModelError

CARD_OK = b'{"format": "gloss-model", "version": 1, "labels": {"ner": ["ACTOR"]}}'


def one_line(path, folder) -> str:
    with pytest.raises(ModelError) as caught:
        ModelFinder.load(path)
    message = str(caught.value)
    assert "\n" not in message and str(folder) in message and "Traceback" not in message
    return message


def test_an_empty_folder(tmp_path):
    assert "not a Gloss model" in one_line(tmp_path, tmp_path)


def test_a_missing_folder(tmp_path):
    assert "no such folder" in one_line(tmp_path / "nope", tmp_path / "nope")


def test_a_foreign_spacy_folder(tmp_path):
    (tmp_path / "meta.json").write_text('{"lang": "en", "name": "core_web_sm"}')
    (tmp_path / "config.cfg").write_text("[nlp]\nlang = \"en\"\n")
    assert "no card.json" in one_line(tmp_path, tmp_path)


@pytest.mark.parametrize("card", [b"", b"\xff\xfe junk", b"[]", b'{"format": "other"}',
                                  b'{"format": "gloss-model", "labels": 3}', b"{" * 5000])
def test_a_card_of_the_wrong_shape(tmp_path, card):
    (tmp_path / CARD).write_bytes(card)
    assert "card" in one_line(tmp_path, tmp_path)


@pytest.mark.parametrize("pointer", ["../../etc", "", "\x1b[31mred", ".hidden", "a/b",
                                     "missing"])
def test_a_latest_that_names_no_model(tmp_path, pointer):
    (tmp_path / LATEST).write_text(pointer)
    message = one_line(tmp_path, tmp_path)
    assert "names no model" in message


def test_an_unreadable_latest(tmp_path):
    if os.geteuid() == 0:
        (tmp_path / LATEST).write_bytes(b"\xff\xfe\x00")
    else:
        (tmp_path / LATEST).write_text("x")
        (tmp_path / LATEST).chmod(0)
    one_line(tmp_path, tmp_path)


@pytest.mark.skipif(importlib.util.find_spec("spacy") is None,
                    reason="the spacy extra is not installed")
@pytest.mark.parametrize("junk", [b"", b"\x00" * 100, b"not json"])
def test_a_card_with_junk_weights(tmp_path, junk):
    (tmp_path / CARD).write_bytes(CARD_OK)
    (tmp_path / "meta.json").write_bytes(junk)
    (tmp_path / "config.cfg").write_bytes(junk)
    assert "cannot be loaded" in one_line(tmp_path, tmp_path)


def test_a_dataset_with_two_models_asks_for_one(tmp_path):
    for name in ("a", "b"):
        folder = tmp_path / "models" / name
        (folder / "1").mkdir(parents=True)
        (folder / "1" / CARD).write_bytes(CARD_OK)
        (folder / LATEST).write_text("1")
    assert "several models" in one_line(tmp_path, tmp_path)
