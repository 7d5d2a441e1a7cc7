"""The ``gloss`` command's first lines: the reader's first paint (``first_paint.py``) when
the command opens a stored article, before anything heavier is imported; then the command."""

from __future__ import annotations

import sys

from tui.first_paint import paint


def main() -> None:
    paint(sys.argv[1:])
    from tui.cli import entry

    entry()
