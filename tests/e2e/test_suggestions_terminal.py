"""A suggested claim accepted in a real terminal: tmux runs `gloss read` on an article
where "Zelensky said ..." is reported speech; the status counts the suggestion, `j`
selects it, `y` accepts it, and the article file then holds the claim, its speaker as an
actor (both recording the claim cue they came from) and the SOURCE link between them.
The screen is polled, never slept on."""

import shutil
import sys

import pytest

from tests.e2e.terminal import Terminal
from tui.core.store.dataset import Dataset

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed"),
]

ARTICLE = "Talks in Riyadh\n\nZelensky said the talks in Riyadh were a trap.\n"
CLAIM = "the talks in Riyadh were a trap"


def test_j_then_y_accepts_a_suggested_claim_with_its_source(tmp_path):
    (tmp_path / "riyadh.txt").write_text(ARTICLE, encoding="utf-8")
    terminal = Terminal([sys.executable, "-m", "tui", "read", "riyadh.txt", "--db", "db"],
                        tmp_path, width=150)
    try:
        terminal.wait_for("1 suggested", "suggested: 1")  # the status and the span list
        terminal.send("j")
        terminal.wait_for("sel ")
        terminal.send("y")
        terminal.wait_for(f"saved 2 spans, CLAIM “{CLAIM}” first and 1 link", "← Zelensky")
        terminal.wait_until(lambda screen: "1 suggested" not in screen,
                            "the accepted suggestion stayed counted")
        terminal.send("q")
        terminal.wait_until_closed()
    finally:
        terminal.close()
    article = Dataset(tmp_path / "db", "bob").article(Dataset(tmp_path / "db", "bob").ids()[0])
    spans = {s.id: s for s in article.spans}
    assert sorted((s.text, s.label, s.origin, s.annotator) for s in article.spans) == [
        ("Zelensky", "ACTOR", "claim-cue", "alice"), (CLAIM, "CLAIM", "claim-cue", "alice")]
    assert [(spans[r.head].text, r.label, spans[r.child].text) for r in article.relations] \
        == [(CLAIM, "SOURCE", "Zelensky")]
