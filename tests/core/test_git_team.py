"""A team over real git: a bare origin, two clones set up with `gloss git-setup`, two
analysts labelling the same article (through `Dataset`, once through `gloss import`),
committing, pushing and pulling both ways. Both end with the same union, no conflict
marker anywhere and a clean `git status`; a relabel on both sides follows "updated last
wins"; a removal on one side stays removed; a broken file on one side is a conflict that
leaves the file as it was."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import orjson
import pytest

from tests.conftest import ARTICLE, gloss
from tui.core.document.model import Document, Relation, now
from tui.core.store.dataset import Dataset

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

MARKERS = (b"<<<<<<<", b">>>>>>>", b"\n=======")


def git(cwd: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True,
                          env=GIT_ENV, check=False, timeout=120)
    if check:
        assert done.returncode == 0, f"git {' '.join(args)}: {done.stdout}{done.stderr}"
    return done


# Git without the machine's or the user's settings (a global pull.rebase, a hook)
GIT_ENV = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
           "GIT_TERMINAL_PROMPT": "0", "GIT_EDITOR": "true", "GIT_MERGE_AUTOEDIT": "no"}


class Clone:
    """One analyst's clone of the team's repository, its dataset in ``annotations/``."""

    def __init__(self, origin: Path, folder: Path, analyst: str) -> None:
        git(folder.parent, "clone", "-q", str(origin), folder.name)
        for key, value in (("user.name", analyst), ("user.email", f"{analyst}@example.org"),
                           ("pull.rebase", "false")):
            git(folder, "config", key, value)
        self.folder = folder
        self.db = folder / "annotations"
        self.analyst = analyst
        done = gloss("git-setup", "--db", self.db)
        assert done.returncode == 0, done.stderr

    @property
    def dataset(self) -> Dataset:
        return Dataset(self.db, self.analyst)

    def commit(self, message: str) -> None:
        git(self.folder, "add", "-A")
        git(self.folder, "commit", "-q", "-m", message)

    def pull(self, *args: str) -> subprocess.CompletedProcess[str]:
        return git(self.folder, "pull", "-q", *args)

    def push(self) -> None:
        git(self.folder, "push", "-q", "origin", "HEAD")

    def spans(self, doc_id: str) -> set[tuple[str, str, str]]:
        return {(s.text, s.label, s.annotator) for s in self.dataset.spans(doc_id)}


def label(dataset: Dataset, doc_id: str, words: str, name: str) -> str:
    start = ARTICLE.index(words)
    return dataset.new_span(doc_id, start, start + len(words), name).id


@pytest.fixture
def team(tmp_path: Path) -> tuple[Clone, Clone, str]:
    """origin.git holding one article with olena's "Putin" and "Trump", set up for git;
    olena's and petro's clones of it."""
    origin = tmp_path / "origin.git"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(origin))
    seed = Clone(origin, tmp_path / "seed", "olena")
    document = Document.from_text(ARTICLE, {"title": "Talks"})
    seed.dataset.add_article(document)
    label(seed.dataset, document.id, "Putin", "ACTOR")
    label(seed.dataset, document.id, "Trump", "ACTOR")
    seed.commit("an article to label")
    git(seed.folder, "push", "-q", "origin", "HEAD:main")
    return (Clone(origin, tmp_path / "olena", "olena"), Clone(origin, tmp_path / "petro",
                                                               "petro"), document.id)


def in_step(first: Clone, second: Clone) -> None:
    """The daily loop once for each: commit, pull, push (first before second), then the
    first pulls what the second merged."""
    first.commit(f"{first.analyst}'s labels")
    first.pull()
    first.push()
    second.commit(f"{second.analyst}'s labels")
    second.pull()
    second.push()
    first.pull()


def settled(*clones: Clone) -> None:
    """Every clone: the same files, no conflict marker, nothing left to commit."""
    files = []
    for clone in clones:
        assert git(clone.folder, "status", "--porcelain").stdout == ""
        found = {}
        for path in sorted(clone.db.rglob("*")):
            if path.is_file():
                content = path.read_bytes()
                assert not any(marker in content for marker in MARKERS), path
                found[path.relative_to(clone.db)] = content
        files.append({p: c for p, c in found.items() if not str(p).startswith(".")})
    assert all(f == files[0] for f in files)
    for clone in clones:  # every article file reads as Gloss's own
        assert all(not isinstance(item, Exception) for item in clone.dataset.articles())


def test_git_setup_writes_the_attributes_the_ignores_and_this_pythons_driver(team):
    olena, _, _ = team
    attributes = (olena.db / ".gitattributes").read_text()
    assert "/labels.json merge=gloss" in attributes
    assert "[0-9a-f]" * 16 + ".json merge=gloss" in attributes
    ignored = (olena.db / ".gitignore").read_text().splitlines()
    assert {"/.locks/", "/.cache/", "/.tokens/", ".*.tmp"} <= set(ignored)
    driver = git(olena.folder, "config", "merge.gloss.driver").stdout.strip()
    assert driver.startswith(str(Path(sys.executable).absolute()))
    assert driver.endswith("-P -m tui git-merge %O %A %B %P")
    # run twice: nothing added twice, a line of the analyst's own kept
    (olena.db / ".gitignore").write_text("\n".join([*ignored, "notes/"]) + "\n")
    assert gloss("git-setup", "--db", olena.db).returncode == 0
    assert (olena.db / ".gitattributes").read_text() == attributes
    assert (olena.db / ".gitignore").read_text().count("/.locks/") == 1
    assert "notes/" in (olena.db / ".gitignore").read_text()
    git(olena.folder, "check-ignore", "-q", "annotations/.locks/x.lock")


def test_two_analysts_label_one_article_and_both_end_with_the_union(team, tmp_path):
    olena, petro, doc_id = team
    label(olena.dataset, doc_id, "Ukraine", "LOCATION")
    claim = label(olena.dataset, doc_id, "the talks in Riyadh must include Zelensky",
                  "CLAIM")
    kyiv = label(olena.dataset, doc_id, "Kyiv", "ACTOR")
    olena.dataset.save_relation(doc_id, Relation(claim, kyiv, "SOURCE", "olena"))
    olena.dataset.set_status(doc_id, "done")
    label(petro.dataset, doc_id, "Zelensky", "ACTOR")
    riyadh = ARTICLE.index("Riyadh")
    record = {"text": ARTICLE, "_annotator_id": "petro", "spans": [
        {"start": riyadh, "end": riyadh + 6, "label": "LOCATION"}]}
    (tmp_path / "petro.jsonl").write_bytes(orjson.dumps(record) + b"\n")
    done = gloss("import", tmp_path / "petro.jsonl", "--db", petro.db,
                 env={"GLOSS_ANNOTATOR": "petro"})  # labelling through the command line
    assert done.returncode == 0, done.stderr
    in_step(olena, petro)
    union = {("Putin", "ACTOR", "olena"), ("Trump", "ACTOR", "olena"),
             ("Ukraine", "LOCATION", "olena"), ("Kyiv", "ACTOR", "olena"),
             ("the talks in Riyadh must include Zelensky", "CLAIM", "olena"),
             ("Zelensky", "ACTOR", "petro"), ("Riyadh", "LOCATION", "petro")}
    assert olena.spans(doc_id) == petro.spans(doc_id) == union
    article = petro.dataset.article(doc_id)
    assert article.status == {"olena": "done"}
    assert [(r.head, r.child, r.label) for r in article.relations] == [
        (claim, kyiv, "SOURCE")]
    parents = git(petro.folder, "log", "-1", "--format=%P").stdout.split()
    assert len(parents) == 2  # git merged, through the driver, with no conflict
    settled(olena, petro)


def test_a_relabel_on_both_sides_keeps_the_later_one(team):
    olena, petro, doc_id = team
    putin = next(s for s in olena.dataset.spans(doc_id) if s.text == "Putin")
    petro.dataset.relabel_span(doc_id, putin.id, "LOCATION")
    earlier = petro.dataset.spans(doc_id)[0].updated
    while now() <= earlier:  # the clock's next millisecond: olena's relabel is the later
        pass
    olena.dataset.relabel_span(doc_id, putin.id, "CLAIM")
    # olena's later relabel is pushed first: petro's pull takes theirs, not his own
    in_step(olena, petro)
    assert ("Putin", "CLAIM", "olena") in petro.spans(doc_id)
    assert olena.spans(doc_id) == petro.spans(doc_id)
    settled(olena, petro)


def test_a_span_removed_on_one_side_stays_removed(team):
    olena, petro, doc_id = team
    spans = {s.text: s for s in olena.dataset.spans(doc_id)}
    olena.dataset.remove_span(doc_id, spans["Putin"].id)  # theirs, when petro pulls
    petro.dataset.remove_span(doc_id, spans["Trump"].id)  # ours, when petro pulls
    label(petro.dataset, doc_id, "Kyiv", "LOCATION")
    in_step(olena, petro)
    assert olena.spans(doc_id) == petro.spans(doc_id) == {("Kyiv", "LOCATION", "petro")}
    settled(olena, petro)


def test_pull_with_rebase_merges_through_the_driver_too(team):
    olena, petro, doc_id = team
    label(olena.dataset, doc_id, "Ukraine", "LOCATION")
    label(petro.dataset, doc_id, "Riyadh", "LOCATION")
    olena.commit("olena")
    olena.push()
    petro.commit("petro")
    petro.pull("--rebase")
    petro.push()
    olena.pull()
    assert olena.spans(doc_id) == petro.spans(doc_id) >= {
        ("Ukraine", "LOCATION", "olena"), ("Riyadh", "LOCATION", "petro")}
    settled(olena, petro)


def test_label_sets_added_on_both_sides_are_united(team):
    olena, petro, _ = team
    olena.dataset.ensure_labels(["EVENT"])
    petro.dataset.ensure_labels(["ORG", "EVENT"])
    in_step(olena, petro)
    names = Dataset(petro.db, "x").labels.names()
    assert names == Dataset(olena.db, "x").labels.names()
    assert set(names) == {"ACTOR", "CLAIM", "LOCATION", "EVENT", "ORG"}
    settled(olena, petro)


def test_a_broken_file_on_one_side_is_a_conflict_and_stays_as_it_was(team):
    olena, petro, doc_id = team
    broken = petro.dataset.path(doc_id)
    broken.write_bytes(broken.read_bytes()[:-40])  # cut short, and committed by mistake
    petro.commit("a broken file")
    petro.push()
    label(olena.dataset, doc_id, "Ukraine", "LOCATION")
    olena.commit("olena's labels")
    mine = olena.dataset.path(doc_id).read_bytes()
    done = git(olena.folder, "pull", check=False)
    assert done.returncode != 0
    name = f"annotations/{doc_id}.json"
    assert f"gloss: {name}: theirs: not valid JSON" in done.stderr + done.stdout
    assert "CONFLICT" in done.stdout + done.stderr
    assert olena.dataset.path(doc_id).read_bytes() == mine  # ours, as it was
    assert git(olena.folder, "status", "--porcelain").stdout.startswith(f"UU {name}")
    git(olena.folder, "merge", "--abort")
    assert olena.dataset.path(doc_id).read_bytes() == mine


def test_an_article_added_on_both_sides_merges_without_a_base(team):
    olena, petro, _ = team
    text = "Odesa was shelled overnight, officials in Kyiv said."
    document = Document.from_text(text)
    for clone, word in ((olena, "Odesa"), (petro, "Kyiv")):
        clone.dataset.add_article(document)
        start = text.index(word)
        clone.dataset.new_span(document.id, start, start + len(word), "LOCATION")
    in_step(olena, petro)
    assert olena.spans(document.id) == petro.spans(document.id) == {
        ("Odesa", "LOCATION", "olena"), ("Kyiv", "LOCATION", "petro")}
    settled(olena, petro)


def test_a_clone_never_set_up_gets_markers_from_git_itself(team):
    """Why every clone runs git-setup: the driver is a clone's own setting, and without it
    git merges the one-line JSON file as text, markers and all."""
    olena, petro, doc_id = team
    git(petro.folder, "config", "--remove-section", "merge.gloss")
    label(olena.dataset, doc_id, "Ukraine", "LOCATION")
    label(petro.dataset, doc_id, "Riyadh", "LOCATION")
    olena.commit("olena")
    olena.push()
    petro.commit("petro")
    assert git(petro.folder, "pull", check=False).returncode != 0
    assert b"<<<<<<<" in petro.dataset.path(doc_id).read_bytes()
    git(petro.folder, "merge", "--abort")
    assert gloss("git-setup", "--db", petro.db).returncode == 0
    petro.pull()
    assert ("Ukraine", "LOCATION", "olena") in petro.spans(doc_id)
