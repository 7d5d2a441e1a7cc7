"""Crash-safe files for TinyDB: atomic orjson writes and an exclusive lock per article.

Measured when Gloss was designed: TinyDB's default JSONStorage left invalid JSON after 15
of 60 kills and cut files short on a full disk; two writers lost updates without a lock
around the whole read-modify-write. Here a file is always the whole old or the whole new
one: the new content goes to a temp file in the same folder, is fsynced, replaces the old
with ``os.replace``, and the folder is fsynced so the rename itself survives a power cut.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
from tinydb import Storage

from tui.core.files import Missing, NotReadable, read_bytes, reason
from tui.core.model import GlossError

TEMP_SUFFIX = ".tmp"
LOCK_TIMEOUT_S = 10.0


class StorageError(GlossError):
    """A file could not be read or written; the message names it and why."""


class CorruptFileError(StorageError):
    """A dataset file that is not valid JSON: it is reported and never overwritten."""


def read_json(path: Path) -> Any | None:
    """The parsed file, or None when it does not exist.

    A path that cannot be read as a file (a folder, a FIFO, a dangling link, no permission)
    is a broken file like invalid JSON: named, and left as it is.
    """
    try:
        data = read_bytes(path)
    except Missing:
        return None
    except NotReadable as exc:
        raise CorruptFileError(f"{path}: cannot read: {exc}; the file is left as it is"
                               ) from exc
    if not data.strip():
        raise CorruptFileError(f"{path}: the file is empty (left by a crash or by hand?)")
    try:
        parsed = orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise CorruptFileError(
            f"{path}: not valid JSON ({exc}); the file is left as it is"
        ) from exc
    except UnicodeDecodeError as exc:
        raise CorruptFileError(f"{path}: not UTF-8 ({exc}); the file is left as it is") from exc
    if parsed is None:  # None means "no file" to every caller: a file of null is broken
        raise CorruptFileError(f"{path}: holds only null; the file is left as it is")
    return parsed


def write_json_atomic(path: Path, data: Any) -> None:
    """Replace ``path`` with ``data`` so that a crash leaves the old or the new file, whole."""
    write_atomic(path, orjson.dumps(data))


def write_atomic(path: Path, payload: bytes) -> None:
    """Replace ``path`` with ``payload``: a crash leaves the old or the new file, whole."""
    temp = write_temp(path, payload, fsync=True)
    try:
        os.replace(temp, path)
    except OSError as exc:
        discard(temp)
        raise StorageError(f"{path}: not saved: {_reason(exc)}") from exc
    fsync_folder(path.parent)


def write_temp(path: Path, data: Any, fsync: bool) -> Path:
    """Write ``data`` (JSON, or bytes as they are) to a new temp file beside ``path``; on
    failure nothing is left behind."""
    payload = data if isinstance(data, bytes) else orjson.dumps(data)
    return Path(stage(str(path), payload, fsync)[0])


def stage(path: str, payload: bytes, fsync: bool) -> tuple[str, tuple[int, int, int]]:
    """Write ``payload`` to a new temp file beside ``path``: its name, and the
    :func:`signature` it has (and keeps once linked into place). On failure nothing is
    left behind. Paths are plain strings here: a bulk import stages thousands."""
    folder, _, name = path.rpartition("/")
    temp = f"{folder}/.{name}.{os.urandom(4).hex()}{TEMP_SUFFIX}"
    try:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o644)
        try:
            view = memoryview(payload)
            while view:
                view = view[os.write(fd, view):]
            if fsync:
                os.fsync(fd)
            info = os.fstat(fd)
        finally:
            os.close(fd)
    except OSError as exc:
        discard(temp)
        raise StorageError(f"{path}: not saved: {_reason(exc)}") from exc
    return temp, (info.st_ino, info.st_mtime_ns, info.st_size)


def discard(temp: Path | str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(temp)


def _reason(exc: OSError) -> str:
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return "no permission to write"
    return reason(exc)


def signature(path: Path | str) -> tuple[int, int, int]:
    """(inode, mtime, size): changes whenever anyone replaces or rewrites the file."""
    try:
        stat = os.stat(path)
    except OSError:
        return (0, 0, 0)
    return (stat.st_ino, stat.st_mtime_ns, stat.st_size)


def fsync_folder(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class AtomicStorage(Storage):
    """TinyDB storage over :func:`read_json` / :func:`write_json_atomic`; no caching."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    def read(self) -> dict[str, Any] | None:
        data = read_json(self.path)
        if data is not None and not isinstance(data, dict):
            raise CorruptFileError(f"{self.path}: not a Gloss article file (top level is not an"
                                   " object)")
        return data

    def write(self, data: dict[str, Any]) -> None:
        write_json_atomic(self.path, data)

    def close(self) -> None:
        pass


@contextlib.contextmanager
def exclusive_lock(lock_path: Path, timeout: float = LOCK_TIMEOUT_S) -> Iterator[None]:
    """Hold an exclusive ``flock`` on ``lock_path`` for the whole read-modify-write.

    Waits up to ``timeout`` seconds for another process, then gives up with a clear error
    rather than hanging the analyst's key press.
    """
    fd = open_lock(lock_path)
    try:
        deadline = time.monotonic() + timeout
        pause = 0.0005
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise StorageError(
                        f"{lock_path}: locked by another process for over {timeout:g} s"
                    ) from None
                time.sleep(pause)
                pause = min(pause * 2, 0.02)
        yield
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def open_lock(lock_path: Path) -> int:
    """A descriptor on the lock file, making its folder if need be.

    Someone may remove the folder of locks at any moment (by hand, a clean-up script): the
    folder is then made again, a few times, rather than failing half-way through a batch.
    """
    for _attempt in range(1000):
        try:
            lock_path.parent.mkdir(parents=True, exist_ok=True)
            return os.open(lock_path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        except FileNotFoundError:
            continue  # the folder went away between the two calls: make it again
        except FileExistsError as exc:
            raise StorageError(f"{lock_path.parent}: not a folder (Gloss keeps its locks"
                               " there); move it away") from exc
        except OSError as exc:
            raise StorageError(f"{lock_path}: cannot open the lock: {_reason(exc)}"
                               ) from exc
    raise StorageError(f"{lock_path.parent}: removed again and again while Gloss works")


def try_lock(lock_path: Path) -> int | None:
    """A held lock's descriptor, or None when someone else holds it (no waiting)."""
    fd = open_lock(lock_path)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return None
    return fd


def leftover_temps(folder: Path) -> list[Path]:
    return sorted(folder.glob(f".*{TEMP_SUFFIX}"))
