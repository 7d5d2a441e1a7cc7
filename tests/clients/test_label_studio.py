"""Gloss's Label Studio export in a real Label Studio (1.23.2, from PyPI, in a venv of its
own), on loopback with its own SQLite database in a temp folder: a project made with
`gloss export --format labelstudio --config`, the tasks imported through its API, checked
by its own validator and its own editor in a browser, read back through its export API.

The seed article with its claims (64 + 7 spans of four analysts, 17 links, 8 attributes,
done, reviewed and skipped), a claim after emoji, and the 373 real Prodigy headlines behind
emoji (shared data) go in; everything comes back as it went, the analysts by name.
"""

from __future__ import annotations

import functools
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
import pytest

from tests.clients import corpus
from tests.clients.clients import LS_PASSWORD, LS_TOKEN, LS_USER, label_studio, label_studio_env
from tests.clients.servers import Api, free_port, running, until
from tests.conftest import gloss
from tui.core.store.dataset import Dataset

pytestmark = pytest.mark.clients
NEEDS = ("labelstudio",)

PROBES = Path(__file__).parent / "probes"
CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="module")
def studio(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    python, template = label_studio()
    tmp = tmp_path_factory.mktemp("label-studio")
    shutil.copytree(template, tmp / "data")
    port = free_port()
    command = [str(python), "-m", "label_studio.server", "start", "--no-browser",
               "--internal-host", "127.0.0.1", "-p", str(port), "--data-dir",
               str(tmp / "data")]
    with running([command], label_studio_env(tmp / "home"), tmp / "server.log",
                 f"http://127.0.0.1:{port}/health", cwd=tmp):
        yield Api(f"http://127.0.0.1:{port}", LS_TOKEN)


@pytest.fixture(scope="module")
def sent(studio: Api, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The datasets, exported by `gloss export` (config and tasks), in a new project."""
    tmp = tmp_path_factory.mktemp("sent")
    db = tmp / "db"
    corpus.seed_with_claims(db)
    corpus.emoji_claim(db)
    headlines = corpus.headlines_with_emoji(db, tmp)
    for args in (["--config", "-o", tmp / "config.xml"], ["-o", tmp / "tasks.json"]):
        done = gloss("export", "--format", "labelstudio", *args, "--db", db)
        assert done.returncode == 0, done.stderr
    config = (tmp / "config.xml").read_text()
    tasks = orjson.loads((tmp / "tasks.json").read_bytes())
    project = studio.call("POST", "/api/projects", {"title": "Gloss", "label_config": config})
    answer = studio.call("POST", f"/api/projects/{project['id']}/import", tasks)
    back = studio.call("GET", f"/api/projects/{project['id']}/export?exportType=JSON"
                       "&download_all_tasks=true", raw=True)
    (tmp / "back.json").write_bytes(back)
    return {"tmp": tmp, "db": db, "headlines": headlines, "tasks": tasks, "answer": answer,
            "project": project["id"], "back": orjson.loads(back)}


def regions(task: dict[str, Any]) -> list[tuple[int, int, str, str]]:
    return sorted((r["value"]["start"], r["value"]["end"], r["value"]["labels"][0],
                   r["value"]["text"]) for a in task["annotations"] for r in a["result"]
                  if r["type"] == "labels")


def test_every_task_span_relation_attribute_and_status_arrives(sent):
    tasks, back = sent["tasks"], sent["back"]
    sent_annotations = sum(len(t["annotations"]) for t in tasks)
    assert (sent["answer"]["task_count"], sent["answer"]["annotation_count"]) == (
        len(tasks), sent_annotations)
    expected = corpus.counts(corpus.contents(Dataset(sent["db"], "x")))
    assert len(tasks) == expected["articles"] == 2 + sent["headlines"]
    by_text = {t["data"]["text"]: t for t in back}
    assert len(by_text) == len(tasks)
    for task in tasks:
        kept = by_text[task["data"]["text"]]
        assert regions(kept) == regions(task)
        # offsets in Label Studio's terms: its Text tag and its converters count code points
        assert all(kept["data"]["text"][s:e] == said for s, e, _, said in regions(kept))
        assert kept["meta"] == task["meta"]  # the analysts, by annotation id
        annotations = {a["import_id"]: a for a in kept["annotations"]}
        for annotation in task["annotations"]:
            there = annotations[annotation["id"]]
            assert there["result"] == annotation["result"]  # relations and choices too
            assert (there["was_cancelled"], there["ground_truth"]) == (
                annotation["was_cancelled"], annotation["ground_truth"])
    results = [r for t in back for a in t["annotations"] for r in a["result"]]
    arrived = {kind: sum(r["type"] == kind for r in results)
               for kind in ("labels", "relation", "choices", "textarea")}
    assert arrived["labels"] == expected["spans"]
    assert arrived["relation"] == expected["relations"]
    assert arrived["choices"] + arrived["textarea"] == expected["attributes"]
    statuses = sorted((t["meta"]["annotators"][str(a["import_id"])], a["was_cancelled"],
                       a["ground_truth"]) for t in back for a in t["annotations"]
                      if t["data"]["text"].startswith("President Trump"))
    assert statuses == [("mykola", True, False), ("olena", False, False),
                        ("review", False, True), ("taras", False, False)]


def test_label_studios_validator_takes_every_result_against_the_config(sent):
    python, _ = label_studio()
    checked = subprocess.run([str(python), str(PROBES / "labelstudio_validate.py"),
                              str(sent["tmp"] / "config.xml"), str(sent["tmp"] / "tasks.json")],
                             capture_output=True, text=True, timeout=300, check=True)
    assert orjson.loads(checked.stdout) == []


def test_label_studios_export_reads_back_as_it_was_sent(sent, tmp_path):
    back_db = tmp_path / "back"
    done = gloss("import", "--format", "labelstudio", sent["tmp"] / "back.json", "--db",
                 back_db, env={"GLOSS_ANNOTATOR": "importer"})
    assert done.returncode == 0, done.stderr
    original = Dataset(sent["db"], "x")
    again = Dataset(back_db, "x")
    assert corpus.contents(again) == corpus.contents(original)  # analysts by name, statuses
    assert not any("labelstudio_id" in a.document.meta for a in again.articles())
    first = gloss("export", "--format", "labelstudio", "--db", sent["db"])
    second = gloss("export", "--format", "labelstudio", "--db", back_db)
    assert second.stdout == first.stdout


@pytest.mark.skipif(not CHROMIUM.exists(), reason=f"no browser at {CHROMIUM}")
def test_label_studios_editor_draws_every_region_on_its_own_text(studio, sent):
    """In Label Studio's own editor, in a browser: each region after the emoji highlights
    exactly its span's text (counted in UTF-16 units, they fell 1 to 10 characters late)."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    chosen = [t for t in sent["back"] if len(t["annotations"]) == 1 and regions(t) and (
        t["data"]["text"] == corpus.EMOJI_CLAIM or t["data"]["text"].startswith(
            corpus.EMOJI))][:4]
    assert chosen
    base = studio.base
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
            "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        try:
            page = browser.new_page()
            page.goto(f"{base}/user/login")
            page.fill("input[name=email]", LS_USER)
            page.fill("input[name=password]", LS_PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_load_state("networkidle")
            for task in chosen:
                page.goto(f"{base}/projects/{sent['project']}/data?task={task['id']}")
                expected = sorted(said for *_, said in regions(task))
                drawn = until("the regions drawn",
                              functools.partial(_highlighted, page, len(expected)), limit=120)
                assert sorted(drawn) == expected, task["data"]["text"]
        finally:
            browser.close()


def _highlighted(page: Any, count: int) -> list[str] | None:
    found = page.eval_on_selector_all(".htx-highlight", "els => els.map(e => e.textContent)")
    return found if len(found) >= count else None


def test_a_region_drawn_in_label_studio_reads_back_where_it_was_drawn_and_by_whom(
        studio, sent, tmp_path):
    """An annotation made in Label Studio itself, by its user, after emoji; exported with
    its annotators' emails (a snapshot export with completed_by expanded)."""
    [task] = [t for t in studio.call("GET", f"/api/tasks?project={sent['project']}"
                                     "&page_size=1000")["tasks"]
              if t["data"]["text"] == corpus.EMOJI_CLAIM]
    text = corpus.EMOJI_CLAIM
    start = text.index("Riyadh")
    studio.call("POST", f"/api/tasks/{task['id']}/annotations", {
        "was_cancelled": False, "ground_truth": False, "result": [{
            "id": "drawn", "type": "labels", "from_name": "label", "to_name": "text",
            "origin": "manual", "value": {"start": start, "end": start + 6, "text": "Riyadh",
                                          "labels": ["LOCATION"]}}]})
    snapshot = studio.call("POST", f"/api/projects/{sent['project']}/exports/", {
        "title": "with emails", "serialization_options": {
            "annotations__completed_by": {"only_id": False}}})
    url = f"/api/projects/{sent['project']}/exports/{snapshot['id']}"
    until("the snapshot", lambda: studio.call("GET", url)["status"] == "completed")
    exported = studio.call("GET", f"{url}/download?exportType=JSON", raw=True)
    path = tmp_path / "snapshot.json"
    path.write_bytes(exported)
    done = gloss("import", "--format", "labelstudio", path, "--db", tmp_path / "db")
    assert done.returncode == 0, done.stderr
    [article] = [a for a in Dataset(tmp_path / "db", "x").articles()
                 if a.document.text == text]
    drawn = [(s.start, s.end, s.text) for s in article.spans if s.annotator == LS_USER]
    assert drawn == [(start, start + 6, "Riyadh")]
    assert {s.annotator for s in article.spans} == {"taras", LS_USER}
