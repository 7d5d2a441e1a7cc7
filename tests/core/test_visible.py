"""Strings from data are shown, never obeyed by the terminal."""

from hypothesis import given
from hypothesis import strategies as st

from tui.core.language.visible import has_controls, visible


def test_escape_bel_and_c1_become_placeholders():
    assert visible("a\x1b]8;;file:///etc/passwd\x07b") == "a␛]8;;file:///etc/passwd␇b"
    assert visible("\x9b2J\x7f") == "␦2J␡"


def test_newline_tab_and_bidi_overrides_are_shown():
    assert visible("one\ntwo\tthree") == "one⏎two→three"
    assert visible("abc\u202edcba") == "abc·dcba"


def test_plain_text_comes_back_as_it_is():
    text = "Зеленський — “Kyiv” 👨‍👩‍👧 [b]markup[/b]"
    assert visible(text) is text
    assert not has_controls(text)


@given(st.text())
def test_nothing_a_terminal_acts_on_survives(text):
    shown = visible(text)
    assert not any(ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F for c in shown)
    assert not has_controls(shown)
