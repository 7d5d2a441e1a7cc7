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
    priority: bool = False  # before the focused widget's own (tab in the review)


VIEW = "Moving and selecting (article view)"
READER = "Labelling and reading"
CLAIMS = "Claims: sources, places, names"
CHOOSING = "While a link key chooses (w, p), and in the prompt (k)"
BOARD = "Claims board (B)"
REVIEW = "Reviewing (gloss review): two versions of an article side by side"
LIBRARY = "Library and pickers"
EVERYWHERE = "Everywhere"
STATS = "Stats (ctrl+g)"

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
        Key("equals_sign,plus", "grow", "Grow the selection to the next unit: word, name with"
            " its title (or a place, without its \"the\"), clause, what follows \"that\" or a"
            " reporting verb, sentence, paragraph", "= / +", footer="Grow"),
        Key("minus", "shrink", "Shrink the selection back to what it was before the last"
            " grow", "-"),
        Key("tab", "next_span(1)", "Next span, in text order, nested ones included (the"
            " cursor goes to its start)", "tab"),
        Key("shift+tab", "next_span(-1)", "Previous span", "shift+tab"),
    ],
    READER: [
        Key("1,2,3,4,5,6,7,8,9", "label", "Label the selection, or the word under the cursor,"
            " with the label of that key (1 actor, 2 claim, 3 location); on a span's exact"
            " extent, relabel it", "1 2 3 …", footer="Label"),
        Key("a", "label_every", "Label every other place this span's text appears (whole"
            " words, same label; places already labelled are skipped): one undo", "a"),
        Key("left_curly_bracket", "resize('start', -1)", "Move the span's start a word left"
            " (a character in character mode)", "{"),
        Key("right_curly_bracket", "resize('start', 1)", "Move the span's start a word right",
            "}"),
        Key("less_than_sign", "resize('end', -1)", "Move the span's end a word left", "<"),
        Key("greater_than_sign", "resize('end', 1)", "Move the span's end a word right", ">"),
        Key("x,delete", "remove_span", "Remove the span under the cursor (the innermost, or"
            " the one tab went to)", "x / delete"),
        Key("ctrl+z", "undo", "Undo the last edit of this article (saved like any edit)",
            "ctrl+z", footer="Undo"),
        Key("ctrl+y", "redo", "Redo", "ctrl+y"),
        Key("slash", "search", "Search (enter finds, escape cancels): smart case, and \" and"
            " ' and - find curly quotes and dashes; the match becomes the selection", "/",
            footer="Search"),
        Key("n", "find(True)", "Next match", "n"),
        Key("N", "find(False)", "Previous match", "N"),
        Key("c", "toggle_char_mode", "Toggle character mode (selections do not snap to words,"
            " resizing moves by a character)", "c"),
        Key("left_square_bracket", "step(-1)", "Previous article", "["),
        Key("right_square_bracket", "step(1)", "Next article", "]"),
        Key("d", "mark('done')", "Mark the article done and open the next", "d"),
        Key("s", "side_by_side", "Open a second article side by side", "s"),
        Key("ctrl+w", "switch_pane", "Move between the two articles", "ctrl+w"),
        Key("S", "close_pane", "Close this pane (the other article stays)", "S"),
        Key("o", "open_article", "Open another article in this pane", "o"),
        Key("b", "library", "Back to the library", "b"),
        Key("l", "focus_spans", "Go to the span list (enter: go to that span)", "l"),
        Key("L", "fold_spans", "Fold or unfold the span list", "L"),
        Key("r", "retry", "Retry the saves that failed", "r"),
        Key("question_mark", "app.help", "Show every key", "?", footer="Keys"),
        Key("ctrl+p", "app.command_palette", "Command palette", "ctrl+p"),
        Key("q", "app.quit", "Quit (waits for the saves under way)", "q", footer="Quit"),
    ],
    CLAIMS: [
        Key("w", "link('SOURCE')", "Who said it: link the claim under the cursor to its"
            " source, the likeliest actor highlighted (its sentence first, then the nearest"
            " before it); enter links. On a linked claim enter unlinks and another option"
            " replaces the source; on an actor, link it to a claim", "w"),
        Key("p", "link('ABOUT')", "Place: link the claim to a place it is about (the places"
            " in it first; any number); on a location, link it to a claim", "p"),
        Key("t", "next_todo(1)", "Next claim still to do (no source and no source kind),"
            " round the end", "t"),
        Key("T", "next_todo(-1)", "Previous claim still to do", "T"),
        Key("m", "attributes", "Attributes of the span under the cursor: a letter sets a"
            " value (a claim's source kind and quote; an actor's kind, country and name), the"
            " same letter again clears it", "m"),
        Key("k", "canonical", "Known as: the name of the actor (or place) under the cursor"
            " across articles; the name it has elsewhere, or its fullest name here, is"
            " offered, the dataset's names completed as you type", "k"),
        Key("B", "claims_board", "The claims board: every claim of the dataset grouped by"
            " source, with its places, article and date", "B"),
    ],
    CHOOSING: [
        Key("enter", "", "Link the highlighted option (unlink it, when it is linked"
            " already); in the prompt, set what is typed (empty: clear it)", "enter"),
        Key("tab,shift+tab", "", "The next / previous option; in the prompt, the next /"
            " previous suggestion (↓ / ↑ too)", "tab / shift+tab"),
        Key("", "", "Link the option with that hint letter at once", "a s d f …"),
        Key("escape", "", "Cancel", "escape"),
    ],
    BOARD: [
        Key("enter", "", "Show the claim in its article", "enter"),
        Key("up,down", "", "Move in the list (page up / down, home, end too)", "↑ / ↓"),
        Key("", "", "Type to filter: words of the source's name, @ and a place, todo or"
            " sourced", "letters"),
        Key("tab", "side_by_side", "With two articles open side by side: what each source"
            " claims in the one beside the other (← → pick the side)", "tab",
            footer="Side by side"),
        Key("escape,q", "back", "Clear the filter; then back", "escape / q", footer="Back"),
        Key("question_mark", "app.help", "Show every key", "?"),
    ],
    REVIEW: [
        Key("tab", "next_difference(1)", "Next difference, round the end: both panes select"
            " it, the bar names it (only one side has it, boundaries, label, source, links or"
            " attributes differ) and says what the review holds of it", "tab", footer="Next",
            priority=True),
        Key("shift+tab", "next_difference(-1)", "Previous difference", "shift+tab",
            priority=True),
        Key("1,2", "take", "Take the left (1) or the right (2) version of the difference"
            " under the cursor into the review: its spans with their attributes and links"
            " (the review's spans like the other version's go); then the next difference",
            "1 / 2", footer="Take"),
        Key("a", "take_agreements", "Take every agreement into the review at once: the spans"
            " both versions hold alike, with the links between them (one undo)", "a",
            footer="Agreed"),
        Key("v", "against_review", "Set the left version against the review (the right pane"
            " shows the review, and its differences); again: against the right analyst", "v"),
        Key("d", "mark_reviewed", "Mark the article reviewed (the reviewer's status) and"
            " open the next", "d", footer="Reviewed"),
        Key("ctrl+z", "undo", "Undo the last edit of the review (saved like any edit)",
            "ctrl+z"),
        Key("ctrl+y", "redo", "Redo", "ctrl+y"),
        Key("left_square_bracket", "step(-1)", "Review the previous article", "["),
        Key("right_square_bracket", "step(1)", "Review the next article", "]"),
        Key("ctrl+w", "switch_pane", "Move between the two versions (the cursor keys move in"
            " the focused one)", "ctrl+w"),
        Key("r", "retry", "Retry the saves that failed", "r"),
        Key("b", "library", "Back to the library", "b"),
        Key("question_mark", "app.help", "Show every key", "?"),
        Key("ctrl+p", "app.command_palette", "Command palette", "ctrl+p"),
        Key("q", "app.quit", "Quit (waits for the saves under way)", "q", footer="Quit"),
    ],
    LIBRARY: [
        Key("enter", "open", "Open the article (in `gloss review`, review it; the palette's"
            " \"Review this article\" reviews it from any library); in an empty library,"
            " import the sample articles that come with Gloss", "enter"),
        Key("up,down", "", "Move in the list", "↑ / ↓"),
        Key("escape", "back", "Back (a picker closes, the library clears its filter)",
            "escape"),
        Key("question_mark", "app.help", "Show every key", "?"),
        Key("q", "app.quit", "Quit (in the library, when the filter is empty)", "q"),
    ],
    EVERYWHERE: [
        Key("ctrl+g", "stats", "The stats: progress per analyst, spans per label, articles"
            " by their spans, spans an hour per analyst, claims with and without a source;"
            " plots with their numbers, kept up to date as the dataset changes", "ctrl+g"),
    ],
    STATS: [
        Key("up,down", "", "Scroll (page up / down, home, end too)", "↑ / ↓"),
        Key("escape,q", "back", "Back to where you were", "escape / q", footer="Back"),
        Key("question_mark", "app.help", "Show every key", "?", footer="Keys"),
    ],
}


def bindings(group: str) -> list[Binding]:
    """Textual bindings for one group; labels keys are one binding each, with the key."""
    out = []
    for key in TABLE[group]:
        if not key.action:
            continue
        if key.action in ("label", "take"):  # one binding a key, the key its argument
            out += [Binding(k, f"{key.action}('{k}')", key.footer, show=k == "1",
                            key_display=key.shown) for k in key.keys.split(",")]
            continue
        # Textual shows ctrl+z as ^z in the footer: short enough for 80 columns
        display = None if key.shown.startswith("ctrl+") else key.shown
        out.append(Binding(key.keys, key.action, key.footer or key.description,
                           show=bool(key.footer), key_display=display, priority=key.priority))
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
