"""`gloss keys`: every key as it is here, the key table with the analyst's keymap applied,
section by section, each row its keys, its id (what a keymap file names it by) and what it
does; the rows the keymap changed are marked."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import click

from tui.core.visible import visible
from tui.keymap import where
from tui.keys import rows


def print_keys(found: Path | None, keymap: Mapping[str, str]) -> None:
    if found is not None:
        click.echo(visible(f"# with the keymap {found} (* its keys)"))
    else:
        default, _named = where()
        click.echo(visible(f"# the keys as Gloss has them: no keymap at {default}"))
    for group, keys in rows(keymap).items():
        click.echo(f"\n{group}")
        for key in keys:
            mark = "*" if key.id in keymap else " "
            click.echo(visible(f" {mark}{key.shown:<16} {key.named or '-':<28} {key.description}"))
