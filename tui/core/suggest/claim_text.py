"""A sentence as the claim cues read it: its tokens, its quotations, the noun phrase that
is the subject of a verb.

No parser: the rules are those of news prose. A token is a word (keeping inner
apostrophes, hyphens and the dots of "U.S.") or one mark. A quotation runs from an opening
quote mark to its closing one in the same paragraph (straight quotes pair in order); one
left open runs to the paragraph's end, as a quotation that goes on in the next paragraph
does. A subject is the run of words before a verb back to a mark or a word that cannot be
inside a noun phrase, with an apposition between commas passed over.
"""

from __future__ import annotations

import re

from tui.core.language.text import is_grapheme_boundary, next_grapheme, previous_grapheme
from tui.core.suggest.cue_files import Cues

# Python's re here: it tokenises a megabyte three times faster than regex
_TOKEN = re.compile(r"(?:[^\W\d_]\.){2,}|\w+(?:['’]\w+|[-.]\w+)*|[^\w\s]")
OPENING = "“„«‘"
CLOSING = "”“»’"
QUOTES = "\"“”„«»"
_PAIR = {"“": "”", "„": "“", "«": "»"}
# Words that end a noun phrase going back from its verb, whatever the language's cues say
def _set(names: str) -> frozenset[str]:
    return frozenset(names.split())


STOP = _set("""that which who whom whose while but and or as after when if since
    because although though whereas despite than where how why what there here so not
    nor before until unless whether also including such itself himself herself themselves
    too""")
# Abbreviations whose dot stays inside a name ("Dr. Tristan Smith")
SHORT_TITLES = _set("dr mr mrs ms st jr sr lt col gen gov sen rep prof rev capt sgt maj adm"
                    " mt ft hon")


class Token:
    """A word or a mark: where it is, as written and in lower case."""

    __slots__ = ("capital", "end", "low", "start", "text", "word")

    def __init__(self, start: int, end: int, text: str) -> None:
        self.start = start
        self.end = end
        self.text = text
        self.low = text.lower()
        first = text[0]
        self.word = first.isalnum() or first == "_"
        self.capital = first.isupper()

    def __repr__(self) -> str:
        return f"Token({self.start}, {self.end}, {self.text!r})"


def tokens(text: str, start: int, end: int) -> list[Token]:
    return [Token(m.start(), m.end(), m[0]) for m in _TOKEN.finditer(text, start, end)]


def quotations(toks: list[Token]) -> list[tuple[int, int]]:
    """(opening, closing) token indices of the double quotations of a paragraph's tokens;
    a quotation left open closes after the last token (index ``len(toks)``)."""
    found = []
    opened: tuple[int, str] | None = None
    for i, tok in enumerate(toks):
        char = tok.text
        if char not in QUOTES:
            continue
        if opened is None:
            if char in "”»":  # a closing mark with nothing open: a stray, left alone
                continue
            opened = (i, _PAIR.get(char, '"'))
        elif char == opened[1] or (char == '"' and opened[1] == '"') or (
                char in "”»" and opened[1] != '"'):
            found.append((opened[0], i))
            opened = None
        elif char in "“„«" and opened[1] == '"':  # a curly quote inside a straight one
            continue
    if opened is not None:
        found.append((opened[0], len(toks)))
    return found


def is_quote(tok: Token) -> bool:
    return tok.text in QUOTES


def finite(cues: Cues, tok: Token) -> bool:
    """Does ``tok`` show a finite verb (so the words around it are a clause)?"""
    low = tok.low
    if low in cues.finite:
        return True
    return (tok.word and len(low) > 3 and low.endswith("ed") and low not in cues.not_past
            and not tok.capital)


def verb_after_name(cues: Cues, before: Token, tok: Token) -> bool:
    """ "Mahan flies", "it runs": a verb in -s right after a name or a pronoun."""
    low = tok.low
    return (tok.word and not tok.capital and len(low) > 3 and low.endswith("s")
            and not low.endswith(("ss", "us", "is", "'s", "’s"))
            and (before.capital or before.low in cues.pronouns) and before.word)


def is_name(toks: list[Token], a: int, b: int) -> bool:
    """Is toks[a:b] a proper name (capitalised words, "of" or "al-" between them)?"""
    words = [t for t in toks[a:b] if t.word]
    return bool(words) and words[0].capital and all(
        t.capital or t.low in ("of", "de", "del", "al", "bin", "van", "von", "der", "la",
                               "le", "da", "di", "du", "y", "dela", "et")
        for t in words)


def noun_phrase_before(cues: Cues, toks: list[Token], end: int, low: int
                       ) -> tuple[int, int, int] | None:
    """The noun phrase ending just before token ``end`` (exclusive), not before ``low``:
    (start, end, first) token indices, ``first`` where the whole phrase begins (an
    apposition between commas is passed over, or taken when it names who the head
    describes: "The Vice President, Mike Pence, said")."""
    j = end - 1
    if j < low:
        return None
    if toks[j].low in cues.pronouns or toks[j].low in cues.first_person:
        return j, j + 1, j  # "he said"; never "Wikinews he"
    if toks[j].text == ")":  # "(FSB)"
        opening = next((k for k in range(j - 1, max(low, j - 12) - 1, -1)
                        if toks[k].text == "("), None)
        if opening is None:
            return None
        return noun_phrase_before(cues, toks, opening, low)
    if toks[j].text == ",":
        comma = next((k for k in range(j - 1, max(low, j - 14) - 1, -1)
                      if toks[k].text == ","), None)
        if comma is None:
            return None
        head = _phrase(cues, toks, comma, low)
        if head is None:
            return None
        apposition = (comma + 1, j)
        if is_name(toks, *apposition) and described(cues, toks, head[0], head[1]):
            return apposition[0], apposition[1], head[2]
        return head
    return _phrase(cues, toks, end, low)


def _phrase(cues: Cues, toks: list[Token], end: int, low: int
            ) -> tuple[int, int, int] | None:
    start = end
    k = end - 1
    while k >= low and end - k <= 14:
        tok = toks[k]
        if tok.text == "." and k > low and (toks[k - 1].low in SHORT_TITLES or (
                len(toks[k - 1].text) == 1 and toks[k - 1].capital)):
            start = k
            k -= 1
            continue
        if tok.text in "-–&'’" and k > low and toks[k - 1].word:
            start = k
            k -= 1
            continue
        if not tok.word or tok.low in cues.pronouns or tok.low in cues.first_person:
            break
        low_word = tok.low
        verbal = low_word in cues.verbs and not (
            low_word in cues.unnamed or (k > low and toks[k - 1].low in cues.determiners))
        if low_word in STOP or verbal or low_word in cues.connectives \
                or low_word in cues.complementisers or finite(cues, tok):
            if low_word == "and" and k > low and toks[k - 1].capital and start < end \
                    and toks[start].capital:
                start = k  # "Miller and Smith": the first named is the source
                k -= 1
                continue
            break
        start = k
        k -= 1
    if start >= end:
        return None
    trimmed = trim_phrase(cues, toks, start, end)
    return (*trimmed, start) if trimmed else None


def trim_phrase(cues: Cues, toks: list[Token], start: int, end: int
                ) -> tuple[int, int] | None:
    """A phrase without its leading determiners, time words and prepositions, and of two
    named actors joined by "and", the first."""
    while start < end and (toks[start].low in cues.determiners or toks[start].low in cues.time
                           or toks[start].low in cues.prepositions
                           or not toks[start].word):
        start += 1
    joined = next((i for i in range(start, end) if toks[i].low == "and"), None)
    if joined is not None and is_name(toks, start, joined) and joined + 1 < end and (
            toks[joined + 1].low in cues.determiners or joined - start >= 2):
        end = joined  # two actors: the first; "Search and Rescue Agency" is one
    return (start, end) if start < end else None


def described(cues: Cues, toks: list[Token], start: int, end: int) -> bool:
    """Is toks[start:end] a description rather than a name ("The Vice President", "his
    father", "Merkel's spokesperson"), so that a name in apposition says who it is?"""
    return (not is_name(toks, start, end) or (start > 0 and toks[start - 1].low in
                                               cues.determiners)
            or any(t.low.endswith(("'s", "’s")) for t in toks[start:end]))


def noun_phrase_after(cues: Cues, toks: list[Token], start: int, high: int
                      ) -> tuple[int, int] | None:
    """The noun phrase from token ``start``: "said [his father, Abdullah Kurdi,]"."""
    k = start
    while k < high and toks[k].low in cues.determiners:
        k += 1
    first = k
    while k < high and k - first < 12:
        tok = toks[k]
        if tok.text == "." and k > first and (toks[k - 1].low in SHORT_TITLES or (
                len(toks[k - 1].text) == 1 and toks[k - 1].capital)):
            k += 1
            continue
        if tok.text in "-–'’" and k > first:
            k += 1
            continue
        if not tok.word or (k > first and (tok.low in cues.prepositions or tok.low in STOP
                                           or tok.low in cues.time)):
            break
        k += 1
    if k <= first:
        return None
    if k < high and toks[k].text == ",":  # "said his father, Abdullah Kurdi, following"
        comma = next((m for m in range(k + 1, min(high, k + 8)) if toks[m].text in ",."),
                     high)
        if is_name(toks, k + 1, comma) and described(cues, toks, first, k):
            return k + 1, comma
    return first, k


def outward(text: str, start: int, end: int) -> tuple[int, int]:
    """[start, end) grown to whole characters: a token stops before a combining mark that
    Python's \\w leaves out ("é" written e + U+0301)."""
    if not is_grapheme_boundary(text, start):
        start = previous_grapheme(text, start)
    if not is_grapheme_boundary(text, end):
        end = next_grapheme(text, previous_grapheme(text, end))
    return start, end
