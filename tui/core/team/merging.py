"""Several analysts' datasets brought together: ``gloss merge DIR... --db DIR``.

Each analyst may label in a folder of their own (or all in one shared folder); merging
gives each article (same id: same text) the spans, relations, attributes and statuses of
all of them. It is an import of Gloss's own files, so it is all or nothing like any
import, and merging twice adds nothing: a span is one span by its id (the version updated
last wins) or by its extent, label and analyst; an analyst's status is the one set last.
The folders are only read, without locks (a file is always whole), so analysts may go on
labelling meanwhile; nothing is written unless every folder reads cleanly.

An article new to the dataset is read from every folder, checked, made and written to a
temp file beside its place as soon as its files are read; with many of them, a second
process does every other one. Making a file is work for the kernel, and reading and
checking one for Python: two processes do both at once on two cores (two 5,000-article
datasets: 1.8-2.7 s in one process, 1.0-1.8 s in two, on the benchmark's machine). The
temp files become articles only once everything has read cleanly, all together, as an
import's do (``bulk.py``); otherwise they are removed and nothing is written.
"""

from __future__ import annotations

import contextlib
import os
import signal
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import orjson

from tui.core.disk.article_file import Item, merge, new_tables, read_article
from tui.core.disk.commit import remove_temps
from tui.core.disk.second_process import may_fork
from tui.core.disk.storage import CorruptFileError, StorageError, discard, read_json, stage
from tui.core.document.model import GlossError
from tui.core.store.bulk import Staged, listed_names
from tui.core.store.dataset import Dataset

# Below this many new articles a second process costs more than it saves.
PARALLEL_FROM = 400
PR_SET_PDEATHSIG = 1  # prctl(2)


class Counter(Protocol):
    """Where a merge says how far it is (a progress bar, on a terminal)."""

    def expect(self, total: int) -> None: ...

    def advance(self, steps: int = 1) -> None: ...


@dataclass(slots=True)
class MergeResult:
    articles_added: int = 0
    articles_merged: int = 0
    spans_added: int = 0
    labels_added: list[str] = field(default_factory=list)
    read: int = 0  # article files read, from every folder


# The files of one article in the folders merged, each with its place in reading order
Files = list[tuple[int, Path]]


class _Broken(Exception):
    """The first broken file a reader met: its place in reading order and its line."""

    def __init__(self, place: int, message: str) -> None:
        super().__init__(message)
        self.place = place


def merge_datasets(target: Dataset, folders: Iterable[Path],
                   progress: Counter | None = None) -> MergeResult:
    names: list[str] = []
    paths: list[Path] = []
    for folder in folders:
        source = Dataset.existing(folder, target.annotator)
        if source.folder.resolve() == target.folder.resolve():
            raise GlossError(f"{folder}: is the dataset merged into (--db)")
        names += source.labels.names()
        paths += [source.path(doc_id) for doc_id in source.ids()]
    if progress is not None:
        progress.expect(len(paths))
    by_id: dict[str, Files] = {}
    for place, path in enumerate(paths):
        by_id.setdefault(path.stem, []).append((place, path))
    listed = listed_names(target.folder)
    new = [doc_id for doc_id in by_id if f"{doc_id}.json" not in listed]
    known = [doc_id for doc_id in by_id if f"{doc_id}.json" in listed]
    result = MergeResult(labels_added=[n for n in dict.fromkeys(names)
                                       if target.labels.get(n) is None])
    made_folder = bool(new) and not target.folder.exists()
    temps: dict[str, tuple[str, tuple[int, int, int], int]] = {}
    try:
        token = target.token() if new else ""  # made before the fork: the helper's too
        known, statuses = _stage_all(target.folder, new, known, by_id, temps, token,
                                     progress)
    except BaseException:
        for temp, _, _ in temps.values():
            discard(temp)
        if made_folder:
            target.owner.release()
            with contextlib.suppress(OSError):
                target.folder.rmdir()  # a refused merge makes no dataset
        raise
    result.read = len(paths)

    def items() -> Iterator[Item]:
        """The articles merged into, read again one at a time as the import takes them
        (checked once already: never all held)."""
        for doc_id in known:
            try:
                found = _item(by_id[doc_id])
            except _Broken as exc:  # broken since it was checked
                raise GlossError(f"{exc} (nothing merged)") from exc
            if found is not None:
                yield found[0]

    try:
        outcome = target.add_articles(items(), result.labels_added, statuses=statuses,
                                      keep_tokens=False, staged=Staged(temps))
    except BaseException:
        for temp, _, _ in temps.values():  # those not yet in place (the rest are gone)
            discard(temp)
        raise
    for is_new, added in outcome:
        result.articles_added += is_new
        result.articles_merged += (not is_new) and added > 0
        result.spans_added += added
    return result


def _stage_all(folder: Path, new: list[str], known: list[str], by_id: dict[str, Files],
               temps: dict[str, tuple[str, tuple[int, int, int], int]], token: str,
               progress: Counter | None
               ) -> tuple[list[str], dict[str, list[dict[str, Any]]]]:
    """Stage the new articles (``temps`` filled as they are written, a second process
    taking every other one when there are many) and check the others' files (those still
    there, and their status rows, returned); the first broken file in reading order stops
    it all."""
    helper = _Helper(folder, [(d, by_id[d]) for d in new[1::2]], token) \
        if len(new) >= PARALLEL_FROM and may_fork() else None
    mine = new[0::2] if helper is not None else new
    broken: list[_Broken] = []
    present: list[str] = []
    statuses: dict[str, list[dict[str, Any]]] = {}
    try:
        try:
            _stage_new(folder, [(d, by_id[d]) for d in mine], temps, token, progress)
        except _Broken as exc:
            broken.append(exc)
        try:
            for doc_id in known:
                found = _item(by_id[doc_id], progress)
                if found is not None:
                    present.append(doc_id)
                    statuses[doc_id] = found[1]
        except _Broken as exc:
            broken.append(exc)
    except BaseException:
        if helper is not None:
            helper.abandon()
        raise
    if helper is not None:
        try:
            temps.update(helper.result(progress))
        except _Broken as exc:
            broken.append(exc)
    if broken:
        first = min(broken, key=lambda exc: exc.place)
        raise GlossError(f"{first} (nothing merged)")
    return present, statuses


def _stage_new(folder: Path, jobs: list[tuple[str, Files]],
               temps: dict[str, tuple[str, tuple[int, int, int], int]], token: str,
               progress: Counter | None = None) -> None:
    """Read, check and make each new article, and write it to a temp file beside its
    place; ``temps`` gets each one as it is written."""
    for doc_id, files in jobs:
        found = _item(files, progress)
        if found is None:
            continue
        (document, rows, relations), status_rows = found
        tables = new_tables(document)
        added, _ = merge(tables, rows, relations, status_rows)
        temp, made = stage(f"{folder}/{doc_id}.json", orjson.dumps(tables), fsync=False,
                           token=token)
        temps[doc_id] = (temp, made, added)


def _item(files: Files, progress: Counter | None = None
          ) -> tuple[Item, list[dict[str, Any]]] | None:
    """An article as the folders hold it, checked: its document, every folder's span rows
    and relations, and their status rows (None: removed from every folder meanwhile)."""
    document = None
    rows: list[dict[str, Any]] = []
    relations = []
    status_rows: list[dict[str, Any]] = []
    for place, path in files:
        try:
            tables = read_json(path)
            if tables is None:
                continue  # removed since the folder was listed
            article = read_article(path, tables)
        except CorruptFileError as exc:
            raise _Broken(place, str(exc)) from exc
        document = document or article.document
        rows += article.span_rows
        relations += article.relations
        status_rows += tables.get("status", {}).values()
        if progress is not None:
            progress.advance()
    if document is None:
        return None
    return (document, rows, relations), status_rows


class _Helper:
    """A second process that stages every other new article (see the module's docstring).

    It shares nothing with this one but what it is given at the fork, writes only temp
    files (named with this process's owner token: the owner file's lock is shared with it,
    see commit.py), and answers with one JSON document on a pipe: the temp files it wrote,
    or the first broken file it met. It dies with this process (the kernel kills it); were
    it to die without answering, its temp files are removed at once."""

    def __init__(self, folder: Path, jobs: list[tuple[str, Files]], token: str) -> None:
        self.answered: dict[str, tuple[str, tuple[int, int, int], int]] = {}
        self.folder, self.token = folder, token
        parent = os.getpid()
        read, write = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:  # the helper: never returns, whatever happens
            try:
                os.close(read)
                _die_with(parent)
                _serve(folder, jobs, token, write)
            finally:
                os._exit(70)
        os.close(write)
        self.read = read

    def abandon(self) -> None:
        """Wait for the helper and remove what it wrote (this process is failing)."""
        with contextlib.suppress(Exception):
            self.result(None)
            for temp, _, _ in self.answered.values():
                discard(temp)

    def result(self, progress: Counter | None
               ) -> dict[str, tuple[str, tuple[int, int, int], int]]:
        chunks = []
        try:
            while chunk := os.read(self.read, 1 << 20):
                chunks.append(chunk)
        finally:
            os.close(self.read)
            os.waitpid(self.pid, 0)
        try:
            answer = orjson.loads(b"".join(chunks))
        except orjson.JSONDecodeError:
            remove_temps(self.folder, self.token)  # this merge fails: its files with them
            raise StorageError("gloss merge: its second process ended without an answer"
                               " (nothing merged)") from None
        temps = {doc_id: (temp, (made[0], made[1], made[2]), added)
                 for doc_id, temp, made, added in answer["staged"]}
        self.answered = temps
        if progress is not None:
            progress.advance(answer["read"])
        if answer["broken"] is not None:
            for temp, _, _ in temps.values():
                discard(temp)
            place, message = answer["broken"]
            raise _Broken(place, message)
        if answer["failed"] is not None:
            for temp, _, _ in temps.values():
                discard(temp)
            raise StorageError(answer["failed"])
        return temps


def _die_with(parent: int) -> None:
    """Have the kernel kill this process when ``parent`` dies (Linux), so that a killed
    merge never leaves a helper writing temp files behind it."""
    with contextlib.suppress(Exception):
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # it died before that was set
        os._exit(1)


def _serve(folder: Path, jobs: list[tuple[str, Files]], token: str, out: int) -> None:
    """The helper's whole life: stage its articles, answer, exit (never to run the
    parent's clean-up or flush its buffers)."""
    temps: dict[str, tuple[str, tuple[int, int, int], int]] = {}
    answer: dict[str, Any] = {"broken": None, "failed": None}
    counted = _Count()
    try:
        _stage_new(folder, jobs, temps, token, counted)
    except _Broken as exc:
        answer["broken"] = [exc.place, str(exc)]
    except BaseException as exc:  # a full disk, a folder gone: said by the parent
        answer["failed"] = str(exc) if isinstance(exc, GlossError) else \
            f"{folder}: not merged: {type(exc).__name__}: {exc}"
    answer["staged"] = [[doc_id, temp, list(made), added]
                        for doc_id, (temp, made, added) in temps.items()]
    answer["read"] = counted.count
    try:
        payload = memoryview(orjson.dumps(answer))
        while payload:
            payload = payload[os.write(out, payload):]
    finally:
        os._exit(0)


class _Count:
    def __init__(self) -> None:
        self.count = 0

    def expect(self, total: int) -> None:
        pass

    def advance(self, steps: int = 1) -> None:
        self.count += steps
