"""A set of strings to find in a text at once (Aho-Corasick, pyahocorasick), kept up to
date as strings come and go without building the whole automaton again on each change.

Building the automaton of 20,000 names takes about 0.1 s, far too long for a label key.
So the automaton built last stays as it is; a string added since goes into a small second
automaton, built again on the next search (its cost grows with what was added since, not
with the whole set), and a string removed is only counted out and skipped when found. The
two are folded into one again when the second has grown to a tenth of the first, or the
strings counted out make up half of it: a cost paid once in a while, not on each key.
"""

from __future__ import annotations

from collections.abc import Iterator

import ahocorasick

FOLD_SHARE = 10  # fold when the strings added since are a tenth of those built in
FOLD_FLOOR = 64  # ... and at least this many


class Keys:
    """Strings with a count each (how many names stand behind them); ``iter`` finds those
    whose count is above zero."""

    def __init__(self) -> None:
        self.count: dict[str, int] = {}
        self._built = ahocorasick.Automaton()  # strings built in, live or not
        self._built_keys: set[str] = set()
        self._fresh: set[str] = set()  # live strings added since, not in _built
        self._fresh_automaton: ahocorasick.Automaton | None = None
        self._fresh_dirty = False

    def add(self, key: str) -> None:
        self.count[key] = self.count.get(key, 0) + 1
        if self.count[key] == 1 and key not in self._built_keys:
            self._fresh.add(key)
            self._fresh_dirty = True

    def remove(self, key: str) -> None:
        left = self.count.get(key, 0) - 1
        if left > 0:
            self.count[key] = left
            return
        self.count.pop(key, None)
        if key in self._fresh:
            self._fresh.discard(key)
            self._fresh_dirty = True

    def __len__(self) -> int:
        return len(self.count)

    def iter(self, text: str) -> Iterator[tuple[int, int, str]]:
        """(start, end, key) of every live key found in ``text``, overlapping ones too."""
        self._ready()
        count = self.count
        automata = [self._built] if self._built_keys else []
        if self._fresh_automaton is not None:
            automata.append(self._fresh_automaton)
        for automaton in automata:
            for last, key in automaton.iter(text):
                if key in count:
                    yield last + 1 - len(key), last + 1, key

    def _ready(self) -> None:
        dead = len(self._built_keys) - (len(self.count) - len(self._fresh))
        if len(self._fresh) > max(FOLD_FLOOR, len(self._built_keys) // FOLD_SHARE) \
                or (self._built_keys and dead * 2 > len(self._built_keys)):
            self.fold()
        elif self._fresh_dirty:
            self._fresh_automaton = _automaton(self._fresh) if self._fresh else None
            self._fresh_dirty = False

    def fold(self) -> None:
        """Build one automaton of every live string (done by ``iter`` once in a while)."""
        self._built_keys = set(self.count)
        self._built = _automaton(self._built_keys)
        self._fresh = set()
        self._fresh_automaton = None
        self._fresh_dirty = False


def _automaton(keys: set[str]) -> ahocorasick.Automaton:
    automaton = ahocorasick.Automaton()
    for key in keys:
        automaton.add_word(key, key)
    if keys:
        automaton.make_automaton()
    return automaton
