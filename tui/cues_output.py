"""``gloss cues``: the cue words claim suggestions use, checked, as a table."""

from __future__ import annotations

from pathlib import Path

import click

from tui.core.language.visible import visible
from tui.core.suggest import cue_files


def cue_sources(folder: Path, language: str, files: tuple[Path, ...]) -> list[Path]:
    """The files whose words are added to the shipped cues: the dataset's own, then those
    given."""
    team = cue_files.team_file(folder, language)
    return ([team] if team.is_file() else []) + list(files)


def print_cues(folder: Path, language: str, files: tuple[Path, ...], words: str) -> None:
    """Check every cue file (one bad file raises its ``FILE:LINE: reason``) and print how
    many words each list holds, or the words of one list."""
    extra = cue_sources(folder, language, files)
    cues = cue_files.load(language, extra)
    counts = cues.counts()
    if words:
        if words not in counts:
            raise click.UsageError(f"--words: no list {words!r} (the lists:"
                                   f" {', '.join(counts)})")
        for word in sorted(getattr(cues, words)):
            click.echo(visible(word))
        return
    read = ["shipped"] + [visible(str(path)) for path in extra]
    click.echo(f"cues for {language}: {' + '.join(read)}")
    width = max(map(len, counts))
    for name, count in counts.items():
        click.echo(f"  {name:<{width}}  {count:>4}")
