"""The reader's first lines before Textual is up: ``gloss FILE`` of a stored article.

Textual and the reader's modules take about a third of a second to import on a 2-core
machine, so a user would look at an empty terminal for that long. Instead, right after the
command starts, this draws what the reader's first frame will show of the pane (its border
and heading, the article's first rows wrapped as the reader wraps them, the span list's
rule, the bars' backgrounds) in the reader's colours on the alternate screen, and puts the
terminal in the mode Textual will use (no echo, keys as they come): keys typed meanwhile
wait in the terminal, unechoed, for the reader. Textual's first frame then draws over it in
place (``tui/app.py`` hands it the terminal's own mode to restore at the end) and adds the
caret, which the paint leaves out: the caret says that keys act now.

Only for a plain stored article in a terminal that shows 256 colours or more, the default
theme, stdin, stdout and stderr all terminals and nothing else asked for on the command line
(no --labels, --next, ...); anything else starts as before. The article's text goes through
the reader's own wrapping and placeholders (``article_layout``): a terminal control in the
file is drawn as a visible placeholder, never sent. Only what the reader would import
anyway is imported here (Rich's cell widths, ``regex``), never Textual, and only once the
paint applies: every other command imports this module for nothing but ``undo``.
"""

from __future__ import annotations

import atexit
import hashlib
import json
import os
import signal
import termios
from collections.abc import Mapping
from pathlib import Path
from typing import Any

# The default theme's colours in the reader's first frame, as Textual writes them (24-bit,
# and as Rich rounds them to the 256 colours): tests/e2e/test_first_paint.py compares the
# paint with the frame cell by cell, so a change of theme or CSS shows there.
COLOURS: dict[str, tuple[tuple[int, int, int], int]] = {
    "background": ((18, 18, 18), 233),
    "border": ((254, 166, 43), 214),
    "text": ((224, 224, 224), 253),
    "rule": ((69, 80, 90), 239),
    "scrollbar": ((0, 0, 0), 16),
    "placeholder": ((255, 95, 135), 204),
    "legend": ((30, 30, 30), 234),
    "bar": ((36, 47, 56), 17),
}
MIN_WIDTH, MIN_HEIGHT = 40, 10  # smaller, the reader's frame is too cramped to foresee
BARS = ("legend", "bar", "bar")  # the legend, the status bar and the footer, at the bottom
ALT_SCREEN = "\x1b[?1049h"
_OPTIONS = {"--db", "--annotator", "--keymap"}  # what changes nothing that is drawn


class Painted:
    __slots__ = ("before", "doc_id", "handed")

    def __init__(self, doc_id: str, before: list[Any]) -> None:
        self.doc_id = doc_id
        self.before = before  # the terminal's own mode, as it was before the paint
        self.handed = False  # Textual has the terminal: it restores the mode at the end


_painted: Painted | None = None


# -- whether to paint ------------------------------------------------------------------


def article_of(args: list[str]) -> tuple[Path, Path] | None:
    """(dataset folder, file) when ``args`` open exactly one file in the reader with only
    options that change nothing drawn; None for anything else (the command then parses
    the arguments, as always)."""
    folder: str | None = None
    paths: list[str] = []
    words = iter(args)
    for word in words:
        name, eq, value = word.partition("=")
        if name in _OPTIONS:
            given = value if eq else next(words, None)
            if given is None:
                return None
            folder = given if name == "--db" else folder
        elif word.startswith("-"):
            return None
        else:
            paths.append(word)
    if paths[:1] == ["read"]:
        paths = paths[1:]
    elif paths and not (Path(paths[0]).exists() or os.sep in paths[0] or "." in paths[0]):
        return None  # another command's name (`gloss FILE` only when it looks like a file)
    if len(paths) != 1:
        return None
    return Path(folder or os.environ.get("GLOSS_DB") or "annotations"), Path(paths[0])


def colour_system(environ: Mapping[str, str]) -> str | None:
    """"truecolor" or "256" as Rich detects it for Textual's console; None for what the
    paint does not foresee (16 colours, none, another theme, a driver of its own)."""
    if any(name in environ for name in ("NO_COLOR", "TEXTUAL_DRIVER", "TEXTUAL_THEME")) \
            or environ.get("TEXTUAL_COLOR_SYSTEM", "auto") != "auto" \
            or environ.get("TERM", "").lower() in ("dumb", "unknown"):
        return None
    if environ.get("COLORTERM", "").strip().lower() in ("truecolor", "24bit"):
        return "truecolor"
    colours = environ.get("TERM", "").strip().lower().rpartition("-")[2]
    return "256" if colours in ("256color", "kitty") else None


def stored_article(folder: Path, path: Path) -> tuple[str, str, str] | None:
    """(id, text, source shown in the heading) of a plain-text file the dataset holds
    already (as ``gloss read`` finds it: opened as stored, not imported), else None."""
    if path.suffix.lower() not in (".txt", ".md") or not path.is_file():  # never a FIFO
        return None
    from tui.core.language.text import normalise
    from tui.core.language.visible import visible

    try:
        text = normalise(path.read_bytes())
        doc_id = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]  # document_id's
        meta = stored_meta((folder / f"{doc_id}.json").read_text(encoding="utf-8"))
    except (OSError, UnicodeError, ValueError, RecursionError):
        return None
    if meta is None:
        return None
    source = meta.get("source") or meta.get("url") or meta.get("title")
    return doc_id, text, visible(str(source or ""))


def stored_meta(raw: str) -> dict[str, Any] | None:
    """The article's meta from its stored file, read past its text without building the
    rest (a large article's spans); None when the file is not laid out as Gloss writes."""
    decoder = json.JSONDecoder()
    head = '{"article":{"1":{"id":"'
    at = raw.find('","text":"', len(head))
    if not raw.startswith(head) or at < 0:
        return None
    _text, end = json.decoder.scanstring(raw, at + len('","text":"'))
    if not raw.startswith(',"meta":', end):
        return None
    meta, _ = decoder.raw_decode(raw, end + len(',"meta":'))
    return meta if isinstance(meta, dict) else None


def _is_terminal(fd: int) -> bool:
    try:
        return os.isatty(fd)
    except OSError:
        return False


# -- the paint ---------------------------------------------------------------------------


def paint(args: list[str]) -> bool:
    """Draw the reader's first lines now when ``args`` open a stored article in a terminal
    (see the module's docstring); True when painted."""
    global _painted
    if _painted is not None:
        return True
    if not all(_is_terminal(fd) for fd in (0, 1, 2)):
        return False
    system = colour_system(os.environ)
    request = article_of(args)
    if system is None or request is None:
        return False
    width, height = os.get_terminal_size(2)
    if width < MIN_WIDTH or height < MIN_HEIGHT:
        return False
    found = stored_article(*request)
    if found is None:
        return False
    doc_id, text, source = found
    try:
        before = termios.tcgetattr(0)
        termios.tcsetattr(0, termios.TCSANOW, quiet_mode(termios.tcgetattr(0)))
    except termios.error:
        return False
    _painted = Painted(doc_id, before)
    atexit.register(undo)
    for number in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(number, _ended_by_signal)
    screen = frame(text, source, width, height, system)
    os.write(2, screen.encode("utf-8"))
    return True


def quiet_mode(attrs: list[Any]) -> list[Any]:
    """``attrs`` (``termios.tcgetattr``'s) as Textual's driver sets them: no echo, no line
    editing, no flow control, keys read one by one as they come."""
    allow_signals = bool(os.environ.get("TEXTUAL_ALLOW_SIGNALS"))
    attrs[3] &= ~(termios.ECHO | termios.ICANON | termios.IEXTEN
                  | (0 if allow_signals else termios.ISIG))
    attrs[0] &= ~(termios.IXON | termios.IXOFF | termios.ICRNL | termios.INLCR
                  | termios.IGNCR)
    attrs[6][termios.VMIN] = 1
    return attrs


def frame(text: str, source: str, width: int, height: int, system: str) -> str:
    """What the paint writes: the reader's pane and bars as its first frame draws them."""
    from rich.cells import cell_len

    from tui.widgets.article.article_layout import ArticleLayout
    from tui.widgets.pane_geometry import VIEW_EXTRA, heading, list_width

    inner = width - 2  # the pane's border
    listed = list_width(inner)
    columns = inner - VIEW_EXTRA - listed
    rows = height - 6  # the border, the heading, the border, the three bars
    # the paragraphs of the first screenful are wrapped alone: as many rows at most
    end = text.find("\n", rows * (columns + 1))
    layout = ArticleLayout(text if end < 0 else text[:end])
    layout.wrap(columns)
    overflows = end >= 0 or len(layout.row_starts) > rows

    def sgr(fg: str | None, bg: str, *extra: int) -> str:
        codes = [str(n) for n in extra]
        for name, base in ((fg, 38), (bg, 48)):
            if name is None:
                codes.append(str(base + 1))
            elif system == "truecolor":
                codes.append(f"{base};2;" + ";".join(map(str, COLOURS[name][0])))
            else:
                codes.append(f"{base};5;{COLOURS[name][1]}")
        return "\x1b[0;" + ";".join(codes) + "m"

    plain, border = sgr("text", "background"), sgr("border", "background")
    shown = heading(None, source, len(text), width - 4)
    lines = [border + "╭" + "─" * inner + "╮",
             border + "│" + sgr(None, "background") + " " + sgr("text", "background", 1)
             + shown + plain + " " * (inner - 1 - cell_len(shown)) + border + "│"]
    for row in range(rows):
        cells = [border + "│", plain + " "]
        used = 0
        if row < len(layout.row_starts):
            for _offset, piece, is_placeholder in layout.clusters(layout.row_starts[row],
                                                                 layout.row_ends[row]):
                style = sgr("placeholder", "background", 1) if is_placeholder else plain
                cells.append(style + piece)
                used += cell_len(piece)
        cells.append(plain + " " * (columns - used))
        cells.append(sgr(None, "scrollbar" if overflows else "background") + " ")
        cells.append(plain + " ")
        if listed:
            cells.append(sgr("rule", "background") + "▏" + plain + " " * (listed - 1))
        cells.append(border + "│")
        lines.append("".join(cells))
    lines.append(border + "╰" + "─" * inner + "╯")
    lines += [sgr("text", bar) + " " * width for bar in BARS]
    # synchronized: terminals that know the mode show the paint whole
    return ("\x1b[?2026h" + ALT_SCREEN + "\x1b[?25l\x1b[?7l"
            + "".join(f"\x1b[{n};1H{line}" for n, line in enumerate(lines, start=1))
            + "\x1b[0m\x1b[?2026l")


# -- handing over ------------------------------------------------------------------------


def painted() -> str | None:
    """The id of the article painted, while Textual has not taken the terminal over."""
    return _painted.doc_id if _painted is not None and not _painted.handed else None


def hand_over() -> list[Any] | None:
    """Textual's driver has the terminal now: the mode it must restore at the end (the
    terminal's own, not the paint's), or None when nothing was painted."""
    if _painted is None:
        return None
    _painted.handed = True
    return _painted.before


def undo() -> None:
    """Back to the terminal as it was, when the command ends (or fails) before Textual has
    the terminal: the normal screen, echo, the cursor. Nothing once Textual has it."""
    if _painted is None or _painted.handed:
        return
    _painted.handed = True
    try:
        os.write(2, b"\x1b[?7h\x1b[?25h\x1b[?1049l")
        termios.tcsetattr(0, termios.TCSANOW, _painted.before)
    except (OSError, termios.error):
        pass  # the terminal is gone (a hang-up): nothing to give back


def _ended_by_signal(number: int, _frame: object) -> None:
    undo()
    signal.signal(number, signal.SIG_DFL)
    os.kill(os.getpid(), number)
