"""The tokens of an exported article, shared by the formats that write tokens.

spaCy's own English tokenizer (``spacy.blank("en")``) when the ``spacy`` extra is
installed, else Gloss's port of its rules (``tui.core.language.tokens.tokenize``), which gives the
same tokens on any text but never splits a grapheme cluster. The export names which in its
``meta`` (``gloss-rules-2``: the port; ``gloss-rules`` was an older, news-only rule set).
"""

from __future__ import annotations

import hashlib
import importlib.util
import sys
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from tui import __version__
from tui.core.language import text as text_rules
from tui.core.language import tokens as token_rules
from tui.core.language.text import has_joiners, is_grapheme_boundary
from tui.core.language.tokens import Token, tokenize
from tui.core.language.tokens import make_token as make

Tokenizer = Callable[[str], list[Token]]
RULES = "gloss-rules-2"  # the name of Gloss's own tokenizer in an export's meta


@cache
def expected_name() -> str:
    """The name :func:`tokenizer` will give, known without loading spaCy (a second)."""
    spacy = sys.modules.get("spacy")
    if spacy is not None:
        return f"spacy-{spacy.__version__}"
    if importlib.util.find_spec("spacy") is None:
        return RULES
    from importlib import metadata  # put off: email, zipfile, csv... the reader never asks

    try:
        return f"spacy-{metadata.version('spacy')}"
    except metadata.PackageNotFoundError:
        return "spacy-unknown"  # never what a real spaCy calls itself


@cache
def code_version() -> str:
    """A hash of what makes the tokens besides spaCy: Gloss's token rules (``tokens.py``, and
    ``text.py`` for clusters) and this module.
    Tokens kept from another version of either are not to be used."""
    return _code_hash()


def _code_hash() -> str:
    digest = hashlib.sha256()
    for module in (token_rules, text_rules, sys.modules[__name__]):
        try:
            digest.update(Path(module.__file__ or "").read_bytes())
        except OSError:
            digest.update(__version__.encode())
    return digest.hexdigest()[:12]


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
        return RULES, tokenize, lambda text: records_of(tokenize(text))
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
