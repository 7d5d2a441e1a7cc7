"""Every example of docs/python.md runs, in order, against a dataset of the seed article as
two analysts labelled it, and prints what the page says it prints."""

from __future__ import annotations

import contextlib
import importlib.util
import io
import re

from tests.app.seed_reference import SEED
from tests.conftest import ROOT, gloss
from tui.core.document.model import Relation
from tui.core.store.dataset import Dataset

DOC = ROOT / "docs" / "python.md"
# a python block, and the text blocks right after it: what it prints
EXAMPLE = re.compile(r"```python\n(.*?)```\n((?:\s*```text\n.*?```\n)*)", re.S)
OUTPUT = re.compile(r"```text\n(.*?)```", re.S)


def docs_dataset(folder) -> None:
    assert gloss("import", SEED, "--db", folder).returncode == 0
    olena, taras = Dataset(folder, "olena"), Dataset(folder, "taras")
    doc_id = olena.ids()[0]
    text = olena.document(doc_id).text

    def label(who: Dataset, words: str, name: str, nth: int = 0):
        start = -1
        for _ in range(nth + 1):
            start = text.index(words, start + 1)
        return who.new_span(doc_id, start, start + len(words), name)

    label(olena, "President Trump", "ACTOR")
    label(olena, "Russian President Vladimir Putin", "ACTOR")
    label(olena, "Ukraine", "LOCATION")
    trump = label(olena, "Trump", "ACTOR", nth=2)  # "Trump shared on Truth Social"
    claim = label(olena, "the war “must end NOW”", "CLAIM")
    olena.save_relation(doc_id, Relation(claim.id, trump.id, "SOURCE", "olena"))
    label(taras, "Zelensky", "ACTOR")
    label(taras, "Kursk region", "LOCATION")
    olena.set_status(doc_id, "done")
    if importlib.util.find_spec("pyarrow") is not None:
        # the page's `gloss claims --format parquet -o claims.parquet`, where the page runs
        done = gloss("claims", "--format", "parquet", "-o", folder.parent / "claims.parquet",
                     "--db", folder)
        assert done.returncode == 0, done.stderr


def test_every_example_of_the_page_runs_and_prints_what_it_says(tmp_path, monkeypatch):
    docs_dataset(tmp_path / "annotations")
    monkeypatch.chdir(tmp_path)
    examples = EXAMPLE.findall(DOC.read_text(encoding="utf-8"))
    assert len(examples) >= 7
    if not all(importlib.util.find_spec(m) for m in ("duckdb", "pyarrow")):
        # the test extra has them, a bare install may not: the DuckDB example is skipped
        examples = [(code, shown) for code, shown in examples if "duckdb" not in code]
    namespace: dict[str, object] = {}
    for code, shown in examples:
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed):
            exec(compile(code, str(DOC), "exec"), namespace)  # the page's own code
        assert printed.getvalue() == "".join(OUTPUT.findall(shown)), code
