"""The hostile-input suite's harness: run `gloss` against a bad input and check the rule.

The rule, for every door (every reader, --labels, the stored files, the dataset folder):
exit 0 with the data imported (and every stored file still readable), or exactly one line
`gloss: FILE[:LINE]: reason` on stderr and exit 2 with the dataset folder byte-identical
to before (labels.json and .locks included); never a traceback, never a hang, never a
terminal control from the data on stderr.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import signal
import stat
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO
from unittest import mock

import orjson

from tui.core.disk.storage import CorruptFileError
from tui.core.store.dataset import Dataset

ONE_LINE = re.compile(r"gloss: ([^\n]+?: [^\n]+|no dataset at [^\n]+)\n")
# What a terminal acts on: C0 but tab and LF, DEL, C1, and the bidi overrides.
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
HANG_S = 20  # far beyond any honest run of these small inputs: only a hang gets there

# Each JSON type a field may be replaced with (NaN and huge ints are not JSON: written raw)
TYPES: dict[str, bytes] = {
    "null": b"null", "bool": b"true", "int": b"7", "huge": b"123456789012345678901234567890",
    "float": b"2.5", "nan": b"NaN", "string": b'"x"', "list": b'[1, "a", null]',
    "object": b'{"a": [1]}',
}


@dataclass(slots=True)
class Outcome:
    code: int
    out: bytes
    err: str


def run(*args: object, env: dict[str, str] | None = None) -> Outcome:
    """`gloss ARGS` in this process (most cases: a few milliseconds each)."""
    from tui.cli import entry

    buffer = io.BytesIO()
    stdout = io.TextIOWrapper(buffer, encoding="utf-8")
    stderr = io.StringIO()
    code = 0
    with contextlib.ExitStack() as stack:
        stack.enter_context(mock.patch.object(sys, "argv", ["gloss", *map(str, args)]))
        stack.enter_context(mock.patch.dict(os.environ, {"GLOSS_ANNOTATOR": "alice",
                                                         **(env or {})}))
        stack.enter_context(contextlib.redirect_stdout(stdout))
        stack.enter_context(contextlib.redirect_stderr(stderr))
        stack.enter_context(watchdog(" ".join(map(str, args))))
        try:
            entry()
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    stdout.flush()
    return Outcome(code, buffer.getvalue(), stderr.getvalue())


@contextlib.contextmanager
def watchdog(what: str) -> Iterator[None]:
    """Fail a case that has not ended after ``HANG_S`` seconds: a hang, not a slow run."""

    def hung(signum: int, frame: object) -> None:
        raise AssertionError(f"gloss {what} hung")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(HANG_S)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def can_drop_privileges() -> bool:
    return os.geteuid() != 0 or shutil.which("setpriv") is not None


def run_child(*args: object, cwd: Path | None = None, env: dict[str, str] | None = None,
              unprivileged: bool = False, stdout: IO[bytes] | None = None) -> Outcome:
    """`gloss ARGS` in a child process, for the doors that could hang (a FIFO, a device)
    or that need file permissions to apply (root ignores them: the child is then run
    without the capabilities that let root read anything)."""
    command = [sys.executable, "-m", "tui", *map(str, args)]
    if unprivileged and os.geteuid() == 0:
        command = ["setpriv", "--bounding-set=-dac_override,-dac_read_search",
                   "--inh-caps=-all", *command]
    full_env = {**os.environ, "GLOSS_ANNOTATOR": "alice", **(env or {})}
    try:
        done = subprocess.run(command, cwd=cwd, env=full_env, stdin=subprocess.DEVNULL,
                              stdout=stdout or subprocess.PIPE, stderr=subprocess.PIPE,
                              timeout=HANG_S)
    except subprocess.TimeoutExpired as exc:
        raise AssertionError(f"gloss {' '.join(map(str, args))} hung") from exc
    return Outcome(done.returncode, done.stdout or b"",
                   done.stderr.decode("utf-8", "replace"))


def snapshot(folder: Path) -> dict[str, tuple[str, bytes | str, int]] | None:
    """Every entry under ``folder`` (hidden ones included) with its kind, bytes and mode."""
    if not os.path.lexists(folder):
        return None
    found: dict[str, tuple[str, bytes | str, int]] = {}
    for path in [folder, *sorted(_walk(folder))]:
        info = path.lstat()
        kind = stat.S_IFMT(info.st_mode)
        rel = str(path.relative_to(folder))
        if stat.S_ISREG(kind):
            try:
                content: bytes | str = path.read_bytes()
            except OSError:
                content = "unreadable"
        elif stat.S_ISLNK(kind):
            content = os.readlink(path)
        else:
            content = ""
        found[rel] = (str(kind), content, stat.S_IMODE(info.st_mode))
    return found


def _walk(folder: Path) -> list[Path]:
    out = []
    for root, dirs, files in os.walk(folder):
        out += [Path(root, name) for name in dirs + files]
    return out


def check(outcome: Outcome, folder: Path, before: object, *, imports: bool = True) -> None:
    """The rule. ``before`` is the folder's snapshot before the run."""
    assert "Traceback" not in outcome.err, outcome.err
    assert outcome.code in (0, 2), f"exit {outcome.code}: {outcome.err}"
    assert not CONTROL.search(outcome.err), f"a terminal control on stderr: {outcome.err!r}"
    if outcome.code == 2:
        assert ONE_LINE.fullmatch(outcome.err), f"not one line: {outcome.err!r}"
        assert snapshot(folder) == before, "a refused run changed the dataset"
    elif imports:
        every_article_reads(folder)
    else:
        assert snapshot(folder) == before, "reading changed the dataset"


def every_article_reads(folder: Path) -> None:
    if not folder.exists():
        return
    broken = [item for item in Dataset.existing(folder, "x").articles()
              if isinstance(item, CorruptFileError)]
    assert not broken, broken


def attack(tmp: Path, *args: object, child: bool = False, unprivileged: bool = False,
           db: Path | None = None, imports: bool = True) -> Outcome:
    """Run one case against the dataset ``db`` (default ``tmp/db``) and check the rule."""
    db = db or tmp / "db"
    before = snapshot(db)
    outcome = (run_child(*args, "--db", db, cwd=tmp, unprivileged=unprivileged) if child
               else run(*args, "--db", db))
    check(outcome, db, before, imports=imports)
    return outcome


# -- valid inputs of every format, to be broken ------------------------------------

TEXT = "Putin and Zelensky spoke about a cease-fire in Kyiv. Trump said talks would resume."


def at(word: str, text: str = TEXT) -> tuple[int, int]:
    start = text.index(word)
    return start, start + len(word)


def prodigy_record() -> dict:
    putin, kyiv = at("Putin"), at("Kyiv")
    return {"text": TEXT, "meta": {"source": "wire", "title": "Talks"},
            "_annotator_id": "bob", "answer": "accept",
            "spans": [{"start": putin[0], "end": putin[1], "label": "ACTOR"},
                      {"start": kyiv[0], "end": kyiv[1], "label": "LOCATION", "text": "Kyiv"}],
            "relations": [{"head": 0, "child": 8, "label": "IN",
                           "head_span": {"start": putin[0], "end": putin[1],
                                         "label": "ACTOR"},
                           "child_span": {"start": kyiv[0], "end": kyiv[1],
                                          "label": "LOCATION"}}]}


def doccano_label_record() -> dict:
    return {"text": TEXT, "label": [[*at("Putin"), "ACTOR"], [*at("Kyiv"), "LOCATION"]],
            "meta": {"source": "doccano"}}


def doccano_entities_record() -> dict:
    putin, kyiv = at("Putin"), at("Kyiv")
    return {"id": 1, "text": TEXT,
            "entities": [{"id": 10, "start_offset": putin[0], "end_offset": putin[1],
                          "label": "ACTOR"},
                         {"id": 11, "start_offset": kyiv[0], "end_offset": kyiv[1],
                          "label": "LOCATION"}],
            "relations": [{"id": 1, "from_id": 10, "to_id": 11, "type": "IN"}]}


def labelstudio_task() -> dict:
    putin, kyiv = at("Putin"), at("Kyiv")
    return {"id": 3, "data": {"text": TEXT, "title": "Talks"},
            "meta": {"annotators": {"7": "carol", "8": "dave"}},
            "annotations": [{"id": 8, "import_id": 7,
                             "completed_by": {"email": "bob@example.org"}, "result": [
                {"id": "a", "type": "labels", "from_name": "label", "to_name": "text",
                 "value": {"start": putin[0], "end": putin[1], "text": "Putin",
                           "labels": ["ACTOR"]}},
                {"id": "b", "type": "labels", "from_name": "label", "to_name": "text",
                 "value": {"start": kyiv[0], "end": kyiv[1], "text": "Kyiv",
                           "labels": ["LOCATION"]}},
                {"type": "relation", "from_id": "a", "to_id": "b", "labels": ["IN"]}]}]}


def jsonl(*records: dict) -> bytes:
    return b"".join(orjson.dumps(r) + b"\n" for r in records)


BRAT_ANN = ("T1\tACTOR {} {}\tPutin\nT2\tLOCATION {} {}\tKyiv\nR1\tIN Arg1:T1 Arg2:T2\t\n"
            "A1\tNegated T1\n").format(*at("Putin"), *at("Kyiv"))
CONLL = ("-DOCSTART-\tO\n\nPutin\tB-ACTOR\nand\tO\nZelensky\tB-ACTOR\nspoke\tO\nin\tO\n"
         "Kyiv\tB-LOCATION\n.\tO\n\nTrump\tB-ACTOR\nsaid\tO\nso\tO\n.\tO\n")
CSV = "title,text,source\nTalks,\"" + TEXT + "\",wire\nMore,Second article here.,wire\n"
LABELS_JSON = b'[{"name": "ACTOR", "key": "1", "colour": "#61afef"}, {"name": "CLAIM"}]'
LABELS_TEXT = b"ACTOR\nCLAIM\n# a comment\nLOCATION\n"


def seeds() -> dict[str, tuple[str, bytes]]:
    """name -> (file name, bytes) of one valid file a format (brat: the .ann, beside a
    .txt that :func:`place` writes)."""
    return {
        "jsonl": ("in.jsonl", jsonl(prodigy_record(), {"text": "Second article."})),
        "doccano": ("in.jsonl", jsonl(doccano_label_record(), {"text": "Second.",
                                                               "label": []})),
        "doccano-entities": ("in.jsonl", jsonl(doccano_entities_record())),
        "labelstudio": ("in.json", orjson.dumps([labelstudio_task()])),
        "brat": ("in.ann", BRAT_ANN.encode()),
        "conll": ("in.conll", CONLL.encode()),
        "text": ("in.txt", TEXT.encode()),
        "csv": ("in.csv", CSV.encode()),
    }


FORMAT_OF = {"jsonl": "jsonl", "doccano": "doccano", "doccano-entities": "doccano",
             "labelstudio": "labelstudio", "brat": "brat", "conll": "conll", "text": "text",
             "csv": "csv"}


def place(tmp: Path, name: str, content: bytes) -> Path:
    """Write one input file of format ``name`` with ``content``; return what to import."""
    filename = seeds()[name][0]
    folder = tmp / "input"
    folder.mkdir(exist_ok=True)
    path = folder / filename
    path.write_bytes(content)
    if name == "brat":
        (folder / "in.txt").write_text(TEXT, encoding="utf-8")
    return path


def import_args(name: str, path: Path) -> list[object]:
    return ["import", path, "--format", FORMAT_OF[name]]
