"""Suggestions from a pattern file: the matches of its patterns, as the ``EntityRuler``
keeps them, on Gloss's terms.

The matches are those of spaCy's ``PhraseMatcher`` and ``Matcher``. Gloss's own matcher
(``token_matcher``) finds them for every pattern it reads, with or without spaCy: its
matches are spaCy's (tested against spaCy's matchers on random patterns and texts, and on
real pattern files), and it is bounded where spaCy's ``Matcher`` is not (it walks a 1 MB
article in a second with no pattern at all, grows fourfold with each optional repeat,
``{0,m}``, and squarely with ``*``), and needs no two-second import of spaCy. spaCy's own
matchers (``spacy_matcher``) run the patterns that use attributes only spaCy computes
(``SHAPE``, ``IS_PUNCT``, ``LIKE_NUM``...), or every pattern when asked (``use_spacy``).
Both read the tokens of ``tokens.tokenize``, spaCy's English tokens. Then, as the ``EntityRuler``
does, of overlapping matches the one of most tokens is kept (then the first; for one
extent matched by two patterns, the pattern first in the file). On Gloss's terms: a match
never runs across a line break (the matchers see to it); and a match that starts or ends
inside a word ("fire" of "cease-fire", which spaCy's tokens split off) or a character is
no suggestion, as a selection is never part of either. A pattern's ``id`` is the
suggestion's canonical name where the label set gives the label one.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from tui.core.document.model import LabelSet
from tui.core.document.suggestion import Suggestion
from tui.core.language.tokens import Token, tokenize
from tui.core.suggest import spacy_matcher
from tui.core.suggest.edges import longest_first, whole_words
from tui.core.suggest.patterns import Pattern, read_patterns


class PatternFinder:
    def __init__(self, patterns: Sequence[Pattern], labels: LabelSet | None = None,
                 use_spacy: bool | None = None) -> None:
        """``use_spacy``: None (the default), spaCy for the patterns that need it, Gloss's
        matcher for the others; True: spaCy for all; False: Gloss's for all (a pattern
        that needs spaCy is then refused when the file is read)."""
        from tui.core.suggest.token_matcher import TokenMatcher

        self.patterns = list(patterns)
        everything = range(len(self.patterns))
        if use_spacy is None:
            theirs = [i for i in everything if self.patterns[i].spacy_only]
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
        kept = [(start, end, size, place) for place, start, end, size
                in self.matches(text, tokens) if whole_words(text, start, end)]
        out = []
        for start, end, _, place in longest_first(kept):
            found = self.patterns[place]
            canonical = found.id if found.id and found.label in self._canonical else None
            out.append(Suggestion(start, end, found.label, "pattern", 1.0,
                                  attributes=(("canonical", canonical),) if canonical
                                  else ()))
        return out
