"""``-o FILE``'s nameless temp file (``disk/output.py``): named at once when whole, over a
file or as a new one, its mode kept; where no link can be made its bytes are copied under a
temp name and renamed; where the system has no nameless file, a named temp file as before.
Nothing is left beside the file either way."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from tui.core.disk import output

pytestmark = pytest.mark.skipif(not hasattr(os, "O_TMPFILE"), reason="no O_TMPFILE here")


def written(path: Path, data: bytes) -> None:
    with output.open_output(path) as handle:
        handle.write(data)
        assert os.listdir(path.parent) == ([path.name] if path.exists() else [])


@pytest.mark.parametrize("there", [True, False], ids=["over a file", "a new file"])
def test_the_output_has_no_name_until_whole(tmp_path: Path, there: bool) -> None:
    path = tmp_path / "out.jsonl"
    if there:
        path.write_bytes(b"old\n")
        path.chmod(0o640)
    written(path, b"new\n" * 1000)
    assert path.read_bytes() == b"new\n" * 1000 and os.listdir(tmp_path) == ["out.jsonl"]
    assert stat.S_IMODE(path.stat().st_mode) == (0o640 if there else 0o666 & ~output._umask())


def test_a_link_refused_copies_the_bytes_under_a_temp_name(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "out.jsonl"
    path.write_bytes(b"old\n")
    link = os.link

    def refused(source: str, name: str, *, dst_dir_fd: int, follow_symlinks: bool
                ) -> None:
        if source.startswith("/proc/self/fd/"):
            raise PermissionError(1, "Operation not permitted")
        link(source, name, dst_dir_fd=dst_dir_fd, follow_symlinks=follow_symlinks)

    monkeypatch.setattr(output.os, "link", refused)
    data = os.urandom(300_000)
    written(path, data)
    assert path.read_bytes() == data and os.listdir(tmp_path) == ["out.jsonl"]


def test_a_file_system_without_nameless_files_gets_a_named_temp_file(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "out.jsonl"
    opened = os.open

    def unsupported(file: str | Path, flags: int, mode: int = 0o777) -> int:
        if flags & os.O_TMPFILE == os.O_TMPFILE:
            raise OSError(95, "Operation not supported")
        return opened(file, flags, mode)

    monkeypatch.setattr(output.os, "open", unsupported)
    with output.open_output(path) as handle:
        handle.write(b"x\n")
        assert [name for name in os.listdir(tmp_path) if name.endswith(".tmp")]
    assert path.read_bytes() == b"x\n" and os.listdir(tmp_path) == ["out.jsonl"]
