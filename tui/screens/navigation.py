"""Where a screen asks the app to take the analyst: one message a place, handled by the app.

A screen never calls the app (nor imports it): it posts one of these, and the app, which
makes the screens and gives them the session, opens the place. Posted by more than one
screen, so kept here, beside the screens; a widget's own messages live with the widget
(``SpanList.Chosen``, ``ArticleList.Chosen``, ``BoardList.Chosen``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from textual.message import Message

Chosen = tuple[str, str]  # what the claims board gives: (article id, claim span id)


@dataclass
class OpenReader(Message):
    """Read ``doc_id`` (``order``: the articles [ and ] step through; ``show``: the id of a
    span to select once it is drawn)."""

    doc_id: str
    order: list[str]
    show: str | None = None


@dataclass
class OpenReview(Message):
    """Review ``doc_id``: two versions of it side by side; ``replace``: in place of the
    review on screen (the next article)."""

    doc_id: str
    order: list[str] | None = None
    replace: bool = False


@dataclass
class OpenBoard(Message):
    """The claims board; ``pair``: two articles open side by side, which it can set
    against each other; ``chosen`` gets the claim to show (None: none)."""

    pair: list[str] | None
    chosen: Callable[[Chosen | None], object]


@dataclass
class PickArticle(Message):
    """Let the analyst pick an article; ``chosen`` gets its id (not called on escape)."""

    title: str
    chosen: Callable[[str], object]


@dataclass
class BackToLibrary(Message):
    """Back to the library (the one below, else a new one in place of this screen)."""
