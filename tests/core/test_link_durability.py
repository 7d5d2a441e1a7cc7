"""Links survive SIGKILL like spans: a process saving claims, their sources and places and
what is said of them is killed at random moments, over and over; after each kill the
article file reads whole, no link names a span that is gone, and the file holds exactly
what the saves that returned made (and the one under way, all or nothing)."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from tui.core.document.model import Document, Relation, Span
from tui.core.document.schema import ABOUT, SOURCE
from tui.core.store.dataset import Dataset

SAVER = Path(__file__).with_name("link_saver.py")
TEXT = ("Zelensky said the talks in Riyadh were a trap, a claim U.S. envoy Steve Witkoff "
        "denied. Later, Witkoff told reporters the cease-fire in Donetsk will hold. ") * 3
KILLS = 40


@dataclass
class Held:
    """What an article holds, as compared here: spans by id (extent, label, attributes)
    and links by id (head, child, label)."""

    spans: dict[str, tuple[Any, ...]] = field(default_factory=dict)
    links: dict[str, tuple[str, str, str]] = field(default_factory=dict)

    @classmethod
    def on_disk(cls, folder: Path, doc_id: str) -> Held:
        article = Dataset(folder, "bob").article(doc_id)  # read_article: checked whole
        held = cls({s.id: cls.span(s) for s in article.spans},
                   {r.id: r.key for r in article.relations})
        for head, child, _label in held.links.values():
            assert head in held.spans and child in held.spans, "a link names a span gone"
        return held

    @staticmethod
    def span(span: Span) -> tuple[Any, ...]:
        return (span.start, span.end, span.label, span.attributes)

    def after(self, step: dict[str, Any]) -> Held:
        """What the article holds once ``step`` (a line of the saver's) is saved."""
        spans, links = dict(self.spans), dict(self.links)
        if "span" in step:
            span = Span.from_record(step["span"])
            spans[span.id] = self.span(span)
        elif "link" in step:
            relation = Relation.from_record(step["link"])
            links[relation.id] = relation.key
        elif "unlink" in step:
            del links[step["unlink"]]
        else:
            gone = step["remove"]
            del spans[gone]
            links = {k: v for k, v in links.items() if gone not in v[:2]}
        return Held(spans, links)


class Zygote:
    """link_saver.py: Gloss imported once, a saver forked for each run."""

    def __init__(self, folder: Path, doc_id: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, str(SAVER), str(folder), doc_id], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    def start(self, seed: int) -> int:
        assert self.process.stdin and self.process.stdout
        self.process.stdin.write(f"{seed}\n")
        self.process.stdin.flush()
        pid = self.process.stdout.readline().split()
        assert pid and pid[0] == "pid", self.errors()
        return int(pid[1])

    def lines(self):
        assert self.process.stdout
        for line in self.process.stdout:
            yield line.rstrip("\n")

    def errors(self) -> str:
        self.close()
        return self.process.stderr.read() if self.process.stderr else ""

    def close(self) -> None:
        if self.process.stdin:
            self.process.stdin.close()
        self.process.kill()
        self.process.wait()


def test_killed_at_random_moments_links_and_attributes_are_whole(tmp_path):
    rng = random.Random(20261126)
    folder = tmp_path / "annotations"
    doc = Document.from_text(TEXT)
    Dataset(folder, "alice").add_article(doc)
    held = Held.on_disk(folder, doc.id)
    zygote = Zygote(folder, doc.id)
    saved = {"spans": 0, SOURCE: 0, ABOUT: 0, "unlinks": 0, "removals": 0}
    try:
        for seed in range(KILLS):
            pid = zygote.start(seed)
            under_way: dict[str, Any] | None = None
            killed = False
            for line in zygote.lines():
                if line.startswith("end "):
                    assert killed and line == f"end {int(signal.SIGKILL)}", zygote.errors()
                    break
                if line.startswith("? "):
                    under_way = orjson.loads(line[2:])
                    continue
                assert line == "ok" and under_way is not None, line
                held = held.after(under_way)
                count(saved, under_way)
                if not killed and "link" in under_way:  # the run's first link: soon, kill
                    time.sleep(rng.uniform(0, 0.03))
                    os.kill(pid, signal.SIGKILL)
                    killed = True
                under_way = None
            disk = Held.on_disk(folder, doc.id)
            if under_way is not None and disk != held:  # killed mid-save: all of it or none
                held = held.after(under_way)
            assert disk == held
    finally:
        zygote.close()
    assert saved[SOURCE] >= KILLS and saved["spans"] > 3 * KILLS
    assert not list(folder.glob(".*.tmp"))  # each open cleared what the kill before left


def count(saved: dict[str, int], step: dict[str, Any]) -> None:
    if "span" in step:
        saved["spans"] += 1
    elif "link" in step:
        saved[step["link"]["label"]] += 1
    elif "unlink" in step:
        saved["unlinks"] += 1
    else:
        saved["removals"] += 1
