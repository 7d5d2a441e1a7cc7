"""kill -9 a large article's save (over ``LATER_BYTES``, made small in the child): its file
written in pieces handed to the disk as it goes, the freeing of the file it replaced and
its row of the index left for after it returns. Every save that returned survives, every
file is whole, nothing is left in the folder once it is opened again, and a row never
written is read again from its file."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.core.test_article_index import index_rows, reading
from tests.faults.kill import WAIT_S, leftovers, writers_gone
from tui.core.document.model import Document
from tui.core.store.dataset import Dataset

KILLS = int(os.environ.get("GLOSS_FAULT_KILLS", "24")) // 2
TEXT = "Kyiv said talks with Moscow would resume in Riyadh next week, the envoy said. " * 30

SAVER = """
import random, sys
from tui.core.disk import storage
from tui.core.store import dataset as dataset_module
dataset_module.LATER_BYTES = 0  # every save takes a large article's way
storage.WRITEBACK_PIECE = 256
from tui.core.store.dataset import Dataset
folder, doc_id, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
dataset = Dataset(folder, 'dmytro')
base = random.randrange(2000)  # a span identical to one saved is not saved twice
for n in range(count):
    start = (base + 97 * n) % 2000
    print(dataset.new_span(doc_id, start, start + 5, f'CLAIM{n}').id, flush=True)
"""


def saver(folder: Path, doc_id: str, count: int, **env: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-c", SAVER, str(folder), doc_id, str(count)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, **env})


def article(tmp_path: Path) -> tuple[Path, str]:
    folder = tmp_path / "annotations"
    document = Document.from_text(TEXT)
    Dataset(folder, "alice").add_article(document)
    return folder, document.id


def test_killed_after_it_returned_its_save_is_kept_and_its_row_read_again(
        tmp_path, monkeypatch):
    folder, doc_id = article(tmp_path)
    hold = tmp_path / "held"  # the thread that reaches the point makes it and waits there
    child = saver(folder, doc_id, 1, GLOSS_STOP_AT="row", GLOSS_STOP_HOLD=str(hold))
    deadline = time.monotonic() + WAIT_S
    while not hold.exists():  # the save has returned
        assert child.poll() is None and time.monotonic() < deadline
        time.sleep(0.01)
    child.send_signal(signal.SIGKILL)
    child.wait()
    writers_gone(folder)
    dataset = Dataset(folder, "alice")  # the next opening
    assert [s.annotator for s in dataset.spans(doc_id)] == ["dmytro"]
    assert leftovers(folder) == []  # the dead writer's owner file and temp files gone
    assert index_rows(dataset)[doc_id] != dataset.stamp(doc_id)  # stale: never written
    read = reading(monkeypatch)
    rows, _ = dataset.summaries()
    assert read == [doc_id] and rows[0].analysts == ("dmytro",)
    assert index_rows(dataset)[doc_id] == dataset.stamp(doc_id)


def test_killed_at_random_moments_every_save_that_returned_survives(tmp_path):
    folder, doc_id = article(tmp_path)
    rng = random.Random(20261206)
    reported: set[str] = set()
    for _ in range(KILLS):
        child = saver(folder, doc_id, 10_000)
        assert child.stdout is not None
        reported.add(child.stdout.readline().strip())  # saving: now kill it, somewhere
        time.sleep(rng.uniform(0, 0.03))
        child.send_signal(signal.SIGKILL)
        out, _ = child.communicate()
        reported.update(line for line in out.split("\n")[:-1] if line)  # printed whole
        writers_gone(folder)
        dataset = Dataset(folder, "alice")
        assert reported <= {s.id for s in dataset.spans(doc_id)}
        rows, problems = dataset.summaries()
        assert problems == [] and rows[0].every == len(dataset.spans(doc_id))
        dataset.owner.release()
        assert leftovers(folder) == []
    assert len(reported) > KILLS
