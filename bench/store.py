"""Storage benchmark: save latency, import and export, against a single default TinyDB file.

    python bench/store.py [--repeat N]

Prints figures; asserts nothing. A generated dataset of 5,000 articles x 30 spans (150k
spans), news-like text of about 2 KB an article, in a temp folder on the same disk as the
project (so fsync costs what it costs for the analyst).
"""

from __future__ import annotations

import argparse
import io
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import orjson
from tinydb import TinyDB

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tui.core.disk import token_cache
from tui.core.document.model import Document, Relation, Span
from tui.core.store.corpus import Notes, RawArticle, import_articles
from tui.core.store.dataset import Dataset
from tui.formats import prodigy

WORDS = ("Putin Trump Zelensky Kyiv Moscow Riyadh cease-fire talks envoy said the a of in on "
         "security adviser officials claimed troops withdrawal agreement Ukraine’s Russia’s "
         "sanctions 30-day truce negotiators, statement. minister").split()
LABELS = ("ACTOR", "CLAIM", "LOCATION")


def article(rng: random.Random, n: int, spans: int) -> RawArticle:
    words = [rng.choice(WORDS) for _ in range(300)]
    text = f"Article {n}: " + " ".join(words)
    starts = [i for i, ch in enumerate(text) if ch == " "]
    chosen = sorted(rng.sample(starts, spans))
    out = []
    for s in chosen:
        end = text.find(" ", s + 1)
        out.append({"start": s + 1, "end": end if end > 0 else len(text),
                    "label": rng.choice(LABELS)})
    return RawArticle(text, {"source": "bench"}, f"bench:{n}", out)


def write_jsonl(path: Path, raws: list[RawArticle]) -> None:
    with path.open("wb") as out:
        for raw in raws:
            out.write(orjson.dumps({"text": raw.text, "meta": raw.meta, "spans": raw.spans}))
            out.write(b"\n")


def import_file(folder: Path, path: Path) -> float:
    dataset = Dataset(folder, "bench")
    start = time.perf_counter()
    raws = list(prodigy.read(path, Notes()))
    import_articles(dataset, raws, source=path.name)
    return time.perf_counter() - start


def export_all(folder: Path) -> tuple[float, int]:
    dataset = Dataset(folder, "bench")
    out = io.BytesIO()
    start = time.perf_counter()
    prodigy.write((a for a in dataset.articles() if not isinstance(a, Exception)), out,
                  Notes(), None)
    return time.perf_counter() - start, len(out.getvalue())


def save_latencies(folder: Path, rng: random.Random, saves: int = 300) -> list[float]:
    dataset = Dataset(folder, "bench")
    ids = dataset.ids()
    times = []
    for _ in range(saves):
        doc_id = rng.choice(ids)
        text = dataset.document(doc_id).text  # in memory, as in the reader
        start = text.index(" ", rng.randrange(len(text) - 40)) + 1
        end = text.index(" ", start)
        t = time.perf_counter()
        dataset.new_span(doc_id, start, end, "CLAIM")
        times.append(time.perf_counter() - t)
    return times


def default_tinydb_save(folder: Path, spans: int, saves: int = 20) -> list[float]:
    """The naive design: one TinyDB file, default JSONStorage, every span in one table."""
    db = TinyDB(folder / "single.json")
    db.table("spans").insert_multiple(
        {"doc": i // 30, "start": i, "end": i + 5, "label": "CLAIM", "annotator": "bench"}
        for i in range(spans))
    times = []
    for i in range(saves):
        t = time.perf_counter()
        db.table("spans").insert({"doc": 0, "start": i, "end": i + 5, "label": "ACTOR",
                                  "annotator": "bench"})
        times.append(time.perf_counter() - t)
    db.close()
    return times


def ms(values: list[float]) -> str:
    values = sorted(values)
    p95 = values[min(len(values) - 1, int(len(values) * 0.95))]
    return (f"median {statistics.median(values) * 1000:7.2f} ms  p95 {p95 * 1000:7.2f} ms  "
            f"min {values[0] * 1000:6.2f}  max {values[-1] * 1000:7.2f}")


def spread(values: list[float], unit: str = "s") -> str:
    values = sorted(values)
    return (f"median {statistics.median(values):6.2f} {unit}  (min {values[0]:.2f}, "
            f"max {values[-1]:.2f}, n={len(values)})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each import/export")
    parser.add_argument("--only", choices=["saves", "imports", "analysts", "board"],
                        help="run only this part")
    args = parser.parse_args()
    rng = random.Random(7)
    root = Path(tempfile.mkdtemp(prefix="gloss-bench-", dir=Path(__file__).parent))
    try:
        raws = [article(rng, n, 30) for n in range(5000)]
        big, small = root / "5000.jsonl", root / "2000.jsonl"
        write_jsonl(big, raws)
        write_jsonl(small, raws[:2000])
        print(f"generated {len(raws)} articles x 30 spans, "
              f"{sum(len(r.text) for r in raws) / len(raws):.0f} chars an article")

        if args.only in (None, "saves"):
            save_spans(root, raws, rng)
        if args.only in (None, "imports"):
            imports_and_exports(root, big, small, args.repeat)
        if args.only in (None, "analysts"):
            several_analysts(root, raws, args.repeat)
        if args.only in (None, "board"):
            claims_board(root, raws, args.repeat)
    finally:
        shutil.rmtree(root, ignore_errors=True)


def save_spans(root: Path, raws: list[RawArticle], rng: random.Random) -> None:
    print("\n-- save one span (lock, fresh TinyDB, atomic orjson write, fsync) --")
    for articles, spans in ((34, "1k"), (334, "10k"), (5000, "150k")):
        folder = root / f"saves-{spans}"
        partial = root / f"{spans}.jsonl"
        write_jsonl(partial, raws[:articles])
        import_file(folder, partial)
        print(f"at {spans:>4} spans: {ms(save_latencies(folder, rng))}")
    single = default_tinydb_save(root, 10_000)
    gloss_10k = save_latencies(root / "saves-10k", rng, 100)
    print(f"one default TinyDB file at 10k spans: {ms(single)}")
    print(f"  ratio, median: {statistics.median(single) / statistics.median(gloss_10k):.0f}x"
          " slower than Gloss")


def imports_and_exports(root: Path, big: Path, small: Path, repeat: int) -> None:
    print("\n-- import and export --")
    for label, path, count in (("5,000 articles / 150k spans", big, 5000),
                               ("2,000 articles / 60k spans", small, 2000)):
        imports, exports, kept = [], [], []
        for i in range(repeat):
            folder = root / f"import-{count}-{i}"
            imports.append(import_file(folder, path))
            index = token_cache.Index(folder)
            kept.append(len(index.where))
            index.close()
            seconds, size = export_all(folder)
            exports.append(seconds)
            # kept to the end: on an ext4 without a journal (this machine's), a file made
            # within a minute or so of many removals costs ten times more (the kernel
            # skips recently freed inodes one by one), which would be charged to the
            # merge measured next
        print(f"import {label}: {spread(imports)}")
        print(f"export {label}: {spread(exports)}  "
              f"({count * 30 / statistics.median(exports):,.0f} spans/s, {size / 1e6:.1f} MB)")
        print(f"  tokens kept by the import for {min(kept):,} to {max(kept):,} of {count:,}"
              f" articles (tokenizer {token_cache.version().split('+')[0]})")


def analyst(raws: list[RawArticle], who: str, shift: int) -> list[RawArticle]:
    """The same articles as another analyst labelled them: every ``shift``th span moved."""
    out = []
    for raw in raws:
        spans = [{**span, "annotator": who,
                  "label": LABELS[(LABELS.index(span["label"]) + (n % shift == 0)) % 3]}
                 for n, span in enumerate(raw.spans)]
        out.append(RawArticle(raw.text, raw.meta, raw.where, spans))
    return out


def several_analysts(root: Path, raws: list[RawArticle], repeat: int) -> None:
    from tui.core.disk.collector import collector_paused
    from tui.core.team.agreement import agree, compared
    from tui.core.team.merging import merge_datasets

    print("\n-- several analysts --")
    folders = []
    for who, shift in (("alice", 7), ("bob", 5)):
        folder = root / f"analyst-{who}"
        dataset = Dataset(folder, who)
        import_articles(dataset, analyst(raws, who, shift), source=who)
        for doc_id in dataset.ids()[:2000]:
            dataset.set_status(doc_id, "done")
        folders.append(folder)
    merges = []
    for i in range(repeat):
        team = Dataset(root / f"team-{i}", "lead")
        start = time.perf_counter()
        with collector_paused():  # as `gloss merge` runs it
            merge_datasets(team, folders)
        merges.append(time.perf_counter() - start)
    print(f"merge two 5,000-article datasets (150k spans each): {spread(merges)}")
    pair = Dataset(root / "pair", "lead")  # 2,000 articles, both analysts done with each
    for who, shift in (("alice", 7), ("bob", 5)):
        import_articles(pair, analyst(raws[:2000], who, shift), source=who)
        for doc_id in pair.ids():
            Dataset(pair.folder, who).set_status(doc_id, "done")
    agrees = []
    for _ in range(repeat):
        start = time.perf_counter()
        dataset = Dataset.existing(root / "pair", "lead")
        articles = compared(dataset.articles(), ["alice", "bob"])
        report = agree(articles, ["alice", "bob"], dataset.labels.names())
        agrees.append(time.perf_counter() - start)
    pair = report.pairs[("alice", "bob")]["(all)"]
    print(f"agree over {report.articles:,} articles x 2 analysts x 30 spans: {spread(agrees)}"
          f"  (F1 {pair.exact_f1:.3f}, kappa {pair.kappa:.3f},"
          f" alpha {report.overall['(all)'].alpha:.3f})")


def claims_board(root: Path, raws: list[RawArticle], repeat: int) -> None:
    """The board over 150k spans, 30k of them claims, each with a source and a place."""
    from tui.core.attribution.claim_board import board

    print("\n-- the claims board --")
    dataset = Dataset(root / "board", "bench")
    items = []
    for raw in raws:
        spans = [Span.new(raw.text, s["start"], s["end"], label, "bench")
                 for s, label in zip(raw.spans, ["CLAIM", "ACTOR", "LOCATION", "ACTOR",
                                                 "LOCATION"] * 6, strict=False)]
        links = [Relation(spans[k].id, spans[k + 1].id, "SOURCE", "bench")
                 for k in range(0, 30, 5)]
        links += [Relation(spans[k].id, spans[k + 2].id, "ABOUT", "bench")
                  for k in range(0, 30, 5)]
        items.append((Document.from_text(raw.text), spans, links))
    dataset.add_articles(items)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fresh = Dataset.existing(root / "board", "bench")
        groups = board(fresh.articles(), fresh.labels)
        times.append(time.perf_counter() - start)
    claims = sum(map(len, groups.values()))
    print(f"claims board over 150k spans / {claims:,} claims, read and grouped:"
          f" {spread(times)}")


if __name__ == "__main__":
    main()
