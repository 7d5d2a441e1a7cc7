"""Nothing from the data reaches the terminal as a control or as markup: labels, analysts,
titles and texts holding ESC, BEL, OSC hyperlinks, C1 controls, bidi overrides or Rich
markup are printed literally by stats (in colour, as on a terminal), by the exports a
person reads (CoNLL, brat) and on stderr."""

from __future__ import annotations

import re

import pytest

from tests.hostile.attack import jsonl, run
from tui.core.document.model import Document, Span
from tui.core.store.dataset import Dataset

# In colour, Rich writes SGR sequences (ESC [ ... m) and nothing else that a terminal acts on
SGR = re.compile(r"\x1b\[[0-9;]*m")
ACTS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
MARKUP_LABELS = ["[/]", "[link=file:///etc/passwd]x", "[bold]B", "[red]R[/red]"]
CONTROL_NAMES = ["a\x1b]8;;file:///etc/passwd\x07b", "c\x9b2Jd", "e\x07f", "g\u202eh",
                 "i\x1b[31mj", "k\nl"]
TEXT = "Kyiv\x1b[2J says\x07 talks \x9b resume in Odesa.\x1b]8;;http://x\x07"


def acts(output: str) -> list[str]:
    return ACTS.findall(SGR.sub("", output))


@pytest.fixture
def nasty_db(tmp_path):
    """A dataset whose labels hold markup and whose analysts, title and text hold controls."""
    db = tmp_path / "db"
    source = tmp_path / "in.jsonl"
    records = [{"text": f"{TEXT} {n}", "meta": {"title": name, "source": name},
                "_annotator_id": name,
                "spans": [{"start": 0, "end": 4, "label": label}]}
               for n, (name, label) in enumerate(zip(CONTROL_NAMES, MARKUP_LABELS * 2,
                                                     strict=False))]
    source.write_bytes(jsonl(*records))
    outcome = run("import", source, "--db", db)
    assert outcome.code == 0, outcome.err
    assert not acts(outcome.err)
    return db


@pytest.mark.parametrize("env", [{}, {"FORCE_COLOR": "1", "TERM": "xterm-256color",
                                      "COLUMNS": "120"}], ids=["plain", "colour"])
def test_stats_prints_labels_and_analysts_literally(nasty_db, env):
    outcome = run("stats", "--db", nasty_db, env=env)
    assert outcome.code == 0, outcome.err
    shown = outcome.out.decode()
    assert not acts(shown)
    assert "\x1b]8;" not in shown  # no hyperlink: the link markup stayed text
    plain = SGR.sub("", shown)
    for label in MARKUP_LABELS:
        assert label in plain
    assert "a␛]8;;file:///etc/passwd␇b" in plain and "c␦2Jd" in plain


def test_a_broken_file_named_with_controls_is_named_safely(nasty_db):
    broken = nasty_db / "0123456789abcdef.json"
    broken.write_bytes(b'{"article": {"1": {"id": "\x1b]8;;x\x07"}}}')
    outcome = run("stats", "--db", nasty_db)
    assert outcome.code == 2 and not acts(outcome.err)


@pytest.mark.parametrize("fmt", ["conll", "jsonl", "doccano", "labelstudio"])
def test_exports_to_a_terminal_hold_no_controls(nasty_db, fmt):
    outcome = run("export", "--format", fmt, "--db", nasty_db)
    assert outcome.code == 0, outcome.err
    assert not acts(outcome.out.decode())


def test_conll_export_escapes_and_reads_back(nasty_db, tmp_path):
    out = tmp_path / "out.conll"
    assert run("export", "--format", "conll", "-o", out, "--db", nasty_db).code == 0
    assert "\\x1b" in out.read_text()
    again = tmp_path / "again"
    assert run("import", out, "--db", again).code == 0
    texts = {a.document.text for a in Dataset.existing(again, "x").articles()}
    assert any("\x1b" in text for text in texts)


def test_brat_export_escapes_the_covered_text_and_reads_back(tmp_path):
    db = tmp_path / "db"
    text = "The \x1b[31menvoy\x07 met Putin."
    dataset = Dataset(db, "alice")
    document = Document.from_text(text)
    dataset.add_article(document, [Span.new(text, 4, 15, "ACTOR", "alice")])
    out = tmp_path / "brat"
    assert run("export", "--format", "brat", "-o", out, "--db", db).code == 0
    [ann] = out.glob("*.ann")
    assert not acts(ann.read_text().replace("\t", " "))
    again = tmp_path / "again"
    assert run("import", out, "--db", again).code == 0
    [span] = Dataset.existing(again, "x").spans(document.id)
    assert span.text == "\x1b[31menvoy\x07"


def test_names_echoed_on_stderr_are_shown_not_obeyed(tmp_path):
    source = tmp_path / "in\x1b]0;pwned\x07.jsonl"
    source.write_bytes(jsonl({"text": "Kyiv", "spans": [{"start": 0, "end": 4,
                                                         "label": "[link=x]L"}]}))
    outcome = run("import", source, "--db", tmp_path / "db")
    assert outcome.code == 0, outcome.err
    assert "labels added to the label set: [link=x]L" in outcome.err
    bad = tmp_path / "bad\x1b]0;pwned\x07.jsonl"
    bad.write_bytes(b"{")
    outcome = run("import", bad, "--db", tmp_path / "db")
    assert outcome.code == 2 and not acts(outcome.err) and "bad␛]0;pwned␇" in outcome.err


@pytest.mark.parametrize("env", [{}, {"FORCE_COLOR": "1", "COLUMNS": "140"}],
                         ids=["plain", "colour"])
def test_stats_plots_print_labels_and_analysts_literally(nasty_db, env):
    """plotext writes names into a string of terminal codes: they reach it shown."""
    outcome = run("stats", "--plot", "--db", nasty_db, env=env)
    assert outcome.code == 0, outcome.err
    shown = outcome.out.decode()
    assert not acts(shown)
    assert "\x1b]8;" not in shown
    plain = SGR.sub("", shown)
    assert "c␦2Jd" in plain  # an analyst's name, beside the plots
    assert "[link=file:///etc/passwd]x" in plain  # a label, as it is
    if not env:
        assert "\x1b" not in shown  # piped: no colour at all


def test_stats_json_keeps_the_names_and_escapes_them(nasty_db):
    import orjson

    outcome = run("stats", "--format", "json", "--db", nasty_db)
    assert outcome.code == 0, outcome.err
    assert not acts(outcome.out.decode())  # JSON escapes every control
    figures = orjson.loads(outcome.out)
    assert set(figures["spans_per_analyst"]) == set(CONTROL_NAMES)  # the data, exactly
    assert set(MARKUP_LABELS) <= set(figures["labels"])


def test_reviewers_and_analysts_named_in_export_lines_are_shown_not_obeyed(nasty_db):
    """`gloss export --reviewed` names reviewers (from the data or --reviewer) in its
    warnings and its one-line refusal: controls shown, never obeyed."""
    dataset = Dataset.existing(nasty_db, "x")
    ids = dataset.ids()
    for name in CONTROL_NAMES[:3]:
        Dataset(nasty_db, name).set_status(ids[0], "reviewed")
    outcome = run("export", "--db", nasty_db, "--reviewed")  # several reviewers: left out
    assert outcome.code == 2 and not acts(outcome.err), outcome.err
    assert "␛]8;;file:///etc/passwd␇" in outcome.err
    for args in (["--reviewer", CONTROL_NAMES[0]], ["--reviewer", "\x1b[2Jx\x9b"],
                 ["--annotator", CONTROL_NAMES[4]], ["--all", "--format", "labelstudio"]):
        outcome = run("export", "--db", nasty_db, *args)
        assert outcome.code in (0, 2) and not acts(outcome.err), (args, outcome.err)
        assert not acts(outcome.out.decode()), args


@pytest.mark.parametrize("fmt", ["json", "table"])
def test_agree_names_analysts_literally(nasty_db, fmt):
    """Every analyst of the data, with their controls, compared: the table shows them, the
    JSON escapes them (C1 and bidi controls too), and both keep the names exactly."""
    import orjson

    dataset = Dataset.existing(nasty_db, "x")
    for name in CONTROL_NAMES:
        for doc_id in dataset.ids():
            Dataset(nasty_db, name).set_status(doc_id, "done")
    outcome = run("agree", "--all", "--format", fmt, "--db", nasty_db)
    assert outcome.code == 0, outcome.err
    shown = outcome.out.decode()
    assert not acts(shown) and "\x9b" not in shown and "\u202e" not in shown
    if fmt == "json":
        assert set(orjson.loads(outcome.out)["analysts"]) == set(CONTROL_NAMES)


def test_the_label_studio_config_keeps_markup_and_xml_in_names_as_data(nasty_db, tmp_path):
    """Labels and attribute names are data in the labeling config too: markup, quotes and
    XML's own characters come back exactly from an XML parser, and nothing acts on a
    terminal."""
    import xml.etree.ElementTree as ET

    from tui.core.document.model import LabelSet

    odd = ['<b>&amp;"', "'x'>"]
    dataset = Dataset(nasty_db, "x")
    labels = dataset.labels
    for name in odd:
        labels.add(name)
    labels = LabelSet.from_records({"labels": [{"name": n} for n in labels.names()],
                                    "relations": [{"name": "<r>", "from": odd[0],
                                                   "to": odd[1]}],
                                    "attributes": [{"name": "q&a", "on": [odd[0]],
                                                    "values": ['"yes"', "<no>"]}]})
    dataset.replace_labels(labels)
    outcome = run("export", "--format", "labelstudio", "--config", "--db", nasty_db)
    assert outcome.code == 0, outcome.err
    assert not acts(outcome.out.decode())
    view = ET.fromstring(outcome.out)
    assert [label.get("value") for label in view.iter("Label")] == labels.names()
    assert set(MARKUP_LABELS) <= set(labels.names())
    assert [r.get("value") for r in view.iter("Relation")] == ["<r>"]
    [choices] = view.iter("Choices")
    assert (choices.get("name"), choices.get("whenLabelValue"),
            [c.get("value") for c in choices.iter("Choice")]) == ("q&a", odd[0],
                                                                  ['"yes"', "<no>"])
