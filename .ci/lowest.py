#!/usr/bin/env python3
"""Print pip constraints for the lowest-versions job: every runtime dependency at the lower
bound pyproject.toml gives it, the test tools at the versions of constraints.txt; what they
bring is left to pip (the newest that fits, as uv's --resolution lowest-direct does).

    python .ci/lowest.py > lowest.txt && pip install -c lowest.txt -e .
    python .ci/lowest.py --tools    # the test tools, one a line, to install one by one

Read from pyproject.toml, so a bound changed there is the bound tested: no second list.
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def name_of(requirement: str) -> str:
    match = re.match(r"[A-Za-z0-9._-]+", requirement)
    if match is None:
        sys.exit(f"lowest.py: cannot read the requirement {requirement!r}")
    return match.group(0)


def main() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    if sys.argv[1:] == ["--tools"]:
        print("\n".join(name_of(r) for r in project["optional-dependencies"]["test"]))
        return
    for requirement in project["dependencies"]:
        lower = re.search(r">=\s*([^,;\s]+)", requirement)
        if lower is None:
            sys.exit(f"lowest.py: {requirement!r} has no lower bound (>=) to test")
        print(f"{name_of(requirement)}=={lower.group(1)}")
    tools = {name_of(r).lower() for r in project["optional-dependencies"]["test"]}
    for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines():
        if line.split("==")[0].strip().lower() in tools:
            print(line.strip())


if __name__ == "__main__":
    main()
