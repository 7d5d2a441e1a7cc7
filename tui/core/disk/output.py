"""Writing a file the user named (``gloss export -o PATH``): into what is there, never over it.

A shell's ``>`` writes *into* what a path names: a named pipe, a device such as
``/dev/null`` or a terminal, and through a symbolic link into its target. A temp file
renamed over such a path would replace the node instead: run as root, ``-o /dev/null``
once left the system's ``/dev/null`` a regular file. So:

- a new path or a regular file is written to a temp file beside it and renamed over it
  once whole (a file there keeps its permissions); a link to a regular file the same way at
  the link's target, so the link stays. On Linux the temp file has no name while it is
  written (``O_TMPFILE``): a process killed mid-way (``kill -9``, the machine's end) leaves
  nothing beside the target, where a named temp file stayed. Where no temp file can be
  made beside it (a folder the user may not write to) the file is written in place, as
  ``>`` would;
- a named pipe, a character device (``/dev/null``, a terminal) and what ``/dev/stdout`` or
  ``/dev/fd/N`` lead to are opened and written into, as ``>`` would;
- a folder and a block device are refused (an export is never written over a disk);
- so is any path inside the dataset folder, or a file that is one of the dataset's files
  under another name: an export never replaces the data it is made from.

A format that writes a folder (brat) writes it beside the path and puts it in place once
whole (:class:`FolderOutput`). The folder it replaces must be new, empty, or a former
export of that format: one holding a ``.gloss-export`` file (written last, naming every
file the export wrote) and no file it does not name. Only those files are ever removed;
a folder holding anything else (``keep.txt``) is refused.

Every refusal is a :class:`OutputError`, one line naming the path.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import IO

import orjson

from tui.core.disk import failpoints
from tui.core.disk.files import NotReadable, read_bytes, reason
from tui.core.document.model import GlossError

MANIFEST = ".gloss-export"


class OutputError(GlossError):
    """A path that is not written to: ``PATH: reason``."""

    def __init__(self, path: Path | str, why: str) -> None:
        super().__init__(f"{path}: {why}")


def refuse_inside(path: Path, dataset: Path) -> None:
    """Refuse ``path`` when it is, or is under, the dataset folder (links followed)."""
    target, home = Path(os.path.realpath(path)), Path(os.path.realpath(dataset))
    if target == home or home in target.parents:
        raise OutputError(path, f"inside the dataset folder {dataset}: an export never"
                                " replaces the dataset's files; write it elsewhere")


@contextlib.contextmanager
def open_output(path: Path, dataset: Path | None = None, *, wait: bool = True,
                binary: bool = False) -> Iterator[IO[bytes]]:
    """A binary file to write the output into; what it names gets it whole or not at all
    where it can (see the module's docstring).

    ``wait``: a named pipe with nothing reading it is waited on, as a shell does (the
    app, which must not hang, passes False: then it is refused). ``binary``: refuse a
    terminal.
    """
    if dataset is not None:
        refuse_inside(path, dataset)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise OutputError(path, f"cannot write: {reason(exc)}") from exc
    if info is not None and not stat.S_ISREG(info.st_mode):
        with _into(path, info, wait, binary) as handle:
            yield handle
        return
    target = path
    if path.is_symlink() and not _through_proc(path):
        target = Path(os.path.realpath(path))  # replaced there, so the link stays
    elif info is not None and _through_proc(path):
        with _in_place(path, dataset) as handle:  # /dev/stdout: what the shell opened
            yield handle
        return
    mode = stat.S_IMODE(info.st_mode) if info is not None else 0o666 & ~_umask()
    try:
        nameless = _nameless(target.parent, mode)
        fd, temp = nameless if nameless is not None else _temp_beside(target)
    except OSError as exc:
        if info is None or exc.errno not in (errno.EACCES, errno.EPERM, errno.EROFS):
            raise OutputError(path, f"cannot write: {reason(exc)}") from exc
        with _in_place(path, dataset) as handle:  # the folder is closed to us, the file not
            yield handle
        return
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb", closefd=False) as handle:
            yield handle
        failpoints.point("output")
        if temp is None:
            _named(fd, target)
        else:
            os.replace(temp, target)
    except OSError as exc:
        raise OutputError(path, f"not written: {reason(exc)}") from exc
    finally:
        os.close(fd)
        if temp is not None:
            with contextlib.suppress(OSError):
                os.unlink(temp)


def _nameless(folder: Path, mode: int) -> tuple[int, None] | None:
    """A file with no name yet in ``folder`` (Linux's ``O_TMPFILE``): the process killed
    before it is whole, the kernel frees it and nothing is left beside the target; None
    where the system or the file system has none (a named temp file then)."""
    flag = getattr(os, "O_TMPFILE", None)
    if flag is None or not os.path.isdir("/proc/self/fd"):
        return None
    try:
        # read too: where no link can be made, its bytes are copied (``_copied``)
        return os.open(folder, flag | os.O_RDWR | getattr(os, "O_CLOEXEC", 0), mode), None
    except OSError as exc:
        if exc.errno in (errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL, errno.ENOENT):
            return None  # this file system has none: a named temp file
        raise


def _named(fd: int, target: Path) -> None:
    """The whole nameless file given ``target``'s name at once: linked there when nothing
    is, else linked beside it under a temp name and renamed over it (the only moment a
    kill leaves a temp file). A link refused (/proc's link not followed, a file system
    that links no such file) copies it to a temp file."""
    source = f"/proc/self/fd/{fd}"
    # linkat(2) through the folder's descriptor: os.link without one calls link(2), which
    # links /proc's symbolic link itself (EXDEV), where AT_SYMLINK_FOLLOW links the file
    # O_PATH: a folder the user may write to but not read (a drop box) is linked into
    folder = os.open(target.parent, getattr(os, "O_PATH", os.O_RDONLY) | os.O_DIRECTORY)
    try:
        try:
            os.link(source, target.name, dst_dir_fd=folder, follow_symlinks=True)
            return
        except FileExistsError:
            linked = True
        except OSError:  # no link to be made here: the bytes copied
            linked = False
        for _ in range(100):
            if linked:
                temp = target.with_name(f".{target.name}.{os.urandom(6).hex()}.tmp")
                try:
                    os.link(source, temp.name, dst_dir_fd=folder, follow_symlinks=True)
                except FileExistsError:
                    continue
            else:
                temp = _copied(fd, target)
            try:
                os.replace(temp, target)
            finally:
                with contextlib.suppress(OSError):
                    os.unlink(temp)
            return
        raise FileExistsError(errno.EEXIST, "no free temp name", str(target.parent))
    finally:
        os.close(folder)


def _temp_beside(target: Path) -> tuple[int, str]:
    """A named temp file in ``target``'s folder, ``.NAME.XXXX.tmp``."""
    return tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")


def _copied(fd: int, target: Path) -> Path:
    """The nameless file's bytes in a named temp file beside ``target``."""
    copy, temp = _temp_beside(target)
    try:
        os.fchmod(copy, stat.S_IMODE(os.fstat(fd).st_mode))
        size, done = os.fstat(fd).st_size, 0
        while done < size:
            sent = os.sendfile(copy, fd, done, size - done)
            if not sent:
                break
            done += sent
    except BaseException:  # Ctrl-C too: no temp file left
        os.close(copy)
        os.unlink(temp)
        raise
    os.close(copy)
    return Path(temp)


@contextlib.contextmanager
def _into(path: Path, info: os.stat_result, wait: bool, binary: bool) -> Iterator[IO[bytes]]:
    """Write into a node that is not a regular file, as ``>`` would."""
    kind = stat.S_IFMT(info.st_mode)
    if kind == stat.S_IFDIR:
        raise OutputError(path, "a folder: give a file name (only brat writes a folder)")
    if kind == stat.S_IFBLK:
        raise OutputError(path, "a block device: an export is never written over a disk")
    flags = os.O_WRONLY | os.O_CLOEXEC | os.O_NOCTTY | (0 if wait else os.O_NONBLOCK)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        if exc.errno == errno.ENXIO and kind == stat.S_IFIFO:
            raise OutputError(path, "a named pipe with nothing reading it") from exc
        raise OutputError(path, f"cannot write: {reason(exc)}") from exc
    if not wait:
        os.set_blocking(fd, True)
    if binary and os.isatty(fd):
        os.close(fd)
        raise OutputError(path, "a terminal: this format is binary; give a file")
    try:
        with os.fdopen(fd, "wb") as handle:
            yield handle
    except BrokenPipeError as exc:
        raise OutputError(path, "its reader closed it before the end") from exc
    except OSError as exc:
        raise OutputError(path, f"not written: {reason(exc)}") from exc


@contextlib.contextmanager
def _in_place(path: Path, dataset: Path | None) -> Iterator[IO[bytes]]:
    """Write a regular file where it is, truncated first, as ``>`` would: never one of
    the dataset's files reached under another name (a hard link, ``/proc``)."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CLOEXEC | os.O_NOCTTY)
    except OSError as exc:
        raise OutputError(path, f"cannot write: {reason(exc)}") from exc
    try:
        if dataset is not None and _one_of(os.fstat(fd), dataset):
            raise OutputError(path, f"one of the files of the dataset {dataset}: an export"
                                    " never replaces them; write it elsewhere")
        if stat.S_ISREG(os.fstat(fd).st_mode):
            os.ftruncate(fd, 0)
        with os.fdopen(fd, "wb", closefd=False) as handle:
            yield handle
    except OSError as exc:
        raise OutputError(path, f"not written: {reason(exc)}") from exc
    finally:
        os.close(fd)


def _one_of(info: os.stat_result, dataset: Path) -> bool:
    """Is the file ``info`` describes one of the dataset's (any name, any depth)?"""
    for parent, _, names in os.walk(dataset):
        for name in names:
            with contextlib.suppress(OSError):
                there = os.lstat(os.path.join(parent, name))
                if (there.st_dev, there.st_ino) == (info.st_dev, info.st_ino):
                    return True
    return False


def _through_proc(path: Path) -> bool:
    """Does ``path`` lead through ``/proc`` (``/dev/stdout``, ``/dev/fd/1``): a descriptor
    of this process, to be written into, not a file to replace?"""
    current = Path(os.path.abspath(path))
    for _ in range(40):  # the kernel's own limit on links followed
        folder = Path(os.path.realpath(current.parent))
        if folder.parts[:2] == ("/", "proc"):
            return True
        if not current.is_symlink():
            return False
        current = Path(os.path.abspath(folder / os.readlink(current)))
    return False


class FolderOutput:
    """A folder to write an export into (``with FolderOutput(...) as temp``): made beside
    ``path``, put in place of it once whole, and the former export's files removed, only
    they. ``kept`` names the former folder when something appeared in it meanwhile."""

    def __init__(self, path: Path, dataset: Path | None, kind: str) -> None:
        if dataset is not None:
            refuse_inside(path, dataset)
        self.path = path
        self.kind = kind
        self.previous = former_export(path, kind)
        self.temp: Path | None = None
        self.kept: Path | None = None

    def __enter__(self) -> Path:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.temp = Path(tempfile.mkdtemp(dir=self.path.parent,
                                              prefix=f".{self.path.name}.", suffix=".tmp"))
        except OSError as exc:
            raise OutputError(self.path, f"cannot write: {reason(exc)}") from exc
        return self.temp

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 trace: TracebackType | None) -> None:
        temp = self.temp
        assert temp is not None
        try:
            if kind is None:
                self._put_in_place(temp)
        except OSError as error:
            raise OutputError(self.path, f"not written: {reason(error)}") from error
        finally:
            shutil.rmtree(temp, ignore_errors=True)

    def _put_in_place(self, temp: Path) -> None:
        names = sorted(os.listdir(temp))
        mask = _umask()
        for name in names:
            os.chmod(temp / name, 0o666 & ~mask)
        manifest = temp / MANIFEST
        manifest.write_bytes(orjson.dumps({"gloss": self.kind, "files": names}))
        os.chmod(manifest, 0o666 & ~mask)
        os.chmod(temp, 0o777 & ~mask)
        aside = None
        if self.previous is not None:
            aside = self.path.with_name(f"{temp.name}.old")
            os.rename(self.path, aside)  # the last export, set aside until the new one is in
        os.rename(temp, self.path)
        if aside is not None:
            self._remove_former(aside)

    def _remove_former(self, aside: Path) -> None:
        ours = set(self.previous or ())
        for name in os.listdir(aside):
            if name in ours and stat.S_ISREG(os.lstat(aside / name).st_mode):
                os.unlink(aside / name)
        try:
            os.rmdir(aside)
        except OSError:
            self.kept = aside  # someone put a file there since it was checked: left


def former_export(path: Path, kind: str) -> list[str] | None:
    """The names in the folder ``path`` that an export may remove, [] when it is empty,
    None when there is no folder; a folder holding anything else is refused."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise OutputError(path, f"cannot write: {reason(exc)}") from exc
    if stat.S_ISLNK(info.st_mode):
        raise OutputError(path, "a symbolic link: give a new or empty folder")
    if not stat.S_ISDIR(info.st_mode):
        raise OutputError(path, f"already there and not a folder; give a new or empty"
                                f" folder ({kind} writes a folder)")
    try:
        names = sorted(os.listdir(path))
    except OSError as exc:
        raise OutputError(path, f"cannot read the folder: {reason(exc)}") from exc
    if not names:
        return []
    if MANIFEST not in names:
        raise OutputError(path, f"holds {names[0]} and is not a {kind} export of Gloss (no"
                                f" {MANIFEST} in it); give a new or empty folder")
    listed = _listed(path / MANIFEST, kind)
    if listed is None:
        raise OutputError(path, f"its {MANIFEST} is not one Gloss wrote; give a new or"
                                " empty folder")
    for name in names:
        if name != MANIFEST and (name not in listed or not stat.S_ISREG(
                os.lstat(path / name).st_mode)):
            raise OutputError(path, f"holds {name}, which Gloss did not write; give a new"
                                    " or empty folder")
    return names


def _listed(manifest: Path, kind: str) -> set[str] | None:
    """The file names a former export's manifest gives, or None when it is not one."""
    try:
        found = orjson.loads(read_bytes(manifest))
    except (NotReadable, orjson.JSONDecodeError):
        return None
    files = found.get("files") if type(found) is dict and found.get("gloss") == kind else None
    if type(files) is not list or not all(type(name) is str for name in files):
        return None
    return set(files)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
