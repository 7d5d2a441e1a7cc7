"""CoNLL as found in the wild: CoNLL-2003, CoNLL-U, newspaper TSV (HIPE / impresso), files
without blank lines, Windows files, OCR tokens that begin with a combining mark; bad tags
under --skip-invalid; controls in the text never reach a CoNLL export raw."""

from __future__ import annotations

import io
import os
import tempfile
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.conftest import FIXTURES, gloss
from tui import interchange
from tui.core.document.model import Document, Span
from tui.core.language.export_tokens import tokenizer
from tui.core.language.text import normalise
from tui.core.store.corpus import InputError, Notes, RawArticle, import_articles, prepare
from tui.core.store.dataset import Article, Dataset
from tui.formats import conll

CONLL = FIXTURES / "conll"


def read(path: Path, skip_invalid: bool = False) -> tuple[list[Document], list[list[Span]],
                                                           Notes]:
    """Each article of a CoNLL file as Gloss would store it, and the reader's notes."""
    notes = Notes(skip_invalid)
    documents, spans = [], []
    for raw in interchange.read(path, "conll", notes):
        assert normalise(raw.text) == raw.text  # stored as built: no offset ever moves
        document, found, _ = prepare(raw, "alice", path.name)
        documents.append(document)
        spans.append(found)
    return documents, spans, notes


def labelled(spans: list[Span]) -> list[tuple[str, str]]:
    return [(s.label, s.text) for s in spans]


def test_conll_2003_with_docstart_is_one_article_a_document_and_a_line_a_sentence():
    documents, spans, notes = read(CONLL / "conll2003.conll")
    assert [d.text for d in documents] == [
        "Zelensky met Trump in Riyadh .\nThe European Union welcomed the talks .",
        "KYIV 1\nUkraine agreed to a truce ."]
    assert [labelled(s) for s in spans] == [
        [("PER", "Zelensky"), ("PER", "Trump"), ("LOC", "Riyadh"), ("ORG", "European Union")],
        [("LOC", "KYIV"), ("LOC", "Ukraine")]]
    assert notes.lines() == ["2 IOB1 entities (starting with I-) converted"]


def test_conllu_newdoc_starts_an_article_and_comments_are_meta_or_skipped():
    documents, spans, notes = read(CONLL / "ud_last_column.conllu")
    assert [d.text for d in documents] == [
        "Zelensky met Trump in Riyadh .\nThe European Union welcomed it .", "Kyiv agreed ."]
    assert [d.meta["newdoc_id"] for d in documents] == ["riyadh-2025-03-11", "kyiv-2025-03-12"]
    assert not any("text" in d.meta or "sent_id" in d.meta for d in documents)
    assert [labelled(s) for s in spans] == [
        [("PER", "Zelensky"), ("PER", "Trump"), ("LOC", "Riyadh"), ("ORG", "European Union")],
        [("LOC", "Kyiv")]]
    assert notes.lines() == ["6 comment lines (#) skipped"]  # 3 sent_id, 3 text


def test_conllu_ner_in_misc_with_space_after_and_multiword_tokens():
    [document], [spans], notes = read(CONLL / "ud_misc_ner.conllu")
    # the words of "du" (3-4) are kept, the range line and the empty node 8.1 are not
    assert document.text == "Le chef de le Conseil arrive à Genève."
    assert labelled(spans) == [("ORG", "Conseil"), ("LOC", "Genève")]
    assert "2 CoNLL-U multiword-token and empty-node lines skipped (their words are kept)" \
        in notes.lines()


def test_newspaper_tsv_with_a_header_comments_and_no_blank_line():
    documents, spans, _ = read(CONLL / "hipe_newspaper.tsv")
    # EndOfLine ends a line, NoSpaceAfter glues; OCR's decomposed letters are stored composed;
    # a token that begins with a combining mark follows a tab, so it keeps its own letters
    assert [d.text for d in documents] == [
        "Lettre de Genève.\nM. Mun\t\u0303oz arrive d'\t\u0301Evian.\n"
        "Le\t\u0303Conseil fédéral siège.",
        "Nouvelles de Lausanne."]
    assert [labelled(s) for s in spans] == [
        [("loc", "Genève"), ("pers", "M. Mun\t\u0303oz"), ("loc", "\u0301Evian"),
         ("org", "\u0303Conseil fédéral")],
        [("loc", "Lausanne")]]
    assert [(d.meta["document_id"], d.meta["date"], d.meta["newspaper"], d.meta["language"])
            for d in documents] == [("EXP-1918-04-22-a-i0077", "1918-04-22", "EXP", "fr"),
                                    ("EXP-1918-04-23-a-i0012", "1918-04-23", "EXP", "fr")]
    assert not any("segment_iiif_link" in d.meta for d in documents)


def test_a_file_without_blank_lines_gets_a_line_a_sentence():
    [document], [spans], _ = read(CONLL / "no_blank_lines.conll")
    assert document.text.split("\n") == ["Putin spoke to business leaders in Moscow .",
                                          "Trump said the war must end !", "Will Kyiv agree ?"]
    assert labelled(spans) == [("PER", "Putin"), ("LOC", "Moscow"), ("PER", "Trump"),
                               ("LOC", "Kyiv")]


def test_a_windows_file_with_a_bom_reads_as_its_unix_twin():
    windows = read(CONLL / "windows_bom_crlf.conll")
    unix = read(CONLL / "windows_lf.conll")
    assert [d.text for d in windows[0]] == [d.text for d in unix[0]] == [
        "Zelensky met Trump in Riyadh .", "Kyiv agreed ."]
    assert [labelled(s) for s in windows[1]] == [labelled(s) for s in unix[1]]


def test_tokens_that_begin_with_a_joining_character_keep_their_edges():
    [document], [spans], notes = read(CONLL / "combining_marks.conll")
    assert labelled(spans) == [
        ("PER", "\u0303ntonio"), ("PER", "\u0301Elise"), ("PER", "Mun\t\u0303oz"),
        ("LOC", "\u0915\t\u093e\u0936\u0940"), ("ORG", "\u1100 \u1161"), ("DATE", "2025")]
    # a tab, never a space, before a token that would fuse with a space; after U+0600,
    # which fuses with whatever follows; '#' with a tag is a token, '# a comment' is not
    assert document.text == ("A\t\u0303ntonio met\t\u0301Elise Mun\t\u0303oz in \u0915\t"
                             "\u093e\u0936\u0940 #\t\u200dtag \u1100 \u1161 \u0600\t2025 .")
    assert notes.lines() == ["1 comment lines (#) skipped"]


def test_a_conllu_line_with_glued_jamo_keeps_them_apart(tmp_path):
    # SpaceAfter=No between a leading and a vowel jamo: NFC would make them one syllable
    path = tmp_path / "jamo.conllu"
    path.write_text("1\t\u1100\t_\t_\t_\t_\t_\t_\t_\tNER=B-ORG|SpaceAfter=No\n"
                    "2\t\u1161\t_\t_\t_\t_\t_\t_\t_\tNER=B-LOC\n", encoding="utf-8")
    [document], [spans], _ = read(path)
    assert document.text == "\u1100\t\u1161"
    assert labelled(spans) == [("ORG", "\u1100"), ("LOC", "\u1161")]


MARKS = ["\u0300", "\u0301", "\u0303", "\u0327", "\u093e", "\u200d", "\u200c", "\u1161",
         "\u11a8", "\u0600", "🇺", "🇦", "\u20e3", "\ufe0f"]
tokens = st.lists(st.sampled_from([*MARKS, "e", "n", "\u1100", "ク", "👩", "#", ".", "\\x"]),
                  min_size=1, max_size=4).map("".join)
tags = st.sampled_from(["O", "B-PER", "I-PER", "B-LOC"])


@given(st.lists(st.tuples(tokens, tags, st.booleans()), min_size=1, max_size=12))
def test_no_token_of_any_characters_makes_a_span_refused(rows):
    """Whatever characters a token begins or ends with, glued to its neighbour or not,
    every entity imports and reads as its own tokens (NFC), never part of a neighbour's."""
    notes = Notes()
    lines = "".join(f"{i + 1}\t{token}\t_\t_\t_\t_\t_\t_\t_\tNER={tag}"
                    + ("" if space else "|SpaceAfter=No") + "\n"
                    for i, (token, tag, space) in enumerate(rows))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "t.conllu"
        path.write_text(lines, encoding="utf-8")
        [raw] = interchange.read(path, "conll", notes)
    assert normalise(raw.text) == raw.text
    _, spans, _ = prepare(raw, "alice", "test")  # raises if any span splits a character
    entities: list[list[str]] = []
    for token, tag, _ in rows:
        if tag == "B-LOC" or tag == "B-PER" or (tag == "I-PER" and (
                not entities or entities[-1][0] != "PER")):
            entities.append([tag[2:], token])
        elif tag == "I-PER":
            entities[-1].append(token)
        else:
            entities.append(["O"])
    expected = [(e[0], "".join(unicodedata.normalize("NFC", t) for t in e[1:]))
                for e in entities if e[0] != "O"]
    assert [(s.label, s.text.replace(" ", "").replace("\t", "")) for s in spans] == expected


def test_a_bad_tag_is_one_line_and_skip_invalid_makes_only_that_token_o(tmp_path):
    path = tmp_path / "news.conll"
    path.write_text("Putin\tB-PER\nmet\tO\nTrump\tB_PER\nin\tO\nRiyadh\tB-LOC\n",
                    encoding="utf-8")
    result = gloss("import", path, "--db", tmp_path / "db")
    assert result.returncode == 2
    assert result.stderr == f"gloss: {path}:3: 'B_PER' is not an IOB tag (O, B-X, I-X, ...)\n"
    result = gloss("import", path, "--db", tmp_path / "db", "--skip-invalid")
    assert result.returncode == 0, result.stderr
    assert "imported 1 new articles, 2 spans" in result.stderr
    assert f"skipped: {path}:3: 'B_PER' is not an IOB tag (O, B-X, I-X, ...)" in result.stderr
    [article] = Dataset(tmp_path / "db", "alice").readable([])
    assert article.document.text == "Putin met Trump in Riyadh"
    assert labelled(article.spans) == [("PER", "Putin"), ("LOC", "Riyadh")]


def test_skip_invalid_keeps_every_other_entity_of_a_large_document(tmp_path):
    lines = [f"Kyiv\tB-LOC\nsaid\tO\ntalks\t{'O' if i % 500 else 'BAD'}\n"
             for i in range(2000)]
    path = tmp_path / "large.conll"
    path.write_text("".join(lines), encoding="utf-8")
    [document], [spans], notes = read(path, skip_invalid=True)
    assert len(spans) == 2000 and document.text.count("talks") == 2000
    assert notes.skipped == [f"{path}:{3 * i + 3}: 'BAD' is not an IOB tag (O, B-X, I-X, ...)"
                             for i in range(0, 2000, 500)]


@pytest.mark.parametrize(("content", "reason"), [
    ("1\tKyiv\t_\t_\t_\t_\t_\t_\t_\tB-LOC\n2\tsaid\t_\t_\t_\t_\t_\t_\tO\n",
     "2: expected 10 tab-separated columns (CoNLL-U)"),
    ("1\tKyiv\t_\t_\t_\t_\t_\t_\t_\tB-LOC\n2\tsaid\t_\t_\t_\t_\t_\t_\t_\tB-\x1b\n",
     "2: 'B-\\x1b' is not an IOB tag (O, B-X, I-X, ...)"),
    ("1\tKyiv\t_\t_\t_\t_\t_\t_\t_\tPlace\n", "1: 'Place' is not an IOB tag (O, B-X, I-X, ...)"),
    ("TOKEN\tPOS\tMISC\nKyiv\tNNP\t_\n", "1: a header line without a named entity column"
     " (NE-COARSE-LIT, NER, NE, TAG, LABEL, IOB)"),
    ("Kyiv\n", "1: expected a token and a tag"),
])
def test_malformed_lines_are_named(tmp_path, content, reason):
    path = tmp_path / "bad.conll"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as error:
        read(path)
    assert str(error.value) == f"{path}:{reason}"


@pytest.mark.parametrize("content", ["", "\n\n", "-DOCSTART- -X- -X- O\n\n",
                                     "# newdoc id = d1\n# text = nothing\n"])
def test_a_file_without_a_token_is_refused_or_skipped(tmp_path, content):
    path = tmp_path / "empty.conll"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as error:
        read(path)
    assert str(error.value) == f"{path}: no token lines"
    assert read(path, skip_invalid=True)[2].skipped == [f"{path}: no token lines"]


def test_file_and_document_id_comments_start_articles(tmp_path):
    path = tmp_path / "ocr.tsv"
    path.write_text("# file: a.txt\nKyiv\tB-LOC\n# newdoc\nOdesa\tB-LOC\n"
                    "# hipe2022:document_id = x-1\nLviv\tB-LOC\n# file:b.txt\nRivne\tB-LOC\n",
                    encoding="utf-8")
    documents, _, _ = read(path)
    assert [(d.text, d.meta.get("file"), d.meta.get("hipe2022:document_id"))
            for d in documents] == [("Kyiv", "a.txt", None), ("Odesa", None, None),
                                    ("Lviv", None, "x-1"), ("Rivne", "b.txt", None)]


def test_a_file_that_is_not_utf8_is_one_line(tmp_path):
    path = tmp_path / "utf16.conll"
    path.write_bytes("Kyiv\tB-LOC\n".encode("utf-16"))
    result = gloss("import", path, "--db", tmp_path / "db")
    assert result.returncode == 2
    assert result.stderr == f"gloss: {path}: not UTF-8 text (byte 0)\n"


def test_a_named_pipe_is_one_line_never_a_wait(tmp_path):
    path = tmp_path / "pipe.conll"
    os.mkfifo(path)
    result = gloss("import", path, "--db", tmp_path / "db")  # a hang would time out
    assert result.returncode == 2
    assert result.stderr == f"gloss: {path}: not a regular file but a named pipe (FIFO)\n"


def test_every_shape_imports_from_the_command_line(tmp_path):
    paths = sorted(CONLL.iterdir())
    result = gloss("import", *paths, "--db", tmp_path / "db", "--format", "conll")
    assert result.returncode == 0, result.stderr
    # the Windows file and its twin hold the same two texts, one also in the CoNLL-U file
    assert "imported 10 new articles, 31 spans (13 records read)" in result.stderr


def exported(text: str, spans: list[Span]) -> str:
    out = io.BytesIO()
    conll.write([Article(Document.from_text(text, {}), spans, {}, 0)], out, Notes(), None)
    return out.getvalue().decode("utf-8")


def imported(tmp: Path, content: str) -> RawArticle:
    path = tmp / "in.conll"
    path.write_text(content, encoding="utf-8")
    [raw] = interchange.read(path, "conll", Notes())
    return raw


def raw_controls(text: str) -> list[str]:
    return [c for c in text if (ord(c) < 0x20 and c not in "\t\n") or 0x7f <= ord(c) <= 0x9f]


def words(text: str) -> list[str]:
    return [t.text for t in tokenizer()[1](text) if not t.text.isspace()]


def test_conll_export_writes_controls_escaped_and_reads_them_back(tmp_path):
    text = "Putin \x1b[31m said\x07 the \x9b talks\x7f ended ."
    out = exported(text, [Span.new(text, 0, 5, "ACTOR", "alice")])
    assert raw_controls(out) == []
    assert all(escape in out for escape in ("\\x1b", "\\x07", "\\x9b", "\\x7f"))
    back = imported(tmp_path, out)
    assert back.text.split() == words(text)
    assert "\x1b" in back.text and "\x9b" in back.text
    assert [(back.text[s["start"]:s["end"]], s["label"]) for s in back.spans] == [
        ("Putin", "ACTOR")]


def test_an_escape_reads_as_its_character_and_an_escaped_backslash_as_a_backslash(tmp_path):
    raw = imported(tmp_path, "\\x1b\tO\n\\x5cx1b\tO\nC:\\xa0\\q\tO\n\\x2dDOCSTART-\tO\n")
    assert raw.text == "\x1b \\x1b C:\\xa0\\q -DOCSTART-"  # \xa0 is no control: as written


UNSAFE = ["\x1b", "\x07", "\x9b", "\x7f", "\x00", "\x85", "\\", "x", "1", "b", "5", "c", "#",
          "-DOCSTART-", "a", "\u0303", " ", " ", "\n"]


@given(st.lists(st.sampled_from(UNSAFE), min_size=1, max_size=16).map("".join))
def test_no_control_passes_into_a_conll_export_and_every_token_comes_back(text):
    text = normalise(text)
    if not text.strip():
        return
    out = exported(text, [])
    assert raw_controls(out) == []
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "out.conll"
        path.write_text(out, encoding="utf-8")
        back = [raw.text for raw in interchange.read(path, "conll", Notes())]
    # every character of every token comes back, in order (a token may hold a space)
    assert "".join("".join(back).split()) == "".join("".join(words(text)).split())


def test_tokens_glued_by_a_tab_export_and_import_again_the_same(tmp_path):
    [raw] = interchange.read(CONLL / "combining_marks.conll", "conll", Notes())
    dataset = Dataset(tmp_path / "db", "alice")
    import_articles(dataset, [raw], "marks")
    out = io.BytesIO()
    interchange.export(dataset, out, "conll")
    path = tmp_path / "again.conll"
    path.write_bytes(out.getvalue())
    [again] = interchange.read(path, "conll", Notes())
    assert again.text == raw.text
    assert again.spans == raw.spans
