"""The tokens of one long article made on two processes are the tokens of the whole text,
written byte for byte as one process writes them; a second process that dies leaves its
blocks to the first, and only an output that cannot go back ends the export."""

from __future__ import annotations

import os
import threading
from itertools import pairwise
from pathlib import Path

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.formats.test_export_bytes import labelled
from tui import interchange
from tui.core.disk import in_turns
from tui.core.document.model import Document, GlossError, Span
from tui.core.language import export_tokens
from tui.core.language.export_tokens import token_pieces, token_records
from tui.core.language.text import has_joiners
from tui.core.store.dataset import Dataset
from tui.formats import prodigy, tokens_in_two

# what a tokenizer treats apart: special cases (and what holds them across a space),
# affixes, URLs, emails, emoji, clusters, CJK, numbers, quotes and brackets
FRAGMENTS = [
    "word", "Zelensky", "e.g.", "e.g", ".", "U.S.", "Mr.", "can't", "don’t", "gonna", "12am",
    "a.m.", ":)", ")", "(", ":-((", "<3", "C++", "'s", "’", "''", "y'all", "10km", "1,000,000",
    "3.5", "$30", "https://example.com/a?b=c&d", "www.example.org", "a.b@example.org",
    "👩\u200d👩\u200d👧", "🇺🇦", "😀", "中文字", "e\u0301", "Café", "\u0e33", "“", "”", "\"",
    "[", "]", "«", "»", "—", "--", "...", "…", "#tag", "@user", "\x1b[31m", "\\",
]
SEPARATORS = [" ", " ", " ", "", "  ", "\n", "\t", "\xa0", " \n ", "\r\n", " \u2028 "]
ADVERSARIAL = st.lists(st.tuples(st.sampled_from(FRAGMENTS), st.sampled_from(SEPARATORS)),
                       min_size=1, max_size=30).map(
    lambda parts: Document.from_text("".join(a + b for a, b in parts) + "x").text)


def joined(text: str, size: int) -> bytes:
    return b"[" + b",".join(p.json for p in token_pieces(text, size)) + b"]"


@settings(max_examples=150, deadline=None)
@given(ADVERSARIAL, st.integers(1, 40))
def test_a_text_cut_into_pieces_gives_the_tokens_of_the_whole(text, size):
    assert joined(text, size) == orjson.dumps(token_records(text))


@settings(max_examples=100, deadline=None)
@given(ADVERSARIAL, st.integers(1, 40))
def test_gloss_rules_cut_into_pieces_give_the_tokens_of_the_whole(monkeypatch_rules,
                                                                 text, size):
    _, _, records, offsets = monkeypatch_rules
    starts = []
    for start, end in export_tokens.cuts(text, size):
        starts += offsets(text, start, end)[0]
    assert starts == [t["start"] for t in records(text)]


def test_a_cut_between_two_tokens_of_a_special_case_is_never_made():
    # ":) )" holds ":)" and ")" across its space: spaCy keeps them as they are, and a cut
    # after the space would let ":)" and ")" go their own ways
    text = "Ore.:) )Pa. " * 3
    assert list(export_tokens.cuts(text, 2)) == [(0, len(text))]
    assert joined(text, 2) == orjson.dumps(token_records(text))


def test_no_special_case_of_spacy_holds_two_words_in_a_row():
    """What makes a cut between two letters or digits safe: spaCy's special cases are found
    in the tokens of the whole text by the affix tokens of their spelling, and none of those
    has a token ending in a letter or digit followed by one starting with one."""
    spacy = pytest.importorskip("spacy")
    from spacy.tokenizer import Tokenizer

    tokenizer = spacy.blank("en").tokenizer
    affixes = Tokenizer(tokenizer.vocab, rules={}, prefix_search=tokenizer.prefix_search,
                        suffix_search=tokenizer.suffix_search,
                        infix_finditer=tokenizer.infix_finditer,
                        token_match=tokenizer.token_match, url_match=tokenizer.url_match)
    spelled = {rule: [t.text for t in affixes(rule)] for rule in tokenizer.rules}
    assert len([r for r, p in spelled.items() if len(p) > 1]) > 300  # the rules are there
    both = [(rule, pieces) for rule, pieces in spelled.items()
            if any(a[-1].isalnum() and b[0].isalnum() for a, b in pairwise(pieces))]
    assert both == []


@pytest.fixture
def small_blocks(monkeypatch):
    """Blocks of a few pieces of 2,000 characters: a long article of this test's size."""
    for module in (export_tokens, prodigy, tokens_in_two):
        monkeypatch.setattr(module, "PIECE", 2000)
    monkeypatch.setattr(tokens_in_two, "BLOCK", 6000)
    monkeypatch.setattr(tokens_in_two, "LEAST", 12000)


def long_text(n: int = 400) -> str:
    parts = [f"{FRAGMENTS[k % len(FRAGMENTS)]}{SEPARATORS[k * 7 % len(SEPARATORS)]}"
             for k in range(n * 3)]
    return " ".join(f"Paragraph {p}: Putin met Zelensky in Riyadh. {''.join(parts[p::n])}"
                    for p in range(n))


@pytest.fixture(scope="module")
def article(tmp_path_factory) -> Dataset:
    """One long article (about 100 KB), labelled by two analysts with a link each."""
    return labelled(tmp_path_factory.mktemp("long") / "db", [long_text()])


def export(dataset: Dataset, out: Path, monkeypatch, two: bool, lines: int = 2) -> bytes:
    monkeypatch.setattr(in_turns, "two_cores", lambda _out: two)
    report = interchange.export_file(dataset, out)
    assert (report.articles, report.written) == (1, lines)  # one line an analyst
    return out.read_bytes()


def test_two_processes_write_what_one_writes(article, tmp_path, monkeypatch, small_blocks):
    alone = export(article, tmp_path / "alone.jsonl", monkeypatch, False)
    both = export(article, tmp_path / "both.jsonl", monkeypatch, True)
    assert both == alone
    lines = [orjson.loads(line) for line in alone.splitlines()]
    assert lines[0]["tokens"] == token_records(lines[0]["text"])  # the tokens of the whole
    assert all("token_start" in s for s in lines[0]["spans"][:4])
    assert len(list(export_tokens.cuts(lines[0]["text"], 2000))) > 10  # six blocks
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)  # no process left behind


def test_a_long_article_of_several_megabytes_is_written_as_one_process_writes_it(
        tmp_path, monkeypatch):
    monkeypatch.setattr(tokens_in_two, "BLOCK", 1 << 19)
    monkeypatch.setattr(tokens_in_two, "LEAST", 1 << 20)
    # news prose, now and then a paragraph of what a tokenizer treats apart
    words = ["Putin", "met", "Zelensky", "in", "Riyadh;", "the", "envoy", "said", "“no”", "to",
             "a", "30-day", "truce."]
    plain = [f for f in FRAGMENTS if not has_joiners(f)]
    document = Document.from_text("\n".join(
        " ".join((words[k % len(words):] + words[:k % len(words)]) * 40)
        + (" ".join(plain[k % 7::7]) if k % 10 == 0 else "") for k in range(1000)))
    text = document.text
    assert len(text) > 2_500_000
    starts = [i + 1 for i in range(0, len(text), 60_001) if text[i] == " "]
    spans = [Span.new(text, start, text.find(" ", start), "ACTOR", "alice")
             for start in starts if text[start] != " "]
    dataset = Dataset(tmp_path / "db", "alice")
    dataset.add_articles([(document, spans, [])])
    alone = export(dataset, tmp_path / "alone.jsonl", monkeypatch, False, 1)
    both = export(dataset, tmp_path / "both.jsonl", monkeypatch, True, 1)
    assert both == alone
    assert b'"token_start"' in both


def _dies(monkeypatch, block: int, written: bytes | None) -> None:
    """The second process dies at the start of ``block``, after writing ``written`` into
    the output (part of its block) if not None, in its turn."""
    made = tokens_in_two._Work._block
    parent = os.getpid()

    def block_or_die(work: tokens_in_two._Work, number: int) -> None:
        if os.getpid() != parent and number == block:
            if written is not None:
                work._turn(number)
                os.write(work.fd, written)
            os._exit(9)
        made(work, number)

    monkeypatch.setattr(tokens_in_two._Work, "_block", block_or_die)


@pytest.mark.parametrize(("block", "written"), [(1, None), (3, None), (3, b'{"text":"x'),
                                                (1, b"garbage")],
                         ids=["before its first block", "later", "in its block",
                              "in its first block"])
def test_a_second_process_that_dies_leaves_its_blocks_to_the_first(
        article, tmp_path, monkeypatch, small_blocks, block, written):
    alone = export(article, tmp_path / "alone.jsonl", monkeypatch, False)
    _dies(monkeypatch, block, written)
    assert export(article, tmp_path / "both.jsonl", monkeypatch, True) == alone
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)


def _through_a_pipe(dataset: Dataset) -> tuple[bytes, BaseException | None]:
    read, write = os.pipe()
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(_read_all(read)))
    reader.start()
    failed = None
    try:
        with os.fdopen(write, "wb") as out:
            interchange.export(dataset, out, "jsonl")
    except GlossError as exc:
        failed = exc
    reader.join()
    return got[0], failed


def _read_all(fd: int) -> bytes:
    with os.fdopen(fd, "rb") as handle:
        return handle.read()


def test_into_a_pipe_it_falls_back_until_part_of_a_block_may_be_written(
        article, tmp_path, monkeypatch, small_blocks):
    alone = export(article, tmp_path / "alone.jsonl", monkeypatch, False)
    monkeypatch.setattr(in_turns, "two_cores", lambda _out: True)
    with monkeypatch.context() as patch:
        _dies(patch, 3, None)  # between its blocks: nothing of it half written
        assert _through_a_pipe(article) == (alone, None)
    _dies(monkeypatch, 3, b'{"text":"x')
    got, failed = _through_a_pipe(article)
    assert isinstance(failed, GlossError) and "second process ended" in str(failed)
    assert got.endswith(b'{"text":"x') and not got.endswith(b"\n")  # no line ends half made


def test_a_short_text_or_an_output_without_a_descriptor_stays_in_one_process(tmp_path):
    import io

    with (tmp_path / "f").open("wb") as out:
        assert not tokens_in_two.usable(out, "word " * 100)
        assert tokens_in_two.usable(out, "word " * tokens_in_two.LEAST) == \
            (len(os.sched_getaffinity(0)) > 1)
    assert not tokens_in_two.usable(io.BytesIO(), "word " * tokens_in_two.LEAST)
