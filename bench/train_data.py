"""The bench's news: the shipped seeds and 171 Wikinews articles of 2019 (../shared/data,
CC BY 2.5), in the order they were published, each cut at line breaks into parts of about
a kilobyte (a part is an article to the bench: 411 KB make about 400), annotated by
bench/silver.py."""

from __future__ import annotations

import csv
from pathlib import Path

from silver import annotate

from tui.core.document.model import Document, Relation, Span
from tui.core.language.text import normalise

ROOT = Path(__file__).resolve().parent.parent
# the project's shared data beside the clone (a worktree one level further down)
NEWS = next((folder / "shared" / "data" / "news" / "wikinews_2019.csv"
             for folder in (ROOT.parent, ROOT.parent.parent)
             if (folder / "shared" / "data").is_dir()), ROOT.parent / "shared")
PART = 1000


def parts(text: str, size: int = PART) -> list[str]:
    out, current = [], ""
    for line in text.split("\n"):
        if not line.strip():
            continue
        current = f"{current}\n{line}" if current else line
        if len(current) >= size:
            out.append(current)
            current = ""
    if current:
        if out and len(current) < size // 3:
            out[-1] += "\n" + current
        else:
            out.append(current)
    return out


def articles() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    if NEWS.is_file():
        with NEWS.open(encoding="utf-8", newline="") as handle:
            rows = sorted(csv.DictReader(handle), key=lambda r: r.get("date") or "")
        texts += [r["text"] for r in rows if len(r.get("text") or "") > 300]
    return [normalise(part.encode()) for text in texts for part in parts(text)]


def annotated(analyst: str = "silver") -> list[tuple[Document, list[Span], list[Relation]]]:
    out = []
    for text in articles():
        spans, relations = annotate(text, analyst)
        out.append((Document.from_text(text), spans, relations))
    return out
