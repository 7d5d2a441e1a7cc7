"""Tokens as spaCy's English tokenizer (``spacy.blank("en")``) makes them, without spaCy.

spaCy's algorithm, rule for rule: its tokenizer exceptions, prefix, suffix and infix rules,
URL match and last pass, over its own character classes (copied from spaCy 3.8.18; tests
check them against spaCy where it is installed). One difference, on purpose: a token
never splits a grapheme cluster (a skin tone, a flag), since no span edge can fall inside
a character. A single space after a token is its ``ws`` flag and any other whitespace run
is a token of its own, as in spaCy. The whole stays linear on hostile text (runs of
affixes, of flag letters, of whitespace), where spaCy's own way is quadratic.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence
from functools import cache, lru_cache
from typing import NamedTuple

from tui.core.language.text import GRAPHEME, JOINERS, has_joiners


class Token(NamedTuple):
    text: str
    start: int
    end: int
    ws: bool


# NamedTuple's own constructor goes through Python code; a tokenizer makes one per word
_new_tuple: Callable[..., Token] = tuple.__new__


def make_token(text: str, start: int, end: int, ws: bool) -> Token:
    return _new_tuple(Token, (text, start, end, ws))


def tokenize(text: str) -> list[Token]:
    """The tokens spaCy's English tokenizer (``spacy.blank("en")``) makes, without spaCy.

    As in spaCy, a single space after a token is its ``ws`` flag and any other whitespace
    run is a token of its own. Unlike spaCy, no token edge falls inside a grapheme cluster:
    where spaCy splits one (a skin tone off its emoji, a flag in two), the pieces are one
    token, as Gloss's export also makes them when spaCy is there.

    Most of a text is words of letters between single spaces: the text is cut at spaces
    first (in C), such a word is a token unless spaCy splits it (cannot, Im), and only the
    other pieces go through spaCy's rules, once each per process (they are cached).
    """
    rules = _english()
    specials = rules.specials
    tokens: list[Token] = []
    append = tokens.append
    new = tuple.__new__  # makemake_token() inlined: this loop runs once a word
    spelled = False  # whether some tokens spell an exception: then a last pass is needed
    start = 0
    last = len(text)
    for chunk in text.split(" "):
        end = start + len(chunk)
        ws = end < last
        if chunk.isalpha() and chunk not in specials:
            append(new(Token, (chunk, start, end, ws)))
        elif chunk and chunk.isprintable():  # printable: no whitespace (category Z or C)
            pieces, spells = _pieces(chunk)
            spelled = spelled or spells
            if len(pieces) == 1:
                append(new(Token, (chunk, start, end, ws)))
                start = end + 1
                continue
            at = start
            for piece in pieces:
                append(make_token(piece, at, at + len(piece), False))
                at += len(piece)
            if ws:
                tokens[-1] = make_token(pieces[-1], end - len(pieces[-1]), end, True)
        else:  # empty (a space after a space) or holding other whitespace
            if chunk:
                spelled = _add_runs(tokens, text, chunk, start) or spelled
            if ws:
                if chunk and not chunk[-1].isspace():
                    tokens[-1] = make_token(*tokens[-1][:3], True)
                else:  # a space after whitespace, or first in the text, is whitespace
                    _add_whitespace(tokens, text, end)
        start = end + 1
    if spelled:
        tokens = rules.join_specials(tokens)
    return _whole_clusters(text, tokens) if has_joiners(text) else tokens


_RUNS = re.compile(r"\s+|\S+")
_WHITESPACE = re.compile(r"\s+")
_ASCII_DIGIT = re.compile("[0-9]").search
# ASCII characters no infix holds
_NO_ASCII_INFIX = frozenset(map(chr, range(128))) - set(".+-*^,~:<>=/")


def _add_runs(tokens: list[Token], text: str, chunk: str, start: int) -> bool:
    """Add the tokens of a piece of text that holds whitespace other than spaces; True when
    some of them spell an exception."""
    spelled = False
    for match in _RUNS.finditer(chunk):
        run = match.group()
        at = start + match.start()
        if run[0].isspace():
            _add_whitespace(tokens, text, at)
            continue
        pieces, spells = _pieces(run)
        spelled = spelled or spells
        for piece in pieces:
            tokens.append(make_token(piece, at, at + len(piece), False))
            at += len(piece)
    return spelled


def _add_whitespace(tokens: list[Token], text: str, start: int) -> None:
    """A token of all the whitespace from ``start`` on, unless the last one holds it already
    (the text is cut at spaces, so one whitespace run may come in many pieces)."""
    if tokens and tokens[-1].end > start:
        return
    run = _WHITESPACE.match(text, start)
    end = run.end() if run else start + 1
    tokens.append(make_token(text[start:end], start, end, False))


def _whole_clusters(text: str, tokens: list[Token]) -> list[Token]:
    """Join the tokens that an edge inside a grapheme cluster would split; a space inside a
    cluster (before a combining mark, after a prepended one) joins its token too."""
    inside = _inside_clusters(text)
    if not inside:
        return tokens
    joined: list[Token] = []
    for token in tokens:
        if joined:
            last = joined[-1]
            if token.start in inside:
                if last.ws and last.end not in inside:  # the space begins the cluster
                    joined[-1] = make_token(last.text, last.start, last.end, False)
                    token = make_token(text[last.end:token.end], last.end, token.end, token.ws)
                else:
                    joined.pop()
                    token = make_token(text[last.start:token.end], last.start, token.end, token.ws)
            elif last.ws and last.end in inside:  # the space ends the cluster
                joined[-1] = make_token(text[last.start:last.end + 1], last.start, last.end + 1,
                                    False)
        joined.append(token)
    last = joined[-1]
    if last.ws and last.end in inside:
        joined[-1] = make_token(text[last.start:last.end + 1], last.start, last.end + 1, False)
    return joined


def _inside_clusters(text: str) -> set[int]:
    """The offsets inside a grapheme cluster, found in one pass over the text.

    Between two characters that are not joiners there is always a boundary; so each stretch
    of joiners (one character apart at most) is segmented on its own, from the character
    before it to the one after the character after it.
    """
    inside: set[int] = set()
    joiners = [m.start() for m in JOINERS.finditer(text)]
    i = 0
    while i < len(joiners):
        j = i
        while j + 1 < len(joiners) and joiners[j + 1] - joiners[j] <= 2:
            j += 1
        start, end = max(0, joiners[i] - 1), min(len(text), joiners[j] + 2)
        # regex's \X looks back over a run of flag letters (regional indicators) at each
        # of them, in quadratic time; they pair from the start of the run, so the run is cut
        # between pairs and each piece segmented as a string of its own
        cuts = [start]
        for run in _FLAG_LETTERS.finditer(text, start, end):
            cuts.extend(range(run.start() + 2, run.end(), 2))
        cuts.append(end)
        starts = {a + m.start() for a, b in itertools.pairwise(cuts)
                  for m in GRAPHEME.finditer(text[a:b])}
        inside.update(k for k in range(start + 1, end) if k not in starts)
        i = j + 1
    return inside


_FLAG_LETTERS = re.compile("[\U0001f1e6-\U0001f1ff]{3,}")


@lru_cache(maxsize=1 << 15)
def _pieces(run: str) -> tuple[tuple[str, ...], bool]:
    """spaCy's tokens of a run of text without whitespace, before its last pass; and whether
    some of them spell an exception that the last pass would split otherwise (seldom)."""
    rules = _english()
    pieces = tuple(rules.split(run))
    for i in range(len(pieces) - 1):
        if pieces[i:i + 2] in rules.spelled and any(rules.specials[key] != pieces[i:i + length]
                                              for length, key in rules.spells_at(pieces, i)):
            return pieces, True
    return pieces, False


@cache
def _english() -> _SpacyEnglish:
    return _SpacyEnglish()


class _SpacyEnglish:
    """spaCy's English tokenizer (spaCy 3.8: spacy/tokenizer.pyx, spacy/lang/punctuation.py,
    spacy/lang/en/punctuation.py, spacy/lang/char_classes.py and the tokenizer exceptions),
    ported rule for rule so that tokens agree with it. MIT licence, (c) ExplosionAI GmbH.

    A run without whitespace loses prefixes and suffixes from its ends until what is left is
    an exception or has none; what is left is then an exception's tokens, a URL, or split at
    infixes. Last, neighbouring tokens that spell an exception become its tokens (":" ")"
    become ":)").
    """

    def __init__(self) -> None:
        alpha, lower, upper = _letters()
        icons = _intervals(_ICONS)
        quotes = _points("".join(_QUOTES))
        digits = _points("0123456789")
        currency = "|".join(re.escape(c) for c in _CURRENCY.split())
        units = "|".join(re.escape(u) for u in _UNITS.split())
        hyphens = "|".join(re.escape(h) for h in _HYPHENS.split())
        # spaCy lists each of these characters on its own; one class of them all finds the
        # same: no other prefix starts with one of them, and of a suffix only its start counts
        marks = "".join(m for m in (*_PUNCT, *_QUOTES, "—", "–") if len(m) == 1)
        signs = "".join(c for c in _CURRENCY.split() if len(c) == 1)
        prefixes = [_class(_points("§%=" + marks + signs), icons), r"\+(?![0-9])", r"\.\.+",
                    r"US\$|C\$|A\$"]
        suffixes = [
            _class(_points(marks), icons), "……", "['’][sS]", r"\.\.+", r"(?<=[0-9])\+",
            r"(?<=°[FfCcKk])\.", rf"(?<=[0-9])(?:{currency})", rf"(?<=[0-9])(?:{units})",
            # spaCy's class here also holds the characters of "(?:" ")" and "|"
            rf"(?<={_class(digits, lower, _points('%²-+|(?:)' + ''.join(_PUNCT)), quotes)})\.",
            rf"(?<=(?:{_class(upper)}){{2}})\.",
        ]
        infixes = [
            r"\.\.+", "…", _class(icons), r"(?<=[0-9])[+\-\*^](?=[0-9-])",
            rf"(?<={_class(lower, quotes)})\.(?={_class(upper, quotes)})",
            # spaCy's last three, between letters: a comma (not after a digit), a hyphen, one
            # of :<>=/; as one, for its letter classes are slow to compile
            rf"(?<={_class(alpha, digits)})(?:(?<![0-9]),|{hyphens}|[:<>=/])(?={_class(alpha)})",
        ]
        self.prefix = re.compile("|".join(prefixes)).match
        self.suffix = re.compile(f"(?:{'|'.join(suffixes)})$").search
        self.infixes = re.compile("|".join(infixes)).finditer
        self.url = re.compile(_URL.replace("[LOWER]", _class(lower))).match
        # For the usual cases, the affix a character decides, without a regex:
        self.marks = frozenset(marks)  # alone a suffix, and a prefix
        self.prefix_marks = frozenset(marks + signs + "§%=")
        # what a full stop is a suffix after (the letters: ASCII ones only)
        self.before_stop = frozenset(
            "0123456789abcdefghijklmnopqrstuvwxyz%-+|(?:)" + "".join(_PUNCT + _QUOTES))
        self.specials = _english_exceptions()
        self.longest = max(map(len, self.specials))
        # spaCy's last pass: exceptions with an affix, found as the tokens they would be
        # (looked up by their first two)
        self.spelled: dict[tuple[str, ...], list[tuple[tuple[str, ...], str]]] = {}
        for key in self.specials:
            if "".join(key.split()) == key and self._has_affix(key):
                spelled = tuple(self.split(key, with_specials=False))
                if len(spelled) > 1:  # one token matching itself changes nothing
                    self.spelled.setdefault(spelled[:2], []).append((spelled, key))

    def _has_affix(self, string: str) -> bool:
        return bool(self._prefix_len(string, 0, len(string))
                    or self._suffix_len(string, 0, len(string))
                    or next(self.infixes(string), None))

    # Both look at string[lo:hi] as spaCy looks at a new string: no regex sees beyond it.
    # That part shrinks by an affix at a time, and copying it each time would make a run of
    # many affixes ("((((((" or ":):):):)") take quadratic time.

    def _prefix_len(self, string: str, lo: int, hi: int) -> int:
        first = string[lo]
        if first in self.prefix_marks:
            return 1
        if first.isascii():  # the other prefixes but the icons: + .. US$ C$ A$
            if first == "+":
                return 0 if lo + 1 < hi and "0" <= string[lo + 1] <= "9" else 1
            if first == ".":
                end = lo + 1
                while end < hi and string[end] == ".":
                    end += 1
                return end - lo if end - lo > 1 else 0
            if first in "UCA" and string.startswith(("US$", "C$", "A$"), lo, hi):
                return 3 if first == "U" else 2
            return 0
        match = self.prefix(string, lo, hi)  # the prefixes look no further than hi
        return match.end() - lo if match else 0

    def _suffix_len(self, string: str, lo: int, hi: int) -> int:
        if lo >= hi:
            return 0
        last = string[hi - 1]
        before = string[hi - 2] if hi - 2 >= lo else ""
        if last in self.marks:  # no longer suffix ends with one but ……
            return 2 if last == before == "…" else 1
        if "0" <= last <= "9":
            return 0
        if last == "+":
            return 1 if before and "0" <= before <= "9" else 0
        # a unit follows a number: there is a digit among the last six characters
        if last.isalpha() and (string[max(lo, hi - 6):hi].isalpha()
                               or not _ASCII_DIGIT(string, max(lo, hi - 6), hi)):
            return 2 if before in ("'", "’") and last in "sS" else 0
        context = string[max(lo, hi - 3):hi - 1]
        if last == "." and context.isascii():
            if before == ".":
                dots = hi - 1
                while dots > lo and string[dots - 1] == ".":
                    dots -= 1
                return hi - dots
            if before in self.before_stop or (before.isupper() and context[:-1].isupper()):
                return 1
            return 0
        # No suffix is longer than five characters but a run of dots (which ends in an ASCII
        # context, above), nor looks back more than two: the last eight characters will do.
        tail = string[max(lo, hi - 8):hi]
        match = self.suffix(tail)
        return len(tail) - match.start() if match else 0

    def _simple(self, string: str, specials: dict[str, tuple[str, ...]]) -> list[str] | None:
        """What split() makes of the most usual shapes, at a fraction of the cost; None for
        any other. Letters alone or ASCII digits alone are never split ("Kyiv" "2019"); with
        one mark after them, that is a suffix ("Kyiv," "2019)"), as is a full stop after a
        digit, a lower case letter or two capitals (ASCII ones here: "said." "USA." but
        "I."); with a mark before them, that is a prefix ("(AP" "#Ukraine" "$5"); letters
        take a possessive 's ("Putin's"); ASCII words joined by hyphens are split at them
        ("cease-fire"). But for the last, the letters left are a token unless an exception
        splits them."""
        if string.isalpha() or (string.isdecimal() and string.isascii()):
            return [string]
        first, core, end = string[0], string[:-1], string[-1]
        if first in self.prefix_marks:
            rest = string[1:]
            if rest.isalpha() or (rest.isdecimal() and rest.isascii()):
                return [first, *specials.get(rest, (rest,))]
            return None
        digits = core.isdecimal() and core.isascii()
        if digits or core.isalpha():
            if end == ".":
                if not core[-2:].isascii():
                    return None
                if not (digits or core[-1].islower() or (core[-2:].isupper() and len(core) > 1)):
                    return [string]
            elif end not in self.marks:
                return None
            return [*specials.get(core, (core,)), end]
        if end in "sS" and string[-2] in "'’" and string[:-2].isalpha():
            return [*specials.get(string[:-2], (string[:-2],)), string[-2:]]
        if "-" in string and string.isascii():  # infixes, not looked up as exceptions
            words = string.split("-")
            if all(word.isalpha() for word in words):
                return [piece for word in words for piece in ("-", word)][1:]
        return None

    def split(self, string: str, with_specials: bool = True) -> list[str]:
        """Tokenizer._split_affixes and _attach_tokens, quirks included."""
        specials = self.specials if with_specials else {}
        if string in specials:
            return list(specials[string])
        simple = self._simple(string, specials)
        if simple is not None:
            return simple
        prefixes: list[str] = []
        suffixes: list[str] = []
        # an exception is short: a longer part of the string is not looked up
        longest = self.longest if with_specials else 0
        lo, hi = 0, len(string)
        last_size = 0
        while lo < hi and hi - lo != last_size and not (
                hi - lo <= longest and string[lo:hi] in specials):
            if last_size and hi - lo <= 64:  # what is left after an affix: a usual shape?
                simple = self._simple(string[lo:hi], specials)
                if simple is not None:
                    return prefixes + simple + suffixes[::-1]
            last_size = hi - lo
            pre_len = self._prefix_len(string, lo, hi)
            if pre_len and 0 < hi - lo - pre_len <= longest and string[lo + pre_len:hi] in specials:
                prefixes.append(string[lo:lo + pre_len])
                lo += pre_len
                break
            suf_len = self._suffix_len(string, lo + pre_len, hi)
            if suf_len and 0 < hi - suf_len - lo <= longest and string[lo:hi - suf_len] in specials:
                suffixes.append(string[hi - suf_len:hi])
                hi -= suf_len
                break
            if pre_len and suf_len and pre_len + suf_len <= hi - lo:
                prefixes.append(string[lo:lo + pre_len])
                suffixes.append(string[hi - suf_len:hi])
                lo += pre_len
                hi -= suf_len
            elif pre_len:
                prefixes.append(string[lo:lo + pre_len])
                lo += pre_len
            elif suf_len:
                suffixes.append(string[hi - suf_len:hi])
                hi -= suf_len
        string = string[lo:hi]
        pieces = prefixes
        if string in specials:
            pieces.extend(specials[string])
        elif "." in string and self.url(string):
            pieces.append(string)
        elif string.isascii() and _NO_ASCII_INFIX.issuperset(string):
            if string:
                pieces.append(string)
        elif string:
            start = 0
            for match in self.infixes(string):
                if match.start() == 0:  # spaCy skips an infix at the very start
                    continue
                if match.start() != start:
                    pieces.append(string[start:match.start()])
                pieces.append(match.group())
                start = match.end()
            if start < len(string):
                pieces.append(string[start:])
        pieces.extend(reversed(suffixes))
        return pieces

    def spells_at(self, pieces: Sequence[str], i: int) -> list[tuple[int, str]]:
        """The exceptions pieces[i:] start with, spelled as affixes split them: (length, key)."""
        return [(len(spelled), key) for spelled, key in self.spelled.get(tuple(pieces[i:i + 2]), ())
                if tuple(pieces[i:i + len(spelled)]) == spelled]

    def join_specials(self, tokens: list[Token]) -> list[Token]:
        """Tokenizer._apply_special_cases: tokens that spell an exception become its tokens.

        Its matcher ignores spaces: "e.g ." is found too and left as it is, yet it keeps the
        tokens it holds from other matches. The longest match goes first, then the leftmost;
        one that starts or ends on a token taken by an earlier one is dropped.
        """
        texts = [token.text for token in tokens]
        found = sorted(((i, i + length, key) for i in range(len(texts))
                        for length, key in self.spells_at(texts, i)),
                       key=lambda m: (m[0] - m[1], m[0]))
        taken: set[int] = set()
        kept = []
        for start, end, key in found:
            if start not in taken and end - 1 not in taken:
                kept.append((start, end, key))
            taken.update(range(start, end))
        out: list[Token] = []
        at = 0
        for start, end, key in sorted(kept):
            if any(token.ws for token in tokens[start:end - 1]):
                continue  # spelled across a space: left as it is
            out.extend(tokens[at:start])
            offset = tokens[start].start
            for piece in self.specials[key]:
                out.append(make_token(piece, offset, offset + len(piece), False))
                offset += len(piece)
            out[-1] = make_token(*out[-1][:3], tokens[end - 1].ws)
            at = end
        out.extend(tokens[at:])
        return out


# spaCy's character classes (spacy/lang/char_classes.py), the letters as ranges
_LATIN = (
    "A-Za-z\uff21-\uff3a\uff41-\uff5a\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u01bf\u01c4-\u024f"
    "\u2c60-\u2c7b\u2c7e\u2c7f\ua722-\ua76f\ua771-\ua787\ua78b-\ua78e\ua790-\ua7b9\ua7fa"
    "\uab30-\uab5a\uab60-\uab64\u0250-\u02af\u1d00-\u1d25\u1d6b-\u1d77\u1d79-\u1d9a"
    "\u1e00-\u1eff"
)
# spaCy counts every letter of these Latin blocks as lower case, whatever Unicode says
_LATIN_LOWER_BLOCKS = (
    "\uab30-\uab5a\uab60-\uab64\u0250-\u02af\u1d00-\u1d25\u1d6b-\u1d77\u1d79-\u1d9a"
)
# Russian, Tatar, Greek, Ukrainian and Macedonian letters
_OTHER_LOWER = "ёа-яәөүҗңһα-ωάέίόώήύіїєґѓѕјљњќѐѝ"
_OTHER_UPPER = "ЁА-ЯӘӨҮҖҢҺΑ-ΩΆΈΊΌΏΉΎІЇЄҐЃЅЈЉЊЌЀЍ"
# scripts without case: Ethiopic, Bengali, Hebrew, Arabic, Sinhala, Devanagari, Kannada,
# Tamil, Telugu, Hangul, kana and CJK (CJK punctuation included, as in spaCy)
_UNCASED = (
    "\u1200-\u137f\u0980-\u09ff\u0591-\u05f4\ufb1d-\ufb4f\u0620-\u064a\u066e-\u06d5"
    "\u06e5-\u06ff\u0750-\u077f\u08a0-\u08bd\ufb50-\ufbb1\ufbd3-\ufd3d\ufd50-\ufdc7"
    "\ufdf0-\ufdfb\ufe70-\ufefc\U0001ee00-\U0001eebb\u0d80-\u0dff\u0900-\u097f\u0c80-\u0cff"
    "\u0b80-\u0bff\u0c00-\u0c7f\uac00-\ud7af\u1100-\u11ff\u3040-\u30ff\u4e00-\u9fff"
    "\u3400-\u4dbf\U00020000-\U0002a6df\U0002a700-\U0002ebef\u2e80-\u2fdf\u2ff0-\u303f"
    "\u31c0-\u31ef\u3200-\u33ff\uf900-\ufaff\ufe30-\ufe4f\U0001f200-\U0001f2ff"
    "\U0002f800-\U0002fa1f"
)
# symbols and emoji spaCy splits off (its ICONS: most of category So up to Unicode 11)
_ICONS = (
    "\u00A6\u00A9\u00AE\u00B0\u0482\u058D\u058E\u060E\u060F\u06DE\u06E9\u06FD\u06FE\u07F6"
    "\u09FA\u0B70\u0BF3-\u0BF8\u0BFA\u0C7F\u0D4F\u0D79\u0F01-\u0F03\u0F13\u0F15-\u0F17"
    "\u0F1A-\u0F1F\u0F34\u0F36\u0F38\u0FBE-\u0FC5\u0FC7-\u0FCC\u0FCE\u0FCF\u0FD5-\u0FD8"
    "\u109E\u109F\u1390-\u1399\u1940\u19DE-\u19FF\u1B61-\u1B6A\u1B74-\u1B7C\u2100\u2101"
    "\u2103-\u2106\u2108\u2109\u2114\u2116\u2117\u211E-\u2123\u2125\u2127\u2129\u212E"
    "\u213A\u213B\u214A\u214C\u214D\u214F\u218A\u218B\u2195-\u2199\u219C-\u219F\u21A1"
    "\u21A2\u21A4\u21A5\u21A7-\u21AD\u21AF-\u21CD\u21D0\u21D1\u21D3\u21D5-\u21F3"
    "\u2300-\u2307\u230C-\u231F\u2322-\u2328\u232B-\u237B\u237D-\u239A\u23B4-\u23DB"
    "\u23E2-\u2426\u2440-\u244A\u249C-\u24E9\u2500-\u25B6\u25B8-\u25C0\u25C2-\u25F7"
    "\u2600-\u266E\u2670-\u2767\u2794-\u27BF\u2800-\u28FF\u2B00-\u2B2F\u2B45\u2B46"
    "\u2B4D-\u2B73\u2B76-\u2B95\u2B98-\u2BC8\u2BCA-\u2BFE\u2CE5-\u2CEA\u2E80-\u2E99"
    "\u2E9B-\u2EF3\u2F00-\u2FD5\u2FF0-\u2FFB\u3004\u3012\u3013\u3020\u3036\u3037\u303E"
    "\u303F\u3190\u3191\u3196-\u319F\u31C0-\u31E3\u3200-\u321E\u322A-\u3247\u3250"
    "\u3260-\u327F\u328A-\u32B0\u32C0-\u32FE\u3300-\u33FF\u4DC0-\u4DFF\uA490-\uA4C6"
    "\uA828-\uA82B\uA836\uA837\uA839\uAA77-\uAA79\uFDFD\uFFE4\uFFE8\uFFED\uFFEE\uFFFC"
    "\uFFFD\U00010137-\U0001013F\U00010179-\U00010189\U0001018C-\U0001018E"
    "\U00010190-\U0001019B\U000101A0\U000101D0-\U000101FC\U00010877\U00010878\U00010AC8"
    "\U0001173F\U00016B3C-\U00016B3F\U00016B45\U0001BC9C\U0001D000-\U0001D0F5"
    "\U0001D100-\U0001D126\U0001D129-\U0001D164\U0001D16A-\U0001D16C\U0001D183\U0001D184"
    "\U0001D18C-\U0001D1A9\U0001D1AE-\U0001D1E8\U0001D200-\U0001D241\U0001D245"
    "\U0001D300-\U0001D356\U0001D800-\U0001D9FF\U0001DA37-\U0001DA3A\U0001DA6D-\U0001DA74"
    "\U0001DA76-\U0001DA83\U0001DA85\U0001DA86\U0001ECAC\U0001F000-\U0001F02B"
    "\U0001F030-\U0001F093\U0001F0A0-\U0001F0AE\U0001F0B1-\U0001F0BF\U0001F0C1-\U0001F0CF"
    "\U0001F0D1-\U0001F0F5\U0001F110-\U0001F16B\U0001F170-\U0001F1AC\U0001F1E6-\U0001F202"
    "\U0001F210-\U0001F23B\U0001F240-\U0001F248\U0001F250\U0001F251\U0001F260-\U0001F265"
    "\U0001F300-\U0001F3FA\U0001F400-\U0001F6D4\U0001F6E0-\U0001F6EC\U0001F6F0-\U0001F6F9"
    "\U0001F700-\U0001F773\U0001F780-\U0001F7D8\U0001F800-\U0001F80B\U0001F810-\U0001F847"
    "\U0001F850-\U0001F859\U0001F860-\U0001F887\U0001F890-\U0001F8AD\U0001F900-\U0001F90B"
    "\U0001F910-\U0001F93E\U0001F940-\U0001F970\U0001F973-\U0001F976\U0001F97A"
    "\U0001F97C-\U0001F9A2\U0001F9B0-\U0001F9B9\U0001F9C0-\U0001F9C2\U0001F9D0-\U0001F9FF"
    "\U0001FA60-\U0001FA6D"
)
# spaCy's punctuation and quotes; its "……" is a suffix but never a prefix ("…" comes first)
_PUNCT = ("…", "……", ",", ":", ";", "!", "?", "¿", "؟", "¡", "(", ")", "[", "]", "{", "}",
          "<", ">", "_", "#", "*", "&", "。", "？", "！", "，", "、", "；", "：", "～", "·", "।",
          "،", "۔", "؛", "٪")
_QUOTES = ("'", '"', "”", "“", "`", "‘", "´", "’", "‚", ",", "„", "»", "«", "「", "」", "『",
           "』", "（", "）", "〔", "〕", "【", "】", "《", "》", "〈", "〉", "\u2329", "\u232a",
           "⟦", "⟧")
_CURRENCY = "$ £ € ¥ ฿ US$ C$ A$ ₽ ﷼ ₴ ₠ ₡ ₢ ₣ ₤ ₥ ₦ ₧ ₨ ₩ ₪ ₫ ₭ ₮ ₯ ₰ ₱ ₲ ₳ ₵ ₶ ₷ ₸ ₹ ₺ ₻ ₼ ₾ ₿"
# "тбكم" is one unit in spaCy (a missing space in its list)
_UNITS = (
    "km km² km³ m m² m³ dm dm² dm³ cm cm² cm³ mm mm² mm³ ha µm nm yd in ft kg g mg µg t lb oz "
    "m/s km/h kmh mph hPa Pa mbar mb MB kb KB gb GB tb TB T G M K % км км² км³ м м² м³ дм "
    "дм² дм³ см см² см³ мм мм² мм³ нм кг г мг м/с км/ч кПа Па мбар Кб КБ кб Мб МБ мб Гб ГБ "
    "гб Тб ТБ тбكم كم² كم³ م م² م³ سم سم² سم³ مم مم² مم³ كم غرام جرام جم كغ ملغ كوب اكواب"
)
_HYPHENS = "- – — -- --- —— ~"
# spaCy's URL_MATCH (after Diego Perini's, MIT licence): no private or local IP addresses,
# a top-level domain of lower case letters ([LOWER] stands for them). Written otherwise but
# matching the same strings: its user:password@ part \S+(?::\S*)?@ as \S+@ (on ":::::" it
# backtracks in quadratic time), its host characters [A-Za-z0-9\u00a1-\uffff] (and _ -) as
# the characters they are not (Python's re compiles a wide range of characters slowly).
_HOST = r"[^\x00-/:-@\[-`{-\xa0\U00010000-\U0010ffff]"
_HOST_INNER = r"[^\x00-,./:-@\[-^`{-\xa0\U00010000-\U0010ffff]"
_URL = (
    r"(?u)^(?:(?:[\w\+\-\.]{2,})://)?(?:\S+@)?(?:"
    r"(?!(?:10|127)(?:\.\d{1,3}){3})(?!(?:169\.254|192\.168)(?:\.\d{1,3}){2})"
    r"(?!172\.(?:1[6-9]|2\d|3[0-1])(?:\.\d{1,3}){2})"
    r"(?:[1-9]\d?|1\d\d|2[01]\d|22[0-3])(?:\.(?:1?\d{1,2}|2[0-4]\d|25[0-5])){2}"
    r"(?:\.(?:[1-9]\d?|1\d\d|2[0-4]\d|25[0-4]))"
    rf"|(?:(?:{_HOST}{_HOST_INNER}{{0,62}})?{_HOST}\.)+(?:[LOWER]{{2,63}}))"
    r"(?::\d{2,5})?(?:[/?#]\S*)?$"
)


Intervals = list[tuple[int, int]]


def _letters() -> tuple[Intervals, Intervals, Intervals]:
    """spaCy's ALPHA, ALPHA_LOWER and ALPHA_UPPER."""
    latin = [chr(c) for lo, hi in _intervals(_LATIN) for c in range(lo, hi + 1)]
    lower_blocks = {chr(c) for lo, hi in _intervals(_LATIN_LOWER_BLOCKS) for c in range(lo, hi + 1)}
    lower = _points("".join(c for c in latin if c in lower_blocks or c.islower()))
    upper = _points("".join(c for c in latin if c not in lower_blocks and c.isupper()))
    other_lower, other_upper, uncased = (_intervals(_OTHER_LOWER), _intervals(_OTHER_UPPER),
                                         _intervals(_UNCASED))
    return (_intervals(_LATIN) + other_lower + other_upper + uncased,
            lower + other_lower + uncased, upper + other_upper + uncased)


def _intervals(body: str) -> Intervals:
    """The code points of the body of a regex class made of characters and ranges (a-z)."""
    out = []
    i = 0
    while i < len(body):
        if i + 2 < len(body) and body[i + 1] == "-":
            out.append((ord(body[i]), ord(body[i + 2])))
            i += 3
        else:
            out.append((ord(body[i]), ord(body[i])))
            i += 1
    return out


def _points(chars: str) -> Intervals:
    return [(ord(c), ord(c)) for c in chars]


def _class(*sets: Intervals) -> str:
    """A regex matching one character of any of the sets. Python's re tests a class that
    holds a character beyond U+FFFF range by range, but one within it at one go: so two
    classes, and the second only tried on a character beyond U+FFFF."""
    merged: Intervals = []
    for lo, hi in sorted(r for ranges in sets for r in ranges):
        if merged and lo <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(hi, merged[-1][1]))
        else:
            merged.append((lo, hi))
    bmp = [(lo, min(hi, 0xFFFF)) for lo, hi in merged if lo <= 0xFFFF]
    astral = [(max(lo, 0x10000), hi) for lo, hi in merged if hi > 0xFFFF]

    def body(ranges: Intervals) -> str:
        return "".join(_in_class(lo) + (f"-{_in_class(hi)}" if hi > lo else "")
                       for lo, hi in ranges)

    if not astral:
        return f"[{body(bmp)}]"
    return f"(?:[{body(bmp)}]|(?=[\U00010000-\U0010ffff])[{body(astral)}])"


def _in_class(code: int) -> str:
    char = chr(code)
    return "\\" + char if char in "\\]^-[" else char


def _english_exceptions() -> dict[str, tuple[str, ...]]:
    """spaCy's English tokenizer exceptions: each string and the tokens it becomes."""
    exc: dict[str, tuple[str, ...]] = {}

    def add(*pieces: str) -> None:
        exc["".join(pieces)] = pieces

    def cased(*words: str) -> list[str]:
        return [w for word in words for w in (word, word.title())]

    for word in _BASE_EXCEPTIONS.split() + _EMOTICONS.split() + [" ", "\t", "\n", "\xa0"]:
        add(word)
    for unit in "cfkCFK":
        add("°", unit, ".")
    for word in cased("i"):
        for clitics in (("'m",), ("m",), ("'m", "a"), ("m", "a")):
            add(word, *clitics)
    will_would = (("'ll",), ("ll",), ("'ll", "'ve"), ("ll", "ve"),
                  ("'d",), ("d",), ("'d", "'ve"), ("d", "ve"))
    for word in cased("i", "you", "he", "she", "it", "we", "they"):
        for clitics in will_would:
            add(word, *clitics)
    for words, clitic in ((("i", "you", "we", "they"), "ve"), (("you", "we", "they"), "re"),
                          (("he", "she", "it"), "s")):
        for word in cased(*words):
            add(word, "'" + clitic)
            add(word, clitic)
    for word in cased("who", "what", "when", "where", "why", "how", "there", "that", "this",
                      "these", "those"):
        clitics_of_word = list(will_would)
        if word.lower() not in ("these", "those"):
            clitics_of_word += [("'s",), ("s",)]
        if word.lower() not in ("that", "this"):
            clitics_of_word += [("'re",), ("re",), ("'ve",), ("ve",)]
        for clitics in clitics_of_word:
            add(word, *clitics)
    for word in cased("ca", "could", "do", "does", "did", "had", "may", "might", "must", "need",
                      "ought", "sha", "should", "wo", "would"):
        for clitics in (("n't",), ("nt",), ("n't", "'ve"), ("nt", "ve")):
            add(word, *clitics)
    for word in cased("could", "might", "must", "should", "would"):
        add(word, "'ve")
        add(word, "ve")
    for word in cased("ai", "are", "is", "was", "were", "have", "has", "dare"):
        add(word, "n't")
        add(word, "nt")
    for word in cased("doin", "goin", "nothin", "nuthin", "ol", "somethin"):
        add(word)
        add(word + "'")
    for word in ("em", "ll", "nuff"):
        add(word)
        add("'" + word)
    for hour in range(1, 13):
        for period in ("a.m.", "am", "p.m.", "pm"):
            add(str(hour), period)
    for pieces in _SPLIT_EXCEPTIONS.split():
        add(*pieces.split("|"))
    for word in _ENGLISH_EXCEPTIONS.split():
        add(word)
    for word in _NOT_EXCEPTIONS.split():
        exc.pop(word, None)
    # every exception with ' also holds with ’
    for key, pieces in list(exc.items()):
        if "'" in key:
            exc[key.replace("'", "’")] = tuple(p.replace("'", "’") for p in pieces)
    return exc


_BASE_EXCEPTIONS = r"""
    \t \n ' \") <space> '' C++ a. b. c. d. e. f. g. h. i. j. k. l. m. n. o. p. q. r. s. t. u.
    v. w. x. y. z. ä. ö. ü. —
"""
_EMOTICONS = r"""
    :) :-) :)) :-)) :))) :-))) (: (-: =) (= :] :-] [: [-: [= =] :o) (o: :} :-} 8) 8-) (-8 ;)
    ;-) (; (-; :( :-( :(( :-(( :((( :-((( ): )-: =( >:( :') :'-) :'( :'-( :/ :-/ =/ =| :| :-|
    ]= =[ :1 :P :-P :p :-p :O :-O :o :-o :0 :-0 :() >:o :* :-* :3 :-3 =3 :> :-> :X :-X :x :-x
    :D :-D ;D ;-D =D xD XD xDD XDD 8D 8-D ^_^ ^__^ ^___^ >.< >.> <.< ._. ;_; -_- -__- v.v V.V
    v_v V_V o_o o_O O_o O_O 0_o o_0 0_0 o.O O.o O.O o.o 0.0 o.0 0.o @_@ <3 <33 <333 </3 (^_^)
    (-_-) (._.) (>_<) (*_*) (¬_¬) ಠ_ಠ ಠ︵ಠ (ಠ_ಠ) ¯\(ツ)/¯ (╯°□°）╯︵┻━┻ ><(((*>
"""
_SPLIT_EXCEPTIONS = """
    y'|all y|all how|'d|'y How|'d|'y not|'ve not|ve Not|'ve Not|ve can|not Can|not gon|na
    Gon|na got|ta Got|ta let|'s Let|'s c'm|on C'm|on
"""
_ENGLISH_EXCEPTIONS = """
    'S 's ‘S ‘s and/or w/o 're 'Cause 'cause 'cos 'Cos 'coz 'Coz 'cuz 'Cuz 'bout ma'am Ma'am
    o'clock O'clock lovin' Lovin' lovin Lovin havin' Havin' havin Havin doin' Doin' doin Doin
    goin' Goin' goin Goin Mt. Ak. Ala. Apr. Ariz. Ark. Aug. Calif. Colo. Conn. Dec. Del. Feb.
    Fla. Ga. Ia. Id. Ill. Ind. Jan. Jul. Jun. Kan. Kans. Ky. La. Mar. Mass. Mich. Minn. Miss.
    N.C. N.D. N.H. N.J. N.M. N.Y. Neb. Nebr. Nev. Nov. Oct. Okla. Ore. Pa. S.C. Sep. Sept.
    Tenn. Va. Wash. Wis. 'd a.m. Adm. Bros. co. Co. Corp. D.C. Dr. e.g. E.g. E.G. Gen. Gov.
    i.e. I.e. I.E. Inc. Jr. Ltd. Md. Messrs. Mo. Mont. Mr. Mrs. Ms. p.m. Ph.D. Prof. Rep. Rev.
    Sen. St. vs. v.s.
"""
# words the rules above would split that spaCy keeps whole
_NOT_EXCEPTIONS = "Ill ill Its its Hell hell Shell shell Shed shed were Were Well well Whore whore"
