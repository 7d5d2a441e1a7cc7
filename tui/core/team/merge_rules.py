"""Two analysts' versions of one article file made one, knowing what both started from.

This is the three-way merge that ``gloss git-merge`` (git's merge driver) applies to an
article file: BASE is the version both sides started from, OURS the one being merged into,
THEIRS the one merged in. What both sides added comes together with the rules of ``gloss
merge`` (``article_file.merge``): a span is one span by its id, the version updated last
kept, or by its extent, label and analyst; links are one by id or by (head, child, label);
an analyst's status is the one set last. BASE adds what a union alone cannot know:

- a span (or link) that BASE holds and one side no longer does was removed there; it stays
  removed when the other side left it as BASE had it, and comes back when the other side
  changed it since (an edit is newer work than a removal: nothing labelled is lost
  silently);
- a link whose span is gone goes with it, as ``Dataset.remove_span`` takes a span's links;
- a relation type capped at one link a span (a claim's SOURCE) keeps the links of the side
  whose version of that span was updated last, so a claim whose source both analysts set
  has one source, the later one.

Without BASE (the article was added on both sides) it is a union. Label sets are united,
OURS' labels first. Nothing here reads or writes a file: the caller checks its inputs
(``read_article``) and the result.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import orjson

from tui.core.disk.article_file import merge
from tui.core.document import rejections
from tui.core.document.model import GlossError, Label, LabelSet, Relation

Tables = dict[str, Any]


class NotMergeable(GlossError):
    """The two versions are not versions of one article (another text under the id)."""


def merge_article(base: Tables | None, ours: Tables, theirs: Tables,
                  caps: dict[str, int] | None = None) -> Tables:
    """The article holding both sides' work (see the module's docstring); ``caps``: the
    most links of a relation type a span may head (``{"SOURCE": 1}``). The three tables
    must have been checked with ``read_article``."""
    ours_row, theirs_row = ours["article"]["1"], theirs["article"]["1"]
    if ours_row["id"] != theirs_row["id"] or ours_row["text"] != theirs_row["text"]:
        raise NotMergeable("the two versions hold different texts under one article id")
    result: Tables = orjson.loads(orjson.dumps(ours))  # a deep copy, at orjson's speed
    article = result["article"]["1"]
    article["added"] = min(ours_row.get("added", 0), theirs_row.get("added", 0))
    before = _by_id((base or {}).get("spans", {}))
    before_links = _by_id((base or {}).get("relations", {}))
    mine, yours = _by_id(ours.get("spans", {})), _by_id(theirs.get("spans", {}))
    spans = result.setdefault("spans", {})
    for key, row in list(spans.items()):
        if _removed(row, before, yours):
            del spans[key]
    links = result.setdefault("relations", {})
    for key, link in list(links.items()):
        if link["id"] in before_links and link["id"] not in _ids(theirs, "relations"):
            del links[key]  # links never change: one missing from a side was removed there
    brought = [row for row in yours.values() if not _removed(row, before, mine)]
    new_links = [Relation.from_record(link) for link in theirs.get("relations", {}).values()
                 if link["id"] not in before_links]
    merge(result, brought, new_links, theirs.get("status", {}).values())
    rejections.merge3(result, base, theirs)
    _drop_dangling(result)
    if caps:
        _cap(result, caps, yours, {link.id for link in new_links})
    return result


def _by_id(table: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {row["id"]: row for row in table.values()}


def _ids(tables: Tables, name: str) -> set[str]:
    return {row["id"] for row in tables.get(name, {}).values()}


def _removed(row: dict[str, Any], base: dict[str, dict[str, Any]],
             other: dict[str, dict[str, Any]]) -> bool:
    """Did the other side remove this span, which this side left as BASE had it?"""
    span_id = row["id"]
    return span_id in base and span_id not in other and base[span_id] == row


def _drop_dangling(tables: Tables) -> None:
    ids = _ids(tables, "spans")
    links = tables["relations"]
    for key in [k for k, link in links.items()
                if link["head"] not in ids or link["child"] not in ids]:
        del links[key]


def _cap(tables: Tables, caps: dict[str, int], theirs: dict[str, dict[str, Any]],
         brought: set[str]) -> None:
    """Keep at most ``caps[label]`` links of a capped type from each span, those of the
    side whose version of the span was kept first."""
    spans = _by_id(tables["spans"])
    heads: dict[tuple[str, str], list[str]] = {}
    links = tables["relations"]
    for key, link in links.items():
        if link["label"] in caps:
            heads.setdefault((link["head"], link["label"]), []).append(key)
    for (head, label), keys in heads.items():
        if len(keys) <= caps[label]:
            continue
        theirs_won = theirs.get(head) == spans.get(head)
        keys.sort(key=lambda k: (links[k]["id"] in brought) != theirs_won)
        for key in keys[caps[label]:]:
            del links[key]


def merge_labels(ours: Any, theirs: Any) -> Any:
    """The label set file holding both sides' labels, relation types and attributes
    (OURS' first, each kept as OURS has it). Raises ``GlossError`` for a file that is not
    a label set."""
    mine, yours = LabelSet.from_records(ours), LabelSet.from_records(theirs)
    for label in yours.labels:
        if mine.get(label.name) is not None:
            continue
        taken = {kept.key for kept in mine.labels}
        key = label.key if label.key and label.key not in taken else mine.add(label.name).key
        mine.labels = [kept for kept in mine.labels if kept.name != label.name]
        mine.labels.append(Label(label.name, key, label.colour))
    mine.relations = _united(mine.relations, yours.relations)
    mine.attributes = _united(mine.attributes, yours.attributes)
    records = mine.to_records()
    LabelSet.from_records(records)  # what is written must read back
    return records


def _united(first: tuple[Any, ...], second: Iterable[Any]) -> tuple[Any, ...]:
    names = {item.name for item in first}
    return (*first, *(item for item in second if item.name not in names))


def caps_of(labels: LabelSet) -> dict[str, int]:
    """The relation types of a label set capped at some number of links a span."""
    return {r.name: r.most for r in labels.relations if r.most is not None}
