"""Every claim and every canonical name of the dataset, for the claims board and for
completing an actor's name: read once a session, in a thread, then kept up to date with
the edits this process makes.

Reading 150,000 spans takes seconds (every file is read and checked whole), so the app
reads them once, after the reader's first frame, and the board opens from here at once.
An article this process edits is only marked; its rows and names are worked out again
from its model (or its file) when they are next asked for.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable

from tui.core.article_file import Article
from tui.core.claim_board import ClaimRow, claim_rows
from tui.core.model import LabelSet

CANONICAL = "canonical"


class ClaimIndex:
    def __init__(self, labels: LabelSet) -> None:
        self.labels = labels
        self.ready = False
        self.read = 0  # articles read so far (the thread counts; the board shows it)
        self.problems: list[str] = []
        self._rows: dict[str, list[ClaimRow]] = {}
        self._names: dict[str, Counter[tuple[str, str]]] = {}  # doc -> (label, canonical)
        self._given: dict[str, Counter[tuple[str, str, str]]] = {}  # (label, text, name)
        self.names: Counter[tuple[str, str]] = Counter()
        self.given: Counter[tuple[str, str, str]] = Counter()
        self._touched: set[str] = set()

    def add(self, article: Article) -> None:
        """Take in ``article`` (again: what it had before is replaced)."""
        doc_id = article.document.id
        self._rows[doc_id] = list(claim_rows(article, self.labels, sentences=False))
        names: Counter[tuple[str, str]] = Counter()
        given: Counter[tuple[str, str, str]] = Counter()
        for span in article.spans:
            for key, value in span.attributes:
                if key == CANONICAL:
                    names[(span.label, value)] += 1
                    given[(span.label, span.text.casefold(), value)] += 1
        self.names -= self._names.get(doc_id, Counter())
        self.given -= self._given.get(doc_id, Counter())
        self._names[doc_id], self._given[doc_id] = names, given
        self.names += names
        self.given += given
        self.read += 1

    def add_all(self, articles: Iterable[Article]) -> None:
        for article in articles:
            self.add(article)
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
