"""The reader's panes: one or two articles side by side, and which one has the focus.

Each :class:`ArticlePane` is an article's heading over its view and its span list. The
pane keeps the article at least ``MIN_TEXT`` columns wide: the span list narrows to what
is left, folds away when too little is, and ``fold_spans`` folds or unfolds it by hand.
:class:`Panes` opens, replaces and closes panes, holding each article's model from the
registry while a pane shows it (one article in two panes is one model).
"""

from __future__ import annotations

from collections.abc import Callable

from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.signal import Signal
from textual.widgets import Static

from tui.core.editing.article_model import ArticleModel, ModelRegistry
from tui.core.editing.suggestions import ArticleSuggestions, Suggestions
from tui.core.language.visible import visible
from tui.widgets.article.article_view import ArticleView
from tui.widgets.lists.span_list import SpanList
from tui.widgets.palette import Palette
from tui.widgets.pane_geometry import heading, list_width


class ArticlePane(Vertical):
    def __init__(self, model: ArticleModel, palette: Palette, release: ModelRegistry,
                 analyst: str | None = None, suggestions: Suggestions | None = None) -> None:
        """``analyst``: show only that analyst's spans (one version of the article);
        ``suggestions``: the session's, to show this article's (None: none)."""
        super().__init__(classes="pane")
        self.model = model
        self.doc_id = model.doc_id
        self.analyst = analyst
        self._suggestions = suggestions
        self.suggested: ArticleSuggestions | None = \
            suggestions.open(model) if suggestions is not None else None
        self.view = ArticleView(model, palette, analyst, suggested=self.suggested)
        self.spans = SpanList(model, palette, analyst, suggested=self.suggested)
        self.shown: bool | None = None  # the span list: None while it fits, else by hand
        self._registry = release
        document = model.document
        # The title is most often the text's first line, shown just below: the heading
        # says where the article comes from instead (and whose version it is).
        self.source = visible(str(document.meta.get("source") or document.meta.get("url")
                                  or document.title))
        self.heading = heading(self.analyst, self.source, len(model.text))

    @property
    def title(self) -> str:
        return self.model.document.title

    def compose(self) -> ComposeResult:
        yield Static(self.heading, classes="pane-title", markup=False)
        with Horizontal(classes="pane-body"):
            yield self.view
            yield self.spans

    def on_mount(self) -> None:
        self.view.moved.subscribe(self, self._follow_span, immediate=True)

    def on_unmount(self) -> None:
        self._registry.release(self.model)
        if self._suggestions is not None and self.suggested is not None:
            self._suggestions.release(self.suggested)

    def _follow_span(self, view: ArticleView) -> None:
        span = self.model.get(view.caret.span_id) if view.caret.span_id else None
        if span is not None and self.spans.display:
            self.spans.follow(span)

    def on_resize(self, event: events.Resize) -> None:
        self.fit()
        shown = heading(self.analyst, self.source, len(self.model.text),
                        event.size.width - 4)  # the border and the padding
        if shown != self.heading:
            self.heading = shown
            self.query_one(".pane-title", Static).update(shown)

    def fold(self, shown: bool | None = None) -> None:
        """Fold the span list away or bring it back (by default: the other of the two)."""
        self.shown = (not self.spans.display) if shown is None else shown
        self.fit()

    def fit(self, width: int | None = None) -> None:
        """The span list takes what the article's 50 columns leave, up to its own width; it
        folds away when that is too little, unless it was asked for by hand. ``width``:
        the pane's, when it is not laid out yet."""
        inner = self.content_region.width if width is None else width - 2  # the border
        width = list_width(inner, self.shown)
        self.spans.display = shown = width > 0
        if shown and self.spans.styles.width != width:
            self.spans.styles.width = width


class Panes(Horizontal):
    def __init__(self, registry: ModelRegistry, palette: Palette, doc_ids: list[str], *,
                 analysts: list[str | None] | None = None, id: str | None = None,
                 suggestions: Suggestions | None = None) -> None:
        """``analysts``: whose version each pane shows (None: everyone's spans);
        ``suggestions``: the session's, shown in each pane (None: none)."""
        super().__init__(id=id)
        self.suggestions = suggestions
        self.registry = registry
        self.palette = palette
        self.active: ArticlePane | None = None
        # Published, synchronously, when the focused pane's caret or article changes: the
        # status bar is redrawn in the frame of the key
        self.changed: Signal[ArticlePane] = Signal(self, "changed")
        self._first = doc_ids[:2]
        self._analysts = (analysts or [None, None])[:2]
        self._stop_observing: Callable[[], None] = lambda: None

    def compose(self) -> ComposeResult:
        for n, (doc_id, analyst) in enumerate(zip(self._first, self._analysts, strict=False)):
            # the first is focused at mount: given its class now, it is styled once, not twice
            yield self.make(doc_id, analyst).set_class(n == 0, "-active", update=False)

    @property
    def panes(self) -> list[ArticlePane]:
        return list(self.query_children(ArticlePane))

    @property
    def pane(self) -> ArticlePane:
        return self.active or self.panes[0]

    def on_mount(self) -> None:
        # Sized before the first layout, so a large article is wrapped once, at its width
        for pane in self.panes:
            pane.fit(self.app.size.width // max(len(self.panes), 1))

    def make(self, doc_id: str, analyst: str | None = None) -> ArticlePane:
        return ArticlePane(self.registry.open(doc_id), self.palette, self.registry, analyst,
                           self.suggestions)

    def open(self, doc_id: str, beside: bool = False, analyst: str | None = None
             ) -> ArticlePane:
        """Show ``doc_id`` (``analyst``'s version of it) in the focused pane, or beside it
        (in the other pane if two are open already). The new pane is in place and focused
        when this returns, so the keys after the one that opened it go to it, even in a
        burst."""
        panes = self.panes
        new = self.make(doc_id, analyst)
        if not panes:
            self.mount(new)
        elif beside and len(panes) == 1:
            self.mount(new, after=panes[0])
        else:
            old = self.pane if not beside else next(p for p in panes if p is not self.pane)
            self.mount(new, before=old)
            old.remove()
        self.focus_pane(new)
        return new

    def close(self) -> bool:
        """Close the focused pane when another is open; False when it is the only one."""
        panes = self.panes
        if len(panes) < 2:
            return False
        closing = self.pane
        closing.remove()
        self.focus_pane(next(p for p in panes if p is not closing))
        return True

    def switch(self) -> bool:
        panes = self.panes
        if len(panes) < 2:
            return False
        self.focus_pane(panes[1] if self.pane is panes[0] else panes[0])
        return True

    def show_span(self, doc_id: str, span_id: str) -> bool:
        """Focus the pane showing ``doc_id`` and select its span ``span_id`` there; False
        when no pane shows it or the span is gone."""
        pane = next((p for p in self.panes if p.doc_id == doc_id), None)
        span = pane.model.get(span_id) if pane is not None else None
        if pane is None or span is None:
            return False
        self.focus_pane(pane)
        pane.view.select(span.start, span.end, at_start=True, span=span)
        return True

    def focus_pane(self, pane: ArticlePane) -> None:
        pane.view.focus()
        self._follow(pane)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        for pane in self.panes:
            if pane.has_focus_within and pane is not self.active:
                self._follow(pane)

    def _follow(self, pane: ArticlePane) -> None:
        if pane is self.active:
            return
        if self.active is not None:
            self.active.view.moved.unsubscribe(self)
        self._stop_observing()
        self.active = pane
        for other in self.panes:
            other.set_class(other is pane, "-active")
        pane.view.moved.subscribe(self, lambda view: self._changed(), immediate=True)
        stops = [pane.model.observe(lambda event: self._changed())]
        if pane.suggested is not None:
            stops.append(pane.suggested.observe(lambda event: self._changed()))
        self._stop_observing = lambda: [stop() for stop in stops] and None
        self._changed()

    def _changed(self) -> None:
        if self.active is not None:
            self.changed.publish(self.active)

    def on_unmount(self) -> None:
        self._stop_observing()
