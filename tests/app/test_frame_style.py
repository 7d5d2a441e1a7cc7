"""``FrameStyle``: a line-drawn widget's lines take its style as read once for the frame
(none of them reads it again), and a frame after its style changed takes the new one
(never a style kept from before)."""

from __future__ import annotations

from rich.segment import Segment
from textual.app import App, ComposeResult
from textual.geometry import Size
from textual.strip import Strip

from tui.widgets.frame_style import FrameStyle

READS: list[int] = []  # the widget's rich_style read, anywhere


class Lines(FrameStyle):
    DEFAULT_CSS = "Lines { background: red; height: 1fr; }"

    def __init__(self) -> None:
        super().__init__()
        self.virtual_size = Size(20, 100)
        self.styles_seen: set[object] = set()
        self.drawn = 0
        self.read_by_lines = 0

    def render_line(self, y: int) -> Strip:
        before = len(READS)
        style = self.line_style
        self.read_by_lines += len(READS) - before
        self.drawn += 1
        self.styles_seen.add(style.bgcolor)
        return Strip([Segment(f"line {y}", style)]).crop_extend(0, 20, style)


class Shown(App[None]):
    def compose(self) -> ComposeResult:
        yield Lines()


async def test_no_line_reads_the_style_and_each_frame_reads_it_afresh(monkeypatch) -> None:
    rich_style = FrameStyle.rich_style

    def counted(widget: FrameStyle):
        READS.append(1)
        return rich_style.fget(widget)

    monkeypatch.setattr(FrameStyle, "rich_style", property(counted))
    app = Shown()
    async with app.run_test(size=(30, 24)) as pilot:
        lines = app.query_one(Lines)
        await pilot.pause()
        assert lines.drawn >= 24 and lines.read_by_lines == 0
        red = set(lines.styles_seen)
        lines.styles_seen.clear()
        lines.styles.background = "blue"
        lines.refresh()
        await pilot.pause()
        assert lines.styles_seen and lines.styles_seen.isdisjoint(red)
        assert lines.read_by_lines == 0
    alone = Lines()  # outside a frame: read as it is
    before = len(READS)
    assert alone.line_style is not None
    assert len(READS) == before + 1
