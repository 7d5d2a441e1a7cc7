"""How Gloss was installed, so that a hint to add an extra names a command that works."""

from __future__ import annotations

import importlib.metadata
import re
import shlex
import sys
from pathlib import Path

from tui import DISTRIBUTION


def distribution() -> str:
    """The name Gloss is installed under on the package index (pyproject.toml's ``name``)."""
    return DISTRIBUTION


def extra_command(extra: str) -> str:
    """The command that adds ``extra`` (e.g. ``spacy``) to this installation of Gloss."""
    prefix = Path(sys.prefix).as_posix()
    if "/pipx/venvs/" in prefix:
        # inject adds to the app's own venv whatever Gloss was installed from (the index,
        # a wheel, a clone); reinstalling by name would fetch Gloss again
        wanted = " ".join(shlex.quote(r) for r in extra_requirements(extra))
        return f"pipx inject {DISTRIBUTION} {wanted}"
    if "/uv/tools/" in prefix:
        return f"uv tool install --force '{DISTRIBUTION}[{extra}]'"
    source = _editable_source()
    target = f"{source}[{extra}]" if source else f"{DISTRIBUTION}[{extra}]"
    editable = "-e " if source else ""
    return f"{shlex.quote(sys.executable)} -m pip install {editable}{shlex.quote(target)}"


def extra_requirements(extra: str) -> list[str]:
    """What the installed metadata says ``extra`` brings (``pyarrow<27,>=16.1``), the
    ``; extra == ...`` marker dropped; the extra's bare name when the metadata is not
    there."""
    marker = re.compile(r"""\s*;\s*extra\s*==\s*["']""" + re.escape(extra) + r"""["']\s*$""")
    try:
        found = importlib.metadata.requires(DISTRIBUTION) or []
    except importlib.metadata.PackageNotFoundError:
        found = []
    wanted = [marker.sub("", line) for line in found if marker.search(line)]
    return wanted or [extra]


def _editable_source() -> str | None:
    """The source folder when Gloss runs from a checkout (``pip install -e .``), else None."""
    root = Path(__file__).resolve().parents[3]  # tui/core/disk/install.py: the checkout
    if (root / "pyproject.toml").is_file() and "site-packages" not in root.parts:
        return root.as_posix()
    return None
