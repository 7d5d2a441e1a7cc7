"""The article view's keys that grow the selection through the units of news text (word,
name with its title, clause, sentence, paragraph: ``tui/core/editing/units.py``) and shrink
it back."""

from __future__ import annotations

from typing import Protocol

from tui.core.editing import units
from tui.core.language import names
from tui.widgets.article.caret import Caret


class ArticleView(Protocol):
    """What growing moves in the article view (typed here, not imported: the view imports
    this module)."""

    text: str
    caret: Caret

    def select(self, start: int, end: int, at_start: bool = False) -> None: ...
    def move_to(self, offset: int) -> None: ...
    def notify(self, message: str) -> object: ...


class GrowKeys:
    """Mixed into the article view, whose caret it grows and shrinks."""

    def action_grow(self: ArticleView) -> None:
        """The next larger unit: word, name with its title, clause, sentence, paragraph."""
        caret = self.caret
        unit = units.grow(self.text, *(caret.selection or (caret.cursor, caret.cursor)))
        if unit is None:
            self.notify("nothing larger to select here")
            return
        grown = [*caret.grown, caret.selection]
        self.select(*unit)
        caret.grown = grown

    def action_shrink(self: ArticleView) -> None:
        """Back to the selection before the last grow."""
        grown = list(self.caret.grown)
        if not grown:
            self.notify("nothing to shrink: = grows the selection first")
            return
        previous = grown.pop()
        if previous is None:
            word = names.word_at(self.text, self.caret.cursor)
            self.move_to(word[1] if word else self.caret.cursor)
        else:
            self.select(*previous)
        self.caret.grown = grown
