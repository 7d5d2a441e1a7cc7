"""Cue files: the reporting words claim suggestions hang on, one TOML file a language.

Gloss ships ``cues/en.toml`` and ``cues/uk.toml`` beside this module; a team adds its own
words in ``DATASET/cues/LANG.toml`` (or any file given), in the same form: each list there
is added to the shipped one, and an entry written ``-word`` takes a shipped word away. A
file that cannot be used is one :class:`~tui.core.store.corpus.InputError`, ``FILE:LINE:
reason``, before any suggestion is made.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, fields
from functools import lru_cache
from pathlib import Path
from typing import Any

from tui.core.store.corpus import InputError, decode, read_input

SHIPPED = Path(__file__).resolve().parent / "cues"
LANGUAGE = re.compile(r"[a-z]{2,3}")
WORD_MAX = 64
# The lists of each section; every one is a list of words (or phrases, where noted)
SECTIONS: dict[str, tuple[str, ...]] = {
    "cues": ("verbs", "telling", "clause_only", "naming", "according", "hearsay",
             "complementisers", "nouns"),
    "sources": ("unnamed", "vague", "journalist", "pronouns", "first_person", "recipients"),
    "grammar": ("determiners", "finite", "not_past", "between", "time", "prepositions",
                "adverbial_nouns", "connectives", "relatives", "passive"),
}
FLAGS = {"grammar": ("complementiser_required",)}


@dataclass(frozen=True, slots=True)
class Cues:
    """The cue words of one language, lower case (phrases keep their inner spaces)."""

    language: str
    verbs: frozenset[str]
    telling: frozenset[str]
    clause_only: frozenset[str]
    naming: frozenset[str]
    according: tuple[str, ...]
    hearsay: frozenset[str]
    complementisers: frozenset[str]
    nouns: frozenset[str]
    unnamed: frozenset[str]
    vague: frozenset[str]
    journalist: tuple[str, ...]
    pronouns: frozenset[str]
    first_person: frozenset[str]
    recipients: frozenset[str]
    determiners: frozenset[str]
    finite: frozenset[str]
    not_past: frozenset[str]
    between: frozenset[str]
    time: frozenset[str]
    prepositions: frozenset[str]
    adverbial_nouns: frozenset[str]
    connectives: frozenset[str]
    relatives: frozenset[str]
    passive: frozenset[str]
    complementiser_required: bool

    def counts(self) -> dict[str, int]:
        """How many words each list holds (for ``gloss cues``)."""
        return {f.name: len(getattr(self, f.name)) for f in fields(self)
                if isinstance(getattr(self, f.name), frozenset | tuple)}


def languages() -> list[str]:
    """The languages Gloss ships cues for."""
    return sorted(path.stem for path in SHIPPED.glob("*.toml"))


def team_file(folder: Path, language: str) -> Path:
    """Where a dataset keeps the cue words of its team for ``language``."""
    return folder / "cues" / f"{language}.toml"


def for_dataset(folder: Path, language: str = "en") -> Cues:
    """The cues a dataset's suggestions use: the shipped ones of ``language`` and the
    team's own words in ``folder/cues/LANG.toml`` when there is such a file."""
    team = team_file(folder, language)
    return load(language, [team]) if team.is_file() else cached(language)


def load(language: str = "en", extra: Iterable[Path] = ()) -> Cues:
    """The shipped cues of ``language`` with the words of each file of ``extra`` added."""
    if not LANGUAGE.fullmatch(language) or not (SHIPPED / f"{language}.toml").is_file():
        raise InputError("--lang", f"no cue file for the language {language!r} (Gloss has"
                         f" {', '.join(languages())}; a team may add words, not languages)")
    lists, flags = _shipped(language)
    merged = {key: list(words) for key, words in lists.items()}
    flags = dict(flags)
    for path in extra:
        more, more_flags = read(path, language)
        for key, words in more.items():
            for word in words:
                if word.startswith("-"):
                    merged[key] = [w for w in merged[key] if w != word[1:]]
                elif word not in merged[key]:
                    merged[key].append(word)
        flags.update(more_flags)
    return _cues(language, merged, flags)


@lru_cache(maxsize=8)
def _shipped(language: str) -> tuple[dict[str, tuple[str, ...]], dict[str, bool]]:
    lists, flags = read(SHIPPED / f"{language}.toml", language, shipped=True)
    return {key: tuple(words) for key, words in lists.items()}, flags


@lru_cache(maxsize=8)
def cached(language: str = "en") -> Cues:
    """The shipped cues of ``language``, read once a process."""
    return load(language)


def _cues(language: str, lists: dict[str, list[str]], flags: dict[str, bool]) -> Cues:
    values: dict[str, Any] = {"language": language,
                              "complementiser_required": flags["complementiser_required"]}
    for key, words in lists.items():
        ordered = tuple(sorted(set(words), key=lambda w: (-len(w), w)))  # longest first
        values[key] = ordered if key in ("according", "journalist") else frozenset(words)
    return Cues(**values)


def read(path: Path, language: str, shipped: bool = False
         ) -> tuple[dict[str, list[str]], dict[str, bool]]:
    """The lists and flags of one cue file, checked; every list and flag is there for a
    shipped file, only those it names for a team's."""
    text = decode(read_input(path), str(path))
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = re.search(r"line (\d+)", str(exc))
        where = line[1] if line else max(len(text.splitlines()), 1)  # at its end
        reason = re.sub(r"\s*\(at (line \d+, column \d+|end of document)\)", "", str(exc))
        raise InputError(f"{path}:{where}", f"not TOML: {reason}") from None
    where = _Lines(path, text)
    lists: dict[str, list[str]] = {}
    flags: dict[str, bool] = {}
    for key, value in data.items():
        if key == "language":
            if value != language:
                raise InputError(where.of(None, key), f"'language' is {value!r}, but the"
                                 f" file is for {language!r}")
        elif key not in SECTIONS:
            raise InputError(where.of(None, key), f"unknown key {key!r} (a cue file has"
                             f" 'language' and the sections {', '.join(SECTIONS)})")
        elif not isinstance(value, dict):
            raise InputError(where.of(None, key), f"{key!r} must be a section ([{key}])")
        else:
            for name, words in value.items():
                if name in FLAGS.get(key, ()):
                    if not isinstance(words, bool):
                        raise InputError(where.of(key, name), f"{name} is true or false")
                    flags[name] = words
                elif name in SECTIONS[key]:
                    lists[name] = _words(words, where, key, name)
                else:
                    raise InputError(where.of(key, name), f"unknown list {name!r} in"
                                     f" [{key}] (it has {', '.join(SECTIONS[key])})")
    if shipped:
        missing = [n for s in SECTIONS.values() for n in s if n not in lists]
        missing += [n for s in FLAGS.values() for n in s if n not in flags]
        if missing:
            raise InputError(f"{path}:1", f"the shipped cue file lacks {missing[0]!r}")
    return lists, flags


def _words(value: Any, where: _Lines, section: str, name: str) -> list[str]:
    if not isinstance(value, list):
        raise InputError(where.of(section, name), f"{name} must be a list of words")
    out = []
    for word in value:
        if not isinstance(word, str):
            raise InputError(where.of(section, name, repr(word)),
                             f"{name}: {word!r} is not a word in quotes")
        problem = word_problem(word)
        if problem:
            raise InputError(where.of(section, name, word), f"{name}: {problem}")
        out.append(" ".join(word.lower().split()))
    return out


def word_problem(word: str) -> str | None:
    """Why ``word`` cannot be a cue word, or None when it can."""
    bare = word.removeprefix("-")
    if not bare.strip():
        return "an empty word"
    if len(bare) > WORD_MAX:
        return f"a word is at most {WORD_MAX} characters"
    if any(not char.isprintable() for char in bare):
        return "a word holds a control character"
    if not any(char.isalnum() for char in bare):
        return f"{bare!r} holds no letter"
    return None


class _Lines:
    """Line numbers of a cue file's keys and items, for its error messages (tomllib
    gives the parsed values only)."""

    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.lines = text.splitlines()

    def of(self, section: str | None, key: str, item: str | None = None) -> str:
        current = None
        key_line = None
        for number, line in enumerate(self.lines, start=1):
            stripped = line.strip()
            header = re.fullmatch(r"\[\s*([^\]]+?)\s*\]", stripped.split("#")[0].strip())
            if header:
                current = header[1].strip("\"'")
                if section is None and current == key:
                    return f"{self.path}:{number}"
                continue
            if key_line is None and current == section and re.match(
                    rf"""["']?{re.escape(key)}["']?\s*=""", stripped):
                key_line = number
                if item is None:
                    return f"{self.path}:{number}"
            if key_line is not None and item is not None and any(
                    form in line for form in (f'"{item}"', f"'{item}'", item) if form):
                return f"{self.path}:{number}"
        return f"{self.path}:{key_line or 1}"
