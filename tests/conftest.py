from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import Phase, settings

from tui.core.document.model import Document
from tui.core.store.dataset import Dataset

# No timed assertions: hypothesis's per-example deadline would be one, on a loaded CI machine.
# Nor the explain phase: it traces every line of a failing example again (a failure in CI
# took over half an hour to report).
settings.register_profile("gloss", deadline=None,
                          phases=[phase for phase in Phase if phase is not Phase.explain])
settings.load_profile("gloss")

# The tests' own config folder: a keymap the developer keeps (~/.config/gloss/keymap.toml)
# must change no key a test presses. Children (e2e, `gloss` processes) inherit it.
os.environ.pop("GLOSS_KEYMAP", None)
os.environ["XDG_CONFIG_HOME"] = str(Path(__file__).resolve().parent / "fixtures" / "config")

ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = ROOT.parent / "shared" / "data"
FIXTURES = Path(__file__).parent / "fixtures"

ARTICLE = (
    "Putin and Trump speak about a cease-fire in Ukraine.\n"
    "Kyiv says the talks in Riyadh must include Zelensky.\n"
)


@pytest.fixture
def dataset(tmp_path: Path) -> Dataset:
    return Dataset(tmp_path / "annotations", "alice")


@pytest.fixture
def article(dataset: Dataset) -> Document:
    document = Document.from_text(ARTICLE, {"source": "test"})
    dataset.add_article(document)
    return document


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """GLOSS_NO_SNAPSHOTS=1 (the lowest-versions job): an SVG snapshot is what the exact
    Textual of constraints.txt draws, so another version differs without being wrong."""
    if not os.environ.get("GLOSS_NO_SNAPSHOTS"):
        return
    skip = pytest.mark.skip(reason="snapshots are drawn with the versions of constraints.txt")
    for item in items:
        if "snap_compare" in getattr(item, "fixturenames", ()):
            item.add_marker(skip)


def shared(*parts: str) -> Path:
    path = SHARED_DATA.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is not here (the shared data ships only with the project's"
                    " workspace)")
    return path


def gloss(*args: str | Path, cwd: Path | None = None, env: dict[str, str] | None = None,
          input: bytes | None = None, preexec_fn=None) -> subprocess.CompletedProcess[str]:
    """Run the real `gloss` command in a child process."""
    full_env = {**os.environ, "GLOSS_ANNOTATOR": "alice", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "tui", *map(str, args)], cwd=cwd, env=full_env,
        capture_output=True, text=True, input=input, preexec_fn=preexec_fn, timeout=120,
    )
