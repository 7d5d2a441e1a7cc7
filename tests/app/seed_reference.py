"""A careful reference annotation of the seed article seeds/trump-putin-ceasefire-call.txt.

Actors with their titles, whole claims as clauses (with the actors nested in them), regions
with their place noun. Countries are actors when they act or are acted upon, locations
when they are a place ("a cease-fire in Ukraine", "companies that left Russia").
Each entry is (label, text, which whole-word occurrence of that text in the article, from 0).
"""

from __future__ import annotations

from pathlib import Path

from tui.core.document.model import Span
from tui.core.language.search import occurrences

SEED = Path(__file__).resolve().parents[2] / "seeds" / "trump-putin-ceasefire-call.txt"

A, C, L = "ACTOR", "CLAIM", "LOCATION"
REFERENCE = [
    # 1: the call
    (A, "President Trump", 0),
    (A, "Russian President Vladimir Putin", 0),
    (L, "Ukraine", 0),
    (C, "Ukraine agreed to a month-long cease-fire", 0),
    (A, "Ukraine", 1),
    (A, "Russia", 0),
    (A, "Trump", 1),
    (A, "Putin", 1),
    # 2: Truth Social
    (A, "Trump", 2),
    (C, "many elements of a final agreement are already in place", 0),
    (C, "the war “must end NOW”", 0),
    # 3: business leaders
    (A, "Putin", 2),
    (A, "Russian business leaders", 0),
    (L, "Russia", 1),
    (C, "those companies cannot easily regain their assets due to Russian regulations", 0),
    # 4: Rubio and Waltz
    (A, "U.S. Secretary of State Marco Rubio", 0),
    (A, "national security adviser Michael Waltz", 0),
    (A, "Ukrainian officials", 0),
    (C, "Ukraine supports Trump’s proposed cease-fire but only if Russia agrees", 0),
    (A, "Ukraine", 2),
    (A, "Trump", 3),
    (A, "Russia", 2),
    (A, "U.S.", 1),
    (C, "it would resume military aid", 0),
    # 5: Putin's conditions
    (A, "Putin", 3),
    (C, "Ukraine stop military mobilization for the duration of any truce", 0),
    (A, "Ukraine", 3),
    (A, "Ukraine", 4),
    (A, "NATO", 0),
    # 6: Zaporizhzhia
    (A, "Trump", 4),
    (L, "Zaporizhzhia nuclear plant", 0),
    (A, "Russia", 3),
    # 7: the plant
    (A, "Energy experts", 0),
    (C, "the Zaporizhzhia plant, Europe’s largest nuclear facility, is in poor condition after"
        " years of war", 0),
    (L, "Zaporizhzhia plant", 0),
    (L, "Europe", 0),
    (A, "Russia", 4),
    # 8: the front
    (A, "Ukrainian President Volodymyr Zelensky", 0),
    (A, "Putin", 4),
    (A, "Russia", 5),
    (A, "Russian forces", 0),
    (L, "Kursk region", 0),
    (A, "Ukraine", 5),
    (L, "Sumy region", 0),
    # 9: Donetsk
    (A, "Ukraine", 6),
    (L, "Donetsk region", 0),
    (A, "Analysts", 0),
    (A, "Russian forces", 1),
    # 10: tensions
    (A, "U.S.", 2),
    (A, "Ukraine", 7),
    (A, "Trump", 5),
    (A, "Trump", 6),
    (A, "Ukraine", 8),
    (A, "Zelensky", 1),
    (A, "U.S.", 3),
    # 11: guarantees
    (A, "Ukraine", 9),
    (A, "Ukraine", 10),
    (A, "European allies", 0),
    (A, "UK", 0),
    (A, "France", 0),
    (A, "Ukraine", 11),
    # 12: sources
    (A, "Ukraine", 12),
    (A, "U.S. Department of State", 0),
    (A, "The New York Times", 0),
]


def reference_spans(text: str, annotator: str) -> list[Span]:
    spans = []
    for label, phrase, nth in REFERENCE:
        start = occurrences(text, phrase)[nth][0]
        spans.append(Span(start, start + len(phrase), label, phrase, annotator,
                          id=f"ref-{start}-{label}"))
    return spans
