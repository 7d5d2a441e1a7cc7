"""A filterable list of articles: the library, and the pickers of `s` and `o`.

Type to filter (title words, a status: todo, done, skipped, reviewed; an analyst who
marked it done); enter posts :class:`ArticleList.Chosen` with the article's id. Titles are
data: shown literally, with terminal controls as placeholders.
"""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input

from tui.core.store.dataset import ArticleSummary
from tui.widgets.lists.article_list import ArticleList


class FilterBox(Input):
    """The filter: ``q`` in an empty filter quits, as everywhere else in Gloss."""

    async def on_key(self, event: events.Key) -> None:
        if event.key == "q" and not self.value:
            event.prevent_default()
            event.stop()
            await self.run_action("app.quit")


def haystack(row: ArticleSummary) -> str:
    """What the filter's words are looked for in."""
    reviewed = " reviewed" if row.reviewed_by else ""
    return f"{row.title} {row.status} {' '.join(row.done_by)}{reviewed}".casefold()


def matching(haystacks: list[str], query: str) -> list[int]:
    """The indices of the haystacks that hold every word of ``query``: one pass a word,
    each over the rows the words before it left (at 100,000 rows a word is a few ms;
    ``all`` over the words of each row was 40)."""
    shown = range(len(haystacks))
    for word in query.casefold().split():
        shown = [n for n in shown if word in haystacks[n]]
    return list(shown)


class ArticleTable(Vertical):
    DEFAULT_CSS = """
    ArticleTable {
        height: 1fr;
    }

    ArticleTable #filter {
        height: 3;
        border: tall $primary-darken-1;
    }
    """

    def __init__(self, rows: list[ArticleSummary], whose: str = "yours", *,
                 id: str | None = None) -> None:
        """``whose``: the spans column's header in a team's library (``yours``, ``review``)."""
        super().__init__(id=id)
        self._rows = rows
        self._whose = whose
        self._haystacks = [haystack(row) for row in rows]

    @property
    def rows(self) -> list[ArticleSummary]:
        return self._rows

    @rows.setter
    def rows(self, rows: list[ArticleSummary]) -> None:
        self._rows, self._haystacks = rows, [haystack(row) for row in rows]

    @property
    def selected(self) -> ArticleSummary | None:
        """The article under the cursor."""
        return self.query_one(ArticleList).selected

    def compose(self) -> ComposeResult:
        yield FilterBox(placeholder="filter: words of the title, an analyst, or todo / done /"
                        " reviewed", select_on_focus=False, id="filter")
        yield ArticleList(self._rows, self._whose, id="articles")

    def on_mount(self) -> None:
        self.query_one(ArticleList).focus()

    def fill(self, query: str) -> None:
        """Show the rows whose title, status or analysts hold every word of ``query``."""
        self.query_one(ArticleList).show(self._rows, matching(self._haystacks, query))

    def on_input_changed(self, event: Input.Changed) -> None:
        self.fill(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        chosen = self.selected  # posted from here: a message a parent makes stops there
        if chosen is not None:
            self.post_message(ArticleList.Chosen(chosen.id))

    def on_key(self, event: events.Key) -> None:
        articles = self.query_one(ArticleList)
        filter_box = self.query_one(FilterBox)
        if articles.has_focus and event.character and event.character.isprintable() \
                and event.key not in ("q", "question_mark", "enter"):
            filter_box.focus()
            filter_box.value += event.character
            filter_box.cursor_position = len(filter_box.value)
            event.stop()
        elif filter_box.has_focus and event.key in ("down", "up"):
            articles.focus()
            event.stop()
