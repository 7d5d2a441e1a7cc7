"""Every key of Gloss in one table: it makes the bindings, the help screen and docs/keys.md,
so the three never disagree."""

from __future__ import annotations

from dataclasses import dataclass

from textual.binding import Binding


@dataclass(frozen=True, slots=True)
class Key:
    keys: str  # Textual key names, comma separated
    action: str
    description: str
    shown: str  # how the help names the key
    footer: str = ""  # a short name in the footer; empty: not in the footer


VIEW = "Moving and selecting (article view)"
READER = "Labelling and reading"
LIBRARY = "Library and pickers"

TABLE: dict[str, list[Key]] = {
    VIEW: [
        Key("left", "move('left')", "Cursor left by one character", "←"),
        Key("right", "move('right')", "Cursor right by one character", "→"),
        Key("up", "move('up')", "Cursor up a row", "↑"),
        Key("down", "move('down')", "Cursor down a row", "↓"),
        Key("ctrl+left", "move('word_left')", "Cursor to the previous word start", "ctrl+←"),
        Key("ctrl+right", "move('word_right')", "Cursor to the next word end", "ctrl+→"),
        Key("home", "move('home')", "Start of the row", "home"),
        Key("end", "move('end')", "End of the row", "end"),
        Key("ctrl+home", "move('top')", "Start of the article", "ctrl+home"),
        Key("ctrl+end", "move('bottom')", "End of the article", "ctrl+end"),
        Key("pageup", "move('page_up')", "Up a page", "page up"),
        Key("pagedown", "move('page_down')", "Down a page", "page down"),
        Key("shift+left", "move('left', True)", "Select a character left", "shift+←"),
        Key("shift+right", "move('right', True)", "Select a character right", "shift+→"),
        Key("shift+up", "move('up', True)", "Select a row up", "shift+↑"),
        Key("shift+down", "move('down', True)", "Select a row down", "shift+↓"),
        Key("ctrl+shift+left", "move('word_left', True)", "Select to the previous word start",
            "ctrl+shift+←"),
        Key("ctrl+shift+right", "move('word_right', True)", "Select to the next word end",
            "ctrl+shift+→"),
        Key("shift+home", "move('home', True)", "Select to the row start", "shift+home"),
        Key("shift+end", "move('end', True)", "Select to the row end", "shift+end"),
        Key("escape", "clear_selection", "Clear the selection", "escape"),
    ],
    READER: [
        Key("1,2,3,4,5,6,7,8,9", "label", "Label the selection, or the word under the cursor,"
            " with the label of that key (1 actor, 2 claim, 3 location); on a span's exact"
            " extent, relabel it", "1 2 3 …", footer="Label"),
        Key("x,delete", "remove_span", "Remove the innermost span under the cursor",
            "x / delete", footer="Remove"),
        Key("ctrl+z", "undo", "Undo the last edit (saved like any edit)", "ctrl+z", footer="Undo"),
        Key("ctrl+y", "redo", "Redo", "ctrl+y"),
        Key("tab", "next_span", "Cursor to the next span", "tab"),
        Key("shift+tab", "previous_span", "Cursor to the previous span", "shift+tab"),
        Key("slash", "search", "Search (enter finds, escape cancels); the match becomes the"
            " selection", "/", footer="Search"),
        Key("n", "next_match", "Next match", "n"),
        Key("N", "previous_match", "Previous match", "N"),
        Key("c", "toggle_char_mode", "Toggle character mode (selections do not snap to words)",
            "c"),
        Key("left_square_bracket", "previous_article", "Previous article", "["),
        Key("right_square_bracket", "next_article", "Next article", "]"),
        Key("d", "mark_done", "Mark the article done and open the next", "d", footer="Done"),
        Key("s", "side_by_side", "Open a second article side by side", "s", footer="Beside"),
        Key("ctrl+w", "switch_pane", "Move between the two articles", "ctrl+w"),
        Key("o", "open_article", "Open another article in this pane", "o"),
        Key("l", "focus_spans", "Go to the span list (enter: go to that span)", "l"),
        Key("r", "retry", "Retry the saves that failed", "r"),
        Key("question_mark", "app.help", "Show every key", "?", footer="Keys"),
        Key("ctrl+p", "app.command_palette", "Command palette", "ctrl+p"),
        Key("q", "app.quit", "Quit (everything is already saved)", "q", footer="Quit"),
    ],
    LIBRARY: [
        Key("enter", "open", "Open the article", "enter"),
        Key("up,down", "", "Move in the list", "↑ / ↓"),
        Key("escape", "back", "Back (a picker closes, the library clears its filter)",
            "escape"),
        Key("question_mark", "app.help", "Show every key", "?"),
        Key("q", "app.quit", "Quit", "q"),
    ],
}


def bindings(group: str) -> list[Binding]:
    """Textual bindings for one group; labels keys are one binding each, with the key."""
    out = []
    for key in TABLE[group]:
        if not key.action:
            continue
        if key.action == "label":
            out += [Binding(k, f"label('{k}')", key.footer, show=k == "1", key_display=key.shown)
                    for k in key.keys.split(",")]
            continue
        out.append(Binding(key.keys, key.action, key.footer or key.description,
                           show=bool(key.footer), key_display=key.shown))
    return out


def markdown() -> str:
    """docs/keys.md, generated from the table (a test keeps the file in step)."""
    lines = ["# Keys", "", "Generated from `tui/keys.py`, the one table behind the bindings"
             " and the help screen (`?`).", ""]
    for group, keys in TABLE.items():
        lines += [f"## {group}", "", "| key | does |", "|---|---|"]
        lines += [f"| `{k.shown}` | {k.description} |" for k in keys]
        lines.append("")
    lines += ["Mouse: click moves the cursor, drag selects, a double click selects a word;"
              " a click in the span list goes to that span.", ""]
    return "\n".join(lines)
