"""Tokens kept beside the dataset, so that an export need not tokenize every article.

``<dataset>/.tokens/<article id>.tokens`` holds what the JSONL export writes as an
article's ``tokens``. Line one is JSON: the tokenizer and its version, a checksum of the
article's text and one of the rest of the file. Line two is where each token starts and
ends. The rest is the tokens exactly as the export writes them, copied by the export as
they are.

Why it stays right:

- an article's text never changes under its id (the id is a hash of the text), and the
  file is checked against a checksum of the text: a save by another process or analyst
  changes spans and status only, so it leaves the tokens valid;
- the version carries spaCy's version, or a hash of Gloss's token rules, and a hash of the
  code that makes the records: a file made under any other version is not used;
- a file that does not check out (cut short by a crash, edited by hand, not a file at all)
  is a miss, never an error: the export then tokenizes the article, as it would without
  the cache, and writes the very same line.

Only an import writes these files, once its articles are in place (reading never writes:
export and stats only read them), within a time budget, so that a bulk import stays fast
(tokenizing costs 0.3 to 1.5 ms a KB of text).
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
import time
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import orjson

from tui.core.export_tokens import code_version, expected_name, token_records, tokenizer
from tui.core.files import NotReadable, read_bytes

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


@dataclass(frozen=True, slots=True)
class Cached:
    """An article's tokens as the export writes them, and the token each offset starts or
    ends."""

    name: str  # the tokenizer's name, as the export's meta gives it
    first: dict[int, int]  # offset -> the token starting there
    last: dict[int, int]  # offset -> the token ending there
    tokens: bytes  # the JSON list of token records


def path_of(folder: Path, doc_id: str) -> Path:
    return folder / FOLDER / f"{doc_id}{SUFFIX}"


@cache
def version() -> str:
    """What a cache file must name to be used: the export's tokenizer and code version."""
    return f"{expected_name()}+{code_version()}"


def make(text: str) -> bytes:
    """The cache file of an article whose (stored) text is ``text``."""
    records = token_records(text)
    rest = (orjson.dumps([[t["start"] for t in records], [t["end"] for t in records]])
            + b"\n" + orjson.dumps(records))
    head = orjson.dumps({"tokenizer": f"{tokenizer()[0]}+{code_version()}",
                         "text": _text_sum(text), "sum": zlib.crc32(rest)})
    return head + b"\n" + rest


_C0 = bytes(range(32))  # never raw in what orjson writes (an ESC would reach a terminal)


def read(folder: Path, doc_id: str, text: str) -> Cached | None:
    """The cached tokens of an article, or None when there are none that check out."""
    try:
        data = read_bytes(path_of(folder, doc_id))
    except (NotReadable, OSError):
        return None
    head, _, rest = data.partition(b"\n")
    edges, _, tokens = rest.partition(b"\n")
    try:
        fields = orjson.loads(head)
        if (type(fields) is not dict or fields.get("tokenizer") != version()
                or fields.get("sum") != zlib.crc32(rest)
                or fields.get("text") != _text_sum(text)
                or not tokens.startswith(b"[") or not tokens.endswith(b"]")
                or len(tokens.translate(None, _C0)) != len(tokens)):
            return None
        starts, ends = orjson.loads(edges)
        first = dict(zip(starts, range(len(starts)), strict=True))
        last = dict(zip(ends, range(len(ends)), strict=True))
    except (orjson.JSONDecodeError, ValueError, TypeError):
        return None  # checked out yet not made by Gloss: a miss all the same
    return Cached(fields["tokenizer"].rpartition("+")[0], first, last, tokens)


def fill(folder: Path, texts: Iterable[tuple[str, str]], budget: float | None = None) -> int:
    """Cache the tokens of ``texts`` (article id, text), in order, for at most ``budget``
    seconds; return how many were cached. Best effort: a file that cannot be written is
    left to the export, and nothing here fails an import that is already in place."""
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
    deadline = time.monotonic() + budget
    done = 0
    for doc_id, text in texts:
        left = deadline - time.monotonic()
        if left <= 0:
            break
        if len(text) * SLOWEST_S_PER_CHAR > left:
            continue
        if not done and not _folder(cache, make=True):
            return 0
        if _write(cache, doc_id, make(text)):
            done += 1
    return done


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


def _write(cache: Path, doc_id: str, data: bytes) -> bool:
    """Replace the cache file whole (a reader sees the old one or the new one). No fsync:
    a file a power cut leaves torn fails its checksum, and is a miss."""
    temp = f"{cache}/.{doc_id}{SUFFIX}.{os.urandom(4).hex()}{TEMP_SUFFIX}"
    try:
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o644)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
        finally:
            os.close(fd)
        os.replace(temp, f"{cache}/{doc_id}{SUFFIX}")
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        return False
    return True


def _text_sum(text: str) -> int:
    return zlib.crc32(text.encode("utf-8", "surrogatepass"))
