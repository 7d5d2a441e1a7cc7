"""The ``gloss`` command: read (the default), import, export, stats.

Bad input gets one line on stderr naming the file, line and reason, and exit status 2.
Textual is imported only by ``read``, so import, export and stats start fast.
"""

from __future__ import annotations

import contextlib
import getpass
import os
import signal
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import click
import orjson

from tui.core.corpus import Notes, import_articles
from tui.core.dataset import Dataset
from tui.core.model import GlossError, LabelSet

EXIT_BAD_INPUT = 2


class DefaultGroup(click.Group):
    """``gloss PATH`` and ``gloss --db D`` mean ``gloss read ...``."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args or (args[0] not in self.commands and args[0] not in ("--help", "-h",
                                                                         "--version")):
            args = ["read", *args]
        return super().parse_args(ctx, args)


def default_annotator() -> str:
    with contextlib.suppress(Exception):
        return os.environ.get("GLOSS_ANNOTATOR") or getpass.getuser()
    return "analyst"


def common(command: Callable[..., Any]) -> Callable[..., Any]:
    command = click.option("--labels", "labels_file", type=click.Path(path_type=Path),
                           help="Replace the dataset's label set (JSON list or one name a"
                           " line).")(command)
    command = click.option("--annotator", "analyst", default=default_annotator,
                           show_default="$GLOSS_ANNOTATOR or login name",
                           help="Who is annotating.")(command)
    return click.option("--db", type=click.Path(path_type=Path), envvar="GLOSS_DB",
                        default=Path("annotations"), show_default="./annotations or $GLOSS_DB",
                        help="The dataset folder.")(command)


def open_dataset(db: Path, analyst: str, labels_file: Path | None) -> Dataset:
    dataset = Dataset(db, analyst)
    if labels_file is not None:
        dataset.replace_labels(read_label_file(labels_file))
    return dataset


def read_label_file(path: Path) -> LabelSet:
    try:
        raw = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise GlossError(f"{path}: {exc.strerror or exc}") from exc
    if raw.lstrip().startswith("["):
        try:
            records = orjson.loads(raw)
        except orjson.JSONDecodeError as exc:
            raise GlossError(f"{path}: not valid JSON ({exc.msg})") from exc
        labels = LabelSet.from_records([r if isinstance(r, dict) else {"name": r}
                                        for r in records])
    else:
        labels = LabelSet.from_names([line.strip() for line in raw.splitlines()
                                      if line.strip() and not line.startswith("#")])
    if not labels.labels:
        raise GlossError(f"{path}: no labels in the file")
    return labels


@contextlib.contextmanager
def reported_errors() -> Iterator[None]:
    try:
        yield
    except GlossError as exc:
        click.echo(f"gloss: {exc}", err=True)
        sys.exit(EXIT_BAD_INPUT)


@click.group(cls=DefaultGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="gloss")
def main() -> None:
    """Gloss: read news articles in the terminal and label actors, claims and locations."""
    # A file-size limit must give an error, not kill us mid-save.
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)


def run_import(dataset: Dataset, paths: tuple[Path, ...], fmt: str,
               strict_labels: bool = False, skip_invalid: bool = False) -> list[str]:
    """Import ``paths`` all or nothing (or skipping bad records); return their ids, in order."""
    from tui import formats

    notes = Notes(skip_invalid)
    skipped = notes.skipped if skip_invalid else None
    raws = []
    with progress_bar("reading") as advance:
        for path in paths:
            for raw in formats.read(path, fmt, notes):
                raws.append(raw)
                advance()
    result = import_articles(dataset, raws, source=", ".join(p.name for p in paths),
                             strict_labels=strict_labels, skipped=skipped)
    click.echo(f"imported {result.articles_added} new articles, {result.spans_added} spans"
               f" ({len(raws)} records read"
               + (f", {result.articles_merged} articles given new spans" if
                  result.articles_merged else "") + ")", err=True)
    if result.labels_added:
        click.echo(f"labels added to the label set: {', '.join(result.labels_added)}",
                   err=True)
    for line in notes.lines():
        click.echo(f"note: {line}", err=True)
    for line in skipped or []:
        click.echo(f"skipped: {line}", err=True)
    return result.ids


@contextlib.contextmanager
def progress_bar(what: str) -> Iterator[Callable[[], None]]:
    """A Rich progress bar on stderr when it is a terminal; nothing otherwise."""
    if not sys.stderr.isatty():
        yield lambda: None
        return
    from rich.console import Console
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    with Progress(SpinnerColumn(), TextColumn("{task.description}"),
                  TextColumn("{task.completed:,} records"), TimeElapsedColumn(),
                  console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(what)
        yield lambda: bar.advance(task)


@main.command("read")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@common
def read_command(paths: tuple[Path, ...], db: Path, analyst: str,
                 labels_file: Path | None) -> None:
    """Open the reader. PATHs are imported and opened (two side by side)."""
    with reported_errors():
        dataset = open_dataset(db, analyst, labels_file)
        opened: list[str] = []
        for path in paths[:2]:  # the first article of each PATH, two side by side
            ids = run_import(dataset, (path,), "auto")
            opened += ids[:1]
        if len(paths) > 2:
            run_import(dataset, paths[2:], "auto")
        if not paths and dataset.is_empty() and Path("seeds").is_dir():
            run_import(dataset, (Path("seeds"),), "text")
    from tui.app import GlossApp

    GlossApp(dataset, opened).run()


FORMAT_NAMES = ["auto", "jsonl", "prodigy", "doccano", "brat", "conll", "labelstudio", "text",
                "csv"]
EXPORT_NAMES = ["jsonl", "prodigy", "doccano", "brat", "conll", "labelstudio", "spacy"]


@main.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "fmt", default="auto", show_default=True,
              type=click.Choice(FORMAT_NAMES), help="auto tells them apart by name and content")
@click.option("--strict-labels", is_flag=True, help="Refuse labels not in the label set.")
@click.option("--skip-invalid", is_flag=True,
              help="Import the good records, print the bad ones, instead of refusing all.")
@common
def import_command(paths: tuple[Path, ...], fmt: str, strict_labels: bool,
                   skip_invalid: bool, db: Path, analyst: str,
                   labels_file: Path | None) -> None:
    """Import articles (and their spans). Importing twice adds nothing."""
    with reported_errors():
        run_import(open_dataset(db, analyst, labels_file), paths, fmt, strict_labels,
                   skip_invalid)


@main.command("export")
@click.option("--format", "fmt", default="jsonl", show_default=True,
              type=click.Choice(EXPORT_NAMES))
@click.option("-o", "--output", type=click.Path(path_type=Path),
              help="File (a folder for brat); default stdout.")
@click.option("--annotator", "only", default=None, help="Only this analyst's spans.")
@click.option("--db", type=click.Path(path_type=Path), envvar="GLOSS_DB",
              default=Path("annotations"), show_default="./annotations or $GLOSS_DB")
def export_command(fmt: str, output: Path | None, only: str | None, db: Path) -> None:
    """Export the dataset (JSONL: one line per article)."""
    from tui import formats

    with reported_errors():
        chosen = formats.get(fmt)
        if output is None and (chosen.write_folder or chosen.binary):
            raise GlossError(f"{fmt}: give the output with -o"
                             + (" DIR (brat writes a folder)" if chosen.write_folder else ""))
        dataset = Dataset(db, default_annotator())
        with progress_bar("exporting") as advance:
            def counted(articles: Iterable[Any]) -> Iterator[Any]:
                for article in articles:
                    advance()
                    yield article

            if output is None:
                report = formats.export(dataset, sys.stdout.buffer, fmt, only, counted)
                sys.stdout.buffer.flush()
            else:
                report = formats.export_file(dataset, output, fmt, only, counted)
        for problem in report.unreadable:
            click.echo(f"gloss: skipped {problem}", err=True)
        for line in report.warnings:
            click.echo(f"warning: {line}", err=True)
        click.echo(f"exported {report.articles} articles", err=True)
        if report.unreadable:
            sys.exit(EXIT_BAD_INPUT)


@main.command("stats")
@common
def stats_command(db: Path, analyst: str, labels_file: Path | None) -> None:
    """Articles, spans per label and per analyst, articles done."""
    from tui.stats import render_stats

    with reported_errors():
        render_stats(open_dataset(db, analyst, labels_file))
