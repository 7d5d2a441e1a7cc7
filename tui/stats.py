"""``gloss stats``: the dataset at a glance, as Rich tables."""

from __future__ import annotations

from collections import Counter

from rich.console import Console
from rich.table import Table

from tui.core.dataset import Dataset


def render_stats(dataset: Dataset, console: Console | None = None) -> None:
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

    summary = Table(title=f"Gloss dataset {dataset.folder}", show_header=False)
    summary.add_row("articles", str(articles))
    summary.add_row("spans", str(spans))
    summary.add_row(f"done by {dataset.annotator}", str(done[dataset.annotator]))
    console.print(summary)

    labels = Table(title="spans per label")
    labels.add_column("label")
    labels.add_column("key", justify="center")
    labels.add_column("spans", justify="right")
    for name in dict.fromkeys([*dataset.labels.names(), *per_label]):
        label = dataset.labels.get(name)
        labels.add_row(f"[{label.colour}]{name}[/]" if label else name,
                       label.key if label else "", str(per_label[name]))
    console.print(labels)

    analysts = Table(title="per analyst")
    analysts.add_column("analyst")
    analysts.add_column("spans", justify="right")
    analysts.add_column("articles done", justify="right")
    for name in sorted(set(per_analyst) | set(done)):
        analysts.add_row(name, str(per_analyst[name]), str(done[name]))
    console.print(analysts)
    for problem in problems:
        console.print(f"[red]unreadable:[/] {problem}", markup=True, highlight=False)
