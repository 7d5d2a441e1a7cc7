"""The article view's wrapping: all rows at once for an article up to the layout's limit,
else the first screenfuls before the first frame and the rest in steps between frames
(``ArticleLayout.wrap_more``), the scrollbar sized to the rows known (or estimated) so far.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.strip import Strip

from tui.widgets.article.article_layout import ArticleLayout

# A long article's later rows: so many a step, a row of clusters counting 100 (a key
# waits one step, some 10-30 ms, at most)
WRAP_STEP, WRAP_PAUSE = 20_000, 0.001


class WrappedView(Protocol):
    """What wrapping touches in the article view (typed here, not imported: the view
    imports this module)."""

    layout_: ArticleLayout
    _strips: LRUCache[int, Strip]
    _wrapping: bool
    virtual_size: Size

    @property
    def scrollable_content_region(self) -> Region: ...
    def set_timer(self, delay: float, callback: Callable[[], None]) -> object: ...
    def refresh(self) -> object: ...
    def _rewrap(self) -> None: ...
    def _wrap_more(self) -> None: ...
    def _sized(self) -> None: ...


class LazyWrap:
    """Mixed into the article view: its rows wrapped to its width, lazily when long."""

    _wrapping = False  # a step of wrap_more is due

    def _rewrap(self: WrappedView) -> None:
        width = self.scrollable_content_region.width
        if width <= 0:
            return
        if width != self.layout_.width:
            self.layout_.wrap(width)
            self._strips.clear()
            if not self.layout_.complete and not self._wrapping:
                self._wrapping = True
                self.set_timer(WRAP_PAUSE, self._wrap_more)
        self._sized()
        self.refresh()

    def _wrap_more(self: WrappedView) -> None:
        """A step of wrapping the rows not wrapped yet, between frames, till the last."""
        self._wrapping = not self.layout_.wrap_more(WRAP_STEP, cluster_cost=100)
        self._sized()
        if self._wrapping:
            self.set_timer(WRAP_PAUSE, self._wrap_more)

    def _sized(self: WrappedView) -> None:
        """The scrollbar to the rows there are (or estimated) now."""
        size = Size(self.scrollable_content_region.width, self.layout_.rows)
        if size != self.virtual_size:
            self.virtual_size = size
