"""Which rows of the span list's suggested section an answer redraws
(``span_rows.changed_rows``): those that show something else, its heading when the count
changed, never a span's row."""

from __future__ import annotations

from tui.core.document.suggestion import Suggestion
from tui.widgets.lists.span_rows import changed_rows

KYIV = Suggestion(10, 14, "LOCATION", "seen-name")
PUTIN = Suggestion(20, 25, "ACTOR", "seen-name")
RIYADH = Suggestion(30, 36, "LOCATION", "seen-name")
SPANS = 3  # rows 0-2; the heading at 3, then one row a suggestion


def test_not_known_before_every_row_of_the_section_on_screen():
    assert changed_rows(None, [KYIV, PUTIN], SPANS, range(0, 8)) == [3, 4, 5, 6, 7]


def test_the_same_suggestions_again_redraw_nothing():
    again = [Suggestion(10, 14, "LOCATION", "seen-name"), PUTIN]
    assert changed_rows([KYIV, PUTIN], again, SPANS, range(0, 8)) == []


def test_one_suggestion_in_place_of_another_redraws_its_row_alone():
    assert changed_rows([KYIV, PUTIN, RIYADH], [KYIV, RIYADH, RIYADH], SPANS,
                        range(0, 8)) == [5]


def test_one_more_redraws_the_heading_and_the_rows_it_adds():
    assert changed_rows([KYIV], [KYIV, PUTIN], SPANS, range(0, 8)) == [3, 5]


def test_the_last_one_gone_redraws_the_heading_and_its_row():
    assert changed_rows([KYIV], [], SPANS, range(0, 8)) == [3, 4]


def test_only_the_rows_on_screen():
    assert changed_rows(None, [KYIV, PUTIN, RIYADH], SPANS, range(5, 7)) == [5, 6]
