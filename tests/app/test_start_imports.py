"""What the reader's start leaves unimported: `gloss read` of a stored article draws its
first frame without the modules only later work needs (the suggestions' finders, the
dataset's index, the claims board, the counts, spaCy, fuzzy matching, the other screens),
so that none of them stands between the command and its first lines. A fresh process
each, as a user starts it; no time is measured here (bench/reader.py does)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tui.core.document.model import Document, Relation, Span
from tui.core.document.schema import SOURCE
from tui.core.store.dataset import Dataset

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT / "seeds" / "trump-putin-ceasefire-call.txt"

# The child starts `gloss read` as the command does (the article stored already), with
# Textual's headless driver, and prints the modules loaded once the reader's first frame
# with the article's pane is drawn.
CHILD = """
import builtins, json, sys, threading

# what the threads the reader starts after its first refresh import (the dataset's index,
# read in a worker) is theirs, not the first frame's: on a slow machine a worker may run
# before the frame is drawn
elsewhere = set()
plain_import = builtins.__import__
gate = threading.RLock()  # a thread's import is whole when the first frame's are counted

def traced_import(name, *args, **kwargs):
    if threading.current_thread() is threading.main_thread():
        return plain_import(name, *args, **kwargs)
    with gate:
        before = set(sys.modules)
        try:
            return plain_import(name, *args, **kwargs)
        finally:
            elsewhere.update(set(sys.modules) - before)

builtins.__import__ = traced_import
import tui.app
from tui.cli import main

class FirstFrame(tui.app.GlossApp):
    def post_display_hook(self):
        from tui.screens.reader import ReaderScreen
        if isinstance(self.screen, ReaderScreen) and self.screen.panes.panes:
            with gate:
                print(json.dumps(sorted(set(sys.modules) - elsewhere)), flush=True)
            self.exit()

    def run(self, **kwargs):
        return super().run(headless=True, size=(100, 30))

tui.app.GlossApp = FirstFrame
main(["read", "--db", sys.argv[1], sys.argv[2]], standalone_mode=False)
"""

# Each is a module, or a package and everything in it.
PUT_OFF = (
    "spacy", "rapidfuzz", "sqlite3", "msgspec", "importlib.metadata", "plotext",
    "tui.core.suggest", "tui.core.train", "tui.core.counts", "tui.core.store.article_index",
    "tui.core.store.bulk", "tui.core.team", "tui.core.attribution.claims",
    "tui.formats", "tui.interchange", "tui.screens.library", "tui.screens.board",
    "tui.screens.stats", "tui.screens.help", "tui.screens.review", "tui.screens.picker",
)


def first_frame_modules(folder: Path) -> set[str]:
    text = SEED.read_text(encoding="utf-8")
    document = Document.from_text(text, {"source": SEED.name})
    start = text.index("Putin")
    actor = Span(start, start + len("Putin"), "ACTOR", "Putin", "olena")
    claim_end = text.index(".", start) + 1
    claim = Span(start, claim_end, "CLAIM", text[start:claim_end], "olena")
    Dataset(folder / "annotations", "olena").add_article(
        document, [actor, claim], [Relation(claim.id, actor.id, SOURCE, "olena")])
    path = folder / SEED.name
    path.write_text(text, encoding="utf-8")
    env = {**os.environ, "GLOSS_ANNOTATOR": "olena",
           "TEXTUAL_DRIVER": "textual.drivers.headless_driver:HeadlessDriver"}
    done = subprocess.run([sys.executable, "-c", CHILD, str(folder / "annotations"), str(path)],
                          capture_output=True, text=True, cwd=ROOT, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    return set(json.loads(done.stdout.splitlines()[-1]))


def test_the_readers_first_frame_imports_none_of_what_later_work_needs(tmp_path: Path
                                                                       ) -> None:
    loaded = first_frame_modules(tmp_path)
    assert "tui.screens.reader" in loaded and "tui.core.editing.session" in loaded
    early = sorted(name for name in loaded
                   if any(name == off or name.startswith(off + ".") for off in PUT_OFF))
    assert early == []
