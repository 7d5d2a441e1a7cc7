"""Suggestions from a pattern file: the matches of its patterns, as the ``EntityRuler``
keeps them, on Gloss's terms.

The matches come from spaCy's own matchers where spaCy is installed (``spacy_matcher``):
its ``PhraseMatcher`` for phrases and token patterns of one text a token, its ``Matcher``
for the patterns that use attributes only spaCy computes. The other token patterns go to
Gloss's matcher (``token_matcher``), whose matches are spaCy's ``Matcher``'s (tested
against it on random patterns and texts), but which is bounded where spaCy's is not: its
``Matcher`` walks a 1 MB article in a second with no pattern at all, grows fourfold with
each optional repeat (``{0,m}``) and squarely with ``*``. Without spaCy, Gloss's matcher
runs them all. Every matcher reads the tokens of ``tokens.tokenize``, spaCy's English
tokens. Then, as the ``EntityRuler``
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
        """``use_spacy``: None (the default), spaCy where it is installed for phrases,
        token patterns of one text a token and those that need spaCy, Gloss's matcher for
        the other token patterns; True: spaCy for all; False: Gloss's for all."""
        from tui.core.suggest.token_matcher import TokenMatcher

        self.patterns = list(patterns)
        everything = range(len(self.patterns))
        if use_spacy is None and spacy_matcher.available():
            theirs = [i for i in everything if self.patterns[i].phrase is not None
                      or self.patterns[i].plain or self.patterns[i].spacy_only]
        else:
            theirs = list(everything) if use_spacy else []
        ours = sorted(set(everything) - set(theirs))
        self.spacy = bool(theirs)
        self._spacy = spacy_matcher.SpacyMatcher(self.patterns, theirs) if theirs else None
        self._gloss = TokenMatcher([self.patterns[i] for i in ours]) if ours else None
        self._ours = ours
        self.stopped = False  # the last text had more matches than a text may give
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
        found = self._spacy.matches(text, tokens) if self._spacy is not None else []
        if self._gloss is not None:
            found += [(self._ours[i], tokens[start].start, tokens[end - 1].end, end - start)
                      for i, start, end in self._gloss.matches(tokens)]
        self.stopped = bool(self._spacy and self._spacy.stopped) or bool(
            self._gloss and self._gloss.stopped)
        return sorted(found, key=lambda m: (m[1], m[2], m[0]))

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
