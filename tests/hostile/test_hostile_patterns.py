"""Pattern files attacked through every door that takes one (`suggest --patterns`, `import
--patterns`): every field of a valid line replaced by every JSON type, random bytes, files cut
short, names with controls and markup, patterns that would match everywhere, and paths that
are not files. Each case keeps the rule of `attack.check`."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.hostile.attack import TEXT, TYPES, attack, jsonl, place, run
from tests.hostile.test_hostile_inputs import NASTY, paths, replaced

GOOD = [
    {"label": "LOCATION", "pattern": "Kyiv"},
    {"label": "ACTOR", "pattern": [{"LOWER": "putin"}, {"IS_TITLE": True, "OP": "?"}],
     "id": "Vladimir Putin"},
    {"label": "ACTOR", "pattern": [{"LOWER": {"IN": ["trump", "zelensky"]}},
                                   {"LENGTH": {">=": 1}, "OP": "{0,2}"}]},
]
DOORS = ["suggest", "import"]


def dataset(tmp: Path) -> Path:
    """A dataset of one article, for `suggest` to work on."""
    article = place(tmp, "text", TEXT.encode())
    assert run("import", article, "--db", tmp / "db").code == 0
    return article


def through(tmp: Path, door: str, patterns: Path, **options: object):
    article = dataset(tmp)
    if door == "suggest":
        return attack(tmp, "suggest", "--patterns", patterns, **options)
    return attack(tmp, "import", article, "--patterns", patterns, **options)


def pattern_file(tmp: Path, content: bytes) -> Path:
    path = tmp / "patterns.jsonl"
    path.write_bytes(content)
    return path


@pytest.mark.parametrize("door", DOORS)
def test_a_valid_file_is_taken_and_kept(tmp_path, door):
    path = pattern_file(tmp_path, jsonl(*GOOD))
    assert through(tmp_path, door, path).code == 0
    assert (tmp_path / "db" / "patterns.jsonl").read_bytes() == path.read_bytes()


CASES = [(n, where, kind) for n, record in enumerate(GOOD) for where in paths(record)
         for kind in TYPES]


@pytest.mark.parametrize(("n", "where", "kind"), CASES,
                         ids=[f"{n}-{'.'.join(map(str, w)) or 'record'}-{k}"
                              for n, w, k in CASES])
def test_every_field_replaced_by_every_json_type(tmp_path, n, where, kind):
    lines = [orjson.dumps(r) for r in GOOD]
    lines[n] = replaced(GOOD[n], where, TYPES[kind])
    through(tmp_path, "suggest", pattern_file(tmp_path, b"\n".join(lines) + b"\n"))


@pytest.mark.parametrize("part", range(1, 8))
def test_a_valid_file_cut_short(tmp_path, part):
    content = jsonl(*GOOD)
    through(tmp_path, "suggest", pattern_file(tmp_path, content[: len(content) * part // 8]))


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(junk=st.binary(max_size=300))
def test_random_bytes(tmp_path_factory, junk):
    tmp = tmp_path_factory.mktemp("patterns")
    through(tmp, "suggest", pattern_file(tmp, junk))


@pytest.mark.parametrize("nasty", NASTY, ids=[repr(n) for n in NASTY])
@pytest.mark.parametrize("field", ["label", "id", "value"])
def test_names_with_controls_or_markup(tmp_path, nasty, field):
    record: dict = {"label": "ACTOR", "pattern": [{"LOWER": "putin"}]}
    if field == "value":
        record["pattern"] = nasty
    else:
        record[field] = nasty
    through(tmp_path, "suggest", pattern_file(tmp_path, jsonl(record)))


EVERYWHERE = [
    [{"OP": "*"}, {"OP": "+"}],
    [{"OP": "*"}, {"LOWER": "a"}, {"OP": "*"}],
    [{"OP": "{0,8}"}, {"OP": "{0,8}"}, {}],
    [{"IS_ALPHA": True, "OP": "+"}, {"OP": "!"}, {"OP": "*"}],
    [{"IS_PUNCT": False, "OP": "*"}, {"OP": "+"}],  # run by spaCy, where it is installed
]


@pytest.mark.parametrize("raw", EVERYWHERE, ids=range(len(EVERYWHERE)))
def test_patterns_that_match_everywhere_never_hang(tmp_path, raw):
    long = place(tmp_path, "text", ("a b " * 3000 + "\n").encode() * 4)
    assert run("import", long, "--db", tmp_path / "db").code == 0
    path = pattern_file(tmp_path, jsonl({"label": "X", "pattern": raw}))
    outcome = attack(tmp_path, "suggest", "--patterns", path)
    assert outcome.code == 0 or "needs spaCy" in outcome.err


@pytest.mark.parametrize("door", DOORS)
@pytest.mark.parametrize("kind", ["folder", "fifo", "device", "missing"])
def test_a_path_that_is_not_a_file(tmp_path, door, kind):
    if kind == "folder":
        path = tmp_path / "dir.jsonl"
        path.mkdir()
    elif kind == "fifo":
        import os

        path = tmp_path / "fifo.jsonl"
        os.mkfifo(path)
    elif kind == "device":
        path = Path("/dev/zero")
    else:
        path = tmp_path / "gone.jsonl"
    outcome = through(tmp_path, door, path, child=kind in ("fifo", "device"))
    assert outcome.code == 2
