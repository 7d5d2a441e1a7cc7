"""Pattern files run by spaCy itself (the ``spacy`` extra): its ``Matcher`` and
``PhraseMatcher`` (on ``ORTH``), as the ``EntityRuler`` runs them, over the tokens of
spaCy's English tokenizer. Those tokens are made by ``tokens.tokenize`` (the same tokens,
but never splitting a character, and a 1 MB article in 0.3 s where ``spacy.blank("en")``
takes 1.5 s) and handed to spaCy as a ``Doc``; spaCy computes every attribute of them.

A token pattern of one text (or lower-case text) a token goes to a ``PhraseMatcher`` on that
attribute, which finds the same matches as the ``Matcher`` without trying every pattern at
every token (a thousand country names on a 1 MB article: half a minute). Two things differ
from handing spaCy the file as it is, both so that the pattern file
cannot make a match longer than ``MAX_TOKENS`` tokens (nor Gloss wait on one): an
unbounded repeat (``*``, ``+``, ``{n,}``) is given to spaCy as ``{n,MAX_TOKENS}``, which
finds the same matches up to that length; and texts are normalised as articles are.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from tui.core.suggest.patterns import MAX_TOKENS, Pattern, TokenSpec
from tui.core.text import normalise
from tui.core.tokens import Token, tokenize

# (pattern, first character, character after the last, tokens)
CharMatch = tuple[int, int, int, int]


def available() -> bool:
    try:
        import spacy  # noqa: F401
    except ImportError:
        return False
    return True


class SpacyMatcher:
    def __init__(self, patterns: Sequence[Pattern]) -> None:
        import spacy
        from spacy.matcher import Matcher, PhraseMatcher
        from spacy.tokens import Doc

        self.nlp = spacy.blank("en")
        self.matcher = Matcher(self.nlp.vocab, validate=True)
        self.phrases = PhraseMatcher(self.nlp.vocab, attr="ORTH")
        self.lowered = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        self.index: dict[int, int] = {}  # spaCy's match id: the pattern's place
        for place, found in enumerate(patterns):
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

    def matches(self, text: str, tokens: Sequence[Token] | None = None) -> list[CharMatch]:
        from spacy.tokens import Doc

        tokens = tokenize(text) if tokens is None else tokens
        doc = Doc(self.nlp.vocab, words=[t.text for t in tokens],
                  spaces=[t.ws for t in tokens])
        # an empty matcher still costs a second on a 1 MB article: only those with patterns
        matchers = [m for m in (self.matcher, self.phrases, self.lowered) if len(m)]
        found = {(self.index[key], start, end)
                 for matcher in matchers for key, start, end in matcher(doc)}
        return [(place, tokens[start].start, tokens[end - 1].end, end - start)
                for place, start, end in sorted(found, key=lambda m: (m[1], m[2], m[0]))]


def spacy_pattern(found: Pattern) -> list[dict[str, Any]]:
    """The token pattern as spaCy's ``Matcher`` takes it (see the module)."""
    return [_spec(raw, spec) for raw, spec in zip(found.raw, found.tokens, strict=True)]


def _spec(raw: dict[str, Any], spec: TokenSpec) -> dict[str, Any]:
    out = {key.upper(): _normalised(value) for key, value in raw.items()
           if key.upper() != "OP"}
    if spec.negated:
        out["OP"] = "!"
    elif spec.high is None:
        out["OP"] = f"{{{spec.low},{MAX_TOKENS}}}"
    elif (spec.low, spec.high) != (1, 1):
        out["OP"] = f"{{{spec.low},{spec.high}}}"
    return out


def _normalised(value: Any) -> Any:
    if isinstance(value, str):
        return normalise(value)
    if isinstance(value, dict):
        return {key: _normalised(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_normalised(item) for item in value]
    return value
