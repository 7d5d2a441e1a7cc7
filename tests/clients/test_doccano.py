"""Gloss's doccano export in a real doccano (1.8.4, from PyPI, in a venv of its own): its web
server (gunicorn) and its task queue (a celery worker: doccano imports and exports in it)
on loopback with their own SQLite database in a temp folder. A sequence-labelling project
with relations takes the file through doccano's upload API ("JSONL(Relation)"), and
doccano's own export reads back into Gloss.

doccano counts offsets as its browser editor does: UTF-16 units (grapheme mode off, the
default). It keeps the spans, the links and each record's meta (so the analysts Gloss names
there); it has no attributes and no statuses: those are what it drops, and the test says so.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest

from tests.clients import clients, corpus
from tests.clients.servers import Api, free_port, running, until
from tests.conftest import SHARED_DATA, gloss
from tui.core.store.dataset import Dataset

pytestmark = pytest.mark.clients
NEEDS = ("doccano",)

SETTINGS = '''from config.settings.production import *  # noqa: F403

# uploads wait in the test's folder, not inside the venv
DJANGO_DRF_FILEPOND_UPLOAD_TMP = {uploads!r}
DJANGO_DRF_FILEPOND_ALLOW_EXTERNAL_UPLOAD_DIR = True
'''


def backend(python: Path) -> Path:
    found = subprocess.run([str(python), "-c", "import backend; print(backend.__path__[0])"],
                           capture_output=True, text=True, check=True)
    return Path(found.stdout.strip())


# The web server's health check pings the worker, and both then get-or-create celery's
# queue row in the shared SQLite broker: when they race, the loser's insert breaks the
# UNIQUE constraint and the worker dies at start. Declared once before either starts,
# each finds the row.
DECLARE = """
import kombu
from config.celery import app
with app.connection() as connection:
    kombu.Queue("celery", kombu.Exchange("celery", "direct"), "celery")(
        connection.default_channel).declare()
"""


def declare_queue(python: Path, env: dict[str, str], code: Path) -> None:
    subprocess.run([str(python), "-c", DECLARE], env=env, cwd=code, check=True,
                   capture_output=True, timeout=300)


@pytest.fixture(scope="module")
def doccano(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    python, database = clients.doccano()
    tmp = tmp_path_factory.mktemp("doccano")
    shutil.copy(database, tmp / "db.sqlite3")
    (tmp / "gloss_settings.py").write_text(SETTINGS.format(uploads=str(tmp / "uploads")))
    # made before either starts: each of the web server and the worker makes them when
    # missing (django_drf_filepond's ready(): its upload folder and its file store, the
    # MEDIA_ROOT clients.py sets), and the one that comes second to one fails to boot on
    # FileExistsError (seen for both)
    (tmp / "uploads").mkdir(mode=0o700)
    (tmp / "media").mkdir(mode=0o700)
    code = backend(python)
    env = clients.doccano_env(tmp, "gloss_settings")
    declare_queue(python, env, code)
    port = free_port()
    web = [str(python), "-m", "gunicorn", "--chdir", str(code), "--bind",
           f"127.0.0.1:{port}", "--workers", "1", "config.wsgi"]
    queue = [str(python), "-m", "celery", "--app=config", f"--workdir={code}", "worker",
             "--pool=solo", "--concurrency=1", "--loglevel=warning"]
    with running([web, queue], env, tmp / "server.log",
                 f"http://127.0.0.1:{port}/v1/health/", cwd=code):
        api = Api(f"http://127.0.0.1:{port}")
        api.token = api.call("POST", "/v1/auth/login/", {
            "username": clients.DOCCANO_USER, "password": clients.DOCCANO_PASSWORD})["key"]
        yield api


def finished(api: Api, task: str) -> Any:
    """What doccano's task queue answered for ``task``, once it has."""
    def ready() -> Any:
        state = api.call("GET", f"/v1/tasks/status/{task}")
        return state if state["ready"] else None

    answer = until(f"doccano's task {task}", ready)
    assert answer["error"] is None, answer
    return answer["result"]


@pytest.fixture(scope="module")
def sent(doccano: Api, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The datasets, and doccano's relation file, exported by `gloss export`, uploaded to
    a new project and exported again by doccano."""
    tmp = tmp_path_factory.mktemp("sent")
    db = tmp / "db"
    corpus.seed_with_claims(db)
    corpus.emoji_claim(db)
    headlines = corpus.headlines_with_emoji(db, tmp)
    relations_file = SHARED_DATA / "doccano" / "relation_extraction.jsonl"
    if relations_file.exists():
        done = gloss("import", relations_file, "--db", db, env={"GLOSS_ANNOTATOR": "dana"})
        assert done.returncode == 0, done.stderr
    done = gloss("export", "--format", "doccano", "-o", tmp / "sent.jsonl", "--db", db)
    assert done.returncode == 0, done.stderr
    records = [orjson.loads(line) for line in (tmp / "sent.jsonl").read_bytes().splitlines()]
    project = doccano.call("POST", "/v1/projects", {
        "name": "Gloss", "description": "claims", "project_type": "SequenceLabeling",
        "resourcetype": "SequenceLabelingProject", "use_relation": True,
        "allow_overlapping": True, "grapheme_mode": False})["id"]
    upload = doccano.upload("/v1/fp/process/", "filepond", "sent.jsonl",
                            (tmp / "sent.jsonl").read_bytes()).decode()
    task = doccano.call("POST", f"/v1/projects/{project}/upload", {
        "format": "JSONL", "task": "RelationExtraction", "uploadIds": [upload],
        "column_data": "text", "column_label": "label", "encoding": "utf_8"})["task_id"]
    imported = finished(doccano, task)
    back = export(doccano, project)
    (tmp / "back.jsonl").write_bytes(back)
    return {"tmp": tmp, "db": db, "records": records, "headlines": headlines,
            "project": project, "imported": imported,
            "back": [orjson.loads(line) for line in back.splitlines() if line.strip()]}


def export(api: Api, project: int) -> bytes:
    task = api.call("POST", f"/v1/projects/{project}/download",
                    {"format": "JSONL", "exportApproved": False})["task_id"]
    finished(api, task)
    archive = zipfile.ZipFile(io.BytesIO(api.call(
        "GET", f"/v1/projects/{project}/download?taskId={task}", raw=True)))
    [name] = archive.namelist()  # one file a doccano user: everything went in as admin
    assert name == f"{clients.DOCCANO_USER}.jsonl"
    return archive.read(name)


def entities(record: dict[str, Any]) -> tuple[list[Any], list[Any]]:
    """The record's spans as (start, end, label, text in doccano's UTF-16 terms), and its
    links between them."""
    units = record["text"].encode("utf-16-le")
    spans = {e["id"]: (e["start_offset"], e["end_offset"], e["label"],
                       units[2 * e["start_offset"]:2 * e["end_offset"]].decode("utf-16-le"))
             for e in record["entities"]}
    links = sorted((spans[r["from_id"]], spans[r["to_id"]], r["type"])
                   for r in record["relations"])
    return sorted(spans.values()), links


def test_doccano_imports_every_record_span_and_link(sent):
    assert sent["imported"] == {"error": []}
    records, back = sent["records"], sent["back"]
    # Gloss wrote one form (the linked one): doccano refuses a file that mixes them
    assert all(set(r) == {"text", "entities", "relations", "meta"} for r in records)
    held = corpus.contents(Dataset(sent["db"], "x"))
    skipped = [t for t, a in held.items() if set(a["status"].values()) == {"skipped"}]
    assert len(records) == len(held) - len(skipped)  # doccano cannot say skipped
    by_text = {r["text"]: r for r in back}
    assert len(by_text) == len(records)
    spans = links = 0
    for record in records:
        kept = by_text[record["text"]]
        assert entities(kept) == entities(record)
        assert kept["meta"] == record["meta"]  # the analysts Gloss names, kept
        spans += len(record["entities"])
        links += len(record["relations"])
    original = corpus.counts({t: a for t, a in held.items() if t not in skipped})
    assert spans == original["spans"] and links == original["relations"]
    # doccano has no attributes: it drops Gloss's key on import
    assert not any("attributes" in e for r in back for e in r["entities"])


def test_every_span_is_on_its_text_in_doccanos_utf16_terms(sent):
    emoji = [r for r in sent["back"] if any(ord(c) > 0xFFFF for c in r["text"])]
    assert len(emoji) >= sent["headlines"]  # the claim, and the headlines but a skipped one
    for record in emoji:
        for start, end, _, text in entities(record)[0]:
            assert record["text"].encode("utf-16-le")[2 * start:2 * end].decode(
                "utf-16-le") == text
    [claim] = [r for r in sent["back"] if r["text"] == corpus.EMOJI_CLAIM]
    assert [(s, e, t) for s, e, _, t in entities(claim)[0]] == [
        (0, 4, "Kyiv"), (20, 28, "Zelensky"), (20, 48, "Zelensky met Trump in Riyadh"),
        (33, 38, "Trump"), (42, 48, "Riyadh")]


def test_doccanos_export_reads_back_as_gloss_wrote_it(sent, tmp_path):
    """What doccano gives back is what Gloss's own file gives, but for the attributes."""
    for name, source in (("file", sent["tmp"] / "sent.jsonl"),
                         ("doccano", sent["tmp"] / "back.jsonl")):
        done = gloss("import", "--format", "doccano", source, "--db", tmp_path / name,
                     env={"GLOSS_ANNOTATOR": "importer"})
        assert done.returncode == 0, done.stderr
    via_file, via_doccano = (corpus.contents(Dataset(tmp_path / name, "x"), attributes=False)
                             for name in ("file", "doccano"))
    assert via_doccano.keys() == via_file.keys()
    for text, held in via_file.items():
        assert via_doccano[text] == held, text
    # one analyst's record reads back as theirs, by the name doccano kept in its meta
    claim = via_doccano[corpus.EMOJI_CLAIM]
    assert {span[-1] for span in claim["spans"]} == {"taras"}
    assert not any("doccano_Comments" in a.document.meta or "Comments" in a.document.meta
                   for a in Dataset(tmp_path / "doccano", "x").articles())


def test_a_span_drawn_in_doccano_after_emoji_reads_back_on_its_text(doccano, sent, tmp_path):
    examples = doccano.call("GET", f"/v1/projects/{sent['project']}/examples?limit=1000")
    [example] = [e for e in examples["results"] if e["text"] == corpus.EMOJI_CLAIM]
    types = doccano.call("GET", f"/v1/projects/{sent['project']}/span-types")
    [place] = [t["id"] for t in types if t["text"] == "LOCATION"]
    said = corpus.EMOJI_CLAIM.index("said")
    start = len(corpus.EMOJI_CLAIM[:said].encode("utf-16-le")) // 2  # as its editor counts
    doccano.call("POST", f"/v1/projects/{sent['project']}/examples/{example['id']}/spans",
                 {"label": place, "start_offset": start, "end_offset": start + 4,
                  "example": example["id"], "prob": 0.0})
    (tmp_path / "again.jsonl").write_bytes(export(doccano, sent["project"]))
    done = gloss("import", "--format", "doccano", tmp_path / "again.jsonl", "--db",
                 tmp_path / "db")
    assert done.returncode == 0, done.stderr
    [article] = [a for a in Dataset(tmp_path / "db", "x").articles()
                 if a.document.text == corpus.EMOJI_CLAIM]
    assert ("said", "LOCATION") in {(s.text, s.label) for s in article.spans}
    assert [(s.start, s.end) for s in article.spans if s.text == "said"] == [
        (said, said + 4)]
