"""The stats plots, drawn with plotext: the same for the stats screen (textual-plotext's
``plt``) and for ``gloss stats --plot`` (the ``plotext`` module); both take the same calls.

Every name from the data (labels, analysts) reaches plotext through ``visible``: plotext
writes it into a string of terminal codes, which the screen parses back as ANSI and the
command prints as it is, so a control in a name would be obeyed. A stacked bar's legend
is not drawn inside the plot, where plotext puts it over the bars: :func:`legend` gives
it to the numbers beside the plot.
"""

from __future__ import annotations

import math
from typing import Any

from rich.color import Color, ColorParseError

from tui.core.figures import TODO, Figures
from tui.core.model import LabelSet
from tui.core.visible import visible

PLOTS = {
    "progress": "Articles per analyst",
    "labels": "Spans per label",
    "per article": "Articles by their spans",
    "per hour": "Spans an hour (UTC)",
    "claims": "Claims: source or not",
}
RGB = tuple[int, int, int]
# Each part of a stacked bar: its colour and its own character, so that the parts stay
# apart without colour (NO_COLOR, a pipe) and for an analyst who cannot tell the colours
STATUS_LOOKS: dict[str, tuple[RGB, str]] = {
    "done": ((0, 175, 95), "█"), "reviewed": ((95, 175, 215), "▓"),
    "skipped": ((255, 135, 0), "▒"), TODO: ((108, 108, 108), "·")}
CLAIM_LOOKS: dict[str, tuple[RGB, str]] = {"with a source": ((0, 175, 95), "█"),
                                           "without": ((108, 108, 108), "·")}


def draw(plt: Any, name: str, figures: Figures, labels: LabelSet) -> None:
    """Draw the plot ``name`` (a key of PLOTS) on ``plt``, on a clear figure."""
    plt.clear_figure()  # the caller sets the size and theme after
    plt.title(PLOTS[name])
    {"progress": _progress, "labels": _labels, "per article": _per_article,
     "per hour": _per_hour, "claims": _claims}[name](plt, figures, labels)


def legend(name: str, figures: Figures) -> list[tuple[str, RGB, str]]:
    """What each part of a stacked plot means, in the order of its bars: (what, its
    colour, its character)."""
    if name == "progress":
        return [("to do" if s == TODO else s, *look) for s, look in STATUS_LOOKS.items()
                if _shown(figures, s)]
    if name == "claims" and figures.claims:
        return [(what, *look) for what, look in CLAIM_LOOKS.items()]
    return []


def _shown(figures: Figures, status: str) -> bool:
    return any(p.get(status) for p in figures.progress.values())


def _progress(plt: Any, figures: Figures, labels: LabelSet) -> None:
    analysts = list(figures.progress)
    if not analysts or not figures.articles:
        _nothing(plt, "no articles yet")
        return
    statuses = [s for s in STATUS_LOOKS if _shown(figures, s)]
    plt.stacked_bar([visible(who) for who in analysts],
                    [[figures.progress[who].get(s, 0) for who in analysts] for s in statuses],
                    color=[STATUS_LOOKS[s][0] for s in statuses],
                    marker=[STATUS_LOOKS[s][1] for s in statuses], orientation="horizontal",
                    width=3 / 5)
    _whole_ticks(plt.xticks, figures.articles)


def _labels(plt: Any, figures: Figures, labels: LabelSet) -> None:
    names = list(figures.labels)
    if not names:
        _nothing(plt, "no labels")
        return
    for place, name in enumerate(names):  # one bar a call: a call has one colour
        plt.bar([place], [figures.labels[name]], color=_colour(labels, name), width=3 / 5)
    plt.xticks(list(range(len(names))), [visible(n) for n in names])
    _whole_ticks(plt.yticks, max(figures.labels.values()))


def _per_article(plt: Any, figures: Figures, labels: LabelSet) -> None:
    bins = figures.histogram()
    if not bins:
        _nothing(plt, "no articles yet")
        return
    plt.bar([str(b.low) if b.low == b.high else f"{b.low}-{b.high}" for b in bins],
            [b.articles for b in bins], width=4 / 5)
    plt.xlabel("spans in an analyst's version of an article" if figures.per_analyst
               else "spans in an article")
    _whole_ticks(plt.yticks, max(b.articles for b in bins))


def _per_hour(plt: Any, figures: Figures, labels: LabelSet) -> None:
    series = {who: figures.hourly(who) for who in figures.hours}
    if not any(series.values()):
        _nothing(plt, "no span labelled in Gloss yet")
        return
    plt.date_form("Y-m-d H", "d/m H")
    for who, hours in series.items():
        plt.plot([hour.replace("T", " ") for hour, _ in hours], [n for _, n in hours],
                 label=visible(who), marker="braille")
    _whole_ticks(plt.yticks, max(n for hours in series.values() for _, n in hours))


def _claims(plt: Any, figures: Figures, labels: LabelSet) -> None:
    analysts = list(figures.claims)
    if not analysts:
        _nothing(plt, "no claims yet" if figures.claim_labels else "no label is a claim")
        return
    plt.stacked_bar([visible(who) for who in analysts],
                    [[figures.claims[who][0] for who in analysts],
                     [figures.claims[who][1] for who in analysts]],
                    color=[look[0] for look in CLAIM_LOOKS.values()],
                    marker=[look[1] for look in CLAIM_LOOKS.values()],
                    orientation="horizontal", width=3 / 5)
    _whole_ticks(plt.xticks, max(s + t for s, t in figures.claims.values()))


def _whole_ticks(set_ticks: Any, top: int) -> None:
    """About five ticks at round whole numbers from 0 to ``top``: counts, not 1,234.7."""
    if top <= 0:
        return
    rough = top / 5
    power = 10 ** math.floor(math.log10(rough)) if rough >= 1 else 1
    step = max(int(next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= rough)), 1)
    ticks = list(range(0, top + 1, step))
    set_ticks(ticks, [f"{t:,}" for t in ticks])


def _nothing(plt: Any, what: str) -> None:
    """An empty plot that says why: a line of text, no axes."""
    plt.text(what, 0, 0, alignment="center")
    plt.xticks([])
    plt.yticks([])


def _colour(labels: LabelSet, name: str) -> RGB | str:
    label = labels.get(name)
    try:
        return tuple(Color.parse(label.colour).get_truecolor()) if label else "gray"
    except ColorParseError:
        return "gray"
