"""Counts: the figures of a dataset (progress, labels, spread, saved keys), counted
from each article's rows (the store keeps them in its index: ``store.tally``).

May import: tui.core.language, tui.core.document, tui.core.disk.
"""
