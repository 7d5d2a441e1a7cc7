"""``gloss train``: the command's glue: which articles, the progress as it trains, the
held-out figures, and the model put in place (the work itself is ``tui/core/train``).

Progress goes to stderr: a line at each evaluation (epoch, step, losses, score), and on a
terminal a Rich line counting the steps. The figures go to stdout.
"""

from __future__ import annotations

import contextlib
import importlib.util
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import click

from tui.core.disk.install import extra_command
from tui.core.document.model import GlossError
from tui.core.language.visible import visible
from tui.core.store.dataset import Dataset
from tui.core.train import store
from tui.core.train.examples import Chosen, Example, Which, choose, split
from tui.core.train.links import Figures
from tui.core.train.run import Evaluation, Limits, Listener

EXIT_BAD_INPUT = 2


def say(message: str) -> None:
    click.echo(visible(message), err=True)


def needs_spacy(command: str) -> None:
    """One line and exit 2 when the spacy extra is not installed."""
    if importlib.util.find_spec("spacy") is None:
        say(f"gloss: {command} needs spaCy, which is not installed: {extra_command('spacy')}")
        sys.exit(EXIT_BAD_INPUT)


@dataclass(frozen=True, slots=True)
class Request:
    folder: Path
    which: Which
    eval_split: float
    eval_db: Path | None
    limits: Limits
    name: str
    output: Path | None


def chosen_from(folder: Path, which: Which, problems: list[str]) -> Chosen:
    dataset = Dataset.existing(folder, which.annotator or "gloss")
    return choose(dataset.readable(problems), which)


def describe(chosen: Chosen, where: Path) -> None:
    said = f"{len(chosen.examples)} articles of {where} count: " + chosen_text(chosen)
    say(said)


def chosen_text(chosen: Chosen) -> str:
    parts = [f"{n} {why}" for why, n in sorted(chosen.left_out.items())]
    return "left out: " + "; ".join(parts) if parts else "none left out"


def run(request: Request) -> None:
    needs_spacy("gloss train")
    from tui.core.train import card, pipeline
    from tui.core.train import run as training

    problems: list[str] = []
    which = request.which
    say(f"gloss train: {which.describe()}")
    chosen = chosen_from(request.folder, which, problems)
    describe(chosen, request.folder)
    if request.eval_db is not None:
        held = chosen_from(request.eval_db, which, problems)
        describe(held, request.eval_db)
        train_set, held_out = chosen.examples, held.examples
        split_record: dict[str, object] = {"held_out_from": str(request.eval_db)}
    else:
        train_set, held_out = split(chosen.examples, request.eval_split, request.limits.seed)
        split_record = {"eval_split": request.eval_split}
    for problem in problems:
        say(f"gloss: {problem}; skipped")
    if not any(e.spans for e in train_set) or not held_out:
        raise GlossError(f"{request.folder}: {len(train_set)} articles to train on and"
                         f" {len(held_out)} held out: too few (at least one with spans to"
                         " learn from and one to score the model on)")
    labels = pipeline.plan(train_set)
    say(f"split (seed {request.limits.seed}): {len(train_set)} articles to train on,"
        f" {len(held_out)} held out; entity recognizer: {', '.join(labels.ner) or 'none'};"
        f" span categorizer: {', '.join(labels.spans) or 'none'}")
    root = request.output or request.folder / store.MODELS
    folder = store.home(root, request.name)
    work = store.workspace(folder)
    try:
        with progress(request.limits) as listener:
            outcome = training.train(train_set, held_out, labels, request.limits, work,
                                     listener)
        record = card.make(request.name, which, train_set, held_out, chosen.left_out,
                           labels, request.limits, split_record, outcome)
        for line in pipeline.Dropped(outcome.dropped).lines():
            say(f"note: {line}")
        print_figures(outcome.labels, outcome.links_rule, outcome.links_model, held_out)
        target = store.publish(outcome.model, folder, record)
    finally:
        store.discard(work)
    say(f"gloss train: model written to {target} ({folder / store.LATEST} names it);"
        f" {outcome.steps} steps in {outcome.seconds:.0f} s")


def print_figures(labels: dict[str, Figures], rule: dict[str, Figures],
                  model: dict[str, Figures], held_out: list[Example]) -> None:
    out = [f"held out: {len(held_out)} articles; exact extents",
           f"{'':<10} {'label':<16} {'P':>6} {'R':>6} {'F1':>6} {'support':>8}"]

    def rows(kind: str, table: dict[str, Figures]) -> None:
        for label, f in table.items():
            out.append(f"{kind:<10} {visible(label):<16} {f.p:6.3f} {f.r:6.3f} {f.f:6.3f}"
                       f" {f.wanted:8d}")

    rows("spans", labels)
    rows("links", rule)
    rows("links*", model)
    if rule or model:
        out.append("links: the rule on the analysts' spans; links*: on the model's spans")
    click.echo("\n".join(out))


@contextlib.contextmanager
def progress(limits: Limits) -> Iterator[Listener]:
    """A line on stderr at each evaluation; on a terminal also a live count of steps."""

    def line(evaluation: Evaluation) -> str:
        losses = " ".join(f"{name} {value:.1f}" for name, value in evaluation.losses.items())
        return (f"epoch {evaluation.epoch:>3}  step {evaluation.step:>6}  loss {losses}"
                f"  score {evaluation.score:.3f} (best {evaluation.best:.3f})"
                f"  {evaluation.seconds:.0f} s")

    if not sys.stderr.isatty():
        def plain(step: int, evaluation: Evaluation | None) -> None:
            if evaluation is not None:
                say(line(evaluation))

        yield plain
        return
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    console = Console(stderr=True, highlight=False)
    with Progress(SpinnerColumn(), TextColumn("training: step {task.completed}"),
                  TextColumn("{task.description}"), TimeElapsedColumn(),
                  console=console, transient=True) as bar:
        task = bar.add_task("", total=None)

        def live(step: int, evaluation: Evaluation | None) -> None:
            bar.update(task, completed=step)
            if evaluation is not None:
                bar.update(task, description=f"best {evaluation.best:.3f}")
                console.print(line(evaluation), markup=False)

        yield live
