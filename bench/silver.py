"""A silver annotation of news for the training benches: actors, locations and claims found
by rules, so that a model has a few hundred consistently labelled articles to learn from.

The rules (what docs/training.md calls the bench's analyst):

- LOCATION: a gazetteer of countries, US states and large cities (below), whole words;
  a country directly followed by a verb of saying or acting ("Russia said", "Iran has") is
  an ACTOR instead.
- ACTOR: a title with the capitalised name after it ("President Donald Trump",
  "Secretary of State Mike Pompeo"); a run of two to four capitalised words that is not a
  place, a month or a weekday ("Florida Highway Patrol"); and the last word of such a name
  when it comes back alone in the same article ("DeVita").
- CLAIM: what a reporting verb introduces, to the end of its sentence ("... said that
  CLAUSE.", "... told reporters CLAUSE."), or a quotation of four words or more in a
  sentence with a reporting verb; its SOURCE is the actor next to the verb.

Not a gold standard: a model learns these rules, which is what the bench measures (the
keys an analyst saves once the model has learned what they keep labelling).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from tui.core.document.model import OffsetError, Relation, Span
from tui.core.language.sentences import sentence_of, sentence_starts

COUNTRIES = """Afghanistan Albania Algeria Argentina Armenia Australia Austria Azerbaijan
Bahrain Bangladesh Belarus Belgium Bolivia Bosnia Brazil Bulgaria Cambodia Cameroon Canada
Chile China Colombia Congo Croatia Cuba Cyprus Czechia Denmark Ecuador Egypt England Eritrea
Estonia Ethiopia Fiji Finland France Georgia Germany Ghana Greece Guatemala Haiti Honduras
Hungary Iceland India Indonesia Iran Iraq Ireland Israel Italy Jamaica Japan Jordan
Kazakhstan Kenya Kosovo Kuwait Laos Latvia Lebanon Libya Lithuania Luxembourg Madagascar
Malawi Malaysia Mali Malta Mexico Moldova Mongolia Montenegro Morocco Mozambique Myanmar
Namibia Nepal Netherlands Nicaragua Niger Nigeria Norway Oman Pakistan Palestine Panama
Paraguay Peru Philippines Poland Portugal Qatar Romania Russia Rwanda Scotland Senegal
Serbia Singapore Slovakia Slovenia Somalia Spain Sudan Sweden Switzerland Syria Taiwan
Tanzania Thailand Tunisia Turkey Uganda Ukraine Uruguay Uzbekistan Venezuela Vietnam Wales
Yemen Zambia Zimbabwe Britain Europe Africa Asia Crimea Gaza Kashmir Tibet Catalonia""".split()
COUNTRIES += ["United States", "United Kingdom", "North Korea", "South Korea", "Saudi Arabia",
              "South Africa", "New Zealand", "Sri Lanka", "Hong Kong", "South Sudan",
              "U.S.", "US", "UK", "Persian Gulf", "Middle East", "West Bank"]
STATES = """Alabama Alaska Arizona Arkansas California Colorado Connecticut Delaware Florida
Hawaii Idaho Illinois Indiana Iowa Kansas Kentucky Louisiana Maine Maryland Massachusetts
Michigan Minnesota Mississippi Missouri Montana Nebraska Nevada Ohio Oklahoma Oregon
Pennsylvania Tennessee Texas Utah Vermont Virginia Washington Wisconsin Wyoming""".split()
STATES += ["New York", "New Jersey", "New Mexico", "North Carolina", "South Carolina",
           "North Dakota", "South Dakota", "West Virginia", "Rhode Island", "New Hampshire"]
CITIES = """London Paris Berlin Moscow Kyiv Kiev Beijing Tokyo Delhi Mumbai Karachi Lahore
Tehran Baghdad Damascus Aleppo Idlib Beirut Cairo Istanbul Ankara Athens Rome Madrid
Barcelona Lisbon Vienna Prague Warsaw Budapest Brussels Amsterdam Geneva Zurich Stockholm
Oslo Helsinki Dublin Edinburgh Manchester Toronto Montreal Vancouver Ottawa Chicago Boston
Houston Dallas Miami Atlanta Seattle Denver Phoenix Detroit Baltimore Philadelphia Sydney
Melbourne Auckland Wellington Jakarta Manila Bangkok Hanoi Seoul Pyongyang Taipei Shanghai
Riyadh Dubai Doha Jerusalem Nairobi Lagos Johannesburg Caracas Bogota Lima Santiago Havana
Kabul Islamabad Dhaka Minsk Tbilisi Yerevan Baku Riga Vilnius Tallinn Sochi Gainesville
Crimea Donetsk Luhansk Mosul Raqqa Benghazi Tripoli Khartoum Mogadishu""".split()
CITIES += ["Los Angeles", "San Francisco", "Washington, D.C.", "Hong Kong", "Rio de Janeiro",
           "Buenos Aires", "Mexico City", "New Delhi", "Tel Aviv", "Las Vegas", "New Orleans"]
PLACES = set(COUNTRIES) | set(STATES) | set(CITIES)
NOT_NAMES = set("""Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February
March April May June July August September October November December The A An In On At
For But And Or Of It He She They We I This That These Those His Her Their Its After Before
When While According As If Although Since During With Without From By To Mr Mrs Ms Dr
""".split())
TITLES = (r"(?:President|Vice President|Prime Minister|Foreign Minister|Defen[cs]e Minister"
          r"|Minister|Secretary of State|Secretary|Senator|Sen\.|Governor|Gov\.|Mayor"
          r"|Chancellor|King|Queen|Prince|Pope|Judge|Justice|Representative|Rep\.|Speaker"
          r"|General|Gen\.|Chief|Director|Ambassador|spokesperson|spokesman|spokeswoman"
          r"|Leader|leader|Chairman|chairman|Officer|Commissioner|Attorney General"
          r"|Mr\.|Mrs\.|Ms\.|Dr\.)")
NAME = r"[A-Z][\w'’.-]*(?:\s+(?:de|van|von|bin|al-)?\s*[A-Z][\w'’.-]*){0,3}"
TITLED = re.compile(rf"\b(?:(?:[A-Z][a-z]+|U\.S\.|US|UK)\s+)?{TITLES}\s+{NAME}")
CAPITALS = re.compile(r"\b[A-Z][\w'’-]*(?:[ \t]+(?:of[ \t]+)?[A-Z][\w'’-]*){1,3}")
REPORTING = (r"(?:said|says|say|told\s+\w+|stated|states|claimed|claims|announced|announces"
             r"|reported|added|adds|warned|warns|argued|argues|denied|insisted|insists"
             r"|explained|noted|confirmed|alleged|wrote|tweeted)")
CUE = re.compile(rf"\b{REPORTING}\b(?:\s+(?:that|on\s+\w+))?[,:]?\s+")
ACTING = re.compile(rf"\s+(?:{REPORTING}|has|have|had|will|would|is|was|wants|agreed"
                    r"|accused|launched|rejected|signed|sent|threatened)\b")
QUOTE = re.compile(r"[“\"]([^”\"]{15,}?)[”\"]")


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and not text[start].isalnum() and text[start] not in "“\"":
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ".,;:"):
        end -= 1
    return start, end


def annotate(text: str, analyst: str = "silver") -> tuple[list[Span], list[Relation]]:
    taken: list[tuple[int, int]] = []
    spans: list[Span] = []

    def free(start: int, end: int) -> bool:
        return all(end <= a or start >= b for a, b in taken)

    def add(start: int, end: int, label: str) -> Span | None:
        start, end = _trim(text, start, end)
        if end <= start or (label != "CLAIM" and not free(start, end)):
            return None
        try:
            span = Span.new(text, start, end, label, analyst)
        except OffsetError:  # a rule's edge inside a character cluster: no span
            return None
        spans.append(span)
        if label != "CLAIM":
            taken.append((start, end))
        return span

    for match in TITLED.finditer(text):
        add(match.start(), match.end(), "ACTOR")
    for name in sorted(PLACES, key=len, reverse=True):
        for match in re.finditer(rf"(?<![\w.]){re.escape(name)}(?![\w])", text):
            acting = ACTING.match(text, match.end())
            add(match.start(), match.end(), "ACTOR" if acting else "LOCATION")
    surnames = set()
    for match in CAPITALS.finditer(text):
        words = list(re.finditer(r"\S+", match.group()))
        while words and words[0].group() in NOT_NAMES:
            words = words[1:]
        if len(words) < 2 or any(w.group() in PLACES for w in words):
            continue
        if add(match.start() + words[0].start(), match.end(), "ACTOR") is not None:
            surnames.add(words[-1].group().rstrip(".,"))
    for surname in surnames:
        if len(surname) > 2 and surname not in NOT_NAMES:
            for match in re.finditer(rf"\b{re.escape(surname)}\b", text):
                add(match.start(), match.end(), "ACTOR")
    relations = _claims(text, spans, add, analyst)
    return spans, relations


def _claims(text: str, spans: list[Span], add: Callable[[int, int, str], Span | None],
            analyst: str) -> list[Relation]:
    starts = sentence_starts(text)
    actors = sorted((s for s in spans if s.label == "ACTOR"), key=lambda s: s.start)
    relations: list[Relation] = []
    seen: set[int] = set()
    for cue in CUE.finditer(text):
        first, last = sentence_of(starts, text, cue.start())
        if first in seen or last - cue.end() < 20:
            continue
        seen.add(first)
        quoted = QUOTE.search(text, cue.end(), last + 1)
        start, end = (quoted.start(1), quoted.end(1)) if quoted else (cue.end(), last)
        claim = add(start, end, "CLAIM")
        if claim is None:
            continue
        speaker = [a for a in actors if first <= a.start and a.end <= cue.start()]
        if speaker:
            relations.append(Relation(claim.id, speaker[-1].id, "SOURCE", analyst))
        relations.extend(Relation(claim.id, place.id, "ABOUT", analyst) for place in spans
                         if place.label == "LOCATION" and claim.start <= place.start
                         and place.end <= claim.end)
    return relations
