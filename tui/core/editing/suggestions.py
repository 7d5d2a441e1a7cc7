"""The suggestions of the articles open in the reader: found off the UI thread, offered
where the analyst has not labelled or rejected, and kept up to date as they label.

:class:`Suggestions` is the session's. It holds the finders (``tui/core/suggest/``): the
names the dataset has seen (an index built once, in a thread, then told of each span an
edit adds or takes away, never built again), the pattern file kept with the dataset, the
claim cues, and a model (``gloss read --model DIR``, or the dataset's latest), loaded in
the thread after the others have been shown. Every search runs in one worker at a time
(the session's ``in_thread``); the UI thread only hands it work and takes its answers.

An open article's are an :class:`ArticleSuggestions` (``article_suggestions.py``: what was
found there and what of it is offered), searched whole; a huge article's a
:class:`HugeSuggestions` (``huge_suggestions.py``), searched a stretch at a time around
what the reader shows.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from tui.core.document import rejections
from tui.core.document.model import GlossError, LabelSet, Span
from tui.core.document.schema import SOURCE
from tui.core.document.suggestion import Suggestion
from tui.core.editing.article_model import ArticleModel
from tui.core.editing.article_suggestions import (
    CHUNK,
    HUGE,
    ArticleSuggestions,
    Key,
    Offered,
    Request,
    SuggestionEvent,
    text_order,
)
from tui.core.editing.huge_suggestions import HugeSuggestions
from tui.core.store.dataset import Dataset

# The finders (tui/core/suggest/) are imported where the worker first asks for them, after
# the reader's first frame: the start of the reader waits on none of their modules.
if TYPE_CHECKING:
    from tui.core.suggest.cue_files import Cues
    from tui.core.suggest.finders import Finder
    from tui.core.suggest.model_finder import ModelFinder
    from tui.core.suggest.pattern_finder import PatternFinder
    from tui.core.suggest.seen_names import SeenNames

__all__ = ["CHUNK", "HUGE", "ArticleSuggestions", "HugeSuggestions", "Key", "Request",
           "SuggestionEvent", "Suggestions", "chunks"]

Run = Callable[[Callable[[], None]], None]
# After an edit, the search of a long article waits this long: the edit's frame, its save
# and the save's "saved" come first. Searched at once, a 1 MB article's 31 stretches held
# the interpreter against them: a label's "saved" showed 150 ms after the key, not 70.
SETTLE_S = 0.25
SETTLE_FROM = 100_000  # characters of the articles searched again: a shorter search is ms

class Suggestions:
    """Every open article's suggestions, and the finders they come from (see the module)."""

    def __init__(self, dataset: Dataset, *, on_ui: Run, in_thread: Run,
                 model: Path | None = None, huge: int | None = None) -> None:
        """``huge``: the length past which an article is searched a stretch at a time
        (:data:`HUGE`)."""
        self.dataset = dataset
        self.huge = HUGE if huge is None else huge
        self._on_ui = on_ui
        self._in_thread = in_thread
        self._model_path = model
        self.articles: dict[str, ArticleSuggestions] = {}
        self.notices: list[Callable[[str], None]] = []  # told a line (a model not loaded)
        self.said: list[str] = []
        self.answers: list[Callable[[ArticleSuggestions], None]] = []  # told each answer
        labels: LabelSet = dataset.labels
        self._claims = frozenset(r.head for r in labels.relations if r.name == SOURCE)
        self._wanted: dict[str, ArticleSuggestions] = {}  # asked for, not yet handed over
        self.busy = False
        self.closed = False  # the app is ending: a search under way stops at its next stretch
        self._learnt: list[tuple[int, Span]] = []  # (+1 / -1, span) for the names' index
        self._edited_at = float("-inf")  # when the last edit asked for a search again
        self._guard = threading.Lock()
        # The worker's own (one worker at a time): never touched on the UI thread
        self._names: SeenNames | None = None
        self._finders: list[Finder] | None = None
        self._parts: tuple[PatternFinder | None, Cues | None] = (None, None)
        self._model: ModelFinder | None = None
        self._model_tried = False

    # -- articles --------------------------------------------------------------------

    def open(self, model: ArticleModel) -> ArticleSuggestions:
        """The suggestions of ``model``'s article (one for every pane showing it), their
        search asked for the first time it is opened."""
        article = self.articles.get(model.doc_id)
        if article is None or article.model is not model:
            rejected = rejections.keys(model.rejected, model.annotator)
            if len(model.text) > self.huge:
                article = HugeSuggestions(model, rejected, self._claims,
                                          lambda a: self._want([a]))
            else:
                article = ArticleSuggestions(model, rejected, self._claims)
            self.articles[model.doc_id] = article
            self._want([article])
        article.holders += 1
        return article

    def release(self, article: ArticleSuggestions) -> None:
        article.holders -= 1
        if article.holders <= 0 and self.articles.get(article.model.doc_id) is article:
            article.close()
            del self.articles[article.model.doc_id]
            self._wanted.pop(article.model.doc_id, None)

    # -- what the session tells --------------------------------------------------------

    def edited(self, changes: Iterable[tuple[Span | None, Span | None]]) -> None:
        """An edit was applied (or undone): the spans it took away and made teach the
        names' index, and every open article is searched again if a name changed."""
        from tui.core.suggest.seen_names import NAME_LABELS

        learnt = []
        for before, after in changes:
            for sign, span in ((-1, before), (1, after)):
                if span is not None and span.label in NAME_LABELS:
                    learnt.append((sign, span))
        if not learnt:
            return
        with self._guard:
            self._learnt += learnt
        self._edited_at = time.monotonic()
        for article in self.articles.values():
            article.searched_again()
        self._want(list(self.articles.values()))

    def reject(self, article: ArticleSuggestions, suggestion: Suggestion,
               write: Run) -> None:
        """Offer ``suggestion`` no more in ``article``, and keep that in its file (by
        ``write``: the session's writer, after the edits asked for before)."""
        article.reject(suggestion)
        doc_id = article.model.doc_id

        def kept() -> None:
            try:
                self.dataset.reject(doc_id, suggestion)
            except GlossError as exc:
                self._tell(f"rejection not saved: {exc}")

        write(kept)

    # -- the worker ------------------------------------------------------------------

    def _want(self, articles: list[ArticleSuggestions]) -> None:
        for article in articles:
            self._wanted[article.model.doc_id] = article
        if not self.busy and self._wanted:
            self.busy = True
            wanted, self._wanted = self._wanted, {}
            requests = [a.request() for a in wanted.values()]  # a huge one may ask again
            self._in_thread(lambda: self._work(requests))

    def _work(self, requests: list[Request]) -> None:
        if sum(len(r.article.model.text) for r in requests) >= SETTLE_FROM:
            time.sleep(max(self._edited_at + SETTLE_S - time.monotonic(), 0.0))
        try:
            if self._search(requests, with_model=False) and not self.closed \
                    and self._load_model():
                self._search(requests, with_model=True)
        finally:
            self._on_ui(self._done)

    def _done(self) -> None:
        self.busy = False
        self._want([])

    def _search(self, requests: list[Request], with_model: bool) -> bool:
        """Search and answer each request; False when stopped (quitting, or an edit asked
        for a search again: the requests not answered are asked for again)."""
        from tui.core.suggest.finders import suggest_article

        sources = self._sources(with_model)
        for number, request in enumerate(requests):
            if request.stretches is not None:
                if not self._stretches(request, with_model):
                    return False
                continue
            text = request.article.model.text
            found = []
            for start, end in chunks(text):
                if self.closed or (with_model and self._wanted):
                    return False  # quitting; or an edit asked for a search: that first
                if self._wanted.get(request.article.model.doc_id) is request.article:
                    # edited since it was asked for: searched again after, this one ends
                    left = [r.article for r in requests[number:]]
                    self._on_ui(lambda left=left: self._want([  # before ``_done``
                        a for a in left if self.articles.get(a.model.doc_id) is a]))
                    return False
                found += [_moved(s, start) for s in suggest_article(text[start:end], (),
                                                                      sources)]
                time.sleep(0)  # the UI thread's turn: a key waits for no whole article
            found.sort(key=text_order)
            found = request.article.the_same(found)
            offered = request.article.offer(request, found)
            self._on_ui(lambda r=request, f=found, o=offered: self._answer(r, f, o))
        return True

    def _stretches(self, request: Request, with_model: bool) -> bool:
        """Search a huge article's stretches, each answered on its own (False: stopped).
        The names are found as the whole text finds them; the other finders read the
        stretch (cut after a sentence) and the names found in it."""
        from tui.core.suggest.finders import finders, suggest_article

        names, (patterns, cues) = self._names, self._parts
        others = finders(None, patterns, self._model if with_model else None, cues)
        article, text = request.article, request.article.model.text
        for index, start, end in request.stretches or ():
            if self.closed or (with_model and self._wanted):
                return False
            named = names.find(text, start, end) if names is not None else []
            local = [_moved(s, -start) for s in named]
            found = [_moved(s, start) for s in suggest_article(
                text[start:end], (), [lambda c, n=local: n, *others])]
            offered = article.offer(request, found)
            self._on_ui(lambda i=index, f=found, o=offered: self._answer_stretch(
                article, i, f, o))
            time.sleep(0)
        return True

    def _answer_stretch(self, article: ArticleSuggestions, index: int,
                        found: list[Suggestion], offered: Offered) -> None:
        if self.articles.get(article.model.doc_id) is article and isinstance(
                article, HugeSuggestions):
            article.answered_stretch(index, found, offered)
            for told in list(self.answers):
                told(article)

    def _answer(self, request: Request, found: list[Suggestion], offered: Offered) -> None:
        article = request.article
        if self.articles.get(article.model.doc_id) is article:
            article.answered(request, found, offered)
            for told in list(self.answers):
                told(article)

    def _sources(self, with_model: bool) -> list[Finder]:
        from tui.core.suggest.finders import finders
        from tui.core.suggest.seen_names import SeenNames

        with self._guard:
            learnt, self._learnt = self._learnt, []
        names = self._names
        if names is None:
            names = self._names = SeenNames.of_rows(
                row for article in self.dataset.articles() if not isinstance(
                    article, Exception) for row in article.span_rows)
            learnt = []  # the files have them already (saved before the build began)
        for sign, span in learnt:
            (names.add if sign > 0 else names.remove)(span)
        if self._finders is None:
            self._parts = (self._patterns(), self._cues())
            self._finders = finders(names, self._parts[0], claims=self._parts[1])
        if not with_model or self._model is None:
            return self._finders
        return finders(names, self._parts[0], self._model, self._parts[1])

    def _patterns(self) -> PatternFinder | None:
        from tui.core.suggest.pattern_finder import PatternFinder
        from tui.core.suggest.patterns import parse_patterns
        from tui.core.suggest.spacy_matcher import available

        path = self.dataset.kept_patterns()
        if path is None:
            return None
        try:
            patterns = parse_patterns(path.read_bytes(), str(path), available())
        except (GlossError, OSError) as exc:
            self._tell(f"patterns not used: {exc}")
            return None
        return PatternFinder(patterns, self.dataset.labels)

    def _cues(self) -> Cues | None:
        if not self._claims:
            return None
        from tui.core.suggest import cue_files

        try:
            return cue_files.for_dataset(self.dataset.folder)
        except GlossError as exc:
            self._tell(f"claim cues not used: {exc}")
            return None

    def _load_model(self) -> bool:
        if self._model_tried:
            return self._model is not None
        self._model_tried = True
        path = self._model_path
        if path is None and not (self.dataset.folder / "models").is_dir():
            return False
        try:
            from tui.core.suggest.model_finder import ModelFinder

            self._model = ModelFinder.load(path or self.dataset.folder)
        except (GlossError, ImportError, OSError) as exc:
            line = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            self._tell(f"no model suggestions: {line}")
            return False
        return True

    def _tell(self, line: str) -> None:
        """Say ``line`` on the UI thread (from the worker)."""
        self._on_ui(lambda: self._say(line))

    def _say(self, line: str) -> None:
        self.said.append(line)
        for notice in list(self.notices):
            notice(line)




def chunks(text: str, size: int = CHUNK) -> list[tuple[int, int]]:
    """[start, end) stretches of ``text`` of about ``size``, each ending with a line: no
    finder's match runs across a line break, so each is searched on its own (a claim's
    pronoun resolves to an actor of its own stretch only)."""
    out, start = [], 0
    while start < len(text):
        end = text.find("\n", start + size)
        end = len(text) if end < 0 else end + 1
        out.append((start, end))
        start = end
    return out


def _moved(suggestion: Suggestion, by: int) -> Suggestion:
    if not by:
        return suggestion
    source = suggestion.source
    if source is not None and source.start is not None and source.end is not None:
        source = replace(source, start=source.start + by, end=source.end + by)
    return replace(suggestion, start=suggestion.start + by, end=suggestion.end + by,
                   source=source)
