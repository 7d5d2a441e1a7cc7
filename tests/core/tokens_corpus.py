"""How far Gloss's built-in tokens agree with spaCy's, on the corpora the tests keep.

    python -m tests.core.tokens_corpus            # print the agreement figures
    python -m tests.core.tokens_corpus --write    # store spaCy's tokens for the offline test

A span agrees when it gets the same (token_start, token_end) from both tokenizations, as a
Prodigy export would write them; a span off token edges in one and not in the other does
not. Indices count from the start of the text, so one stray split early in a post moves
every later span. Token agreement is the share of tokens (start, end) the two have in
common, over all the tokens either makes.

The fixtures under tests/fixtures/tokens: `reddit.txt` and `news.txt` hold one post a line,
spans marked ⟪text|LABEL⟫, ⏎ for a line break, %% for a comment line; `NAME.spacy.jsonl`
holds what spaCy (the version it names) made of each post, so the comparison runs offline.
"""

from __future__ import annotations

import csv
import json
import re
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from tui.core.language.text import normalise, words
from tui.core.language.tokens import tokenize

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "tokens"
SHARED = Path(__file__).resolve().parents[3] / "shared" / "data"
CORPORA = ("reddit", "news")
_MARK = re.compile(r"⟪([^⟫|]*)\|([A-Z]+)⟫")

Edges = list[tuple[int, int]]


@dataclass(frozen=True)
class Post:
    text: str
    spans: tuple[tuple[int, int], ...]


def read_marked(path: Path) -> list[Post]:
    posts = []
    for line in path.read_text(encoding="utf-8").split("\n"):
        if not line or line.startswith("%%"):
            continue
        line = line.replace("⏎", "\n")
        text, spans, last = [], [], 0
        for match in _MARK.finditer(line):
            text.append(line[last:match.start()])
            start = sum(map(len, text))
            text.append(match.group(1))
            spans.append((start, start + len(match.group(1))))
            last = match.end()
        text.append(line[last:])
        posts.append(Post("".join(text), tuple(spans)))
    return posts


def read_prodigy(path: Path) -> list[Post]:
    posts = []
    for line in path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        if isinstance(record.get("text"), str):
            spans = tuple((s["start"], s["end"]) for s in record.get("spans") or ())
            posts.append(Post(record["text"], spans))
    return posts


def read_wikinews(path: Path) -> list[Post]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [Post(normalise(row["text"]), ()) for row in csv.DictReader(handle)
                if row.get("text")]


def corpora() -> dict[str, list[Post]]:
    """Every corpus at hand: the fixtures, and the shared files where they are here."""
    found = {name: read_marked(FIXTURES / f"{name}.txt") for name in CORPORA}
    for name in ("news_headlines_annotated", "news_headlines_raw"):
        path = SHARED / "prodigy" / f"{name}.jsonl"
        if path.exists():
            found[f"prodigy/{name}"] = read_prodigy(path)
    wikinews = SHARED / "news" / "wikinews_2019.csv"
    if wikinews.exists():
        found["wikinews"] = read_wikinews(wikinews)
    return found


def ours(text: str) -> Edges:
    return [(t.start, t.end) for t in tokenize(text)]


def spacy_edges() -> tuple[str, Callable[[str], Edges]] | None:
    """spaCy's tokens as Gloss exports them (clusters kept whole), or None without spaCy."""
    from tui.core.language.export_tokens import tokenizer

    name, tokens_of = tokenizer()
    if not name.startswith("spacy-"):
        return None
    return name.removeprefix("spacy-"), lambda text: [(t.start, t.end) for t in tokens_of(text)]


def stored(name: str) -> tuple[str, list[Edges]]:
    """spaCy's tokens of a fixture corpus as stored: its version and one list a post."""
    lines = (FIXTURES / f"{name}.spacy.jsonl").read_text(encoding="utf-8").splitlines()
    version = json.loads(lines[0])["spacy"]
    records = [json.loads(line) for line in lines[1:]]
    if [p.text for p in read_marked(FIXTURES / f"{name}.txt")] != [r["text"] for r in records]:
        raise AssertionError(f"{name}.spacy.jsonl is stale: run python -m tests.core.tokens_corpus"
                             " --write")
    return version, [[(s, e) for s, e in zip(r["tokens"][::2], r["tokens"][1::2], strict=True)]
                     for r in records]


def write_stored(name: str, version: str, tokens_of: Callable[[str], Edges]) -> None:
    lines = [json.dumps({"spacy": version})]
    for post in read_marked(FIXTURES / f"{name}.txt"):
        edges = [edge for token in tokens_of(post.text) for edge in token]
        lines.append(json.dumps({"text": post.text, "tokens": edges}, ensure_ascii=False))
    (FIXTURES / f"{name}.spacy.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")


@dataclass
class Agreement:
    spans: int = 0
    spans_agreeing: int = 0
    words: int = 0
    words_agreeing: int = 0
    tokens_union: int = 0
    tokens_common: int = 0
    posts: int = 0
    posts_identical: int = 0

    def add(self, post: Post, mine: Edges, theirs: Edges) -> None:
        self.posts += 1
        self.posts_identical += mine == theirs
        common = len(set(mine) & set(theirs))
        self.tokens_common += common
        self.tokens_union += len(mine) + len(theirs) - common
        a, b = _indexer(mine), _indexer(theirs)
        self.spans += len(post.spans)
        self.spans_agreeing += sum(a(s) == b(s) for s in post.spans)
        spans = words(post.text, 0, len(post.text))
        self.words += len(spans)
        self.words_agreeing += sum(a(s) == b(s) for s in spans)

    @property
    def span_share(self) -> float:
        return self.spans_agreeing / self.spans if self.spans else 1.0

    @property
    def word_share(self) -> float:
        return self.words_agreeing / self.words if self.words else 1.0

    @property
    def token_share(self) -> float:
        return self.tokens_common / self.tokens_union if self.tokens_union else 1.0


def _indexer(edges: Edges) -> Callable[[tuple[int, int]], tuple[int | None, int | None]]:
    first = {start: i for i, (start, _) in enumerate(edges)}
    last = {end: i for i, (_, end) in enumerate(edges)}
    return lambda span: (first.get(span[0]), last.get(span[1]))


def agreement(posts: Iterable[Post], mine: Sequence[Edges],
              theirs: Sequence[Edges]) -> Agreement:
    result = Agreement()
    for post, a, b in zip(posts, mine, theirs, strict=True):
        result.add(post, a, b)
    return result


def differences(post: Post, mine: Edges, theirs: Edges) -> list[tuple[str, str]]:
    """The pieces of text the two cut differently: (ours, spaCy's), joined by |."""
    out, a, b = [], set(mine), set(theirs)
    text = post.text
    for start, end in sorted(a ^ b):
        lo = min([s for s, e in mine + theirs if e > start and s < end] + [start])
        hi = max([e for s, e in mine + theirs if s < end and e > start] + [end])
        pair = ("|".join(text[s:e] for s, e in mine if lo <= s and e <= hi),
                "|".join(text[s:e] for s, e in theirs if lo <= s and e <= hi))
        if pair not in out:
            out.append(pair)
    return out


def main(argv: list[str]) -> None:
    spacy = spacy_edges()
    if "--write" in argv:
        if spacy is None:
            sys.exit("spaCy is not installed: pip install -e '.[spacy]'")
        for name in CORPORA:
            write_stored(name, spacy[0], spacy[1])
            print(f"wrote {name}.spacy.jsonl (spaCy {spacy[0]})")
        return
    show = "--diff" in argv
    print(f"{'corpus':<36}{'posts':>6}{'same':>6}{'spans':>15}{'words':>17}{'tokens':>9}")
    for name, posts in corpora().items():
        if spacy is not None:
            theirs = [spacy[1](p.text) for p in posts]
        elif name in CORPORA:
            theirs = stored(name)[1]
        else:
            continue
        mine = [ours(p.text) for p in posts]
        result = agreement(posts, mine, theirs)
        print(f"{name:<36}{result.posts:>6}{result.posts_identical:>6}"
              f"{result.spans_agreeing:>7}/{result.spans:<5}{result.span_share:>7.1%}"
              f"{result.words_agreeing:>8}/{result.words:<6}{result.word_share:>7.1%}"
              f"{result.token_share:>8.2%}")
        if show:
            for post, a, b in zip(posts, mine, theirs, strict=True):
                for pair in differences(post, a, b):
                    print(f"    ours {pair[0]!r:40} spaCy {pair[1]!r}")


if __name__ == "__main__":
    main(sys.argv[1:])
