"""Every claim and every canonical name of the dataset, for the claims board and for
completing an actor's name: read once a session, in a thread, then kept up to date with
the edits this process makes.

Reading 150,000 spans takes seconds (every file is read and checked whole), so the app
reads them once, after the reader's first frame, and the board opens from here at once.
An article this process edits is only marked; its rows and names are worked out again
from its model (or its file) when they are next asked for.

Where the dataset's index holds the claims tables, the board pages its rows from there
(``claim_pages.py``) and this index keeps no rows (``keep_rows``): only the names, which
take a few bytes an article where a million rows took a gigabyte.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from tui.core.disk.article_file import Article
from tui.core.document.model import LabelSet

if TYPE_CHECKING:  # the board's rows are worked out in the thread, after the first frame
    from tui.core.attribution.claim_board import ClaimRow

CANONICAL = "canonical"


class ClaimIndex:
    def __init__(self, labels: LabelSet) -> None:
        self.labels = labels
        self.ready = False
        self.keep_rows = True  # False: the board pages its rows from the dataset's index
        self.read = 0  # articles read so far (the thread counts; the board shows it)
        self.problems: list[str] = []
        self._rows: dict[str, list[ClaimRow]] = {}
        self._names: dict[str, Counter[tuple[str, str]]] = {}  # doc -> (label, canonical)
        self._given: dict[str, Counter[tuple[str, str, str]]] = {}  # (label, text, name)
        self.names: Counter[tuple[str, str]] = Counter()
        self.given: Counter[tuple[str, str, str]] = Counter()
        self._touched: set[str] = set()

    def add(self, article: Article, given: Counter[tuple[str, str, str]] | None = None
            ) -> None:
        """Take in ``article`` (again: what it had before is replaced); ``given``: its
        canonical names by (label, text folded, name), when already counted (the cache's
        digests hold no rows but claims and what they link to)."""
        from tui.core.attribution.claim_board import claim_rows

        doc_id = article.document.id
        if self.keep_rows:
            self._rows[doc_id] = list(claim_rows(article, self.labels, sentences=False))
        given = given if given is not None else names_given(article)
        names: Counter[tuple[str, str]] = Counter()
        for (label, _text, value), n in given.items():
            names[(label, value)] += n
        self.names -= self._names.get(doc_id, Counter())
        self.given -= self._given.get(doc_id, Counter())
        self._names[doc_id], self._given[doc_id] = names, given
        self.names += names
        self.given += given
        self.read += 1

    def add_all(self, articles: Iterable[Article | tuple[Article, Counter[tuple[str, str, str]]]]
                ) -> None:
        for item in articles:
            if isinstance(item, Article):
                self.add(item)
            else:
                self.add(*item)
        self.ready = True

    def touch(self, doc_id: str) -> None:
        """``doc_id`` was edited here: read it again before it is next shown."""
        self._touched.add(doc_id)

    def take_over(self, older: ClaimIndex) -> None:
        """What ``older`` (the index in use while this one was read) knows is newer."""
        self._touched |= older._touched

    def refresh(self, article_of: Callable[[str], Article | None]) -> None:
        """Read again every article edited since (``article_of``: from its model, or its
        file; None when it is gone)."""
        for doc_id in sorted(self._touched):
            article = article_of(doc_id)
            if article is not None:
                self.add(article)
        self._touched.clear()

    def rows(self) -> list[ClaimRow]:
        return [row for rows in self._rows.values() for row in rows]

    def canonical_names(self, label: str) -> Counter[str]:
        """The canonical names given to spans of ``label``, with how often."""
        return Counter({name: n for (of, name), n in self.names.items() if of == label})

    def named(self, label: str, text: str) -> list[str]:
        """The canonical names spans of ``label`` with this very ``text`` were given, the
        most given first."""
        wanted = text.casefold()
        found = Counter({name: n for (of, said, name), n in self.given.items()
                         if of == label and said == wanted})
        return [name for name, _n in found.most_common()]


def names_given(article: Article) -> Counter[tuple[str, str, str]]:
    """The canonical names of ``article``'s spans, by (label, text folded, name)."""
    given: Counter[tuple[str, str, str]] = Counter()
    for row in article.span_rows:  # rows, not spans: 150,000 of them at 5,000 articles
        value = row.get("attributes", {}).get(CANONICAL)
        if value is not None:
            given[(row["label"], row["text"].casefold(), value)] += 1
    return given
