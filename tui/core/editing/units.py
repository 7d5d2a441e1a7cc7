"""The units a selection grows through, one key each: word, name with its title, clause,
sentence, paragraph.

An analyst labels titles ("Russian President Vladimir Putin"), regions ("Kursk region") and
whole claims ("Ukraine agreed to a month-long cease-fire"); moving word by word to their
ends cost most of the keys. ``grow`` returns the smallest unit that holds the selection and
is larger than it. The rules are plain English news conventions, not a parser: a name is
grown by names.py's rules (its title before it, its place noun after it); a clause
ends at punctuation, quotes aside, or at a word such as "that", "since", "but" or "which".
Between the clause and the sentence come the clause after "that" (commas and all, to a
semicolon or ", but") and the content a reporting cue reports (the claim cues' rules:
"Trump said [the war must end]").
"""

from __future__ import annotations

from functools import lru_cache

import regex

from tui.core.language.names import (
    CLAUSE_WORDS,
    DETERMINERS,
    name_around,
    paragraph_words,
    word_at,
)
from tui.core.language.sentences import sentence_of, sentence_starts
from tui.core.language.text import paragraph_bounds

_CLAUSE_MARKS = regex.compile(r"[,;:()\[\]—–]|\s-\s|(?<!\b[A-Z])\.(?=\s|$)|[!?]|”")


def _clause(text: str, start: int, end: int) -> tuple[int, int]:
    low, high = paragraph_bounds(text, start)
    left, right = low, high
    for mark in _CLAUSE_MARKS.finditer(text, low, high):
        if mark.end() <= start:
            left = mark.end()
        elif mark.start() >= end:
            right = mark.end() if mark.group() == "”" else mark.start()
            break
    for w_start, w_end in paragraph_words(text, start):
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
    for word_start, word_end in paragraph_words(text, start):
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
    from tui.core.suggest.claim_cues import claim_suggestions  # put off: the reader's start

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
    for word_start, word_end in paragraph_words(text, start):
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
        # (lead, end): a name that is the selection without its "the" would shrink it
        if unit[0] <= lead and unit[1] >= end and unit not in ((start, end), (lead, end)) and (
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
