"""Claims suggested from reporting cues, each with its source already resolved.

Attribution in news is source + cue + content (PARC 3.0). The rules, over one paragraph at
a time (``claim_text`` reads its tokens, quotations and noun phrases):

- a verb of the cue file with its content after it: "X said (that) Y", "X told reporters
  Y", "X said: "Y"" (the content must be a clause: "that", or a finite verb soon after);
- the content before it: "Y, X said", "Y, said X", '"Y," X told reporters'; set inside the
  content ("Y1, X said, Y2") the claim is the whole sentence;
- "according to X, Y" and "Y, according to X"; "reportedly" (an unnamed source);
- a quotation named by "call" or "describe as"; a quotation with its speaker after it, or
  after a colon; a quotation that goes on after the one a speaker was named for.

In a chain of cues the innermost content is the claim ("X reported its source said Y").
Who said it is the cue's subject, as ``claim_sources`` names it: a given ACTOR in it, the
phrase itself, a pronoun's actor, or ``unnamed`` / ``journalist``.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import pairwise

from tui.core.document.suggestion import Source, Suggestion
from tui.core.language.sentences import sentence_starts
from tui.core.suggest import cue_files
from tui.core.suggest.claim_sources import Sources
from tui.core.suggest.claim_text import (
    STOP,
    Token,
    finite,
    is_quote,
    noun_phrase_after,
    noun_phrase_before,
    outward,
    quotations,
    tokens,
    verb_after_name,
)
from tui.core.suggest.cue_files import Cues

CLAIM = "CLAIM"
_QUOTE = re.compile(r"[\"“”„«»]")
_WORD = re.compile(r"\w+")
_TRAILING = ",.;:!?…—–- \t\u00a0"


@dataclass(slots=True)
class _Found:
    """A claim found in a paragraph: its content (token indices) and what says who."""

    start: int
    end: int
    score: float
    direct: bool
    subject: tuple[int, int] | None = None  # the source's noun phrase
    kind: str | None = None  # "unnamed" / "journalist" without a noun phrase
    after: int | None = None  # the same source as the claim ending at this token
    cue: int = 0  # the cue's token, for the nearest actor
    first: int = -1  # where the subject's whole phrase begins (before "the", "On Friday")


def claim_suggestions(text: str, actors: Sequence[tuple[int, int]] = (), lang: str = "en",
                      cues: Cues | None = None) -> list[Suggestion]:
    """The claims of ``text`` with their sources, in text order.

    ``actors`` are the article's ACTOR spans (labelled or suggested by names), as
    (start, end); the cues are the shipped ones of ``lang`` unless ``cues`` are given
    (``cue_files.load`` with a team's file)."""
    return _Finder(text, actors, cues or cue_files.cached(lang)).run()


class _Finder:
    def __init__(self, text: str, actors: Sequence[tuple[int, int]], cues: Cues) -> None:
        self.text = text
        self.cues = cues
        self.sources = Sources(text, actors, cues)
        self.out: list[Suggestion] = []
        words = sorted(cues.verbs | cues.naming | cues.hearsay
                       | {p.split()[0] for p in cues.according}, key=len, reverse=True)
        self.according_words = [tuple(p.split()) for p in cues.according]
        self.cue_words = frozenset(cues.verbs | cues.naming | cues.hearsay | cues.nouns
                                   | {w[0] for w in self.according_words})
        self.first_words = frozenset(w.split()[0] for w in words)

    def run(self) -> list[Suggestion]:
        text = self.text
        self.starts = sentence_starts(text)
        position = 0
        for line in text.split("\n"):
            end = position + len(line)
            if _QUOTE.search(line) or not self.first_words.isdisjoint(
                    _WORD.findall(line.lower())):
                self.paragraph(position, end)
            position = end + 1
        return self.out

    # -- one paragraph -------------------------------------------------------------

    def paragraph(self, low: int, high: int) -> None:
        """The claims of one paragraph. Only its sentences with a cue word or a quote mark
        are read into tokens (a third of a news text has neither): every quote mark is in
        them, so quotations pair as in the whole paragraph."""
        text = self.text
        first = bisect_right(self.starts, low)
        last = bisect_left(self.starts, high)
        edges = [low, *self.starts[first:last], high]
        toks: list[Token] = []
        sentences: list[tuple[int, int]] = []
        self.sentence_of = sentence_of = []
        for a, b in pairwise(edges):
            if b <= a:
                continue
            if not (_QUOTE.search(text, a, b) or not self.first_words.isdisjoint(
                    _WORD.findall(text[a:b].lower()))):
                continue
            more = tokens(text, a, b)
            if more:
                sentence_of.extend([len(sentences)] * len(more))
                sentences.append((len(toks), len(toks) + len(more)))
                toks += more
        if not toks:
            return
        quotes = quotations(toks)
        self.toks, self.quotes, self.sentences = toks, quotes, sentences
        self.inside = inside = [False] * len(toks)
        self.opening = {o: c for o, c in quotes}
        self.closing = {c: o for o, c in quotes}
        for o, c in quotes:
            inside[o + 1:c] = [True] * (min(c, len(toks)) - o - 1)
        found: list[_Found] = []
        for lo, hi in sentences:
            found += self.sentence(lo, hi)
        found += self.loose_quotes(found)
        self.emit(sorted(found, key=lambda f: (f.start, -f.end)))

    def sentence(self, lo: int, hi: int) -> list[_Found]:
        toks, cues = self.toks, self.cues
        found: list[_Found] = []
        question = toks[hi - 1].text == "?"
        words, inside = self.cue_words, self.inside
        skip = lo
        for k in [k for k in range(lo, hi) if toks[k].low in words and not inside[k]]:
            if k < skip:
                continue
            tok = toks[k]
            phrase = self.according_at(k, hi)
            if phrase:
                claim = self.according(k, phrase, lo, hi)
                if claim:
                    found.append(claim)
                skip = k + phrase
                continue
            claims: list[_Found] = []
            if tok.capital and k > self.clause_start(lo, k):
                pass  # "Secretary of State": a verb is written small inside a sentence
            elif tok.low in cues.naming:
                claim = self.naming(k, lo, hi)
                claims = [claim] if claim else self.verb(k, lo, hi, found, forward=False)
            elif tok.low in cues.verbs or (tok.low in cues.nouns and k + 1 < hi and
                                           toks[k + 1].low in cues.complementisers):
                claims = self.verb(k, lo, hi, found)
            elif tok.low in cues.hearsay:
                claim = self.hearsay(k, lo, hi)
                claims = [claim] if claim else []
            found += [c for c in claims if not (question and not c.direct)]
        return _innermost(found, lambda k: toks[k].low in cues.pronouns)

    # -- verbs ---------------------------------------------------------------------

    def verb(self, v: int, lo: int, hi: int, earlier: list[_Found], forward: bool = True
             ) -> list[_Found]:
        """The claim of the cue verb at ``v``: its subject and its content, after it or
        before it."""
        toks, cues = self.toks, self.cues
        low = toks[v].low
        if v + 1 < hi and toks[v + 1].low == "by":
            return []  # "reported by local press": a passive, its agent is no speaker
        bv = self._before_verb(v, lo)
        prev = toks[bv - 1] if bv - 1 >= lo else None
        if prev is not None and prev.low in cues.passive:
            return []
        if v - 1 >= lo and toks[v - 1].low == "to" and not (
                v - 2 >= lo and toks[v - 2].low in cues.between):
            return []  # "made to find": an infinitive, unless "went on to say"
        if v - 1 >= lo and toks[v - 1].low in cues.determiners:
            return []  # "each state", "the report": a noun
        subject: tuple[int, int] | None = None
        first = -1
        participle = low.endswith("ing") and prev is not None and (
            prev.text == "," or prev.low in cues.prepositions)
        noun = low in cues.nouns and v + 1 < len(toks) \
            and toks[v + 1].low in cues.complementisers
        if participle or noun or (prev is not None and prev.low in cues.connectives):
            subject = next((f.subject for f in reversed(earlier) if f.subject), None) \
                or self.main_subject(lo, v)
        elif prev is not None and prev.low in cues.relatives and bv - 2 >= lo \
                and toks[bv - 2].text == ",":
            found = noun_phrase_before(cues, toks, bv - 2, lo)  # "the Navy, who told it"
            subject = found[:2] if found else None
        else:
            found = noun_phrase_before(cues, toks, bv, lo)
            if found:
                subject, first = found[:2], found[2]
            elif prev is not None and finite(cues, prev):
                subject = self.main_subject(lo, v)  # "a statement was released stating"
        if subject and toks[subject[0]].low in cues.first_person:
            return []  # an interview's answer, a letter: no report of someone's claim
        if subject and subject[0] > lo and toks[subject[0] - 1].low == "not":
            return []  # "Not everyone agreed ..."
        inverted = subject is None and v > lo and (toks[v - 1].text == "," or
                                                    v - 1 in self.closing)
        before = self._token_before(first, lo) if first >= 0 else -1
        if inverted:
            subject = noun_phrase_after(cues, toks, v + 1, hi)
            before = v - 1
        if subject is None:
            return []
        if before >= lo and (toks[before].text == "," or before in self.closing):
            claim = self.backward(v, before, subject, inverted, lo, hi)
            if claim:
                return [claim]
        if inverted or not forward:
            return []
        content = self.forward(v, hi)
        if content is None:
            return []
        start, end, direct, score = content
        return [_Found(start, end, score, direct, subject, cue=v, first=first)]

    def _before_verb(self, v: int, lo: int) -> int:
        """Where the verb's subject ends: auxiliaries and adverbs ("has also"), and time
        ("on Tuesday told", "yesterday said"), passed over."""
        toks, cues = self.toks, self.cues
        k = v
        while k - 1 >= lo:
            low = toks[k - 1].low
            if low in cues.between:
                k -= 1
            elif low in cues.time and len(low) > 4 and low not in cues.determiners:
                k -= 2 if k - 2 >= lo and toks[k - 2].low in cues.prepositions else 1
            else:
                break
        return k

    def _token_before(self, start: int, lo: int) -> int:
        """The token before a phrase, its determiners and time words ("On Friday the")
        passed over."""
        toks, cues = self.toks, self.cues
        k = start - 1
        while k >= lo and toks[k].word and (
                toks[k].low in cues.determiners or toks[k].low in cues.time or (
                    toks[k].low in cues.prepositions and k + 1 < len(toks)
                    and toks[k + 1].low in cues.time)):
            k -= 1
        return k

    def main_subject(self, lo: int, end: int) -> tuple[int, int] | None:
        """The subject of the sentence's first verb (before ``end``)."""
        for k in range(lo, end):
            if finite(self.cues, self.toks[k]) or self.toks[k].low in self.cues.verbs:
                found = noun_phrase_before(self.cues, self.toks, self._before_verb(k, lo), lo)
                return found[:2] if found else None
        return None

    def clause_start(self, lo: int, end: int) -> int:
        """Where the clause before ``end`` begins: after a semicolon, a colon, an opening
        quote or a dash at the sentence's start."""
        start = lo
        for k in range(lo, end):
            if self.toks[k].text in ";:" and not self.inside[k]:
                start = k + 1
        while start < end and (start in self.opening or self.toks[start].text in "—–-"):
            start += 1
        return start

    def forward(self, v: int, hi: int) -> tuple[int, int, bool, float] | None:
        """The content after the cue at ``v``: (start, end, direct, score)."""
        toks, cues = self.toks, self.cues
        k = v + 1
        that = next((m for m in range(k, min(hi, k + 8))
                     if toks[m].low in cues.complementisers and not self.inside[m]), None)
        if that is not None and all(toks[m].word and not finite(cues, toks[m])
                                    and toks[m].low not in cues.verbs
                                    for m in range(k, that)):
            k = that  # "warned the EU that", "said on Friday that"
        else:
            if toks[v].low in cues.telling:
                k = self._recipient(k, hi)
            k = self._adverbials(k, hi)
        if k < hi and toks[k].text in "—–(":
            aside = next((m for m in range(k + 1, min(hi, k + 12))
                          if toks[m].text in "—–)"), None)
            if aside is not None:
                k = aside + 1  # "said — as reported by Hurriyet Daily News — "...""
        colon = False
        while k < hi and toks[k].text in ",:":
            colon = colon or toks[k].text == ":"
            k += 1
            aside = next((m for m in range(k, min(hi, k + 6)) if toks[m].text == ","), None)
            if aside is not None and not colon and all(
                    toks[m].word and not finite(cues, toks[m]) for m in range(k, aside)) \
                    and toks[k].low in cues.prepositions:
                k = aside  # "alleged, by way of example, Mahan had ..."
        said_that = k < hi and toks[k].low in cues.complementisers
        if said_that:
            k += 1
        if k in self.opening:
            close = self.opening[k]
            return (k + 1, close, True, 0.9) if close - k > 1 else None
        if k >= hi:
            return None
        if not said_that and not colon:
            if cues.complementiser_required:
                return None
            window = 6 if toks[v].low in cues.clause_only else 12
            if not self.is_clause(k, min(hi, k + window)):
                return None
        end = self.content_end(k, hi)
        if end - k < 2:
            return None
        return k, end, False, 0.8 if said_that else 0.7

    def is_clause(self, start: int, end: int) -> bool:
        """Do the words from ``start`` read as a clause: a finite verb before any mark
        or conjunction ("said the victims were", not "announced plans and Syria is")?"""
        toks, cues = self.toks, self.cues
        if toks[start].low in cues.prepositions or toks[start].low in cues.verbs:
            return False
        for m in range(start, end):
            tok = toks[m]
            if is_quote(tok):  # 'the response "required all hands on deck"'
                return m in self.opening and m > start and m + 1 < end and finite(
                    cues, toks[m + 1])
            if tok.text in ";:" or (m > start and tok.low in cues.connectives):
                return False
            if finite(cues, tok) or (m > start and verb_after_name(cues, toks[m - 1], tok)):
                return True
        return False

    def _recipient(self, k: int, hi: int) -> int:
        toks, cues = self.toks, self.cues
        if k < hi and toks[k].low in cues.recipients:
            return k + 1
        j = k
        while j < hi and toks[j].low in cues.determiners:
            j += 1
        if j < hi and toks[j].capital and toks[j].word:
            while j < hi and j - k < 7 and (toks[j].capital or toks[j].text in "-'’." or
                                            toks[j].low in ("of", "de")):
                j += 1
            return j
        m = j
        while m < hi and m - j < 3 and toks[m].word and toks[m].low not in cues.recipients:
            m += 1
        if m < hi and toks[m].low in cues.recipients:
            return m + 1
        return k

    def _adverbials(self, k: int, hi: int) -> int:
        """After "said on Friday in a statement": where the content starts."""
        toks, cues = self.toks, self.cues
        while k < hi:
            low = toks[k].low
            if low in cues.time and ((len(low) > 4 and low not in cues.determiners) or (
                    k + 1 < hi and toks[k + 1].low in cues.time)):
                k += 1
                continue
            if low in cues.prepositions:
                end = None
                for m in range(k + 1, min(hi, k + 7)):
                    if not toks[m].word:
                        break
                    if toks[m].low in cues.adverbial_nouns or toks[m].low in cues.time:
                        end = m
                if end is not None:
                    k = end + 1
                    continue
            break
        return k

    def content_end(self, k: int, hi: int) -> int:
        """Where indirect content from ``k`` ends: the sentence's end (past a quotation
        still open there), a semicolon, a relative clause after a whole one, a clause
        after ", but", or where another attribution begins."""
        toks, cues = self.toks, self.cues
        m = k
        end = hi
        verb_seen = False
        while m < end:
            tok = toks[m]
            if m in self.opening and self.opening[m] >= end:
                close = self.opening[m]
                if close >= len(toks):
                    return len(toks)
                end = self.sentences[self.sentence_of[close]][1]
            if self.inside[m]:
                verb_seen = verb_seen or finite(cues, tok)
                m += 1
                continue
            if tok.text == ";":
                return m
            if tok.text == "," and m + 1 < end:
                nxt = toks[m + 1]
                if self._new_attribution(m + 1, end, True):
                    return m
                if verb_seen and nxt.low in cues.relatives:
                    return m  # "it would resume military aid, which had been stalled"
                if nxt.low == "but" and m + 2 < end and not (
                        finite(cues, toks[m + 2]) or toks[m + 2].low in cues.between):
                    return m  # "are in place, but significant discussions remain"
            if tok.low in cues.connectives and k < m < end - 1 and (
                    self._new_attribution(m + 1, end) or (
                        m - 1 in self.closing and finite(cues, toks[m + 1]))):
                return m - 1 if toks[m - 1].text == "," else m
            verb_seen = verb_seen or finite(cues, tok)
            m += 1
        return end

    def _new_attribution(self, m: int, end: int, comma: bool = False) -> bool:
        """Does another cue begin at token ``m`` (after a comma or a connective)?"""
        toks, cues = self.toks, self.cues
        low = toks[m].low
        if comma and ((low in cues.verbs and low.endswith("ing")) or
                      low in ("citing", "according", "with", "as") or low in cues.relatives):
            if low in ("with", "as") or low in cues.relatives:
                return any(toks[j].low in cues.verbs for j in range(m + 1, min(end, m + 6)))
            return True
        if low in cues.verbs and not comma:
            return True  # "but declared", "and added"
        for j in range(m, min(end, m + 9)):
            if self.inside[j] or toks[j].text in ",;":
                return False
            if toks[j].low in cues.verbs and j > m and toks[j].low not in cues.clause_only:
                subject = noun_phrase_before(cues, toks, self._before_verb(j, m), m)
                return subject is not None and subject[2] <= m + 2
        return False

    def backward(self, v: int, before: int, subject: tuple[int, int], inverted: bool,
                 lo: int, hi: int) -> _Found | None:
        """The content before the cue ("Y, X said"), or around it ("Y1, X said, Y2")."""
        toks, cues = self.toks, self.cues
        if toks[before].text == "," and before - 1 in self.closing:
            before -= 1
        if before in self.closing:
            opening = self.closing[before]
            if before - opening > 1:
                return _Found(opening + 1, before, 0.9, True, subject, cue=v)
            return None
        start = self.clause_start(lo, before)
        after = subject[1] if inverted else v + 1
        if not inverted and toks[v].low in cues.telling:
            after = self._recipient(after, hi)
        after = self._adverbials(after, hi)
        clause = any(finite(cues, t) for t in toks[start:before])
        if after < hi and (toks[after].low in cues.complementisers or after in self.opening):
            return None  # "however, its website notes that ...": the content is after
        if after < hi and toks[after].word and toks[after].low not in cues.verbs:
            return _Found(start, hi, 0.6, False, subject, cue=v) if clause or any(
                finite(cues, t) for t in toks[after:hi]) else None  # "Y1, X said Y2"
        if after + 1 < hi and toks[after].text == ",":
            if after + 1 in self.opening or self._new_attribution(after + 1, hi, True):
                pass
            elif clause or finite(cues, toks[after + 1]):
                return _Found(start, hi, 0.6, False, subject, cue=v)
            else:
                return None  # "In between, she testified, she was ...": content after
        if before - start < 2 or not clause:
            return None
        return _Found(start, before, 0.75, False, subject, cue=v)

    # -- the other cues ------------------------------------------------------------

    def according_at(self, k: int, hi: int) -> int:
        """How many tokens an "according to" phrase at ``k`` has (0: none)."""
        toks = self.toks
        for words in self.according_words:
            if k + len(words) <= hi and all(toks[k + n].low == w for n, w in enumerate(words)):
                return len(words)
        return 0

    def according(self, k: int, length: int, lo: int, hi: int) -> _Found | None:
        """ "according to X, Y", "Y, according to X", "Y1, according to X, Y2"."""
        toks, cues = self.toks, self.cues
        source = noun_phrase_after(cues, toks, k + length, hi)
        if source is None:
            return None
        agent = next((m for m in range(source[1], min(hi, source[1] + 5))
                      if toks[m].low == "by"), None)
        if agent is not None:  # "according to a tweet on Monday by X"
            source = noun_phrase_after(cues, toks, agent + 1, hi) or source
        after = source[1]
        while after < hi and toks[after].word and not self.inside[after] and (
                toks[after].low in cues.prepositions or toks[after - 1].low in
                cues.prepositions or toks[after].capital):
            after += 1  # "the mayor of Yartsevo via news agency Interfax"
        if k - 1 >= lo and toks[k - 1].text in "—–(" and k - 2 >= lo and \
                toks[k - 2].low in cues.verbs:
            return None  # "said — as reported by X — "...": the verb's claim
        if after + 1 < hi and toks[after].text == ",":
            aside = next((m for m in range(after + 1, min(hi, after + 8))
                          if toks[m].text == ","), None)
            if aside is not None and toks[after + 1].low in cues.determiners and not any(
                    finite(cues, t) for t in toks[after + 1:aside]):
                after = aside  # "by UpGuard, a cybersecurity firm, two databases ..."
        start = self.clause_start(lo, k)
        before = k - 1 if k - 1 >= lo and toks[k - 1].text == "," else k
        intro = not any(finite(cues, t) for t in toks[start:before]) and \
            sum(1 for t in toks[start:before] if t.word) <= 3
        if after < hi and toks[after].text == ",":
            after += 1
        rest = any(t.word for t in toks[after:hi]) and not (toks[after].low in cues.relatives or (
            after + 2 < hi and toks[after + 2].low in cues.relatives))  # "some of whom"
        if intro and rest and not finite(cues, toks[after]):
            if after in self.opening and self.opening[after] - after > 1:
                return _Found(after + 1, self.opening[after], 0.85, True, source, cue=k)
            return _Found(after, self.content_end(after, hi), 0.8, False, source, cue=k)
        if before - start < 2:
            return None
        if not rest:
            return _Found(start, before, 0.8, False, source, cue=k)
        return _Found(start, hi, 0.6, False, source, cue=k)

    def hearsay(self, k: int, lo: int, hi: int) -> _Found | None:
        """ "The crash reportedly killed seven": the clause, an unnamed source."""
        toks, cues = self.toks, self.cues
        start = self.clause_start(lo, k)
        if k == start and k + 1 < hi and toks[k + 1].text == ",":
            return _Found(k + 2, self.content_end(k + 2, hi), 0.5, False, kind="unnamed",
                          cue=k)
        if k - start > 10 or k == start or toks[k - 1].text == "," or k + 1 >= hi:
            return None
        follower = toks[k + 1]
        if not (finite(cues, follower) or follower.low in cues.between
                or finite(cues, toks[k - 1])):
            return None
        return _Found(start, self.content_end(k, hi), 0.5, False, kind="unnamed", cue=k)

    def naming(self, n: int, lo: int, hi: int) -> _Found | None:
        """Schiff called it "a non-starter"; described by the CBCP as "a strong advocate"."""
        toks, cues = self.toks, self.cues
        quote = next((m for m in range(n + 1, min(hi, n + 9)) if m in self.opening), None)
        if quote is None or any(toks[m].text in ";." for m in range(n + 1, quote)):
            return None
        between = [t for t in toks[n + 1:quote] if t.word and t.low not in cues.determiners
                   and t.low != "as"]
        before = toks[n - 1] if n > lo else None
        if not between and (before is None or not (before.capital or before.low in
                                                   cues.pronouns)):
            return None  # "a process called "exfiltration"": a name, not a claim
        close = self.opening[quote]
        if close - quote < 2 or close >= len(toks):
            return None
        while True:  # "as "a guiding force" who was "one of the most ...""
            more = next((m for m in range(close + 1, min(hi, close + 5))
                         if m in self.opening), None)
            if more is None or any(toks[m].low in cues.verbs or toks[m].text in ".;"
                                   for m in range(close + 1, more)) \
                    or self.opening[more] >= len(toks):
                break
            close = self.opening[more]
        if close + 1 < len(toks) and toks[close + 1].word and toks[close + 1].low not in (
                cues.connectives | cues.prepositions) and toks[close + 1].low not in STOP:
            return None  # "an "interesting" case": a word quoted inside a phrase
        agent = next((m for m in range(n + 1, quote) if toks[m].low == "by"), None)
        if agent is not None:
            subject = noun_phrase_after(cues, toks, agent + 1, quote)
        else:
            found = noun_phrase_before(cues, toks, self._before_verb(n, lo), lo)
            subject = found[:2] if found else None
        if subject is None:
            return None
        return _Found(quote + 1, close, 0.6, True, subject, cue=n)

    def loose_quotes(self, found: list[_Found]) -> list[_Found]:
        """Quotations no cue has claimed: with a speaker after them, after a colon, or going
        on after a quotation whose speaker was named."""
        toks = self.toks
        taken = [(f.start, f.end) for f in found]
        out: list[_Found] = []
        for o, c in self.quotes:
            if c - o < 3 or any(s <= o + 1 < e or s < c <= e for s, e in taken):
                continue
            lo, _ = self.sentences[self.sentence_of[o]]
            claim = self._speaker_after(o, c) or self._speaker_before(o, lo)
            opens = o == lo or (o > 0 and toks[o - 1].text in "—–-") or (
                o > 0 and toks[o - 1].low == "and" and o - 2 in self.closing)
            if claim is None and opens:
                previous = [f for f in [*found, *out] if f.end <= o and f.direct]
                near = bool(previous) and self.sentence_of[o] - self.sentence_of[
                    min(previous[-1].end, len(toks) - 1)] <= 2
                if near:
                    claim = _Found(o + 1, c, 0.6, True, after=previous[-1].end)
                elif o == 0 and self.sources.last_speaker() and (c + 1 >= len(toks) or (
                        not toks[c + 1].word and toks[c - 1].text in ".!?")):
                    claim = _Found(o + 1, c, 0.5, True, after=-1)  # a quotation going on
            if claim:
                out.append(claim)
                taken.append((claim.start, claim.end))
        return out

    def _speaker_after(self, o: int, c: int) -> _Found | None:
        toks, cues = self.toks, self.cues
        k = c + 1
        while k < len(toks) and toks[k].text in ",—–-":
            k += 1
        if k >= len(toks) or (self.sentence_of[k] != self.sentence_of[min(c, len(toks) - 1)]
                              and toks[k].capital):
            return None  # the next sentence's subject is not the quotation's speaker
        high = self.sentences[self.sentence_of[k]][1]
        if toks[k].low in cues.verbs:
            subject = noun_phrase_after(cues, toks, k + 1, high)
            return _Found(o + 1, c, 0.85, True, subject, cue=k) if subject else None
        for j in range(k + 1, min(high, k + 12)):
            if not toks[j].word and toks[j].text not in ",.'’-":
                return None
            if toks[j].low in cues.verbs:
                found = noun_phrase_before(cues, toks, self._before_verb(j, k), k)
                if found and found[2] <= k + 1:
                    return _Found(o + 1, c, 0.85, True, found[:2], cue=j)
                return None
        return None

    def _speaker_before(self, o: int, lo: int) -> _Found | None:
        """ "Morell praised Mendez on Twitter: "...""."""
        toks = self.toks
        if o - 1 < lo or toks[o - 1].text != ":" or o >= len(toks) or o not in self.opening:
            return None
        subject = self.main_subject(lo, o - 1)
        if subject is None:
            return None
        return _Found(o + 1, self.opening[o], 0.7, True, subject, cue=o - 1)

    # -- sources -------------------------------------------------------------------

    def emit(self, found: list[_Found]) -> None:
        toks, text = self.toks, self.text
        done: dict[int, Source | None] = {}
        for claim in found:
            if not 0 <= claim.start < min(claim.end, len(toks)):
                continue  # an opening quote that is the paragraph's last token
            start, end = toks[claim.start].start, toks[min(claim.end, len(toks)) - 1].end
            start, end = outward(text, *_trimmed(text, start, end, claim.direct))
            if end <= start:
                continue
            score = claim.score
            if claim.after is not None:
                source = done.get(claim.after) if claim.after >= 0 else (
                    self.sources.last_speaker())
            elif claim.subject is not None:
                source, score = self.sources.of(toks, claim.subject, start, score)
            else:
                source = Source(kind=claim.kind or "unnamed")
            if source is not None and source.start is not None and source.end is not None \
                    and source.start <= start and end <= source.end:
                continue  # never a claim inside its own source
            done[claim.end] = source
            if source is not None and source.start is not None:
                self.sources.heard(start, source)
            attributes = [("quote", "direct" if claim.direct else "indirect")]
            if source is not None:
                attributes.append(("source_kind", source.kind))
            suggestion = Suggestion(start, end, CLAIM, "claim-cue", round(score, 2), source,
                                    tuple(sorted(attributes)))
            if any(s.key == suggestion.key for s in self.out[-3:]):
                continue
            self.out.append(suggestion)

def _innermost(found: list[_Found], pronoun: Callable[[int], bool]) -> list[_Found]:
    """Of a chain of cues ("X reported its source said Y"), the innermost: a claim whose
    content starts with another cue's subject gives way to it (a pronoun subject takes
    the outer source: "X said they believe Y")."""
    out = list(found)
    for inner in found:
        subject = inner.subject
        if subject is None:
            continue
        begins = inner.first if inner.first >= 0 else subject[0]
        for outer in found:
            if outer is inner or outer.direct or outer.start not in (begins, subject[0]) \
                    or not outer.start < inner.start <= outer.end:
                continue
            if outer in out:
                out.remove(outer)
            if subject[1] - subject[0] == 1 and pronoun(subject[0]):
                inner.subject, inner.kind = outer.subject, outer.kind
            break
    return out


def _trimmed(text: str, start: int, end: int, direct: bool) -> tuple[int, int]:
    """A claim without the marks that join it to its cue: leading "that" or quote marks,
    trailing commas and full stops (a quotation's closing mark kept when the claim opened
    it)."""
    while start < end and (text[start].isspace() or text[start] in ",:;—–-"):
        start += 1
    while end > start and text[end - 1] in _TRAILING:
        end -= 1
    while end - start > 3 and text[end - 3:end] in ("[.]", "[,]"):
        end -= 3
    inside = text[start:end]
    opened = inside.count("“") - inside.count("”") + inside.count('"') % 2
    if opened > 0 and end < len(text):
        closing = end
        while closing < len(text) and text[closing] in ".,!? ":
            closing += 1
        if closing < len(text) and text[closing] in "”\"":
            end = closing + 1
    elif not direct and inside and inside[0] in "“\"" and opened <= 0 and inside[1:].find(
            inside[0] if inside[0] == '"' else "”") == len(inside) - 2:
        start, end = start + 1, end - 1  # a claim that is all one quotation
    while start < end and text[start].isspace():  # '" must "': inside the marks too
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
