"""Store: the dataset on disk. Reading files someone gave us, crash-safe writes and
locks (``files``, ``storage``), one commit of several files across any crash
(``commit``), an article file's tables, the ``Dataset`` API, imports all or nothing
(``bulk``, ``corpus``), caches, exports' selection and outputs that never clobber.

May import: tui.core.language, tui.core.document.
"""
