"""Reading a file that someone else gave us: a regular file, or a clear refusal.

``open()`` on a named pipe waits for a writer that may never come, and ``/dev/zero`` or
``/dev/urandom`` never end: an import or ``gloss stats`` over such a path would hang. So
every file Gloss reads, input or dataset, is opened without blocking, checked to be a
regular file, and only then read.
"""

from __future__ import annotations

import errno
import fcntl
import os
import stat
from pathlib import Path
from typing import IO


class NotReadable(OSError):
    """The path cannot be read as a file; ``str()`` says why in a few words."""


class Missing(NotReadable):
    """Nothing at all is at the path (a dangling symbolic link is :class:`NotReadable`)."""


_KINDS = {stat.S_IFDIR: "a folder", stat.S_IFIFO: "a named pipe (FIFO)",
          stat.S_IFCHR: "a character device", stat.S_IFBLK: "a block device",
          stat.S_IFSOCK: "a socket"}


def reason(exc: OSError) -> str:
    """A few words on why a file could not be read or written."""
    if isinstance(exc, NotReadable):
        return str(exc)
    if exc.errno in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT):
        return "the disk is full"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    if exc.errno == errno.EROFS:
        return "the file system is read-only"
    if exc.errno == errno.ENOENT:
        return "no such file or folder"
    if exc.errno == errno.ELOOP:
        return "a symbolic link loop"
    return exc.strerror or str(exc)


def open_regular(path: Path | str) -> int:
    """A descriptor open for reading on a regular file; :class:`NotReadable` otherwise."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as exc:
        if exc.errno == errno.ENOENT:
            if os.path.islink(path):
                raise NotReadable("a broken symbolic link") from exc
            raise Missing(reason(exc)) from exc
        raise NotReadable(reason(exc)) from exc
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            kind = _KINDS.get(stat.S_IFMT(mode), "a special file")
            raise NotReadable(f"not a regular file but {kind}")
        flags = fcntl.fcntl(fd, fcntl.F_GETFL)
        fcntl.fcntl(fd, fcntl.F_SETFL, flags & ~os.O_NONBLOCK)
    except BaseException:
        os.close(fd)
        raise
    return fd


def read_bytes(path: Path | str) -> bytes:
    """The whole of a regular file; :class:`NotReadable` with the reason otherwise."""
    return read_signed(path)[0]


def write_all(fd: int, data: bytes) -> None:
    """Every byte of ``data`` into ``fd`` (a pipe or a file may take fewer at a time)."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def read_signed(path: Path | str) -> tuple[bytes, tuple[int, int, int]]:
    """The whole of a regular file, with the signature (inode, mtime, size) of the very
    file read; :class:`NotReadable` with the reason otherwise."""
    fd = open_regular(path)
    try:
        info = os.fstat(fd)
        # plain reads, no file object: half the time for the small files of a dataset;
        # one read of the file's size (a read of 1 MB, its buffer made and shrunk, cost
        # more than reading a 12 KB article), more only if it grew or shrank meanwhile or
        # is past what one read gives (2 GB on Linux)
        stamp = (info.st_ino, info.st_mtime_ns, info.st_size)
        data = os.read(fd, info.st_size + 1)
        if len(data) == info.st_size:
            return data, stamp
        chunks = [data]
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
        return b"".join(chunks), stamp
    except OSError as exc:
        raise NotReadable(reason(exc)) from exc
    finally:
        os.close(fd)


def open_binary(path: Path | str) -> IO[bytes]:
    """A binary file object over a regular file (closing it closes the descriptor)."""
    return os.fdopen(open_regular(path), "rb")
