"""``gloss read --next uncertain``: the glue that picks the article the model is least sure
of (the choice itself is ``tui/core/suggest/active.py``) before the reader opens it."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from tui.core.document.model import GlossError
from tui.core.language.visible import visible
from tui.core.store.dataset import Dataset
from tui.progress import progress_bar
from tui.train_command import needs_spacy

if TYPE_CHECKING:
    from tui.core.suggest.model_finder import ModelFinder


def load(dataset: Dataset, model: Path | None) -> ModelFinder:
    """The model --next asks (``model``, else the dataset's latest); GlossError (one line)
    without spaCy or when it cannot be loaded."""
    needs_spacy("gloss read --next uncertain")
    from tui.core.suggest.model_finder import ModelFinder

    return ModelFinder.load(model if model is not None else dataset.folder)


def least_sure(dataset: Dataset, model: Path | ModelFinder | None) -> str:
    """The id of the article to open, said on stderr with why; GlossError (one line) when
    no model can be loaded or nothing is left to do."""
    from tui.core.suggest import active

    finder = load(dataset, model) if model is None or isinstance(model, Path) else model
    problems: list[str] = []
    with progress_bar("the model reads the articles to do", unit="articles") as progress:
        choice = active.least_sure(dataset.readable(problems), dataset.annotator,
                                   finder.uncertainty, lambda _: progress.advance())
    for problem in problems:
        click.echo(visible(f"gloss: {problem}; skipped"), err=True)
    if choice is None:
        raise GlossError(f"{dataset.folder}: no article left to do for {dataset.annotator}"
                         " (every one is done, reviewed or skipped)")
    title = dataset.document(choice.doc_id).title
    click.echo(visible(f"gloss read: the model ({finder.folder}) is least sure of"
                       f" {title!r} (uncertainty {choice.uncertainty:.2f}; {choice.candidates}"
                       " articles to do weighed)"), err=True)
    return choice.doc_id
