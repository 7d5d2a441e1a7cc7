"""What an export writes: which articles, whose spans in each, and what their status says.

``gloss export`` writes one version of an article a line (a task, for Label Studio). Whose
work that is: every analyst's (the default), one analyst's (``--annotator``), or the
reviewed version of reviewed articles only (``--reviewed``, ``--reviewer``). What it says:
an article some analyst marked done or reviewed, or one with spans, is an accepted example;
one its analysts skipped is Prodigy's ``ignore`` (kept out of training); one nobody opened
(no span, no status but ``todo``) is no example at all and is left out unless ``--all``
asks for it. Formats that cannot say ``ignore`` (doccano, brat, CoNLL, spaCy, claims) leave
skipped articles out. Each article left out is counted, never dropped without a word.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from tui.core.disk.article_file import Article
from tui.core.document.model import GlossError
from tui.core.store.corpus import Notes

FINISHED = ("done", "reviewed")
SKIPPED = "skipped"


@dataclass(frozen=True, slots=True)
class Choice:
    """What ``gloss export`` was asked for."""

    annotator: str | None = None  # only this analyst's work
    reviewed: bool = False  # only reviewed articles: the reviewer's version
    reviewer: str | None = None  # whose review, where several reviewed an article
    every: bool = False  # also the articles nobody opened (--all)

    def __post_init__(self) -> None:
        if self.every and self.reviewed:
            raise GlossError("--all exports articles nobody opened; --reviewed only"
                             " reviewed ones: give one of them")
        if self.reviewed and self.annotator and self.reviewer \
                and self.annotator != self.reviewer:
            raise GlossError("--reviewed: give the reviewer once (--reviewer or"
                             " --annotator), not two names")


def analysts(article: Article) -> list[str]:
    """Who has worked on the article as given: a span, or a status other than ``todo``."""
    found = {row["annotator"] for row in article.span_rows}
    found.update(who for who, status in article.status.items() if status != "todo")
    return sorted(found)


def answer(article: Article, workers: list[str] | None = None) -> str | None:
    """Prodigy's answer for the article as given: ``accept`` when an analyst marked it done
    or reviewed, or has spans and did not skip it; ``ignore`` when every analyst who worked
    on it skipped it; None when nobody did (an article to label, not an example)."""
    workers = analysts(article) if workers is None else workers
    if not workers:
        return None
    statuses = [article.status.get(who) for who in workers]
    if any(status in FINISHED for status in statuses):
        return "accept"
    if all(status == SKIPPED for status in statuses):
        return "ignore"
    return "accept"


def restricted(article: Article, keep: Iterable[str]) -> Article:
    """The article with only these analysts' spans, statuses and links."""
    keep = set(keep)
    rows = [row for row in article.span_rows if row["annotator"] in keep]
    ids = {row["id"] for row in rows}
    relations = [r for r in article.relations if r.head in ids and r.child in ids]
    status = {who: s for who, s in article.status.items() if who in keep}
    return Article(article.document, None, status, article.added, relations, rows=rows,
                   path=article.path)


def select(articles: Iterable[Article], choice: Choice, notes: Notes, *,
           keeps_skipped: bool, one_version: bool) -> Iterator[Article]:
    """The articles to export, each holding only the work it is exported with.

    ``keeps_skipped``: the format can say that an article was skipped (Prodigy's
    ``ignore``, Label Studio's ``was_cancelled``); else skipped articles are left out.
    ``one_version``: a record holds one version of the article (doccano, brat, CoNLL, spaCy,
    claims; Prodigy's JSONL and Label Studio have a line or an annotation an analyst): an
    accepted record then leaves out the spans of analysts who skipped the article.
    """
    for article in articles:
        version = _version(article, choice, notes)
        if version is None:
            continue
        said = answer(version)
        if said is None and not choice.every:
            who = f"{choice.annotator} has not" if choice.annotator else "nobody has"
            notes.add(f"articles {who} opened left out (--all exports them)")
            continue
        if said == "ignore" and not keeps_skipped:
            notes.add("skipped articles left out (this format cannot say skipped)")
            continue
        if said == "accept" and one_version:
            skipped = [w for w, s in version.status.items() if s == SKIPPED]
            if skipped:
                version = restricted(version, set(analysts(version)) - set(skipped))
                notes.add("articles exported without the spans of an analyst who"
                          " skipped them")
        yield version


def nothing_reviewed(folder: object, choice: Choice, notes: Notes) -> GlossError:
    """The one line of ``--reviewed`` over a dataset where nothing is: an empty training
    file would pass for a finished one. Where reviewed articles were left out for having
    several reviewers, that is what it says."""
    several = [line for line in notes.lines() if line.endswith("(pick one with --reviewer)")]
    if several:
        return GlossError(f"{folder}: nothing exported: {'; '.join(several)}")
    wanted = choice.reviewer or choice.annotator
    return GlossError(f"{folder}: no article is reviewed{f' by {wanted}' if wanted else ''}"
                      "; nothing exported (review first, or merge the reviewer's folder in)")


def _version(article: Article, choice: Choice, notes: Notes) -> Article | None:
    """The work of the article to export, or None (counted) when there is none."""
    if not choice.reviewed:
        return article if choice.annotator is None else restricted(article,
                                                                    [choice.annotator])
    reviewers = sorted(w for w, s in article.status.items() if s == "reviewed")
    wanted = choice.reviewer or choice.annotator
    if wanted is not None:
        if wanted not in reviewers:
            notes.add(f"articles not reviewed by {wanted} left out")
            return None
        return restricted(article, [wanted])
    if not reviewers:
        notes.add("articles not reviewed left out")
        return None
    if len(reviewers) > 1:
        notes.add(f"articles reviewed by {' and '.join(reviewers)} left out (pick one"
                  " with --reviewer)")
        return None
    return restricted(article, reviewers)
