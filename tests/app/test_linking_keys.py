"""Claims with sources, in the real app: two keys to a source, another candidate, removal,
replacing, undo and redo, both panes showing one article, a burst, the actor's side, the
claims still to do."""

from pathlib import Path

import pytest

from tests.app.helpers import burst, link_bar, notices, reader_of, status, view_of
from tui.app import GlossApp
from tui.core.dataset import Dataset
from tui.core.model import Document, Span
from tui.screens.reader import ReaderScreen
from tui.widgets.lists.span_list import SpanList
from tui.widgets.panes import ArticlePane

TEXT = ("Putin spoke to business leaders on Monday. "
        "Zelensky said the talks in Riyadh were a trap, a claim U.S. envoy Steve Witkoff denied.\n"
        "Later, Witkoff told reporters: the cease-fire in Donetsk will hold.")
MARKS = [("Putin", "ACTOR"), ("Zelensky", "ACTOR"), ("Steve Witkoff", "ACTOR"),
         ("the talks in Riyadh were a trap", "CLAIM"), ("Riyadh", "LOCATION"),
         ("Witkoff told", "ACTOR"), ("the cease-fire in Donetsk will hold", "CLAIM"),
         ("Donetsk", "LOCATION")]


def span(needle: str, label: str) -> Span:
    start = TEXT.index(needle)
    end = start + len(needle.removesuffix(" told"))
    return Span.new(TEXT, start, end, label, "alice")


@pytest.fixture
def dataset(tmp_path: Path) -> Dataset:
    dataset = Dataset(tmp_path / "db", "alice")
    dataset.add_article(Document.from_text(TEXT), [span(n, label) for n, label in MARKS])
    return dataset


def doc_id() -> str:
    return Document.from_text(TEXT).id


def links_on_disk(dataset: Dataset) -> list[tuple[str, str, str]]:
    """(head text, label, child text) of every link on disk, read as another process."""
    article = Dataset(dataset.folder, "bob").article(doc_id())
    spans = {s.id: s for s in article.spans}
    return sorted((spans[r.head].text, r.label, spans[r.child].text) for r in article.relations)


def links_shown(app: GlossApp) -> list[tuple[str, str, str]]:
    model = view_of(app).model
    return sorted((model.get(r.head).text, r.label, model.get(r.child).text)
                  for r in model.relations)


def row_of(spans: SpanList, text: str) -> str:
    index = next(i for i, s in enumerate(spans.spans) if s.text == text)
    spans.scroll_to(0, 0, animate=False, immediate=True)
    return "".join(seg.text for seg in spans.render_line(index)).rstrip()


async def to_claim(pilot, claim: str = "the talks in Riyadh") -> None:
    """Put the cursor in ``claim`` (on a word of it: the claim is found under the cursor)."""
    await pilot.press("slash", *claim, "enter", "escape")


async def test_two_keys_link_the_likeliest_source_and_save_it(dataset):
    async with GlossApp(dataset, [doc_id()]).run_test(size=(140, 30)) as pilot:
        await to_claim(pilot)
        await pilot.press("w")
        assert "⏎ link “Zelensky”" in link_bar(pilot.app)  # its own sentence, nearest first
        await pilot.press("enter")
        assert links_shown(pilot.app) == [("the talks in Riyadh were a trap", "SOURCE",
                                           "Zelensky")]
        pane = reader_of(pilot.app).pane
        assert "← Zelensky" in row_of(pane.spans, "the talks in Riyadh were a trap")
        await pilot.app.session.wait()
        await pilot.pause()
        assert "saved SOURCE “Zelensky” of “the talks in Riyadh were a trap”" in \
            status(pilot.app)
    assert links_on_disk(dataset) == [("the talks in Riyadh were a trap", "SOURCE",
                                       "Zelensky")]
    claim = next(s for s in Dataset(dataset.folder, "bob").spans(doc_id()) if s.label == "CLAIM")
    assert claim.attribute("source_kind") == "actor"


async def test_tab_or_a_hint_letter_picks_another_candidate(dataset):
    async with GlossApp(dataset, [doc_id()]).run_test(size=(140, 30)) as pilot:
        await to_claim(pilot)
        await pilot.press("w", "tab")
        assert "⏎ link “Steve Witkoff”" in link_bar(pilot.app)
        await pilot.press("shift+tab", "shift+tab")  # round the end: the last
        assert "⏎ link “Witkoff”" in link_bar(pilot.app)
        await pilot.press("enter")
        assert links_shown(pilot.app)[0][2] == "Witkoff"
        await to_claim(pilot, "the cease-fire")
        await pilot.press("w", "d")  # the hint letter of the third option: linked at once
        assert ("the cease-fire in Donetsk will hold", "SOURCE", "Zelensky") in \
            links_shown(pilot.app)
        await pilot.app.session.wait()
    assert len(links_on_disk(dataset)) == 2


async def test_the_same_key_on_a_linked_claim_removes_or_replaces_the_source(dataset):
    async with GlossApp(dataset, [doc_id()]).run_test(size=(140, 30)) as pilot:
        await to_claim(pilot)
        await pilot.press("w", "enter")  # Zelensky
        await pilot.press("w")
        assert "⏎ unlink “Zelensky”" in link_bar(pilot.app)
        await pilot.press("tab")
        assert "⏎ replace with “Steve Witkoff”" in link_bar(pilot.app)
        await pilot.press("enter")
        assert links_shown(pilot.app) == [("the talks in Riyadh were a trap", "SOURCE",
                                           "Steve Witkoff")]
        await pilot.press("w", "enter")  # the source there first: enter unlinks it
        assert links_shown(pilot.app) == []
        await pilot.app.session.wait()
    assert links_on_disk(dataset) == []
    claim = next(s for s in Dataset(dataset.folder, "bob").spans(doc_id()) if s.label == "CLAIM")
    assert claim.attribute("source_kind") is None


async def test_escape_cancels_and_nothing_changes(dataset):
    async with GlossApp(dataset, [doc_id()]).run_test(size=(140, 30)) as pilot:
        await to_claim(pilot)
        before = status(pilot.app)
        await pilot.press("w", "x", "escape")  # x does not remove a span while choosing
        assert links_shown(pilot.app) == [] and len(view_of(pilot.app).model.spans) == 8
        assert status(pilot.app) == before and link_bar(pilot.app) == ""
        await pilot.press("x")  # the mode is over: x removes again
        assert len(view_of(pilot.app).model.spans) == 7


async def test_undo_and_redo_a_link_and_a_span_removed_with_its_links(dataset):
    async with GlossApp(dataset, [doc_id()]).run_test(size=(140, 30)) as pilot:
        await to_claim(pilot)
        await pilot.press("w", "enter", "p", "enter")
        assert [label for _h, label, _c in links_shown(pilot.app)] == ["ABOUT", "SOURCE"]
        await pilot.press("ctrl+z")
        assert links_shown(pilot.app) == [("the talks in Riyadh were a trap", "SOURCE",
                                           "Zelensky")]
        await pilot.press("ctrl+y")
        assert len(links_shown(pilot.app)) == 2
        await pilot.press("slash", *"Zelensky", "enter", "x")  # the actor goes, its link too
        assert [label for _h, label, _c in links_shown(pilot.app)] == ["ABOUT"]
        await pilot.app.session.wait()
        assert [label for _h, label, _c in links_on_disk(dataset)] == ["ABOUT"]
        await pilot.press("ctrl+z")  # one undo: the actor and its link
        assert len(links_shown(pilot.app)) == 2
        await pilot.app.session.wait()
    assert links_on_disk(dataset) == [
        ("the talks in Riyadh were a trap", "ABOUT", "Riyadh"),
        ("the talks in Riyadh were a trap", "SOURCE", "Zelensky")]


async def test_both_panes_showing_one_article_show_the_link(dataset):
    async with GlossApp(dataset, [doc_id(), doc_id()]).run_test(size=(200, 30)) as pilot:
        screen = pilot.app.screen
        assert isinstance(screen, ReaderScreen)
        left, right = screen.panes.panes
        await pilot.press("ctrl+w")  # the right pane: put its cursor on the claim first
        await to_claim(pilot)
        await pilot.press("ctrl+w")
        await to_claim(pilot)
        await pilot.press("w", "enter")  # linked in the left pane
        for pane in (left, right):
            assert "← Zelensky" in row_of(pane.spans, "the talks in Riyadh were a trap")
            assert marked(pane, "Zelensky")  # each view marks the source of its claim
        await pilot.press("ctrl+w", "w", "enter")  # unlinked in the right one
        assert "← ?" in row_of(left.spans, "the talks in Riyadh were a trap")
        assert not marked(left, "Zelensky")


def marked(pane: ArticlePane, word: str) -> bool:
    """Is ``word`` drawn as linked (the teal of links) in ``pane``'s view?"""
    view = pane.view
    start = view.text.index(word)
    row, _column = view.layout_.locate(start)
    linked = view.get_component_rich_style("article-view--linked", partial=True).bgcolor
    offset = view.layout_.row_starts[row]
    for segment in view.render_line(row - view.scroll_offset.y):
        if offset <= start < offset + len(segment.text):
            return segment.style is not None and segment.style.bgcolor == linked
        offset += len(segment.text)
    return False


async def test_the_cursor_on_a_source_marks_its_claims(dataset):
    async with GlossApp(dataset, [doc_id()]).run_test(size=(140, 30)) as pilot:
        await to_claim(pilot)
        await pilot.press("w", "enter")
        pane = reader_of(pilot.app).pane
        await pilot.press("slash", *"Zelensky", "enter")
        assert marked(pane, "the talks")
        await pilot.press("ctrl+home")
        assert not marked(pane, "the talks") and not marked(pane, "Zelensky")


async def test_linking_from_the_actor_and_the_location_side(dataset):
    async with GlossApp(dataset, [doc_id()]).run_test(size=(140, 30)) as pilot:
        await pilot.press("slash", *"Later, Witkoff", "enter", "escape")
        await pilot.press("w")  # an actor: the claim after it, in its sentence
        assert "⏎ link “the cease-fire in Donetsk will hold”" in link_bar(pilot.app)
        await pilot.press("enter")
        await pilot.press("slash", *"Riyadh", "enter")  # a location inside a claim
        await pilot.press("p", "enter")
        assert links_shown(pilot.app) == [
            ("the cease-fire in Donetsk will hold", "SOURCE", "Witkoff"),
            ("the talks in Riyadh were a trap", "ABOUT", "Riyadh")]


async def test_a_burst_of_keys_lands_in_order(dataset):
    async with GlossApp(dataset, [doc_id()]).run_test(size=(140, 30)) as pilot:
        await to_claim(pilot)
        burst(pilot.app, ["w", "tab", "enter", "p", "enter", "t", "w", "escape", "t"])
        await pilot.pause()
        await pilot.app.session.wait()
        assert links_shown(pilot.app) == [
            ("the talks in Riyadh were a trap", "ABOUT", "Riyadh"),
            ("the talks in Riyadh were a trap", "SOURCE", "Steve Witkoff")]
        view = view_of(pilot.app)  # t went to the one claim to do, twice, round the end
        assert TEXT[slice(*view.selection)] == "the cease-fire in Donetsk will hold"
    assert len(links_on_disk(dataset)) == 2


async def test_the_status_line_counts_the_claims_to_do_and_t_walks_them(dataset):
    async with GlossApp(dataset, [doc_id()]).run_test(size=(140, 30)) as pilot:
        await pilot.pause()
        assert "2 to do" in status(pilot.app)
        await pilot.press("t")
        view = view_of(pilot.app)
        assert TEXT[slice(*view.selection)] == "the talks in Riyadh were a trap"
        await pilot.press("m", "s")  # source_kind: journalist
        assert "1 to do" in status(pilot.app)
        await pilot.press("t", "t")
        assert TEXT[slice(*view.selection)] == "the cease-fire in Donetsk will hold"
        await pilot.press("w", "enter")
        assert "to do" not in status(pilot.app)
        await pilot.press("t")
        assert "no claim to do" in notices(pilot.app)[-1]
