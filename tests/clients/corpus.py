"""The datasets the real clients are given, and what a dataset holds, to compare.

- the seed article with claims: the reference annotation of the seed by olena (64 spans),
  each claim linked to its nearest actor (SOURCE) and place (ABOUT), attributes on claims,
  actors and places, done; taras's few spans and a link of his, done; the reviewer's
  version of three spans, reviewed; mykola skipped it (no spans);
- taras's claim after emoji (``EMOJI_CLAIM``), his alone, done;
- the real Prodigy file of 373 annotated headlines (shared data), each text behind a flag,
  a family emoji and a thumbs-up with skin tone (3 code points that are 7 UTF-16 units
  more, and a ZWJ sequence) so that every span sits after astral characters; imported as
  mykola's, accepted ones done, ignored ones skipped.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson

from tests.app.seed_reference import SEED, reference_spans
from tests.conftest import SHARED_DATA
from tui import interchange
from tui.core.document.model import Document, Relation, Span
from tui.core.store.corpus import Notes, import_articles, read_text_file
from tui.core.store.dataset import Dataset

EMOJI = "🇺🇦👩‍👩‍👧👍🏽 "
HEADLINES = SHARED_DATA / "prodigy" / "news_headlines_annotated.jsonl"


def seed_with_claims(folder: Path) -> Dataset:
    dataset = Dataset(folder, "olena")
    raw = read_text_file(SEED)
    doc = Document.from_text(raw.text, raw.meta)
    text = doc.text
    spans = reference_spans(text, "olena")
    by_label = {label: [s for s in spans if s.label == label]
                for label in ("ACTOR", "CLAIM", "LOCATION")}
    said = {0: {"quote": "indirect", "source_kind": "actor"}, 1: {"quote": "direct"},
            2: {"source_kind": "journalist"}}
    for n, claim in enumerate(by_label["CLAIM"]):
        for name, value in said.get(n, {}).items():
            claim = claim.with_attribute(name, value)
        by_label["CLAIM"][n] = claim
    first = by_label["ACTOR"][0]
    by_label["ACTOR"][0] = first.with_attribute("canonical", "Donald Trump").with_attribute(
        "kind", "person").with_attribute("country", "US")
    by_label["LOCATION"][0] = by_label["LOCATION"][0].with_attribute("country", "UA")
    spans = sorted((s for group in by_label.values() for s in group), key=lambda s: s.start)
    relations = []
    for claim in by_label["CLAIM"]:
        relations.append(Relation(claim.id, _nearest(claim, by_label["ACTOR"]).id, "SOURCE",
                                  "olena"))
        relations.append(Relation(claim.id, _nearest(claim, by_label["LOCATION"]).id,
                                  "ABOUT", "olena"))
    taras = [Span.new(text, *_at(text, word, nth), label, "taras") for word, nth, label in
             (("Trump", 0, "ACTOR"), ("Putin", 0, "ACTOR"), ("Ukraine", 0, "LOCATION"),
              ("must end NOW", 0, "CLAIM"))]
    relations.append(Relation(taras[3].id, taras[0].id, "SOURCE", "taras"))
    review = [Span.new(text, s.start, s.end, s.label, "review", source="olena")
              for s in spans[:3]]
    dataset.add_article(doc, [*spans, *taras, *review], relations)
    for who, status in (("olena", "done"), ("taras", "done"), ("review", "reviewed"),
                        ("mykola", "skipped")):
        Dataset(folder, who).set_status(doc.id, status)
    return dataset


EMOJI_CLAIM = "Kyiv 🇺🇦 said 👍🏽 Zelensky met Trump in Riyadh. 🙂"


def emoji_claim(folder: Path) -> Dataset:
    """Taras's claim after a flag and a thumbs-up with skin tone, linked, done: one
    analyst's article, whatever the shared data holds."""
    dataset = Dataset(folder, "taras")
    text = EMOJI_CLAIM
    doc = Document.from_text(text, {"source": "emoji"})
    spans = [Span.new(text, *_at(text, word, 0), label, "taras") for word, label in
             (("Kyiv", "LOCATION"), ("Zelensky met Trump in Riyadh", "CLAIM"),
              ("Zelensky", "ACTOR"), ("Trump", "ACTOR"), ("Riyadh", "LOCATION"))]
    dataset.add_article(doc, spans, [Relation(spans[1].id, spans[2].id, "SOURCE", "taras"),
                                     Relation(spans[1].id, spans[4].id, "ABOUT", "taras")])
    dataset.set_status(doc.id, "done")
    return dataset


def _nearest(span: Span, pool: list[Span]) -> Span:
    return min(pool, key=lambda other: (abs(other.start - span.start), other.start))


def _at(text: str, word: str, nth: int) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(word, start + 1)
    return start, start + len(word)


def headlines_with_emoji(folder: Path, tmp: Path) -> int:
    """Add the Prodigy headlines, each behind ``EMOJI``, as mykola's; how many records."""
    if not HEADLINES.exists():
        return 0
    lines = []
    shift = len(EMOJI)
    for line in HEADLINES.read_bytes().splitlines():
        record = orjson.loads(line)
        record.pop("tokens", None)  # tokens of the old text: Gloss makes its own
        record["text"] = EMOJI + record["text"]
        record["spans"] = [{k: v for k, v in span.items() if k not in ("token_start",
                                                                       "token_end")}
                           | {"start": span["start"] + shift, "end": span["end"] + shift}
                           for span in record.get("spans", [])]
        lines.append(orjson.dumps(record))
    path = tmp / "headlines-with-emoji.jsonl"
    path.write_bytes(b"\n".join(lines) + b"\n")
    dataset = Dataset(folder, "mykola")
    notes = Notes()
    import_articles(dataset, list(interchange.read(path, "jsonl", notes)), path.name,
                    notes=notes)
    return len(lines)


def contents(dataset: Dataset, *, whose: bool = True, attributes: bool = True,
             statuses: bool = True) -> dict[str, Any]:
    """What the dataset holds, article by article (by text): spans, links, attributes,
    statuses; ``whose`` False leaves the analysts out (for a format that cannot say)."""
    found: dict[str, Any] = {}
    for article in dataset.articles():
        assert not isinstance(article, Exception), article
        key = {s.id: _span_key(s, whose) for s in article.spans}
        found[article.document.text] = {
            "spans": sorted(key.values()),
            "relations": sorted((key[r.head], key[r.child], r.label) for r in
                                article.relations),
            **({"attributes": sorted((key[s.id], s.attributes) for s in article.spans
                                     if s.attributes)} if attributes else {}),
            **({"status": dict(sorted(article.status.items()))} if statuses else {}),
        }
    return found


def _span_key(span: Span, whose: bool) -> tuple[Any, ...]:
    return (span.start, span.end, span.label, span.text, *((span.annotator,) if whose
                                                           else ()))


def counts(found: dict[str, Any]) -> dict[str, int]:
    return {"articles": len(found),
            "spans": sum(len(a["spans"]) for a in found.values()),
            "relations": sum(len(a["relations"]) for a in found.values()),
            "attributes": sum(len(said) for a in found.values()
                              for _, said in a.get("attributes", []))}
