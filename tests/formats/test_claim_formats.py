"""Claims with sources, out and back in: relations and attributes in brat (R, A and PolNeAR
E lines), Label Studio (relation and per-region results), doccano and Prodigy; the real
brat files keep every relation."""

from __future__ import annotations

import orjson

from tests.conftest import shared
from tui import interchange
from tui.core.store.corpus import Notes, import_articles
from tui.core.store.dataset import Dataset

TEXT = "Zelensky said the talks in Riyadh were a trap."


def imported(tmp_path, path, name="auto"):
    dataset = Dataset(tmp_path / "db", "alice")
    notes = Notes()
    import_articles(dataset, list(interchange.read(path, name, notes)), path.name, notes=notes)
    [article] = list(dataset.articles())
    return article, notes


def test_polnear_attribution_events_become_source_links_and_attributes_come_along(tmp_path):
    folder = tmp_path / "brat"
    folder.mkdir()
    (folder / "a.txt").write_text(TEXT)
    (folder / "a.ann").write_text(
        "T1\tACTOR 0 8\tZelensky\nT2\tCUE 9 13\tsaid\nT3\tCLAIM 14 45\t"
        "the talks in Riyadh were a trap\nT4\tLOCATION 27 33\tRiyadh\n"
        "E1\tAttribution:T2 Source:T1 Content:T3\nR1\tABOUT Arg1:T3 Arg2:T4\t\n"
        "A1\tquote T3 indirect\nA2\tcanonical T1 Volodymyr%20Zelensky\nA3\tNegated T4\n")
    article, _ = imported(tmp_path, folder)
    text_of = {s.id: s.text for s in article.spans}
    assert sorted((text_of[r.head], text_of[r.child], r.label) for r in article.relations) == [
        ("the talks in Riyadh were a trap", "Riyadh", "ABOUT"),
        ("the talks in Riyadh were a trap", "Zelensky", "SOURCE")]
    attributes = {s.text: dict(s.attributes) for s in article.spans if s.attributes}
    assert attributes == {"the talks in Riyadh were a trap": {"quote": "indirect"},
                          "Zelensky": {"canonical": "Volodymyr Zelensky"},
                          "Riyadh": {"Negated": "true"}}


def test_label_studio_per_region_choices_are_attributes(tmp_path):
    path = tmp_path / "ls.json"
    path.write_bytes(orjson.dumps([{"data": {"text": TEXT}, "annotations": [{"result": [
        {"id": "c", "type": "labels", "value": {"start": 14, "end": 45, "labels": ["CLAIM"]}},
        {"id": "c", "type": "choices", "from_name": "quote",
         "value": {"start": 14, "end": 45, "choices": ["direct"]}},
        {"id": "z", "type": "labels", "value": {"start": 0, "end": 8, "labels": ["ACTOR"]}},
        {"id": "z", "type": "textarea", "from_name": "canonical",
         "value": {"start": 0, "end": 8, "text": ["Volodymyr Zelensky"]}},
        {"type": "relation", "from_id": "c", "to_id": "z", "labels": ["SOURCE"]}]}]}]))
    article, _ = imported(tmp_path, path)
    assert {s.text: dict(s.attributes) for s in article.spans} == {
        "the talks in Riyadh were a trap": {"quote": "direct"},
        "Zelensky": {"canonical": "Volodymyr Zelensky"}}
    [relation] = article.relations
    assert relation.label == "SOURCE"


def test_the_brat_tutorial_keeps_every_relation_and_attribute(tmp_path):
    folder = shared("brat", "tutorial_news")
    dataset = Dataset(tmp_path / "db", "alice")
    notes = Notes()
    import_articles(dataset, list(interchange.read(folder, "brat", notes)), "brat", notes=notes)
    r_lines = a_lines = 0
    for ann in folder.glob("*.ann"):
        for line in ann.read_text().splitlines():
            fields = line.split("\t")[1].split() if "\t" in line else []
            if line.startswith("R"):
                r_lines += 1
            elif line.startswith(("A", "M")) and fields[1].startswith("T"):
                a_lines += 1
    articles = list(dataset.articles())
    assert sum(len(a.relations) for a in articles) == r_lines > 0
    assert sum(len(s.attributes) for a in articles for s in a.spans) == a_lines > 0
