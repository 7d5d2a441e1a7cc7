"""The tokens of an exported article, shared by the formats that write tokens.

spaCy's own English tokenizer (``spacy.blank("en")``) when the ``spacy`` extra is
installed, else Gloss's port of its rules (``tui.core.tokens.tokenize``), which gives the
same tokens on any text but never splits a grapheme cluster. The export names which in its
``meta`` (``gloss-rules-2``: the port; ``gloss-rules`` was an older, news-only rule set).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

from tui.core.text import has_joiners, is_grapheme_boundary
from tui.core.tokens import Token, tokenize
from tui.core.tokens import _token as make

Tokenizer = Callable[[str], list[Token]]


def tokenizer() -> tuple[str, Tokenizer]:
    """spaCy's own English tokenizer when the ``spacy`` extra is installed, else ours."""
    name, tokens, _ = _tokenizers()
    return name, tokens


def token_records(text: str) -> list[dict[str, Any]]:
    """The ``tokens`` of an exported line."""
    return _tokenizers()[2](text)


@cache
def _tokenizers() -> tuple[str, Tokenizer, Callable[[str], list[dict[str, Any]]]]:
    def records_of(tokens: list[Token]) -> list[dict[str, Any]]:
        return [{"text": t.text, "start": t.start, "end": t.end, "id": i, "ws": t.ws}
                for i, t in enumerate(tokens)]

    try:
        import spacy
    except ImportError:
        return "gloss-rules-2", tokenize, lambda text: records_of(tokenize(text))
    from spacy.attrs import IDX, LENGTH, SPACY

    nlp = spacy.blank("en")

    def rows(text: str) -> list[list[int]]:
        # Offsets read in bulk (Doc.to_array) rather than through a Python object a token.
        return nlp.tokenizer(text).to_array([IDX, LENGTH, SPACY]).tolist()

    def spacy_tokens(text: str) -> list[Token]:
        tokens = [make(text[i:i + n], i, i + n, bool(ws)) for i, n, ws in rows(text)]
        if not has_joiners(text):
            return tokens
        merged: list[Token] = []
        for token in tokens:
            if merged and not merged[-1].ws and not is_grapheme_boundary(text, token.start):
                # spaCy splits some clusters (a ZWJ family, a flag): a token edge inside a
                # character can hold no span edge, so the pieces become one token again
                last = merged.pop()
                token = make(last.text + token.text, last.start, token.end, token.ws)
            merged.append(token)
        return merged

    def spacy_records(text: str) -> list[dict[str, Any]]:
        if has_joiners(text):
            return records_of(spacy_tokens(text))
        # the common case, straight from the offsets: half the time of building tokens first
        return [{"text": text[i:i + n], "start": i, "end": i + n, "id": k, "ws": bool(ws)}
                for k, (i, n, ws) in enumerate(rows(text))]

    return f"spacy-{spacy.__version__}", spacy_tokens, spacy_records
