"""Tokens kept beside the dataset, so that an export need not tokenize every article.

An import that keeps tokens writes one file, ``<dataset>/.tokens/<time>-<random>.tokens``,
for all the articles it keeps them for (one file, not one an article: making a file costs
more than writing 25 KB into one). Each article's entry says where each token starts and
ends (whole numbers in binary: read without making a number each), then holds the tokens
exactly as the JSONL export writes them, which the export copies as they are. After the
entries comes the index, a line of JSON: the tokenizer and its version, and for each
article id a checksum of its text, where its entry starts and ends and a checksum of the
entry. The last 8 bytes say where the index starts (so entries
are written as they are made, never all held in memory).

Why it stays right:

- an article's text never changes under its id (the id is a hash of the text), and an
  entry is checked against a checksum of the text: a save by another process or analyst
  changes spans and status only, so it leaves the tokens valid;
- a file names the version it was made for, and only files of this Gloss's version are
  used: the tokenizer (spaCy's version, or ``gloss-rules-2``: what spaCy's rules and
  Gloss's port of them give), and ``export_tokens.format_version()``: ``TOKENS_FORMAT``, a
  number bumped by hand whenever the bytes made for a text change, and the Unicode data
  the rules read (Python's, ``regex``'s release). Not a hash of Gloss's source: a refactor
  or a comment would make every user's kept tokens useless at their next upgrade, and
  the export silently twice as slow. What keeps the number honest is
  ``tests/core/test_token_golden.py``: the tokens of a fixed, varied corpus, digested,
  must be those recorded for the current number (for the rules, wherever it runs; for
  spaCy's path, under the spaCy recorded, and as spaCy's own tokens under any other);
  a change to them fails the suite until the number is bumped;
- an entry that does not check out (a file cut short by a crash, edited by hand, not a file
  at all) is a miss, never an error: the export then tokenizes the article, as it would
  without the cache, and writes the very same line. Tokens are the same whoever made them,
  so an article kept in two files may be read from either.

Two commands write these files (reading never writes: export and stats only read them):
an import, once its articles are in place, within a time budget, so that a bulk import
stays fast (tokenizing costs 0.3 to 1.5 ms a KB of text); and ``gloss tokens``
(:func:`keep`), for every article that has no entry that checks out, however long it
takes: articles that came another way (the reader, merge, git), those an import's budget
left, those whose tokens another version made. Each removes the files of other versions,
and when more than :data:`MOST_FILES` are left merges them into one (:func:`compact`):
150 imports leave at most that many files, not 150. An export that tokenized many
articles itself says so on stderr, naming ``gloss tokens``.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
import time
import zlib
from array import array
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import orjson

from tui.core.disk import failpoints
from tui.core.disk.files import NotReadable, open_regular, write_all
from tui.core.disk.storage import FILE_MODE
from tui.core.document.model import GlossError
from tui.core.language.export_tokens import (
    PIECE,
    expected_name,
    format_version,
    token_json,
    tokenizer,
)

FOLDER = ".tokens"
SUFFIX = ".tokens"
TEMP_SUFFIX = ".tmp"
# An import tokenizes for the cache for this long at most; the articles it leaves are
# tokenized by the export instead (2,000 news articles take about 1 s on a small machine).
IMPORT_BUDGET_S = 2.0
# Loading spaCy takes about a second: an import loads it for the cache only when its new
# text is long enough that tokenizing it at every export would cost more than that.
SPACY_WORTH_LOADING = 1_000_000
# The slowest tokenizing measured (spaCy on text with many line breaks), a character: an
# article that would not fit in what is left of the budget at this rate is left to the
# export, so that one huge article (a 5.9 MB record) never holds an import for seconds.
SLOWEST_S_PER_CHAR = 1.5e-6
# The note an export counts its articles without kept tokens under (said apart from the
# others: a hint, not a warning about the data)
TOKENIZED = "articles tokenized: no tokens kept for them"
_OPEN_FILES = 32  # an export keeps this many cache files open at most
MOST_FILES = 8  # an import that leaves more merges them into one (fewer than _OPEN_FILES)
_INDEX_MAX = 64 << 20
_C0 = bytes(range(32))  # never raw in what orjson writes (an ESC would reach a terminal)
EDGES = b"\x01"  # the first byte of an entry of make's layout (the older one begins "[")
# 4-byte whole numbers (an article kept is never 2 GB long)
_INT = "i" if array("i").itemsize == 4 else "l"


@dataclass(frozen=True, slots=True)
class Cached:
    """An article's tokens as the export writes them, and where each starts and ends."""

    name: str  # the tokenizer's name, as the export's meta gives it
    starts: array[int]  # where each token starts, in order
    ends: array[int]  # where each ends
    tokens: bytes  # the JSON list of token records


@cache
def version() -> str:
    """What a cache file must name to be used: the export's tokenizer (spaCy's version, or
    Gloss's rules) and the tokens' format (``export_tokens.format_version``)."""
    return f"{expected_name()}+{format_version()}"


def make(text: str) -> bytes:
    """The entry of an article whose (stored) text is ``text``: :data:`EDGES`, how many
    tokens, where each starts and where each ends (whole numbers of 4 bytes, little-endian),
    then the JSON list of their records."""
    made = token_json(text)
    starts, ends = array(_INT, made.starts), array(_INT, made.ends)
    if sys.byteorder == "big":
        starts.byteswap()
        ends.byteswap()
    return b"".join((EDGES, len(starts).to_bytes(4, "little"), starts.tobytes(),
                     ends.tobytes(), made.json))


def unpack(entry: bytes) -> tuple[array[int], array[int], bytes] | None:
    """Where each token of an entry starts and ends, and the JSON of its records; None when
    it is no entry Gloss writes. Two layouts: :func:`make`'s, and the one before it (a line
    of JSON, ``[starts, ends]``, then the records), still read: the tokens kept before an
    upgrade stay of use (the new one reads in a thirtieth of the time: no number made)."""
    if entry[:1] == EDGES:
        count = int.from_bytes(entry[1:5], "little")
        at = 5 + 8 * count
        starts, ends = array(_INT), array(_INT)
        try:
            starts.frombytes(memoryview(entry)[5:5 + 4 * count])
            ends.frombytes(memoryview(entry)[5 + 4 * count:at])
        except ValueError:  # not whole numbers
            return None
        if len(ends) != count:  # cut short
            return None
        if sys.byteorder == "big":
            starts.byteswap()
            ends.byteswap()
        tokens = entry[at:]
    else:
        edges, _, tokens = entry.partition(b"\n")
        try:
            listed = orjson.loads(edges)
            starts, ends = array(_INT, listed[0]), array(_INT, listed[1])
        except (orjson.JSONDecodeError, ValueError, TypeError, OverflowError, IndexError,
                KeyError):
            return None
    # the tokens are copied into the export as they are: no control byte (an ESC would
    # reach a terminal), a list
    if (len(starts) != len(ends) or not tokens.startswith(b"[") or not tokens.endswith(b"]")
            or len(tokens.translate(None, _C0)) != len(tokens)):
        return None
    return starts, ends, tokens


class Index:
    """The cache files of a dataset, read as an export goes: their first lines when made,
    an article's entry when asked for."""

    def __init__(self, folder: Path | None) -> None:
        """The cache files of the dataset ``folder`` (None: none yet, for add_file)."""
        # id -> (file, where its index starts, [text sum, start, end, entry sum])
        self.where: dict[str, tuple[str, int, list[int]]] = {}
        self.files: dict[str, int] = {}  # open descriptors, the oldest first
        if folder is None:
            return
        with contextlib.suppress(OSError):
            for entry in sorted(os.scandir(folder / FOLDER), key=lambda e: e.name):
                if entry.name.endswith(SUFFIX) and not entry.name.startswith("."):
                    self._add(entry.path)  # oldest first: a newer file's entry wins

    def _add(self, path: str, replace: bool = True) -> bool:
        """Take the entries of one file (over those taken before, with ``replace``);
        False when it is no cache file of this version that reads."""
        fd = self._open(path)
        found = None if fd is None else _index(fd)
        if found is None or found[0].get("tokenizer") != version():
            return False
        index, entries_end = found
        with contextlib.suppress(AttributeError, TypeError):
            for doc_id, place in index.get("articles", {}).items():
                if replace or doc_id not in self.where:
                    self.where[doc_id] = (path, entries_end, place)
        return True

    def add_file(self, path: str) -> bool:
        """Take the entries of ``path`` that no file added before holds (compact adds the
        newest first); False when it is no cache file of this version that reads."""
        return self._add(path, replace=False)

    def entries(self) -> Iterator[tuple[str, bytes, int]]:
        """(article id, its entry, the checksum of its text) of every entry that checks
        out, each read as it is in its file."""
        for doc_id, (path, entries_end, place) in self.where.items():
            try:
                text_sum, start, end, entry_sum = place
                if type(text_sum) is not int or not 0 <= start <= end <= entries_end:
                    continue
                fd = self._open(path)
                entry = None if fd is None else os.pread(fd, end - start, start)
            except (ValueError, TypeError, OSError):
                continue
            if entry is not None and len(entry) == end - start \
                    and zlib.crc32(entry) == entry_sum:
                yield doc_id, entry, text_sum

    def holds(self, doc_id: str, text: str) -> bool:
        """Is there an entry of this article an export would use? What ``gloss tokens``
        need not make again."""
        return self.get(doc_id, text) is not None

    def _entry(self, doc_id: str, text: str) -> bytes | None:
        """The entry of an article as it is in its file, if its text's checksum and its
        own check out."""
        found = self.where.get(doc_id)
        if found is None:
            return None
        path, entries_end, place = found
        try:
            text_sum, start, end, entry_sum = place
            if text_sum != _text_sum(text) or not 0 <= start <= end <= entries_end:
                return None
            fd = self._open(path)
            entry = None if fd is None else os.pread(fd, end - start, start)
        except (ValueError, TypeError, OSError):
            return None
        if entry is None or len(entry) != end - start or zlib.crc32(entry) != entry_sum:
            return None
        return entry

    def get(self, doc_id: str, text: str) -> Cached | None:
        """The kept tokens of an article, or None when there are none that check out."""
        entry = self._entry(doc_id, text)
        unpacked = None if entry is None else unpack(entry)
        if unpacked is None:
            return None  # checked out yet not made by Gloss: a miss all the same
        starts, ends, tokens = unpacked
        return Cached(version().rpartition("+")[0], starts, ends, tokens)

    def _open(self, path: str) -> int | None:
        """A descriptor on a cache file (kept open for the next entries); None if it is not
        a regular file that can be read."""
        fd = self.files.pop(path, None)
        if fd is None:
            try:
                fd = open_regular(path)
            except (NotReadable, OSError):
                return None
        self.files[path] = fd
        while len(self.files) > _OPEN_FILES:
            os.close(self.files.pop(next(iter(self.files))))
        return fd

    def close(self) -> None:
        for fd in self.files.values():
            os.close(fd)
        self.files.clear()


def _index(fd: int) -> tuple[dict[str, Any], int] | None:
    """The index of a cache file and where it starts (where the entries end); None when
    there is none that reads (no import writes one over _INDEX_MAX: its budget bounds how
    many articles it keeps)."""
    try:
        size = os.fstat(fd).st_size
        start = int.from_bytes(os.pread(fd, 8, size - 8), "big") if size >= 8 else -1
        if not 0 <= start <= size - 8 or size - 8 - start > _INDEX_MAX:
            return None
        index = orjson.loads(os.pread(fd, size - 8 - start, start))
    except (OSError, orjson.JSONDecodeError):
        return None
    return (index, start) if type(index) is dict else None


def read(folder: Path, doc_id: str, text: str) -> Cached | None:
    """The kept tokens of one article (an export reads many through one :class:`Index`)."""
    index = Index(folder)
    try:
        return index.get(doc_id, text)
    finally:
        index.close()


def fill(folder: Path, texts: Iterable[tuple[str, str]], budget: float | None = None) -> int:
    """Keep the tokens of ``texts`` (article id, text), in order, for at most ``budget``
    seconds, in one new cache file; return for how many. Best effort: what cannot be
    written is left to the export, and nothing here fails an import already in place."""
    budget = IMPORT_BUDGET_S if budget is None else budget
    texts = [(doc_id, text) for doc_id, text in texts
             if len(text) * SLOWEST_S_PER_CHAR <= budget]
    expected = expected_name()
    if not texts or (expected.startswith("spacy-") and "spacy" not in sys.modules
                     and sum(len(text) for _, text in texts) < SPACY_WORTH_LOADING):
        return 0
    if tokenizer()[0] != expected:
        return 0  # spaCy is there but does not load: nothing made now would be used
    cache = folder / FOLDER
    if not _folder(cache, make=True):
        return 0
    deadline = time.monotonic() + budget

    def made() -> Iterator[tuple[str, bytes, int]]:
        for doc_id, text in texts:
            left = deadline - time.monotonic()
            if left <= 0:
                break
            if len(text) * SLOWEST_S_PER_CHAR <= left:
                yield doc_id, make(text), _text_sum(text)

    try:
        kept = _write_file(cache, made())
    except OSError:
        return 0
    _remove_other_versions(cache)
    compact(folder)
    return kept


def keep(folder: Path, texts: Iterable[tuple[str, str]],
         made: Callable[[int], None] | None = None) -> Kept:
    """Keep the tokens of every article of ``texts`` (article id, text) that has no entry
    that checks out, however long it takes (``gloss tokens``): one new cache file, written
    as the tokens are made, renamed into place only when ``texts`` has ended (an exception
    from it, or a kill, leaves no cache file: at worst a hidden temp file that
    :func:`remove_leftovers` removes later), then the files of other versions removed and
    the rest merged as after an import. ``made(n)``: n more articles looked at (progress).

    An article longer than :data:`~tui.core.language.export_tokens.PIECE` is left to the
    export, which tokenizes such a text a piece at a time: its kept tokens would be read
    whole (230 MB of JSON for a 20 MB article). Safe beside any other writer: its file is
    its own, and an article another process keeps meanwhile is merely kept twice."""
    cache = folder / FOLDER
    existed = os.path.lexists(cache)
    if tokenizer()[0] != expected_name():
        raise GlossError(f"{expected_name()} is installed but does not load: no tokens"
                         " made that an export would use")
    if not _folder(cache, make=True):
        raise GlossError(f"{cache}: not a folder of the dataset's own (a link, a file):"
                         " no tokens kept")
    result = Kept()
    kept = Index(folder)

    def missing() -> Iterator[tuple[str, bytes, int]]:
        for doc_id, text in texts:
            if len(text) > PIECE:
                result.too_long += 1
            elif kept.holds(doc_id, text):
                result.already += 1
            else:
                yield doc_id, make(text), _text_sum(text)
                result.made += 1
                if result.made == 1:
                    failpoints.point("tokens")  # a test kills the process here
            if made is not None:
                made(1)

    try:
        _write_file(cache, missing())
    except BaseException as exc:
        if not existed:  # a refused run leaves the dataset as it was
            with contextlib.suppress(OSError):
                cache.rmdir()
        if isinstance(exc, OSError):  # a read-only dataset, a full disk
            raise GlossError(f"{cache}: {exc.strerror or exc}; no tokens kept") from exc
        raise
    finally:
        kept.close()
    _remove_other_versions(cache)
    compact(folder)
    remove_leftovers(folder)  # what a killed run left
    return result


@dataclass(slots=True)
class Kept:
    """What :func:`keep` did: articles tokenized and kept, already kept, left as too long."""

    made: int = 0
    already: int = 0
    too_long: int = 0


def _write_file(cache: Path, entries: Iterable[tuple[str, bytes, int]],
                empty: bool = False) -> int:
    """Write ``entries`` (article id, entry, its text's checksum), as they come, into a new
    cache file, renamed into place whole (with ``empty``, even one of no entries); return
    how many it holds. No fsync: a file a power cut leaves torn fails its checksums."""
    name = f"{time.time_ns():020d}-{os.urandom(4).hex()}"
    temp = f"{cache}/.{name}{SUFFIX}{TEMP_SUFFIX}"
    articles: dict[str, list[int]] = {}
    try:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, FILE_MODE)
        try:
            at = 0
            for doc_id, entry, text_sum in entries:
                write_all(fd, entry)
                articles[doc_id] = [text_sum, at, at + len(entry), zlib.crc32(entry)]
                at += len(entry)
            write_all(fd, orjson.dumps({"tokenizer": version(), "articles": articles})
                       + at.to_bytes(8, "big"))
        finally:
            os.close(fd)
        if articles or empty:
            os.rename(temp, f"{cache}/{name}{SUFFIX}")
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temp)
    return len(articles)


def compact(folder: Path, most: int | None = None) -> int:
    """Merge the cache files into one when there are more than ``most`` (default
    :data:`MOST_FILES`); return how many were merged (0: none).

    Every entry that checks out (the newest file's, where several hold an article) is
    copied as it is into a new file, written whole and renamed into place like an
    import's; only then are the files it was copied from removed, and only those: a file
    made meanwhile (another import, another compaction) is kept, and one removed meanwhile
    by another compaction is that one's to merge. So no valid entry is ever lost, a crash
    leaves at worst the same entries twice (merged next time), and an export reading
    meanwhile finds each entry in one file or the other, or tokenizes (a miss)."""
    cache = folder / FOLDER
    try:
        names = sorted(e.name for e in os.scandir(cache) if e.name.endswith(SUFFIX)
                       and not e.name.startswith(".") and e.is_file(follow_symlinks=False))
    except OSError:
        return 0
    if len(names) <= (MOST_FILES if most is None else most):
        return 0
    merged = Index(None)
    try:
        read = [name for name in reversed(names)  # the newest first: its entries win
                if merged.add_file(f"{cache}/{name}")]
        if len(read) < 2 or not _write_merged(cache, merged):
            return 0  # a file that cannot be read is left as it is
    finally:
        merged.close()
    for name in read:
        with contextlib.suppress(OSError):
            os.unlink(f"{cache}/{name}")
    return len(read)


def _write_merged(cache: Path, merged: Index) -> bool:
    """Write the entries ``merged`` found into one new cache file; False if it failed."""
    try:
        _write_file(cache, merged.entries(), empty=True)
    except OSError:
        return False
    return True


def remove_leftovers(folder: Path, older_than: float = 60.0) -> None:
    """Temp files a killed import left in the cache (a live writer's are young)."""
    now = time.time()
    if not _folder(folder / FOLDER, make=False):
        return
    with contextlib.suppress(OSError):
        for entry in os.scandir(folder / FOLDER):
            if entry.name.startswith(".") and entry.name.endswith(TEMP_SUFFIX):
                with contextlib.suppress(OSError):
                    if now - entry.stat(follow_symlinks=False).st_mtime > older_than:
                        os.unlink(entry.path)


def _remove_other_versions(cache: Path) -> None:
    """Cache files of another tokenizer or version are of no more use to this Gloss."""
    with contextlib.suppress(OSError):
        for entry in os.scandir(cache):
            if not entry.name.endswith(SUFFIX) or entry.name.startswith("."):
                continue
            try:
                fd = open_regular(entry.path)
            except (NotReadable, OSError):
                continue
            try:
                found = _index(fd)
            finally:
                os.close(fd)
            if found is not None and found[0].get("tokenizer") != version():
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)


def _folder(cache: Path, make: bool) -> bool:
    """Is ``cache`` a folder of the dataset's own (made if need be, never the dataset's
    folder itself)? A symbolic link is not followed: nothing is written or removed
    outside the dataset."""
    try:
        if make:
            with contextlib.suppress(FileExistsError):
                cache.mkdir()
        return stat.S_ISDIR(os.lstat(cache).st_mode)
    except OSError:
        return False


def _text_sum(text: str) -> int:
    return zlib.crc32(text.encode("utf-8", "surrogatepass"))
