"""Changing several files of a dataset at once: all of them or none, across any crash.

An import, a merge and a change of the label set with the articles it goes with write many
files; a save writes one (one rename is atomic by itself). A commit of several files:

1. *stage*: every new file is written to a temp file beside its place, named with its
   owner's token (below); nothing in the dataset has changed;
2. under the dataset's exclusive lock (``storage.folder_lock``: no save and no other
   commit runs meanwhile), the staged files are made durable (one ``os.sync()``, or an
   fsync each when there are few), then the *journal* (``.journal``: which temp file goes
   to which name) is written to a temp file, fsynced and renamed into place, and the
   folder fsynced: that rename is the commit point;
3. each temp file is renamed over its name, the folder fsynced, and the journal removed.

Whoever next takes the dataset's lock (any writer opening the dataset, any save) and finds
a journal knows its writer is dead (a live one holds the lock alone as long as its journal
exists) and finishes it: every temp file the journal names that is still there is renamed
into place. A rename already done left no temp file, so finishing twice changes nothing.
Killed before the commit point, a commit leaves only temp files, removed as a dead
owner's (below): the dataset is exactly as before; killed after it, the next opening puts
everything in place: exactly as after. A reader that only reads (export, stats) never
writes: it reads each file the journal names from its temp file (:func:`pending`).

Temp files belong to the process that made them: each writer makes (at its first write)
an owner file ``.<token>.owner`` and holds an ``flock`` on it for as long as it lives, and
names every temp file ``.<name>.<token>.<random>.tmp``. A temp file is removed by another
process only once it can lock the owner file, that is once its owner is gone (a merge's
second process shares its parent's owner file, and dies with it). A temp file whose owner
file is missing (taken away by hand, or made by an older Gloss) is left for ten minutes.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import itertools
import os
import re
import stat
import threading
import time
import weakref
from collections.abc import Iterator
from pathlib import Path

import orjson

from tui.core.disk import failpoints
from tui.core.disk.files import Missing, NotReadable, read_bytes
from tui.core.disk.storage import (
    FILE_MODE,
    LOCK_TIMEOUT_S,
    TEMP_SUFFIX,
    StorageError,
    discard,
    folder_lock,
    fsync_folder,
    stage,
    take,
)

JOURNAL = ".journal"
OWNER_SUFFIX = ".owner"
STRAY_AGE_S = 600.0  # a temp file with no owner file (see the docstring)
CACHE_TEMP_AGE_S = 60.0  # a cache's temp file: written whole in well under a second
FEW = 16  # up to this many staged files are fsynced one by one, more by one os.sync()

_TEMP = re.compile(r"^\.(?P<target>.+)\.(?P<token>[0-9a-f]{16})\.[0-9a-f]{8}\.tmp$")
_OWNER = re.compile(r"^\.(?P<token>[0-9a-f]{16})\.owner$")
_TARGET = re.compile(r"^(?:[0-9a-f]{16}\.json|labels\.json)$")
_TEMP_OF = re.compile(r"^\.(?P<target>[0-9a-f]{16}\.json|labels\.json)\.[0-9a-f]{16}"
                      r"\.[0-9a-f]{8}\.tmp$")
_OPEN_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC


_OWNERS: weakref.WeakSet[Owner] = weakref.WeakSet()
_SERIAL = itertools.count()


class Owner:
    """This process's claim on the temp files it makes in one dataset folder (see the
    module's docstring). Thread-safe: the reader saves from two threads."""

    def __init__(self, folder: Path) -> None:
        self.serial = next(_SERIAL)
        _OWNERS.add(self)
        self.folder = folder
        self.token = os.urandom(8).hex()
        self.unsure = False  # set when a temp file may be left (a failure half-way)
        self._fd: int | None = None
        self._guard = threading.Lock()

    @property
    def path(self) -> Path:
        return self.folder / f".{self.token}{OWNER_SUFFIX}"

    def claim(self) -> str:
        """The token, once the owner file is made and locked (the first time)."""
        if self._fd is None:
            with self._guard:
                if self._fd is None:
                    self._fd = self._make()
        return self.token

    def _make(self) -> int:
        """The owner file, made and locked. Between the two, another process tidying the
        dataset may lock it a moment, find nobody holds it and remove it: then the file
        locked is no longer the one at the path, and it is made again."""
        deadline = time.monotonic() + LOCK_TIMEOUT_S
        while True:
            try:
                fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC,
                             FILE_MODE)
            except OSError as exc:
                raise StorageError(f"{self.folder}: cannot write in the dataset folder: "
                                   f"{exc.strerror or exc}") from exc
            try:
                take(fd, fcntl.LOCK_EX, deadline, str(self.path))
                if os.stat(self.path, follow_symlinks=False).st_ino == os.fstat(fd).st_ino:
                    return fd
            except FileNotFoundError:
                pass
            except BaseException:
                os.close(fd)
                raise
            os.close(fd)

    def release(self) -> None:
        """Remove this owner's temp files that may be left, then its owner file (at exit,
        or when its dataset is no longer used)."""
        with self._guard:
            fd, self._fd = self._fd, None
        if fd is None:
            return
        try:
            if self.unsure:
                remove_temps(self.folder, self.token)
            with contextlib.suppress(OSError):
                if os.stat(self.path, follow_symlinks=False).st_ino == os.fstat(fd).st_ino:
                    os.unlink(self.path)
        finally:
            os.close(fd)


def release_owners() -> None:
    """Release every owner of this process (it is ending at once: ``os._exit``)."""
    for owner in list(_OWNERS):
        owner.release()


@contextlib.contextmanager
def owners_released() -> Iterator[None]:
    """Release every owner made within, however it ends (the ``gloss`` command: a refused
    run leaves no owner file behind, even while its datasets are still referenced)."""
    first = next(_SERIAL)
    try:
        yield
    finally:
        for owner in list(_OWNERS):
            if owner.serial > first:
                owner.release()


# -- after a crash ---------------------------------------------------------------------


def tidy(folder: Path, timeout: float = LOCK_TIMEOUT_S) -> None:
    """Clear what dead writers left: finish a commit cut short, remove the temp files of
    owners that are gone and their owner files. Under the dataset's exclusive lock, waited
    for only when there is a journal to finish (otherwise taken if free at once: a commit
    under way is alive and leaves nothing of anyone's to remove)."""
    try:
        names = os.listdir(folder)
    except OSError:
        return
    _tidy_caches(folder, names)
    journal = JOURNAL in names
    if not journal and not any(n.endswith((TEMP_SUFFIX, OWNER_SUFFIX)) for n in names):
        return
    with contextlib.ExitStack() as held:
        try:
            held.enter_context(folder_lock(folder, exclusive=True,
                                           timeout=timeout if journal else 0.0))
        except StorageError:
            if journal:
                raise
            return  # busy: next time
        if journal:
            recover(folder)
        _remove_dead(folder, names)


def recover(folder: Path) -> None:
    """Finish the commit whose journal is in ``folder`` (the caller holds the dataset's
    exclusive lock, so its writer is dead): every temp file named that is still there is
    renamed into place, then the journal removed."""
    path = folder / JOURNAL
    moves = _read_journal(path)
    if moves is None:
        return
    _apply(folder, moves)
    fsync_folder(folder)
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)


def pending(folder: Path, timeout: float = LOCK_TIMEOUT_S) -> dict[str, str]:
    """For a reader that never writes: what a commit cut short has still to put in place,
    each name with the temp file to read instead ({} with no journal). A commit under way
    holds the dataset alone: this waits for it (then there is nothing pending)."""
    if not os.path.lexists(folder / JOURNAL):
        return {}
    with folder_lock(folder, exclusive=False, timeout=timeout):
        moves = _read_journal(folder / JOURNAL) or []
        return {target: temp for temp, target in moves
                if os.path.lexists(folder / temp)}


def _read_journal(path: Path) -> list[tuple[str, str]] | None:
    """The moves of the journal at ``path`` (None: there is none), each checked: a temp
    file of this dataset's names to one of its article files or its label set."""
    try:
        if stat.S_ISLNK(os.lstat(path).st_mode):
            raise NotReadable("a symbolic link")
        data = read_bytes(path)
    except (FileNotFoundError, Missing):
        return None
    except OSError as exc:
        raise StorageError(f"{path}: a commit cut short cannot be read ({exc}); move the"
                           " file away to go on without it") from exc
    try:
        moves = orjson.loads(data)["moves"]
        checked = [(temp, target) for temp, target in moves]
        ok = all(isinstance(t, str) and isinstance(n, str) and _TARGET.match(n)
                 and (m := _TEMP_OF.match(t)) and m["target"] == n for t, n in checked)
    except (orjson.JSONDecodeError, KeyError, TypeError, ValueError):
        ok = False
    if not ok:
        raise StorageError(f"{path}: not a journal Gloss wrote; nothing is written until it"
                           " is moved away")
    return checked


def _apply(folder: Path, moves: list[tuple[str, str]]) -> None:
    prefix = f"{folder}/"
    half = len(moves) // 2
    for done, (temp, target) in enumerate(moves):
        if done == half:
            failpoints.point("applying")
        try:
            os.rename(prefix + temp, prefix + target)
        except FileNotFoundError:
            if os.path.lexists(prefix + temp):
                raise StorageError(f"{prefix}{target}: not saved: its folder is gone"
                                   ) from None
            # already in place: the rename was done before the crash
        except OSError as exc:
            raise StorageError(f"{prefix}{target}: a commit cannot be finished: "
                               f"{exc.strerror or exc}; it is finished when the dataset"
                               " is next opened") from exc


def _remove_dead(folder: Path, names: list[str]) -> None:
    tokens: dict[str, list[str]] = {}
    owners: set[str] = set()
    strays: list[str] = []
    for name in names:
        if name.endswith(TEMP_SUFFIX) and name.startswith("."):
            match = _TEMP.match(name)
            if match is None:
                strays.append(name)  # not named by this Gloss
            else:
                tokens.setdefault(match["token"], []).append(name)
        elif (match := _OWNER.match(name)) is not None:
            owners.add(match["token"])
    for token in owners | tokens.keys():
        if token not in owners:
            strays += tokens[token]
            continue
        fd = _lock_if_dead(folder / f".{token}{OWNER_SUFFIX}")
        if fd is None:
            continue  # alive: its files are its own
        try:
            for name in tokens.get(token, ()):
                discard(folder / name)
            with contextlib.suppress(OSError):
                os.unlink(folder / f".{token}{OWNER_SUFFIX}")
        finally:
            os.close(fd)
    _remove_old(folder, strays, STRAY_AGE_S)


def _lock_if_dead(path: Path) -> int | None:
    """A descriptor holding the lock of an owner file whose owner is gone, or None."""
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        return None
    return fd


def remove_temps(folder: Path, token: str) -> None:
    """Remove every temp file of ``folder`` named with ``token``."""
    with contextlib.suppress(OSError):
        for name in os.listdir(folder):
            match = _TEMP.match(name)
            if match is not None and match["token"] == token:
                discard(folder / name)


def _remove_old(folder: Path, names: list[str], age: float) -> None:
    now = time.time()
    for name in names:
        with contextlib.suppress(OSError):
            if now - os.stat(folder / name, follow_symlinks=False).st_mtime > age:
                os.unlink(folder / name)


def _tidy_caches(folder: Path, names: list[str]) -> None:
    """A cache's temp files (written whole, no owner; the index is SQLite's own)."""
    if ".cache" not in names:
        return
    cache = folder / ".cache"
    with contextlib.suppress(OSError):
        if stat.S_ISDIR(os.lstat(cache).st_mode):
            _remove_old(cache, [n for n in os.listdir(cache) if n.endswith(TEMP_SUFFIX)],
                        CACHE_TEMP_AGE_S)


# -- committing ------------------------------------------------------------------------


class Commit:
    """Staged files put in place together (see the module's docstring). The caller
    stages them (``add``), takes the dataset's exclusive lock, checks what it must and
    calls :meth:`run`; on any failure it discards the temp files unless :meth:`decided`."""

    def __init__(self, folder: Path, token: str) -> None:
        self.folder = folder
        self.token = token
        self.moves: dict[str, str] = {}  # name -> its temp file's name
        self._journal: int | None = None  # the inode of this commit's journal, once made
        self._done = False

    def add(self, target: str, temp: str) -> None:
        """``temp`` (a path or a name, in the folder) goes to ``target`` (a name)."""
        self.moves[target] = temp.rpartition("/")[2]

    def temps(self) -> list[str]:
        return [f"{self.folder}/{temp}" for temp in self.moves.values()]

    def decided(self) -> bool:
        """Is the commit past its commit point (its files go in place, if not by this
        process then by the next opening)? Read from the disk: an interruption may come
        between a rename and the line after it."""
        if self._done:
            return True
        if self._journal is None:
            return False
        try:
            return os.stat(self.folder / JOURNAL, follow_symlinks=False).st_ino == \
                self._journal
        except OSError:
            return False

    def run(self, durable: bool = False) -> None:
        """Put every staged file in place (``durable``: the temp files are fsynced
        already). The caller holds the dataset's exclusive lock."""
        if not self.moves:
            return
        prefix = f"{self.folder}/"
        moves = [(temp, target) for target, temp in self.moves.items()]
        if len(moves) == 1:  # one rename is atomic: no journal needed
            temp = moves[0][0]
            if not durable:
                _fsync(prefix + temp)
            _apply(self.folder, moves)
            self._done = True
            fsync_folder(self.folder)
            return
        payload = orjson.dumps({"gloss": "journal", "moves": moves})
        journal, made = stage(prefix + JOURNAL, payload, fsync=False, token=self.token)
        interrupted: BaseException | None = None
        try:
            if durable:
                _fsync(journal)
            elif len(moves) <= FEW:
                for path in [journal, *(prefix + temp for temp, _ in moves)]:
                    _fsync(path)
            else:
                os.sync()  # thousands of files: one sync, not thousands of fsyncs
            failpoints.point("locked")
            self._journal = made[0]
            os.rename(journal, prefix + JOURNAL)
        except BaseException as exc:
            if not self.decided():
                discard(journal)
                raise
            interrupted = exc  # past the commit point all the same: finished first
        try:
            fsync_folder(self.folder)  # the commit point is durable
            failpoints.point("journal")
            _apply(self.folder, moves)
            fsync_folder(self.folder)
            failpoints.point("applied")
            os.unlink(prefix + JOURNAL)
            self._done = True
        except BaseException:
            with contextlib.suppress(Exception):
                recover(self.folder)  # interrupted: finish now if it can be
            raise
        if interrupted is not None:
            raise interrupted


def _fsync(path: str) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def check_staged(path: str, made: tuple[int, int, int]) -> None:
    """The temp file at ``path`` is still the one staged (nobody removed it)."""
    try:
        info = os.stat(path, follow_symlinks=False)
    except OSError as exc:
        if exc.errno != errno.ENOENT:
            raise StorageError(f"{path}: {exc.strerror or exc}") from exc
        info = None
    if info is None or info.st_ino != made[0]:
        raise StorageError(f"{path}: a file staged by this process was removed by another;"
                           " nothing written")
