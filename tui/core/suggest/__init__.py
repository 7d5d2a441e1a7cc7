"""Suggestions: spans the dataset, pattern files, reporting cues and a trained model propose
before an analyst labels them.

This room owns what is suggested and why (``suggestion.py``), the finders (names the
dataset has seen, pattern files, claims on reporting cues, a model) and what an analyst
has rejected. It imports only from the rest of ``tui.core`` and never Textual or Rich.
"""
