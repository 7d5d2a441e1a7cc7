"""``gloss train`` against ``spacy train`` with spaCy's default CPU NER config, on the same
split and seed: the figures bench/train.py prints for issue 18.

spaCy's side is what a user does by hand: the Prodigy records made into a DocBin as
explosion/projects' ner_fashion_brands preprocess does (accepted records, Prodigy's own
tokens), a CoNLL file through ``spacy convert``, ``spacy init config --pipeline ner`` and
``spacy train`` in a child process. Gloss's side: ``gloss import`` of the same files into
a dataset for training and one for scoring, then ``gloss train --eval-db``. Both best
models are scored by spaCy's own scorer on spaCy's held-out DocBin.
"""

from __future__ import annotations

import json
import os
import random
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def fashion_docbin(source: Path, target: Path) -> int:
    import spacy
    from spacy.tokens import Doc, DocBin
    from spacy.util import get_words_and_spaces

    nlp = spacy.blank("en")
    docs = DocBin(attrs=["ENT_IOB", "ENT_TYPE"])
    for line in source.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        if record.get("answer") != "accept":
            continue
        words, spaces = get_words_and_spaces([t["text"] for t in record["tokens"]],
                                             record["text"])
        doc = Doc(nlp.vocab, words=words, spaces=spaces)
        doc.ents = [doc.char_span(s["start"], s["end"], label=s["label"])
                    for s in record.get("spans", [])]
        docs.add(doc)
    docs.to_disk(target)
    return len(docs)


DOCSTART = "-DOCSTART- -X- O O"  # the line spacy convert splits documents at, and Gloss too


def conll_split(source: Path, folder: Path, seed: int, share: float) -> tuple[Path, Path]:
    """The CoNLL file's documents (-DOCSTART-) shuffled with ``seed``; ``share`` held out.
    Each is written after spaCy's own delimiter line: wikigold's ``-DOCSTART- O`` is not
    it, and ``spacy convert`` would make every ten sentences a document and ``-DOCSTART-`` a
    word of it, while ``gloss import`` reads one article a document."""
    text = source.read_text(encoding="utf-8")
    documents = [d.strip("\n") for d in re.split(r"^-DOCSTART-[^\n]*$", text, flags=re.M)
                 if d.strip()]
    random.Random(seed).shuffle(documents)
    held = round(len(documents) * share)
    paths = []
    for name, part in (("train", documents[held:]), ("dev", documents[:held])):
        path = folder / f"{name}.conll"
        path.write_text("".join(f"{DOCSTART}\n\n{d}\n\n" for d in part), encoding="utf-8")
        paths.append(path)
    return paths[0], paths[1]


def run(*command: Any, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([str(c) for c in command], capture_output=True, text=True,
                            **kwargs)
    if result.returncode:
        raise SystemExit(f"{command[0]} failed:\n{result.stdout[-2000:]}{result.stderr[-3000:]}")
    return result


def spacy_train(train: Path, dev: Path, out: Path, seed: int) -> float:
    config = out.parent / "config.cfg"
    run(BIN / "python", "-m", "spacy", "init", "config", config, "--pipeline", "ner",
        "--lang", "en", "--optimize", "efficiency", "--force")
    started = time.perf_counter()
    run(BIN / "python", "-m", "spacy", "train", config, "--output", out, "--paths.train",
        train, "--paths.dev", dev, "--system.seed", seed)
    return time.perf_counter() - started


def gloss_train(train_files: list[Path], dev_files: list[Path], work: Path, seed: int,
                done: bool) -> tuple[Path, float, str]:
    env = {**os.environ, "GLOSS_ANNOTATOR": "bench"}
    for name, files in (("db", train_files), ("eval", dev_files)):
        run(BIN / "gloss", "import", *files, "--db", work / name, env=env)
        if done:  # CoNLL holds no status: the corpus is finished work
            from tui.core.store.dataset import Dataset

            dataset = Dataset(work / name, "bench")
            for doc_id in dataset.ids():
                dataset.set_status(doc_id, "done")
    started = time.perf_counter()
    result = run(BIN / "gloss", "train", "--db", work / "db", "--eval-db", work / "eval",
                 "--seed", seed, "--name", "bench", env=env)
    seconds = time.perf_counter() - started
    latest = (work / "db" / "models" / "bench" / "latest").read_text().strip()
    return work / "db" / "models" / "bench" / latest, seconds, result.stdout


def scores(model: Path, dev: Path) -> dict[str, dict[str, float]]:
    """spaCy's scorer: per label and overall, on the DocBin's documents."""
    import spacy
    from spacy.tokens import DocBin
    from spacy.training import Example

    nlp = spacy.load(model)
    docs = list(DocBin().from_disk(dev).get_docs(nlp.vocab))
    examples = [Example(nlp.make_doc(d.text), d) for d in docs]
    result = nlp.evaluate(examples)
    table = {label: {k: v for k, v in figures.items()}
             for label, figures in (result.get("ents_per_type") or {}).items()}
    table["(all)"] = {"p": result["ents_p"], "r": result["ents_r"], "f": result["ents_f"]}
    return table


def compare(name: str, spacy_scores: dict[str, dict[str, float]],
            gloss_scores: dict[str, dict[str, float]], seconds: tuple[float, float]) -> str:
    lines = [f"{name}: spacy train {seconds[0]:.0f} s, gloss train {seconds[1]:.0f} s",
             f"  {'label':<16} {'spacy P':>8} {'R':>6} {'F1':>6}   {'gloss P':>8} {'R':>6}"
             f" {'F1':>6}   {'ΔF1':>6}"]
    for label in sorted(set(spacy_scores) | set(gloss_scores), key=lambda x: (x == "(all)", x)):
        a = spacy_scores.get(label, {"p": 0, "r": 0, "f": 0})
        b = gloss_scores.get(label, {"p": 0, "r": 0, "f": 0})
        lines.append(f"  {label:<16} {a['p']:8.3f} {a['r']:6.3f} {a['f']:6.3f}   {b['p']:8.3f}"
                     f" {b['r']:6.3f} {b['f']:6.3f}   {b['f'] - a['f']:+6.3f}")
    return "\n".join(lines)


def fashion(train: Path, dev: Path, work: Path, seed: int) -> str:
    work.mkdir(parents=True, exist_ok=True)
    fashion_docbin(train, work / "train.spacy")
    fashion_docbin(dev, work / "dev.spacy")
    spacy_seconds = spacy_train(work / "train.spacy", work / "dev.spacy", work / "spacy", seed)
    model, gloss_seconds, printed = gloss_train([train], [dev], work / "gloss", seed, False)
    report = compare("fashion brands (Prodigy, 1,235 / 500 records)",
                     scores(work / "spacy" / "model-best", work / "dev.spacy"),
                     scores(model, work / "dev.spacy"), (spacy_seconds, gloss_seconds))
    return report + "\n  gloss train printed (its own exact-extent figures):\n    " + \
        printed.strip().replace("\n", "\n    ")


def conll(source: Path, work: Path, seed: int, share: float = 0.2) -> str:
    work.mkdir(parents=True, exist_ok=True)
    train, dev = conll_split(source, work, seed, share)
    for path in (train, dev):
        run(BIN / "python", "-m", "spacy", "convert", path, work, "--converter", "ner")
    spacy_seconds = spacy_train(work / "train.spacy", work / "dev.spacy", work / "spacy", seed)
    model, gloss_seconds, printed = gloss_train([train], [dev], work / "gloss", seed, True)
    report = compare(f"{source.name} (CoNLL, documents split {1 - share:.0%} / {share:.0%})",
                     scores(work / "spacy" / "model-best", work / "dev.spacy"),
                     scores(model, work / "dev.spacy"), (spacy_seconds, gloss_seconds))
    return report + "\n  gloss train printed (its own exact-extent figures):\n    " + \
        printed.strip().replace("\n", "\n    ")
