"""Gloss's CoNLL export read by well-kept CoNLL readers, in a venv of their own: the
`conllu` package parses it (token and tag columns) and `seqeval` scores it against itself
in strict IOB2 mode, which counts only entities whose tags follow the scheme: F1 1.0, and
every entity Gloss wrote is counted, label by label.

The seed article with its claims, a claim after emoji, the 373 real Prodigy headlines
behind emoji, and the real CoNLL files of doccano and spaCy (shared data).
"""

from __future__ import annotations

import json
import subprocess
from collections import Counter
from pathlib import Path

import pytest

from tests.clients import clients, corpus
from tests.conftest import SHARED_DATA, gloss
from tui.core.store.dataset import Dataset

pytestmark = pytest.mark.clients
NEEDS = ("conll",)

PROBE = Path(__file__).parent / "probes" / "conll_read.py"


def test_seqeval_and_conllu_count_every_entity_gloss_wrote(tmp_path):
    python = clients.conll()
    db = tmp_path / "db"
    corpus.seed_with_claims(db)
    corpus.emoji_claim(db)
    corpus.headlines_with_emoji(db, tmp_path)
    for name in ("doccano_example.conll", "spacy_token_per_line.iob"):
        if (SHARED_DATA / "conll" / name).exists():
            done = gloss("import", SHARED_DATA / "conll" / name, "--db", db)
            assert done.returncode == 0, done.stderr
    done = gloss("export", "--format", "conll", "-o", tmp_path / "export.conll", "--db", db)
    assert done.returncode == 0, done.stderr
    left_out = sum(int(line.split()[1]) for line in done.stderr.splitlines()
                   if "left out of CoNLL" in line)  # overlapping, or off token edges
    read = subprocess.run([str(python), str(PROBE), str(tmp_path / "export.conll")],
                          capture_output=True, text=True, timeout=300)
    assert read.returncode == 0, read.stderr[-3000:]
    found = json.loads(read.stdout.splitlines()[-1])
    assert found["f1"] == 1.0
    written = [a for a in Dataset(db, "x").articles()
               if set(a.status.values()) != {"skipped"}]  # CoNLL cannot say skipped
    assert found["documents"] == len(written) == int(done.stderr.split()[-2])
    spans = [s for a in written for s in a.spans if a.status.get(s.annotator) != "skipped"]
    assert sum(found["entities"].values()) == len(spans) - left_out
    # label by label, as Gloss reads its own file back
    done = gloss("import", "--format", "conll", tmp_path / "export.conll", "--db",
                 tmp_path / "back")
    assert done.returncode == 0, done.stderr
    back = Counter(s.label for a in Dataset(tmp_path / "back", "x").articles()
                   for s in a.spans)
    assert found["entities"] == dict(back)
