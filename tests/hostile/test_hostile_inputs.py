"""Every import door attacked: random bytes, files cut short, every field of a valid record
replaced by every other JSON type, bad encodings, names that hold controls or markup, and
paths that are not files. Each case must keep the rule of `attack.check`."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.hostile.attack import (
    LABELS_JSON,
    LABELS_TEXT,
    TYPES,
    attack,
    can_drop_privileges,
    doccano_entities_record,
    doccano_label_record,
    import_args,
    jsonl,
    labelstudio_task,
    place,
    prodigy_record,
    seeds,
)

FORMATS = list(seeds())
HOLE = "@@hole@@"


def paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place in a JSON value: each key of each object, each item of each list."""
    found = [prefix]
    if isinstance(value, dict):
        for key, item in value.items():
            found += paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value[:2]):
            found += paths(item, (*prefix, index))
    return found


def replaced(record: Any, where: tuple[Any, ...], raw: bytes) -> bytes:
    """``record`` serialised with the value at ``where`` replaced by the raw JSON ``raw``."""
    if not where:
        return raw
    copy = orjson.loads(orjson.dumps(record))
    holder = copy
    for key in where[:-1]:
        holder = holder[key]
    holder[where[-1]] = HOLE
    return orjson.dumps(copy).replace(orjson.dumps(HOLE), raw)


RECORDS = {
    "jsonl": prodigy_record(),
    "doccano": doccano_label_record(),
    "doccano-entities": doccano_entities_record(),
    "labelstudio": labelstudio_task(),
}
FIELD_CASES = [(name, where, kind) for name, record in RECORDS.items()
               for where in paths(record) for kind in TYPES]


def as_file(name: str, content: bytes) -> bytes:
    """A broken record as the whole file of its format (Label Studio: a list of tasks)."""
    if name == "labelstudio":
        return b"[" + content + b"]"
    return content + b"\n" + jsonl({"text": "Another article."} if name != "doccano-entities"
                                   else {"text": "Another.", "entities": []})


@pytest.mark.parametrize(("name", "where", "kind"), FIELD_CASES,
                         ids=[f"{n}-{'.'.join(map(str, w)) or 'record'}-{k}"
                              for n, w, k in FIELD_CASES])
def test_every_field_replaced_by_every_json_type(tmp_path, name, where, kind):
    content = as_file(name, replaced(RECORDS[name], where, TYPES[kind]))
    attack(tmp_path, *import_args(name, place(tmp_path, name, content)))


@pytest.mark.parametrize(("name", "where", "kind"), FIELD_CASES[::7],
                         ids=[f"{n}-{'.'.join(map(str, w)) or 'record'}-{k}"
                              for n, w, k in FIELD_CASES[::7]])
def test_every_field_replaced_skipping_invalid(tmp_path, name, where, kind):
    """Under --skip-invalid the rest still imports, or the run is refused cleanly."""
    content = as_file(name, replaced(RECORDS[name], where, TYPES[kind]))
    attack(tmp_path, *import_args(name, place(tmp_path, name, content)), "--skip-invalid")


CUTS = 14


@pytest.mark.parametrize("name", FORMATS)
@pytest.mark.parametrize("part", range(1, CUTS))
def test_a_valid_file_cut_short(tmp_path, name, part):
    content = seeds()[name][1]
    cut = content[: len(content) * part // CUTS]
    attack(tmp_path, *import_args(name, place(tmp_path, name, cut)))


@pytest.mark.parametrize("name", FORMATS)
def test_the_valid_files_import(tmp_path, name):
    outcome = attack(tmp_path, *import_args(name, place(tmp_path, name, seeds()[name][1])))
    assert outcome.code == 0, outcome.err


@pytest.mark.parametrize("name", FORMATS)
@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(junk=st.binary(max_size=600))
def test_random_bytes(tmp_path_factory, name, junk):
    tmp = tmp_path_factory.mktemp("junk")
    attack(tmp, *import_args(name, place(tmp, name, junk)))


@pytest.mark.parametrize("name", FORMATS)
def test_invalid_utf8_in_the_middle(tmp_path, name):
    content = seeds()[name][1]
    middle = len(content) // 2
    attack(tmp_path, *import_args(name, place(tmp_path, name, content[:middle] + b"\xff\xfe"
                                               + content[middle:])))


@pytest.mark.parametrize("name", FORMATS)
def test_utf16_with_a_bom(tmp_path, name):
    content = seeds()[name][1].decode("utf-8").encode("utf-16")
    attack(tmp_path, *import_args(name, place(tmp_path, name, content)))


# -- names that hold controls or markup -----------------------------------------------

NASTY = ["A\x1bB", "A\nB", "A\tB", "[/]", "[link=file:///etc/passwd]x[/link]", "\x9b2J",
         "\x1b]8;;file:///etc/passwd\x07x", "A\x7fB", "\u202eABC", "A\x00B", "[bold]X"]


@pytest.mark.parametrize("nasty", NASTY, ids=[repr(n) for n in NASTY])
@pytest.mark.parametrize("field", ["label", "annotator", "title", "relation"])
def test_names_with_controls_or_markup(tmp_path, nasty, field):
    record = prodigy_record()
    if field == "label":
        record["spans"][0]["label"] = nasty
        record["relations"][0]["head_span"]["label"] = nasty
    elif field == "annotator":
        record["_annotator_id"] = nasty
    elif field == "title":
        record["meta"]["title"] = nasty
    else:
        record["relations"][0]["label"] = nasty
    outcome = attack(tmp_path, *import_args("jsonl", place(tmp_path, "jsonl",
                                                           jsonl(record))))
    if field == "label" and any(c.isspace() or not c.isprintable() for c in nasty):
        assert outcome.code == 2 and "cannot hold" in outcome.err


@pytest.mark.parametrize("nasty", NASTY[:8], ids=[repr(n) for n in NASTY[:8]])
def test_a_file_name_with_controls(tmp_path, nasty):
    (tmp_path / "input").mkdir()
    path = tmp_path / "input" / f"in{nasty.replace('/', '_').replace(chr(0), '_')}.jsonl"
    path.write_bytes(b'{"text": "Kyiv", "spans": [{"start": 0, "end": 40, "label": "X"}]}')
    outcome = attack(tmp_path, "import", path)
    assert outcome.code == 2


@pytest.mark.parametrize("nasty", NASTY, ids=[repr(n) for n in NASTY])
def test_a_csv_column_name_with_controls(tmp_path, nasty):
    content = f'title,"{nasty}"\nA,B\n'.encode()
    outcome = attack(tmp_path, *import_args("csv", place(tmp_path, "csv", content)))
    assert outcome.code == 2


@pytest.mark.parametrize("nasty", NASTY, ids=[repr(n) for n in NASTY])
def test_label_files_with_controls_or_markup(tmp_path, nasty):
    seed = place(tmp_path, "text", b"Kyiv says talks resume.")
    for form, content in [("json", orjson.dumps([{"name": nasty}])),
                          ("text", f"ACTOR\n{nasty}\n".encode())]:
        labels = tmp_path / f"labels.{form}"
        labels.write_bytes(content)
        attack(tmp_path, "import", seed, "--labels", labels)


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(junk=st.binary(max_size=300))
def test_label_files_of_random_bytes(tmp_path_factory, junk):
    tmp = tmp_path_factory.mktemp("labels")
    seed = place(tmp, "text", b"Kyiv says talks resume.")
    labels = tmp / "labels.txt"
    labels.write_bytes(junk)
    attack(tmp, "import", seed, "--labels", labels)


@pytest.mark.parametrize("content", [LABELS_JSON, LABELS_TEXT], ids=["json", "text"])
@pytest.mark.parametrize("part", range(1, 8))
def test_label_files_cut_short(tmp_path, content, part):
    seed = place(tmp_path, "text", b"Kyiv says talks resume.")
    labels = tmp_path / "labels.txt"
    labels.write_bytes(content[: len(content) * part // 8])
    attack(tmp_path, "import", seed, "--labels", labels)


LABEL_FILES = [b"", b"[", b"[5]", b'[{"key": "1"}]', b'[{"name": "A", "key": "12"}]',
               b'[{"name": "A", "colour": 5}]', b'{"name": "A"}', b"\xff\xfe\x00A",
               "ACTOR\n".encode("utf-16"), b'[{"name": "A"}, {"name": "A"}]', b"# none\n",
               b'[{"name": "A", "colour": "red; [link=x]"}]']


@pytest.mark.parametrize("content", LABEL_FILES, ids=[repr(c)[:30] for c in LABEL_FILES])
def test_broken_label_files(tmp_path, content):
    """Broken as JSON (a .json file is JSON whatever it holds) or as a list of names."""
    seed = place(tmp_path, "text", b"Kyiv says talks resume.")
    labels = tmp_path / f"labels.{'json' if content.lstrip()[:1] in (b'[', b'{') else 'txt'}"
    labels.write_bytes(content)
    outcome = attack(tmp_path, "import", seed, "--labels", labels)
    assert outcome.code == 2


NAMES_LIKE_JSON = {b"[draft]\nACTOR\n": ["[draft]", "ACTOR"], b"[\n": ["["],
                   b"{internal}\nCLAIM": ["{internal}", "CLAIM"], b"[1]\n[2]\n": ["[1]", "[2]"],
                   b'["ACTOR", "CLAIM"]': ["ACTOR", "CLAIM"],
                   b'  [{"name": "A"}]\n': ["A"], b'"ACTOR"\n': ['"ACTOR"']}


@pytest.mark.parametrize("content", list(NAMES_LIKE_JSON),
                         ids=[repr(c)[:30] for c in NAMES_LIKE_JSON])
def test_a_label_list_is_json_only_when_it_parses(tmp_path, content):
    """One name a line, unless the file is JSON by its name or by content that parses as a
    list or an object: a first name that starts with `[` is a name."""
    seed = place(tmp_path, "text", b"Kyiv says talks resume.")
    labels = tmp_path / "labels.txt"
    labels.write_bytes(content)
    outcome = attack(tmp_path, "import", seed, "--labels", labels)
    assert outcome.code == 0, outcome.err
    from tui.core.store.dataset import Dataset

    kept = Dataset.existing(tmp_path / "db", "x").labels
    assert [label.name for label in kept.labels] == NAMES_LIKE_JSON[content]


# -- paths that are not files ---------------------------------------------------------

SUFFIXES = {"jsonl": ".jsonl", "labelstudio": ".json", "text": ".txt", "csv": ".csv",
            "conll": ".conll", "brat": ".ann"}


@pytest.mark.parametrize("name", list(SUFFIXES))
@pytest.mark.parametrize("fmt", ["auto", "given"])
def test_a_fifo_never_hangs(tmp_path, name, fmt):
    fifo = tmp_path / f"in{SUFFIXES[name]}"
    os.mkfifo(fifo)
    if name == "brat":
        (tmp_path / "in.txt").write_text("Kyiv")
    args = ["import", fifo] + (["--format", name] if fmt == "given" else [])
    outcome = attack(tmp_path, *args, child=True)
    assert outcome.code == 2


@pytest.mark.parametrize("name", list(SUFFIXES))
def test_a_character_device_is_refused(tmp_path, name):
    outcome = attack(tmp_path, "import", "/dev/zero", "--format", name, child=True)
    assert outcome.code == 2


def test_labels_from_a_fifo_or_a_device(tmp_path):
    fifo = tmp_path / "labels.txt"
    os.mkfifo(fifo)
    seed = place(tmp_path, "text", b"Kyiv")
    for labels in (fifo, Path("/dev/zero")):
        assert attack(tmp_path, "import", seed, "--labels", labels, child=True).code == 2


@pytest.mark.parametrize("name", ["jsonl", "labelstudio", "csv", "conll"])
def test_a_folder_where_a_file_belongs(tmp_path, name):
    folder = tmp_path / f"dir{SUFFIXES[name]}"
    folder.mkdir()
    assert attack(tmp_path, "import", folder, "--format", name).code == 2


@pytest.mark.parametrize("name", list(SUFFIXES))
def test_a_dangling_symlink(tmp_path, name):
    link = tmp_path / f"gone{SUFFIXES[name]}"
    link.symlink_to(tmp_path / "nowhere")
    assert attack(tmp_path, "import", link).code == 2


def test_a_fifo_in_a_folder_of_articles(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "a.txt").write_text("Kyiv says talks resume.")
    os.mkfifo(folder / "b.txt")
    assert attack(tmp_path, "import", folder, child=True).code == 2


needs_permissions = pytest.mark.skipif(not can_drop_privileges(),
                                       reason="running as root without setpriv")


@needs_permissions
@pytest.mark.parametrize("name", list(SUFFIXES))
def test_an_unreadable_file(tmp_path, name):
    path = place(tmp_path, name if name != "jsonl" else "jsonl",
                 seeds()[name if name in seeds() else "jsonl"][1])
    path.chmod(0)
    assert attack(tmp_path, "import", path, child=True, unprivileged=True).code == 2


@needs_permissions
@pytest.mark.parametrize("kind", ["text", "brat"])
def test_an_unreadable_subfolder(tmp_path, kind):
    folder = tmp_path / "corpus"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.txt").write_text("Kyiv says talks resume.")
    if kind == "brat":
        (folder / "a.ann").write_text("")
    (folder / "sub" / "b.txt").write_text("Odesa was shelled.")
    (folder / "sub").chmod(0)
    try:
        outcome = attack(tmp_path, "import", folder, child=True, unprivileged=True)
    finally:
        (folder / "sub").chmod(0o755)
    assert outcome.code == 2 and "sub" in outcome.err
