"""Gloss's own matcher of pattern files, for when spaCy is not installed: the subset of
spaCy's ``Matcher`` and ``PhraseMatcher`` that ``patterns.py`` reads, over the tokens
spaCy's English tokenizer makes (``tokens.tokenize``).

The semantics are spaCy's, checked against it on random patterns and texts
(``tests/core/test_suggest_matchers.py``): a token pattern matches every run of tokens it
describes as a whole, each run reported once, however many ways it matches; ``?`` ``*``
``+`` and ``{n,m}`` repeat a token, ``!`` is one token that fails the tests; a run is never
empty. A phrase pattern matches its tokens' texts in a row, and so does a token pattern
of one text (or lower-case text) a token, without the machinery. Each pattern is tried only at
the tokens that can begin it (by the text or lower-case text of its first tokens, where it
names them, or by a token at a fixed distance from the first), so a thousand patterns cost
little more than one. A text of n tokens costs at most ``MAX_STEPS + 16 n`` steps and gives
at most ``MAX_MATCHES + 2 n`` matches (``stopped`` then says so).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from tui.core.language.tokens import Token, tokenize
from tui.core.suggest.patterns import MAX_TOKENS, Pattern, Test, TokenSpec

ONE, OPTIONAL, ANY, NOT = range(4)
Element = tuple[int, Callable[[Token], bool]]  # (kind, does a token pass the tests)
# How much one text may cost: a pattern such as [{"OP": "*"}, {"OP": "+"}] matches every
# run of up to MAX_TOKENS tokens, and [{"OP": "*"}, {"LOWER": "x"}] is tried that far from
# every token. Far beyond what a useful pattern file finds in a long article.
MAX_MATCHES = 20_000  # and MATCHES_A_TOKEN more for each token
MAX_STEPS = 1_000_000  # and STEPS_A_TOKEN more for each token
MATCHES_A_TOKEN = 2
STEPS_A_TOKEN = 16
Match = tuple[int, int, int]  # (pattern, first token, token after the last)

_ATTRS: dict[str, Callable[[str], Any]] = {
    "ORTH": str, "LOWER": str.lower, "LENGTH": len, "IS_ALPHA": str.isalpha,
    "IS_ASCII": str.isascii, "IS_DIGIT": str.isdigit, "IS_LOWER": str.islower,
    "IS_UPPER": str.isupper, "IS_TITLE": str.istitle, "IS_SPACE": str.isspace,
}
_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "=": lambda a, b: a == b, "IN": lambda a, b: a in b, "NOT_IN": lambda a, b: a not in b,
    "==": lambda a, b: a == b, "!=": lambda a, b: a != b, ">=": lambda a, b: a >= b,
    "<=": lambda a, b: a <= b, ">": lambda a, b: a > b, "<": lambda a, b: a < b,
}


class TokenMatcher:
    def __init__(self, patterns: Sequence[Pattern]) -> None:
        self.patterns = list(patterns)
        self.stopped = False  # the last text had more matches than are taken
        self._steps = MAX_STEPS
        self._programs: dict[int, tuple[list[Element], list[frozenset[int]]]] = {}
        self._phrases: dict[int, tuple[bool, tuple[str, ...]]] = {}  # (lower?, texts)
        # where a pattern may begin: (pattern, tokens before the token of this text)
        self._by_orth: dict[str, list[tuple[int, int]]] = {}
        self._by_lower: dict[str, list[tuple[int, int]]] = {}
        self._anywhere: list[tuple[int, int]] = []
        for index, found in enumerate(self.patterns):
            plain = found.plain if found.phrase is None else "ORTH"
            if plain is not None:
                texts = tuple(t.text for t in tokenize(found.phrase)) if found.phrase \
                    else found.words
                self._phrases[index] = (plain == "LOWER", texts)
                (self._by_lower if plain == "LOWER" else self._by_orth).setdefault(
                    texts[0], []).append((index, 0))
            else:
                elements = [e for spec in found.tokens for e in _elements(spec)]
                self._programs[index] = (elements, _closures(elements))
                self._index(index, found.tokens)

    def _index(self, index: int, specs: tuple[TokenSpec, ...]) -> None:
        """File the pattern under the texts one of its tokens must have, at a known
        distance from its start (its first token, or one after tokens of a fixed number),
        so that it is tried only where it can match; else it is tried at every token."""
        offset = 0
        for spec in specs:
            named = next((t for t in spec.tests if t.attr in ("ORTH", "LOWER")
                          and t.op in ("=", "IN")), None)
            if named is not None and spec.low >= 1 and not spec.negated:
                values = [named.value] if named.op == "=" else sorted(named.value)
                table = self._by_orth if named.attr == "ORTH" else self._by_lower
                for value in dict.fromkeys(values):
                    table.setdefault(value, []).append((index, offset))
                return
            if not (spec.negated or spec.low == spec.high):
                break  # the tokens after it stand at no fixed distance from the start
            offset += 1 if spec.negated else spec.low
        self._anywhere.append((index, 0))

    def matches(self, tokens: Sequence[Token], most: int = MAX_MATCHES,
                steps: int = MAX_STEPS) -> list[Match]:
        """Every (pattern, start, end) in token indices, end exclusive; never across a
        line break (a token that holds one). A pattern file that would find more than
        ``most`` matches, or take more than ``steps`` steps of its patterns over the
        tokens (and some more a token), gives those found until then, and ``stopped``
        says so."""
        self.stopped = False
        self._steps = steps + STEPS_A_TOKEN * len(tokens)
        most += MATCHES_A_TOKEN * len(tokens)
        found: list[Match] = []
        by_orth, by_lower, anywhere = self._by_orth, self._by_lower, self._anywhere
        texts = [token.text for token in tokens]
        lowers = list(map(str.lower, texts))
        # the tokens a pattern is filed under, found in C-speed passes: most tokens are none
        if anywhere:
            places: Iterable[int] = range(len(tokens))
        else:
            places = sorted({i for i, text in enumerate(texts) if text in by_orth}
                            | {i for i, text in enumerate(lowers) if text in by_lower})
        for at in places:
            text = texts[at]
            if "\n" in text:
                continue
            candidates = by_orth.get(text, ())
            lowered = by_lower.get(lowers[at], ())
            for index, before in (*candidates, *lowered, *anywhere) if lowered or anywhere \
                    else candidates:
                start = at - before
                if start < 0:
                    continue
                phrase = self._phrases.get(index)
                if phrase is not None:
                    lower, words = phrase
                    end = start + len(words)
                    seen = lowers if lower else texts
                    if end <= len(tokens) and all(
                            seen[start + k] == word for k, word in enumerate(words) if k):
                        found.append((index, start, end))
                else:
                    found += ((index, start, end) for end in self._run(index, tokens, start))
            if len(found) >= most or self._steps <= 0:
                self.stopped = True
                break
        return sorted(set(found[:most]), key=lambda m: (m[1], m[2], m[0]))

    def _run(self, index: int, tokens: Sequence[Token], start: int) -> list[int]:
        """The ends of every match of pattern ``index`` that starts at ``start``."""
        elements, closures = self._programs[index]
        accept = len(elements)
        states = closures[0]
        ends = []
        position = start
        limit = min(len(tokens), start + MAX_TOKENS)
        while states and position < limit:
            token = tokens[position]
            if "\n" in token.text:
                break
            after: set[int] = set()
            for state in states:
                if state == accept:
                    continue
                kind, passes = elements[state]
                if passes(token) != (kind == NOT):
                    after |= closures[state if kind == ANY else state + 1]
            states = frozenset(after)
            position += 1
            if accept in states:
                ends.append(position)
        self._steps -= position - start
        return ends


def _elements(spec: TokenSpec) -> list[Element]:
    """A token spec as spaCy expands it: ``low`` tokens, then ``high - low`` optional
    ones, or any number of them."""
    passes = _passes(spec.tests)
    if spec.negated:
        return [(NOT, passes)]
    out: list[Element] = [(ONE, passes)] * spec.low
    if spec.high is None:
        out.append((ANY, passes))
    else:
        out += [(OPTIONAL, passes)] * (spec.high - spec.low)
    return out


def _closures(elements: list[Element]) -> list[frozenset[int]]:
    """For each state, the states reached from it without taking a token."""
    out = []
    for state in range(len(elements) + 1):
        reached = {state}
        while state < len(elements) and elements[state][0] in (OPTIONAL, ANY):
            state += 1
            reached.add(state)
        out.append(frozenset(reached))
    return out


def _passes(tests: tuple[Test, ...]) -> Callable[[Token], bool]:
    checks = [(_ATTRS[t.attr], _COMPARE[t.op], t.value) for t in tests]
    if not checks:
        return lambda token: True

    def passes(token: Token) -> bool:
        text = token.text
        return all(compare(attr(text), value) for attr, compare, value in checks)

    return passes
