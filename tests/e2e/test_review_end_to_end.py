"""A review end to end in a real terminal: two analysts' versions of an article in a
dataset, `gloss review`, every agreement taken, one side of a difference taken, the article
marked reviewed, quit; the dataset on disk then holds the reviewed version, each span
saying whose it was, and the reviewer's status. The screen is polled, never slept on."""

import shutil
import sys

import pytest

from tests.app.team import AGREED, DOC_ID, team
from tests.e2e.terminal import Terminal
from tui.core.store.dataset import Dataset

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]


def test_review_one_article_end_to_end(tmp_path):
    folder = team(tmp_path / "db").folder
    terminal = Terminal([sys.executable, "-m", "tui", "review", "--db", "db",
                         "--reviewer", "olena"], tmp_path)
    try:
        terminal.wait_for("Gloss review")
        terminal.wait_for("alice bob")  # who marked it done, in the library
        terminal.send("Enter")
        terminal.wait_for("alice's version")
        terminal.wait_for("boundaries differ")
        terminal.send("a")
        terminal.wait_for("4 agree, 4 in the review")
        terminal.wait_for("saved 4 spans")
        terminal.send("Tab")
        terminal.wait_for(" 1 / 4 ")
        terminal.send("2")  # bob's Peskov: "Kremlin spokesman Dmitry Peskov"
        terminal.wait_for(" 2 / 4 ")  # on to the next difference
        terminal.wait_for("saved ACTOR “Kremlin")
        terminal.send("d")
        terminal.wait_for("reviewed ✓")
        terminal.send("q")
        terminal.wait_until_closed()
    finally:
        terminal.close()
    article = Dataset(folder, "x").article(DOC_ID)
    review = {s.id: s for s in article.spans if s.annotator == "olena"}
    assert {s.text: s.source for s in review.values()} == {
        **dict.fromkeys(AGREED, "alice,bob"), "Kremlin spokesman Dmitry Peskov": "bob"}
    assert article.status == {"alice": "done", "bob": "done", "olena": "reviewed"}
    links = [(review[r.head].text, review[r.child].text, r.label) for r in article.relations
             if r.head in review]
    assert links == [("Kyiv rejected the claim", "Kyiv", "SOURCE")]
    theirs = {s.id for s in article.spans if s.annotator in ("alice", "bob")}
    assert len(theirs) == 15 and not theirs & set(review)  # copies, with ids of their own
