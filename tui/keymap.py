"""The analyst's own keys: a keymap file (TOML) that gives rows of the key table other keys.

Where it is: ``--keymap FILE``, else ``$GLOSS_KEYMAP``, else
``$XDG_CONFIG_HOME/gloss/keymap.toml`` (``~/.config/gloss/keymap.toml`` without
``XDG_CONFIG_HOME``); a file named by the option or the variable must be there, the default
one may be missing. What it holds (docs/keys.md): an id of the key table, ``=``, the keys
(a string of Textual key names, comma separated, or a list of them); a table header gives
the scope of the ids under it (``[reader]`` then ``undo = "ctrl+u"``), and a name without
its scope gives every scope's row of that name those keys (``help = "f1"``).

The file is checked whole before the app starts: an id the table does not have, a key
Textual does not know, or a key given two things to do where both are live at once (the
scopes of a chain in ``tui/keys.py``) is one line, ``FILE:LINE: reason`` (a
:class:`~tui.core.document.model.GlossError`, so exit status 2). The app hands what it returns to
Textual's own ``App.set_keymap``, which gives each ``Binding(id=...)`` its keys.
"""

from __future__ import annotations

import difflib
import os
import re
import unicodedata
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from textual.keys import KEY_NAME_REPLACEMENTS, Keys, key_to_character

from tui.core.disk.files import Missing, NotReadable, read_bytes
from tui.core.document.model import GlossError
from tui.keys import CHAINS, TABLE, Key, expand, ids

NAME = "keymap.toml"
MAX_BYTES = 64 << 10  # a keymap is a few lines; anything near this is not one
MAX_PARTS = 4  # an id is scope.name: a key of many parts is no id (and tomllib takes time
# and memory growing with the square of a dotted key's parts: 10,000 of them, 2 s, 400 MB)
MODIFIERS = ("ctrl", "shift", "alt", "meta", "super", "hyper")
NAMED = {key.value.rpartition("+")[2] for key in Keys}  # escape, f5, pageup, tab, ...


class KeymapError(GlossError):
    """A keymap that cannot be used: ``str()`` is ``FILE[:LINE]: reason``."""


def where(given: Path | None = None, environ: Mapping[str, str] = os.environ
          ) -> tuple[Path | None, bool]:
    """The keymap file to read, and whether it must be there (it was named)."""
    if given is not None:
        return given, True
    if environ.get("GLOSS_KEYMAP"):
        return Path(environ["GLOSS_KEYMAP"]), True
    config = environ.get("XDG_CONFIG_HOME", "")
    if not os.path.isabs(config):  # the XDG rule: a relative one is ignored
        home = environ.get("HOME") or str(Path.home())
        config = os.path.join(home, ".config")
    return Path(config) / "gloss" / NAME, False


def load(given: Path | None = None, environ: Mapping[str, str] = os.environ
         ) -> tuple[Path | None, dict[str, str]]:
    """The keymap file found and what it gives (id: keys, comma separated); none: {}."""
    path, named = where(given, environ)
    if path is None:
        return None, {}
    try:
        data = read_bytes(path)
    except Missing:
        if named:
            raise KeymapError(f"{path}: no such keymap file") from None
        return None, {}
    except NotReadable as exc:
        raise KeymapError(f"{path}: cannot be read: {exc}") from None
    if len(data) > MAX_BYTES:
        raise KeymapError(f"{path}: {len(data):,} bytes is no keymap (at most"
                          f" {MAX_BYTES:,})")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise KeymapError(f"{path}: not UTF-8 text (byte {exc.start})") from None
    return path, parse(text, str(path))


def parse(text: str, name: str) -> dict[str, str]:
    """What the keymap ``text`` (read from the file ``name``) gives each id."""
    import tomllib  # put off: `gloss read` without a keymap file never needs it

    lines = lines_of(text, name)
    try:
        tree = tomllib.loads(text)
    except RecursionError:
        raise KeymapError(f"{name}: nested too deeply for a keymap") from None
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"\(at line (\d+), column \d+\)", str(exc))
        line = found[1] if found else text.count("\n") + 1 if "end of document" in str(
            exc) else None
        where = f"{name}:{line}" if line else name
        reason = re.sub(r"\s*\(at (line \d+, column \d+|end of document)\)", "",
                        str(exc)) or "not TOML"
        raise KeymapError(f"{where}: not TOML: {reason}") from None
    known = ids()
    given: dict[str, str] = {}
    said: dict[str, int] = {}  # id -> the line that gave it its keys
    for path, value in entries(tree):
        dotted = ".".join(path)
        # an inline table's keys have no line of their own: the line of the key it is under
        line = next((lines[k] for k in (".".join(path[:n]) for n in range(len(path), 0, -1))
                     if k in lines), 0)
        at = f"{name}:{line}" if line else name
        targets = targets_of(path, known)
        if not targets:
            close = difflib.get_close_matches(dotted, list(known), n=1, cutoff=0.6)
            hint = f" (did you mean {close[0]}?)" if close else " (gloss keys lists them)"
            raise KeymapError(f"{at}: no key has the id {dotted!r}{hint}")
        keys = keys_of(value, dotted, at)
        for target in targets:
            given[target] = keys
            said[target] = line
    for clash in conflicts(given):
        line = min((said[i] for i in clash[2] if i in said), default=0)
        at = f"{name}:{line}" if line else name
        first, second = sorted(clash[2])
        raise KeymapError(f"{at}: {clash[1]} would be both {first} and {second} in"
                          f" {clash[0]}")
    return given


def lines_of(text: str, name: str) -> dict[str, int]:
    """The line where each dotted key of a TOML text is given (its table's header added),
    so a refusal can name the line: tomllib says none. A key of more than ``MAX_PARTS``
    parts is refused here, before tomllib sees it."""
    table, found = "", {}
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        header = line.startswith("[") and not line.startswith("[[")
        raw, equals, _value = line.partition("=")
        if header:
            raw = line[1:].partition("]")[0]
        elif not equals or line.startswith(("#", "[")):
            continue
        parts = dotted(raw)
        if parts.count(".") >= MAX_PARTS or raw.count(".") > 4 * MAX_PARTS:
            raise KeymapError(f"{name}:{number}: a key of many parts is no id (an id is"
                              " scope.name)")
        if header:
            table = parts
        else:
            found.setdefault(f"{table}.{parts}" if table else parts, number)
    return found


def dotted(raw: str) -> str:
    """A TOML key as its parts joined by dots: ``"reader" . undo`` is ``reader.undo``."""
    parts = re.findall(r'"((?:[^"\\]|\\.)*)"|\'([^\']*)\'|([^.\s"\']+)', raw)
    return ".".join(a or b or c for a, b, c in parts)


def entries(tree: dict[str, Any], path: tuple[str, ...] = ()
            ) -> list[tuple[tuple[str, ...], Any]]:
    """Every (dotted path, value) of a parsed TOML tree, tables opened."""
    out = []
    for key, value in tree.items():
        if isinstance(value, dict):
            out += entries(value, (*path, key))
        else:
            out.append(((*path, key), value))
    return out


def targets_of(path: tuple[str, ...], known: Mapping[str, Key]) -> list[str]:
    """The ids an entry names: itself, or (a name alone) each scope's row of that name."""
    dotted = ".".join(path)
    if dotted in known:
        return [dotted]
    if len(path) == 1:
        return [i for i in known if i.partition(".")[2] == dotted]
    return []


def keys_of(value: Any, dotted: str, at: str) -> str:
    """The keys an entry gives, as Textual names them, comma separated."""
    given = value if isinstance(value, list) else [value]
    if not given or not all(isinstance(v, str) for v in given):
        raise KeymapError(f"{at}: {dotted}: give a key as a string, such as \"ctrl+u\", or"
                          f" a list of them")
    keys = [k.strip() for v in given for k in v.split(",")]
    for key in keys:
        if not is_key(key):
            raise KeymapError(f"{at}: {dotted}: {key!r} is not a key (Textual's names:"
                              f" ctrl+u, f5, question_mark, shift+tab)")
    return ",".join(dict.fromkeys(normal(k) for k in keys))


def is_key(key: str) -> bool:
    """Is ``key`` a key Textual can report: modifiers, then a character or a named key."""
    *mods, base = key.split("+") if len(key) > 1 else [key]
    if any(m not in MODIFIERS for m in mods) or len(set(mods)) != len(mods):
        return False
    if len(base) == 1:
        return base.isprintable() and not base.isspace()
    return base in NAMED or base == "space" or key_to_character(base) is not None


def normal(key: str) -> str:
    """The name Textual gives a key pressed: ``?`` is ``question_mark``."""
    *mods, base = key.split("+") if len(key) > 1 else [key]
    if len(base) == 1 and not base.isalnum():
        name = unicodedata.name(base, base).lower().replace("-", "_").replace(" ", "_")
        base = KEY_NAME_REPLACEMENTS.get(name, name)
    return "+".join([*mods, base])


def conflicts(keymap: Mapping[str, str]) -> list[tuple[str, str, frozenset[str]]]:
    """Each (chain, key, two ids) where ``keymap`` gives one key two things to do at once,
    leaving out what the table itself does on purpose (the review's tab is a priority
    binding, before the view's)."""
    actions = {row_id: row.action for row_id, row in ids().items()}

    def clashes(given: Mapping[str, str]) -> set[tuple[str, str, frozenset[str]]]:
        found = set()
        for chain, scopes in CHAINS.items():
            seen: dict[str, str] = {}
            for row in bound(scopes):
                for key in given.get(row.id, row.keys).split(","):
                    key = normal(key)
                    other = seen.setdefault(key, row.id)
                    if other != row.id and row.action != actions[other]:
                        found.add((chain, key, frozenset((other, row.id))))
        return found

    return sorted(clashes(keymap) - clashes({}), key=lambda c: (c[0], c[1], sorted(c[2])))


def bound(scopes: tuple[str, ...]) -> list[Key]:
    """The bindings of these scopes, one a key for the label keys."""
    return [one for keys in TABLE.values() for key in keys
            if key.id and key.action and key.scope in scopes for one in expand(key)]
