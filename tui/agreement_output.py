"""``gloss agree``: the agreement figures as a Rich table on a terminal, else JSON."""

from __future__ import annotations

import sys
from collections.abc import Callable

import orjson
from rich.console import Console
from rich.table import Table
from rich.text import Text

from tui.core.document.model import GlossError
from tui.core.language.visible import json_bytes, visible
from tui.core.store.dataset import Dataset
from tui.core.team.agreement import ALL, Report, Scores, kept, tally
from tui.progress import Progress, progress_bar


def print_agreement(dataset: Dataset, fmt: str, names: list[str], labels: list[str],
                    every: bool) -> list[str]:
    """Print the figures; return one line for each article file that cannot be read."""
    if names and len(set(names)) < 2:
        raise GlossError(f"{dataset.folder}: agreement needs two analysts at least (found:"
                         f" {', '.join(dict.fromkeys(names))})")
    problems: list[str] = []
    # each article's digest, from the index (a file is read only where its row is stale)
    with progress_bar("reading", None, "articles") as progress:
        report = tally(kept(dataset, problems, _counter(progress)), names or None,
                       labels or dataset.labels.names(), every)
    if problems:  # figures without an article would look complete and mislead
        return [f"{problem}; no agreement computed" for problem in problems]
    if len(report.analysts) < 2:
        raise GlossError(f"{dataset.folder}: agreement needs two analysts at least (found:"
                         f" {', '.join(report.analysts) or 'none'})")
    if fmt == "json":
        sys.stdout.buffer.write(json_bytes(report.to_json(), orjson.OPT_INDENT_2)
                                + b"\n")
    else:
        Console().print(_tables(report, every))
    return problems


def _tables(report: Report, every: bool) -> Table:
    table = Table(title=f"agreement over {report.articles} articles"
                  + ("" if every else " done by every analyst compared"), expand=False)
    for name in ("analysts", "label", "spans", "F1 exact", "F1 overlap", "kappa", "alpha",
                 "SOURCE links"):
        table.add_column(name, justify="left" if name in ("analysts", "label") else "right")
    for label, scores in report.overall.items():
        table.add_row(Text(visible(" + ".join(report.analysts))), Text(visible(label)),
                      _spans(scores), "", "", "", _figure(scores.alpha), "",
                      end_section=label == list(report.overall)[-1])
    for pair, by_label in report.pairs.items():
        agreed, claims = report.sources[pair]
        for label, scores in by_label.items():
            table.add_row(Text(visible(" & ".join(pair))), Text(visible(label)),
                          _spans(scores), _figure(scores.exact_f1),
                          _figure(scores.overlap_f1), _figure(scores.kappa), "",
                          f"{agreed} / {claims}" if label == ALL else "")
    return table


def _spans(scores: Scores) -> str:
    return " / ".join(f"{n:,}" for n in scores.spans)


def _figure(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"


def _counter(progress: Progress) -> Callable[[int, int], None]:
    """The bar told of the files read again, as the index's pass counts them."""
    shown = [0]

    def told(done: int, total: int) -> None:
        progress.expect(total)
        progress.advance(done - shown[0])
        shown[0] = done

    return told
