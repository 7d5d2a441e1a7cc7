"""The articles as spaCy's training loop reads them: ``gloss.corpus.v1``, spaCy's
``Corpus`` kept in memory.

spaCy's ``Corpus`` reads a ``DocBin`` from disk and tokenizes every document again each
time it is called: five times while the pipeline is initialised, then at every
evaluation. A ``DocBin`` with span groups decodes each through msgpack, which looks its
decoders up in the registry's entry points: on 1,000 articles of 2 KB that alone was 20
of the 111 s before the first step. This reader makes each article's ``Doc`` once (with
the vocabulary of the pipeline that asks, as spaCy's reader does) and its tokens once, and
yields the same examples in the same order as spaCy's (empty documents left out, the
augmenter applied), so that training is unchanged.

``max_words`` caps the held-out documents spaCy scores on while it trains (the first in
the split's order): choosing the best model among the evaluations needs no more, and on
large held-out sets they were a fifth of the training time. The figures ``gloss train``
prints are on every held-out article.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from tui.core.train import pipeline
from tui.core.train.examples import Example

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

READER = "gloss.corpus.v1"
EVAL_WORDS = 40_000  # tokens of the held-out articles spaCy scores on while it trains

_corpora: dict[str, Corpus] = {}


class Corpus:
    """One side of the split, as spaCy's ``Corpus`` would yield it."""

    def __init__(self, examples: Sequence[Example], labels: pipeline.Plan,
                 dropped: Counter[str], max_words: int = 0) -> None:
        self.examples = examples
        self.labels = labels
        self.dropped = dropped
        self.max_words = max_words
        self._vocab: Any = None
        self._references: list[Doc] = []
        self._tokens: list[Doc] = []

    def references(self, nlp: Language) -> tuple[list[Doc], list[Doc]]:
        """The reference docs and their tokens alone, made once for ``nlp``'s vocabulary."""
        if self._vocab is not nlp.vocab:
            counted: Counter[str] = Counter()
            made = [pipeline.make_doc(nlp, e, self.labels, counted) for e in self.examples]
            if self._vocab is None:  # a second vocabulary (a new pipeline) counts nothing new
                self.dropped.update(counted)
            self._vocab = nlp.vocab
            self._references = [doc for doc in made if len(doc)]
            self._tokens = [nlp.make_doc(doc.text) for doc in self._references]
        return self._references, self._tokens

    def reader(self, max_words: int, augmenter: Callable[..., Any] | None
               ) -> Callable[[Language], Iterator[Any]]:
        def read(nlp: Language) -> Iterator[Any]:
            from spacy.training import Example as SpacyExample

            references, tokens = self.references(nlp)
            words = 0
            for reference, made in zip(references, tokens, strict=True):
                if max_words and words >= max_words:
                    break
                words += len(reference)
                example = SpacyExample(made.copy(), reference)
                yield from (augmenter(nlp, example) if augmenter is not None else (example,))

        return read


def serve(name: str, corpus: Corpus) -> None:
    """Make ``corpus`` what the reader named ``name`` in the config yields."""
    _corpora[name] = corpus


def config(name: str, max_words: int = 0, augmenter: dict[str, Any] | None = None
           ) -> dict[str, Any]:
    """The ``[corpora.NAME]`` block that reads ``name``."""
    return {"@readers": READER, "name": name, "max_words": max_words,
            "augmenter": augmenter}


def spacy_config(name: str) -> dict[str, Any]:
    """spaCy's own block for the same corpus, as ``spacy init config`` writes it: what a
    saved model's config names, so that ``spacy train`` runs it on DocBins."""
    return {"@readers": "spacy.Corpus.v1", "path": f"${{paths.{name}}}", "max_length": 0,
            "gold_preproc": False, "limit": 0, "augmenter": None}


def _create(name: str, max_words: int = 0, augmenter: Callable[..., Any] | None = None
            ) -> Callable[[Language], Iterator[Any]]:
    if name not in _corpora:
        raise ValueError(f"{READER}: no corpus {name!r} is being trained on")
    return _corpora[name].reader(max_words, augmenter)


def register() -> None:
    from spacy.util import registry

    if READER not in registry.readers.get_all():
        registry.readers.register(READER, func=_create)
