"""`gloss suggest`: every article's suggestions written as an analyst's work, all or
nothing, that export, `gloss agree` and review take like anyone's; the pattern file kept
with the dataset; rejections kept per article and analyst and never offered again."""

import json
import shutil
from pathlib import Path

import orjson
import pytest

from tests.conftest import gloss
from tui.core.disk.storage import CorruptFileError
from tui.core.document.model import Document, Span
from tui.core.document.suggestion import SUGGEST_SOURCE, Suggestion
from tui.core.editing.article_model import ArticleModel
from tui.core.language.tokens import tokenize
from tui.core.store.dataset import Dataset
from tui.core.suggest.finders import finders, suggest_article
from tui.core.suggest.seen_names import SeenNames
from tui.core.team.review import ONLY_RIGHT, RIGHT, compare
from tui.core.team.review_edits import take
from tui.suggest_command import run

FIRST = "Putin met Zelensky in Kyiv. The Kremlin said the Kursk region is calm."
SECOND = ("PUTIN AND ZELENSKY SPEAK\nZelensky flew to Riyadh; Putin stayed in Moscow.\n"
          "Kyiv and the Kursk region, Kyivan tea.")
PATTERNS = [{"label": "LOCATION", "pattern": "Kursk region"},
            {"label": "LOCATION", "pattern": [{"LOWER": {"IN": ["riyadh", "moscow"]}}],
             "id": "a capital"}]


def at(text: str, word: str, n: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(n + 1):
        start = text.index(word, start + 1)
    return start, start + len(word)


def labelled(dataset: Dataset, document: Document, *marks: tuple[str, str]) -> None:
    for word, label in marks:
        dataset.new_span(document.id, *at(document.text, word), label)


@pytest.fixture
def team(tmp_path: Path) -> tuple[Dataset, Document, Document, Path]:
    dataset = Dataset(tmp_path / "db", "alice")
    first, second = Document.from_text(FIRST), Document.from_text(SECOND)
    dataset.add_article(first)
    dataset.add_article(second)
    labelled(dataset, first, ("Putin", "ACTOR"), ("Zelensky", "ACTOR"), ("Kyiv", "LOCATION"))
    dataset.set_status(first.id, "done")
    patterns = tmp_path / "patterns.jsonl"
    patterns.write_bytes(b"".join(orjson.dumps(p) + b"\n" for p in PATTERNS))
    return dataset, first, second, patterns


def files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def spans_of(dataset: Dataset, document: Document, who: str) -> list[tuple[str, str, str]]:
    return [(s.text, s.label, s.origin) for s in dataset.spans(document.id, who)]


def test_the_suggestions_are_an_analysts_work(team):
    dataset, first, second, patterns = team
    result = gloss("suggest", "--db", dataset.folder, "--patterns", patterns)
    assert result.returncode == 0, result.stderr
    # 13 found; the claim's speaker, "Kremlin", no finder named: made an actor with it
    assert result.stderr.startswith("suggested 13 spans in 2 articles as suggestions"
                                    " (claim-cue 1, pattern 4, seen-name 8); 14 new in the"
                                    " dataset")
    assert spans_of(dataset, second, "suggestions") == [
        ("PUTIN", "ACTOR", "seen-name"), ("ZELENSKY", "ACTOR", "seen-name"),
        ("Zelensky", "ACTOR", "seen-name"), ("Riyadh", "LOCATION", "pattern"),
        ("Putin", "ACTOR", "seen-name"), ("Moscow", "LOCATION", "pattern"),
        ("Kyiv", "LOCATION", "seen-name"), ("Kursk region", "LOCATION", "pattern")]
    # alice's own labels are the suggestions' too: they are compared, not left out
    assert spans_of(dataset, first, "suggestions") == [
        ("Putin", "ACTOR", "seen-name"), ("Zelensky", "ACTOR", "seen-name"),
        ("Kyiv", "LOCATION", "seen-name"), ("Kremlin", "ACTOR", "claim-cue"),
        ("the Kursk region is calm", "CLAIM", "claim-cue"),
        ("Kursk region", "LOCATION", "pattern")]
    claim, = (s for s in dataset.spans(first.id, "suggestions") if s.label == "CLAIM")
    link, = dataset.article(first.id).relations
    assert (link.head, link.label) == (claim.id, "SOURCE")
    assert {s.id: s.text for s in dataset.spans(first.id)}[link.child] == "Kremlin"
    assert claim.attribute("source_kind") == "actor"
    moscow = next(s for s in dataset.spans(second.id, "suggestions") if s.text == "Moscow")
    assert moscow.source == SUGGEST_SOURCE and moscow.attribute("canonical") == "a capital"
    assert dataset.article(second.id).status == {"suggestions": "done"}
    assert (dataset.folder / "patterns.jsonl").read_bytes() == patterns.read_bytes()
    # again, with the pattern file kept: nothing new
    before = files(dataset.folder)
    again = gloss("suggest", "--db", dataset.folder)
    assert again.returncode == 0 and "; 0 new in the dataset" in again.stderr
    assert "patterns from" in again.stderr and files(dataset.folder) == before


def test_as_another_analyst_and_its_own_spans_are_not_learnt(team):
    dataset, _first, second, _ = team
    assert gloss("suggest", "--db", dataset.folder, "--as", "bot").returncode == 0
    assert {s.annotator for s in dataset.spans(second.id)} == {"bot"}
    bob = Dataset(dataset.folder, "bob")
    bob.new_span(second.id, *at(SECOND, "Riyadh"), "LOCATION")
    result = gloss("suggest", "--db", dataset.folder, "--as", "bot")
    assert "Riyadh" in [s.text for s in dataset.spans(second.id, "bot")], result.stderr
    # bot's own spans teach nothing: a third run adds nothing more
    assert "; 0 new" in gloss("suggest", "--db", dataset.folder, "--as", "bot").stderr


def test_agree_and_review_take_the_suggestions_like_anyones(team):
    dataset, first, _second, patterns = team
    gloss("suggest", "--db", dataset.folder, "--patterns", patterns)
    result = gloss("agree", "--db", dataset.folder, "--annotators", "alice,suggestions",
                   "--format", "json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["articles"] == 1  # the one both marked done
    [pair] = report["pairs"]
    # both of alice's actors, and the claim's speaker she left unlabelled: 2 / 3 precise
    assert pair["labels"]["ACTOR"]["exact_f1"] == 0.8
    assert pair["labels"]["LOCATION"]["spans"] == [1, 2]
    model = ArticleModel(dataset.article(first.id), "review")
    comparison = compare(model, "alice", "suggestions")
    # what only the suggestions hold: the claim, its speaker and the place
    assert sorted((d.kind, *[s.text for s in d.right]) for d in comparison.differences) == [
        (ONLY_RIGHT, "Kremlin"), (ONLY_RIGHT, "Kursk region"),
        (ONLY_RIGHT, "the Kursk region is calm")]
    only = next(d for d in comparison.differences if d.right[0].text == "Kursk region")
    edit = take(model, comparison, only, RIGHT, "review")
    assert not isinstance(edit, str)
    model.apply(edit)
    [copy] = model.of("review")
    assert (copy.text, copy.source, copy.origin) == ("Kursk region", "suggestions", "pattern")


def test_all_or_nothing_a_broken_file_or_a_bad_pattern_changes_nothing(team, tmp_path):
    dataset, first, _second, patterns = team
    before = files(dataset.folder)
    bad = tmp_path / "bad.jsonl"
    bad.write_bytes(patterns.read_bytes() + b'{"label": "X", "pattern": [{"OP": "?"}]}\n')
    result = gloss("suggest", "--db", dataset.folder, "--patterns", bad)
    assert result.returncode == 2
    assert result.stderr == f"gloss: {bad}:3: every token of the pattern is optional: it" \
                            " could match nothing\n"
    assert files(dataset.folder) == before
    dataset.path(first.id).write_bytes(b'{"article": {}}')
    before = files(dataset.folder)
    result = gloss("suggest", "--db", dataset.folder, "--patterns", patterns)
    assert result.returncode == 2 and "not a Gloss article file" in result.stderr
    assert files(dataset.folder) == before


def test_no_dataset_no_suggestions(tmp_path):
    result = gloss("suggest", "--db", tmp_path / "nowhere")
    assert (result.returncode, result.stderr) == (2, f"gloss: no dataset at"
                                                     f" {tmp_path / 'nowhere'}\n")
    assert not (tmp_path / "nowhere").exists()


def test_patterns_given_to_import_and_read_are_kept(tmp_path, team):
    _, _, _, patterns = team
    article = tmp_path / "a.txt"
    article.write_text("Talks in Riyadh.")
    db = tmp_path / "fresh"
    assert gloss("import", article, "--db", db, "--patterns", patterns).returncode == 0
    assert (db / "patterns.jsonl").read_bytes() == patterns.read_bytes()
    bad = tmp_path / "bad.jsonl"
    bad.write_bytes(b"[]\n")
    other = tmp_path / "b.txt"
    other.write_text("Another article.")
    before = files(db)
    result = gloss("import", other, "--db", db, "--patterns", bad)
    assert result.returncode == 2 and result.stderr.startswith(f"gloss: {bad}:1: ")
    assert files(db) == before


# -- rejections ----------------------------------------------------------------------

def test_a_rejection_is_kept_per_article_and_analyst(team):
    dataset, _first, second, patterns = team
    riyadh = Suggestion(*at(SECOND, "Riyadh"), "LOCATION", "pattern")
    assert dataset.reject(second.id, riyadh, "bob")
    assert not dataset.reject(second.id, riyadh, "bob")  # once
    [row] = dataset.article(second.id).rejected
    assert (row["text"], row["annotator"], row["kind"]) == ("Riyadh", "bob", "pattern")
    result = gloss("suggest", "--db", dataset.folder, "--patterns", patterns)
    assert result.returncode == 0
    assert "Riyadh" not in [s.text for s in dataset.spans(second.id, "suggestions")]
    exported = gloss("export", "--db", dataset.folder, "--rejected")
    [line] = exported.stdout.splitlines()
    example = json.loads(line)
    assert (example["answer"], example["_annotator_id"]) == ("reject", "bob")
    [token] = [t for t in tokenize(SECOND) if t.start == riyadh.start]
    token_id = tokenize(SECOND).index(token)
    assert example["spans"] == [{"start": riyadh.start, "end": riyadh.end,
                                 "label": "LOCATION", "text": "Riyadh", "origin": "pattern",
                                 "token_start": token_id, "token_end": token_id}]
    assert example["text"] == SECOND and example["tokens"][token_id]["text"] == "Riyadh"
    assert exported.stderr == "exported 1 rejected suggestion from 2 articles\n"
    assert dataset.unreject(second.id, riyadh, "bob")
    assert dataset.article(second.id).rejected == []


def test_the_entry_point_drops_what_the_analyst_has_and_what_they_rejected():
    names = SeenNames()
    names.learn("Vladimir Putin", "ACTOR")
    names.learn("Putin", "ACTOR")
    names.learn("Kyiv", "LOCATION")
    text = "Putin; Vladimir Putin in Kyiv and Kyiv."
    own = [Span.new(text, *at(text, "Vladimir Putin"), "ACTOR", "alice")]
    rejected = {(*at(text, "Kyiv", 1), "LOCATION")}
    found = suggest_article(text, own, finders(names), rejected)
    assert [(text[s.start:s.end], s.start) for s in found] == [("Putin", 0), ("Kyiv", 25)]


def test_a_broken_rejected_table_is_a_broken_file(team):
    dataset, first, _, _ = team
    path = dataset.path(first.id)
    data = orjson.loads(path.read_bytes())
    data["rejected"] = {"1": {"start": 0, "end": 99}}
    path.write_bytes(orjson.dumps(data))
    [broken] = [a for a in dataset.articles() if isinstance(a, CorruptFileError)]
    assert "rejected row 1" in str(broken)


def test_run_in_process_reports_by_kind(team):
    dataset, _, _second, patterns = team
    shutil.copy(patterns, dataset.folder / "patterns.jsonl")
    report = run(dataset, "suggestions")
    assert report.found == {"seen-name": 8, "pattern": 4, "claim-cue": 1}
    assert report.spans == 14  # and the claim's speaker, an actor with it


def test_stats_say_how_many_spans_each_kind_of_suggestion_saved(team):
    dataset, _first, second, patterns = team
    gloss("suggest", "--db", dataset.folder, "--patterns", patterns)
    accepted = Span.new(SECOND, *at(SECOND, "Moscow"), "LOCATION", "alice", origin="pattern")
    dataset.save_span(second.id, accepted)
    result = gloss("stats", "--db", dataset.folder, "--format", "json")
    said = json.loads(result.stdout)["suggestions"]
    assert said == {"typed": 3, "accepted": {"pattern": 1},
                    "written_by_gloss_suggest": {"claim-cue": 2, "pattern": 4,
                                                 "seen-name": 8}}
    table = gloss("stats", "--db", dataset.folder).stdout
    assert "spans from suggestions" in table and "written by gloss suggest" in table


def test_read_refuses_a_bad_pattern_file_before_anything_is_written(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("Talks in Riyadh.")
    bad = tmp_path / "bad.jsonl"
    bad.write_bytes(b'{"label": "LOCATION", "pattern": [{"LEMMA": "talk"}]}\n')
    result = gloss("read", article, "--db", tmp_path / "db", "--patterns", bad)
    assert result.returncode == 2
    assert result.stderr == (f"gloss: {bad}:1: token 1: LEMMA needs a trained pipeline,"
                             " which Gloss does not run\n")
    assert not (tmp_path / "db").exists()


def test_git_merge_unites_two_analysts_rejections_three_way(team):
    from tui.core.document import rejections
    from tui.core.team.merge_rules import merge_article

    dataset, _first, second, _ = team
    text = SECOND
    riyadh = Suggestion(*at(text, "Riyadh"), "LOCATION", "pattern")
    moscow = Suggestion(*at(text, "Moscow"), "LOCATION", "pattern")
    kyiv = Suggestion(*at(text, "Kyiv"), "LOCATION", "seen-name")
    base = orjson.loads(dataset.path(second.id).read_bytes())
    rejections.add(base, text, riyadh, "bob")
    ours = orjson.loads(orjson.dumps(base))
    theirs = orjson.loads(orjson.dumps(base))
    rejections.add(ours, text, moscow, "alice")  # alice rejects Moscow
    rejections.add(theirs, text, kyiv, "bob")  # bob rejects Kyiv...
    rejections.remove(theirs, riyadh, "bob")  # ...and takes Riyadh back
    merged = merge_article(base, ours, theirs)
    assert sorted((r["text"], r["annotator"]) for r in merged["rejected"].values()) == [
        ("Kyiv", "bob"), ("Moscow", "alice")]
    assert merge_article(base, theirs, ours)["rejected"].keys() and sorted(
        r["text"] for r in merge_article(base, theirs, ours)["rejected"].values()) == [
        "Kyiv", "Moscow"]


def test_a_model_is_one_more_finder_and_the_first_finder_wins_a_tie():
    class Model:  # what gloss train's ModelFinder offers the entry point
        def find(self, text: str) -> list[Suggestion]:
            return [Suggestion(0, 4, "LOCATION", "model", 0.7),
                    Suggestion(9, 15, "LOCATION", "model", 0.9)]

    names = SeenNames()
    names.learn("Kyiv", "LOCATION")
    text = "Kyiv and Riyadh."
    found = suggest_article(text, [], finders(names, model=Model()))
    assert [(text[s.start:s.end], s.kind) for s in found] == [("Kyiv", "seen-name"),
                                                               ("Riyadh", "model")]
