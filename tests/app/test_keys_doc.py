"""Keys are data: the bindings, the help screen and docs/keys.md come from one table."""

from tests.conftest import ROOT
from tui.keys import CLAIMS, READER, TABLE, VIEW, bindings, markdown
from tui.screens.reader import ReaderScreen
from tui.widgets.article_view import ArticleView


def test_docs_keys_md_is_the_table():
    assert (ROOT / "docs" / "keys.md").read_text(encoding="utf-8") == markdown(), (
        "docs/keys.md is stale: regenerate it with"
        " python -c \"from tui.keys import markdown; print(markdown(), end='')\" > docs/keys.md")


def test_every_key_of_the_table_is_bound():
    bound = {name for b in [*ReaderScreen.BINDINGS, *ArticleView.BINDINGS]
             for name in b.key.split(",")}
    for group in (READER, CLAIMS, VIEW):
        for key in TABLE[group]:
            for name in key.keys.split(","):
                assert name in bound, name
    assert {b.key for b in bindings(READER) if b.action.startswith("label(")} == set("123456789")


def test_the_keys_of_every_screen_and_of_the_app_are_bound():
    from tui.app import GlossApp
    from tui.keys import EVERYWHERE, STATS
    from tui.screens.stats import StatsScreen

    for group, owner in ((EVERYWHERE, GlossApp), (STATS, StatsScreen)):
        bound = {name for b in owner.BINDINGS for name in b.key.split(",")}
        for key in TABLE[group]:
            if key.action:
                assert set(key.keys.split(",")) <= bound, key.keys
