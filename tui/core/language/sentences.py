"""Sentences of news text, for the things that are said of a sentence: a claim's source is
most often in the claim's own sentence, and "grow the selection to the sentence".

News sentences end at ``.``, ``!`` or ``?`` (and the quotes or brackets closing after
them) before a space and a capital, a digit or an opening quote, and at every line end.
An abbreviation (``U.S.``, ``Mr.``, ``Gen.``, an initial ``J.``) does not end a sentence.
"""

from __future__ import annotations

import re
from bisect import bisect_right

_END = re.compile(r"""[.!?…]+["'”’»)\]]*(?=\s+["'“‘«(\[]?[A-Z0-9\u00C0-\u024F\u0400-\u04FF])""")
_ABBREVIATION = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|St|Jr|Sr|Gen|Gov|Sen|Rep|Lt|Col|Capt|Sgt|Maj|Adm|Prof|Rev|No"
    r"|Inc|Corp|Ltd|Co|vs|etc|Jan|Feb|Mar|Apr|Aug|Sept|Sep|Oct|Nov|Dec|Mt|Ft|approx)"
    r"|\b[A-Z](?:\.[A-Z])*|\b(?:[A-Za-z]\.){2,}[A-Za-z]?)\.$")


def sentence_starts(text: str) -> list[int]:
    """The offset where each sentence of ``text`` begins (the first is 0)."""
    starts = [0]
    position = 0
    for line in text.split("\n"):
        line_start = position
        if line_start:
            starts.append(line_start)
        for match in _END.finditer(line):
            # Only the end of the line so far: searching all of it made a long line quadratic
            if _ABBREVIATION.search(line, max(match.start() - 40, 0), match.start() + 1) and \
                    line[match.start()] == "." and match.end() - match.start() == 1:
                continue
            after = match.end()
            while after < len(line) and line[after].isspace():
                after += 1
            starts.append(line_start + after)
        position += len(line) + 1
    return sorted(set(starts))


def sentence_of(starts: list[int], text: str, offset: int) -> tuple[int, int]:
    """(start, end) of the sentence holding ``offset``, its trailing whitespace left out."""
    index = bisect_right(starts, offset) - 1
    start = starts[max(index, 0)]
    end = starts[index + 1] if index + 1 < len(starts) else len(text)
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
