"""CLAIM learnt from people, not rules: ``gloss train`` on the hand-annotated attributions
(tests/fixtures/attributions: claims and the actors who are their sources, 33 development
articles to learn from, 28 held out), scored on the held-out articles, and the keys a claim
takes there with the model's suggestions and without (bench/train_curve.py's costs).

Only the actors that are sources are labelled in that set: the ACTOR figures here are not
an actor finder's; CLAIM's are the point."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "tests" / "fixtures" / "attributions"
BIN = Path(sys.executable).parent


def main(seed: int = 0) -> None:
    from train_curve import keys_with, typed_costs

    from tui.core.store.dataset import Dataset
    from tui.core.suggest.model_finder import ModelFinder

    if not (GOLD / "dev.jsonl").is_file():
        print(f"claims: skipped, no {GOLD}/dev.jsonl")
        return
    env = {**os.environ, "GLOSS_ANNOTATOR": "gold"}
    print(f"claims: the attributions gold set; load {os.getloadavg()[0]:.1f}", flush=True)
    with tempfile.TemporaryDirectory(prefix="gloss-claims-") as work:
        dev, held = Path(work) / "dev", Path(work) / "held"
        for name, folder in (("dev", dev), ("heldout", held)):
            subprocess.run([BIN / "gloss", "import", GOLD / f"{name}.jsonl", "--db", folder],
                           env=env, check=True, capture_output=True)
        began = time.perf_counter()
        result = subprocess.run([BIN / "gloss", "train", "--db", dev, "--eval-db", held,
                                 "--seed", str(seed)], env=env, capture_output=True,
                                text=True)
        if result.returncode:
            print(f"  gloss train failed: {result.stderr[-800:]}")
            return
        print(f"  gloss train, {time.perf_counter() - began:.0f} s:\n    "
              + result.stdout.strip().replace("\n", "\n    "), flush=True)
        dataset = Dataset.existing(held, "gold")
        parts = [(dataset.document(i), dataset.spans(i, "gold"), []) for i in dataset.ids()]
        typed = typed_costs(parts)
        finder = ModelFinder.load(dev)
        for name, suggest in (("without a model", lambda text: []),
                              ("with the model", finder.find)):
            keys: Counter[str] = Counter()
            count: Counter[str] = Counter()
            for doc, spans, _ in parts:
                k, c = keys_with(doc, spans, suggest(doc.text), typed)
                keys.update(k)
                count.update(c)
            print(f"  keys a claim on the {len(parts)} held-out articles, {name}:"
                  f" {keys['CLAIM'] / max(count['CLAIM'], 1):.2f}"
                  f" ({count['CLAIM']} claims)", flush=True)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "bench"))
    main()
