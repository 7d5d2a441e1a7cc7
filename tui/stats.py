"""``gloss stats``: the dataset at a glance, as Rich tables (the default), as the stats
screen's plots with their numbers (``--plot``), or as JSON for scripts (``--format json``).
All three print the same figures (``tui/core/figures.py``)."""

from __future__ import annotations

import os
import shutil
import sys
import textwrap

import orjson
from rich.console import Console
from rich.table import Table
from rich.text import Text

from tui.core.dataset import Dataset
from tui.core.figures import Figures, numbers
from tui.core.visible import json_bytes, visible
from tui.plots import draw, legend

NUMBERS_WIDTH = 46  # the column of numbers beside each plot


def render_stats(dataset: Dataset, figures: Figures, console: Console | None = None) -> None:
    """Print the tables.

    Labels and analysts are data: they go into the tables as ``Text`` with their
    terminal controls shown, so a label ``[/]`` or ``[link=...]`` is printed as it is.
    """
    console = console or Console()
    summary = Table(title=Text(f"Gloss dataset {visible(str(dataset.folder))}"),
                    show_header=False)
    summary.add_row("articles", str(figures.articles))
    summary.add_row("spans" if len(figures.analysts) < 2 else "spans, every analyst's",
                    str(figures.spans))
    summary.add_row(Text(f"done by {visible(dataset.annotator)}"),
                    str(figures.progress[dataset.annotator]["done"]))
    console.print(summary)

    labels = Table(title="spans per label")
    labels.add_column("label")
    labels.add_column("key", justify="center")
    labels.add_column("spans", justify="right")
    for name, spans in figures.labels.items():
        label = dataset.labels.get(name)
        labels.add_row(Text(visible(name), style=label.colour if label else ""),
                       Text(visible(label.key)) if label else "", str(spans))
    console.print(labels)

    analysts = Table(title="per analyst")
    analysts.add_column("analyst")
    analysts.add_column("spans", justify="right")
    analysts.add_column("articles done", justify="right")
    done = {who: p["done"] for who, p in figures.progress.items() if p["done"]}
    for name in sorted(set(figures.analysts) | set(done)):
        analysts.add_row(Text(visible(name)), str(figures.analysts.get(name, 0)),
                         str(done.get(name, 0)))
    console.print(analysts)
    if figures.origins:
        console.print(origins_table(figures))


def origins_table(figures: Figures) -> Table:
    """How many spans each kind of suggestion saved an analyst typing (accepted), and how
    many ``gloss suggest`` wrote as an analyst of its own."""
    table = Table(title="spans from suggestions")
    table.add_column("from")
    table.add_column("accepted", justify="right")
    table.add_column("written by gloss suggest", justify="right")
    typed = figures.spans - sum(a + b for a, b in figures.origins.values())
    table.add_row("typed", str(typed), "")
    for kind, (accepted, written) in figures.origins.items():
        table.add_row(Text(visible(kind)), str(accepted), str(written))
    return table


def print_plots(dataset: Dataset, figures: Figures) -> None:
    """Each plot with its numbers beside it; colours only on a terminal without NO_COLOR."""
    import plotext as plt

    coloured = (sys.stdout.isatty() or bool(os.environ.get("FORCE_COLOR"))) \
        and "NO_COLOR" not in os.environ
    width = max(40, shutil.get_terminal_size().columns - NUMBERS_WIDTH - 2)
    print(visible(f"Gloss dataset {dataset.folder}: {figures.articles:,} articles,"
                  f" {figures.spans:,} spans"))
    for name, lines in numbers(figures):
        draw(plt, name, figures, dataset.labels)
        plt.plotsize(width, 14)
        if not coloured:
            plt.theme("clear")
        drawn = plt.build()
        rows = (drawn if coloured else plt.uncolorize(drawn)).splitlines()
        key = legend(name, figures)
        beside = ["", *(["  ".join(
            (f"\x1b[38;2;{r};{g};{b}m{mark}\x1b[0m" if coloured else mark) + f" {word}"
            for word, (r, g, b), mark in key)] if key else []),
            *(row for line in lines for row in textwrap.wrap(
                visible(line), NUMBERS_WIDTH, subsequent_indent="  "))]
        print()
        for k in range(max(len(rows), len(beside))):
            plot_row = rows[k] if k < len(rows) else " " * width
            print(f"{plot_row}  {beside[k] if k < len(beside) else ''}".rstrip())


def print_json(figures: Figures) -> None:
    """The figures as JSON: names exactly as they are, their controls escaped."""
    sys.stdout.buffer.write(json_bytes(figures.to_json(), orjson.OPT_INDENT_2) + b"\n")
