"""A keymap gives the reader's keys other keys: the new key does the row's work, the old one
no longer does, and the footer and the help say the new one."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.app.helpers import spans
from tui.app import GlossApp
from tui.core.document.model import Document
from tui.core.store.dataset import Dataset
from tui.keymap import parse
from tui.screens.help import HelpScreen

TEXT = "Putin and Trump spoke about a cease-fire in Ukraine."


@pytest.fixture
def dataset(tmp_path: Path) -> Dataset:
    dataset = Dataset(tmp_path / "db", "alice")
    dataset.add_article(Document.from_text(TEXT))
    return dataset


KEYMAP = parse('reader.undo = "U"\nreader.label_1 = "f1"\nview.next_span = "ctrl+n"\n'
               'help = "f2"\n', "keymap.toml")


async def test_the_keys_given_do_the_work_and_the_old_ones_do_not(dataset):
    app = GlossApp(dataset, dataset.ids(), keymap=KEYMAP)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("1")  # no longer a label key
        assert spans(app) == []
        await pilot.press("f1")  # the word under the cursor, as an actor
        assert spans(app) == [("Putin", "ACTOR")]
        await pilot.press("ctrl+z")
        assert spans(app) == [("Putin", "ACTOR")]
        await pilot.press("U")
        assert spans(app) == []
        shown = {b.binding.id: b.binding.key for b in app.screen.active_bindings.values()}
        assert shown["reader.undo"] == "U" and shown["view.next_span"] == "ctrl+n"
        await pilot.press("f2")  # help, in every scope
        assert isinstance(app.screen, HelpScreen) and app.screen.keymap == KEYMAP
        await pilot.app.session.wait()


def test_the_help_says_the_keys_given():
    from tui.keys import READER, rows

    [undo] = [k for k in rows(KEYMAP)[READER] if k.id == "reader.undo"]
    assert (undo.keys, undo.shown) == ("U", "U")
    labels = [k for k in rows(KEYMAP)[READER] if k.id.startswith("reader.label_")]
    assert [k.shown for k in labels][:2] == ["f1", "2"]  # each label key on its own row
