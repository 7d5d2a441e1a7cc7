"""What an article view marks for links: the spans linked to the one under the cursor (a
claim's source and places, the claims of an actor), and while a link key is choosing, the
option it has highlighted and the hint letter over each option's first character."""

from __future__ import annotations

from tui.core.article_model import ArticleModel
from tui.core.linking import Choice, partners
from tui.core.model import Span
from tui.widgets.article.article_paint import Extent


class LinkMarks:
    def __init__(self) -> None:
        self.linked: tuple[Extent, ...] = ()
        self.chosen: Extent | None = None
        self.hints: dict[int, str] = {}

    def follow(self, model: ArticleModel, span: Span | None) -> list[Extent]:
        """Mark the spans linked to ``span``; returns the extents to draw again."""
        linked = tuple(sorted((s.start, s.end) for s in partners(model, span))) \
            if span is not None else ()
        if linked == self.linked:
            return []
        changed = [*self.linked, *linked]
        self.linked = linked
        return changed

    def choose(self, choice: Choice | None) -> list[Extent]:
        """Show ``choice`` (None: no more); returns the extents to draw again."""
        before = self._extents()
        self.chosen, self.hints = None, {}
        if choice is not None:
            current = choice.current
            self.chosen = (current.start, current.end)
            for option, letter in choice.hints():
                self.hints.setdefault(option.start, letter)
        return before + self._extents()

    def _extents(self) -> list[Extent]:
        return [*([self.chosen] if self.chosen else []), *((o, o + 1) for o in self.hints)]
