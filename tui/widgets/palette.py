"""How each label looks, in every terminal: full colour, 16 colours, or NO_COLOR.

Each label draws on a channel of its own, so nested spans of different labels all stay
visible: the label at index n of the set takes channel n % 3 (bold, a background with
italics, an underline) and its own colour. A claim nested in a claim gets a stronger
background. In a 16-colour terminal the label colours are chosen by hue among the ANSI
colours (the nearest-colour rule of a terminal would turn blue, yellow and green all into
white); with NO_COLOR set the channels alone tell the labels apart, and Textual shows the
backgrounds as shades of grey.
"""

from __future__ import annotations

import colorsys
from functools import lru_cache

from rich.color import Color
from rich.style import Style

from tui.core.document.model import LabelSet

CHANNELS = ("bold", "background", "underline")
TRUECOLOR, ANSI16, MONO = "truecolor", "16", "none"
_UNKNOWN = "#888888"
# ANSI colour index by hue, every 60 degrees from red
_HUES = (1, 3, 2, 6, 4, 5)


def ansi_index(colour: str) -> int:
    """The ANSI colour (0-7) of ``colour``'s hue; white (7) when it has little colour."""
    r, g, b = (c / 255 for c in Color.parse(colour).get_truecolor())
    hue, _lightness, saturation = colorsys.rgb_to_hls(r, g, b)
    if saturation < 0.2:
        return 7
    return _HUES[round(hue * 6) % 6]


def blend(colour: str, amount: float, base: int = 24) -> str:
    """``colour`` at ``amount`` over a dark background, so text on it stays readable."""
    r, g, b = (int(c * amount + base * (1 - amount))
               for c in Color.parse(colour).get_truecolor())
    return f"#{r:02x}{g:02x}{b:02x}"


class Palette:
    def __init__(self, labels: LabelSet, mode: str = TRUECOLOR) -> None:
        self.labels = labels
        self.mode = mode

    def channel(self, label: str) -> str:
        index = self.labels.index(label) if self.labels.get(label) else 2
        return CHANNELS[index % len(CHANNELS)]

    def colour(self, label: str) -> str:
        found = self.labels.get(label)
        return found.colour if found else _UNKNOWN

    def span(self, label: str, depth: int = 1) -> Style:
        """The look of a span of ``label``; ``depth`` counts spans of that label around
        the character, itself included."""
        return _span_style(self.mode, self.channel(label), self.colour(label), depth)

    def suggestion(self, label: str) -> Style:
        """The look of a suggestion of ``label``: a dim underline in the label's colour
        (under NO_COLOR, the dim underline alone), never a label's own look."""
        return _suggestion_style(self.mode, self.colour(label))

    def tag(self, label: str) -> Style:
        """The label's name in the span list and the legend: looks as its spans do."""
        return self.span(label) + Style(bold=True)


@lru_cache(maxsize=64)
def _suggestion_style(mode: str, colour: str) -> Style:
    shape = Style(underline=True, dim=True)
    if mode == MONO:
        return shape
    if mode == ANSI16:
        return shape + Style(color=f"color({ansi_index(colour)})")
    return shape + Style(color=blend(colour, 0.75))


@lru_cache(maxsize=256)
def _span_style(mode: str, channel: str, colour: str, depth: int) -> Style:
    if channel == "background":
        shape = Style(italic=True)
        if mode == MONO:
            return shape + Style(bgcolor="#4a4a4a" if depth == 1 else "#8a8a8a")
        if mode == ANSI16:
            base = ansi_index(colour)
            return shape + (Style(bgcolor=f"color({base})", color="color(15)") if depth == 1
                            else Style(bgcolor=f"color({base + 8})", color="color(0)"))
        return shape + Style(bgcolor=blend(colour, 0.35 if depth == 1 else 0.6))
    shape = Style(bold=True) if channel == "bold" else Style(underline=True)
    if mode == MONO:
        return shape
    if mode == ANSI16:
        return shape + Style(color=f"color({ansi_index(colour) + 8})")
    return shape + Style(color=colour)
