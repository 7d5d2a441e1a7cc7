"""One figure of the stats screen: its plot (textual-plotext) with its numbers beside it."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static
from textual_plotext import PlotextPlot

from tui.core.counts.figures import Figures
from tui.core.document.model import LabelSet
from tui.core.language.visible import visible
from tui.plots import draw, legend


class FigurePanel(Horizontal):
    def __init__(self, figure: str) -> None:
        """``figure``: the name of the plot (a key of ``tui.plots.PLOTS``)."""
        super().__init__(classes="figure", id=f"figure-{figure.replace(' ', '-')}")
        self.figure = figure
        self.numbers: list[str] = []

    def compose(self) -> ComposeResult:
        yield PlotextPlot()
        yield Static(classes="numbers")

    def show(self, figures: Figures, labels: LabelSet, numbers: list[str]) -> None:
        """Draw the plot and write its numbers (data as it is: shown here as text, its
        controls as placeholders, never as markup)."""
        plot = self.query_one(PlotextPlot)
        draw(plot.plt, self.figure, figures, labels)
        plot.refresh()
        self.numbers = [visible(line) for line in numbers]
        text = Text()
        for word, (red, green, blue), mark in legend(self.figure, figures):
            text.append(f"{mark} ", style=f"rgb({red},{green},{blue})")
            text.append(f"{word}  ")
        text.append("\n" if text else "")
        text.append("\n".join(self.numbers))
        self.query_one(".numbers", Static).update(text)
