"""Several analysts' datasets brought together: ``gloss merge DIR... --db DIR``.

Each analyst may label in a folder of their own (or all in one shared folder); merging
gives each article (same id: same text) the spans, relations, attributes and statuses of
all of them. It is an import of Gloss's own files, so it is all or nothing like any
import, and merging twice adds nothing: a span is one span by its id (the version updated
last wins) or by its extent, label and analyst; an analyst's status is the one set last.
The folders are only read, without locks (a file is always whole), so analysts may go on
labelling meanwhile; nothing is written unless every folder reads cleanly.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tui.core.article_file import read_article
from tui.core.dataset import Dataset, Item
from tui.core.model import GlossError
from tui.core.storage import CorruptFileError, read_json


@dataclass(slots=True)
class MergeResult:
    articles_added: int = 0
    articles_merged: int = 0
    spans_added: int = 0
    labels_added: list[str] = field(default_factory=list)
    read: int = 0  # article files read, from every folder


def merge_datasets(target: Dataset, folders: Iterable[Path],
                   progress: Callable[[list[Path]], Iterable[Path]] | None = None
                   ) -> MergeResult:
    """Merge the datasets in ``folders`` into ``target``; ``progress`` wraps the list of
    article files to read (a bar on a terminal)."""
    items: list[Item] = []
    statuses: dict[str, list[dict[str, Any]]] = {}
    names: list[str] = []
    result = MergeResult()
    files: list[Path] = []
    for folder in folders:
        source = Dataset.existing(folder, target.annotator)
        if source.folder.resolve() == target.folder.resolve():
            raise GlossError(f"{folder}: is the dataset merged into (--db)")
        names += source.labels.names()
        files += [source.path(doc_id) for doc_id in source.ids()]
    for path in progress(files) if progress else files:
        try:
            tables = read_json(path)
            if tables is None:
                continue  # removed since the folder was listed
            article = read_article(path, tables)
        except CorruptFileError as exc:
            raise GlossError(f"{exc} (nothing merged)") from exc
        items.append((article.document, article.span_rows, article.relations))
        statuses.setdefault(article.document.id, []).extend(tables.get("status", {}).values())
        result.read += 1
    result.labels_added = [n for n in dict.fromkeys(names) if target.labels.get(n) is None]
    outcome = dict(zip((document.id for document, _, _ in items),
                       target.add_articles(items, result.labels_added, statuses=statuses,
                                           keep_tokens=False),
                       strict=True))
    for is_new, added in outcome.values():
        result.articles_added += is_new
        result.articles_merged += (not is_new) and added > 0
        result.spans_added += added
    return result
