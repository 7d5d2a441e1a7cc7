"""A cache file of the dataset (``<dataset>/.cache/NAME``): JSON entries kept between
sessions under a key that says what made them. A cache is never data: one that is
missing, unreadable, not a regular file, behind a symbolic link or of another key reads as
empty, and writing one never fails anything (it is written whole, without fsync: losing
it costs a read of the files it stands for)."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Any

import orjson

from tui.core.document.model import GlossError
from tui.core.store.files import read_bytes
from tui.core.store.storage import write_temp

FOLDER = ".cache"


def load(path: Path, key: list[Any]) -> dict[str, list[Any]]:
    """The entries of the cache at ``path`` made under ``key``; empty on any doubt."""
    if path.parent.is_symlink():
        return {}
    try:
        data = orjson.loads(read_bytes(path))  # a regular file only: a FIFO never hangs
    except (OSError, orjson.JSONDecodeError):
        return {}
    if not isinstance(data, dict) or data.get("key") != key:
        return {}
    entries = data.get("articles")
    return entries if isinstance(entries, dict) else {}


def save(path: Path, key: list[Any], entries: dict[str, list[Any]]) -> None:
    """Replace the cache at ``path`` with ``entries``; a failure leaves the old one."""
    with contextlib.suppress(OSError, GlossError):
        path.parent.mkdir(exist_ok=True)
        if path.parent.is_symlink() or not path.parent.is_dir():
            return  # never written through a link
        temp = write_temp(path, orjson.dumps({"key": key, "articles": entries}), fsync=False)
        try:
            os.replace(temp, path)
        except OSError:
            temp.unlink(missing_ok=True)
