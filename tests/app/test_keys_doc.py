"""Keys are data: the bindings, the help screen, `gloss keys` and docs/keys.md come from one
table, and every binding of every screen and widget is a row of it, with an id."""

import inspect

from textual.binding import Binding
from textual.dom import DOMNode

import tui.app
from tests.conftest import ROOT
from tests.test_import_graph import modules
from tui.keymap import conflicts
from tui.keys import EVERYWHERE, SCOPES, TABLE, bindings, ids, markdown
from tui.screens.reader import ReaderScreen
from tui.screens.review import ReviewScreen
from tui.widgets.article.article_view import ArticleView


def test_docs_keys_md_is_the_table():
    assert (ROOT / "docs" / "keys.md").read_text(encoding="utf-8") == markdown(), (
        "docs/keys.md is stale: regenerate it with"
        " python -c \"from tui.keys import markdown; print(markdown(), end='')\" > docs/keys.md")


def gloss_classes() -> list[type[DOMNode]]:
    """Every screen, widget and the app that Gloss defines."""
    import importlib

    found = []
    for name in modules():
        if name.startswith(("tui.screens", "tui.widgets")) or name == "tui.app":
            module = importlib.import_module(name)
            found += [c for _n, c in inspect.getmembers(module, inspect.isclass)
                      if issubclass(c, DOMNode) and c.__module__ == name]
    return found


def test_every_binding_of_gloss_has_an_id_and_is_a_row_of_the_table():
    known = ids()
    seen = 0
    for owner in gloss_classes():
        for binding in owner.__dict__.get("BINDINGS", []):
            assert isinstance(binding, Binding), owner
            assert binding.id in known, (owner.__name__, binding.key, binding.id)
            row = known[binding.id]
            assert (binding.key, binding.action) == (row.keys, row.action)
            seen += 1
    assert seen == len(known)  # and every row is bound somewhere


def test_ids_are_unique_and_name_their_scope():
    rows = [key for keys in TABLE.values() for key in keys if key.id]
    assert len({k.id for k in rows}) == len(rows)
    for key in rows:
        assert key.scope in SCOPES and key.action, key
        assert key.id.count(".") == 1 and key.id == key.id.lower(), key.id


def test_the_table_gives_no_key_two_things_to_do_at_once():
    assert conflicts({}) == []


def test_every_key_of_the_table_is_bound_where_it_says():
    bound = {name for b in [*ReaderScreen.BINDINGS, *ArticleView.BINDINGS]
             for name in b.key.split(",")}
    for key in (k for keys in TABLE.values() for k in keys if k.scope in ("reader", "view")):
        for name in key.keys.split(","):
            assert name in bound, name
    assert {b.key for b in bindings("reader") if b.action.startswith("label(")} == \
        set("123456789")


def test_tab_in_the_review_comes_before_the_views():
    bound = {name: b for b in ReviewScreen.BINDINGS for name in b.key.split(",")}
    assert bound["tab"].priority and bound["shift+tab"].priority  # the view binds tab too
    assert (bound["1"].action, bound["2"].action) == ("take('1')", "take('2')")


def test_the_app_binds_the_rows_that_work_everywhere():
    own = {b.id for b in tui.app.GlossApp.BINDINGS if isinstance(b, Binding)}
    assert own == {k.id for k in TABLE[EVERYWHERE]}
