"""How Gloss was installed, so that a hint to add an extra names a command that works."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path


def extra_command(extra: str) -> str:
    """The command that adds ``extra`` (e.g. ``spacy``) to this installation of Gloss."""
    prefix = Path(sys.prefix).as_posix()
    if "/pipx/venvs/" in prefix:
        return f"pipx install --force 'gloss[{extra}]'"
    if "/uv/tools/" in prefix:
        return f"uv tool install --force 'gloss[{extra}]'"
    source = _editable_source()
    target = f"{source}[{extra}]" if source else f"gloss[{extra}]"
    editable = "-e " if source else ""
    return f"{shlex.quote(sys.executable)} -m pip install {editable}{shlex.quote(target)}"


def _editable_source() -> str | None:
    """The source folder when Gloss runs from a checkout (``pip install -e .``), else None."""
    root = Path(__file__).resolve().parents[2]
    if (root / "pyproject.toml").is_file() and "site-packages" not in root.parts:
        return root.as_posix()
    return None
