"""Suggestions an analyst rejected, kept in the article's file so that they are not offered
again in that article: the ``rejected`` table, one row a rejection.

``{"start", "end", "label", "text", "annotator", "kind", "created"}``: the extent and label
rejected (the text, as a span row has it, checked against the article's), who rejected it
and which finder had proposed it. A rejection is one by (start, end, label, analyst):
rejecting twice keeps one row. It belongs to its analyst: another analyst of the same
article is still offered the suggestion (``keys(rows, analyst)``); ``gloss suggest`` leaves
out what anyone rejected. ``gloss export --rejected`` writes them as Prodigy examples
answered ``reject``.

Pure functions over an article's tables (``Dataset`` calls them under the article's lock)
and over the rows an ``Article`` holds.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from tui.core.document.model import now
from tui.core.document.suggestion import KINDS, Suggestion

TABLE = "rejected"
FIELDS = ("start", "end", "label", "text", "annotator", "kind", "created")
Key = tuple[int, int, str]


def problem(row: Any, text: str) -> str | None:
    """Why ``row`` is not a rejection of the article whose text is ``text``, or None."""
    if not isinstance(row, dict) or tuple(row) != FIELDS:
        return f"a row must hold {', '.join(FIELDS)}"
    start, end = row["start"], row["end"]
    if type(start) is not int or type(end) is not int or not 0 <= start < end <= len(text):
        return "its offsets are not whole numbers inside the text"
    if not all(type(row[k]) is str for k in FIELDS[2:]):
        return "its label, text, analyst, kind and time must be text"
    if row["text"] != text[start:end]:
        return f"its text is not the article's text at {start}-{end}"
    return None


def add(tables: dict[str, Any], text: str, suggestion: Suggestion, annotator: str) -> bool:
    """Record that ``annotator`` rejected ``suggestion``; False when they had already."""
    rows = tables.setdefault(TABLE, {})
    key = (suggestion.start, suggestion.end, suggestion.label, annotator)
    if any(_key(row) == key for row in rows.values()):
        return False
    rows[str(max((int(k) for k in rows if k.isdecimal()), default=0) + 1)] = {
        "start": suggestion.start, "end": suggestion.end, "label": suggestion.label,
        "text": text[suggestion.start:suggestion.end], "annotator": annotator,
        "kind": suggestion.kind, "created": now()}
    return True


def remove(tables: dict[str, Any], suggestion: Suggestion, annotator: str) -> bool:
    """Take a rejection back (undo); False when there was none."""
    rows = tables.get(TABLE, {})
    key = (suggestion.start, suggestion.end, suggestion.label, annotator)
    place = next((k for k, row in rows.items() if _key(row) == key), None)
    if place is None:
        return False
    del rows[place]
    return True


def merge3(result: dict[str, Any], base: dict[str, Any] | None, theirs: dict[str, Any]
           ) -> None:
    """Bring ``theirs``' rejections into ``result`` (a copy of ours), as git's merge driver
    merges an article: one rejected on either side is rejected; one taken back (undone)
    on a side, that the base had, is taken back."""
    before = {_key(row) for row in (base or {}).get(TABLE, {}).values()}
    yours = {_key(row): row for row in theirs.get(TABLE, {}).values()}
    rows = result.get(TABLE, {})
    kept = {k: row for k, row in rows.items()
            if not (_key(row) in before and _key(row) not in yours)}
    have = {_key(row) for row in kept.values()}
    free = max((int(k) for k in kept if k.isdecimal()), default=0) + 1
    for key, row in yours.items():
        if key not in have and key not in before:
            kept[str(free)] = row
            free += 1
    if kept or TABLE in result:
        result[TABLE] = kept


def keys(rows: Iterable[dict[str, Any]], annotator: str | None = None) -> frozenset[Key]:
    """The (start, end, label) rejected by ``annotator`` (None: by anyone)."""
    return frozenset((row["start"], row["end"], row["label"]) for row in rows
                     if annotator is None or row["annotator"] == annotator)


def suggestion(row: dict[str, Any]) -> Suggestion:
    """The suggestion a row rejected (a kind of a later version is read as a model's)."""
    kind = next((kind for kind in KINDS if kind == row["kind"]), "model")
    return Suggestion(row["start"], row["end"], row["label"], kind)


def _key(row: dict[str, Any]) -> tuple[Any, ...]:
    return (row.get("start"), row.get("end"), row.get("label"), row.get("annotator"))
