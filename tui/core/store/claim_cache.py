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

from tui.core.disk.article_file import Article
from tui.core.store.dataset import Dataset

Given = Counter[tuple[str, str, str]]  # (label, text folded, canonical name): how often


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
