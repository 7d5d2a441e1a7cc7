"""What the app tests share: a reader on a small dataset, and what the analyst sees."""

from __future__ import annotations

from textual import events

from tui.app import GlossApp
from tui.core.dataset import Dataset
from tui.screens.reader import ReaderScreen
from tui.widgets.article.article_view import ArticleView
from tui.widgets.bars.legend import Legend
from tui.widgets.bars.status_bar import StatusBar


def reader_of(app: GlossApp) -> ReaderScreen:
    screen = app.screen
    assert isinstance(screen, ReaderScreen)
    return screen


def view_of(app: GlossApp) -> ArticleView:
    return reader_of(app).view


def status(app: GlossApp) -> str:
    return app.screen.query_one(StatusBar).plain


def link_bar(app: GlossApp) -> str:
    """What the link bar says while a link key chooses, its lines one after the other
    ("" when it is closed)."""
    lines = (app.screen.query_one(Legend).mode_plain, app.screen.query_one(StatusBar).mode_plain)
    return "\n".join(line for line in lines if line)


def notices(app: GlossApp) -> list[str]:
    """The notifications shown so far (Textual keeps them on the app)."""
    return [n.message for n in app._notifications]


def spans(app: GlossApp) -> list[tuple[str, str]]:
    return [(s.text, s.label) for s in view_of(app).model.spans]


def on_disk(dataset: Dataset, doc_id: str) -> list[tuple[str, str]]:
    """(text, label) of every span on disk, read fresh as another process would."""
    return [(s.text, s.label) for s in Dataset(dataset.folder, "someone-else").spans(doc_id)]


def burst(app: GlossApp, keys: list[str]) -> None:
    """Post ``keys`` all at once, as a paste or SSH delivers them: no waiting in between."""
    names = {"/": "slash", "-": "minus", " ": "space", "=": "equals_sign", "'": "apostrophe",
             '"': "quotation_mark"}
    for key in keys:
        name = names.get(key, key)
        character = key if len(key) == 1 else ({"slash": "/"}.get(key))
        app.post_message(events.Key(name, character))
