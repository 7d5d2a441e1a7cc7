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
from collections.abc import Iterator
from typing import Any

from tui.core.article_file import Article
from tui.core.dataset import Dataset
from tui.core.model import Document, LabelSet
from tui.core.schema import ABOUT, SOURCE

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
        yield found.payload
    problems.extend(scan.problems)


def entry_of(seen: list[int], article: Article, given: Given) -> list[Any]:
    meta = article.document.meta
    rows = [[*list(row.values())[:9], row.get("attributes", {})] for row in article.span_rows]
    return [seen, meta["title"], meta["date"], article.added, article.status, rows,
            [[r.head, r.child, r.label, r.annotator, r.id] for r in article.relations],
            [[*names, n] for names, n in given.items()]]
