#!/usr/bin/env python3
"""Check the two release files: the sdist holds what building and testing need, the wheel
what running needs, and the wheel built from the sdist is the wheel built from the tree.

    python .ci/check_dists.py SDIST WHEEL_FROM_SDIST WHEEL_FROM_TREE

Standard library only. Prints what differs and exits 1; silent and 0 when all holds.
"""

from __future__ import annotations

import hashlib
import sys
import tarfile
import zipfile
from pathlib import Path

SDIST_HOLDS = ["LICENSE", "CHANGELOG.md", "README.md", "pyproject.toml", "MANIFEST.in",
               "Makefile", "constraints.txt", ".ci/run", "tests/conftest.py",
               "tests/release/smoke.py", "docs/architecture.md", "seeds/SOURCES.md",
               "tui/cli.py", "tui/samples/SOURCES.md"]
WHEEL_HOLDS = ["tui/__init__.py", "tui/gloss.tcss", "tui/samples/SOURCES.md",
               "tui/samples/trump-putin-ceasefire-call.txt"]
SAMPLES = 7


def wheel_files(path: Path) -> dict[str, str]:
    """Each file of the wheel and a digest of its bytes (RECORD aside: it lists them)."""
    with zipfile.ZipFile(path) as wheel:
        return {info.filename: hashlib.sha256(wheel.read(info)).hexdigest()
                for info in wheel.infolist()
                if not info.is_dir() and not info.filename.endswith(".dist-info/RECORD")}


def main() -> int:
    sdist, from_sdist, from_tree = map(Path, sys.argv[1:4])
    problems = []
    with tarfile.open(sdist) as archive:
        top = archive.getnames()[0].split("/")[0]
        names = {name.removeprefix(f"{top}/") for name in archive.getnames()}
    problems += [f"the sdist lacks {name}" for name in SDIST_HOLDS if name not in names]
    built, tree = wheel_files(from_sdist), wheel_files(from_tree)
    for name in sorted(built.keys() | tree.keys()):
        if built.get(name) != tree.get(name):
            where = "only in the sdist's" if name not in tree else (
                "only in the tree's" if name not in built else "different in the two")
            problems.append(f"{name}: {where} wheels")
    problems += [f"the wheel lacks {name}" for name in WHEEL_HOLDS if name not in built]
    if not any(name.endswith(".dist-info/licenses/LICENSE") for name in built):
        problems.append("the wheel lacks its LICENSE")
    samples = [n for n in built if n.startswith("tui/samples/") and n.endswith(".txt")]
    if len(samples) != SAMPLES:
        problems.append(f"the wheel holds {len(samples)} samples, not {SAMPLES}")
    if any(n.startswith(("tests/", "bench/", "docs/")) or "__pycache__" in n for n in built):
        problems.append("the wheel holds tests, benches, docs or bytecode")
    for problem in problems:
        print(f"check_dists: {problem}")
    if not problems:
        print(f"check_dists: {sdist.name}: {len(names)} files; {from_sdist.name}: the same"
              f" {len(built)} files as built from the tree")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
