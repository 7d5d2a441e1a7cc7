"""``gloss tokens``: keep the tokens of a dataset's articles beside it, so that the next
``gloss export`` copies them instead of tokenizing (twice as fast at 20,000 articles).

An import keeps tokens within a time budget; articles that came another way (the reader,
``gloss merge``, ``git pull``), those an import left, and those whose kept tokens a new
tokenizer made useless (another spaCy) are kept by this command, and only those: an
article with an entry that checks out is not tokenized again, so a second run makes
nothing. Written as an import writes them (``token_cache.keep``: one new file, renamed
into place whole, then the files merged), so a kill or a writer beside it never leaves a
file that is used half-made, and an export reading meanwhile finds each article's tokens
or tokenizes it.

A broken article file stops it with one line, and nothing is kept (the dataset as it
was): the tokens are a cache, and a run that looks fine while an article is missing would
hide the broken file until the export says so.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from tui.core.disk import token_cache
from tui.core.document.model import GlossError
from tui.core.store.dataset import Dataset


@dataclass(frozen=True, slots=True)
class Report:
    kept: token_cache.Kept
    tokenizer: str


def run(dataset: Dataset, advance: Callable[[int], None] | None = None) -> Report:
    """Keep the tokens of every article of ``dataset`` that has none that check out;
    ``advance(n)``: n more articles looked at."""
    problems: list[str] = []

    def texts() -> Iterator[tuple[str, str]]:
        for article in dataset.readable(problems):
            yield article.document.id, article.document.text
        if problems:  # raised before the new file is renamed into place: nothing kept
            more = len(problems) - 1
            raise GlossError(f"{problems[0]}; no tokens kept"
                             + (f" ({more:,} more broken article files)" if more else ""))

    kept = token_cache.keep(dataset.folder, texts(), advance)
    return Report(kept, token_cache.version().partition("+")[0])


def summary(report: Report) -> str:
    kept = report.kept
    line = (f"kept the tokens of {_count(kept.made)} ({report.tokenizer}); "
            f"{_count(kept.already)} had them already")
    if kept.too_long:
        line += (f"; {_count(kept.too_long)} over {token_cache.PIECE:,} characters left to"
                 " the export (it tokenizes those a piece at a time)")
    return line


def _count(n: int) -> str:
    return f"{n:,} article{'' if n == 1 else 's'}"
