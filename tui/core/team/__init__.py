"""Team: several analysts' work on one dataset: how far they agree, the review of two
versions into one, and merging datasets and article files.

May import: tui.core.language, tui.core.document, tui.core.disk, tui.core.attribution,
tui.core.counts, tui.core.store, tui.core.editing.
"""
