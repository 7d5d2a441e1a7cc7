"""Store: the dataset. The ``Dataset`` API over its article files, imports all or
nothing (``bulk``, ``corpus``), the index of what every article holds, kept by the
writers (``article_index``, ``index_columns``), what the library, the stats, the
claims board, ``gloss claims`` and ``gloss agree`` read from it (``library_rows``,
``tally``, ``claim_cache``, ``claim_table``, ``claim_pass``, ``agree_digest``),
the sample articles and what an export selects.

May import: tui.core.language, tui.core.document, tui.core.disk, tui.core.attribution,
tui.core.counts.
"""
