"""Attribution: who said what, and where: the candidates a link offers (``claims``),
the claims board's rows, and the index and cache that keep them between sessions.

May import: tui.core.language, tui.core.document, tui.core.store.
"""
