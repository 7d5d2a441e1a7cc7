"""Names in English news text: a run of capitalised words ("of", "de"... inside, "U.S." as
one), with the title before it and its modifiers ("national security adviser") and the place
noun after it ("Kursk region", "Zaporizhzhia nuclear plant", never the determiner before it).

Both the selection's units (units.py) and the claim cues' sources (suggest/claim_sources.py)
grow a name by these rules, so they live below both.
"""

from __future__ import annotations

from bisect import bisect_right
from functools import lru_cache

import regex

from tui.core.language.text import paragraph_bounds, words


def _set(names: str) -> frozenset[str]:
    return frozenset(names.split())


CONNECTORS = _set("of de del der la le van von al bin da di du y")
NOT_NAMES = _set("""a an the this that these those his her its their our my your
    in on at for from by with after before despite during recently meanwhile however but
    and or if when while as since although though because so then there here it he she
    they we you i check source""")
TITLES = _set("""president minister secretary adviser advisor spokesman spokeswoman
    spokesperson envoy ambassador chancellor general commander leader chief official
    officials senator governor mayor king queen prince pope director head chairman
    chairwoman ceo premier speaker representative negotiator aide deputy""")
PLACE_NOUNS = _set("""region oblast province district city county republic river sea
    peninsula border strait island islands mountains valley plant station airport port base
    bay gulf lake coast square bridge dam mine field forest desert canal highway street
    avenue facility""")
DETERMINERS = _set("the a an this that these those")
CLAUSE_WORDS = _set("""that since while because although though whereas which who
    whom whose but unless until when whether where""")


@lru_cache(maxsize=256)
def _paragraph_words(text: str, low: int, high: int) -> tuple[tuple[int, int], ...]:
    return tuple(words(text, low, high))


@lru_cache(maxsize=8)
def _window_words(text: str, low: int, high: int) -> tuple[tuple[int, int], ...]:
    return tuple(words(text, low, high))


WINDOW = 32_768  # characters: a longer paragraph's words are read this far around
_SPACE = regex.compile(r"\s")


def paragraph_words(text: str, offset: int) -> tuple[tuple[int, int], ...]:
    """The words of the paragraph holding ``offset`` (kept: growing asks again and again);
    of a paragraph of megabytes (a huge article may be one), those of the window around
    ``offset``: the words of every selection, label key and claim near it, without three
    million of them held."""
    low, high = paragraph_bounds(text, offset)
    if high - low <= 4 * WINDOW:
        return _paragraph_words(text, low, high)
    return _window_words(text, *_window(text, offset, low, high))


def _window(text: str, offset: int, low: int, high: int) -> tuple[int, int]:
    """[start, end) of about three windows around ``offset``, cut where a space is: no word
    runs across a space, so the words found between are the paragraph's there (the same
    for every offset of a window, so asked again it is kept)."""
    block = offset // WINDOW
    start, end = max(low, (block - 1) * WINDOW), min(high, (block + 2) * WINDOW)
    if start > low:
        space = _SPACE.search(text, start, min(start + WINDOW, offset))
        start = space.end() if space is not None else low
    if end < high:
        space = _SPACE.search(text, end, min(end + WINDOW, high))
        end = space.start() if space is not None else high
    return start, end


def word_at(text: str, offset: int) -> tuple[int, int] | None:
    """The word that holds ``offset`` or ends right at it (as text.word_at, from the kept
    words of its paragraph)."""
    found = paragraph_words(text, min(offset, len(text)))
    i = bisect_right(found, (offset, len(text) + 1)) - 1
    if i >= 0 and found[i][0] <= offset < found[i][1]:
        return found[i]
    if i >= 0 and found[i][1] == offset:
        return found[i]
    return None


def is_capitalised(word: str) -> bool:
    return word[:1].isupper()


def name_around(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The name (with its title and place noun) around the words [start, end); from a
    place noun alone, the name it ends ("region" in "the Sumy region": "Sumy region")."""
    found = paragraph_words(text, start)
    inside = [i for i, (s, e) in enumerate(found) if s < end and e > start]

    def joined(i: int) -> bool:  # found[i] and found[i + 1] belong to one name
        gap = text[found[i][1]:found[i + 1][0]]
        return gap == " " or (gap in (".", ". ") and len(text[slice(*found[i])]) == 1)

    if inside and all(text[slice(*found[i])] in PLACE_NOUNS for i in inside):
        before = inside[0] - 1
        if before >= 0 and joined(before) and is_capitalised(text[slice(*found[before])]):
            inside = [before]  # the place noun comes back with the name, below
    if not inside or not all(is_capitalised(text[s:e]) or text[s:e] in CONNECTORS
                             for s, e in (found[i] for i in inside)):
        return None
    first, last = inside[0], inside[-1]

    def capital(i: int) -> bool:
        return is_capitalised(text[slice(*found[i])])

    while first > 0 and joined(first - 1) and (
            capital(first - 1) or (text[slice(*found[first - 1])] in CONNECTORS
                                   and first > 1 and joined(first - 2) and capital(first - 2))):
        first -= 1
    while last + 1 < len(found) and joined(last) and (
            capital(last + 1) or (text[slice(*found[last + 1])] in CONNECTORS
                                  and last + 2 < len(found) and joined(last + 1)
                                  and capital(last + 2))):
        last += 1
    while first < last and text[slice(*found[first])].lower() in NOT_NAMES:
        first += 1
    # a title before the name, with its modifiers back to a function word or a mark
    if first > 0 and joined(first - 1) and text[slice(*found[first - 1])].lower() in TITLES:
        first -= 1
        while first > 0 and joined(first - 1) and first > inside[0] - 5:
            word = text[slice(*found[first - 1])].lower()
            if word in NOT_NAMES or word in CLAUSE_WORDS or word in CONNECTORS:
                break
            first -= 1
    for step in (1, 2, 3):  # "Kursk region", "Zaporizhzhia nuclear plant"
        after = last + step
        if after >= len(found) or not joined(after - 1):
            break
        word = text[slice(*found[after])]
        if word in PLACE_NOUNS:
            last = after
            break
        if not word.islower() or word in NOT_NAMES or word in CLAUSE_WORDS:
            break
    name_end = found[last][1]
    if len(text[slice(*found[last])]) == 1 and text[name_end:name_end + 1] == ".":
        name_end += 1  # "U.S." keeps its last dot
    return found[first][0], name_end
