"""The ``gloss`` command: read (the default), import, export, stats, serve.

Bad input gets one line on stderr naming the file, line and reason, and exit status 2;
every string from data is printed with its terminal controls shown, never obeyed.
Textual is imported only by ``read``, so import, export and stats start fast.
"""

from __future__ import annotations

import contextlib
import difflib
import gc
import getpass
import os
import signal
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from tui import DISTRIBUTION, __version__, first_paint
from tui.core.disk.commit import owners_released
from tui.core.document.depth import TOO_DEEP, json_problem
from tui.core.document.model import GlossError, LabelSet, label_problem
from tui.core.language.visible import visible
from tui.core.store.corpus import (
    InputError,
    Notes,
    RawArticle,
    decode,
    import_articles,
    read_input,
)
from tui.core.store.dataset import Dataset
from tui.progress import progress_bar

if TYPE_CHECKING:
    from tui.app import GlossApp

EXIT_BAD_INPUT = 2
EXIT_INTERNAL = 70  # EX_SOFTWARE: a bug of Gloss, not bad input


def say(message: str) -> None:
    """One line on stderr, with any terminal control in it shown, not obeyed."""
    click.echo(visible(message), err=True)


def default_annotator() -> str:
    with contextlib.suppress(Exception):
        return os.environ.get("GLOSS_ANNOTATOR") or getpass.getuser()
    return "analyst"


@dataclass(slots=True)
class Settings:
    """The options every command shares; given before the command or after it."""

    db: Path | None = None
    annotator: str | None = None
    labels: Path | None = None
    keymap: Path | None = None

    def merged(self, db: Path | None, annotator: str | None, labels: Path | None
               ) -> Settings:
        return Settings(db or self.db, annotator or self.annotator, labels or self.labels,
                        self.keymap)

    @property
    def folder(self) -> Path:
        return self.db or Path(os.environ.get("GLOSS_DB") or "annotations")

    @property
    def analyst(self) -> str:
        return self.annotator or default_annotator()


DB_HELP = "The dataset folder [default: $GLOSS_DB, else ./annotations]."
ANALYST_HELP = "Who is annotating [default: $GLOSS_ANNOTATOR, else your login name]."
LABELS_HELP = ("Replace the dataset's label set with this file: a JSON list of"
               ' {"name", "key", "colour"}, or one name a line.')
KEYMAP_HELP = ("Your own keys: a TOML keymap file [default: $GLOSS_KEYMAP, else"
               " $XDG_CONFIG_HOME/gloss/keymap.toml] (docs/keys.md).")


def keymap_option(command: Callable[..., Any]) -> Callable[..., Any]:
    """--keymap, also accepted after the command's name (the app's commands, `keys`)."""
    return click.option("--keymap", "keymap_file", type=click.Path(path_type=Path),
                        help=KEYMAP_HELP)(command)


def keymap_of(given: Path | None) -> tuple[Path | None, dict[str, str]]:
    """The keymap file (this command's --keymap, else the one before it, else where the
    environment says) and what it gives, checked whole: a bad one stops here, before
    anything is read or written."""
    from tui.keymap import load

    settings_ = click.get_current_context().find_object(Settings) or Settings()
    return load(given or settings_.keymap)


def shared_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """--db, --annotator and --labels, also accepted after the command's name (the
    commands that take a label set: read, import and demo)."""
    command = click.option("--labels", "labels_file", type=click.Path(path_type=Path),
                           help=LABELS_HELP)(command)
    return dataset_options(command)


def dataset_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """--db and --annotator, also accepted after the command's name."""
    command = click.option("--annotator", "analyst", help=ANALYST_HELP)(command)
    return click.option("--db", type=click.Path(path_type=Path), help=DB_HELP)(command)


def settings(db: Path | None, analyst: str | None, labels_file: Path | None) -> Settings:
    given = click.get_current_context().find_object(Settings) or Settings()
    return given.merged(db, analyst, labels_file)


class GlossGroup(click.Group):
    """``gloss PATH`` means ``gloss read PATH``; a mistyped command is named as such."""

    def resolve_command(self, ctx: click.Context, args: list[str]
                        ) -> tuple[str | None, click.Command | None, list[str]]:
        name = args[0] if args else ""
        if name in self.commands or name.startswith("-"):
            return super().resolve_command(ctx, args)
        if Path(name).exists() or os.sep in name or "." in name:
            return "read", self.commands["read"], args
        close = difflib.get_close_matches(name, list(self.commands), n=1, cutoff=0.5)
        hint = f"; did you mean '{close[0]}'?" if close else \
            f" (commands: {', '.join(self.commands)}; a file to read must exist)"
        raise click.UsageError(f"No such command '{name}'{hint}", ctx)


@click.group(cls=GlossGroup, invoke_without_command=True,
             context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, package_name=DISTRIBUTION, prog_name="gloss")
@click.option("--db", type=click.Path(path_type=Path), help=DB_HELP)
@click.option("--annotator", "analyst", help=ANALYST_HELP)
@click.option("--labels", "labels_file", type=click.Path(path_type=Path), help=LABELS_HELP)
@keymap_option
@click.pass_context
def main(ctx: click.Context, db: Path | None, analyst: str | None,
         labels_file: Path | None, keymap_file: Path | None) -> None:
    """Read news articles in the terminal and label actors, claims and locations.

    `gloss` alone opens the library of the dataset (./annotations); `gloss demo` brings
    in the sample articles that come with Gloss first. `gloss FILE ...` imports those
    files and opens them. --db, --annotator and --labels may also be given after a
    command's name.
    """
    ctx.obj = Settings(db, analyst, labels_file, keymap_file)
    if ctx.invoked_subcommand is None:  # `gloss` or `gloss --db D` alone: the library
        ctx.invoke(read_command, paths=(), db=None, analyst=None, labels_file=None)


def entry() -> None:
    """The ``gloss`` command: every error is one line; no traceback reaches the analyst."""
    # A file-size limit must give an error, not kill us mid-save.
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    try:
        with owners_released():
            try:
                code = main.main(standalone_mode=False, prog_name="gloss")
            except BaseException:
                first_paint.undo()  # what went wrong is said on the terminal's own screen
                raise
        if isinstance(code, int) and code:
            sys.exit(code)
    except click.ClickException as exc:
        ctx = exc.ctx if isinstance(exc, click.UsageError) else None
        if ctx is not None and ctx.parent is not None:  # a command's own: name it
            say(f"gloss: {ctx.info_name}: {exc.format_message()} (gloss {ctx.info_name}"
                " --help lists its options)")
        else:
            say(f"gloss: {exc.format_message()}"
                + (" (gloss --help lists the commands and options)"
                   if isinstance(exc, click.UsageError) else ""))
        sys.exit(EXIT_BAD_INPUT)
    except click.Abort:
        sys.exit(130)
    except GlossError as exc:
        say(f"gloss: {exc}")
        sys.exit(EXIT_BAD_INPUT)
    except KeyboardInterrupt:
        sys.exit(130)
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        say(f"gloss: {where}{exc.strerror or exc}")
        sys.exit(EXIT_BAD_INPUT)
    except Exception as exc:
        if os.environ.get("GLOSS_DEBUG"):
            raise
        say(f"gloss: internal error: {type(exc).__name__}: {exc} (a bug: GLOSS_DEBUG=1"
            " shows where)")
        sys.exit(EXIT_INTERNAL)


def quiet_stdout() -> None:
    """Point stdout at /dev/null so that the flush at exit cannot fail a second time."""
    with contextlib.suppress(OSError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())


# -- labels ------------------------------------------------------------------------


def read_label_file(path: Path) -> LabelSet:
    """A label set from a file: one name a line, unless the file is JSON (by its name, or
    content that parses as a JSON list or object): a list of names or objects."""
    raw = decode(read_input(path), str(path))
    records = json_labels(path, raw)
    if records is not None:
        if isinstance(records, list):
            records = [r if isinstance(r, dict) else {"name": r} for r in records]
        try:
            labels = LabelSet.from_records(records)
        except GlossError as exc:
            raise InputError(str(path), str(exc)) from exc
    else:
        names = []
        for number, line in enumerate(raw.splitlines(), start=1):
            name = line.strip()
            if not name or name.startswith("#"):
                continue
            problem = label_problem(name)
            if problem:
                raise InputError(f"{path}:{number}", problem)
            names.append(name)
        labels = LabelSet.from_names(names)
    if not labels.labels:
        raise InputError(str(path), "no labels in the file")
    return labels


def json_labels(path: Path, raw: str) -> Any:
    """The parsed label file when it is JSON, else None (a list of names, one a line: a
    first name such as ``[draft]`` is a name, not broken JSON)."""
    import orjson

    named = path.suffix.lower() == ".json"
    if not named and not raw.lstrip().startswith(("[", "{")):
        return None
    try:
        records = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        problem = json_problem(exc.msg)
        if named or problem == TOO_DEEP:
            raise InputError(str(path), problem) from exc
        return None
    return records if named or isinstance(records, list | dict) else None


def writing_dataset(given: Settings) -> Dataset:
    """The dataset of a command that writes (read, import): made by its first write. A
    commit that waits for another process's says so on stderr."""
    dataset = Dataset(given.folder, given.analyst)
    dataset.waiting = lambda line: say(f"gloss: {line}")
    return dataset


def reading_dataset(given: Settings, command: str) -> Dataset:
    """The dataset of a command that only reads (export, stats): never made or changed."""
    if given.labels is not None:
        raise GlossError(f"--labels: {command} only reads, and --labels changes the label"
                         " set (give it to import or read)")
    return Dataset.existing(given.folder, given.analyst)


# -- import ------------------------------------------------------------------------


def run_import(dataset: Dataset, paths: Iterable[Path], fmt: str,
               strict_labels: bool = False, skip_invalid: bool = False,
               labels: LabelSet | None = None) -> list[str]:
    """Import ``paths`` all or nothing (or skipping bad units); return their ids, in order."""
    from tui import interchange

    paths = list(paths)
    notes = Notes(skip_invalid)
    if labels is not None:
        dataset.labels = labels  # checked against the new set, written with the articles
    read = 0

    def raws(advance: Callable[[], None]) -> Iterator[RawArticle]:
        nonlocal read
        for path in paths:
            for raw in interchange.read(path, fmt, notes):
                read += 1
                yield raw
                advance()

    # Records are imported as they are read (bulk.py): memory holds one at a time.
    with progress_bar("reading") as advance:
        result = import_articles(dataset, raws(advance),
                                 source=", ".join(p.name for p in paths),
                                 strict_labels=strict_labels, notes=notes,
                                 replace_labels=labels is not None)
    say(f"imported {result.articles_added} new articles, {result.spans_added} spans"
        f" ({read} records read"
        + (f", {result.articles_merged} articles given new spans" if
           result.articles_merged else "") + ")")
    if result.labels_added:
        say(f"labels added to the label set: {', '.join(result.labels_added)}")
    for line in notes.lines():
        say(f"note: {line}")
    for line in notes.skipped:
        say(f"skipped: {line}")
    for line in notes.files_skipped[:SKIPPED_FILES_SHOWN]:
        say(f"left out: {line}")
    if len(notes.files_skipped) > SKIPPED_FILES_SHOWN:
        say(f"left out: {len(notes.files_skipped) - SKIPPED_FILES_SHOWN} more files that are"
            " no format Gloss reads")
    return result.ids


SKIPPED_FILES_SHOWN = 20


REVIEWER_HELP = ("Whose the reviewed version is: the analyst its spans and its status"
                 " 'reviewed' are saved as [default: review].")


PATTERNS_HELP = ("A pattern file (Prodigy / spaCy EntityRuler JSONL) to suggest spans from;"
                 " kept with the dataset (docs/suggestions.md).")


@main.command("read")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--reviewer", default=None, help=REVIEWER_HELP + " For the palette's"
              " \"Review this article\".")
@click.option("--patterns", "patterns_file", type=click.Path(path_type=Path),
              help=PATTERNS_HELP)
@click.option("--next", "next_", type=click.Choice(["uncertain"]), default=None,
              help="Open the article still to do that the model is least sure of.")
@click.option("--model", type=click.Path(path_type=Path), default=None,
              help="A model gloss train made: its spans are suggested too, and --next asks"
              " it [default: the dataset's latest, if it has one].")
@keymap_option
@shared_options
def read_command(paths: tuple[Path, ...], db: Path | None, analyst: str | None,
                 labels_file: Path | None, reviewer: str | None = None,
                 patterns_file: Path | None = None, next_: str | None = None,
                 model: Path | None = None, keymap_file: Path | None = None) -> None:
    """Open the reader. PATHs are imported and opened (two side by side)."""

    from tui.parent_watch import watch_from_environment

    watch_from_environment()  # a tab of `gloss serve`: end with the server
    # Until the first frame nothing made here is garbage, but collections would rescan all
    # of it many times over while Textual is imported (the app freezes it, then collects)
    gc.disable()
    try:
        def stored(path: Path) -> str | None:
            """The id of a plain-text PATH's article when the dataset has it already: opened
            as it is, without the import's readers (start-up is the first frame)."""
            if path.suffix.lower() not in (".txt", ".md") or not path.is_file():
                return None
            from tui.core.document.model import document_id
            from tui.core.language.text import normalise

            try:
                doc_id = document_id(normalise(path.read_bytes()))
            except (OSError, UnicodeDecodeError):
                return None  # the import says what is wrong
            return doc_id if dataset.path(doc_id).is_file() else None

        _found, keymap = keymap_of(keymap_file)
        given = settings(db, analyst, labels_file)
        if next_ is not None and paths:
            raise GlossError("--next opens an article of the dataset: give no PATH with it")
        dataset = writing_dataset(given)
        labels = read_label_file(given.labels) if given.labels else None
        patterns = checked_patterns(patterns_file)
        plan = None
        if reviewer:  # else the review's module waits until a review opens
            from tui.core.team.review import ReviewPlan

            plan = ReviewPlan(checked_name(reviewer, "--reviewer"))
        if model is not None and next_ is None:  # said now, not as a notice in the reader
            from tui.core.train import store as models

            models.read_card(models.resolve(model))
        finder = None
        if next_ is not None:  # no spaCy or a broken model is what is wrong with --next
            from tui.next_command import least_sure, load

            finder = load(dataset, model)
        need_terminal()  # after what is wrong with the options, before anything is imported
        opened: list[str] = []
        if finder is not None:
            opened.append(least_sure(dataset, finder))
        for path in paths[:2]:  # the first article of each PATH, two side by side
            known = None if labels else stored(path)
            opened += [known] if known else run_import(dataset, (path,), "auto", labels=labels)[:1]
            labels = None
        if len(paths) > 2:
            run_import(dataset, paths[2:], "auto")
        if labels is not None:
            dataset.replace_labels(labels)
        if patterns is not None:
            dataset.keep_patterns(patterns)
        # Textual draws at most one frame each 1/FPS s: at its 60, "saved" waits up to 17 ms
        # behind the label's own frame, over SSH too. Idle, no frame is drawn at any rate.
        os.environ.setdefault("TEXTUAL_FPS", "120")
        if first_paint.painted() not in (None, *opened[:1]) or len(opened) > 1:
            first_paint.undo()  # not what the reader opens: never shown for it
        from tui.app import GlossApp  # Textual last: nothing above waits on its import

        ended(GlossApp(dataset, opened, colours=None, review=plan,  # None: the terminal's colours
                       keymap=keymap, model=model))
    finally:  # the app turned collections on at its start; an error before it did not
        gc.enable()


def ended(app: GlossApp) -> None:
    """Run the app; once it has ended (q, or a hang-up, SIGTERM or SIGINT: every edit
    asked for is written first), say on stderr what could not be saved, if anything."""
    app.run()
    lines = app.not_saved()
    with contextlib.suppress(OSError):  # after a hang-up there is no terminal to tell
        for line in lines:
            say(f"gloss: not saved: {line}")
    code = app.return_code or 0
    if code or lines:
        sys.exit(code or EXIT_BAD_INPUT)


def terminal_problem() -> str | None:
    """Why the app cannot run here, or None. Textual reads keys from stdin and draws on
    stderr: without a terminal there it would wait for keys that never come (or draw into
    a file). Under ``gloss serve`` textual-serve names its own driver: the browser is the
    terminal."""
    if os.environ.get("TEXTUAL_DRIVER"):
        return None
    for name, stream in (("stdin", sys.__stdin__), ("stderr", sys.__stderr__)):
        try:
            if stream is None or not os.isatty(stream.fileno()):
                return f"{name} is not a terminal"
        except (OSError, ValueError):
            return f"{name} is not a terminal"
    return None


def need_terminal() -> None:
    problem = terminal_problem()
    if problem:
        raise GlossError(f"{problem}: the app needs one (for a script: gloss import,"
                         " export, stats, claims; for a browser: gloss serve)")


def checked_name(name: str, option: str) -> str:
    """An analyst's name given on the command line: one line of printable text."""
    name = name.strip()
    if not name or not name.isprintable():
        raise GlossError(f"{option}: a name is one line of printable text, not {name!r}")
    return name


@main.command("demo")
@shared_options
def demo_command(db: Path | None, analyst: str | None, labels_file: Path | None) -> None:
    """Import the sample news articles that come with Gloss into the dataset (again: adds
    nothing) and open its library."""
    from tui.core.store.samples import samples_folder

    given = settings(db, analyst, labels_file)
    labels = read_label_file(given.labels) if given.labels else None
    need_terminal()  # before the import: a refusal leaves the dataset as it was
    run_import(writing_dataset(given), (samples_folder(),), "text", labels=labels)
    click.get_current_context().invoke(read_command, paths=(), db=db, analyst=analyst)


@main.command("review")
@click.option("--annotators", default="",
              help="The two analysts to set side by side, comma separated; one: that analyst"
              " against the review [default: each article's first two analysts, by name].")
@click.option("--reviewer", default=None, help=REVIEWER_HELP)
@click.option("--db", type=click.Path(path_type=Path), help=DB_HELP)
@keymap_option
def review_command(annotators: str, reviewer: str | None, db: Path | None,
                   keymap_file: Path | None) -> None:
    """Review: the library, where enter opens an article's two versions side by side and
    keys take one side of each difference (or every agreement) into the reviewed version."""
    from tui.core.team.review import REVIEWER, ReviewPlan

    _found, keymap = keymap_of(keymap_file)
    given = settings(db, None, None)
    name = checked_name(reviewer, "--reviewer") if reviewer else REVIEWER
    names = tuple(checked_name(n, "--annotators") for n in annotators.split(",") if n.strip())
    if name in names:
        raise GlossError(f"--reviewer {name} is one of the analysts reviewed (--annotators)")
    if len(names) > 2:
        raise GlossError("--annotators: two analysts at most, side by side")
    if len(names) == 2 and names[0] == names[1]:
        raise GlossError(f"--annotators: {names[0]} twice; name two analysts to compare")
    if not given.folder.is_dir():
        raise GlossError(f"no dataset at {given.folder}")
    need_terminal()  # after what is wrong with the options, before the dataset is opened
    dataset = Dataset(given.folder, name)  # the reviewer is who works here
    os.environ.setdefault("TEXTUAL_FPS", "120")
    from tui.app import GlossApp

    ended(GlossApp(dataset, colours=None, review=ReviewPlan(name, names), reviewing=True,
                   keymap=keymap))


FORMAT_NAMES = ["auto", "jsonl", "prodigy", "doccano", "brat", "conll", "labelstudio", "text",
                "csv"]
EXPORT_NAMES = ["jsonl", "prodigy", "doccano", "brat", "conll", "labelstudio", "spacy",
                "claims", "parquet", "rejected"]


@main.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--format", "fmt", default="auto", show_default=True,
              type=click.Choice(FORMAT_NAMES), help="auto tells them apart by name and content")
@click.option("--strict-labels", is_flag=True, help="Refuse labels not in the label set.")
@click.option("--skip-invalid", is_flag=True,
              help="Import the good records and spans, print the bad ones, instead of"
              " refusing all.")
@click.option("--patterns", "patterns_file", type=click.Path(path_type=Path),
              help=PATTERNS_HELP)
@shared_options
def import_command(paths: tuple[Path, ...], fmt: str, strict_labels: bool,
                   skip_invalid: bool, db: Path | None, analyst: str | None,
                   labels_file: Path | None, patterns_file: Path | None = None) -> None:
    """Import articles (and their spans). Importing twice adds nothing."""
    given = settings(db, analyst, labels_file)
    labels = read_label_file(given.labels) if given.labels else None
    patterns = checked_patterns(patterns_file)
    dataset = writing_dataset(given)
    run_import(dataset, paths, fmt, strict_labels, skip_invalid, labels)
    if patterns is not None:  # kept once the import is in: a refused one keeps nothing
        dataset.keep_patterns(patterns)


def checked_patterns(path: Path | None) -> bytes | None:
    """The bytes of a pattern file given with --patterns, checked whole (a bad one is
    refused before anything is written)."""
    if path is None:
        return None
    from tui.suggest_command import checked_patterns as check

    return check(path)[1]


@main.command("export")
@click.option("--format", "fmt", default="jsonl", show_default=True,
              type=click.Choice(EXPORT_NAMES), help="The format to write.")
@click.option("-o", "--output", type=click.Path(path_type=Path),
              help="File (a folder for brat); default stdout. Written whole or not at all.")
@click.option("--annotator", "only", default=None,
              help="Only this analyst's work (default: every analyst's).")
@click.option("--reviewed", is_flag=True,
              help="Only reviewed articles, each as its reviewer saved it.")
@click.option("--reviewer", default=None,
              help="With --reviewed (implied): this reviewer's versions, where several"
              " reviewed an article.")
@click.option("--all", "every", is_flag=True,
              help="Also the articles nobody has opened (as tasks to label, not examples).")
@click.option("--rejected", is_flag=True,
              help="The suggestions analysts rejected instead, as Prodigy examples answered"
              " reject (--format rejected).")
@click.option("--config", "config", is_flag=True,
              help="Label Studio: the labeling config (XML) of the dataset's labels,"
              " relations and attributes, instead of the tasks.")
@click.option("--db", type=click.Path(path_type=Path), help=DB_HELP)
def export_command(fmt: str, output: Path | None, only: str | None, reviewed: bool,
                   reviewer: str | None, every: bool, db: Path | None,
                   rejected: bool = False, config: bool = False) -> None:
    """Export the dataset (JSONL: one line per article somebody has worked on)."""
    from tui import interchange
    from tui.core.store.export_selection import Choice

    if rejected and fmt not in ("jsonl", "prodigy", "rejected"):
        raise GlossError(f"--rejected writes Prodigy JSONL, not {fmt}")
    fmt = "rejected" if rejected else fmt
    given = settings(db, None, None)
    if config:
        write_config(interchange.get(fmt).name, reading_dataset(given, "export"), output)
        return
    choice = Choice(only or given.annotator, reviewed or reviewer is not None, reviewer,
                    every)
    chosen = interchange.get(fmt)
    if output is None and (chosen.write_folder or chosen.binary):
        raise GlossError(f"{fmt}: give the output with -o"
                         + (f" DIR ({fmt} writes a folder)" if chosen.write_folder else ""))
    dataset = reading_dataset(given, "export")
    with progress_bar("exporting", len(dataset.ids()), "articles") as progress:
        counted = progress.over
        if output is None:
            try:
                report = interchange.export(dataset, sys.stdout.buffer, fmt, None, counted,
                                        choice=choice)
                sys.stdout.buffer.flush()
            except BrokenPipeError:  # `gloss export | head -1`: the reader has had enough
                quiet_stdout()
                return
        else:
            report = interchange.export_file(dataset, output, fmt, None, counted, choice=choice)
    if report.unreadable:  # one line a broken file, and exit 2, as for any bad input
        for problem in report.unreadable:
            say(f"gloss: {problem}; skipped, the {report.articles} other articles exported")
        sys.exit(EXIT_BAD_INPUT)
    for line in report.warnings:
        say(f"warning: {line}")
    if report.tokenized >= TOKENIZED_HINT:  # before the summary: a script reads it last
        say(f"tokenized {report.tokenized:,} articles: `gloss tokens` keeps their tokens for"
            " the next export")
    say(report.summary(choice.reviewed))


# An export that tokenized this many articles itself says how to keep their tokens (about
# half a second of tokenizing): fewer cost too little to mention
TOKENIZED_HINT = 1_000


def write_config(fmt: str, dataset: Dataset, output: Path | None) -> None:
    """``gloss export --config``: the labeling config a Label Studio project needs."""
    from tui.core.disk.storage import write_atomic
    from tui.formats import labelstudio

    if fmt != "labelstudio":
        raise GlossError(f"--config: {fmt} has no labeling config (Label Studio has:"
                         " --format labelstudio)")
    payload = labelstudio.config(dataset.labels).encode()
    if output is None:
        sys.stdout.buffer.write(payload)
    else:
        write_atomic(output.absolute(), payload)  # its temp file beside it
        say(f"wrote the Label Studio labeling config to {output}")


@main.command("stats")
@click.option("--plot", is_flag=True,
              help="The stats screen's plots, each with its numbers, instead of tables.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table",
              show_default=True, help="json: every figure, for scripts.")
@dataset_options
def stats_command(plot: bool, fmt: str, db: Path | None, analyst: str | None) -> None:
    """Articles, spans per label and per analyst, articles done; --plot: progress, labels,
    spans per article and per hour, claims with and without a source."""
    from tui import stats
    from tui.core.store.tally import Tally

    if plot and fmt == "json":
        raise GlossError("--plot draws, --format json does not: give one of them")
    dataset = reading_dataset(settings(db, analyst, None), "stats")
    figures = Tally().figures(dataset)
    try:
        if fmt == "json":
            stats.print_json(figures)
        elif plot:
            stats.print_plots(dataset, figures)
        else:
            stats.render_stats(dataset, figures)
        sys.stdout.flush()
    except BrokenPipeError:  # `gloss stats --format json | head`: the reader has had enough
        quiet_stdout()
    for problem in figures.problems:
        say(f"gloss: {problem}")
    if figures.problems:
        sys.exit(EXIT_BAD_INPUT)


@main.command("claims")
@click.option("--actor", default="", help="Only claims whose source's name holds this.")
@click.option("--place", default="", help="Only claims about a place whose name holds this.")
@click.option("--status", type=click.Choice(["sourced", "to do"]), default=None,
              help="Only claims with a source (or a source kind), or only those still to do.")
@click.option("--format", "fmt", type=click.Choice(["table", "jsonl", "csv", "parquet"]),
              default=None, help="[default: table on a terminal, else jsonl]")
@click.option("-o", "--output", type=click.Path(path_type=Path),
              help="File (needed for parquet); default stdout. Written whole or not at all,"
              " never over a pipe, a device or the dataset.")
@click.option("--no-pager", is_flag=True,
              help="The table straight to the terminal [default: through $GLOSS_PAGER,"
              " else $PAGER, else less]")
@dataset_options
def claims_command(actor: str, place: str, status: str | None, fmt: str | None,
                   output: Path | None, no_pager: bool, db: Path | None,
                   analyst: str | None) -> None:
    """Every claim, grouped by who made it, with its places, article and date; on a
    terminal, a table through a pager (docs/formats.md)."""
    from tui.claims_output import print_claims, save_claims

    if fmt == "parquet" and output is None:
        raise GlossError("parquet: give the output with -o FILE")
    dataset = reading_dataset(settings(db, analyst, None), "claims")
    if output is not None:
        fmt = fmt or {".parquet": "parquet", ".csv": "csv"}.get(output.suffix, "jsonl")
        if fmt == "table":
            raise GlossError("-o: the table is drawn for a terminal; give --format jsonl,"
                             " csv or parquet")
    fmt = fmt or ("table" if sys.stdout.isatty() else "jsonl")
    if output is not None:
        problems = save_claims(dataset, output, fmt, actor=actor, place=place,
                               status=status or "")
    elif fmt == "table" and not no_pager and sys.stdout.isatty():
        from tui import pager

        problems = []  # the pager quit early: what was found till then
        with pager.paged(pager.this_terminal()) as terminal:
            print_claims(dataset, fmt, actor=actor, place=place, status=status or "",
                         problems=problems, terminal=terminal)
    else:
        problems = print_claims(dataset, fmt, actor=actor, place=place, status=status or "")
    for problem in problems:
        say(f"gloss: {problem}")
    if problems:
        sys.exit(EXIT_BAD_INPUT)


@main.command("cues")
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@click.option("--lang", "language", default="en", show_default=True,
              help="The language whose cues to show.")
@click.option("--words", default="", help="Print the words of this list (verbs, unnamed, ...).")
@dataset_options
def cues_command(files: tuple[Path, ...], language: str, words: str, db: Path | None,
                 analyst: str | None) -> None:
    """Check the cue files of claim suggestions (the shipped ones of --lang, DIR/cues/LANG.toml
    and FILES) and show the words in effect (docs/suggestions.md)."""
    from tui.cues_output import print_cues

    print_cues(settings(db, analyst, None).folder, language, files, words)


@main.command("merge")
@click.argument("folders", nargs=-1, required=True, type=click.Path(path_type=Path))
@dataset_options
def merge_command(folders: tuple[Path, ...], db: Path | None, analyst: str | None) -> None:
    """Bring other analysts' datasets (FOLDERS) into this one. Merging twice adds nothing."""
    from tui.core.disk.collector import collector_paused
    from tui.core.team.merging import merge_datasets

    given = settings(db, analyst, None)
    if given.labels is not None:
        raise GlossError("--labels: merge unites the label sets of the folders; give it to"
                         " import or read")
    with collector_paused(), progress_bar("merging", unit="article files") as progress:
        result = merge_datasets(writing_dataset(given), folders, progress)
    say(f"merged {result.read} article files: {result.articles_added} new articles,"
        f" {result.articles_merged} given new spans or statuses, {result.spans_added} spans")
    if result.labels_added:
        say(f"labels added to the label set: {', '.join(result.labels_added)}")


@main.command("git-setup")
@click.option("--db", type=click.Path(path_type=Path), help=DB_HELP)
def git_setup_command(db: Path | None) -> None:
    """Set up this clone of a dataset repository: git then merges two analysts' work on an
    article span by span (docs/teams.md)."""
    from tui.git_team import git_setup

    for line in git_setup(settings(db, None, None).folder):
        say(f"git-setup: {line}")


@main.command("git-merge")
@click.argument("base", type=click.Path(path_type=Path))
@click.argument("ours", type=click.Path(path_type=Path))
@click.argument("theirs", type=click.Path(path_type=Path))
@click.argument("name")
def git_merge_command(base: Path, ours: Path, theirs: Path, name: str) -> None:
    """Merge THEIRS into OURS span by span (git runs it, as git-setup set it up)."""
    from tui.git_team import git_merge

    git_merge(base, ours, theirs, name)


@main.command("agree")
@click.option("--annotators", default="",
              help="The analysts to compare, comma separated [default: every analyst].")
@click.option("--label", "labels", multiple=True,
              help="Only this label (may be given more than once) [default: every label].")
@click.option("--all", "every", is_flag=True,
              help="Every article, not only those every compared analyst marked done.")
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default=None,
              help="[default: table on a terminal, else json]")
@dataset_options
def agree_command(annotators: str, labels: tuple[str, ...], every: bool, fmt: str | None,
                  db: Path | None, analyst: str | None) -> None:
    """How far analysts agree: span F1, Cohen's kappa, Krippendorff's alpha, SOURCE links."""
    from tui.agreement_output import print_agreement

    dataset = reading_dataset(settings(db, analyst, None), "agree")
    fmt = fmt or ("table" if sys.stdout.isatty() else "json")
    names = [name.strip() for name in annotators.split(",") if name.strip()]
    problems = print_agreement(dataset, fmt, names, list(labels), every)
    for problem in problems:
        say(f"gloss: {problem}")
    if problems:
        sys.exit(EXIT_BAD_INPUT)


@main.command("suggest")
@click.option("--patterns", "patterns_file", type=click.Path(path_type=Path),
              help=PATTERNS_HELP + " [default: the one kept]")
@click.option("--model", type=click.Path(path_type=Path), default=None,
              help="Only a trained model's suggestions (gloss train), as the analyst 'model'.")
@click.option("--as", "name", default=None,
              help="The analyst the suggestions are written as [default: suggestions, or"
              " model with --model].")
@click.option("--db", type=click.Path(path_type=Path), help=DB_HELP)
def suggest_command(patterns_file: Path | None, model: Path | None, name: str | None,
                    db: Path | None) -> None:
    """Write every article's suggestions (names seen, patterns, claims on reporting cues;
    or a model's) as an analyst's work, to export, compare (gloss agree) and review
    (gloss review); all or nothing."""
    from tui import suggest_command as suggest

    given = settings(db, None, None)
    if model is not None and patterns_file is not None:
        raise GlossError("--model and --patterns: a model's suggestions are its own; give"
                         " one of them")
    default = suggest.MODEL_ANALYST if model is not None else suggest.ANALYST
    analyst = checked_name(name, "--as") if name is not None else default
    if not given.folder.is_dir():
        raise GlossError(f"no dataset at {given.folder}")
    finder = None
    dataset = writing_dataset(given)
    if model is not None:
        from tui.train_command import needs_spacy

        needs_spacy("gloss suggest --model")
        from tui.core.suggest.model_finder import PARALLEL_CHARS, ModelFinder

        # a long article's worker loads beside this process's own load, not after it
        finder = ModelFinder.load(
            model, worker=suggest.has_long_articles(dataset, PARALLEL_CHARS))
    from tui.core.disk.collector import collector_paused

    try:
        with collector_paused(), progress_bar("suggesting", unit="articles") as progress:
            report = suggest.run(dataset, analyst, patterns_file, progress.over, finder)
    finally:
        if finder is not None:
            finder.close()  # the worker process a long article started, if any
    say(suggest.summary(report, analyst))


@main.command("tokens")
@click.option("--db", type=click.Path(path_type=Path), help=DB_HELP)
def tokens_command(db: Path | None) -> None:
    """Keep the tokens of the articles that have none kept (not imported, or kept by
    another tokenizer), so that the next export copies them instead of tokenizing."""
    from tui import tokens_command as tokens

    dataset = reading_dataset(settings(db, None, None), "tokens")
    with progress_bar("tokenizing", len(dataset.ids()), "articles") as progress:
        report = tokens.run(dataset, progress.advance)
    say(tokens.summary(report))


@main.command("keys")
@keymap_option
def keys_command(keymap_file: Path | None) -> None:
    """Every key as it is here: the key table with your keymap file's keys (docs/keys.md)."""
    from tui.keys_output import print_keys

    found, keymap = keymap_of(keymap_file)
    print_keys(found, keymap)


# Each tab is an app process of about 45 MB: one server starts this many at most
SERVE_MAX_SESSIONS = 8


@main.command("serve")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True,
              help="The port to listen on.")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="The address to listen on; one that is not loopback needs --public.")
@click.option("--public", is_flag=True,
              help="Allow --host to be an address others reach: there is no login.")
@click.option("--max-sessions", type=click.IntRange(1, 1000), default=SERVE_MAX_SESSIONS,
              show_default=True,
              help="Browser tabs served at once (each runs an app of its own, about 45 MB);"
              " one more gets a page saying so.")
@keymap_option
@dataset_options
def serve_command(port: int, host: str, public: bool, max_sessions: int, db: Path | None,
                  analyst: str | None, keymap_file: Path | None = None) -> None:
    """The app in a browser: each tab its own app on the dataset (docs/serve.md)."""
    from tui.serve import GlossServer, app_command, is_loopback

    given = settings(db, analyst, None)
    found, _keymap = keymap_of(keymap_file)  # checked now, read again by each tab's app
    if given.labels is not None:
        raise GlossError("--labels: give it to import or read; serve opens the dataset as"
                         " it is")
    if not is_loopback(host) and not public:
        raise GlossError(f"--host {host} is not a loopback address: anyone who reaches it"
                         " can label and read every article, with no login; add --public"
                         " to mean it, or reach 127.0.0.1 through SSH (docs/serve.md)")
    dataset = writing_dataset(given)  # a folder that cannot hold a dataset is refused now
    os.environ.setdefault("COLORTERM", "truecolor")  # each tab's app: the browser's colours
    server = GlossServer(app_command(dataset.folder, given.analyst, found), host, port,
                         title=f"Gloss · {visible(dataset.folder.name)}",
                         max_sessions=max_sessions)
    shown = f"[{host}]" if ":" in host else host
    try:
        listening = server.listen()
    except OSError as exc:  # strerror alone: bind's adds the address said already
        why = os.strerror(exc.errno) if (exc.errno or 0) > 0 else exc.strerror or str(exc)
        raise GlossError(f"cannot listen on {shown}:{port}: {why}") from exc
    if not is_loopback(host):
        say(f"gloss: warning: serving to anyone who can reach {shown}:{port}, with no login:"
            f" they label as {given.analyst} and read every article (docs/serve.md)")
    say(f"gloss: serving {dataset.folder} as {given.analyst} on http://{shown}:{port}"
        " (ctrl+c stops)")
    server.serve_on(listening)


@main.command("train")
@click.option("--reviewed", is_flag=True,
              help="Only reviewed articles, as their reviewer (--annotator) left them.")
@click.option("--eval-split", type=click.FloatRange(0.05, 0.5), default=0.2,
              show_default=True, help="The share of articles held out to score the model.")
@click.option("--eval-db", type=click.Path(path_type=Path), default=None,
              help="Score on this dataset's articles instead of a split.")
@click.option("--seed", type=int, default=0, show_default=True,
              help="The split's and the training's seed.")
@click.option("--name", default="default", show_default=True,
              help="The model's name: it goes to models/NAME/ under the dataset.")
@click.option("--max-epochs", type=click.IntRange(0), default=0, show_default=True,
              help="Stop after this many passes (0: when the score stops improving).")
@click.option("--patience", type=click.IntRange(1), default=8, show_default=True,
              help="Stop after this many evaluations without a better score.")
@click.option("--output", type=click.Path(path_type=Path), default=None,
              help="The folder of models [default: the dataset's models/].")
@dataset_options
def train_command(reviewed: bool, eval_split: float, eval_db: Path | None, seed: int,
                  name: str, max_epochs: int, patience: int, output: Path | None,
                  db: Path | None, analyst: str | None) -> None:
    """Train a spaCy model (CPU, nothing downloaded) from the finished articles; print its
    held-out figures and write it with its card to models/NAME/ (docs/training.md)."""
    from tui.core.train.examples import Which
    from tui.core.train.run import Limits
    from tui.train_command import Request, run

    given = click.get_current_context().find_object(Settings) or Settings()
    if given.labels is not None:
        raise GlossError("--labels: train learns the labels the articles hold")
    # --annotator picks whose work counts; the login name is never a default for it
    which = Which(reviewed, checked_name(analyst or given.annotator, "--annotator")
                  if analyst or given.annotator else None)
    run(Request(db or given.folder, which, eval_split, eval_db,
                Limits(seed, max_epochs, patience), name, output))
