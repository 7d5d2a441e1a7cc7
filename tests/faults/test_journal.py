"""The commit rolled forward or left out, found by hypothesis: a dataset of a few articles,
an import of new articles, spans into some of the others and perhaps a label, and a
process that dies (``os._exit``, no clean-up of any kind) just before its k-th call that
touches a file. Opened again, the dataset is exactly as before the import or exactly as
after it, byte for byte, with nothing left over."""

from __future__ import annotations

import itertools
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.faults.kill import leftovers, state
from tui.core.document.model import Document, Span
from tui.core.store.dataset import Dataset

STAMP = "2026-01-01T00:00:00.000+00:00"
TOUCHING = ("open", "write", "fsync", "rename", "replace", "unlink", "link", "sync")


def document(n: int) -> Document:
    return Document.from_text(f"Report {n}: talks in Kyiv resumed, officials said.")


def span(doc: Document, start: int, label: str) -> Span:
    return Span(start, start + 6, label, doc.text[start:start + 6], "alice",
                id=f"{doc.id}-{start}-{label}", created=STAMP, updated=STAMP)


def in_a_child(work: Callable[[], object], dies_at: int | None) -> None:
    """Run ``work`` in a forked process that dies just before its ``dies_at``-th call
    touching a file (None: never)."""
    pid = os.fork()
    if pid == 0:
        try:
            time.time_ns = lambda: 1_767_225_600_000_000_000
            calls = itertools.count()
            for name in TOUCHING:
                real = getattr(os, name)

                def touching(*args: object, _real: Callable[..., object] = real,
                             **kwargs: object) -> object:
                    if dies_at is not None and next(calls) >= dies_at:
                        os._exit(9)  # as kill -9: no finally, no clean-up
                    return _real(*args, **kwargs)

                setattr(os, name, touching)
            work()
        finally:
            os._exit(0)
    os.waitpid(pid, 0)


@settings(max_examples=60)
@given(existing=st.integers(1, 4), new=st.integers(0, 5),
       merged=st.sets(st.integers(0, 3)), label=st.booleans(), dies_at=st.integers(0, 150))
def test_a_commit_that_dies_anywhere_is_rolled_forward_or_left_out(existing, new, merged,
                                                                   label, dies_at):
    root = Path(tempfile.mkdtemp(prefix="gloss-journal-"))
    try:
        before_db = root / "before"
        known = [document(n) for n in range(existing)]
        dataset = Dataset(before_db, "alice")
        dataset.add_articles([(d, [span(d, 0, "ACTOR")], []) for d in known])
        dataset.owner.release()
        items = [(document(100 + n), [span(document(100 + n), 0, "EVENT" if label else
                                            "ACTOR")], []) for n in range(new)]
        items += [(d, [span(d, 10, "LOCATION")], []) for n, d in enumerate(known)
                  if n in merged]
        labels = ["EVENT"] if label else []

        def importing(folder: Path) -> Callable[[], object]:
            return lambda: Dataset(folder, "alice").add_articles(items, labels,
                                                                 keep_tokens=False)

        shutil.copytree(before_db, root / "after")
        in_a_child(importing(root / "after"), None)
        shutil.copytree(before_db, root / "killed")
        in_a_child(importing(root / "killed"), dies_at)
        Dataset(root / "killed", "next")
        assert not leftovers(root / "killed")
        assert state(root / "killed") in (state(before_db), state(root / "after"))
    finally:
        shutil.rmtree(root, ignore_errors=True)
