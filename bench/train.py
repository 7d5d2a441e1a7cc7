"""Issue 18's figures for ``gloss train``: parity with ``spacy train``, the keys per span
as the model learns, and speed.

    python bench/train.py parity [--fashion DIR] [--conll FILE]
    python bench/train.py curve
    python bench/train.py speed
    python bench/train.py            # all three

parity: ``gloss train`` and ``spacy train`` (spaCy's default CPU NER config) on the same
split and seed, per label (bench/train_parity.py). The data are not in this repository:
``--fashion`` is a folder holding fashion_brands_training.jsonl and fashion_brands_eval.jsonl
(explosion/projects, tutorials/ner_fashion_brands/assets, MIT), ``--conll`` a CoNLL file
(wikigold.conll.txt: Balasuriya et al. 2009, CC BY 4.0); by default both are looked for in
../shared/data (prodigy/ and conll/), and a part whose data is absent is skipped, said so.
curve: bench/train_curve.py. speed: bench/train_speed.py. Needs the spacy extra.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
SHARED = next((folder / "shared" / "data" for folder in (ROOT.parent, ROOT.parent.parent)
               if (folder / "shared" / "data").is_dir()), ROOT.parent / "shared" / "data")


def parity(fashion: Path, conll: Path, seed: int) -> None:
    import train_parity

    with tempfile.TemporaryDirectory(prefix="gloss-bench-train-") as work:
        if (fashion / "fashion_brands_training.jsonl").is_file():
            print(train_parity.fashion(fashion / "fashion_brands_training.jsonl",
                                       fashion / "fashion_brands_eval.jsonl",
                                       Path(work) / "fashion", seed), flush=True)
        else:
            print(f"fashion brands: skipped, no {fashion}/fashion_brands_training.jsonl")
        if conll.is_file():
            print(train_parity.conll(conll, Path(work) / "conll", seed), flush=True)
        else:
            print(f"CoNLL: skipped, no {conll}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("part", nargs="?", choices=["parity", "curve", "speed"])
    parser.add_argument("--fashion", type=Path, default=SHARED / "prodigy")
    parser.add_argument("--conll", type=Path, default=SHARED / "conll" / "wikigold.conll.txt")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    try:
        import spacy  # noqa: F401
    except ImportError:
        raise SystemExit("bench/train.py needs the spacy extra:"
                         " pip install -e '.[spacy]'") from None
    if args.part in (None, "parity"):
        parity(args.fashion, args.conll, args.seed)
    if args.part in (None, "curve"):
        import train_curve

        train_curve.main(args.seed)
    if args.part in (None, "speed"):
        import train_speed

        train_speed.main()


if __name__ == "__main__":
    main()
