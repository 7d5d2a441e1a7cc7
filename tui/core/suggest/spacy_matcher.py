"""Pattern files run by spaCy itself (the ``spacy`` extra): its ``PhraseMatcher`` for
phrases (on ``ORTH``) and for token patterns of one text (or lower-case text) a token (on
that attribute: the same matches, looked up rather than tried at every token), and its
``Matcher`` for the token patterns handed to it, as the ``EntityRuler`` runs them.

The tokens are those of spaCy's English tokenizer, made by ``tokens.tokenize`` (the same
tokens, but never splitting a character, and a 1 MB article in 0.3 s where
``spacy.blank("en")`` takes 1.5 s) and handed to spaCy as a ``Doc``, which computes every
attribute of them. The ``Matcher`` runs over windows of ``2 * MAX_TOKENS`` tokens, a window
every ``MAX_TOKENS``: every match of at most ``MAX_TOKENS`` tokens is found whole in one of
them, and a pattern such as ``[{"OP": "*"}, {"LOWER": "a"}]``, whose matches grow with the
square of the text (4,000 tokens: 4 million matches, 20 s), cannot make Gloss wait.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Iterable, Sequence
from functools import cache
from typing import Any

from tui.core.language.text import normalise
from tui.core.language.tokens import Token, tokenize
from tui.core.suggest.patterns import MAX_TOKENS, Pattern
from tui.core.suggest.token_matcher import MATCHES_A_TOKEN, MAX_MATCHES

# (pattern, first character, character after the last, tokens)
CharMatch = tuple[int, int, int, int]


def available() -> bool:
    """Is spaCy installed? Asked without importing it (that takes two seconds)."""
    return importlib.util.find_spec("spacy") is not None


class SpacyMatcher:
    """``patterns``: every pattern of the file, by place; ``places``: those to run (all
    when None)."""

    def __init__(self, patterns: Sequence[Pattern], places: Iterable[int] | None = None
                 ) -> None:
        from spacy.matcher import Matcher, PhraseMatcher
        from spacy.tokens import Doc

        self.nlp = _blank()
        self.stopped = False
        self.matcher = Matcher(self.nlp.vocab, validate=True)
        self.phrases = PhraseMatcher(self.nlp.vocab, attr="ORTH")
        self.lowered = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        self.index: dict[int, int] = {}  # spaCy's match id: the pattern's place
        wanted = range(len(patterns)) if places is None else places
        for place in wanted:
            found = patterns[place]
            key = f"gloss-{place}"
            self.index[self.nlp.vocab.strings.add(key)] = place
            plain = found.plain if found.phrase is None else None
            if found.phrase is not None:
                self.phrases.add(key, [self.nlp.make_doc(found.phrase)])
            elif plain is not None:  # the same matches; spaCy's Matcher tries every
                # pattern at every token, its PhraseMatcher looks them up
                words = Doc(self.nlp.vocab, words=list(found.words))
                (self.lowered if plain == "LOWER" else self.phrases).add(key, [words])
            else:
                self.matcher.add(key, [spacy_pattern(found)])

    def matches(self, text: str, tokens: Sequence[Token] | None = None,
                most: int = MAX_MATCHES) -> list[CharMatch]:
        """The matches in ``text``; no more than ``most`` of the ``Matcher``'s, window by
        window (``stopped`` then says so)."""
        from spacy.tokens import Doc

        tokens = tokenize(text) if tokens is None else tokens
        doc = Doc(self.nlp.vocab, words=[t.text for t in tokens],
                  spaces=[t.ws for t in tokens])
        # an empty matcher still costs a second on a 1 MB article: only those with patterns
        found = {(self.index[key], start, end) for matcher in (self.phrases, self.lowered)
                 if len(matcher) for key, start, end in matcher(doc)}
        self.stopped = False
        most += MATCHES_A_TOKEN * len(tokens)
        if len(self.matcher):
            for first in range(0, max(1, len(doc) - MAX_TOKENS), MAX_TOKENS):
                if len(found) >= most:
                    self.stopped = True
                    break
                window = doc[first:first + 2 * MAX_TOKENS]
                found.update((self.index[key], first + start, first + end)
                             for key, start, end in self.matcher(window)
                             if end - start <= MAX_TOKENS
                             and (start < MAX_TOKENS or first + 2 * MAX_TOKENS >= len(doc)))
        return [(place, tokens[start].start, tokens[end - 1].end, end - start)
                for place, start, end in sorted(found, key=lambda m: (m[1], m[2], m[0]))
                if not any("\n" in t.text for t in tokens[start:end])]  # one line


@cache
def _blank() -> Any:
    """One blank English pipeline a process: making one takes a third of a second."""
    import spacy

    return spacy.blank("en")


def spacy_pattern(found: Pattern) -> list[dict[str, Any]]:
    """The token pattern as spaCy's ``Matcher`` takes it: its texts normalised as
    articles are."""
    return [{key.upper(): _normalised(value) for key, value in raw.items()}
            for raw in found.raw]


def _normalised(value: Any) -> Any:
    if isinstance(value, str):
        return normalise(value)
    if isinstance(value, dict):
        return {key: _normalised(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_normalised(item) for item in value]
    return value
