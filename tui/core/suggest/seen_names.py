"""Names the dataset has seen: every actor and location an analyst labelled anywhere,
suggested wherever else it stands, in every article, with the label it was given most
often.

What counts as a name of a labelled span (its *variants*): its text; for an actor, the
text bare of titles ("President Trump" gives "Trump", ``canonical.bare_name``); and its
canonical name (the ``canonical`` attribute: "Putin" labelled with the canonical name
"Vladimir Putin" makes "Vladimir Putin" a name too). A suggestion carries the canonical
name its text was given most often with that label.

Where a name is found:

- as whole words only (``edges.whole_words``): "Ukr" never in "Ukraine", "Russia" never
  in "Russian", but "Trump" in "Trump’s";
- in its own case; a name that starts with a small letter ("the Kremlin") also with a
  capital first, as a sentence starts; and on a line in capitals (a headline: "PUTIN AND
  TRUMP TO SPEAK"), in capitals. Nowhere else case-blind: "Turkey" is not "turkey", "US"
  not "us";
- of names found overlapping each other, the longest is kept (then the first), as spaCy's
  ``filter_spans`` keeps them: "Vladimir Putin", not "Putin" inside it.

The index is counts, kept up to date one span at a time (``add`` / ``remove``: a label, a
removal, a relabel as both), and two automata (``automaton.Keys``) that follow without
being built again on each change. ``version`` grows with every change that can change what
is found, so that whoever shows suggestions knows to ask again.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from tui.core.document.canonical import bare_name
from tui.core.document.model import Span
from tui.core.document.suggestion import SUGGEST_SOURCE, Suggestion
from tui.core.language.names import CONNECTORS, NOT_NAMES
from tui.core.suggest.automaton import Keys
from tui.core.suggest.edges import longest_first, whole_words

NAME_LABELS = ("ACTOR", "LOCATION")
NAME_MAX = 200  # characters: longer is a passage, not a name
CAPITALS_MIN = 2  # words on a line in capitals before it is read as a headline
_Variant = tuple[str, str, str | None]  # name, label, canonical name


@dataclass(slots=True)
class _Name:
    labels: dict[str, int] = field(default_factory=dict)  # label: spans
    canonical: dict[tuple[str, str], int] = field(default_factory=dict)  # (label, name): n

    def best(self, order: Mapping[str, int]) -> tuple[str, float, str | None]:
        """The label given most often (ties: the label set's order), its share, and the
        canonical name given most often with it."""
        label = max(self.labels, key=lambda name: (self.labels[name], -order.get(name, 99)))
        share = self.labels[label] / sum(self.labels.values())
        named = [(n, name) for (lab, name), n in self.canonical.items() if lab == label]
        return label, share, max(named)[1] if named else None


class SeenNames:
    """The names labelled in a dataset, to find in any text."""

    def __init__(self, labels: Iterable[str] = NAME_LABELS) -> None:
        self.labels = tuple(labels)
        self._order = {label: i for i, label in enumerate(self.labels)}
        self._names: dict[str, _Name] = {}
        self._exact = Keys()  # each name, and with a capital first when it has none
        self._capitals = Keys()  # each name in capitals, for headlines
        self._keys_of: dict[str, dict[str, int]] = {}  # key: {name: ways it is the key}
        self._best: dict[str, tuple[str, float, str | None]] = {}
        self.version = 0

    # -- learning ------------------------------------------------------------------

    @classmethod
    def of_rows(cls, rows: Iterable[Mapping[str, Any]], ignored: Iterable[str] = (),
                labels: Iterable[str] = NAME_LABELS) -> SeenNames:
        """The index of span rows (``Article.span_rows``), leaving out the spans of the
        ``ignored`` analysts and those written by ``gloss suggest`` (a suggestion is not
        something an analyst has seen)."""
        index = cls(labels)
        left_out = frozenset(ignored)
        wanted = frozenset(index.labels)
        counted: Counter[tuple[str, str, str | None]] = Counter()
        for row in rows:  # counted first: a name is labelled many times over
            if row["label"] in wanted and row["annotator"] not in left_out \
                    and row.get("source") != SUGGEST_SOURCE:
                attributes = row.get("attributes")
                counted[row["text"], row["label"],
                        attributes.get("canonical") if attributes else None] += 1
        for (text, label, canonical), n in counted.items():
            index.learn(text, label, canonical, n)
        index._exact.fold()
        index._capitals.fold()
        return index

    def add(self, span: Span) -> None:
        """An analyst labelled ``span``."""
        self.learn(span.text, span.label, span.attribute("canonical"))

    def remove(self, span: Span) -> None:
        """``span`` is gone (removed, or relabelled: then ``add`` the new one)."""
        self.learn(span.text, span.label, span.attribute("canonical"), -1)

    def learn(self, text: str, label: str, canonical: str | None = None, n: int = 1) -> None:
        """Count ``n`` spans (-1: one fewer) of ``text`` labelled ``label``."""
        if label not in self._order:
            return
        for name, as_label, named in _variants(text, label, canonical):
            self._count(name, as_label, named, n)
        self.version += 1

    def _count(self, name: str, label: str, canonical: str | None, n: int) -> None:
        entry = self._names.get(name)
        if entry is None:
            if n < 0:
                return
            entry = self._names[name] = _Name()
            self._index(name, +1)
        entry.labels[label] = entry.labels.get(label, 0) + n
        if entry.labels[label] <= 0:
            del entry.labels[label]
        if canonical:
            key = (label, canonical)
            entry.canonical[key] = entry.canonical.get(key, 0) + n
            if entry.canonical[key] <= 0:
                del entry.canonical[key]
        self._best.pop(name, None)
        if not entry.labels:
            del self._names[name]
            self._index(name, -1)

    def _index(self, name: str, step: int) -> None:
        for keys, key in _keys(name, self._exact, self._capitals):
            ways = self._keys_of.setdefault(key, {})
            ways[name] = ways.get(name, 0) + step
            if ways[name] <= 0:
                del ways[name]
            if not ways:
                del self._keys_of[key]
            (keys.add if step > 0 else keys.remove)(key)

    def __len__(self) -> int:
        return len(self._names)

    def __contains__(self, name: str) -> bool:
        return name in self._names

    def label_of(self, name: str) -> str | None:
        return self._label(name)[0] if name in self._names else None

    # -- finding -------------------------------------------------------------------

    def find(self, text: str, start: int = 0, end: int | None = None) -> list[Suggestion]:
        """Every seen name in ``text``, as suggestions in text order; with ``start`` and
        ``end``, exactly those of them that start in [start, end), found from the text
        around that stretch only (a huge article is searched a stretch at a time)."""
        end = len(text) if end is None else min(end, len(text))
        start = max(start, 0)
        if start == 0 and end == len(text):
            kept = longest_first((s, e, e - s) for s, e in self._candidates(text, 0, end))
        else:
            kept = [extent for extent in longest_first(
                (s, e, e - s) for s, e in self._settled(text, start, end))
                if start <= extent[0] < end]
        out = []
        for s, e, _ in kept:
            name = self._name_of(text[s:e])
            if name is None:
                continue
            label, share, canonical = self._label(name)
            out.append(Suggestion(s, e, label, "seen-name", round(share, 3),
                                  attributes=(("canonical", canonical),) if canonical
                                  else ()))
        return out

    def _candidates(self, text: str, low: int, high: int) -> dict[tuple[int, int], None]:
        """The extents of text[low:high] where a live key stands as whole words (judged on
        the whole text), before overlapping ones are weighed (a key is its own text)."""
        found: dict[tuple[int, int], None] = {}
        window = text if low == 0 and high == len(text) else text[low:high]
        for s, e, _ in self._exact.iter(window):
            if whole_words(text, s + low, e + low):
                found[s + low, e + low] = None
        if len(self._capitals):
            for line_start, line_end in _capital_lines(text, low, high):
                part = text[line_start:line_end]
                for s, e, _ in self._capitals.iter(part):
                    if whole_words(text, s + line_start, e + line_start):
                        found.setdefault((s + line_start, e + line_start), None)
        return found

    def _settled(self, text: str, start: int, end: int) -> list[tuple[int, int]]:
        """The candidates between two cuts around [start, end) that no candidate runs
        across: of overlapping names the longest is kept, so what is kept between such
        cuts is what the whole text keeps there, however the overlaps chain."""
        margin = NAME_MAX + 2  # no key is longer: one crossing a cut starts within it
        low, high = max(start - margin, 0), min(end + margin, len(text))
        while True:
            found = self._candidates(text, low, high)
            inside = bytearray(high - low + 1)  # 1: some candidate runs across
            for s, e in found:
                if e - s > 1:
                    inside[s + 1 - low:e - low] = b"\x01" * (e - s - 1)
            left = 0 if low == 0 else inside.rfind(0, margin, start - low + 1)
            right = len(text) - low if high == len(text) else inside.find(
                0, end - low, high - low - margin + 1)
            if left >= 0 and right >= 0:
                return [(s, e) for s, e in found if s >= low + left and e <= low + right]
            # a chain of overlapping names runs past the window: look further out
            if left < 0:
                low = max(low - 4 * margin, 0)
            if right < 0:
                high = min(high + 4 * margin, len(text))

    def _name_of(self, key: str) -> str | None:
        """The name a found key stands for: itself when it is one, else the name seen
        most often among those it is a form of."""
        if key in self._names:
            return key
        ways = self._keys_of.get(key)
        if not ways:
            return None
        return max(ways, key=lambda name: (sum(self._names[name].labels.values()), name))

    def _label(self, name: str) -> tuple[str, float, str | None]:
        best = self._best.get(name)
        if best is None:
            best = self._best[name] = self._names[name].best(self._order)
        return best


@lru_cache(maxsize=65536)
def _variants(text: str, label: str, canonical: str | None) -> tuple[_Variant, ...]:
    """The names a span of ``text`` labelled ``label`` teaches (see the module)."""
    names = [text]
    if label == "ACTOR":
        names.append(bare_name(text))
    if canonical:
        names.append(canonical)
    return tuple((name, label, canonical) for name in dict.fromkeys(names) if usable(name))


FUNCTION_WORDS = NOT_NAMES | CONNECTORS


def usable(name: str) -> bool:
    """A name to look for: one line, at least two characters, a word character in it, and
    not a word every sentence has ("the", "he", "of"): an actor labelled "the" by a slip
    would otherwise be offered a hundred thousand times in a long article."""
    return 2 <= len(name) <= NAME_MAX and "\n" not in name and name == name.strip() \
        and any(char.isalnum() for char in name) and name.casefold() not in FUNCTION_WORDS


def _keys(name: str, exact: Keys, capitals: Keys) -> list[tuple[Keys, str]]:
    """Where ``name`` is looked for under which key; a form that changes the length (ß in
    capitals is SS) is left out, as its offsets would not be the text's."""
    keys = [(exact, name)]
    if name[0].islower():
        first = name[0].upper() + name[1:]
        if len(first) == len(name):
            keys.append((exact, first))
    upper = name.upper()
    if len(upper) == len(name):
        keys.append((capitals, upper))
    return keys


def _capital_lines(text: str, low: int = 0, high: int | None = None
                   ) -> Iterable[tuple[int, int]]:
    """(start, end) of each line written in capitals (two words at least) that shares a
    character with text[low:high], cut to it. The whole line is judged (a huge article
    may be one line: read a megabyte at a time)."""
    high = len(text) if high is None else high
    start = text.rfind("\n", 0, low) + 1
    while start < high:
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        if _in_capitals(text, start, end):
            yield max(start, low), min(end, high)
        start = end + 1


_PIECE = 1 << 20


def _in_capitals(text: str, start: int, end: int) -> bool:
    """``line.isupper() and len(line.split()) >= CAPITALS_MIN`` of text[start:end],
    without copying a line of many megabytes whole."""
    cased, words, joined = False, 0, False
    for at in range(start, end, _PIECE):
        piece = text[at:min(at + _PIECE, end)]
        if piece.isupper():
            cased = True
        elif not (piece + "A").isupper():  # a small letter: no headline
            return False
        split = piece.split()
        words += len(split) - (1 if joined and split and not piece[0].isspace() else 0)
        joined = not piece[-1].isspace()
    return cased and words >= CAPITALS_MIN
