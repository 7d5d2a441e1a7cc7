"""Several analysts: merge their folders (twice adds nothing, nothing written from a broken
folder) and measure how far they agree, on the command line."""

from __future__ import annotations

import os

import orjson
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import gloss
from tests.hostile.attack import run, snapshot
from tui.core.document.model import Document, Relation, Span
from tui.core.store.dataset import Dataset
from tui.core.team.merging import merge_datasets

TEXT = "Zelensky said the talks in Riyadh were a trap, and Putin denied it."


def analyst_folder(tmp_path, who: str, extra: bool = False) -> Dataset:
    dataset = Dataset(tmp_path / who, who)
    document = Document.from_text(TEXT)
    zelensky = Span.new(TEXT, 0, 8, "ACTOR", who)
    claim = Span.new(TEXT, 14, 45, "CLAIM", who)
    spans = [zelensky, claim] + ([Span.new(TEXT, 51, 56, "ACTOR", who)] if extra else [])
    dataset.add_article(document, spans, [Relation(claim.id, zelensky.id, "SOURCE", who)])
    dataset.set_status(document.id, "done")
    return dataset


def test_merging_brings_every_analyst_in_and_twice_adds_nothing(tmp_path):
    alice, bob = analyst_folder(tmp_path, "alice"), analyst_folder(tmp_path, "bob", True)
    team = Dataset(tmp_path / "team", "lead")
    first = merge_datasets(team, [alice.folder, bob.folder])
    assert (first.articles_added, first.spans_added) == (1, 5)
    [article] = list(team.articles())
    assert sorted(article.status.items()) == [("alice", "done"), ("bob", "done")]
    assert len(article.relations) == 2
    def files() -> dict:
        return {k: v for k, v in (snapshot(team.folder) or {}).items()
                if not k.startswith(".locks")}  # a merge into an article takes its lock

    before = files()
    again = merge_datasets(team, [alice.folder, bob.folder])
    assert again.spans_added == 0 and files() == before


def test_a_span_held_by_two_folders_is_one_span_the_latest_kept(tmp_path):
    alice = analyst_folder(tmp_path, "alice")
    copy = Dataset(tmp_path / "copy", "alice")
    merge_datasets(copy, [alice.folder])
    [article] = list(alice.articles())
    claim = next(s for s in article.spans if s.label == "CLAIM")
    alice.relabel_span(article.document.id, claim.id, "LOCATION")  # changed later
    team = Dataset(tmp_path / "team", "lead")
    merge_datasets(team, [copy.folder, alice.folder])
    [merged] = list(team.articles())
    assert sorted(s.label for s in merged.spans) == ["ACTOR", "LOCATION"]


def test_a_broken_folder_stops_the_merge_before_anything_is_written(tmp_path):
    alice, bob = analyst_folder(tmp_path, "alice"), analyst_folder(tmp_path, "bob")
    broken = bob.folder / "0123456789abcdef.json"
    broken.write_text("{}")
    outcome = run("merge", alice.folder, bob.folder, "--db", tmp_path / "team")
    assert outcome.code == 2 and str(broken) in outcome.err
    assert not (tmp_path / "team").exists()


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(order=st.permutations(["alice", "bob", "carol"]), repeat=st.integers(1, 3))
def test_merge_is_idempotent_and_order_free(tmp_path_factory, order, repeat):
    tmp = tmp_path_factory.mktemp("merge")
    folders = {who: analyst_folder(tmp, who, extra=who == "bob").folder for who in order}
    team = Dataset(tmp / "team", "lead")
    for _ in range(repeat):
        merge_datasets(team, [folders[who] for who in order])
    [article] = list(team.articles())
    assert len(article.spans) == 7 and len({s.id for s in article.spans}) == 7
    assert len(article.relations) == 3 and set(article.status) == set(order)


def test_gloss_agree_prints_json_figures_per_pair_and_label(tmp_path):
    alice, bob = analyst_folder(tmp_path, "alice"), analyst_folder(tmp_path, "bob", True)
    team = tmp_path / "team"
    assert run("merge", alice.folder, bob.folder, "--db", team).code == 0
    result = gloss("agree", "--db", team, "--format", "json")
    assert result.returncode == 0, result.stderr
    figures = orjson.loads(result.stdout)
    assert figures["analysts"] == ["alice", "bob"] and figures["articles"] == 1
    [pair] = figures["pairs"]
    actor = pair["labels"]["ACTOR"]
    assert actor["spans"] == [1, 2] and actor["exact_f1"] == round(2 * 1 / 3, 4)
    assert pair["labels"]["CLAIM"]["exact_f1"] == 1.0
    assert pair["source_links"] == {"claims": 1, "agree": 1}
    table = gloss("agree", "--db", team, "--format", "table", env={"COLUMNS": "140"})
    assert "alice & bob" in table.stdout and "1 / 1" in table.stdout


def test_agree_compares_only_articles_done_by_everyone_unless_all(tmp_path):
    alice, bob = analyst_folder(tmp_path, "alice"), analyst_folder(tmp_path, "bob")
    [article] = list(bob.articles())
    bob.set_status(article.document.id, "todo")
    team = tmp_path / "team"
    run("merge", alice.folder, bob.folder, "--db", team)
    done = orjson.loads(gloss("agree", "--db", team).stdout)
    every = orjson.loads(gloss("agree", "--db", team, "--all").stdout)
    assert (done["articles"], every["articles"]) == (0, 1)


# -- a merge of many new articles: a second process stages every other one ---------------


def many_folders(tmp_path, count: int = 12) -> list[Dataset]:
    """alice and bob, each with ``count`` articles (alice done with each, bob with half),
    and a relation in each of alice's."""
    made = []
    for who in ("alice", "bob"):
        dataset = Dataset(tmp_path / who, who)
        items = []
        for n in range(count):
            text = f"Article {n}: {TEXT}"
            actor = Span.new(text, text.index("Zelensky"), text.index("Zelensky") + 8,
                             "ACTOR", who)
            claim = Span.new(text, text.index("the talks"), text.index("trap") + 4, "CLAIM",
                             who)
            items.append((Document.from_text(text), [actor, claim],
                          [Relation(claim.id, actor.id, "SOURCE", who)] if who == "alice"
                          else []))
        dataset.add_articles(items)
        for n, doc_id in enumerate(dataset.ids()):
            if who == "alice" or n % 2:
                dataset.set_status(doc_id, "done")
        made.append(dataset)
    return made


def contents(dataset: Dataset) -> list:
    return sorted((a.document.id,
                   sorted((s.id, s.start, s.end, s.label, s.annotator) for s in a.spans),
                   sorted((r.head, r.child, r.label) for r in a.relations),
                   sorted(a.status.items())) for a in dataset.articles())


def test_two_processes_merge_what_one_does(tmp_path, monkeypatch):
    from tui.core.team import merging

    alice, bob = many_folders(tmp_path)
    one = Dataset(tmp_path / "one", "lead")
    monkeypatch.setattr(merging, "PARALLEL_FROM", 10**9)
    first = merge_datasets(one, [alice.folder, bob.folder])
    two = Dataset(tmp_path / "two", "lead")
    monkeypatch.setattr(merging, "PARALLEL_FROM", 2)
    second = merge_datasets(two, [alice.folder, bob.folder])
    assert (first.articles_added, first.spans_added, first.read) == (12, 48, 24)
    assert (second.articles_added, second.spans_added, second.read) == (12, 48, 24)
    assert contents(one) == contents(two)
    assert not [p for p in two.folder.iterdir() if p.name.endswith(".tmp")]
    before = snapshot(two.folder)
    again = merge_datasets(two, [alice.folder, bob.folder])  # twice adds nothing
    assert again.spans_added == 0 and {k: v for k, v in snapshot(two.folder).items()
                                       if not k.startswith(".locks")} == {
        k: v for k, v in before.items() if not k.startswith(".locks")}


def test_a_broken_file_read_by_either_process_stops_the_merge(tmp_path, monkeypatch):
    from tui.core.team import merging

    monkeypatch.setattr(merging, "PARALLEL_FROM", 2)
    alice, bob = many_folders(tmp_path)
    ids = bob.ids()
    for n in (0, 1, 5):  # the first process stages every even one, the second every odd
        broken = bob.path(ids[n])
        kept = broken.read_bytes()
        broken.write_text('{"article": 5}')
        outcome = run("merge", alice.folder, bob.folder, "--db", tmp_path / "team")
        assert outcome.code == 2 and str(broken) in outcome.err, outcome.err
        assert outcome.err.endswith("(nothing merged)\n") and outcome.err.count("\n") == 1
        assert not (tmp_path / "team").exists()
        broken.write_bytes(kept)
    assert run("merge", alice.folder, bob.folder, "--db", tmp_path / "team").code == 0


def test_a_merge_on_one_core_forks_no_second_process(tmp_path, monkeypatch):
    """A process allowed one core (``taskset``, a container) stages every article itself:
    a second process would only wait for the same core."""
    from tui.core.team import merging

    monkeypatch.setattr(merging, "PARALLEL_FROM", 2)
    monkeypatch.setattr(merging, "_serve", lambda folder, jobs, token, out: os._exit(9))
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0}, raising=False)
    alice, bob = many_folders(tmp_path)
    outcome = run("merge", alice.folder, bob.folder, "--db", tmp_path / "team")
    assert outcome.code == 0, outcome.err
    assert len(Dataset(tmp_path / "team", "lead").ids()) == 12


def test_a_second_process_that_dies_leaves_nothing_merged(tmp_path, monkeypatch):
    from tui.core.team import merging

    monkeypatch.setattr(merging, "PARALLEL_FROM", 2)
    monkeypatch.setattr(merging, "_serve", lambda folder, jobs, token, out: os._exit(9))
    alice, bob = many_folders(tmp_path)
    team = Dataset(tmp_path / "team", "lead")
    team.add_article(Document.from_text("Kept as it was."))
    before = snapshot(team.folder)
    outcome = run("merge", alice.folder, bob.folder, "--db", team.folder)
    assert outcome.code == 2 and "ended without an answer" in outcome.err
    assert snapshot(team.folder) == before  # its files and the helper's removed at once


def test_an_article_made_meanwhile_by_someone_else_is_merged_into(tmp_path, monkeypatch):
    import shutil

    from tui.core.team import merging

    monkeypatch.setattr(merging, "PARALLEL_FROM", 2)
    alice, bob = many_folders(tmp_path)
    team = tmp_path / "team"
    raced = alice.ids()[3]  # staged by the second process
    committing = Dataset.committing

    def someone_saves_first(dataset):  # between the staging and the commit
        shutil.copy(alice.path(raced), team / f"{raced}.json")
        return committing(dataset)

    monkeypatch.setattr(Dataset, "committing", someone_saves_first)
    result = merge_datasets(Dataset(team, "lead"), [alice.folder, bob.folder])
    assert (result.articles_added, result.articles_merged) == (11, 1)
    article = Dataset(team, "lead").article(raced)
    assert sorted({s.annotator for s in article.spans}) == ["alice", "bob"]
    assert len(article.spans) == 4 and len(article.relations) == 1
