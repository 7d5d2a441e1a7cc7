"""What the benchmarks share: an app that says when a frame is shown, and a line of
figures (median, min, max) for a list of timings."""

from __future__ import annotations

import asyncio
import statistics

from tui.app import GlossApp


class TimedApp(GlossApp):
    """Gloss, setting ``frame`` each time a frame has been handed to the terminal."""

    frame: asyncio.Event

    def post_display_hook(self) -> None:
        self.frame.set()
        super().post_display_hook()


def line(name: str, values: list[float], width: int = 44, p95: bool = False) -> str:
    """``name`` and the timings in ms: median (p95), min, max and how many."""
    values = sorted(values)
    high = values[min(len(values) - 1, int(len(values) * 0.95))]
    shown = f"  p95 {high * 1000:7.1f} ms" if p95 else ""
    return (f"{name:<{width}} median {statistics.median(values) * 1000:7.1f} ms{shown}  (min "
            f"{values[0] * 1000:.1f}, max {values[-1] * 1000:.1f}, n={len(values)})")
