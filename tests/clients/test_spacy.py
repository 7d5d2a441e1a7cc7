"""Gloss's DocBin and JSONL exports read by spaCy (3.8.18), in a venv of its own beside
Gloss's dependencies: the export runs there with spaCy's tokenizer, as it does for a user
with the `spacy` extra.

The seed article with its claims, a claim after emoji and the 373 real Prodigy headlines
behind emoji (shared data): every span is a spaCy span at its token indices and by its
characters, and the DocBin trains a small NER and span categorizer on the CPU.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.clients import clients, corpus
from tests.clients.venvs import ROOT

pytestmark = pytest.mark.clients
NEEDS = ("spacy",)

PROBES = Path(__file__).parent / "probes"


@pytest.fixture(scope="module")
def python() -> Path:
    return clients.spacy()


def run(python: Path, *args: Any, cwd: Path | None = None, **env: str
        ) -> subprocess.CompletedProcess[str]:
    """``python args`` with Gloss's code on its path, offline."""
    done = subprocess.run([str(python), *map(str, args)], capture_output=True, text=True,
                          cwd=cwd, timeout=900, env={**os.environ, "PYTHONPATH": str(ROOT),
                                                     "HF_DATASETS_OFFLINE": "1",
                                                     "HF_HUB_OFFLINE": "1", **env})
    assert done.returncode == 0, done.stderr[-3000:]
    return done


def printed(done: subprocess.CompletedProcess[str]) -> Any:
    """The JSON a probe printed last."""
    return json.loads(done.stdout.splitlines()[-1])


@pytest.fixture(scope="module")
def exported(python: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    tmp = tmp_path_factory.mktemp("spacy")
    db = tmp / "db"
    corpus.seed_with_claims(db)
    corpus.emoji_claim(db)
    headlines = corpus.headlines_with_emoji(db, tmp)
    said = run(python, "-m", "tui", "export", "--format", "spacy", "-o", tmp / "train.spacy",
               "--db", db).stderr
    run(python, "-m", "tui", "export", "-o", tmp / "export.jsonl", "--db", db)
    lines = [json.loads(line) for line in (tmp / "export.jsonl").read_text().splitlines()]
    return {"tmp": tmp, "db": db, "headlines": headlines, "said": said, "lines": lines}


def test_spacy_reads_every_span_of_the_docbin_and_the_jsonl(python, exported):
    tmp, lines = exported["tmp"], exported["lines"]
    found = printed(run(python, PROBES / "spacy_read.py", tmp / "train.spacy",
                        tmp / "export.jsonl"))
    assert {line["meta"]["tokenizer"] for line in lines} == {"spacy-3.8.18"}
    spans = sum(len(line["spans"]) for line in lines)
    articles = len({line["text"] for line in lines if line.get("answer") == "accept"})
    assert (found["lines"], found["spans"]) == (len(lines), spans)
    assert found["texts"] == found["lines"]  # the tokens and their spaces are the text
    assert found["by_tokens"] == found["by_chars"] == found["spans"], found["wrong"]
    # the DocBin: one Doc an article accepted, every span in its group, the rest as ents
    assert found["docs"] == articles
    assert found["ents_on_their_text"]
    assert found["ent_labels"] == sorted({s["label"] for line in lines
                                          for s in line["spans"]})
    left = [w for w in exported["said"].splitlines() if "doc.spans['gloss'] only" in w]
    overlapping = int(left[0].split()[1]) if left else 0
    assert found["ents"] == found["group"] - overlapping


def test_spacy_trains_a_ner_and_a_span_categorizer_on_the_docbin(python, exported):
    tmp = exported["tmp"]
    run(python, "-m", "spacy", "init", "config", tmp / "config.cfg", "--lang", "en",
        "--pipeline", "ner,spancat", "--force")
    config = (tmp / "config.cfg").read_text()  # spancat learns Gloss's own span group
    (tmp / "config.cfg").write_text(config.replace('spans_key = "sc"', 'spans_key = "gloss"')
                                    .replace("spans_sc_", "spans_gloss_"))
    log = run(python, "-m", "spacy", "train", tmp / "config.cfg", "--output", tmp / "model",
              "--paths.train", tmp / "train.spacy", "--paths.dev", tmp / "train.spacy",
              "--training.max_steps", "20", "--training.eval_frequency", "10")
    assert "Saved pipeline to output directory" in log.stdout + log.stderr
    labels = printed(run(python, "-c", "import json, spacy; nlp = spacy.load("
                         f"{str(tmp / 'model' / 'model-last')!r}); print(json.dumps("
                         "[list(nlp.get_pipe(n).labels) for n in ('ner', 'spancat')]))"))
    expected = sorted({s["label"] for line in exported["lines"] for s in line["spans"]})
    assert [sorted(found) for found in labels] == [expected, expected]
