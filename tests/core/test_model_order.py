"""What the model finder reads and in which order the articles come: the pieces of text it
gives the pipeline (every character of every line, none longer than a piece unless a word
is, their offsets true), and the article it is least sure of among those still to do.
None of these needs spaCy."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tui.core.document.model import Document
from tui.core.store.dataset import Dataset
from tui.core.suggest import active
from tui.core.suggest.model_finder import PIECE, _pieces

WORDS = st.sampled_from(["Putin", "said", "the", "talks", "in", "Kyiv.", "Zelensky",
                         "“It", "ended.”", "U.S.", "cease-fire", "Київ", "\u00a0", "e\u0301",
                         "x" * 700, "Mr.", "Then", "A.", "\t"])
LINES = st.lists(WORDS, max_size=1500).map(" ".join)
TEXTS = st.lists(LINES, min_size=1, max_size=4).map("\n".join)


@given(TEXTS, st.integers(0, 20000), st.integers(0, 20000))
def test_the_pieces_cover_the_lines_in_order_and_stay_short(text, a, b):
    start, end = min(a, b), max(a, b)
    pieces = list(_pieces(text, start, end))
    for offset, piece in pieces:
        assert text[offset:offset + len(piece)] == piece and "\n" not in piece
        assert piece.strip()
        assert len(piece) <= PIECE or " " not in piece.strip()
    # together they are every line overlapping start..end that is not blank, in order
    wanted = []
    position = 0
    for line in text.split("\n"):
        if line.strip() and position + len(line) > start and position < end:
            wanted.append((position, line))
        position += len(line) + 1
    got = "".join(f"{o}:{p}|" for o, p in pieces)
    rebuilt = []
    for offset, line in wanted:
        inside = [(o, p) for o, p in pieces if offset <= o < offset + len(line)]
        assert "".join(p for _, p in inside).strip() == line.strip(), got
        assert [o for o, _ in inside] == sorted(o for o, _ in inside)
        rebuilt += inside
    assert rebuilt == pieces


def test_a_long_line_is_cut_at_sentence_ends():
    sentence = "Putin said the talks in Riyadh were over and that nothing would change. "
    line = sentence * 200
    pieces = list(_pieces(line, 0, len(line)))
    assert len(pieces) > 1 and all(p.endswith(". ") or p.endswith(".") for _, p in pieces)
    assert "".join(p for _, p in pieces) == line.rstrip() or \
        "".join(p for _, p in pieces) == line


def make(dataset: Dataset, text: str) -> str:
    document = Document.from_text(text)
    dataset.add_article(document)
    return document.id


def test_the_least_sure_article_still_to_do_is_chosen(tmp_path):
    alice = Dataset(tmp_path / "db", "alice")
    sure = make(alice, "Sure: Putin met Trump.")
    unsure = make(alice, "Unsure: who met whom is not clear.")
    finished = make(alice, "Finished by bob: the most unsure of all.")
    skipped = make(alice, "Skipped by alice: also very unsure.")
    middling = make(alice, "Middling: a claim, perhaps.")
    Dataset(tmp_path / "db", "bob").set_status(finished, "done")
    alice.set_status(skipped, "skipped")
    doubts = {"Sure": 0.1, "Unsure": 0.8, "Finished": 0.99, "Skipped": 0.95, "Middling": 0.5}
    asked: list[str] = []

    def doubt(text: str) -> float:
        asked.append(text)
        return doubts[text.split(":")[0].split()[0]]

    counted: list[int] = []
    choice = active.least_sure(alice.readable([]), "alice", doubt, counted.append)
    assert choice is not None
    assert choice.doc_id == unsure and choice.uncertainty == 0.8 and choice.candidates == 3
    assert counted == [1, 2, 3] and len(asked) == 3
    assert {sure, middling} < {a.document.id for a in alice.readable([])}
    alice.set_status(unsure, "done")
    again = active.least_sure(alice.readable([]), "alice", doubt)
    assert again is not None and again.doc_id == middling


def test_nothing_left_to_do_chooses_nothing(tmp_path):
    alice = Dataset(tmp_path / "db", "alice")
    alice.set_status(make(alice, "One."), "done")
    assert active.least_sure(alice.readable([]), "alice", lambda text: 1.0) is None


def test_the_model_reads_the_start_of_a_long_article(tmp_path):
    alice = Dataset(tmp_path / "db", "alice")
    make(alice, ("A line of the article.\n" * 2000))
    seen: list[int] = []
    active.least_sure(alice.readable([]), "alice", lambda text: seen.append(len(text)) or 0.5)
    assert active.SAMPLE // 2 <= seen[0] <= active.SAMPLE


def test_only_the_first_pool_of_articles_to_do_is_weighed(tmp_path, monkeypatch):
    monkeypatch.setattr(active, "POOL", 2)
    alice = Dataset(tmp_path / "db", "alice")
    alice.set_status(make(alice, "Done: 0.9"), "done")
    for n in range(4):
        make(alice, f"Article {n}: 0.{n + 1}")
    choice = active.least_sure(alice.readable([]), "alice",
                               lambda text: float(text.split(": ")[1]))
    assert choice is not None and choice.candidates == 2 and choice.uncertainty == 0.2
