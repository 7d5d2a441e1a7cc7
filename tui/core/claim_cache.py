"""What the claims board needs of each article, kept between sessions so that the board of
a 100,000-article dataset opens without reading every file.

A digest is the article's title, date and place in the library, its claims and the spans
they link to (as lists, not objects: parsing is what costs), the links, and the canonical
names its spans were given, counted: an :class:`Article` with an empty text, which the
claim index takes like any article. The digests are the ``claims`` column of the dataset's
index (``article_index.py``: kept by the writers as they save, a row used only while its
file's signature and the label set's relations are the ones it was made under); a broken
article file is never indexed: it is read, and named, every time.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Any

from tui.core.article_file import Article
from tui.core.dataset import Dataset
from tui.core.model import Document, LabelSet, Relation
from tui.core.schema import ABOUT, SOURCE

_ROW_FIELDS = ("start", "end", "label", "text", "annotator", "source", "id", "created",
               "updated")
_RELATION_FIELDS = ("head", "child", "label", "annotator", "id")

Given = Counter[tuple[str, str, str]]  # (label, text folded, canonical name): how often


def digest(article: Article, labels: LabelSet) -> Article:
    """What the board needs of ``article``: its claims and what they link to, no text."""
    heads = {r.head for r in labels.relations if r.name in (SOURCE, ABOUT)}
    links = [r for r in article.relations if r.label in (SOURCE, ABOUT)]
    linked = {r.child for r in links}
    rows = [row for row in article.span_rows if row["label"] in heads or row["id"] in linked]
    kept = {row["id"] for row in rows}
    meta = {"title": article.document.title,
            "date": str(article.document.meta.get("date") or "")}
    return Article(Document(article.document.id, "", meta), None, dict(article.status),
                   article.added, [r for r in links if r.head in kept and r.child in kept],
                   rows=rows, path=article.path)


def cached_articles(dataset: Dataset, problems: list[str], *, write: bool = True
                    ) -> Iterator[tuple[Article, Given]]:
    """A digest of every readable article and its canonical names, in the library's order,
    each from the index where its file is unchanged, one at a time; each broken file's
    one-line error goes to ``problems`` (once the articles have been gone through).
    ``write``: kept for callers; the index is written by a writable dataset only."""
    scan = dataset.index.scan(dataset, "claims")
    for found in scan:
        item = digest_of(found.id, [list(found.stamp), *found.payload])
        if item is not None:
            yield item
    problems.extend(scan.problems)


def entry_of(seen: list[int], article: Article, given: Given) -> list[Any]:
    meta = article.document.meta
    rows = [[*list(row.values())[:9], row.get("attributes", {})] for row in article.span_rows]
    return [seen, meta["title"], meta["date"], article.added, article.status, rows,
            [[r.head, r.child, r.label, r.annotator, r.id] for r in article.relations],
            [[*names, n] for names, n in given.items()]]


def digest_of(doc_id: str, entry: Any) -> tuple[Article, Given] | None:
    """The digest an entry holds, or None when it is not of the shape written here (a
    cache edited by hand, or cut short): then the file is read. Checked a type set at a
    time, not a call a row: 70,000 rows at 5,000 articles."""
    try:
        _seen, title, date, added, status, rows, relations, names = entry
    except (TypeError, ValueError):
        return None
    if not (type(title) is str and type(date) is str and type(added) is int
            and type(status) is dict and type(rows) is list and type(relations) is list
            and type(names) is list and _types(status.values()) <= _STR
            and _types(rows) <= _LIST and _types(relations) <= _LIST
            and _types(names) <= _LIST):
        return None
    if (any(len(row) != _ROW_LENGTH for row in rows)
            or any(len(link) != _LINK_LENGTH for link in relations)
            or any(len(name) != _NAME_LENGTH for name in names)
            or {type(v) for row in rows for v in row[:2]} - _INT
            or {type(v) for row in rows for v in row[2:9]} - _STR
            or _types(row[9] for row in rows) - _DICT
            or {type(v) for row in rows for v in row[9].values()} - _STR
            or {type(v) for link in relations for v in link} - _STR
            or {type(v) for name in names for v in name[:3]} - _STR
            or _types(name[3] for name in names) - _INT):
        return None
    span_rows = []
    for row in rows:
        made = dict(zip(_ROW_FIELDS, row, strict=False))
        if row[9]:
            made["attributes"] = row[9]
        span_rows.append(made)
    links = [Relation(*link) for link in relations]
    given = Counter({(label, text, name): n for label, text, name, n in names})
    document = Document(doc_id, "", {"title": title, "date": date})
    return Article(document, None, status, added, links, rows=span_rows), given


_STR, _INT, _LIST, _DICT = {str}, {int}, {list}, {dict}
_ROW_LENGTH, _LINK_LENGTH, _NAME_LENGTH = 10, 5, 4


def _types(values: Iterable[Any]) -> set[type]:
    return set(map(type, values))
