"""Finding text as the analyst types it: smart case, and straight quotes, apostrophes and
hyphens that match the curly quotes and dashes the article prints.

Over SSH an analyst types ``"``, ``'`` and ``-``; news text prints “ ” ‘ ’ and – —. So each
of those typed characters matches its whole family, and the search ignores case unless the
needle holds a capital letter (as vim's smartcase and less -i do).
"""

from __future__ import annotations

from functools import lru_cache

import regex

FAMILIES = {
    '"': '"“”„‟«»″',
    "'": "'‘’‚‛′`",
    "-": "-‐‑‒–—―−",
}
# Each member of a family stands for all of it, so pasting a curly quote finds a straight one
_FAMILY_OF = {char: members for members in FAMILIES.values() for char in members}


@lru_cache(maxsize=64)
def pattern(needle: str, backwards: bool = False) -> regex.Pattern[str]:
    parts = []
    for char in needle:
        family = _FAMILY_OF.get(char)
        parts.append(f"[{regex.escape(family)}]" if family else regex.escape(char))
    flags = regex.V1 | (regex.REVERSE if backwards else 0)
    if needle == needle.lower():
        flags |= regex.IGNORECASE
    return regex.compile("".join(parts), flags)


def find(text: str, needle: str, start: int, forward: bool = True) -> tuple[int, int] | None:
    """The next match at or after ``start`` (forward), or the last one before it, wrapping
    round the article's end as less and vim do; None when there is none at all."""
    if not needle:
        return None
    if forward:
        found = pattern(needle).search(text, min(start, len(text))) or \
            pattern(needle).search(text)
    else:
        found = pattern(needle, True).search(text, 0, start) or \
            pattern(needle, True).search(text)
    return (found.start(), found.end()) if found else None


def occurrences(text: str, phrase: str) -> list[tuple[int, int]]:
    """Every place ``phrase`` stands as whole words (same case; "Russia" is not found in
    "Russian"), for labelling every occurrence at once."""
    if not phrase:
        return []
    found = regex.finditer(rf"(?<![\w]){regex.escape(phrase)}(?![\w])", text, regex.V1)
    return [(m.start(), m.end()) for m in found]
