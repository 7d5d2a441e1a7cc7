"""Speed of the loop on this machine: ``gloss train`` on 1,000 articles of about 2 KB
(--max-epochs 3, and where its time goes), loading a model, its suggestions for the seed
article and for a 1 MB article (whole, and the first screenful: what the reader asks for
first), and choosing the article to label next among 200. Prints min / median / max and
the load average, since other work shares the two cores."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EPOCHS = 3
sys.path.insert(0, str(ROOT))

from timing import line


def timed(call, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        out.append(time.perf_counter() - started)
    return out


def worker_cpu(finder) -> float:
    """CPU seconds the finder's worker process has used (0 without one)."""
    worker = finder._worker
    if worker is None or worker._process.poll() is not None:
        return 0.0
    fields = Path(f"/proc/{worker._process.pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def timed_cpu(call, finder, runs: int) -> tuple[list[float], list[float]]:
    """Wall and CPU seconds (this process and the worker) of each run."""
    walls, cpus = [], []
    for _ in range(runs):
        cpu = time.process_time() + worker_cpu(finder)
        started = time.perf_counter()
        call()
        walls.append(time.perf_counter() - started)
        cpus.append(time.process_time() + worker_cpu(finder) - cpu)
    return walls, cpus


def blis_kernel() -> str:
    """Which of blis's configurations this machine runs, and which kernel the window
    encoder multiplies with: the figures of one machine say little of another's."""
    import ctypes

    from blis import cy

    from tui.core.suggest import model_pipe

    library = ctypes.CDLL(cy.__file__)
    library.bli_arch_string.restype = ctypes.c_char_p
    library.bli_info_get_version_str.restype = ctypes.c_char_p
    arch = library.bli_arch_string(library.bli_arch_query_id()).decode()
    try:  # (none before Gloss gave blis a configuration of its own)
        from tui.core.train.blis_kernel import use_known_kernel

        given = use_known_kernel()
    except ImportError:
        given = ""
    if given:
        return (f"blis {library.bli_info_get_version_str().decode()} found '{arch}';"
                f" Gloss gave it its '{given}' configuration (blis_kernel.py)")
    avx = getattr(model_pipe, "_avx_sgemm", None)  # (none before it had one)
    used = "its Sandy Bridge kernel" if avx and avx(library) else "bli_sgemm"
    return (f"blis {library.bli_info_get_version_str().decode()} runs its '{arch}'"
            f" configuration; the window encoder multiplies with {used}")


def cpu_split(finder, text: str) -> str:
    """Where one process's CPU time goes on ``text``, as the finder runs the pipeline
    (model_pipe.py): tokens embedded once each, lines batched by length, the recognizer a
    beam of one; and spaCy's own ``nlp.pipe`` over the same lines beside it."""
    from tui.core.suggest import model_pipe
    from tui.core.suggest.model_finder import _pieces

    nlp = finder.nlp
    texts = [piece for _, piece in _pieces(text, 0, len(text))]
    spent: dict[str, float] = {}

    def tick(name: str, started: float) -> None:
        spent[name] = spent.get(name, 0.0) + time.process_time() - started

    pipe = model_pipe.Pipe(nlp)  # a cold cache of embedded tokens, as a first call has
    tokens = 0
    for at in range(0, len(texts), model_pipe.GROUP):
        started = time.process_time()
        docs = [nlp.make_doc(t) for t in texts[at:at + model_pipe.GROUP]]
        tick("tokenizer", started)
        tokens += sum(len(doc) for doc in docs)
        started = time.process_time()
        vectors = pipe._vectors(docs)
        tick("embedding (each distinct token once)", started)
        order = sorted(range(len(docs)), key=lambda n: len(docs[n]))
        for first in range(0, len(order), model_pipe.BATCH):
            which = order[first:first + model_pipe.BATCH]
            batch = [docs[n] for n in which]
            for name, component in nlp.pipeline:
                started = time.process_time()
                if name == "tok2vec" and vectors is not None:
                    encode = (getattr(pipe, "_encode", None)  # (none before it had one)
                              or component.model.layers[1].predict)
                    component.set_annotations(batch, encode([vectors[n] for n in which]))
                    name = "window encoder"
                elif name == "ner":  # the pipe's own loop where it has one
                    recognize = getattr(model_pipe, "_recognize", None)
                    component.set_annotations(batch, recognize(component, batch, 1)
                                              if recognize else
                                              component.beam_parse(batch, beam_width=1))
                elif name == "span_finder" and hasattr(model_pipe, "_find_spans"):
                    model_pipe._find_spans(component.cfg, batch, component.predict(batch))
                else:
                    component.set_annotations(batch, component.predict(batch))
                tick(name, started)
    started = time.process_time()
    finder.found(list(_pieces(text, 0, len(text))))
    spent["all, with Gloss's suggestions (warm)"] = time.process_time() - started
    started = time.process_time()
    for _ in nlp.pipe(texts, batch_size=model_pipe.BATCH):
        pass
    spent["spaCy's nlp.pipe (greedy recognizer)"] = time.process_time() - started
    return (f"CPU time, one process, {tokens:,} tokens: "
            + ", ".join(f"{name} {seconds:.2f} s" for name, seconds in spent.items()))


def main() -> None:
    """``--articles N --max-epochs E``: a smaller training (1,000 and 3 by default), for
    the suggestions' figures when the training's own is not wanted. ``--db DIR``: the
    dataset and its model built in DIR the first time and used as they are after (no
    training), so that two versions of the code are measured with the same model.
    ``--only-1mb``: of the model's figures, only the 1 MB article's whole (with the worker)
    and where one process's CPU time goes on it."""
    from train_data import annotated

    args = sys.argv[1:]
    if "--help" in args or "-h" in args:
        print(main.__doc__)
        return
    count = int(args[args.index("--articles") + 1]) if "--articles" in args else 1000
    epochs = int(args[args.index("--max-epochs") + 1]) if "--max-epochs" in args else EPOCHS

    from tui.core.document.model import Document
    from tui.core.store.dataset import Dataset

    parts = annotated()
    print(f"speed: load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; "
          + blis_kernel(), flush=True)
    kept = Path(args[args.index("--db") + 1]) if "--db" in args else None
    with tempfile.TemporaryDirectory(prefix="gloss-speed-") as work:
        folder = kept or Path(work) / "db"
        if kept and (kept / "models").is_dir():
            print(f"  the dataset and model in {kept}, as they are", flush=True)
            measure(folder, [f"{parts[n % len(parts)][0].text}\n"
                             f"{parts[(n + 7) % len(parts)][0].text}\n({n})"
                             for n in range(count)], only_big="--only-1mb" in args)
            return
        dataset = Dataset(folder, "silver")
        items = []
        for n in range(count):  # two parts an article, about 2 KB, each text its own
            (a, sa, _), (b, sb, _) = parts[n % len(parts)], parts[(n + 7) % len(parts)]
            text = f"{a.text}\n{b.text}\n({n})"
            shift = len(a.text) + 1
            spans = list(sa) + [s.__class__(s.start + shift, s.end + shift, s.label, s.text,
                                            s.annotator, id=s.id + "b") for s in sb]
            items.append((Document.from_text(text), spans, []))
        dataset.add_articles(items, labels=["ACTOR", "CLAIM", "LOCATION"])
        for doc, _, _ in items:
            dataset.set_status(doc.id, "done")
        size = sum(len(d.text) for d, _, _ in items)
        started = time.perf_counter()
        result = subprocess.run([str(Path(sys.executable).parent / "gloss"), "train", "--db",
                                 str(folder), "--max-epochs", str(epochs)],
                                capture_output=True, text=True)
        seconds = time.perf_counter() - started
        print(f"  gloss train, {count:,} articles ({size / 1000:.0f} KB), --max-epochs {epochs}:"
              f" {seconds:.0f} s (exit {result.returncode}); load average now"
              f" {os.getloadavg()[0]:.1f}", flush=True)
        # where the time goes: before the first step, each epoch, after the last
        marks = [(int(m[1]), int(m[2]), float(m[3])) for m in re.finditer(
            r"epoch +(\d+) +step +(\d+) .* (\d+) s$", result.stderr, re.M)]
        if marks:
            print(f"    spaCy's loop: {marks[-1][2]:.0f} s, {marks[-1][1]} steps; the first"
                  f" evaluation (step 0) at {marks[0][2]:.0f} s; the rest (reading the"
                  f" articles, initialising, scoring, saving):"
                  f" {seconds - marks[-1][2]:.0f} s", flush=True)
            for epoch in sorted({e for e, _, _ in marks}):
                at = [t for e, _, t in marks if e == epoch]
                print(f"    epoch {epoch}: evaluations at {', '.join(f'{t:.0f}' for t in at)} s")
        if result.returncode:
            print(result.stderr[-1500:])
            return
        measure(folder, [doc.text for doc, _, _ in items])


def first_long_article(folder: Path, big: str, runs: int = 3) -> str:
    """What ``gloss suggest --model`` on a dataset with a long article waits for it: the
    model's load and the article, the worker started before the load (as the command does
    when a file is long enough) against started by the article; in turns."""
    from tui.core.suggest.model_finder import ModelFinder

    def once(worker: bool) -> None:
        finder = ModelFinder.load(folder, worker=worker)
        finder.find(big)
        finder.close()

    early: list[float] = []
    late: list[float] = []
    for _ in range(runs):
        late += timed(lambda: once(False), 1)
        early += timed(lambda: once(True), 1)
    return (line("load and a first 1 MB article, worker at load", early) + "; "
            + line("worker at the article", late))


def measure(folder: Path, articles: list[str], only_big: bool = False) -> None:
    """The model's figures: loading, suggestions (seed, 1 MB), uncertainty."""
    from train_data import annotated

    from tui.core.suggest.model_finder import ModelFinder

    if only_big:
        big = "\n".join(p[0].text for p in annotated())
        big = (big * (1_000_000 // len(big) + 1))[:1_000_000]
        finder = ModelFinder.load(folder)
        finder.start_worker().wait_ready(120)
        finder.find(big)  # the worker's first stretches, its cache of embedded tokens
        walls, cpus = timed_cpu(lambda: finder.find(big), finder, 7)
        print("  " + line("suggestions, 1 MB, whole", walls), flush=True)
        print("  " + line("  the same, CPU of both processes", cpus), flush=True)
        print("  " + cpu_split(finder, big), flush=True)
        finder.close()
        return
    loads = timed(lambda: ModelFinder.load(folder), 3)
    print("  " + line("model load", loads))
    finder = ModelFinder.load(folder)
    seed = (ROOT / "seeds" / "trump-putin-ceasefire-call.txt").read_text(encoding="utf-8")
    print("  " + line(f"suggestions, seed ({len(seed):,} chars)",
                      timed(lambda: finder.find(seed), 20)))
    print("  " + line("suggestions, seed, beam scores",
                      timed(lambda: finder.find(seed, beam=True), 10)))
    big = "\n".join(p[0].text for p in annotated())
    big = (big * (1_000_000 // len(big) + 1))[:1_000_000]
    print("  " + line("suggestions, 1 MB, the first 3,000 chars",
                      timed(lambda: finder.find(big, 0, 3000), 10)))
    print("  " + line("suggestions, 1 MB, whole, first (starts the worker)",
                      timed(lambda: finder.find(big), 1)), flush=True)
    early = ModelFinder.load(folder)  # the worker started with the model, as a reader would
    early.start_worker().wait_ready(120)
    print("  " + line("  the same, the worker started with the model",
                      timed(lambda: early.find(big), 1)), flush=True)
    early.close()
    print("  " + first_long_article(folder, big), flush=True)
    walls, cpus = timed_cpu(lambda: finder.find(big), finder, 7)
    print("  " + line("suggestions, 1 MB, whole", walls), flush=True)
    print("  " + line("  the same, CPU of both processes", cpus), flush=True)
    print("  " + cpu_split(finder, big), flush=True)
    finder.close()
    print("  " + line("uncertainty, seed", timed(lambda: finder.uncertainty(seed), 10)))
    from tui.core.suggest.active import SAMPLE

    texts = [text[:SAMPLE] for text in articles[:200]]  # as least_sure reads them
    print("  " + line("uncertainty of 200 articles (--next uncertain)",
                      timed(lambda: [finder.uncertainty(t) for t in texts], 1)),
          flush=True)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "bench"))
    main()
