"""The article to label next: the one a model is least sure of (``gloss read --next
uncertain``), as Prodigy's active learning orders its stream.

The candidates are the articles the analyst has still to do (their status is neither done,
reviewed nor skipped) that nobody has finished either: an article someone marked done or
reviewed is already a lesson for the next training. The model reads the first
``SAMPLE`` characters of each (what the analyst reads first: a screenful) of the first
``POOL`` such articles in the dataset's order, so that choosing costs seconds however
large the dataset (the model reads some 60 KB a second on the loaded 2-core machine, and
a pass over every article to do would take minutes).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from tui.core.disk.article_file import Article

SAMPLE = 3000  # characters of an article the model reads to say how sure it is
POOL = 500  # articles still to do it weighs, the first in the dataset's order
FINISHED = ("done", "reviewed")


@dataclass(frozen=True, slots=True)
class Choice:
    doc_id: str
    uncertainty: float  # 0 (sure of every span) .. 1
    candidates: int  # articles weighed


def still_to_do(article: Article, analyst: str) -> bool:
    status = article.status
    return status.get(analyst, "todo") == "todo" and \
        not any(s in FINISHED for s in status.values())


def least_sure(articles: Iterable[Article], analyst: str, doubt: Callable[[str], float],
               progress: Callable[[int], None] | None = None) -> Choice | None:
    """The article among the first ``POOL`` of ``articles`` still to do for ``analyst``
    whose first ``SAMPLE`` characters ``doubt`` (a finder's ``uncertainty``) finds the least
    sure; the first in dataset order on a tie; None when no article is left to do."""
    best: tuple[float, str] | None = None
    weighed = 0
    for article in articles:
        if weighed >= POOL:
            break
        if not still_to_do(article, analyst):
            continue
        score = doubt(_sample(article.document.text))
        weighed += 1
        if progress is not None:
            progress(weighed)
        if best is None or score > best[0]:
            best = (score, article.document.id)
    return None if best is None else Choice(best[1], best[0], weighed)


def _sample(text: str) -> str:
    """The first SAMPLE characters, ending at a line break where one is near."""
    if len(text) <= SAMPLE:
        return text
    cut = text.rfind("\n", SAMPLE // 2, SAMPLE)
    return text[:cut if cut > 0 else SAMPLE]
