"""A Label Studio export (one JSON array) is read a task at a time (``corpus.
json_array_items``): the items are what ``orjson.loads`` gives for the whole file, wherever
the reads cut it, and a file that does not parse says what ``orjson`` says of it whole."""

from __future__ import annotations

import sys

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.core.test_text_lines import counted_at_peak
from tui.core.store import corpus
from tui.core.store.corpus import json_array_items

VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**63), 2**63 - 1)
    | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=4), inner,
                                                                 max_size=4),
    max_leaves=12)
SPACES = st.sampled_from(["", " ", "\n", "\r\n\t "])


def both(path, data: bytes) -> tuple[object, object]:
    """(the whole file's parse or its error, the items read as they come or their error)."""
    path.write_bytes(data)
    try:
        whole = orjson.loads(data)
        whole = whole if isinstance(whole, list) else [whole]
    except orjson.JSONDecodeError as exc:
        whole = ("error", exc.msg)
    try:
        items = list(json_array_items(path))
    except orjson.JSONDecodeError as exc:
        items = ("error", exc.msg)
    return whole, items


@given(items=st.lists(VALUES, max_size=6), space=SPACES, read=st.integers(1, 9))
def test_an_array_gives_the_items_of_the_whole_file(tmp_path_factory, items, space, read):
    path = tmp_path_factory.mktemp("array") / "tasks.json"
    data = (space + "[" + space + ("," + space).join(
        orjson.dumps(item).decode() for item in items) + space + "]" + space).encode()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(corpus, "READ", read)
        whole, got = both(path, data)
    assert got == whole == items


@given(data=st.sampled_from([
    b"", b"[", b"[1,", b"[1 2]", b"[1,]", b"[1] 2", b"[NaN]", b"[1e999]", b'["\\ud800"]',
    b"[18446744073709551616]", b'[{"a": 1}, {"b": }]', b"[" * 2000 + b"]" * 2000,
    b'[{"text": "\xff"}]', b'{"data": {"text": "one task"}}', b'[{"a": "]"}, "\\""]',
    b"[1, 2, 3", b'[{"a": [1, {"b": "x"}]}, 7]garbage']), read=st.integers(1, 9))
def test_a_file_that_does_not_parse_says_what_orjson_says_of_it(tmp_path_factory, data,
                                                                read):
    path = tmp_path_factory.mktemp("bad") / "tasks.json"
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(corpus, "READ", read)
        whole, got = both(path, data)
    # an orjson without a depth limit (3.9) reads the 2,000 nested lists, and comparing
    # them recurses as deep
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(10_000)
    try:
        assert got == whole
    finally:
        sys.setrecursionlimit(limit)


def test_a_large_export_is_never_held_whole(tmp_path, monkeypatch):
    """8 MB of tasks read 64 KB at a time in well under a megabyte (parsed whole, the
    file's bytes and every task were held at once)."""
    monkeypatch.setattr(corpus, "READ", 1 << 16)
    task = {"data": {"text": "Kyiv said the talks would go on. " * 30},
            "annotations": [{"result": [{"value": {"start": 0, "end": 4, "labels": ["LOC"]},
                                         "type": "labels", "id": "a"}]}]}
    path = tmp_path / "tasks.json"
    path.write_bytes(orjson.dumps([task] * 7500))
    assert path.stat().st_size > 8_000_000
    count, peak = counted_at_peak(json_array_items(path))
    assert count == 7500
    assert peak < 1 << 20
