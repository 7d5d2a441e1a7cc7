"""Pattern files: the JSONL that Prodigy's ``--patterns`` and spaCy's ``EntityRuler`` read,
one pattern a line, checked whole before anything uses them.

``{"label": "LOCATION", "pattern": "Kursk region"}`` is a *phrase*: the tokens of the text,
matched token by token, in their case (spaCy's ``PhraseMatcher`` on ``ORTH``).
``{"label": "ACTOR", "pattern": [{"LOWER": "president"}, {"IS_TITLE": true, "OP": "+"}],
"id": "..."}`` is a *token pattern*: one object a token, as spaCy's ``Matcher`` reads them
(attribute names in any case). An ``id`` is the canonical name of what the pattern finds,
as the ``EntityRuler`` uses it.

What Gloss reads, with or without spaCy: the token attributes ``ORTH``, ``TEXT``, ``LOWER``,
``LENGTH``, ``IS_ALPHA``, ``IS_ASCII``, ``IS_DIGIT``, ``IS_LOWER``, ``IS_UPPER``,
``IS_TITLE``, ``IS_SPACE``; a value, or ``IN`` / ``NOT_IN`` a list (and ``==``, ``!=``,
``>=``, ``<=``, ``>``, ``<`` for ``LENGTH``); ``OP`` ``!`` ``?`` ``*`` ``+`` ``{n}``
``{n,m}`` ``{n,}`` ``{,m}``. With spaCy installed also its other attributes of a word
alone (``SHAPE``, ``NORM``, ``PREFIX``, ``SUFFIX``, ``IS_PUNCT``, ``IS_STOP``, ``LIKE_NUM``
...), run by spaCy itself. Never: attributes that need a trained pipeline (``POS``,
``LEMMA``, ``DEP``, ``ENT_TYPE``...), extension attributes, and ``REGEX`` and ``FUZZY``
(a pattern file must not be able to hang the reader). A match is at most ``MAX_TOKENS``
tokens long, and ``{n,m}`` makes at most ``MAX_OPTIONAL`` tokens optional. Anything else
is refused with the line it is on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from tui.core.disk.install import extra_command
from tui.core.document.model import label_problem
from tui.core.language.text import normalise
from tui.core.store.corpus import InputError, json_type, read_input, short

MAX_TOKENS = 64  # tokens in one match, and repeats one {n,m} may ask for
# optional repeats of one token ({n,m}: m - n): spaCy's matcher slows down fourfold for
# each (m = 14 on 24 tokens: 0.1 s)
MAX_OPTIONAL = 8
MAX_PHRASE = 1000  # characters of a phrase pattern

# The attributes Gloss's own matcher reads (tokens.py gives spaCy's English tokens)
STRING_ATTRS = ("ORTH", "TEXT", "LOWER")
FLAG_ATTRS = ("IS_ALPHA", "IS_ASCII", "IS_DIGIT", "IS_LOWER", "IS_UPPER", "IS_TITLE",
              "IS_SPACE")
NUMBER_ATTRS = ("LENGTH",)
# spaCy's attributes of a word alone, which it computes on a blank English pipeline
SPACY_STRING_ATTRS = ("NORM", "SHAPE", "PREFIX", "SUFFIX")
SPACY_FLAG_ATTRS = ("IS_PUNCT", "IS_STOP", "IS_BRACKET", "IS_QUOTE", "IS_LEFT_PUNCT",
                    "IS_RIGHT_PUNCT", "IS_CURRENCY", "LIKE_NUM", "LIKE_URL", "LIKE_EMAIL",
                    "SPACY")
PIPELINE_ATTRS = ("POS", "TAG", "MORPH", "DEP", "LEMMA", "ENT_TYPE", "ENT_IOB", "ENT_ID",
                  "ENT_KB_ID", "IS_SENT_START", "SENT_START")
SET_TESTS = ("IN", "NOT_IN")
NUMBER_TESTS = ("==", "!=", ">=", "<=", ">", "<")
REFUSED_TESTS = ("REGEX", "FUZZY", "IS_SUBSET", "IS_SUPERSET", "INTERSECTS")
_REPEAT = re.compile(r"\{(\d*)(,?)(\d*)\}")
OPS = ("!", "?", "*", "+")


@dataclass(frozen=True, slots=True)
class Test:
    """One condition on a token: ``attr`` compared by ``op`` ("=", "IN", "NOT_IN", or a
    comparison of numbers) with ``value``."""

    attr: str
    op: str
    value: Any


@dataclass(frozen=True, slots=True)
class TokenSpec:
    tests: tuple[Test, ...]
    low: int = 1  # how many tokens it takes, at least
    high: int | None = 1  # at most (None: any number)
    negated: bool = False  # OP "!": one token that does not pass the tests

    @property
    def spacy_only(self) -> bool:
        return any(t.attr in SPACY_STRING_ATTRS + SPACY_FLAG_ATTRS for t in self.tests)


@dataclass(frozen=True, slots=True)
class Pattern:
    label: str
    line: int
    phrase: str | None = None  # a phrase pattern (normalised as articles are)
    tokens: tuple[TokenSpec, ...] = ()  # a token pattern
    id: str | None = None
    raw: Any = None  # the token pattern as the file gave it, for spaCy

    @property
    def spacy_only(self) -> bool:
        return any(spec.spacy_only for spec in self.tokens)

    @property
    def plain(self) -> str | None:
        """"ORTH" or "LOWER" when each token of the pattern is one token of one text of
        that attribute, as a phrase is (and can be matched as one), else None."""
        attrs = set()
        for spec in self.tokens:
            test = spec.tests[0] if len(spec.tests) == 1 else None
            if test is None or test.attr not in ("ORTH", "LOWER") or test.op != "=" or (
                    spec.low, spec.high, spec.negated) != (1, 1, False) or not test.value \
                    or any(c.isspace() for c in test.value):
                return None
            if test.attr == "LOWER" and test.value != test.value.lower():
                return None  # never matches; spaCy's phrase matcher would lower it
            attrs.add(test.attr)
        return attrs.pop() if len(attrs) == 1 else None

    @property
    def words(self) -> tuple[str, ...]:
        """The texts of a plain pattern's tokens."""
        return tuple(spec.tests[0].value for spec in self.tokens)


def read_patterns(path: Path, spacy: bool = False) -> list[Pattern]:
    """The patterns of the file at ``path``; a bad one raises ``InputError`` naming
    ``FILE:LINE``. ``spacy``: spaCy is there to run the attributes only it knows."""
    return parse_patterns(read_input(path), str(path), spacy)


def parse_patterns(data: bytes, name: str, spacy: bool = False) -> list[Pattern]:
    patterns = []
    for number, raw in enumerate(data.split(b"\n"), start=1):
        if number == 1:
            raw = raw.removeprefix(b"\xef\xbb\xbf")
        if not raw.strip():
            continue
        where = f"{name}:{number}"
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InputError(where, f"not UTF-8 text (byte {exc.start})") from None
        try:
            record = orjson.loads(line)
        except orjson.JSONDecodeError as exc:
            raise InputError(where, f"not valid JSON ({exc.msg})") from None
        try:
            patterns.append(pattern(record, number, spacy))
        except ValueError as exc:
            raise InputError(where, str(exc)) from None
    if not patterns:
        raise InputError(name, "no patterns in the file")
    return patterns


def pattern(record: Any, line: int = 0, spacy: bool = False) -> Pattern:
    """One line's pattern, checked; ``ValueError`` says what is wrong with it."""
    if not isinstance(record, dict):
        raise ValueError("a pattern is an object with a label and a pattern")
    label = record.get("label")
    problem = label_problem(label)
    if problem:
        raise ValueError(problem if label is not None else "no 'label'")
    given = record.get("id")
    if given is not None and not (isinstance(given, str) and given.strip()
                                  and given.isprintable() and len(given) <= 200):
        raise ValueError(f"'id' must be one line of text, not {short(given)}")
    body = record.get("pattern")
    if isinstance(body, str):
        phrase = normalise(body)
        if not phrase.strip():
            raise ValueError("the pattern is empty")
        if "\n" in phrase:
            raise ValueError("a phrase pattern is one line")
        if len(phrase) > MAX_PHRASE:
            raise ValueError(f"a phrase pattern is at most {MAX_PHRASE} characters")
        return Pattern(label, line, phrase=phrase, id=given)
    if not isinstance(body, list) or not body:
        raise ValueError("'pattern' must be text or a list of token objects, not "
                         f"{json_type(body) if body != [] else 'an empty list'}")
    if len(body) > MAX_TOKENS:
        raise ValueError(f"a token pattern is at most {MAX_TOKENS} tokens")
    tokens = tuple(_token(spec, n, spacy) for n, spec in enumerate(body, start=1))
    if all(spec.low == 0 for spec in tokens):
        raise ValueError("every token of the pattern is optional: it could match nothing")
    return Pattern(label, line, tokens=tokens, id=given, raw=body)


def _token(spec: Any, n: int, spacy: bool) -> TokenSpec:
    if not isinstance(spec, dict):
        raise ValueError(f"token {n}: a token is an object, not {json_type(spec)}")
    tests: list[Test] = []
    low, high, negated = 1, 1, False
    seen: set[str] = set()
    for key, value in spec.items():
        attr = key.upper()
        if attr in seen:
            raise ValueError(f"token {n}: {attr} is given twice")
        seen.add(attr)
        if attr == "OP":
            low, high, negated = _op(value, n)
        else:
            tests += _tests(attr, value, n, spacy)
    return TokenSpec(tuple(tests), low, high, negated)


def _op(value: Any, n: int) -> tuple[int, int | None, bool]:
    if value in OPS:
        return {"!": (1, 1, True), "?": (0, 1, False), "*": (0, None, False),
                "+": (1, None, False)}[value]
    found = _REPEAT.fullmatch(value) if isinstance(value, str) else None
    if found is None or not (found[1] or found[3]):
        raise ValueError(f"token {n}: OP must be one of ! ? * + {{n}} {{n,m}} {{n,}} {{,m}},"
                         f" not {short(value)}")
    low = int(found[1] or 0)
    high = (int(found[3]) if found[3] else None) if found[2] else low
    if high == 0 or low > MAX_TOKENS or (high is not None and (high > MAX_TOKENS
                                                                or high < low)):
        raise ValueError(f"token {n}: OP {value} asks for none, for more than {MAX_TOKENS}"
                         " tokens, or for fewer at most than at least")
    if high is not None and high - low > MAX_OPTIONAL:
        raise ValueError(f"token {n}: OP {value} makes more than {MAX_OPTIONAL} tokens"
                         " optional (use * or +)")
    return low, high, False


def _tests(attr: str, value: Any, n: int, spacy: bool) -> list[Test]:
    here = f"token {n}: {attr}"
    if attr == "_":
        raise ValueError(f"token {n}: extension attributes (_) are not read")
    if attr in PIPELINE_ATTRS:
        raise ValueError(f"{here} needs a trained pipeline, which Gloss does not run")
    if attr in SPACY_STRING_ATTRS + SPACY_FLAG_ATTRS and not spacy:
        raise ValueError(f"{here} needs spaCy ({extra_command('spacy')}); without it"
                         f" Gloss reads {', '.join(STRING_ATTRS + FLAG_ATTRS + NUMBER_ATTRS)}")
    name = "ORTH" if attr == "TEXT" else attr
    if name in STRING_ATTRS + SPACY_STRING_ATTRS:
        return _value_tests(name, value, str, here)
    if name in FLAG_ATTRS + SPACY_FLAG_ATTRS:
        if not isinstance(value, bool):
            raise ValueError(f"{here} must be true or false, not {short(value)}")
        return [Test(name, "=", value)]
    if name in NUMBER_ATTRS:
        return _value_tests(name, value, int, here)
    raise ValueError(f"token {n}: unknown token attribute {short(attr)}")


def _value_tests(attr: str, value: Any, kind: type, here: str) -> list[Test]:
    what = "text" if kind is str else "a whole number"
    if _is(value, kind):
        return [Test(attr, "=", _norm(value))]
    if not isinstance(value, dict) or not value:
        raise ValueError(f"{here} must be {what} or an object such as {{\"IN\": [...]}}")
    tests = []
    for key, given in value.items():
        test = key.upper() if isinstance(key, str) else key
        if test in REFUSED_TESTS:
            raise ValueError(f"{here}: {test} is not read (a pattern file must not be able"
                             " to hang Gloss)")
        if test in SET_TESTS:
            if not isinstance(given, list) or not all(_is(v, kind) for v in given):
                raise ValueError(f"{here}: {test} must be a list of {what}s")
            tests.append(Test(attr, test, frozenset(map(_norm, given))))
        elif test in NUMBER_TESTS and kind is int:
            if not _is(given, int):
                raise ValueError(f"{here}: {test} must be a whole number")
            tests.append(Test(attr, test, given))
        else:
            raise ValueError(f"{here}: unknown test {short(key)}")
    return tests


def _is(value: Any, kind: type) -> bool:
    return isinstance(value, kind) and not isinstance(value, bool)


def _norm(value: Any) -> Any:
    return normalise(value) if isinstance(value, str) else value
