"""A child process that saves claims, their sources and places, and what is said of them,
as the reader's save queue does, until it is killed: used by ``test_link_durability.py``.

    python link_saver.py FOLDER DOC_ID

It imports Gloss once, then for each seed read on stdin forks a saver (a fresh process
costs a tenth of a second to import Gloss; a fork, a millisecond). The saver opens the
dataset afresh, as a restarted app would, and writes to stdout, one whole line a write:
``pid N`` first, then for each step ``? STEP`` (JSON) before it starts and ``ok`` once
it returned. When the saver has died (killed, most often) this process writes ``end``
and its wait status.
"""

from __future__ import annotations

import os
import random
import sys
import traceback
from typing import Any

import orjson

from tui.core.document.model import Relation, Span
from tui.core.document.schema import ABOUT, SOURCE
from tui.core.store.dataset import Dataset

MOST_STEPS = 100_000  # a saver nobody kills stops by itself
CROWDED = 120  # spans: past this, removing is likelier (a save rewrites the whole file)


def say(line: bytes) -> None:
    os.write(1, line + b"\n")  # one write, under PIPE_BUF: a line is whole or not there


class Saver:
    def __init__(self, dataset: Dataset, doc_id: str, rng: random.Random) -> None:
        self.dataset, self.doc_id, self.rng = dataset, doc_id, rng
        article = dataset.article(doc_id)
        self.text = article.document.text
        self.spans = {s.id: s for s in article.spans}
        self.links = {r.id: r for r in article.relations}

    def step(self, what: dict[str, Any], save) -> None:
        say(b"? " + orjson.dumps(what))
        save()
        say(b"ok")

    def save_span(self, span: Span) -> Span:
        self.step({"span": span.to_record()},
                  lambda: self.dataset.save_span(self.doc_id, span))
        self.spans[span.id] = span
        return span

    def save_link(self, relation: Relation) -> None:
        self.step({"link": relation.to_record()},
                  lambda: self.dataset.save_relation(self.doc_id, relation))
        self.links[relation.id] = relation

    def unlink(self, relation: Relation) -> None:
        self.step({"unlink": relation.id},
                  lambda: self.dataset.remove_relation(self.doc_id, relation.id))
        del self.links[relation.id]
        claim = self.spans.get(relation.head)
        if relation.label == SOURCE and claim is not None:
            self.save_span(claim.with_attribute("source_kind", None))

    def remove(self, span: Span) -> None:
        self.step({"remove": span.id}, lambda: self.dataset.remove_span(self.doc_id, span.id))
        del self.spans[span.id]
        for link in [r for r in self.links.values() if span.id in (r.head, r.child)]:
            del self.links[link.id]

    def new_span(self, label: str, **attributes: str) -> Span:
        """A span of ``label`` where none of that label is (save_span would return the one
        there, under another id)."""
        taken = {(s.start, s.end, s.label) for s in self.spans.values()}
        while True:
            start = self.rng.randrange(len(self.text) - 30)
            end = start + self.rng.randint(3, 30)
            if (start, end, label) not in taken:
                break
        span = Span.new(self.text, start, end, label, self.dataset.annotator)
        for name, value in attributes.items():
            span = span.with_attribute(name, value)
        return span

    def claim_with_source(self) -> None:
        """As the reader saves ``w`` on a new claim: the claim, its actor, the claim's
        source_kind, then the link."""
        n = self.rng.randrange(1000)
        claim = self.save_span(self.new_span("CLAIM", quote="direct"))
        actor = self.save_span(self.new_span("ACTOR", canonical=f"Actor {n}", kind="person",
                                             country="UA"))
        claim = self.save_span(claim.with_attribute("source_kind", "actor"))
        self.save_link(Relation(claim.id, actor.id, SOURCE, self.dataset.annotator))

    def some(self, label: str) -> Span | None:
        spans = sorted((s for s in self.spans.values() if s.label == label),
                       key=lambda s: s.id)
        return self.rng.choice(spans) if spans else None

    def anything(self) -> None:
        roll = self.rng.random()
        claim = self.some("CLAIM")
        if len(self.spans) > CROWDED and roll < 0.5:
            self.remove(self.spans[self.rng.choice(sorted(self.spans))])
        elif roll < 0.35 or claim is None:
            self.claim_with_source()
        elif roll < 0.55:
            place = self.save_span(self.new_span("LOCATION", canonical="Riyadh",
                                                 country="SA"))
            self.save_link(Relation(claim.id, place.id, ABOUT, self.dataset.annotator))
        elif roll < 0.7 and self.links:
            self.unlink(self.links[self.rng.choice(sorted(self.links))])
        elif roll < 0.8:
            self.remove(self.spans[self.rng.choice(sorted(self.spans))])
        else:
            self.save_span(claim.with_attribute("quote", self.rng.choice(
                ("direct", "indirect", "none"))))

    def run(self) -> None:
        self.claim_with_source()  # a link in every run, for the test to wait for
        for _ in range(MOST_STEPS):
            self.anything()


def main() -> None:
    folder, doc_id = sys.argv[1], sys.argv[2]
    for line in sys.stdin:
        pid = os.fork()
        if pid == 0:
            status = 1
            try:
                say(f"pid {os.getpid()}".encode())
                Saver(Dataset(folder, "alice"), doc_id, random.Random(int(line))).run()
                status = 0
            except BaseException:
                traceback.print_exc()
            finally:
                os._exit(status)  # never back into this loop
        _pid, status = os.waitpid(pid, 0)
        say(f"end {status}".encode())  # a wait status: 9 once killed


if __name__ == "__main__":
    main()
