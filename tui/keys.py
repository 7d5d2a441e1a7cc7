"""Every key of Gloss in one table: it makes the bindings, the help screen, docs/keys.md
and `gloss keys`, so they never disagree.

Each row that is a binding has an id, ``scope.name``: the scope is where it is bound (a
screen, a widget, the app), and a keymap file names the row by it to give it other keys
(``tui/keymap.py``; Textual's ``Binding(id=...)`` and ``App.set_keymap``). A row without
an id says what a key does while a mode has the keys (a link key choosing, the prompt,
the board's filter): those are not bindings, and keep their keys.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from textual.binding import Binding
from textual.keys import format_key


@dataclass(frozen=True, slots=True)
class Key:
    id: str  # "scope.name"; empty: not a binding (a mode's key, said for the help)
    keys: str  # Textual key names, comma separated
    action: str
    description: str
    shown: str  # how the help names the key
    footer: str = ""  # a short name in the footer; empty: not in the footer
    priority: bool = False  # before the focused widget's own (tab in the review)

    @property
    def scope(self) -> str:
        return self.id.partition(".")[0]

    @property
    def named(self) -> str:
        """The id as the help and docs give it; the label keys' one a key."""
        if self.action not in EXPANDED or not self.id:
            return self.id
        keys = self.keys.split(",")
        return f"{self.id}_{keys[0]}" + (f" … _{keys[-1]}" if len(keys) > 1 else "")


VIEW = "Moving and selecting (article view)"
READER = "Labelling and reading"
CLAIMS = "Claims: sources, places, names"
SUGGESTIONS = "Suggestions (names seen, patterns, claim cues, a model)"
CHOOSING = "While a link key chooses (w, p), and in the prompt (k)"
BOARD = "Claims board (B)"
REVIEW = "Reviewing (gloss review): two versions of an article side by side"
SPANS = "Span list (l)"
LIBRARY = "Library and pickers"
EVERYWHERE = "Everywhere"
STATS = "Stats (ctrl+g)"
HELP = "This help (?)"

# Where each scope's rows are bound; the scopes whose bindings are live at once (a key
# goes to the focused widget, then up to its screen, then the app), where one key may do
# one thing only. The review's tab is a priority binding: it comes before the view's.
SCOPES = {"app": "the app", "view": "the article view", "spans": "the span list",
          "reader": "the reader", "review": "the review", "articles": "the library's list",
          "library": "the library", "picker": "a picker", "claims": "the board's list",
          "board": "the board", "stats": "the stats", "help": "the help"}
CHAINS = {"the reader": ("view", "reader", "app"), "the reader's span list": (
    "spans", "reader", "app"), "the review": ("view", "review", "app"),
    "the review's span list": ("spans", "review", "app"),
    "the library": ("articles", "library", "app"), "a picker": ("articles", "picker"),
    "the board": ("claims", "board", "app"), "the stats": ("stats", "app"),
    "the help": ("help",)}

TABLE: dict[str, list[Key]] = {
    VIEW: [
        Key("view.left", "left", "move('left')", "Cursor left by one character", "←"),
        Key("view.right", "right", "move('right')", "Cursor right by one character", "→"),
        Key("view.up", "up", "move('up')", "Cursor up a row", "↑"),
        Key("view.down", "down", "move('down')", "Cursor down a row", "↓"),
        Key("view.word_left", "ctrl+left", "move('word_left')",
            "Cursor to the previous word start", "ctrl+←"),
        Key("view.word_right", "ctrl+right", "move('word_right')",
            "Cursor to the next word end", "ctrl+→"),
        Key("view.row_start", "home", "move('home')", "Start of the row", "home"),
        Key("view.row_end", "end", "move('end')", "End of the row", "end"),
        Key("view.top", "ctrl+home", "move('top')", "Start of the article", "ctrl+home"),
        Key("view.bottom", "ctrl+end", "move('bottom')", "End of the article", "ctrl+end"),
        Key("view.page_up", "pageup", "move('page_up')", "Up a page", "page up"),
        Key("view.page_down", "pagedown", "move('page_down')", "Down a page", "page down"),
        Key("view.select_left", "shift+left", "move('left', True)",
            "Select a character left", "shift+←"),
        Key("view.select_right", "shift+right", "move('right', True)",
            "Select a character right", "shift+→"),
        Key("view.select_up", "shift+up", "move('up', True)", "Select a row up", "shift+↑"),
        Key("view.select_down", "shift+down", "move('down', True)", "Select a row down", "shift+↓"),
        Key("view.select_word_left", "ctrl+shift+left", "move('word_left', True)",
            "Select to the previous word start",
            "ctrl+shift+←"),
        Key("view.select_word_right", "ctrl+shift+right", "move('word_right', True)",
            "Select to the next word end",
            "ctrl+shift+→"),
        Key("view.select_row_start", "shift+home", "move('home', True)",
            "Select to the row start", "shift+home"),
        Key("view.select_row_end", "shift+end", "move('end', True)",
            "Select to the row end", "shift+end"),
        Key("view.clear_selection", "escape", "clear_selection", "Clear the selection", "escape"),
        Key("view.grow", "equals_sign,plus", "grow",
            "Grow the selection to the next unit: word, name with its title (or a place,"
            " without its \"the\"), clause, what follows \"that\" or a reporting verb,"
            " sentence, paragraph", "= / +", footer="Grow"),
        Key("view.shrink", "minus", "shrink",
            "Shrink the selection back to what it was before the last"
            " grow", "-"),
        Key("view.next_span", "tab", "next_span(1)",
            "Next span, in text order, nested ones included (the"
            " cursor goes to its start)", "tab"),
        Key("view.previous_span", "shift+tab", "next_span(-1)", "Previous span", "shift+tab"),
    ],
    READER: [
        Key("reader.label", "1,2,3,4,5,6,7,8,9", "label",
            "Label the selection, or the word under the cursor,"
            " with the label of that key (1 actor, 2 claim, 3 location); on a span's exact"
            " extent, relabel it", "1 2 3 …", footer="Label"),
        Key("reader.label_every", "a", "label_every",
            "Label every other place this span's text appears (whole"
            " words, same label; places already labelled are skipped): one undo", "a"),
        Key("reader.start_left", "left_curly_bracket", "resize('start', -1)",
            "Move the span's start a word left"
            " (a character in character mode)", "{"),
        Key("reader.start_right", "right_curly_bracket", "resize('start', 1)",
            "Move the span's start a word right",
            "}"),
        Key("reader.end_left", "less_than_sign", "resize('end', -1)",
            "Move the span's end a word left", "<"),
        Key("reader.end_right", "greater_than_sign", "resize('end', 1)",
            "Move the span's end a word right", ">"),
        Key("reader.remove_span", "x,delete", "remove_span",
            "Remove the span under the cursor (the innermost, or"
            " the one tab went to)", "x / delete"),
        Key("reader.undo", "ctrl+z", "undo",
            "Undo the last edit of this article (saved like any edit)",
            "ctrl+z", footer="Undo"),
        Key("reader.redo", "ctrl+y", "redo", "Redo", "ctrl+y"),
        Key("reader.search", "slash", "search",
            "Search (enter finds, escape cancels): smart case, and \" and"
            " ' and - find curly quotes and dashes; the match becomes the selection", "/",
            footer="Search"),
        Key("reader.next_match", "n", "find(True)", "Next match", "n"),
        Key("reader.previous_match", "N", "find(False)", "Previous match", "N"),
        Key("reader.char_mode", "c", "toggle_char_mode",
            "Toggle character mode (selections do not snap to words,"
            " resizing moves by a character)", "c"),
        Key("reader.previous_article", "left_square_bracket", "step(-1)", "Previous article", "["),
        Key("reader.next_article", "right_square_bracket", "step(1)", "Next article", "]"),
        Key("reader.done", "d", "mark('done')", "Mark the article done and open the next", "d"),
        Key("reader.side_by_side", "s", "side_by_side", "Open a second article side by side", "s"),
        Key("reader.switch_pane", "ctrl+w", "switch_pane",
            "Move between the two articles", "ctrl+w"),
        Key("reader.close_pane", "S", "close_pane",
            "Close this pane (the other article stays)", "S"),
        Key("reader.open_article", "o", "open_article", "Open another article in this pane", "o"),
        Key("reader.library", "b", "library", "Back to the library", "b"),
        Key("reader.span_list", "l", "focus_spans",
            "Go to the span list (enter: go to that span)", "l"),
        Key("reader.fold_spans", "L", "fold_spans", "Fold or unfold the span list", "L"),
        Key("reader.retry", "r", "retry", "Retry the saves that failed", "r"),
        Key("reader.help", "question_mark", "app.help", "Show every key", "?", footer="Keys"),
        Key("reader.palette", "ctrl+p", "app.command_palette", "Command palette", "ctrl+p"),
        Key("reader.quit", "q", "app.quit",
            "Quit (waits for the saves under way)", "q", footer="Quit"),
    ],
    CLAIMS: [
        Key("reader.link_source", "w", "link('SOURCE')",
            "Who said it: link the claim under the cursor to its"
            " source, the likeliest actor highlighted (its sentence first, then the nearest"
            " before it); enter links. On a linked claim enter unlinks and another option"
            " replaces the source; on an actor, link it to a claim", "w"),
        Key("reader.link_place", "p", "link('ABOUT')",
            "Place: link the claim to a place it is about (the places"
            " in it first; any number); on a location, link it to a claim", "p"),
        Key("reader.next_todo", "t", "next_todo(1)",
            "Next claim still to do (no source and no source kind),"
            " round the end", "t"),
        Key("reader.previous_todo", "T", "next_todo(-1)", "Previous claim still to do", "T"),
        Key("reader.attributes", "m", "attributes",
            "Attributes of the span under the cursor: a letter sets a"
            " value (a claim's source kind and quote; an actor's kind, country and name), the"
            " same letter again clears it", "m"),
        Key("reader.canonical", "k", "canonical",
            "Known as: the name of the actor (or place) under the cursor"
            " across articles; the name it has elsewhere, or its fullest name here, is"
            " offered, the dataset's names completed as you type", "k"),
        Key("reader.claims_board", "B", "claims_board",
            "The claims board: every claim of the dataset grouped by"
            " source, with its places, article and date", "B"),
    ],
    SUGGESTIONS: [
        Key("reader.accept_suggestion", "y", "accept_suggestion",
            "Accept the suggestion under the cursor (dim and underlined): it becomes a span"
            " that records its finder; a suggested claim comes with its source's link (the"
            " source made an actor if it is only suggested), and select the next suggestion."
            " One edit: ctrl+z undoes it", "y"),
        Key("reader.reject_suggestion", "u", "reject_suggestion",
            "Reject the suggestion under the cursor: kept in the article's file, never"
            " offered here again; the cursor walks on to the next", "u"),
        Key("reader.next_suggestion", "j", "step_suggestion(1)",
            "Next suggestion (selected), round the end", "j"),
        Key("reader.previous_suggestion", "J", "step_suggestion(-1)",
            "Previous suggestion", "J"),
        Key("reader.accept_every_suggestion", "Y", "accept_every_suggestion",
            "Accept every remaining suggestion of the label under the cursor, once a"
            " confirmation that says how many is answered y (any other key cancels)", "Y"),
    ],
    CHOOSING: [
        Key("", "enter", "", "Link the highlighted option (unlink it, when it is linked"
            " already); in the prompt, set what is typed (empty: clear it)", "enter"),
        Key("", "tab,shift+tab", "", "The next / previous option; in the prompt, the next /"
            " previous suggestion (↓ / ↑ too)", "tab / shift+tab"),
        Key("", "", "", "Link the option with that hint letter at once", "a s d f …"),
        Key("", "escape", "", "Cancel", "escape"),
    ],
    SPANS: [
        Key("spans.up", "up", "cursor(-1)", "The span above", "↑"),
        Key("spans.down", "down", "cursor(1)", "The span below", "↓"),
        Key("spans.page_up", "pageup", "cursor(-10)", "Ten spans up", "page up"),
        Key("spans.page_down", "pagedown", "cursor(10)", "Ten spans down", "page down"),
        Key("spans.choose", "enter", "choose", "Go to that span in the text", "enter"),
    ],
    BOARD: [
        Key("claims.choose", "enter", "choose", "Show the claim in its article", "enter"),
        Key("claims.up", "up", "cursor(-1)", "The claim above", "↑"),
        Key("claims.down", "down", "cursor(1)", "The claim below", "↓"),
        Key("claims.page_up", "pageup", "cursor(-20)", "Twenty rows up", "page up"),
        Key("claims.page_down", "pagedown", "cursor(20)", "Twenty rows down", "page down"),
        Key("claims.top", "home", "cursor(-1000000000)", "The first claim", "home"),
        Key("claims.bottom", "end", "cursor(1000000000)", "The last claim", "end"),
        Key("claims.left", "left", "column(0)", "Side by side: the left article's claim", "←"),
        Key("claims.right", "right", "column(1)", "Side by side: the right article's claim",
            "→"),
        Key("", "", "", "Type to filter: words of the source's name, @ and a place, todo or"
            " sourced", "letters"),
        Key("board.side_by_side", "tab", "side_by_side", "With two articles open side by"
            " side: what each source claims in the one beside the other (← → pick the"
            " side)", "tab", footer="Side by side"),
        Key("board.each_analyst", "ctrl+t", "each_analyst", "A team's claims: each analyst's"
            " on a row of its own, or (again) each claim once with who holds it", "ctrl+t",
            footer="Each analyst"),
        Key("board.back", "escape,q", "back", "Clear the filter; then back", "escape / q",
            footer="Back"),
        Key("board.help", "question_mark", "app.help", "Show every key", "?"),
    ],
    REVIEW: [
        Key("review.next_difference", "tab", "next_difference(1)",
            "Next difference, round the end: both panes select"
            " it, the bar names it (only one side has it, boundaries, label, source, links or"
            " attributes differ) and says what the review holds of it", "tab", footer="Next",
            priority=True),
        Key("review.previous_difference", "shift+tab", "next_difference(-1)",
            "Previous difference", "shift+tab",
            priority=True),
        Key("review.take", "1,2", "take",
            "Take the left (1) or the right (2) version of the difference"
            " under the cursor into the review: its spans with their attributes and links"
            " (the review's spans like the other version's go); then the next difference",
            "1 / 2", footer="Take"),
        Key("review.take_agreements", "a", "take_agreements",
            "Take every agreement into the review at once: the spans"
            " both versions hold alike, with the links between them (one undo)", "a",
            footer="Agreed"),
        Key("review.against_review", "v", "against_review",
            "Set the left version against the review (the right pane"
            " shows the review, and its differences); again: against the right analyst", "v"),
        Key("review.reviewed", "d", "mark_reviewed",
            "Mark the article reviewed (the reviewer's status) and"
            " open the next", "d", footer="Reviewed"),
        Key("review.undo", "ctrl+z", "undo",
            "Undo the last edit of the review (saved like any edit)",
            "ctrl+z"),
        Key("review.redo", "ctrl+y", "redo", "Redo", "ctrl+y"),
        Key("review.previous_article", "left_square_bracket", "step(-1)",
            "Review the previous article", "["),
        Key("review.next_article", "right_square_bracket", "step(1)",
            "Review the next article", "]"),
        Key("review.switch_pane", "ctrl+w", "switch_pane",
            "Move between the two versions (the cursor keys move in"
            " the focused one)", "ctrl+w"),
        Key("review.retry", "r", "retry", "Retry the saves that failed", "r"),
        Key("review.library", "b", "library", "Back to the library", "b"),
        Key("review.help", "question_mark", "app.help", "Show every key", "?"),
        Key("review.palette", "ctrl+p", "app.command_palette", "Command palette", "ctrl+p"),
        Key("review.quit", "q", "app.quit",
            "Quit (waits for the saves under way)", "q", footer="Quit"),
    ],
    LIBRARY: [
        Key("articles.choose", "enter", "choose", "Open the article (in `gloss review`, review"
            " it; the palette's \"Review this article\" reviews it from any library)",
            "enter"),
        Key("articles.up", "up", "cursor(-1)", "The article above", "↑"),
        Key("articles.down", "down", "cursor(1)", "The article below", "↓"),
        Key("articles.page_up", "pageup", "cursor(-10)", "Ten articles up", "page up"),
        Key("articles.page_down", "pagedown", "cursor(10)", "Ten articles down", "page down"),
        Key("articles.top", "home", "cursor(-1000000)", "The first article", "home"),
        Key("articles.bottom", "end", "cursor(1000000)", "The last article", "end"),
        Key("", "", "", "Type to filter: words of the title, an analyst, or todo / done /"
            " reviewed", "letters"),
        Key("library.clear_filter", "escape", "clear_filter", "Clear the filter", "escape"),
        Key("picker.close", "escape", "dismiss(None)", "Close the picker", "escape"),
        Key("library.help", "question_mark", "app.help", "Show every key", "?",
            footer="Keys"),
        Key("library.quit", "q", "app.quit", "Quit (in the library, when the filter is"
            " empty)", "q", footer="Quit"),
        # before the list's own enter, which has nothing to open; only while empty
        Key("library.import_samples", "enter", "import_samples", "In an empty library,"
            " import the sample articles that come with Gloss", "enter",
            footer="Import the samples", priority=True),
    ],
    EVERYWHERE: [
        Key("app.stats", "ctrl+g", "stats", "The stats: progress per analyst, spans per"
            " label, articles by their spans, spans an hour per analyst, claims with and"
            " without a source; plots with their numbers, kept up to date as the dataset"
            " changes", "ctrl+g"),
        Key("app.interrupt", "ctrl+c", "interrupt", "Quit, once the saves under way are"
            " written", "ctrl+c", priority=True),
    ],
    STATS: [
        Key("", "up,down", "", "Scroll (page up / down, home, end too)", "↑ / ↓"),
        Key("stats.back", "escape,q", "back", "Back to where you were", "escape / q",
            footer="Back"),
        Key("stats.help", "question_mark", "app.help", "Show every key", "?", footer="Keys"),
    ],
    HELP: [
        Key("help.close", "escape,q,question_mark", "dismiss(None)", "Close this help",
            "escape / q / ?", footer="Close"),
    ],
}

EXPANDED = ("label", "take")  # one binding a key, the key its argument: reader.label_2


def rows(keymap: Mapping[str, str] | None = None) -> dict[str, list[Key]]:
    """The table with ``keymap`` (id: keys, comma separated) applied: the keys it gives,
    shown as Textual names them (a label key given its own: its row on its own)."""
    if not keymap:
        return TABLE
    out: dict[str, list[Key]] = {}
    for group, keys in TABLE.items():
        out[group] = []
        for key in keys:
            ones = expand(key)
            if len(ones) > 1 and not any(one.id in keymap for one in ones):
                ones = [key]
            out[group] += [replace(one, keys=keymap[one.id], shown=shown(keymap[one.id]))
                           if one.id in keymap else one for one in ones]
    return out


def expand(key: Key) -> list[Key]:
    """A row as its bindings: the label keys (and the review's 1 and 2) one a key."""
    if key.action not in EXPANDED:
        return [key]
    return [replace(key, id=f"{key.id}_{k}", keys=k, action=f"{key.action}('{k}')",
                    shown=k) for k in key.keys.split(",")]


def shown(keys: str) -> str:
    """How the help names keys given in a keymap: ``ctrl+u / f5``."""
    return " / ".join(format_key(k.strip()) for k in keys.split(","))


def bindings(scope: str) -> list[Binding]:
    """The Textual bindings of one scope, each with its id (a keymap gives it its keys)."""
    out = []
    for group in TABLE.values():
        for key in group:
            if not key.action or key.scope != scope:
                continue
            if key.action in EXPANDED:
                out += [Binding(k.keys, k.action, key.footer, show=k.keys == "1",
                                key_display=key.shown, id=k.id) for k in expand(key)]
                continue
            # Textual shows ctrl+z as ^z and enter as ⏎ in the footer: short enough for 80
            # columns
            display = None if key.shown.startswith("ctrl+") or key.shown == key.keys \
                else key.shown
            out.append(Binding(key.keys, key.action, key.footer or key.description,
                               show=bool(key.footer), key_display=display,
                               priority=key.priority, id=key.id))
    return out


def ids() -> dict[str, Key]:
    """Every binding's row by its id (the label keys one a key)."""
    return {one.id: one for group in TABLE.values() for key in group if key.id
            for one in expand(key)}


def markdown() -> str:
    """docs/keys.md, generated from the table (a test keeps the file in step)."""
    lines = ["# Keys", "", "Generated from `tui/keys.py`, the one table behind the bindings,"
             " the help screen (`?`) and `gloss keys`. The id names a key in a keymap file"
             " (below); a key without an id is a mode's (a link key choosing, the prompt, a"
             " filter) and keeps its key.", ""]
    for group, keys in TABLE.items():
        lines += [f"## {group}", "", "| key | id | does |", "|---|---|---|"]
        lines += [f"| `{k.shown}` | {f'`{k.named}`' if k.id else ''} | {k.description} |"
                  for k in keys]
        lines.append("")
    lines += ["Mouse: click moves the cursor, drag selects, a double click selects a word;"
              " a click in the span list goes to that span.", "", *KEYMAP_DOC]
    return "\n".join(lines)


KEYMAP_DOC = [
    "## Your own keys: a keymap file", "",
    "A keymap file gives any key above that has an id other keys. Gloss reads the file"
    " given with `--keymap FILE`, else the one `$GLOSS_KEYMAP` names, else"
    " `$XDG_CONFIG_HOME/gloss/keymap.toml` (`~/.config/gloss/keymap.toml` when"
    " `XDG_CONFIG_HOME` is not set), if there is one. It is TOML: an id, `=`, and the keys"
    " (Textual's names: `ctrl+u`, `f5`, `question_mark` or `?`, `shift+tab`), one or a"
    " list; a table header gives the scope once for the ids under it.", "",
    "```toml", "# ~/.config/gloss/keymap.toml", "reader.undo = \"ctrl+u\"",
    "reader.label_every = [\"A\", \"f6\"]", "", "[review]",
    "take_agreements = \"g\"", "```", "",
    "The keys given replace the row's own. `gloss keys` prints every key as it is with your"
    " keymap, `gloss keys --keymap FILE` with that one. A keymap that names an id the table"
    " does not have, gives a key Textual does not know, or gives one key two things to do"
    " where both are live at once (the reader's keys and the article view's, say) is"
    " refused before anything opens, with one line: `gloss: FILE:LINE: reason`, and exit"
    " status 2.", "",
]
