"""Linking a claim to its source in a real terminal: tmux runs `gloss read`, the analyst
labels an actor and a claim, presses `w` and enter, and the dataset on disk then holds the
SOURCE link between those two spans. The screen is polled, never slept on."""

import shutil
import sys

import pytest

from tests.e2e.terminal import Terminal
from tui.core.store.dataset import Dataset

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]

ARTICLE = ("Talks in Riyadh\n\n"
           "Zelensky said the talks in Riyadh were a trap, a claim U.S. envoy Steve Witkoff "
           "denied.\n")
CLAIM = "the talks in Riyadh were a trap"


def label(terminal: Terminal, text: str, key: str, saved: str) -> str:
    """Find ``text`` with the search bar, label the match with ``key``, wait for the save."""
    terminal.send("/")
    terminal.wait_for("enter: find")
    terminal.send(text, literal=True)
    terminal.send("Enter")
    terminal.wait_for("sel ")
    terminal.send(key)
    return terminal.wait_for(f"saved {saved} “{text}”")


def row(screen: str, label: str) -> str:
    """The span list's row of ``label`` (the list is the right-hand column)."""
    return next(line.split("▏", 1)[1] for line in screen.splitlines()
                if "▏" in line and f" {label} " in line.split("▏", 1)[1])


def test_w_then_enter_links_the_claim_to_its_source_on_disk(tmp_path):
    (tmp_path / "riyadh.txt").write_text(ARTICLE, encoding="utf-8")
    terminal = Terminal([sys.executable, "-m", "tui", "read", "riyadh.txt", "--db", "db"],
                        tmp_path, width=150)
    try:
        terminal.wait_for("nothing to save yet")
        label(terminal, "Steve Witkoff", "1", "ACTOR")
        label(terminal, "Zelensky", "1", "ACTOR")
        screen = label(terminal, CLAIM, "2", "CLAIM")
        assert "1 to do" in screen and "← ?" in row(screen, "CLAIM")
        terminal.send("w")
        screen = terminal.wait_for("” ← ⏎ link “Zelensky”")  # its sentence, nearest first
        assert "SOURCE  CLAIM “the talks in Riyadh" in screen
        assert "aelensky said" in screen  # the hint letter over the highlighted candidate
        terminal.send("Enter")
        screen = terminal.wait_until(
            lambda screen: f"saved SOURCE “Zelensky” of “{CLAIM}”" in screen
            and "← Zelensky" in row(screen, "CLAIM") and "to do" not in screen,
            "the link was not shown saved on the claim's row")
        assert "Zelensky said" in screen  # the hint letters are gone
        terminal.send("q")
        terminal.wait_until_closed()
    finally:
        terminal.close()
    dataset = Dataset(tmp_path / "db", "bob")
    [doc_id] = dataset.ids()
    article = dataset.article(doc_id)
    spans = {s.id: s for s in article.spans}
    assert [(spans[r.head].text, r.label, spans[r.child].text, r.annotator)
            for r in article.relations] == [(CLAIM, "SOURCE", "Zelensky", "alice")]
    claim = next(s for s in article.spans if s.label == "CLAIM")
    assert claim.attribute("source_kind") == "actor"
