"""Rows as Gloss writes them are checked in one expression (spans with attributes or
without, relations); whatever shape a row has, the spans and relations read are those the
careful check makes of it (the stats count these rows)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.core.disk.article_file import _Checker, read_article
from tui.core.disk.storage import CorruptFileError
from tui.core.document.model import Document, Relation, Span

TEXT = "Putin told Trump that Kyiv would talk."


def tables(span_rows: list[dict], relation_rows: list[dict] | None = None) -> tuple[Path, dict]:
    document = Document.from_text(TEXT)
    return Path(f"/nowhere/{document.id}.json"), {
        "article": {"1": {"id": document.id, "text": TEXT, "meta": {}, "added": 1}},
        "spans": {str(k): row for k, row in enumerate(span_rows, start=1)},
        "status": {}, "relations": {str(k): r for k, r in enumerate(relation_rows or [],
                                                                       start=1)}}


def row(start: int, end: int, label: str = "ACTOR", **attributes: object) -> dict:
    record = Span.new(TEXT, start, end, label, "olena").to_record()
    if attributes:
        record["attributes"] = dict(attributes)
    return record


@pytest.mark.parametrize("attributes", [
    {"canonical": "Vladimir Putin"},
    {"kind": "person", "canonical": "Vladimir Putin", "country": "RU"},  # not by name
    {},  # Gloss never writes it: the careful check drops it
])
def test_a_span_row_is_read_as_the_careful_check_reads_it(attributes):
    stored = row(0, 5)
    stored["attributes"] = dict(attributes)
    path, data = tables([stored])
    careful = _Checker(path).span("1", stored, TEXT)
    article = read_article(path, data)
    assert article.spans == [careful]
    assert article.span_rows[0].get("attributes", {}) == attributes


@pytest.mark.parametrize("value", [5, None, ["x"], {"a": "b"}, True])
def test_an_attribute_that_is_not_text_breaks_the_file(value):
    path, data = tables([row(0, 5, canonical=value)])
    with pytest.raises(CorruptFileError, match="span row 1: 'attributes'"):
        read_article(path, data)


def test_relation_rows_of_any_order_and_extra_fields():
    head, child = row(22, 37, "CLAIM"), row(0, 5)
    link = Relation(head["id"], child["id"], "SOURCE", "olena").to_record()
    shuffled = dict(reversed(list(link.items())))
    extra = {**link, "id": "other", "note": "from a later version"}
    path, data = tables([head, child], [link, shuffled, extra])
    assert read_article(path, data).relations == [
        Relation.from_record(link), Relation.from_record(shuffled), Relation.from_record(extra)]


@pytest.mark.parametrize(("field", "value"), [("head", "no-such-span"), ("child", 7),
                                              ("label", None), ("id", ["x"])])
def test_a_broken_relation_row_breaks_the_file(field, value):
    head, child = row(22, 37, "CLAIM"), row(0, 5)
    link = {**Relation(head["id"], child["id"], "SOURCE", "olena").to_record(), field: value}
    path, data = tables([head, child], [link])
    with pytest.raises(CorruptFileError, match="relation row 1"):
        read_article(path, data)
