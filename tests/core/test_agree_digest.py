"""``gloss agree`` from the digests the index keeps (``store/agree_digest.py``) gives the
very figures it gave when it read every article file and tokenized its text
(``agreement_oracle.py``, the code of then): on random articles in memory, and on random
datasets whether the digests come from the index, from the files (no index, a read-only
command) or from a file because the article is too long for its digest to be kept."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from tests.core import agreement_oracle as oracle
from tui.agreement_output import print_agreement
from tui.core.disk.article_file import Article
from tui.core.document.model import Document, Relation, Span
from tui.core.language.visible import json_bytes
from tui.core.store import agree_digest
from tui.core.store.article_index import FOLDER
from tui.core.store.dataset import Dataset
from tui.core.team.agreement import agree

WORDS = ["Putin", "said", "Kyiv", "talks", "x", "Zelensky's", "2026", "é", "—", ",", ".",
         "(UN)", "  ", "\n", "naïve", "a-b"]
LABELS = ["ACTOR", "CLAIM", "LOCATION"]
NAMES = ["alice", "bob", "carol"]


@st.composite
def articles(draw: st.DrawFn, n: int) -> tuple[str, list[Span], list[Relation],
                                              dict[str, str]]:
    text = f"Article {n}: " + " ".join(draw(st.lists(st.sampled_from(WORDS), min_size=1,
                                                     max_size=30)))
    spans: list[Span] = []
    links: list[Relation] = []
    for who in draw(st.lists(st.sampled_from(NAMES), unique=True, max_size=3)):
        mine = []
        for _ in range(draw(st.integers(0, 6))):
            start = draw(st.integers(0, len(text) - 1))  # any offset: mid-word too
            end = draw(st.integers(start + 1, min(len(text), start + 25)))
            label = draw(st.sampled_from([*LABELS, "OTHER"]))
            mine.append(Span.new(text, start, end, label, who))
        claims = [s for s in mine if s.label == "CLAIM"]
        actors = [s for s in mine if s.label == "ACTOR"]
        if claims and actors and draw(st.booleans()):
            links.append(Relation(claims[0].id, actors[-1].id, "SOURCE", who))
        spans += mine
    status = draw(st.dictionaries(st.sampled_from(NAMES), st.sampled_from(
        ["done", "done", "todo", "skipped", "reviewed"]), max_size=3))
    return text, spans, links, status


def datasets(most: int) -> st.SearchStrategy[list[tuple[str, list[Span], list[Relation],
                                                         dict[str, str]]]]:
    return st.integers(1, most).flatmap(
        lambda count: st.tuples(*(articles(n) for n in range(count))).map(list))


CHOICES = st.tuples(
    st.sampled_from([["alice", "bob"], ["bob", "alice"], ["alice", "bob", "carol"],
                     ["alice", "dave"], ["carol", "alice", "bob"]]),
    st.sampled_from([LABELS, ["CLAIM"], ["LOCATION", "ACTOR", "OTHER"], ["O", "ACTOR"]]),
    st.booleans())


def in_memory(text: str, spans: list[Span], links: list[Relation], status: dict[str, str],
              n: int) -> Article:
    return Article(Document.from_text(text), spans, status, n, links)


@settings(max_examples=150, deadline=None)
@given(datasets(6), CHOICES, st.sampled_from(["CLAIM", "ACTOR"]))
def test_the_digests_give_the_figures_the_articles_gave(items, choice, claim):
    analysts, labels, every = choice
    made = [in_memory(*item, n) for n, item in enumerate(items)]
    expected = oracle.agree(oracle.compared(made, analysts, every), analysts, labels, claim)
    found = agree(oracle.compared(made, analysts, every), analysts, labels, claim)
    assert found.to_json() == expected.to_json()


def build(folder: Path, items: list[tuple[str, list[Span], list[Relation],
                                           dict[str, str]]]) -> None:
    dataset = Dataset(folder, "alice")
    documents = [Document.from_text(text) for text, *_ in items]
    when = "2026-03-02T08:00:00+00:00"
    dataset.add_articles(
        [(document, spans, links) for document, (_, spans, links, _) in
         zip(documents, items, strict=True)], keep_tokens=False,
        statuses={document.id: [{"annotator": who, "status": status, "updated": when}
                                for who, status in item[3].items()]
                  for document, item in zip(documents, items, strict=True)})


def figures(dataset: Dataset, analysts: list[str], labels: list[str], every: bool
            ) -> bytes:
    """What ``gloss agree --format json`` prints, as the oracle works it out from the
    files (no analyst named: every analyst with a span or a status somewhere)."""
    made = list(dataset.some(set(dataset.ids()), []))
    analysts = analysts or oracle.analysts_of(made)
    claim = agree_digest.claim_label(dataset.labels)
    expected = oracle.agree(oracle.compared(made, analysts, every), analysts, labels, claim)
    return json_bytes(expected.to_json(), orjson.OPT_INDENT_2) + b"\n"


def printed(folder: Path, analysts: list[str], labels: list[str], every: bool,
            capsysbinary: pytest.CaptureFixture[bytes]) -> bytes:
    capsysbinary.readouterr()
    problems = print_agreement(Dataset.existing(folder, "alice"), "json", analysts, labels,
                               every)
    assert problems == []
    return capsysbinary.readouterr().out


def no_index(folder: Path) -> None:
    for path in (folder / FOLDER).iterdir():
        path.unlink()


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(datasets(5), CHOICES, st.booleans())
def test_gloss_agree_says_the_same_from_the_index_the_files_and_a_long_article(
        tmp_path_factory, monkeypatch, capsysbinary, items, choice, named):
    analysts, labels, every = choice
    analysts = analysts if named else []
    assume(named or len(oracle.analysts_of(
        in_memory(*item, n) for n, item in enumerate(items))) >= 2)
    folder = tmp_path_factory.mktemp("db")
    build(folder, items)
    writer = Dataset(folder, "alice")
    writer.new_span(writer.ids()[0], 0, 7, "LOCATION")  # a save keeps its row
    want = figures(Dataset.existing(folder, "alice"), analysts, labels, every)
    assert printed(folder, analysts, labels, every, capsysbinary) == want
    no_index(folder)  # a read-only command: every digest made from its file
    assert printed(folder, analysts, labels, every, capsysbinary) == want
    with monkeypatch.context() as patch:
        patch.setattr(agree_digest, "KEPT_UP_TO", 0)  # every article too long to keep
        Dataset(folder, "alice").summaries()
        assert printed(folder, analysts, labels, every, capsysbinary) == want
        no_index(folder)
        assert printed(folder, analysts, labels, every, capsysbinary) == want
