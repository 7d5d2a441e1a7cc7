"""One actor across articles: the canonical name that says "Putin", "Vladimir Putin" and
"Russian President Vladimir Putin" are one actor, as ACLED and UCDP code actors.

The name offered first is the fullest name of the same actor in the article, without the
titles and nationalities that news puts before a name; completion comes from the
canonical names already in the dataset, matched fuzzily (rapidfuzz), so "zelenskyy" finds
"Volodymyr Zelensky".
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

# Words that stand before a name in news copy and are not part of it.
_TITLE_WORDS = """
president vice prime minister foreign defence defense secretary state chancellor premier
king queen prince princess pope general gen lieutenant colonel col commander admiral
senator sen representative rep speaker governor gov mayor ambassador envoy special adviser
advisor national security chief spokesman spokeswoman spokesperson leader deputy acting
former late mr mrs ms dr sir lord lady dame judge justice attorney officer minister's
u.s. us uk un eu nato russian ukrainian american british french german chinese iranian
israeli palestinian syrian turkish polish saudi belarusian european kremlin white house
the a an his her their its our
"""
TITLES = frozenset(_TITLE_WORDS.split())
_POSSESSIVE = re.compile(r"['’]s$")
_WORD = re.compile(r"[\w.'’-]+")


def bare_name(text: str) -> str:
    """``text`` without the titles before it and a possessive after it:
    "Russian President Vladimir Putin’s" -> "Vladimir Putin"."""
    words = _WORD.findall(text)
    while len(words) > 1 and words[0].casefold() in TITLES:
        words.pop(0)
    if words:
        words[-1] = _POSSESSIVE.sub("", words[-1])
    return " ".join(words)


def same_actor(a: str, b: str) -> bool:
    """Do two names in one article name one actor? Their last words (the surname, or the
    one word of a mononym) agree, case aside."""
    last_a, last_b = bare_name(a).casefold().split()[-1:], bare_name(b).casefold().split()[-1:]
    return bool(last_a) and last_a == last_b


def fullest_name(name: str, names_in_article: Iterable[str]) -> str:
    """The fullest name of the same actor among ``names_in_article`` (bare of titles)."""
    found = [bare_name(other) for other in names_in_article if same_actor(name, other)]
    return max(found, key=lambda n: (len(n.split()), len(n)), default=bare_name(name))


def suggestions(query: str, known: Iterable[str], limit: int = 8) -> list[str]:
    """The canonical names already in the dataset that best match ``query``, best first;
    with no query, the most used first."""
    from rapidfuzz import fuzz, process, utils  # put off: the reader's start needs no matching

    counts = Counter(known)
    if not query.strip():
        return [name for name, _ in counts.most_common(limit)]
    matches = process.extract(query, list(counts), scorer=fuzz.WRatio,
                              processor=utils.default_process, limit=limit, score_cutoff=60)
    return [name for name, _score, _index in matches]
