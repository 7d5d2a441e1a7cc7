"""The datasets the fault suite writes into: built once a test, then copied for each kill."""

from __future__ import annotations

from pathlib import Path

import orjson

from tui.core.document.model import Document, Relation, Span
from tui.core.store.dataset import Dataset

KYIV = "Kyiv said talks would resume"


def at_rest(dataset: Dataset) -> Path:
    """The dataset as a finished process leaves it (no owner file of this one's)."""
    owner = getattr(dataset, "owner", None)  # none before owner files (the main branch)
    if owner is not None:
        owner.release()
    return dataset.folder


def reports(count: int, first: int = 0, where: str = "Kyiv") -> list[Document]:
    return [Document.from_text(f"Report {n}: talks in {where} resumed on Monday, officials"
                               f" said, and envoys met again.") for n in range(first,
                                                                               first + count)]


def jsonl(path: Path, records: list[dict]) -> Path:
    path.write_bytes(b"".join(orjson.dumps(r) + b"\n" for r in records))
    return path


def labelled(db: Path, documents: list[Document], who: str = "alice") -> Dataset:
    dataset = Dataset(db, who)
    dataset.add_articles([(d, [Span.new(d.text, 0, 6, "ACTOR", who)], [])
                          for d in documents])
    return dataset


def for_import(tmp: Path) -> tuple[Path, list[str]]:
    """40 articles; an import of 300 new ones, 20 more spans into existing ones and a
    new label; the last records bring more spans to articles met far before them (a new
    one staged, one merged into), as records sharing a text anywhere in a file do."""
    existing = reports(40)
    dataset = labelled(tmp / "template", existing)
    dataset.set_status(existing[0].id, "done")
    start = existing[0].text.index("Kyiv")
    records = [{"text": d.text, "spans": [{"start": start, "end": start + 4,
                                           "label": "LOCATION"}]} for d in existing[:20]]
    new = reports(300, 1000, "Riyadh")
    records += [{"text": d.text, "spans": [{"start": 0, "end": 6, "label": "EVENT"}]}
                for d in new]
    records += [{"text": d.text, "spans": [{"start": 0, "end": 3, "label": "LOCATION"}]}
                for d in (new[0], new[1], existing[0], existing[30])]
    source = jsonl(tmp / "import.jsonl", records)
    return at_rest(dataset), ["gloss", "import", str(source), "--db", "{db}"]


def for_labels(tmp: Path) -> tuple[Path, list[str]]:
    """30 articles; an import of 60 new ones that replaces the label set (--labels)."""
    dataset = labelled(tmp / "template", reports(30))
    source = jsonl(tmp / "import.jsonl", [
        {"text": d.text, "spans": [{"start": 0, "end": 6, "label": "PERSON"}]}
        for d in reports(60, 500, "Geneva")])
    names = tmp / "labels.txt"
    names.write_text("PERSON\nPLACE\nACTOR\n", encoding="utf-8")
    return at_rest(dataset), ["gloss", "import", str(source), "--labels", str(names),
                              "--db", "{db}"]


def for_merge(tmp: Path) -> tuple[Path, list[str]]:
    """A team's 30 articles; alice's and bob's folders of 260 articles each, 50 of them
    the same texts, 20 the team's: 470 new articles (a second process stages half)."""
    team = labelled(tmp / "template", reports(30), "lead")
    shared = reports(50, 2000, "Odesa")
    for who, first in (("alice", 3000), ("bob", 4000)):
        folder = labelled(tmp / who, [*reports(20), *shared, *reports(190, first)], who)
        at_rest(folder)
    return at_rest(team), ["gloss", "merge", str(tmp / "alice"), str(tmp / "bob"), "--db",
                           "{db}"]


def kyiv_text(count: int) -> str:
    return "Talks\n\n" + " ".join(f"{KYIV} {n}." for n in range(count))


def for_review(tmp: Path, count: int = 400) -> tuple[Path, list[str]]:
    """alice and bob agree on ``count`` actors and ``count`` claims, each claim linked to
    its source: every agreement taken into the review is one edit of 2 x ``count`` spans
    and ``count`` links."""
    text = kyiv_text(count)
    document = Document.from_text(text)
    spans, links = [], []
    for who in ("alice", "bob"):
        start = 0
        for _ in range(count):
            start = text.index(KYIV, start)
            actor = Span.new(text, start, start + 4, "ACTOR", who)
            claim = Span.new(text, start + 10, start + len(KYIV), "CLAIM", who)
            spans += [actor, claim]
            links.append(Relation(claim.id, actor.id, "SOURCE", who))
            start += len(KYIV)
    dataset = Dataset(tmp / "template", "alice")
    dataset.add_article(document, spans, links)
    return at_rest(dataset), ["review", "{db}", document.id, "olena"]


def for_every(tmp: Path, count: int = 800) -> tuple[Path, list[str]]:
    """An article where Kyiv stands ``count`` times, the first labelled: `a` labels the
    others, one edit."""
    text = kyiv_text(count)
    document = Document.from_text(text)
    start = text.index("Kyiv")
    dataset = Dataset(tmp / "template", "alice")
    dataset.add_article(document, [Span.new(text, start, start + 4, "ACTOR", "alice")])
    return at_rest(dataset), ["every", "{db}", document.id, "Kyiv"]
