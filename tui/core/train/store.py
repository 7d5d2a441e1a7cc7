"""Where models live: ``<dataset>/models/NAME/``, one folder a training and a ``latest``
file naming the newest.

A training works in a hidden folder beside the others and is renamed into place whole,
card and all, so a reader never sees half a model; a folder is never written again once
named, so an app that loaded yesterday's model keeps reading it while today's is trained.
``latest`` is replaced atomically (temp file, rename): a reader resolves it once and then
holds a folder that never changes.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path
from typing import Any

import orjson

from tui.core.disk.storage import fsync_folder, write_atomic
from tui.core.document.model import GlossError

MODELS = "models"
CARD = "card.json"
LATEST = "latest"
DEFAULT_NAME = "default"
CARD_VERSION = 1


class ModelError(GlossError):
    """A model folder that cannot be used: one line, naming the folder."""


def check_name(name: str) -> str:
    if not name or name.startswith(".") or not name.isprintable() or "/" in name \
            or "\\" in name or len(name) > 64:
        raise GlossError(f"--name: a model's name is one short folder name, not {name!r}")
    return name


def home(root: Path, name: str) -> Path:
    """The folder of the model ``name``: ``root`` is ``<dataset>/models`` unless given."""
    return root / check_name(name)


def workspace(folder: Path) -> Path:
    """A new hidden folder to train in, beside the model's other trainings."""
    folder.mkdir(parents=True, exist_ok=True)
    work = folder / f".training-{os.getpid()}-{os.urandom(3).hex()}"
    work.mkdir()
    return work


def publish(model: Path, folder: Path, card: dict[str, Any]) -> Path:
    """Write the card into ``model``, rename it into ``folder`` under a new name and point
    ``latest`` at it. Returns the model's final folder."""
    (model / CARD).write_bytes(orjson.dumps(card, option=orjson.OPT_INDENT_2))
    stamp = time.strftime("%Y%m%d-%H%M%S", time.gmtime())
    for attempt in range(100):
        target = folder / (stamp if attempt == 0 else f"{stamp}-{attempt}")
        try:
            os.rename(model, target)  # refuses (ENOTEMPTY/EEXIST) a folder already there
            break
        except OSError as exc:
            if not target.exists():
                raise GlossError(f"{target}: the model cannot be put in place: "
                                 f"{exc.strerror or exc}") from exc
    else:
        raise GlossError(f"{folder}: no free name for the new model")
    fsync_folder(folder)
    write_atomic(folder / LATEST, (target.name + "\n").encode())
    return target


def discard(work: Path) -> None:
    shutil.rmtree(work, ignore_errors=True)


def resolve(path: Path) -> Path:
    """The model folder that ``path`` means: a model folder (it has a card), a model's
    name folder (its ``latest``), or a dataset (its only model's ``latest``)."""
    if (path / CARD).is_file():
        return path
    if (path / LATEST).is_file():
        return _latest(path)
    models = path / MODELS
    if models.is_dir():
        names = sorted(p for p in models.iterdir() if (p / LATEST).is_file())
        if len(names) == 1:
            return _latest(names[0])
        if names:
            raise ModelError(f"{path}: several models ({', '.join(p.name for p in names)});"
                             " give one: --model " + str(models / names[0].name))
    if not path.exists():
        raise ModelError(f"{path}: no such folder")
    raise ModelError(f"{path}: not a Gloss model (no {CARD}); train one with gloss train")


def _latest(folder: Path) -> Path:
    try:
        name = (folder / LATEST).read_text(encoding="utf-8").strip()
    except (OSError, UnicodeDecodeError) as exc:
        raise ModelError(f"{folder / LATEST}: cannot be read") from exc
    target = folder / name
    if not name or "/" in name or name.startswith(".") or not (target / CARD).is_file():
        raise ModelError(f"{folder / LATEST}: names no model of {folder}")
    return target


def read_card(model: Path) -> dict[str, Any]:
    try:
        card = orjson.loads((model / CARD).read_bytes())
    except FileNotFoundError as exc:
        raise ModelError(f"{model}: not a Gloss model (no {CARD})") from exc
    except (OSError, orjson.JSONDecodeError) as exc:
        raise ModelError(f"{model / CARD}: not a model card (not valid JSON)") from exc
    if not isinstance(card, dict) or card.get("format") != "gloss-model" or \
            not isinstance(card.get("labels"), dict):
        raise ModelError(f"{model / CARD}: not a Gloss model card")
    return card
