"""The library's row of an article: what the analyst needs to pick it (shared by the
dataset's reading and the index, which keeps it for every article)."""

from __future__ import annotations

from dataclasses import dataclass

from tui.core.disk.article_file import Article
from tui.core.document.model import REVIEWER
from tui.core.document.span_match import article_agreement


@dataclass(slots=True)
class ArticleSummary:
    """One row of the library: what the analyst needs to pick an article; for a team, who
    has marked it done, who reviewed it and how far its first two analysts agree. Not
    frozen: a frozen dataclass sets each field through ``object.__setattr__``, three
    times the time of making 100,000 of them for the library's first frame; nothing
    changes one once made."""

    id: str
    title: str
    length: int
    spans: int  # its spans; for a team's article, this analyst's (or the reviewer's) only
    status: str
    analysts: tuple[str, ...] = ()  # with a span or a status here, by name
    done_by: tuple[str, ...] = ()
    reviewed_by: tuple[str, ...] = ()
    agreement: float | None = None  # span F1, overlapping (see span_match.article_agreement)
    every: int = 0  # the spans of every analyst


def summary(article: Article, analyst: str, reviewer: str = REVIEWER,
            pair: tuple[str, ...] = ()) -> ArticleSummary:
    """The library's row of ``article`` for ``analyst``."""
    document, rows, status = article.document, article.span_rows, article.status
    analysts = tuple(sorted({row["annotator"] for row in rows} | status.keys()))
    reviewed = tuple(who for who in analysts if status.get(who) == "reviewed")
    done = tuple(who for who in analysts if status.get(who) == "done")
    if len(analysts) < 2:
        return ArticleSummary(document.id, document.title, len(document.text), len(rows),
                              status.get(analyst, "todo"), analysts, done, reviewed,
                              every=len(rows))
    mine = sum(row["annotator"] == analyst for row in rows)  # 3 analysts' 18 each: 18
    return ArticleSummary(document.id, document.title, len(document.text), mine,
                          status.get(analyst, "todo"), analysts, done, reviewed,
                          article_agreement(rows, status,
                                            compared(analysts, reviewed, reviewer, pair)),
                          len(rows))


def compared(analysts: tuple[str, ...], reviewed: tuple[str, ...], reviewer: str,
             pair: tuple[str, ...]) -> tuple[str, ...]:
    """Whose agreement a team's row shows (once both have marked it done): ``pair``, else
    the article's first two analysts by name, ``reviewer`` and whoever marked it
    reviewed left out."""
    return pair or tuple(w for w in analysts if w != reviewer and w not in reviewed)[:2]
