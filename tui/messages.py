"""Every message the reader's widgets and the app send each other, in one place.

Messages carry what happened; the receiver decides what to do. A widget never reads its
screen's attributes: what it needs is given to it, or comes in one of these.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from textual.message import Message

from tui.core.claim_board import ClaimRow
from tui.core.model import Span


@dataclass
class SpanChosen(Message):
    """A row of a span list was chosen (enter or a click): go to that span."""

    span: Span


@dataclass
class ArticleChosen(Message):
    """An article was picked in the library or a picker."""

    doc_id: str


@dataclass
class SaveAnswered(Message):
    """The save queue's writer thread is done with an edit: run ``answer`` on the UI."""

    answer: Callable[[], None]


@dataclass
class ClaimChosen(Message):
    """A claim of the claims board was chosen (enter or a click): show it in its article."""

    row: ClaimRow
