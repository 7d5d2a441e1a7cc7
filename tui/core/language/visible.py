"""Strings from files and users, made safe to put on one line of a terminal.

A label, an analyst, a title, a file name or an id may hold anything a file can: ESC and
BEL, OSC sequences that set a hyperlink, C1 controls such as 0x9b (a one-byte CSI on some
terminals), bidi overrides that reorder what is shown. Wherever such a string is printed or
drawn, it goes through :func:`visible` first: every character a terminal would act on
becomes a visible placeholder, so the string is shown, never obeyed. (Rich markup is a
separate matter: data is never passed to Rich as markup, only as ``Text``.)
"""

from __future__ import annotations

import re
from typing import Any

import orjson

# Bidi embeddings, overrides and isolates, and the marks: they reorder the rest of a line.
_BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_UNSAFE = re.compile(f"[\x00-\x1f\x7f-\x9f\u2028\u2029{_BIDI}]")


def control_picture(char: str) -> str:
    """What to show instead of one unsafe character."""
    code = ord(char)
    if char in "\n\u2028\u2029":
        return "⏎"
    if char == "\t":
        return "→"
    if code < 0x20:
        return chr(0x2400 + code)  # the Unicode control pictures: ESC as ␛, BEL as ␇
    if code == 0x7F:
        return "␡"
    if code <= 0x9F:
        return "␦"
    return "·"


def visible(text: str) -> str:
    """``text`` with every terminal control shown as a placeholder (the same object back
    when there is none, which is nearly always)."""
    if _UNSAFE.search(text) is None:
        return text
    return _UNSAFE.sub(lambda m: control_picture(m.group()), text)


def has_controls(text: str) -> bool:
    """True when :func:`visible` would change ``text``."""
    return _UNSAFE.search(text) is not None


# In text formats that a person reads (CoNLL tokens, brat's covered text), a control
# character is written as a \xNN escape: the file can be shown in a terminal safely, and
# Gloss reads the escape back. Tab and line feed are the formats' own separators: never
# in a token, and kept out of brat's text by its fragments.
_ESCAPED = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_ESCAPE = re.compile(r"\\x(0[0-8]|0[bcdef]|1[0-9a-f]|7f|8[0-9a-f]|9[0-9a-f])")


def escape_controls(text: str) -> str:
    """``text`` with every control character but tab and LF written as ``\\xNN``."""
    if _ESCAPED.search(text) is None:
        return text
    return _ESCAPED.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def unescape_controls(text: str) -> str:
    """The inverse of :func:`escape_controls` (only escapes of control characters)."""
    if "\\x" not in text:
        return text
    return _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)


# JSON escapes C0 controls but orjson writes C1 controls, DEL and the bidi and line
# separators raw: valid JSON, yet a terminal may act on them. Written as \\uXXXX instead,
# the data is the same for every JSON reader.
_JSON_UNSAFE = re.compile(rb"\x7f|\xc2[\x80-\x9f]|\xd8\x9c|\xe2\x80[\x8e\x8f\xa8-\xae]"
                          rb"|\xe2\x81[\xa6-\xa9]")


# The same sequences, looked for by their first byte: one alternation over a whole export
# line scans at 7 ns a byte, these at well under one (each starts with a literal byte).
_C1 = re.compile(rb"\xc2[\x80-\x9f]")
_SEPARATORS = re.compile(rb"\xe2(?:\x80[\x8e\x8f\xa8-\xae]|\x81[\xa6-\xa9])")


# The characters whose UTF-8 the sequences above are
_UNSAFE_CHARACTERS = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]")


def terminal_unsafe(text: str) -> bool:
    """Does ``text`` hold a character :func:`terminal_safe` escapes? When it does not,
    neither does any piece of it (an export's tokens need no look)."""
    return _UNSAFE_CHARACTERS.search(text) is not None


def json_bytes(value: Any, option: int = 0) -> bytes:
    """``value`` as JSON that is also safe to show in a terminal (``option``: orjson's)."""
    return terminal_safe(orjson.dumps(value, option=option))


def terminal_safe(data: bytes) -> bytes:
    """JSON bytes (orjson's) with what a terminal would act on escaped: :func:`json_bytes`
    of a value whose JSON was made already, or made in pieces (each a whole value)."""
    # each sequence looked for only where its first byte is (one memchr): most lines have
    # no C1 lead byte, and the two-byte search alone costs as much as the rest
    if (b"\x7f" not in data and (b"\xd8" not in data or b"\xd8\x9c" not in data)
            and (b"\xc2" not in data or _C1.search(data) is None)
            and (b"\xe2" not in data or _SEPARATORS.search(data) is None)):
        return data
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group().decode()):04x}".encode(), data)
