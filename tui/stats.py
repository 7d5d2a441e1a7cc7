"""``gloss stats``: the dataset at a glance, as Rich tables."""

from __future__ import annotations

from collections import Counter

from rich.console import Console
from rich.table import Table
from rich.text import Text

from tui.core.dataset import Dataset
from tui.core.visible import visible


def render_stats(dataset: Dataset, console: Console | None = None) -> list[str]:
    """Print the tables; return one line for each article file that cannot be read.

    Labels and analysts are data: they go into the tables as ``Text`` with their
    terminal controls shown, so a label ``[/]`` or ``[link=...]`` is printed as it is.
    """
    console = console or Console()
    articles = spans = 0
    per_label: Counter[str] = Counter()
    per_analyst: Counter[str] = Counter()
    done: Counter[str] = Counter()
    problems: list[str] = []
    for item in dataset.readable(problems):
        articles += 1
        spans += len(item.spans)
        per_label.update(s.label for s in item.spans)
        per_analyst.update(s.annotator for s in item.spans)
        done.update(a for a, status in item.status.items() if status == "done")

    summary = Table(title=Text(f"Gloss dataset {visible(str(dataset.folder))}"),
                    show_header=False)
    summary.add_row("articles", str(articles))
    summary.add_row("spans", str(spans))
    summary.add_row(Text(f"done by {visible(dataset.annotator)}"),
                    str(done[dataset.annotator]))
    console.print(summary)

    labels = Table(title="spans per label")
    labels.add_column("label")
    labels.add_column("key", justify="center")
    labels.add_column("spans", justify="right")
    for name in dict.fromkeys([*dataset.labels.names(), *per_label]):
        label = dataset.labels.get(name)
        labels.add_row(Text(visible(name), style=label.colour if label else ""),
                       Text(visible(label.key)) if label else "", str(per_label[name]))
    console.print(labels)

    analysts = Table(title="per analyst")
    analysts.add_column("analyst")
    analysts.add_column("spans", justify="right")
    analysts.add_column("articles done", justify="right")
    for name in sorted(set(per_analyst) | set(done)):
        analysts.add_row(Text(visible(name)), str(per_analyst[name]), str(done[name]))
    console.print(analysts)
    return problems
