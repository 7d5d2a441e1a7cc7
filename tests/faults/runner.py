"""The writer the fault suite kills: a server that forks one deterministic write a line.

Each line on stdin is a JSON list ``[stop_at, what, *args]``; the server forks a child that
prints ``started PID`` and does the write, then prints ``ended STATUS`` once the child has
ended (or been killed). ``stop_at`` names a failpoint (``tui/core/disk/failpoints.py``) the child
stops at, or is null. The writes (``what``):

    gloss ARGS...            `gloss ARGS` (import, merge, import --labels)
    review DB DOC REVIEWER   every agreement of the article's two analysts (alice and bob)
                             taken into the review by the reviewer, saved by the save queue
    every DB DOC WORD        the first WORD (labelled ACTOR by alice already) labelled
                             everywhere it stands (the reader's `a`), saved by the save queue

Every clock reads one instant and every new id comes from a counter that each child starts
afresh, so two writes of the same thing on the same files make the same bytes: a killed
write's dataset is compared byte for byte with the one an uninterrupted write left. A fork
costs milliseconds where starting Python costs half a second: dozens of kills a command
stay within the suite's time.
"""

from __future__ import annotations

import hashlib
import itertools
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import orjson  # noqa: E402

FIXED = "2026-01-01T00:00:00.000+00:00"
_real_urandom = os.urandom
_ids = itertools.count()


def _urandom(size: int) -> bytes:
    if size == 16:  # a span's or a link's id (model.new_id): from the counter
        return hashlib.sha256(f"gloss-fault-{next(_ids)}".encode()).digest()[:16]
    return _real_urandom(size)  # temp names and owner tokens stay unique


def deterministic() -> None:
    os.urandom = _urandom
    time.time_ns = lambda: 1_767_225_600_000_000_000
    from tui.core.document import model
    from tui.core.editing import editor
    from tui.core.store import corpus, dataset
    from tui.core.team import review_edits

    for module in (model, corpus, dataset, editor, review_edits):
        module.now = lambda: FIXED


def save_edit(what: str, db: str, doc_id: str, arg: str) -> None:
    from tui.core.editing.article_model import ArticleModel
    from tui.core.editing.save_queue import SaveQueue
    from tui.core.store.dataset import Dataset

    dataset = Dataset(db, arg if what == "review" else "alice")
    model = ArticleModel(dataset.article(doc_id), dataset.annotator, dataset.labels)
    if what == "review":
        from tui.core.team.review import compare
        from tui.core.team.review_edits import take_agreements

        edit = take_agreements(model, compare(model, "alice", "bob"), arg)
    else:
        from tui.core.editing.editor import label_every

        start = model.text.index(arg)
        [span] = model.with_extent(start, start + len(arg), "alice")
        edit = label_every(model, span)
    assert not isinstance(edit, str), edit
    model.apply(edit)
    queue = SaveQueue(dataset, lambda answer: answer())
    queue.submit(model, edit)
    queue.close()
    if model.report.error:
        raise SystemExit(f"gloss: {model.report.message}")


def write(stop_at: str | None, what: str, args: list[str]) -> int:
    """The child's whole life: the write, then its exit status."""
    from tui.cli import entry
    from tui.core.disk import failpoints
    from tui.core.disk.commit import owners_released

    global _ids
    _ids = itertools.count()
    if stop_at == "trace":  # say when each point is passed, and go on
        started = time.monotonic()

        def trace(name: str) -> None:
            sys.stderr.write(f"at {name} {time.monotonic() - started:.6f}\n")

        failpoints.point = trace
    else:
        failpoints.STOP_AT = stop_at
    try:
        with owners_released():
            if what == "gloss":
                sys.argv = ["gloss", *args]
                entry()
            else:
                save_edit(what, *args)
    except SystemExit as exc:
        if isinstance(exc.code, str):
            sys.stderr.write(exc.code + "\n")
            return 2
        return exc.code or 0
    return 0


def main() -> None:
    deterministic()

    for line in sys.stdin:
        stop_at, what, *args = orjson.loads(line)
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            code = 70
            try:
                print(f"started {os.getpid()}", flush=True)
                code = write(stop_at, what, args)
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(code)
        _, status = os.waitpid(pid, 0)
        print("ended", file=sys.stderr, flush=True)  # after all the child said there
        print(f"ended {os.waitstatus_to_exitcode(status)}", flush=True)


if __name__ == "__main__":
    main()
