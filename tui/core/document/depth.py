"""How deep a record's metadata may nest: one limit every reader checks, every writer holds.

orjson reads JSON nested up to 1,024 levels but writes at most 254, and Python's own
recursion gives out near 1,000: a record nested 300 deep was read, then failed the write
with an internal error. So an article's ``meta`` nests at most :data:`MAX_DEPTH` levels
(``{}`` is one, ``{"a": {}}`` two): with the few levels a file puts around it (an article
file holds it four deep, a Label Studio export three) every writer writes it back whole.
A record nested deeper is bad input, named with its line; an article file holding one is a
broken file. Other fields are read field by field, never kept whole, so their depth cannot
matter; JSON nested past orjson's own limit is refused as it is parsed.
"""

from __future__ import annotations

from typing import Any

MAX_DEPTH = 100
TOO_DEEP = f"nested deeper than {MAX_DEPTH} levels (Gloss keeps at most {MAX_DEPTH})"


def deeper_than(value: Any, limit: int = MAX_DEPTH) -> bool:
    """Does ``value`` (parsed JSON) nest more than ``limit`` lists and objects deep? Walked
    without recursion, so any depth is safe to ask about."""
    level: list[Any] = [value]
    depth = 0
    while level:
        inner: list[Any] = []
        for item in level:
            if type(item) is dict:
                inner += [v for v in item.values() if type(v) in (dict, list)]
            elif type(item) is list:
                inner += [v for v in item if type(v) in (dict, list)]
        depth += 1
        if inner and depth >= limit:
            return True
        level = inner
    return False


def json_problem(message: str) -> str:
    """What is wrong with JSON orjson could not parse, from its message."""
    if message.startswith("depth limit exceeded") or "recursion limit" in message:
        return TOO_DEEP
    return f"not valid JSON ({message})"
