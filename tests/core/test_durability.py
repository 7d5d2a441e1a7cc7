"""Nothing saved is lost and no file is ever left broken: kills, races, a full disk."""

import random
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

import orjson

from tui.core.document.model import Document
from tui.core.store.dataset import Dataset

SAVER = Path(__file__).with_name("saver.py")
TEXT = "A long enough article about cease-fire talks between Kyiv and Moscow. " * 4


def saver(folder: Path, doc_id: str, count: int, who: str = "alice", **kwargs):
    return subprocess.Popen([sys.executable, str(SAVER), str(folder), doc_id, str(count), who],
                            stdout=subprocess.PIPE, text=True, **kwargs)


def every_file_is_whole(folder: Path) -> None:
    for path in folder.glob("*.json"):
        orjson.loads(path.read_bytes())


def test_killed_at_random_moments_every_reported_save_survives(tmp_path):
    rng = random.Random(20261125)
    folder = tmp_path / "annotations"
    doc = Document.from_text(TEXT)
    Dataset(folder, "alice").add_article(doc)
    reported: set[str] = set()
    for _ in range(50):
        child = saver(folder, doc.id, 10_000)
        first = child.stdout.readline().strip()  # running: now kill it mid-save, somewhere
        reported.add(first)
        time.sleep(rng.uniform(0, 0.03))
        child.send_signal(signal.SIGKILL)
        out, _ = child.communicate()
        # A line that was written whole was printed after its save returned.
        lines = out.split("\n")
        reported.update(line for line in lines[:-1] if line)
        every_file_is_whole(folder)
        saved = {s.id for s in Dataset(folder, "alice").spans(doc.id)}
        assert reported <= saved
    assert len(reported) > 50
    assert not list(folder.glob(".*.tmp"))  # each reopen cleared what the kills left


def test_two_processes_saving_into_one_article_lose_nothing(tmp_path):
    folder = tmp_path / "annotations"
    doc = Document.from_text(TEXT)
    Dataset(folder, "alice").add_article(doc)
    children = [saver(folder, doc.id, 150, who) for who in ("alice", "bob")]
    outputs = [child.communicate()[0].split() for child in children]
    assert all(child.returncode == 0 for child in children)
    spans = Dataset(folder, "alice").spans(doc.id)
    assert {s.id for s in spans} == set(outputs[0]) | set(outputs[1])
    assert len(spans) == 300
    assert {s.annotator for s in spans} == {"alice", "bob"}


def test_a_full_disk_gives_a_clear_error_and_keeps_the_old_file(tmp_path):
    folder = tmp_path / "annotations"
    doc = Document.from_text(TEXT)
    dataset = Dataset(folder, "alice")
    dataset.add_article(doc)
    dataset.new_span(doc.id, 0, 6, "ACTOR")
    before = dataset.path(doc.id).read_bytes()
    limit = len(before) + 40  # room for less than one more span

    def cap_file_size():
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    child = saver(folder, doc.id, 5, preexec_fn=cap_file_size)
    out, _ = child.communicate()
    assert child.returncode == 2
    assert out.strip() == f"error: {dataset.path(doc.id)}: not saved: the disk is full"
    assert dataset.path(doc.id).read_bytes() == before
    assert not list(folder.glob(".*.tmp"))
    assert [s.text for s in Dataset(folder, "alice").spans(doc.id)] == ["A long"]
