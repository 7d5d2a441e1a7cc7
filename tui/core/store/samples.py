"""The sample articles that ship with Gloss, and what an empty library says.

``tui/samples`` is, in a clone, a link to the repository's ``seeds/`` folder, so the
samples have one copy; the wheel holds the files themselves.
"""

from __future__ import annotations

import os
import shlex
from pathlib import Path

from tui.core.language.visible import visible
from tui.core.store.corpus import import_articles, read_text_paths, text_files
from tui.core.store.dataset import Dataset, ImportResult


def samples_folder() -> Path:
    return Path(__file__).resolve().parents[2] / "samples"  # tui/samples


def sample_count() -> int:
    return len(text_files(samples_folder()))


def import_samples(dataset: Dataset) -> ImportResult:
    """Import the samples into ``dataset``; importing them again adds nothing."""
    return import_articles(dataset, read_text_paths(samples_folder()), source="samples")


def first_steps(folder: Path) -> str:
    """What an empty library says: how to add articles, and the key for the samples."""
    default = Path(os.environ.get("GLOSS_DB") or "annotations")
    db = "" if folder == default else f" --db {visible(shlex.quote(str(folder)))}"
    return (
        "No articles here yet. To add some, quit (q) and run\n\n"
        f"  gloss{db} import FILE_OR_FOLDER ...   text files, CSV, Prodigy or spaCy JSONL,\n"
        "      doccano, brat, CoNLL, Label Studio (gloss import --help)\n"
        f"  gloss{db} FILE ...   to import files and open them at once\n\n"
        f"or press enter to import the {sample_count()} sample news articles that come"
        f" with Gloss\n(as gloss{db} demo does) and start labelling."
    )
