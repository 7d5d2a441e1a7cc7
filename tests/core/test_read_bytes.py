"""A file of the dataset is read whole in one read of its size, and whole still when it
grows between the look at its size and the read."""

from __future__ import annotations

import os

import pytest

from tui.core.disk import files
from tui.core.disk.files import Missing, NotReadable, read_bytes


@pytest.mark.parametrize("size", [0, 1, 12_000, (1 << 20) + 7, 3 << 20])
def test_a_file_is_read_whole(tmp_path, size):
    path = tmp_path / "a.json"
    data = os.urandom(size)
    path.write_bytes(data)
    assert read_bytes(path) == data


def test_a_file_that_grew_after_its_size_was_seen_is_read_whole(tmp_path, monkeypatch):
    path = tmp_path / "a.json"
    data = os.urandom(3 << 20)
    path.write_bytes(data)
    real = os.fstat

    class Shorter:
        def __init__(self, found: os.stat_result) -> None:
            self.st_mode, self.st_size = found.st_mode, 100  # as it was a moment before
            self.st_ino, self.st_mtime_ns = found.st_ino, found.st_mtime_ns

    monkeypatch.setattr(files.os, "fstat", lambda fd: Shorter(real(fd)))
    assert read_bytes(path) == data


def test_what_is_no_regular_file_is_not_read(tmp_path):
    os.mkfifo(tmp_path / "fifo")
    with pytest.raises(NotReadable, match="not a regular file"):
        read_bytes(tmp_path / "fifo")
    with pytest.raises(Missing):
        read_bytes(tmp_path / "nothing")


def test_a_read_shorter_than_the_size_seen_reads_on_to_the_end(tmp_path, monkeypatch):
    """One read may give less than asked (a file past 2 GB on Linux, a signal): the rest is
    read, never cut off at the first read."""
    path = tmp_path / "a.json"
    data = bytes(range(256)) * 64
    path.write_bytes(data)
    real = os.read

    def short(fd: int, size: int) -> bytes:
        return real(fd, min(size, 1000))

    monkeypatch.setattr(files.os, "read", short)
    assert read_bytes(path) == data
