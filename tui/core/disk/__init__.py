"""Disk: files on disk. Reading files someone gave us, crash-safe writes and locks
(``files``, ``storage``), one commit of several files across any crash (``commit``,
``failpoints``), an article file's tables and the rules of a write (``article_file``,
``tables``), the tokens kept beside the dataset, outputs that never clobber, how
Gloss was installed, a second process forked beside this one (``second_process``) and
output made on both in turns (``in_turns``), the cycle collector paused over a long pass
(``collector``).

May import: tui.core.language, tui.core.document.
"""
