"""Suggestions: spans the dataset, pattern files, reporting cues and a trained model propose
before an analyst labels them.

This room owns the finders (names the dataset has seen, pattern files, claims on
reporting cues, a model) and their one entry point (``finders.py``); what a suggestion is
and what an analyst rejected are data of ``tui.core.document``.

May import: tui.core.language, tui.core.document, tui.core.disk,
tui.core.attribution, tui.core.counts, tui.core.store, tui.core.train.
"""
