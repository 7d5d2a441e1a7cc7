"""The first paint (`gloss FILE` of a stored article, before Textual is up) writes to the
terminal itself: whatever the article's text and source hold (ESC, BEL, OSC, C1 controls,
bidi overrides, wide and zero-width characters), what it writes is its own sequences and
the data as visible placeholders, and every row it draws is exactly as wide as the
terminal (a row one cell too wide would wrap and shift the rest)."""

from __future__ import annotations

import re

from hypothesis import example, given, settings
from hypothesis import strategies as st
from rich.cells import cell_len

from tui.core.language.text import normalise
from tui.core.language.visible import visible
from tui.first_paint import frame

# What the paint itself writes: SGR, the cursor's moves, the modes it sets
OWN = re.compile(r"\x1b\[(?:[0-9;]*m|\d+;1H|\?(?:2026|1049|25|7)[hl])")
ACTS = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
NASTY = st.sampled_from(["\x1b[2J", "\x1b]0;title\x07", "\x1b]8;;file:///etc/passwd\x07",
                         "\x9b2J", "\x07", "\t", "\u202e", "\u2066", "\u200b", "\x00",
                         "\x7f", "界", "👍🏽", "e\u0301", "\u00a0", "\n", "\n\n", " ", "word"])
TEXTS = st.lists(st.one_of(NASTY, st.text(max_size=12)), max_size=60).map("".join)


@settings(max_examples=150, deadline=None)
@given(TEXTS, TEXTS, st.sampled_from([(40, 10), (80, 24), (133, 41)]),
       st.sampled_from(["256", "truecolor"]))
# a source cut in its middle whose end is wide characters (the end was cut by characters)
@example("", "\x1b[2J" * 4 + "000000⼀𠀀000000000⺀", (40, 10), "256")
def test_the_paint_sends_no_control_of_the_data_and_fills_each_row_exactly(
        text, source, size, system):
    width, height = size
    written = frame(normalise(text), visible(source), width, height, system)
    assert ACTS.findall(OWN.sub("", written)) == []
    lines = re.split(r"\x1b\[\d+;1H", written)[1:]
    assert len(lines) == height
    for line in lines:
        assert cell_len(OWN.sub("", line)) == width
