"""Attribution: who said what, and where: the candidates a link offers (``claims``),
the claims board's rows (``claim_board``) and the index of every claim and canonical name
(``claim_index``).

May import: tui.core.language, tui.core.document, tui.core.disk.
"""
