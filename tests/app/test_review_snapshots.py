"""What a reviewer sees, pinned as SVG snapshots (update with --snapshot-update, then look
at each SVG you accept): the review screen at 80x24 and 200x50, the team library."""

from dataclasses import replace
from pathlib import Path

import pytest

from tests.app.team import AGREED, DOC_ID, reviewing, team, versions
from tui.core.store.dataset import Dataset


def half_reviewed(folder: Path) -> Path:
    """The team's article with the agreements already in the review (as `a` takes them)."""
    team(folder)
    spans, _links = versions()
    copies = [replace(s, annotator="review", source="alice,bob", id=f"review-{s.id}")
              for s in spans if s.annotator == "alice" and s.text in AGREED]
    Dataset(folder, "review").add_article(Dataset(folder, "x").document(DOC_ID), copies)
    return folder


@pytest.mark.parametrize("size", [(80, 24), (200, 50)])
def test_the_review_screen(snap_compare, tmp_path, monkeypatch, size):
    """Two versions side by side, the second difference (the claim's source) selected in
    both, the differences marked, the bar naming it; at 200 columns each span list says
    how a span differs and ✓ where the review holds it."""
    monkeypatch.chdir(tmp_path)  # the folder's name is on screen: the same every run
    folder = half_reviewed(Path("db"))
    assert snap_compare(reviewing(folder), terminal_size=size,
                        press=["enter", "tab", "tab"])


def test_the_team_library_at_80_columns(snap_compare, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    folder = half_reviewed(Path("db"))
    Dataset(folder, "review").set_status(DOC_ID, "reviewed")
    assert snap_compare(reviewing(folder), terminal_size=(80, 24))
