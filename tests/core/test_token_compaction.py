"""The `.tokens` files kept for the export stay few: an import that leaves more than
`token_cache.MOST_FILES` merges them into one, never losing an entry that checks out, safe
for an export reading meanwhile and against kill -9 at any instant."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tests.core.test_token_cache import export, hits, uncached
from tui.core.disk import token_cache
from tui.core.document.model import Document
from tui.core.store.dataset import Dataset

HANG_S = 60


@pytest.fixture(autouse=True)
def small_imports_load_spacy(monkeypatch):
    monkeypatch.setattr(token_cache, "SPACY_WORTH_LOADING", 0)


def article(n: int) -> Document:
    return Document.from_text(f"Article {n}: officials in Kyiv said talks would resume.")


def cache_files(folder: Path) -> list[Path]:
    return sorted((folder / token_cache.FOLDER).glob(f"*{token_cache.SUFFIX}"))


def test_many_imports_leave_few_files_and_every_entry(tmp_path):
    """Once 150 imports left 150 files."""
    dataset = Dataset(tmp_path / "db", "alice")
    most = 0
    for n in range(40):
        dataset.add_articles([(article(n), [], [])])
        most = max(most, len(cache_files(dataset.folder)))
    assert most <= token_cache.MOST_FILES
    assert hits(dataset.folder) == 40
    assert export(dataset.folder) == uncached(dataset.folder, tmp_path)


def test_an_entry_that_does_not_check_out_is_not_merged_a_valid_copy_is(tmp_path):
    folder = tmp_path / "db"
    dataset = Dataset(folder, "alice")
    for n in range(token_cache.MOST_FILES):  # one file an import, no merge yet
        dataset.add_articles([(article(n), [], [])])
    damaged, spare = cache_files(folder)[:2]
    data = bytearray(damaged.read_bytes())
    data[3] ^= 0xFF  # inside article 0's entry: its checksum fails
    damaged.write_bytes(bytes(data))
    assert hits(folder) == token_cache.MOST_FILES - 1
    # article 1 is also kept a second time (as an import that brings it again would)
    assert token_cache.fill(folder, [(article(1).id, article(1).text)], budget=10) == 1
    assert len(cache_files(folder)) == 1  # merged: more than MOST_FILES
    assert hits(folder) == token_cache.MOST_FILES - 1  # all but the damaged one
    assert not damaged.exists() and not spare.exists()


def test_an_export_reading_while_the_files_merge_finds_every_entry(tmp_path):
    folder = tmp_path / "db"
    dataset = Dataset(folder, "alice")
    for n in range(token_cache.MOST_FILES):
        dataset.add_articles([(article(n), [], [])])
    reading = token_cache.Index(folder)  # an export that has listed and opened them
    try:
        dataset.add_articles([(article(99), [], [])])  # merges them all, removes the old
        assert len(cache_files(folder)) == 1
        assert all(reading.get(article(n).id, article(n).text) is not None
                   for n in range(token_cache.MOST_FILES))
    finally:
        reading.close()
    assert hits(folder) == token_cache.MOST_FILES + 1


def test_files_made_meanwhile_or_that_cannot_be_read_are_kept(tmp_path, monkeypatch):
    folder = tmp_path / "db"
    dataset = Dataset(folder, "alice")
    imports = token_cache.MOST_FILES
    for n in range(imports):
        dataset.add_articles([(article(n), [], [])])
    unreadable = folder / token_cache.FOLDER / "0000-torn.tokens"
    unreadable.write_bytes(b"torn")
    listed = cache_files(folder)
    original = token_cache._write_merged

    def another_import_meanwhile(cache: Path, merged: token_cache.Index) -> bool:
        token_cache.fill(folder, [(article(50).id, article(50).text)], budget=10)
        return original(cache, merged)

    monkeypatch.setattr(token_cache, "_write_merged", another_import_meanwhile)
    monkeypatch.setattr(token_cache, "MOST_FILES", 100)  # the inner import does not merge
    assert token_cache.compact(folder, most=4) == len(listed) - 1
    kept = cache_files(folder)
    assert unreadable in kept and len(kept) == 3  # the torn one, the new one, the merged
    assert hits(folder) == imports
    assert token_cache.read(folder, article(50).id, article(50).text) is not None


COMPACTING = textwrap.dedent("""
    import sys
    from pathlib import Path
    from tui.core.disk import token_cache
    folder, start = Path(sys.argv[1]), int(sys.argv[2])
    token_cache.SPACY_WORTH_LOADING = 0
    n = start
    print("ready", flush=True)
    while True:  # one new file, then merge: until killed
        text = f"Article {n}: officials in Kyiv said talks would resume."
        from tui.core.document.model import Document
        token_cache.fill(folder, [(Document.from_text(text).id, text)], budget=10)
        token_cache.compact(folder, most=2)
        n += 1
""")


def test_kill_9_while_merging_never_loses_an_entry(tmp_path):
    folder = tmp_path / "db"
    dataset = Dataset(folder, "alice")
    base = 6
    for n in range(base):
        dataset.add_articles([(article(n), [], [])])
    random.seed(15)
    kills = 24
    for k in range(kills):
        child = subprocess.Popen([sys.executable, "-c", COMPACTING, str(folder),
                                  str(1000 * (k + 1))], stdout=subprocess.PIPE)
        assert child.stdout is not None and child.stdout.readline() == b"ready\n"
        time.sleep(random.uniform(0.0, 0.25))  # a random instant, not a timed assertion
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=HANG_S)
        # every article kept before any kill still checks out
        index = token_cache.Index(folder)
        try:
            assert all(index.get(article(n).id, article(n).text) is not None
                       for n in range(base)), f"kill {k}"
        finally:
            index.close()
    token_cache.remove_leftovers(folder, older_than=0)
    assert not [p for p in (folder / token_cache.FOLDER).iterdir()
                if p.name.startswith(".")]
    dataset.add_articles([(article(10_000), [], [])])
    assert len(cache_files(folder)) <= token_cache.MOST_FILES
    assert export(folder) == uncached(folder, tmp_path)


def test_another_version_s_files_are_not_merged(tmp_path, monkeypatch):
    folder = tmp_path / "db"
    dataset = Dataset(folder, "alice")
    for n in range(token_cache.MOST_FILES + 3):
        dataset.add_articles([(article(n), [], [])])
    before = {path: path.read_bytes() for path in cache_files(folder)}
    monkeypatch.setattr(token_cache, "version", lambda: "gloss-rules+0123456789ab")
    assert token_cache.compact(folder, most=0) == 0  # none of this version: nothing merged
    assert {path: path.read_bytes() for path in cache_files(folder)} == before
