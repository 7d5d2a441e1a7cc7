"""The units a selection grows through, one key each: word, name with its title, clause,
sentence, paragraph.

An analyst labels titles ("Russian President Vladimir Putin"), regions ("Kursk region") and
whole claims ("Ukraine agreed to a month-long cease-fire"); moving word by word to their
ends cost most of the keys. ``grow`` returns the smallest unit that holds the selection and
is larger than it. The rules are plain English news conventions, not a parser: a name is a
run of capitalised words (with "of", "de"... inside, "U.S." as one), a title word before it
brings its modifiers ("national security adviser"), a place noun after it comes along
("Kursk region", "Zaporizhzhia nuclear plant", never the determiner before it); a clause
ends at punctuation, quotes aside, or at a word such as "that", "since", "but" or "which".
Between the clause and the sentence come the clause after "that" (commas and all, to a
semicolon or ", but") and the content a reporting cue reports (the claim cues' rules:
"Trump said [the war must end]").
"""

from __future__ import annotations

from bisect import bisect_right
from functools import lru_cache

import regex

from tui.core.sentences import sentence_of, sentence_starts
from tui.core.text import paragraph_bounds, words


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
_CLAUSE_MARKS = regex.compile(r"[,;:()\[\]—–]|\s-\s|(?<!\b[A-Z])\.(?=\s|$)|[!?]|”")


@lru_cache(maxsize=256)
def _paragraph_words(text: str, low: int, high: int) -> tuple[tuple[int, int], ...]:
    return tuple(words(text, low, high))


def _words(text: str, offset: int) -> tuple[tuple[int, int], ...]:
    """The words of the paragraph holding ``offset`` (kept: growing asks again and again)."""
    return _paragraph_words(text, *paragraph_bounds(text, offset))


def word_at(text: str, offset: int) -> tuple[int, int] | None:
    """The word that holds ``offset`` or ends right at it (as text.word_at, from the kept
    words of its paragraph)."""
    found = _words(text, min(offset, len(text)))
    i = bisect_right(found, (offset, len(text) + 1)) - 1
    if i >= 0 and found[i][0] <= offset < found[i][1]:
        return found[i]
    if i >= 0 and found[i][1] == offset:
        return found[i]
    return None


def _is_capitalised(word: str) -> bool:
    return word[:1].isupper()


def name_around(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The name (with its title and place noun) around the words [start, end); from a
    place noun alone, the name it ends ("region" in "the Sumy region": "Sumy region")."""
    found = _words(text, start)
    inside = [i for i, (s, e) in enumerate(found) if s < end and e > start]

    def joined(i: int) -> bool:  # found[i] and found[i + 1] belong to one name
        gap = text[found[i][1]:found[i + 1][0]]
        return gap == " " or (gap in (".", ". ") and len(text[slice(*found[i])]) == 1)

    if inside and all(text[slice(*found[i])] in PLACE_NOUNS for i in inside):
        before = inside[0] - 1
        if before >= 0 and joined(before) and _is_capitalised(text[slice(*found[before])]):
            inside = [before]  # the place noun comes back with the name, below
    if not inside or not all(_is_capitalised(text[s:e]) or text[s:e] in CONNECTORS
                             for s, e in (found[i] for i in inside)):
        return None
    first, last = inside[0], inside[-1]

    def capital(i: int) -> bool:
        return _is_capitalised(text[slice(*found[i])])

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


def _clause(text: str, start: int, end: int) -> tuple[int, int]:
    low, high = paragraph_bounds(text, start)
    left, right = low, high
    for mark in _CLAUSE_MARKS.finditer(text, low, high):
        if mark.end() <= start:
            left = mark.end()
        elif mark.start() >= end:
            right = mark.end() if mark.group() == "”" else mark.start()
            break
    for w_start, w_end in _words(text, start):
        if w_start < left or w_end > right:
            continue
        word = text[w_start:w_end].lower()
        if word in CLAUSE_WORDS:
            if w_end <= start:
                left = w_end
            elif w_start >= end:
                right = w_start
                break
    return _trim(text, left, right)


@lru_cache(maxsize=4)
def _sentence_starts(text: str) -> list[int]:
    return sentence_starts(text)


def _sentence(text: str, start: int, end: int) -> tuple[int, int]:
    starts = _sentence_starts(text)
    first = sentence_of(starts, text, start)
    last = sentence_of(starts, text, max(end - 1, start))
    return _trim(text, first[0], last[1])


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and (text[start].isspace() or text[start] in "\"“„"):
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return balance_quotes(text, start, end)


def balance_quotes(text: str, start: int, end: int) -> tuple[int, int]:
    """Take in the closing quote of a quotation opened inside [start, end)."""
    inside = text[start:end]
    if inside.count("“") > inside.count("”") and text[end:end + 1] == "”":
        return start, end + 1
    if inside.count('"') % 2 and text[end:end + 1] == '"':
        return start, end + 1
    return start, end


def _that_clause(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The clause after "that" holding [start, end), to the sentence's end, a semicolon or
    ", but": "warn that [the plant, Europe’s largest facility, is in poor condition]"."""
    first, last = _sentence(text, start, end)
    opened = None
    for word_start, word_end in _words(text, start):
        if word_end > start:
            break
        if word_start >= first and text[word_start:word_end] == "that":
            opened = word_end
    if opened is None:
        return None
    close = regex.search(r";|,\s+but\b|\s+but\b", text[end:last])
    stop = end + close.start() if close else last
    while stop > opened and text[stop - 1] in ".,!?…":
        stop -= 1
    unit = _trim(text, opened, stop)
    return unit if unit[0] <= start and unit[1] >= end else None


@lru_cache(maxsize=64)
def _paragraph_claims(paragraph: str) -> tuple[tuple[int, int], ...]:
    # imported here: the claim cues grow names with this module's rules
    from tui.core.suggest.claim_cues import claim_suggestions

    return tuple((s.start, s.end) for s in claim_suggestions(paragraph))


def _reported(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The reported content holding [start, end): the smallest claim the reporting cues
    find in its paragraph ("Trump said [the war must end]", a quotation)."""
    low, high = paragraph_bounds(text, start)
    if end > high:
        return None
    holding = [(low + s, low + e) for s, e in _paragraph_claims(text[low:high])
               if low + s <= start and end <= low + e]
    return min(holding, key=lambda unit: unit[1] - unit[0]) if holding else None


def _bare(text: str, start: int, end: int) -> int:
    """Where [start, end) begins without its leading determiners ("the Zaporizhzhia"); its
    start when it has none."""
    bare = start
    for word_start, word_end in _words(text, start):
        if word_start < start:
            continue
        if word_start >= end or text[word_start:word_end].lower() not in DETERMINERS:
            return word_start if bare > start else start
        bare = word_end
    return start


def units(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Every unit holding [start, end) (or the word at ``start`` when it is empty),
    smallest first, each larger than the one before. A name leaves out the selection's
    leading determiner ("the Zaporizhzhia" grows to "Zaporizhzhia plant")."""
    word = word_at(text, start) if start == end else None
    if start == end and word is None:
        return []
    s, e = word if word else (start, end)
    ladder = [(s, e)] if word else []
    if word is None:
        ladder += [w for w in [_words_around(text, s, e)] if w]
    around = ladder[-1] if ladder else (s, e)
    bare = _bare(text, *around)
    name = name_around(text, bare, around[1]) if bare < around[1] else None
    if name:
        ladder.append(name)
    base = ladder[-1] if ladder else (s, e)
    reported = _reported(text, *base)
    middle = [u for u in (_clause(text, *base), _that_clause(text, *base)) if u and not (
        reported and (u[0] < reported[0] <= u[1] or u[0] <= reported[1] < u[1]))]
    # a clause across the cue ("Rubio told reporters the talks") gives way to the content
    ladder += sorted([*middle, *([reported] if reported else [])], key=lambda u: u[1] - u[0])
    ladder += [_sentence(text, *base), _trim(text, *paragraph_bounds(text, base[0]))]
    out: list[tuple[int, int]] = []
    for unit in ladder:
        lead, previous = start, out[-1] if out else None
        dropped = text[start:bare].split()
        if unit == name and name is not None and dropped and all(
                word.lower() in DETERMINERS for word in dropped):
            lead = bare  # a place or an actor without its "the"
            previous = (max(previous[0], bare), previous[1]) if previous else None
        elif name and unit != name and unit[1] == name[1] and _bare(text, *unit) == name[0]:
            continue  # "the Zaporizhzhia plant" after "Zaporizhzhia plant": no step
        if unit[0] <= lead and unit[1] >= end and unit != (start, end) and (
                previous is None or (unit[0] <= previous[0] and unit[1] >= previous[1]
                                     and unit != previous)):
            out.append(unit)
    return out


def _words_around(text: str, start: int, end: int) -> tuple[int, int] | None:
    """A selection grown to whole words at both ends."""
    first, last = word_at(text, start), word_at(text, max(end - 1, start))
    s = first[0] if first and first[0] <= start < first[1] else start
    e = last[1] if last and last[0] < end <= last[1] else end
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    return (s, e) if e > s else None


def grow(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The smallest unit that holds [start, end) and is larger; None at the paragraph."""
    ladder = units(text, start, end)
    return ladder[0] if ladder else None
