"""The units `=` grows a selection through, where claims and their places need them: the
content after "that" and after a reporting cue, a clause that stops at "but", a place
without its determiner, a region from its place noun."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from tui.core.editing.units import grow, units

SEED = (Path(__file__).resolve().parents[2] / "seeds" /
        "trump-putin-ceasefire-call.txt").read_text(encoding="utf-8")


def ladder(text: str, phrase: str, offset: int = 0, length: int = 0) -> list[str]:
    """What `=` selects, press by press, from ``length`` characters at ``offset`` into the
    first ``phrase`` of ``text`` (0: the cursor there)."""
    start = text.index(phrase) + offset
    return [text[a:b] for a, b in units(text, start, start + length)]


def test_a_place_leaves_its_determiner_out():
    steps = ladder(SEED, "the Zaporizhzhia plant", 4)
    assert steps[:2] == ["Zaporizhzhia", "Zaporizhzhia plant"]
    assert "the Zaporizhzhia plant" not in steps  # the next step is the content, whole
    assert steps[2].startswith("the Zaporizhzhia plant, Europe’s largest nuclear facility")


def test_a_search_match_with_its_determiner_grows_to_the_place_without_it():
    steps = ladder(SEED, "the Zaporizhzhia plant", 0, len("the Z"))
    assert steps[:2] == ["the Zaporizhzhia", "Zaporizhzhia plant"]


def test_a_name_that_is_the_selection_without_its_determiner_is_no_step():
    # "that" is a determiner before a place ("that plant"): the name alone would shrink
    # the selection, where `=` always grows it
    text = "A statement said that Ukraine supports the plan."
    steps = ladder(text, " that Ukraine", 0, len(" that Ukraine"))
    assert "Ukraine" not in steps
    assert steps[0] == "A statement said that Ukraine supports the plan."
    assert ladder(text, "the plan", 0, len("the plan"))[0] != "plan"


def test_a_place_noun_grows_to_its_region_before_the_claim():
    assert ladder(SEED, "Sumy region", 5)[:2] == ["region", "Sumy region"]
    assert ladder(SEED, "Kursk region", 6)[:2] == ["region", "Kursk region"]


def test_a_place_with_modifiers_before_its_noun():
    assert ladder(SEED, "Zaporizhzhia nuclear plant")[:2] == [
        "Zaporizhzhia", "Zaporizhzhia nuclear plant"]


def test_the_clause_after_that_keeps_its_commas():
    steps = ladder(SEED, "the Zaporizhzhia plant", 4)
    assert "the Zaporizhzhia plant, Europe’s largest nuclear facility, is in poor condition "\
        "after years of war" in steps
    assert steps[-2].startswith("Energy experts warn that")  # then the sentence


def test_the_reported_content_after_a_cue_without_that():
    text = ("Rubio told reporters the talks in Riyadh, which lasted nine hours, were "
            "productive. Then he left.")
    steps = ladder(text, "Riyadh")
    assert "the talks in Riyadh, which lasted nine hours, were productive" in steps
    text = "Zelensky said the talks in Riyadh were a trap, but Kyiv would attend."
    steps = ladder(text, "Riyadh")
    assert "the talks in Riyadh were a trap" in steps
    assert steps.index("the talks in Riyadh were a trap") < steps.index(text)


def test_a_quotation_is_a_unit():
    text = "“We will not give up the Kursk region, not now,” Zelensky said in Kyiv."
    assert "We will not give up the Kursk region, not now" in ladder(text, "give")


def test_a_clause_stops_at_but():
    text = ("Trump shared on Truth Social that many elements of a final agreement are already "
            "in place, but significant discussions remain.")
    steps = ladder(text, "elements")
    assert "many elements of a final agreement are already in place" in steps
    assert not any("but" in step for step in steps[:-1] if step != text[:-1])
    text = "Ukraine supports the proposed cease-fire but only if Russia agrees."
    assert ladder(text, "supports")[1] == "Ukraine supports the proposed cease-fire"


def test_grow_is_the_first_unit_and_none_at_the_paragraph():
    text = "Putin spoke. Zelensky said the war would go on."
    start = text.index("war")
    assert grow(text, start, start) == (start, start + 3)
    assert grow(text, 0, len(text)) is None


@given(st.text(alphabet="ab, .that said“”\"Kyiv Sumy region the\n", max_size=80),
       st.integers(0, 80), st.integers(0, 20))
def test_each_unit_holds_the_one_before(text, start, length):
    start = min(start, len(text))
    end = min(start + length, len(text))
    found = units(text, start, end)
    for before, after in pairwise(found):
        assert after[0] <= before[0] and after[1] >= before[1] and after != before
    for a, b in found:
        assert 0 <= a < b <= len(text)
