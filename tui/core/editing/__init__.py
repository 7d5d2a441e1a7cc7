"""Editing: one analyst's session: the articles open in this process
(``article_model``), what each key asks of an article (``editor``, ``linking``), the
units a selection grows through, the save queue that takes every edit to the disk
in order, off the frame (``save_queue``, ``session``), and the open articles' suggestions
with the edits that accept them (``suggestions``, ``accepting``).

May import: tui.core.language, tui.core.document, tui.core.disk, tui.core.attribution,
tui.core.counts, tui.core.store, tui.core.train, tui.core.suggest.
"""
