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


# -- the same folders through the commands that take one: `gloss read --next uncertain
# --model DIR` and `gloss suggest --model DIR` -------------------------------------------

BROKEN: dict[str, dict[str, bytes]] = {
    "empty": {},
    "foreign": {"meta.json": b'{"lang": "en"}', "config.cfg": b'[nlp]\nlang = "en"\n'},
    "card of junk": {CARD: b"\xff\xfe junk"},
    "card of another shape": {CARD: b'{"format": "gloss-model", "labels": 3}'},
    "latest outside": {LATEST: b"../../etc"},
    "latest with a control": {LATEST: b"\x1b[31mred"},
    "junk weights": {CARD: CARD_OK, "meta.json": b"\x00" * 100, "config.cfg": b"not json"},
}


DOORS = {"read": ("read", "--next", "uncertain", "--model"), "suggest": ("suggest", "--model")}


@pytest.mark.parametrize("door", list(DOORS))
@pytest.mark.parametrize("case", list(BROKEN))
def test_a_broken_model_is_refused_in_one_line(tmp_path, case, door):
    from tests.hostile.attack import attack
    from tui.core.document.model import Document
    from tui.core.store.dataset import Dataset

    Dataset(tmp_path / "db", "alice").add_article(Document.from_text("Putin met Trump."))
    model = tmp_path / "model\x1b[2J"
    model.mkdir()
    for name, content in BROKEN[case].items():
        (model / name).write_bytes(content)
    outcome = attack(tmp_path, *DOORS[door], model)
    assert outcome.code == 2, outcome.err
    if importlib.util.find_spec("spacy") is not None:
        assert "model" in outcome.err


@pytest.mark.parametrize(("args", "said"), [
    (("--next", "uncertain", "x.txt"), "--next"),
    (("--model", "m"), "m: no such folder"),
    (("--model", "."), "not a Gloss model"),
])
def test_read_refuses_what_it_cannot_do_in_one_line(tmp_path, args, said):
    from tests.hostile.attack import attack

    outcome = attack(tmp_path, "read", *args)
    assert outcome.code == 2 and said in outcome.err, outcome.err
