"""How Gloss was installed, so that a hint to add an extra names a command that works."""

from __future__ import annotations

import functools
import importlib.metadata
import shlex
import sys
from pathlib import Path

FALLBACK_DISTRIBUTION = "gloss"  # the name in pyproject.toml, when no metadata says it


@functools.cache
def distribution() -> str:
    """The name Gloss is installed under (pyproject.toml's ``name``), read from the
    installed metadata so that a hint never names a package that is not this one."""
    names = importlib.metadata.packages_distributions().get("tui") or []
    return names[0] if names else FALLBACK_DISTRIBUTION


def extra_command(extra: str) -> str:
    """The command that adds ``extra`` (e.g. ``spacy``) to this installation of Gloss."""
    name = distribution()
    prefix = Path(sys.prefix).as_posix()
    if "/pipx/venvs/" in prefix:
        return f"pipx install --force '{name}[{extra}]'"
    if "/uv/tools/" in prefix:
        return f"uv tool install --force '{name}[{extra}]'"
    source = _editable_source()
    target = f"{source}[{extra}]" if source else f"{name}[{extra}]"
    editable = "-e " if source else ""
    return f"{shlex.quote(sys.executable)} -m pip install {editable}{shlex.quote(target)}"


def _editable_source() -> str | None:
    """The source folder when Gloss runs from a checkout (``pip install -e .``), else None."""
    root = Path(__file__).resolve().parents[2]
    if (root / "pyproject.toml").is_file() and "site-packages" not in root.parts:
        return root.as_posix()
    return None
