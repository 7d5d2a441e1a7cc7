"""A search's answer (``ArticleSuggestions.offer`` in the worker, ``answered`` on the UI
thread): what is offered once it is in, whatever the analyst did while it was under way,
and the long suggestions that the lookups and the edits after it still reach."""

from __future__ import annotations

import dataclasses

from tui.core.document.edits import Edit
from tui.core.document.model import Document, Span
from tui.core.document.suggestion import Suggestion
from tui.core.editing import editor
from tui.core.editing.article_model import ArticleModel
from tui.core.editing.article_suggestions import ArticleSuggestions
from tui.core.store.dataset import Article

TEXT = ("The Ministry of Defence of the Russian Federation said Kyiv was shelled.\n"
        "Zelensky visited Kharkiv.\n")
DOC = Document.from_text(TEXT)
CLAIMS = frozenset({"CLAIM"})


def at(needle: str) -> tuple[int, int]:
    start = TEXT.index(needle)
    return start, start + len(needle)


def suggested(needle: str, label: str) -> Suggestion:
    return Suggestion(*at(needle), label, "seen-name")


MINISTRY = suggested("The Ministry of Defence of the Russian Federation", "ACTOR")
KYIV = suggested("Kyiv", "LOCATION")
KHARKIV = suggested("Kharkiv", "LOCATION")
FOUND = sorted([MINISTRY, KYIV, KHARKIV], key=lambda s: (s.start, -s.end, s.label))


def opened(*spans: Span) -> ArticleSuggestions:
    return ArticleSuggestions(ArticleModel(Article(DOC, list(spans), {}, 0), "alice"), (),
                              CLAIMS)


def answer(article: ArticleSuggestions, between=lambda: None) -> None:
    """A search asked for, ``between`` done while the worker searches, then answered."""
    request = article.request()
    offered = article.offer(request, FOUND)
    between()
    article.answered(request, FOUND, offered)


def test_a_rejection_made_while_the_search_ran_is_not_offered_by_its_answer():
    article = opened()
    answer(article, lambda: article.reject(KYIV))
    assert article.offered == [MINISTRY, KHARKIV]


def test_one_rejected_before_the_search_is_left_out_by_the_worker():
    article = opened()
    article.reject(KHARKIV)
    answer(article)
    assert article.offered == [MINISTRY, KYIV]


def test_a_long_suggestion_is_found_from_any_character_of_it():
    article = opened()
    answer(article)
    end = MINISTRY.end - 1
    assert article.overlapping(end, end + 1) == [MINISTRY]
    assert article.at(end) == MINISTRY


def test_a_span_removed_inside_a_long_suggestion_it_hid_offers_it_again():
    """The span hid the suggestion around it (an actor's); its removal, far from where the
    suggestion starts, is looked up back as far as the longest suggestion found."""
    defence = at("Defence")
    span = Span.new(TEXT, *defence, "ACTOR", "alice")
    article = opened(span)
    answer(article)
    assert MINISTRY not in article.offered
    edit = editor.remove(article.model, span)
    assert isinstance(edit, Edit)
    article.model.apply(edit)
    assert article.offered == FOUND


def test_an_edit_made_while_the_search_ran_corrects_its_answer():
    article = opened()
    model = article.model

    def labelled() -> None:
        edit = editor.label(model, *at("Kyiv"), "LOCATION")
        assert isinstance(edit, Edit)
        model.apply(edit)

    answer(article, labelled)
    assert article.offered == [MINISTRY, KHARKIV]


def test_a_search_found_again_is_answered_with_the_suggestions_already_held():
    """Equal suggestions of the next search are given as the ones held, so that taking
    its answer in frees only those that changed; a new one is its own."""
    article = opened()
    answer(article)
    held = list(article.found)
    zelensky = Suggestion(*at("Zelensky"), "ACTOR", "seen-name")
    again = sorted([dataclasses.replace(s) for s in FOUND] + [zelensky],
                   key=lambda s: (s.start, -s.end, s.label))
    same = article.the_same(again)
    assert same == again
    assert [id(s) for s in same if s != zelensky] == [id(s) for s in held]
    assert next(s for s in same if s == zelensky) is zelensky
    request = article.request()
    article.answered(request, same, article.offer(request, same))
    assert article.offered == same


def test_the_model_s_answer_to_the_same_search_keeps_an_edit_made_before_the_first():
    """A search is answered twice, without then with a model's suggestions: an edit made
    before the first answer still holds against the second, made from the spans the
    search was asked with."""
    article = opened()
    model = article.model
    request = article.request()
    edit = editor.label(model, *at("Kyiv"), "LOCATION")
    assert isinstance(edit, Edit)
    model.apply(edit)
    for _ in ("without the model", "with it"):
        article.answered(request, FOUND, article.offer(request, FOUND))
        assert article.offered == [MINISTRY, KHARKIV]
