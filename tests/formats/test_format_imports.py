"""A format module imports no other format, nor the registry (``tui/interchange.py``, which
imports them all): each is imported alone in a fresh interpreter, and the format modules
it brought in are listed. The package ``tui.formats`` itself imports nothing, so an
import of one format runs no other.
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
import importlib, json, sys
import tui.formats
found = {"": sorted(m for m in sys.modules if m.startswith("tui.formats."))}
for name in sys.argv[1:]:
    for loaded in [m for m in sys.modules if m.startswith("tui.formats.")]:
        del sys.modules[loaded]
        delattr(tui.formats, loaded.rpartition(".")[2])
    sys.modules.pop("tui.interchange", None)
    importlib.import_module("tui.formats." + name)
    found[name] = sorted(m.rpartition(".")[2] for m in sys.modules
                         if m.startswith("tui.formats.") and m != "tui.formats." + name)
    if "tui.interchange" in sys.modules:
        found[name].append("the registry")
print(json.dumps(found))
"""


def test_no_format_module_imports_another_format_or_the_registry():
    done = subprocess.run([sys.executable, "-c", CHILD, *MODULES],
                          capture_output=True, text=True, check=True)
    found = json.loads(done.stdout)
    assert found.pop("") == []  # the package alone: no format
    assert set(found) == set(MODULES)
    assert "prodigy" in FORMATS and "in_two" in MODULES  # the listing found the modules
    reaching = {name: [m for m in imported if m in {*FORMATS, "the registry"}]
                for name, imported in found.items()}
    assert reaching == {name: [] for name in MODULES}
    assert found["prodigy"] == ["tokens_in_two"]  # the helper does come in
