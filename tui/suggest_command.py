"""``gloss suggest``: every article's suggestions written into the dataset as the work of an
analyst of their own (``suggestions`` unless ``--as`` names another), so that they can be
exported, compared with ``gloss agree`` and reviewed with ``gloss review`` like anyone's.

What is suggested is what the reader would suggest (``suggest/finders.py``): the names the
dataset has seen, learnt from every analyst's spans but this one's (and never from spans
``gloss suggest`` wrote), and the matches of the pattern file (``--patterns FILE``, kept
with the dataset once given; else the one kept), and, where the label set has claims,
claims on reporting cues with their sources (the shipped cue words and the team's
``cues/LANG.toml``). With ``--model DIR``, only what a model ``gloss train`` made finds,
as the analyst ``model`` unless ``--as`` names another: ``gloss agree --annotators
model,olena`` then measures the model against a person. Left out in an article: what this analyst
has there already, and what any analyst rejected there. Each span written records its
finder (``origin``) and ``source`` "gloss suggest"; a suggested claim comes with its
source's link (the source made an actor of this analyst's when it is not one yet), or
its ``source_kind``. The analyst's status of every article becomes
``done`` (where it has none yet), so that ``gloss agree`` compares it on the articles the
others have done. Run again, it adds only what is new: nothing is written when nothing is.

All or nothing: every article file is read and checked first (a broken one stops the
command before anything is written), the patterns are checked whole, and everything is
written by one ``Dataset.add_articles``. The articles are read twice, one at a time (to
check them and learn the names they hold, then to suggest, each article's suggestions
staged as they are made), never held together.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from tui.core.disk.article_file import Article, Item, row_span
from tui.core.disk.storage import CorruptFileError
from tui.core.document import rejections
from tui.core.document.model import GlossError, Relation, Span, check_offsets, now
from tui.core.document.schema import SOURCE
from tui.core.document.suggestion import SUGGEST_SOURCE, Suggestion
from tui.core.store.corpus import read_input
from tui.core.store.dataset import Dataset
from tui.core.suggest import cue_files, spacy_matcher
from tui.core.suggest.finders import Finder, finders, suggest_article
from tui.core.suggest.pattern_finder import PatternFinder
from tui.core.suggest.patterns import Pattern, parse_patterns
from tui.core.suggest.seen_names import SeenNames
from tui.core.suggest.token_matcher import MAX_MATCHES

if TYPE_CHECKING:
    from tui.core.suggest.model_finder import ModelFinder

ANALYST = "suggestions"  # who the suggestions are, unless --as says otherwise
MODEL_ANALYST = "model"  # who a model's suggestions are (--model), unless --as says
Over = Callable[[Iterable[Article]], Iterable[Article]]  # counts them (a progress bar)


@dataclass(slots=True)
class Report:
    articles: int = 0
    spans: int = 0  # new in the dataset
    found: Counter[str] = field(default_factory=Counter)  # suggestions by kind
    labels_added: list[str] = field(default_factory=list)
    patterns: str = ""  # the pattern file read, if any
    model: str = ""  # the model's folder, with --model
    stopped: int = 0  # articles where the patterns found more than an article may give


def checked_patterns(path: Path) -> tuple[list[Pattern], bytes]:
    """The patterns of the file ``path`` and its bytes (to keep), or ``InputError``
    naming ``FILE:LINE``."""
    data = read_input(path)
    return parse_patterns(data, str(path), spacy_matcher.available()), data


def kept_patterns(dataset: Dataset) -> list[Pattern] | None:
    """The patterns kept with the dataset, if any (a broken kept file is named)."""
    path = dataset.kept_patterns()
    return checked_patterns(path)[0] if path is not None else None


def has_long_articles(dataset: Dataset, chars: int) -> bool:
    """Whether an article may hold ``chars`` characters or more: its file is at least as
    many bytes (UTF-8 takes one byte a character or more), so a dataset of short articles
    is told by their sizes alone, without reading them."""
    return any(stat is not None and stat.st_size >= chars
               for stat in dataset.stats(dataset.ids()))


def run(dataset: Dataset, analyst: str = ANALYST, patterns_file: Path | None = None,
        over: Over | None = None, model: ModelFinder | None = None) -> Report:
    """Write the suggestions of every article as ``analyst``'s work (see the module); with
    ``model``, only the model's (its claims with the sources the link rule gives them)."""
    report = Report()
    if model is not None:
        articles = _Articles(dataset)
        for _ in articles.check():
            pass
        report.model = str(model.folder)
        return _write(dataset, analyst, articles, finders(model=model), report, over)
    if patterns_file is not None:
        patterns, data = checked_patterns(patterns_file)
        report.patterns = str(patterns_file)
    else:
        patterns, data = kept_patterns(dataset), None
        report.patterns = str(dataset.kept_patterns() or "")
    articles = _Articles(dataset)
    names = SeenNames.of_rows((row for a in articles.check() for row in a.span_rows),
                              ignored=[analyst])
    pattern_finder = PatternFinder(patterns, dataset.labels) if patterns else None
    claims = cue_files.for_dataset(dataset.folder) if dataset.labels.get("CLAIM") else None
    sources = finders(names, pattern_finder, claims=claims)
    _write(dataset, analyst, articles, sources, report, over, pattern_finder)
    if data is not None:  # kept once the suggestions are in: a refused run keeps nothing
        dataset.keep_patterns(data)
    return report


def _write(dataset: Dataset, analyst: str, articles: _Articles, sources: list[Finder],
           report: Report, over: Over | None = None,
           pattern_finder: PatternFinder | None = None) -> Report:
    """Every article's suggestions written by one ``add_articles`` (all or nothing), each
    article's item made as the import takes it: never all held."""
    stamp = now()
    statuses = {doc_id: [{"annotator": analyst, "status": "done", "updated": stamp}]
                for doc_id in articles.ids}
    labels = {label.name for label in dataset.labels.labels}

    def items() -> Iterator[Item]:
        for article in (over(articles) if over else articles):
            found = suggestions_of(article, analyst, sources)
            report.stopped += bool(pattern_finder and pattern_finder.stopped)
            report.found.update(s.kind for s in found)
            for suggestion in found:
                if suggestion.label not in labels:  # new to the label set, in order
                    labels.add(suggestion.label)
                    report.labels_added.append(suggestion.label)
            report.articles += 1
            yield _item(article, found, analyst, stamp)

    # taken one at a time; the labels to add, filled as they are, read at the commit
    results = dataset.add_articles(items(), report.labels_added, statuses=statuses,
                                   replace_statuses=False)
    report.spans = sum(added for _, added in results)
    return report


class _Articles:
    """The dataset's articles, read one at a time: ``check`` reads every one (a broken
    file stops the command there, before anything is written) and keeps their ids; then
    each pass reads them again, in that order."""

    def __init__(self, dataset: Dataset) -> None:
        self.dataset = dataset
        self.ids: list[str] = []

    def check(self) -> Iterator[Article]:
        """Every article, read and checked (iterate it through)."""
        for item in self.dataset.articles():
            if isinstance(item, CorruptFileError):
                raise GlossError(str(item))
            self.ids.append(item.document.id)
            yield item

    def __len__(self) -> int:
        return len(self.ids)

    def __iter__(self) -> Iterator[Article]:
        for item in self.dataset.articles(set(self.ids)):
            if isinstance(item, CorruptFileError):  # broken since it was checked
                raise GlossError(str(item))
            yield item


def suggestions_of(article: Article, analyst: str, sources: list[Finder]
                   ) -> list[Suggestion]:
    """What ``analyst`` has not yet and nobody rejected in ``article``."""
    own = [row_span(row) for row in article.span_rows if row["annotator"] == analyst]
    return suggest_article(article.document.text, own, sources,
                           rejections.keys(article.rejected))


def _item(article: Article, found: list[Suggestion], analyst: str, stamp: str) -> Item:
    """The article's new spans (and a suggested claim's link to its source)."""
    text = article.document.text
    spans: list[Span] = []
    at: dict[tuple[int, int, str], Span] = {}
    for row in article.span_rows:
        if row["annotator"] == analyst:
            at[row["start"], row["end"], row["label"]] = row_span(row)
    for suggestion in found:
        check_offsets(text, suggestion.start, suggestion.end)
        span = Span(suggestion.start, suggestion.end, suggestion.label,
                    text[suggestion.start:suggestion.end], analyst, SUGGEST_SOURCE,
                    created=stamp, updated=stamp, attributes=suggestion.attributes,
                    origin=suggestion.kind)
        spans.append(span)
        at[suggestion.key] = span
    relations = []
    for place, suggestion in enumerate(found):  # spans[place] is its span
        span, source = spans[place], suggestion.source
        if source is None:
            continue
        if source.kind != "actor":
            spans[place] = replace(span, attributes=tuple(sorted(
                {**dict(span.attributes), "source_kind": source.kind}.items())))
            continue
        if source.start is None or source.end is None:
            continue
        actor = at.get((source.start, source.end, "ACTOR"))
        if actor is None:  # a speaker no finder named ("the ministry"): an actor now
            check_offsets(text, source.start, source.end)
            actor = Span(source.start, source.end, "ACTOR", text[source.start:source.end],
                         analyst, SUGGEST_SOURCE, created=stamp, updated=stamp,
                         origin=suggestion.kind)
            spans.append(actor)
            at[source.start, source.end, "ACTOR"] = actor
        relations.append(Relation(span.id, actor.id, SOURCE, analyst))
    return article.document, spans, relations


def summary(report: Report, analyst: str) -> str:
    """The command's one line: what was found, by which finder, and what is new."""
    kinds = ", ".join(f"{kind} {n:,}" for kind, n in sorted(report.found.items())) or "none"
    line = (f"suggested {sum(report.found.values()):,} spans in {report.articles:,} articles"
            f" as {analyst} ({kinds}); {report.spans:,} new in the dataset")
    if report.patterns:
        line += f"; patterns from {report.patterns}"
    if report.model:
        line += f"; model {report.model}"
    if report.stopped:
        line += (f"; in {report.stopped:,} articles the patterns matched more than"
                 f" {MAX_MATCHES:,} times or too long: the first matches taken")
    if report.labels_added:
        line += f"; labels added to the label set: {', '.join(report.labels_added)}"
    return line
