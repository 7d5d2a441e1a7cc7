"""Who made a claim: the source of a claim the cues found, from the noun phrase that is its
cue's subject.

In this order: a pronoun ("he said") is the actor it stands for; the writer's own name is
``journalist``; words that name nobody ("officials", "a source", "local media") are
``unnamed``; a given actor (labelled, or suggested by names) inside the phrase is the
source (the first that is not a possessor: "Angela Merkel's spokesperson" is not Merkel);
else the phrase itself, so that the reader can propose it as an actor. A pronoun stands
for the later of the last speaker and the nearest actor before it that is the subject of
a verb, at that actor's nearest mention.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence

import regex

from tui.core.document.suggestion import Source
from tui.core.language.names import name_around
from tui.core.suggest.claim_text import Token, outward
from tui.core.suggest.cue_files import Cues


class Sources:
    """The sources of one text's claims, in text order: each claim's source is heard
    (``heard``) before the next is named."""

    def __init__(self, text: str, actors: Sequence[tuple[int, int]], cues: Cues) -> None:
        self.text = text
        self.cues = cues
        self.actors = sorted(set(actors))
        self.actor_starts = [a[0] for a in self.actors]
        self.speakers: list[tuple[int, Source]] = []  # (claim start, its actor source)

    def heard(self, claim_start: int, source: Source) -> None:
        self.speakers.append((claim_start, source))

    def last_speaker(self) -> Source | None:
        return self.speakers[-1][1] if self.speakers else None

    def of(self, toks: list[Token], subject: tuple[int, int], claim_start: int, score: float
           ) -> tuple[Source | None, float]:
        """Who the noun phrase ``subject`` names: a given actor in it, an unnamed source,
        the writer, the actor a pronoun stands for, or the phrase itself."""
        cues = self.cues
        a, b = subject
        start, end = toks[a].start, toks[b - 1].end
        words = [t.low for t in toks[a:b] if t.word]
        phrase = " ".join(words)
        if b - a == 1 and words and words[0] in cues.pronouns:
            found = self.resolve(claim_start)
            return found, score * 0.9 if found else score * 0.5
        if phrase in cues.journalist:
            return Source(kind="journalist"), score
        if words and words[-1] in cues.unnamed and all(
                w in cues.vague or w in cues.unnamed or w in cues.determiners
                for w in words):
            return Source(kind="unnamed"), score
        actor = self.actor_in(start, end)
        if actor:
            return Source(*actor), score
        possessor = next((k for k in range(a, b - 1) if toks[k].low.endswith(("'s", "’s"))
                          and toks[k + 1].low in cues.adverbial_nouns), None)
        if possessor is not None:  # "Judge Miller's statement": Judge Miller
            end = toks[possessor].end - 2
        return Source(*outward(self.text, start, end)), score

    def actor_in(self, start: int, end: int) -> tuple[int, int] | None:
        """The first given actor inside [start, end) that is not a possessor ("Angela
        Merkel's spokesperson" is not Merkel)."""
        i = bisect_left(self.actor_starts, start)
        fallback = None
        while i < len(self.actors) and self.actors[i][0] < end:
            actor = self.actors[i]
            i += 1
            if actor[1] > end:
                continue
            if self.text[actor[1]:actor[1] + 2] in ("'s", "’s") or \
                    self.text[actor[1] - 2:actor[1]] in ("'s", "’s"):
                fallback = fallback or actor
                continue
            return actor
        return fallback

    def resolve(self, position: int) -> Source | None:
        """A pronoun's actor: the later of the last speaker's last mention and the nearest
        actor before that is the subject of a verb."""
        text = self.text
        mention: Source | None = None
        if self.speakers and position - self.speakers[-1][0] < 1500:
            mention = self.last_mention(self.speakers[-1][1], position)
        i = bisect_left(self.actor_starts, position) - 1
        while i >= 0 and position - self.actors[i][1] < 600:
            actor = self.actors[i]
            i -= 1
            if mention is not None and mention.start is not None and actor[0] <= mention.start:
                break
            if self._subject_at(actor[1]) and actor[1] <= position and \
                    self.text[actor[0]:actor[1]].lower() not in self.cues.first_person:
                return Source(*actor)
        del text
        return mention

    def last_mention(self, named: Source, position: int) -> Source:
        """The nearest mention of ``named`` before ``position`` (by its last word)."""
        text = self.text
        assert named.start is not None and named.end is not None
        word = regex.findall(r"\w+", text[named.start:named.end])
        if not word or named.end > position:
            return named
        mentions = list(regex.finditer(rf"(?<!\w){regex.escape(word[-1])}(?!\w)", text,
                                       pos=named.start, endpos=position))
        if not mentions:
            return named
        m = mentions[-1]
        actor = self.actor_in(m.start(), m.end()) or self._actor_around(m.start(), m.end())
        if actor:
            return Source(*actor)
        if m.start() >= named.start and m.end() <= named.end:
            return named
        grown = name_around(text, m.start(), m.end())
        return Source(*(grown or (m.start(), m.end())))

    def _actor_around(self, start: int, end: int) -> tuple[int, int] | None:
        i = bisect_right(self.actor_starts, start) - 1
        if i >= 0 and self.actors[i][0] <= start and end <= self.actors[i][1]:
            return self.actors[i]
        return None

    def _subject_at(self, end: int) -> bool:
        """Is the actor ending at ``end`` followed by a verb ("Putin spoke", "Trump has
        said")?"""
        cues = self.cues
        after = self.text[end:end + 60]
        possessive = after.startswith(("'s ", "’s "))
        for n, word in enumerate(regex.findall(r"\w[\w'’]*", after)[:5]):
            low = word.lower()
            if low in cues.between or (possessive and n < 2):
                continue  # "Putin’s position remains": Putin is who it is about
            return low in cues.verbs or low in cues.finite or (
                len(low) > 4 and low.endswith("ed") and low not in cues.not_past)
        return False
