"""Counts: the figures of a dataset (progress, labels, spread, saved keys) and the
tally that keeps each article's counts between sessions.

May import: tui.core.language, tui.core.document, tui.core.store.
"""
