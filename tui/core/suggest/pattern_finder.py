"""Suggestions from a pattern file: the matches of its patterns, as the ``EntityRuler``
keeps them, on Gloss's terms.

The matches come from spaCy's own matchers when spaCy is installed (``spacy_matcher``),
else from Gloss's (``token_matcher``); both over the tokens of ``tokens.tokenize``, which
are spaCy's English tokens. Then, as the ``EntityRuler``
does, of overlapping matches the one of most tokens is kept (then the first; for one
extent matched by two patterns, the pattern first in the file). On Gloss's terms: a match
never runs across a line break; its edges fall on whole characters (the tokens never
split one; checked all the same); and a match that starts or ends inside a word
("fire" of "cease-fire", which spaCy's tokens split off) is no suggestion, as a selection
is never part of a word. A pattern's ``id`` is the suggestion's canonical name where the
label set gives the label one.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from tui.core.model import LabelSet
from tui.core.suggest import spacy_matcher
from tui.core.suggest.edges import longest_first, whole_words
from tui.core.suggest.patterns import Pattern, read_patterns
from tui.core.suggest.suggestion import Suggestion
from tui.core.text import is_grapheme_boundary, next_grapheme, previous_grapheme
from tui.core.tokens import Token, tokenize


class PatternFinder:
    def __init__(self, patterns: Sequence[Pattern], labels: LabelSet | None = None,
                 use_spacy: bool | None = None) -> None:
        """``use_spacy``: None, spaCy when it is installed; True or False to choose."""
        self.patterns = list(patterns)
        if use_spacy is None:
            use_spacy = spacy_matcher.available()
        self.spacy = use_spacy
        if use_spacy:
            self._spacy = spacy_matcher.SpacyMatcher(self.patterns)
        else:
            from tui.core.suggest.token_matcher import TokenMatcher

            self._gloss = TokenMatcher(self.patterns)
        self._canonical = {p.label for p in self.patterns if labels is not None and any(
            a.name == "canonical" for a in labels.attributes_of(p.label))}

    @classmethod
    def of_file(cls, path: Path, labels: LabelSet | None = None) -> PatternFinder:
        return cls(read_patterns(path, spacy_matcher.available()), labels)

    def matches(self, text: str, tokens: Sequence[Token] | None = None
                ) -> list[tuple[int, int, int, int]]:
        """(pattern, start, end, tokens) of every match, character offsets. ``tokens``:
        the text's, when the caller has them already."""
        tokens = tokenize(text) if tokens is None else tokens
        if self.spacy:
            return self._spacy.matches(text, tokens)
        return [(place, tokens[start].start, tokens[end - 1].end, end - start)
                for place, start, end in self._gloss.matches(tokens)]

    def find(self, text: str, tokens: Sequence[Token] | None = None) -> list[Suggestion]:
        kept = []
        for place, start, end, size in self.matches(text, tokens):
            if not is_grapheme_boundary(text, start):
                start = previous_grapheme(text, start)
            if not is_grapheme_boundary(text, end):
                end = next_grapheme(text, previous_grapheme(text, end))
            if "\n" in text[start:end] or not whole_words(text, start, end):
                continue
            kept.append((start, end, size, place))
        out = []
        for start, end, _, place in longest_first(kept):
            found = self.patterns[place]
            canonical = found.id if found.id and found.label in self._canonical else None
            out.append(Suggestion(start, end, found.label, "pattern", 1.0,
                                  attributes=(("canonical", canonical),) if canonical
                                  else ()))
        return out
