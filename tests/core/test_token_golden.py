"""The tokens Gloss keeps beside a dataset stay of use across upgrades, and stay right.

Kept tokens are valid for ``token_cache.version()``: the tokenizer's name (spaCy's version,
or ``gloss-rules-2``), ``TOKENS_FORMAT`` (a number bumped by hand) and the Unicode data
the rules read, never a hash of Gloss's source, so a refactor leaves every user's kept
tokens of use. What keeps that right is the golden test here: the bytes Gloss makes for
a fixed, varied corpus (the shipped ``seeds/`` and the tricky strings below), digested,
must be the digest recorded for the current ``TOKENS_FORMAT``; a change to those bytes
fails it until the format is bumped (and the new digest recorded).

Why it is not version-fragile: a digest is pinned only for the tokenizer it was recorded
with. The rules-only path (no spaCy: forced here even where spaCy is installed) is Gloss's
own code, so its digest is pinned wherever the test runs. spaCy's path is pinned for the
spaCy it was recorded with (the one constraints.txt installs); under another spaCy (the
lowest-versions job may have one) that spaCy's version is in the cache's version already,
so tokens it makes never mix with another's, and the test checks instead that Gloss's
tokens are spaCy's own tokenization where no grapheme cluster is split (the only place
Gloss changes spaCy's tokens), which any spaCy must pass. The corpus holds no character
newer than Unicode 14 (Python 3.11's), so the digest is the same on every Python CI runs
(checked by hand: the same on Python 3.11 and 3.13, and with the lowest regex, msgspec and
orjson pyproject.toml allows).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import orjson
import pytest

import tui
from tui.core.disk import token_cache
from tui.core.language import export_tokens
from tui.core.language.text import has_joiners

SEEDS = Path(__file__).resolve().parents[2] / "seeds"

TRICKY = [
    "Flag 🇺🇦🇺🇸 and a family 👩‍👩‍👧‍👦, a 👍🏽 thumb, a keycap 1️⃣ and ❤️‍🔥.",
    "北京和上海的谈判于周二在日内瓦举行。東京では「停戦」について話し合った。서울 회담.",
    "قال الرئيس إن المحادثات ستستأنف في 12 مارس. הוא אמר \"שלום\" בירושלים.",
    "Café vs Cafe\u0301, n\u0303o, Z\u0351\u0306a\u0327l\u0300go, e\u0301\u0301\u0301.",
    "Windows line\r\nends\rand old Mac\n\nand\u2028separators\u2029too.",
    "Tabs\tbetween\t\twords and  two spaces and a trailing space ",
    "See https://example.com/path?q=1&x=y#frag, www.gloss.org and mail@example.org.",
    "Smile :) )  :-( ;) <3 :P ^_^ and (: then :)) end.",
    "A cease-fire, well-known state-of-the-art plans--and a hyphen - alone; e-mail.",
    "Numbers: 1,000,000 and 3.14, -5, +7, 1e10, 12:30, 30-day, $100, €5.50, 50%, 2nd.",
    "Don't can't won't y'all it's Putin's Zelensky’s \"quoted\" 'single' «guillemets».",
    "U.S. Dr. e.g. i.e. etc. Mr. Smith vs. Ms. Jones at 5 p.m. in N.Y.C. a.k.a. U.K.",
    "Pneumonoultramicroscopicsilicovolcanoconiosis" * 40 + " and after.",
    "x" * 5000 + "!" + " ok",
    "Mixed Latin-кирилица, Ελληνικά, हिन्दी में, ภาษาไทย and ქართული.",
    "(Brackets) [square] {curly} «quotes» „low“ ‘single’ … ellipsis — dash – en.",
    "\u200b zero width\u200bspace, a soft\u00adhyphen, non\u00a0breaking, BOM\ufeffhere.",
    "#hashtag @mention C++ C# .NET node.js 3D 4K 10km/h 5'11\" 7\"",
]


def corpus() -> Iterator[str]:
    for path in sorted(SEEDS.glob("*.txt")):
        yield path.read_text(encoding="utf-8")
    yield from TRICKY


def digest() -> str:
    """The digest of the entries Gloss keeps for the corpus: the tokens' offsets and the
    records' JSON the export copies, byte for byte (as the entries' first layout held them:
    the layout is not the tokens, and a new one reads the old)."""
    total = hashlib.sha256()
    for text in corpus():
        unpacked = token_cache.unpack(token_cache.make(text))
        assert unpacked is not None
        starts, ends, tokens = unpacked
        entry = orjson.dumps([starts.tolist(), ends.tolist()]) + b"\n" + tokens
        total.update(len(entry).to_bytes(8, "big") + entry)
    return total.hexdigest()


# tokenizer name -> (TOKENS_FORMAT it was recorded for, the digest of the corpus's entries).
# The two are the same: the rules port gives spaCy's tokens on this corpus.
RECORDED = {
    "gloss-rules-2": (1, "de87d69ea900a6173296cc84251acdcbe244f7999794ac6664ef77a487d7ffb1"),
    "spacy-3.8.18": (1, "de87d69ea900a6173296cc84251acdcbe244f7999794ac6664ef77a487d7ffb1"),
}


def check_golden(name: str) -> None:
    made = digest()
    recorded = RECORDED.get(name)
    if recorded is None:
        pytest.skip(f"no digest recorded for {name}: checked against spaCy's own tokens")
    fmt, pinned = recorded
    where = "tui/core/language/export_tokens.py"
    if fmt != export_tokens.TOKENS_FORMAT:
        pytest.fail(f"TOKENS_FORMAT is {export_tokens.TOKENS_FORMAT} but the digest of"
                    f" {name} was recorded for {fmt}: record the new one in"
                    f" {__file__}: RECORDED[{name!r}] = ({export_tokens.TOKENS_FORMAT},"
                    f" {made!r})")
    assert made == pinned, (
        f"The tokens {name} makes for the golden corpus changed, and TOKENS_FORMAT did not"
        f" (digest {made}, recorded {pinned}). Tokens kept beside users' datasets by the"
        " Gloss before would be copied into their exports as they are, unlike what this"
        f" Gloss makes. If the change is meant: bump TOKENS_FORMAT in {where} (kept tokens"
        f" of the old format are then not used), and record RECORDED[{name!r}] ="
        f" ({export_tokens.TOKENS_FORMAT + 1}, {made!r}) here. If it is not: the change"
        " altered tokenization by mistake.")


@pytest.fixture
def rules_only(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The export's tokenizer as it is without the spacy extra (CI's jobs without it)."""
    caches = (export_tokens._tokenizers, export_tokens.expected_name, token_cache.version)
    for cached in caches:
        cached.cache_clear()
    # import spacy: ImportError; importlib.util.find_spec("spacy"): None
    monkeypatch.setitem(sys.modules, "spacy", None)
    yield
    monkeypatch.undo()
    for cached in caches:
        cached.cache_clear()


def test_the_rules_tokens_of_the_golden_corpus_are_those_recorded(rules_only):
    assert export_tokens.tokenizer()[0] == export_tokens.RULES
    assert token_cache.version().startswith(export_tokens.RULES + "+")
    check_golden(export_tokens.RULES)


def test_spacy_s_tokens_of_the_golden_corpus_are_those_recorded():
    pytest.importorskip("spacy")
    check_golden(export_tokens.tokenizer()[0])


def test_gloss_s_tokens_are_spacy_s_own_where_no_cluster_is_split():
    """Under any spaCy: what Gloss makes is spaCy's tokenization, read straight from it."""
    spacy = pytest.importorskip("spacy")
    nlp = spacy.blank("en")
    for text in corpus():
        if has_joiners(text):
            continue
        starts, ends, spaces = export_tokens.piece_tokens(text, 0, len(text))
        doc = nlp.tokenizer(text)
        assert list(zip(starts, ends, spaces, strict=True)) == [
            (t.idx, t.idx + len(t.text), int(bool(t.whitespace_))) for t in doc], text[:60]


def test_the_version_is_the_same_when_the_source_changes(tmp_path):
    """A refactor, a comment: the tokens made are the same, and so is the version, so
    tokens kept before an upgrade are used after it."""
    package = Path(tui.__file__).parent
    copy = tmp_path / "tui"
    shutil.copytree(package, copy, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("tokens.py", "text.py", "export_tokens.py"):
        with (copy / "core" / "language" / name).open("a") as module:
            module.write("\n# a comment added by a refactor\n")
    ask = "from tui.core.disk import token_cache as t; print(t.version())"
    versions = [subprocess.run([sys.executable, "-c", ask], capture_output=True, text=True,
                               check=True, cwd=where,
                               env={**os.environ, "PYTHONPATH": str(where)}).stdout
                for where in (tmp_path, package.parent)]
    assert versions[0] == versions[1] and "+f" in versions[0]
    assert versions[0].strip() == token_cache.version()
