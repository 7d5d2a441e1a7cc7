"""Whether two analysts' spans of one article match: exactly (same start, end and label) or
overlapping (same label, each span matched at most once), and the span F1 they give.

Below the dataset's library rows (an article's agreement figure) and `gloss agree`
(team/agreement.py), which both count matches this one way.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

Extent = tuple[int, int, int, str]  # article number, start, end, label


def matches(left: list[Extent], right: list[Extent]) -> tuple[dict[str, int], dict[str, int]]:
    """How many spans of ``left`` each label matches in ``right``: exactly (same article,
    start, end and label), and overlapping (same article and label, each right span
    matched at most once, the left ones taken in text order, each with the first free
    right span in the right's order)."""
    exact: dict[str, int] = {}
    for _, _, _, label in set(left) & set(right):
        exact[label] = exact.get(label, 0) + 1
    groups: dict[tuple[int, str], list[tuple[int, int]]] = {}
    for doc, start, end, label in right:
        groups.setdefault((doc, label), []).append((start, end))
    overlap: dict[str, int] = {}
    for doc, start, end, label in sorted(left):
        free = groups.get((doc, label))
        if not free:
            continue
        for k, (s, e) in enumerate(free):
            if s < end and start < e:
                del free[k]
                overlap[label] = overlap.get(label, 0) + 1
                break
    return exact, overlap


def f1(left: list[Extent], right: list[Extent], exact: bool) -> float | None:
    """Span F1 of two analysts: 2 x matched / (spans of both). Exact: same article, start,
    end and label; else same label and overlapping, each span matched at most once."""
    if not left and not right:
        return None
    matched = matches(left, right)[0 if exact else 1]
    return 2 * sum(matched.values()) / (len(left) + len(right))


def article_agreement(rows: Iterable[dict[str, Any]], status: dict[str, str],
                      pair: Sequence[str]) -> float | None:
    """The library's figure for one article: span F1 with overlapping boundaries between
    the two analysts of ``pair``, from the article's span rows, once both have marked it
    done (as `gloss agree` compares only those); None before that."""
    if len(pair) < 2 or any(status.get(who) != "done" for who in pair[:2]):
        return None
    sides: dict[str, list[tuple[int, int, int, str]]] = {pair[0]: [], pair[1]: []}
    for row in rows:
        side = sides.get(row["annotator"])
        if side is not None:
            side.append((0, row["start"], row["end"], row["label"]))
    return f1(sides[pair[0]], sides[pair[1]], exact=False)
