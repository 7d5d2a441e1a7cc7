"""Crash-safe files: atomic orjson writes, and the locks that keep writers apart.

Measured when Gloss was designed: TinyDB's default JSONStorage left invalid JSON after 15
of 60 kills and cut files short on a full disk; two writers lost updates without a lock
around the whole read-modify-write. Here a file is always the whole old or the whole new
one: the new content goes to a temp file in the same folder, is fsynced, replaces the old
with ``os.replace``, and the folder is fsynced so the rename itself survives a power cut.

Two locks, both ``flock``, both on files that a writer must have anyway, so that nobody
can defeat them by removing a folder of lock files:

- *the article's*: the article file itself, opened without following a link. A writer
  replaces the file only while it holds the lock of the file it replaces, so after the
  lock is taken the path must still name the very file locked (else someone replaced it
  meanwhile: lock the new one);
- *the dataset's*: the dataset folder. A save holds it shared; a commit of several files
  (``commit.py``) holds it alone, so no save runs while it puts its files in place.

Every file and folder is made with mode 0o666 / 0o777 and the user's umask: in a team's
shared folder (setgid, umask 002) everyone of the group can write what anyone made.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import stat
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import orjson
from tinydb import Storage

from tui.core.disk.files import Missing, NotReadable, read_bytes, reason
from tui.core.document.model import GlossError

TEMP_SUFFIX = ".tmp"
LOCK_TIMEOUT_S = 10.0
FILE_MODE = 0o666  # the umask takes away what the user does not give (see the docstring)


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
    return parse_json(path, data)


def parse_json(path: Path, data: bytes) -> Any:
    """The JSON of the file at ``path`` that held ``data``, or why it is broken."""
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


def write_json_atomic(path: Path, data: Any, token: str | None = None) -> None:
    """Replace ``path`` with ``data`` so that a crash leaves the old or the new file, whole."""
    write_atomic(path, orjson.dumps(data), token)


def write_atomic(path: Path, payload: bytes, token: str | None = None) -> None:
    """Replace ``path`` with ``payload``: a crash leaves the old or the new file, whole."""
    temp = write_temp(path, payload, fsync=True, token=token)
    try:
        os.replace(temp, path)
    except OSError as exc:
        discard(temp)
        raise StorageError(f"{path}: not saved: {write_reason(exc)}") from exc
    fsync_folder(path.parent)


def write_temp(path: Path, data: Any, fsync: bool, token: str | None = None) -> Path:
    """Write ``data`` (JSON, or bytes as they are) to a new temp file beside ``path``; on
    failure nothing is left behind."""
    payload = data if isinstance(data, bytes) else orjson.dumps(data)
    return Path(stage(str(path), payload, fsync, token)[0])


def temp_name(name: str, token: str) -> str:
    """A temp file's name for ``name``: hidden, with its owner's token (see commit.py)."""
    return f".{name}.{token}.{os.urandom(4).hex()}{TEMP_SUFFIX}"


def stage(path: str, payload: bytes | Sequence[bytes | memoryview], fsync: bool,
          token: str | None = None) -> tuple[str, tuple[int, int, int]]:
    """Write ``payload`` (or its pieces, one after another: a save writes the unchanged
    text of a long article from the bytes it made before, never joined into a copy) to a
    new temp file beside ``path``, named with ``token`` (its
    owner's: see commit.py; None, a token nobody holds, for a file no dataset opening
    needs to tell whose it is): its name, and the :func:`signature` it has (and keeps
    once renamed into place). On failure nothing is left behind. Paths are plain strings
    here: a bulk import stages thousands."""
    folder, _, name = path.rpartition("/")
    temp = f"{folder}/{temp_name(name, token or os.urandom(8).hex())}"
    try:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC,
                     FILE_MODE)
        try:
            _write(fd, [payload] if isinstance(payload, bytes) else payload, fsync)
            if fsync:
                os.fsync(fd)
            info = os.fstat(fd)
        finally:
            os.close(fd)
    except OSError as exc:
        discard(temp)
        raise StorageError(f"{path}: not saved: {write_reason(exc)}") from exc
    return temp, (info.st_ino, info.st_mtime_ns, info.st_size)


# A file fsynced after it is written is handed to the disk this much at a time as it is
# written, so that the disk writes one piece while the next is copied (20 MB on this
# machine, medians: written then fsynced 12 + 13 ms; handed over as written 15 + 3 ms)
WRITEBACK_PIECE = 4 << 20


def _write(fd: int, pieces: Sequence[bytes | memoryview], durable: bool) -> None:
    """Write ``pieces`` one after another; a ``durable`` file (fsynced next) of more than
    two ``WRITEBACK_PIECE`` is handed to the disk as it goes (``_start_writeback``). The
    fsync that follows is still what makes it durable: this only starts it early."""
    early = _start_writeback() if durable and sum(map(len, pieces)) > 2 * WRITEBACK_PIECE \
        else None
    step = WRITEBACK_PIECE if early is not None else None
    written = handed = 0
    for piece in pieces:
        view = memoryview(piece)
        while view:
            count = os.write(fd, view[:step])
            view = view[count:]
            written += count
            if early is not None and written - handed >= WRITEBACK_PIECE:
                early(fd, handed, written - handed, _SYNC_FILE_RANGE_WRITE)
                handed = written


_SYNC_FILE_RANGE_WRITE = 2  # linux/fs.h: start writing the dirty pages, do not wait
_sync_file_range: Any = None  # the C function once looked up; False where there is none


def _start_writeback() -> Any:
    """Linux's ``sync_file_range`` (Python's ``os`` has no binding for it), or None on a
    system without it. Its errors are not looked at: the fsync after it reports any."""
    global _sync_file_range
    if _sync_file_range is None:
        _sync_file_range = False
        if sys.platform.startswith("linux"):
            import ctypes  # only for a large article's save (4 ms to import)

            with contextlib.suppress(OSError, AttributeError):
                function = ctypes.CDLL(None).sync_file_range
                function.argtypes = [ctypes.c_int, ctypes.c_int64, ctypes.c_int64,
                                     ctypes.c_uint]
                function.restype = ctypes.c_int
                _sync_file_range = function
    return _sync_file_range or None


def discard(temp: Path | str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(temp)


def write_reason(exc: OSError) -> str:
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return "no permission to write"
    return reason(exc)


def signature(path: Path | str) -> tuple[int, int, int]:
    """(inode, mtime, size): changes whenever anyone replaces or rewrites the file."""
    try:
        info = os.stat(path)
    except OSError:
        return (0, 0, 0)
    return (info.st_ino, info.st_mtime_ns, info.st_size)


def fsync_folder(folder: Path | str) -> None:
    fd = os.open(folder, os.O_RDONLY | os.O_CLOEXEC)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class AtomicStorage(Storage):
    """TinyDB storage over :func:`read_json` / :func:`write_json_atomic`; no caching (for
    a script that opens an article file with TinyDB itself; Gloss reads its tables
    directly)."""

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


# -- locks ---------------------------------------------------------------------------

Waiting = Callable[[str], None]


def take(fd: int, operation: int, deadline: float, what: str, *,
         waiting: Waiting | None = None, after: float = 1.0) -> None:
    """``flock(fd, operation)``, polling until ``deadline`` (then a clear error rather than
    a hung key press); ``waiting`` is told once, when the wait has lasted ``after`` s."""
    pause = 0.0005
    started = time.monotonic()
    told = waiting is None
    while True:
        try:
            fcntl.flock(fd, operation | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            now = time.monotonic()
            if now >= deadline:
                raise StorageError(f"{what}: locked by another process for over "
                                   f"{now - started:.0f} s") from None
            if not told and now - started >= after:
                told = True
                assert waiting is not None
                waiting(f"{what}: waiting for another process writing it…")
            time.sleep(pause)
            pause = min(pause * 2, 0.02)


@contextlib.contextmanager
def article_lock(path: Path, timeout: float = LOCK_TIMEOUT_S
                 ) -> Iterator[tuple[int, os.stat_result]]:
    """Hold the lock of the article file at ``path`` for a whole read-modify-write; yields
    a descriptor open on the very file locked (read it through that) and its status.

    The lock is the file itself, opened without following a link: a writer replaces the
    file only while holding its lock, so once the lock is taken the path must still name
    the file locked, else another writer replaced it meanwhile and its new file is locked
    instead. No lock file is made, so none can be removed, replaced or pointed elsewhere.
    Raises :class:`Missing` when there is no file; :class:`CorruptFileError` when the
    path is a link, a folder, a FIFO or unreadable (a broken file, left as it is).
    """
    deadline = time.monotonic() + timeout
    while True:
        if time.monotonic() > deadline:
            raise StorageError(f"{path}: replaced again and again by another process for"
                               f" over {timeout:g} s")
        fd, info = _open_article(path)
        try:
            take(fd, fcntl.LOCK_EX, deadline, str(path))
            try:
                now = os.stat(path, follow_symlinks=False)
            except FileNotFoundError:
                now = None  # removed meanwhile: locked afresh, the missing file said then
            if now is not None and (now.st_ino, now.st_dev) == (info.st_ino, info.st_dev):
                yield fd, info
                return
        finally:
            os.close(fd)  # closing the descriptor releases the lock


def _open_article(path: Path) -> tuple[int, os.stat_result]:
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except FileNotFoundError:
        raise Missing(f"{path}: no such file") from None
    except OSError as exc:
        why = "a symbolic link (Gloss never writes through one)" \
            if exc.errno == errno.ELOOP else reason(exc)
        raise CorruptFileError(f"{path}: cannot read: {why}; the file is left as it is"
                               ) from exc
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        kind = "a folder" if stat.S_ISDIR(info.st_mode) else "a special file"
        raise CorruptFileError(f"{path}: cannot read: not a regular file but {kind}; the"
                               " file is left as it is")
    return fd, info


def read_locked(fd: int) -> bytes:
    """The whole of the file ``fd`` is open on (from its start)."""
    chunks = []
    offset = 0
    while chunk := os.pread(fd, 1 << 20, offset):
        chunks.append(chunk)
        offset += len(chunk)
    return b"".join(chunks)


@contextlib.contextmanager
def folder_lock(folder: Path, exclusive: bool, timeout: float = LOCK_TIMEOUT_S,
                waiting: Waiting | None = None) -> Iterator[int]:
    """Hold the dataset's lock: shared (a save) or exclusive (a commit of several files,
    the recovery of one cut short). Yields the folder's descriptor."""
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError as exc:
        raise StorageError(f"{folder}: cannot open the dataset folder: {reason(exc)}"
                           ) from exc
    try:
        take(fd, fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH,
             time.monotonic() + timeout, str(folder), waiting=waiting)
        yield fd
    finally:
        os.close(fd)
