"""Fixtures shared by the format tests."""

import sys

import pytest

from tui.core.language import export_tokens


@pytest.fixture(scope="module")
def monkeypatch_rules():
    """The tokenizers as they are without spaCy."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(sys.modules, "spacy", None)  # import spacy raises ImportError
        return export_tokens._tokenizers.__wrapped__()
