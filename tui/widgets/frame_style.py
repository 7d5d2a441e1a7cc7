"""A scroll view drawn a line at a time whose lines all take its style once a frame."""

from __future__ import annotations

from rich.style import Style
from textual.geometry import Region
from textual.scroll_view import ScrollView
from textual.strip import Strip


class FrameStyle(ScrollView):
    """``line_style`` is the widget's ``rich_style`` read once for each frame's lines, not
    at every line: Textual works it out from every ancestor's styles at each reading
    (0.16 ms), and the article and the span list read it for each of their rows, 13 ms of
    a frame of the 1 MB article. Outside a frame (a test drawing one line) it is read as
    it is."""

    _frame_style: Style | None = None

    @property
    def line_style(self) -> Style:
        return self._frame_style if self._frame_style is not None else self.rich_style

    def render_lines(self, crop: Region) -> list[Strip]:
        self._frame_style = self.rich_style
        try:
            return super().render_lines(crop)
        finally:
            self._frame_style = None
