"""A format module imports no other format, nor the registry (``tui/formats/__init__.py``,
which imports them all): each is imported alone in a fresh interpreter in which the
registry is an empty package, and the format modules it brought in are listed.

Without that stand-in an import of any ``tui.formats.X`` runs the registry first (Python
imports a package before its modules), so every format would come in whatever ``X``
imports; a name taken from the registry (``from tui.formats import FORMATS``) fails
against the stand-in, as it would in the circle it makes.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import tui.formats

FOLDER = Path(tui.formats.__file__).parent
HELPERS = {"in_two", "tokens_in_two", "folder"}  # what formats share: not formats
MODULES = sorted(p.stem for p in FOLDER.glob("*.py") if p.stem != "__init__")
FORMATS = sorted(set(MODULES) - HELPERS)

CHILD = """
import importlib, json, sys, types
registry = types.ModuleType("tui.formats")
registry.__path__ = [sys.argv[1]]  # a package with its modules, and nothing of its own
import tui
sys.modules["tui.formats"] = tui.formats = registry
found = {}
for name in sys.argv[2:]:
    for loaded in [m for m in sys.modules if m.startswith("tui.formats.")]:
        del sys.modules[loaded]
    for loaded in [a for a in vars(registry) if not a.startswith("__")]:
        delattr(registry, loaded)
    try:
        importlib.import_module("tui.formats." + name)
    except ImportError as exc:
        found[name] = "ImportError: " + str(exc)
        continue
    found[name] = sorted(m.rpartition(".")[2] for m in sys.modules
                         if m.startswith("tui.formats.") and m != "tui.formats." + name)
print(json.dumps(found))
"""


def test_no_format_module_imports_another_format_or_the_registry():
    done = subprocess.run([sys.executable, "-c", CHILD, str(FOLDER), *MODULES],
                          capture_output=True, text=True, check=True)
    found = json.loads(done.stdout)
    assert set(found) == set(MODULES)
    assert "prodigy" in FORMATS and "in_two" in MODULES  # the listing found the modules
    reaching = {name: [m for m in imported if m in FORMATS] if isinstance(imported, list)
                else imported for name, imported in found.items()}
    assert reaching == {name: [] for name in MODULES}
    assert found["prodigy"] == ["in_two", "tokens_in_two"]  # the helpers do come in
