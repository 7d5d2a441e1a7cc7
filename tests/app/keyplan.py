"""The shortest key sequence the reader offers for a span, found by search over its states.

A state is where the caret is (cursor, selection anchor, whether the selection is taken
exactly, the span tab is on, the column up and down keep to). Every key is an edge: the
cursor keys, the shift keys, escape, tab, and in the new reader = (grow); a search is one
edge from the starting state (/, the needle, enter, then n as often as needed). The goal is
a state where a label key labels the span; in the new reader a span a few words off can
also be labelled and then resized ({ } < >). The moves are the reader's own functions
(tui/widgets/article/moves.py, tui/core/editing/units.py, tui/core/language/search.py),
and the replay test presses the keys in the real app, so a plan that the reader does not
follow fails there.
"""

from __future__ import annotations

import heapq
import itertools
from dataclasses import dataclass
from typing import NamedTuple

import regex

from tui.core.document.model import Span
from tui.core.editing import editor, units
from tui.core.editing.article_model import ArticleModel, order
from tui.core.language.names import word_at
from tui.core.language.search import find
from tui.core.language.text import snap_to_words
from tui.widgets.article.article_layout import ArticleLayout
from tui.widgets.article.caret import Caret
from tui.widgets.article.moves import destination


@dataclass(frozen=True)
class Reader:
    """Which keys the reader offers."""

    name: str
    grow: bool  # = grows the selection to the next unit
    resize: bool  # { } < > move a span's edges
    label_every: bool  # a labels every other occurrence
    smart_search: bool  # smart case, ' " - find curly quotes and dashes
    tab_to_start: bool  # tab leaves the cursor at the span's start
    snap_search: bool = False  # a search match is labelled as whole words


BEFORE = Reader("before", False, False, False, False, False)
AFTER = Reader("after", True, True, True, True, True, True)

MOVES = {"left": "left", "right": "right", "ctrl+left": "word_left",
         "ctrl+right": "word_right", "home": "home", "end": "end", "up": "up", "down": "down",
         "pageup": "page_up", "pagedown": "page_down", "ctrl+home": "top",
         "ctrl+end": "bottom"}
SELECTS = {"shift+left": "left", "shift+right": "right", "shift+up": "up",
           "shift+down": "down", "shift+home": "home", "shift+end": "end",
           "ctrl+shift+left": "word_left", "ctrl+shift+right": "word_right"}
ROW_MOVES = {"up", "down", "page_up", "page_down", "home", "end"}
FOLD = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-"})


class State(NamedTuple):
    cursor: int
    anchor: int | None = None
    exact: bool = False
    span: int | None = None  # index of the span tab went to (in the model's order)
    goal: int | None = None

    @classmethod
    def of(cls, caret: Caret, model: ArticleModel) -> State:
        """Where the reader's caret stands now, as the planner counts from."""
        current = model.get(caret.span_id) if caret.span_id else None
        return cls(caret.cursor, caret.anchor, caret.exact,
                   model.index(current) if current else None, caret.goal_column)


class Planner:
    def __init__(self, model: ArticleModel, width: int, height: int, reader: Reader,
                 rows: bool = True) -> None:
        self.model, self.text, self.reader = model, model.text, reader
        # rows=False leaves out the keys whose effect depends on where lines wrap (up, down,
        # page up and down, home, end): what an analyst who cannot see the layout plans with
        self.moves = MOVES if rows else {k: v for k, v in MOVES.items() if v not in ROW_MOVES}
        self.selects = SELECTS if rows else {k: v for k, v in SELECTS.items()
                                             if v not in ROW_MOVES}
        self.layout = ArticleLayout(model.text)
        self.layout.wrap(width)
        self.height = height
        # the text never changes: each answer is kept
        self._targets: dict[tuple[int, int | None, bool], tuple[int, int] | None] = {}
        self._grown: dict[tuple[int, int], tuple[int, int] | None] = {}
        self._moves: dict[tuple[int, str, int | None], tuple[int, int | None]] = {}

    def _move(self, cursor: int, where: str, goal: int | None) -> tuple[int, int | None]:
        key = (cursor, where, goal)
        if key not in self._moves:
            self._moves[key] = destination(self.text, self.layout, cursor, where, self.height,
                                           goal)
        return self._moves[key]

    def _grow(self, start: int, end: int) -> tuple[int, int] | None:
        if (start, end) not in self._grown:
            self._grown[start, end] = units.grow(self.text, start, end)
        return self._grown[start, end]

    # -- what a label key would label ------------------------------------------------

    def target(self, state: State) -> tuple[int, int] | None:
        key = (state.cursor, state.anchor, state.exact)
        if key not in self._targets:
            self._targets[key] = self._target(state)
        return self._targets[key]

    def _target(self, state: State) -> tuple[int, int] | None:
        caret = Caret(state.cursor, state.anchor, state.exact)
        if self.reader.smart_search:
            return caret.target(self.text, False)
        selection = caret.selection  # the old reader: no closing quote taken in
        if selection is None:
            return word_at(self.text, state.cursor)
        if state.exact:
            return selection
        start, end = snap(self.text, *selection)
        return (start, end) if end > start else None

    # -- edges -----------------------------------------------------------------------

    def edges(self, state: State) -> list[tuple[list[str], State]]:
        out = []
        for key, where in self.moves.items():
            cursor, goal = self._move(state.cursor, where, state.goal if where in (
                "up", "down", "page_up", "page_down") else None)
            out.append(([key], State(cursor, None, False, None, goal)))
        for key, where in self.selects.items():
            cursor, goal = self._move(state.cursor, where, state.goal if where in (
                "up", "down") else None)
            anchor = state.anchor if state.anchor is not None else state.cursor
            out.append(([key], State(cursor, anchor, False, None, goal)))
        if state.anchor is not None:
            out.append((["escape"], State(state.cursor)))
        for key, step in (("tab", 1), ("shift+tab", -1)):
            moved = self._tab(state, step)
            if moved is not None:
                out.append(([key], moved))
        if self.reader.grow:
            selection = Caret(state.cursor, state.anchor).selection
            start, end = selection or (state.cursor, state.cursor)
            unit = self._grow(start, end)
            if unit is not None:
                out.append((["equals_sign"], State(unit[1], unit[0], True)))
        return out

    def _tab(self, state: State, step: int) -> State | None:
        spans = self.model.spans
        selection = Caret(state.cursor, state.anchor).selection
        if self.reader.tab_to_start:
            if state.span is not None and selection == (spans[state.span].start,
                                                        spans[state.span].end):
                index = state.span + step
            elif step > 0:
                index = self.model.first_from(state.cursor)
            else:
                index = self.model.first_from(selection[0] if selection else state.cursor) - 1
            if not 0 <= index < len(spans):
                return None
            span = spans[index]
            return State(span.start, span.end, True, index)
        if step > 0:  # the old reader: the first span after the cursor, selected to its end
            index = self.model.first_from(state.cursor)
            while index < len(spans) and spans[index].start == state.cursor and \
                    selection == (spans[index].start, spans[index].end):
                index += 1
            index = index if index < len(spans) else None
        else:
            start = selection[0] if selection else state.cursor
            index = self.model.first_from(start) - 1
            index = index if index >= 0 else None
        if index is None:
            return None
        return State(spans[index].end, spans[index].start, True, index)

    def searches(self, state: State, target: tuple[int, int]) -> list[tuple[list[str], State]]:
        """``/needle⏎`` (and n after it) for needles taken from the span's own words."""
        out = []
        start, end = target
        text = self.text
        needles = set()
        for w in regex.finditer(r"\S+", text[start:end]):
            word = w.group()
            for length in range(1, len(word) + 1):
                needles.add(word[:length])
        for length in range(1, min(end - start, 40) + 1):
            needles.add(text[start:start + length])
        for needle in needles:
            typed = needle.translate(FOLD) if self.reader.smart_search else needle
            if not self.reader.smart_search and not typed.isascii():
                continue  # not typeable over SSH: the old reader had no quote folding
            for case in {typed.lower(), typed}:
                keys = ["slash", *case, "enter"]
                here = Caret(state.cursor, state.anchor).selection or (state.cursor,) * 2
                found = self._find(case, here[0])
                for n in range(3):
                    if found is None:
                        break
                    out.append((keys + ["n"] * n, State(found[1], found[0],
                                                         not self.reader.snap_search)))
                    found = self._find(case, found[0] + 1)
        return out

    def _find(self, needle: str, start: int) -> tuple[int, int] | None:
        if self.reader.smart_search:
            return find(self.text, needle, start)
        pattern = regex.compile(regex.escape(needle), regex.IGNORECASE | regex.V1)
        found = pattern.search(self.text, min(start, len(self.text))) or \
            pattern.search(self.text)
        return (found.start(), found.end()) if found else None

    # -- the search ------------------------------------------------------------------

    def resize_keys(self, made: Span, target: tuple[int, int]) -> list[str] | None:
        """The { } < > keys that take the span ``made`` to ``target``, if any do."""
        if not self.reader.resize:
            return None
        keys: list[str] = []
        span = made
        for edge, goal, left, right in (("start", target[0], "left_curly_bracket",
                                         "right_curly_bracket"),
                                        ("end", target[1], "less_than_sign",
                                         "greater_than_sign")):
            for _ in range(8):
                here = span.start if edge == "start" else span.end
                if here == goal:
                    break
                step = -1 if goal < here else 1
                outcome = editor.resize(self.model, span, edge, step, False)
                if isinstance(outcome, str):
                    return None
                after = outcome.changes[0].after
                assert after is not None
                span = after
                keys.append(left if step < 0 else right)
            if (span.start if edge == "start" else span.end) != goal:
                return None
        return keys

    def plan(self, start: State, target: Span, label_key: str, budget: int = 14
             ) -> tuple[list[str], State]:
        """The fewest keys from ``start`` that leave ``target`` labelled."""
        goal = (target.start, target.end)
        best: tuple[list[str], State] | None = None
        counter = itertools.count()
        queue: list[tuple[int, int, State, list[str]]] = [(0, next(counter), start, [])]
        for keys, state in self.searches(start, goal):
            heapq.heappush(queue, (len(keys), next(counter), state, keys))
        seen: dict[State, int] = {}
        while queue:
            cost, _, state, keys = heapq.heappop(queue)
            if best is not None and cost + 1 >= len(best[0]):
                break
            if cost > budget or seen.get(state, 1 << 30) <= cost:
                continue
            seen[state] = cost
            found = self._finish(state, keys, target, label_key)
            if found is not None and (best is None or len(found[0]) < len(best[0])):
                best = found
            if best is not None and cost + 2 >= len(best[0]):
                continue  # a child needs its own key and the label key: no better
            for more, after in self.edges(state):
                if seen.get(after, 1 << 30) > cost + len(more):
                    heapq.heappush(queue, (cost + len(more), next(counter), after,
                                           keys + more))
        if best is None:
            raise AssertionError(f"no plan within {budget} keys for {target.text!r}")
        return best

    def _finish(self, state: State, keys: list[str], target: Span, label_key: str
                ) -> tuple[list[str], State] | None:
        made = self.target(state)
        if made is None:
            return None
        if made == (target.start, target.end):
            return [*keys, label_key], State(made[1])
        fix = None
        if self.reader.resize and abs(made[0] - target.start) + abs(made[1] - target.end) < 80:
            probe = Span(made[0], made[1], target.label, self.text[made[0]:made[1]],
                         target.annotator, id="probe")
            fix = self.resize_keys(probe, (target.start, target.end))
        if fix is None:
            return None
        return [*keys, label_key, *fix], State(target.end if fix[-1] in (
            "less_than_sign", "greater_than_sign") else target.start)


def in_order(spans: list[Span]) -> list[Span]:
    return sorted(spans, key=order)


def snap(text: str, start: int, end: int) -> tuple[int, int]:
    """tui.core.language.text.snap_to_words, on the kept words of names.word_at (much
    faster here)."""
    return snap_to_words(text, start, end, word_at)
    first = word_at(text, start)
    if first and first[0] < start < first[1]:
        start = first[0]
    last = word_at(text, end)
    if last and last[0] < end < last[1]:
        end = last[1]
    return start, end
