"""What the real clients refused or misread (tests/clients runs them), kept here as format
tests that need no client: Label Studio 1.23.2 refused the whole export over
``completed_by``, placed every region after an emoji one character late and gave the
analysts back as "1"; doccano 1.8.4 refused a file that mixed its two record forms."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET

import orjson

from tests.hostile.attack import run
from tui import interchange
from tui.core.document.model import Document, LabelSet, Relation, Span
from tui.core.store.corpus import Notes, import_articles
from tui.core.store.dataset import Dataset

TEXT = "Kyiv 🇺🇦 said 👍🏽 Zelensky met Trump in Riyadh. 🙂"


def at(word: str, text: str = TEXT) -> tuple[int, int]:
    start = text.index(word)
    return start, start + len(word)


def claims(folder) -> Dataset:
    """Olena's claim with its source and place after emoji, done; Taras skipped it."""
    dataset = Dataset(folder, "olena")
    doc = Document.from_text(TEXT, {"source": "wire"})
    claim = Span.new(TEXT, *at("Zelensky met Trump in Riyadh"), "CLAIM", "olena")
    claim = claim.with_attribute("quote", "indirect").with_attribute("source_kind", "actor")
    actor = Span.new(TEXT, *at("Zelensky"), "ACTOR", "olena").with_attribute(
        "canonical", "Volodymyr Zelensky")
    place = Span.new(TEXT, *at("Riyadh"), "LOCATION", "olena")
    dataset.add_article(doc, [claim, actor, place],
                        [Relation(claim.id, actor.id, "SOURCE", "olena"),
                         Relation(claim.id, place.id, "ABOUT", "olena")])
    dataset.set_status(doc.id, "done")
    Dataset(folder, "taras").set_status(doc.id, "skipped")
    return dataset


def exported(dataset: Dataset, name: str) -> bytes:
    out = io.BytesIO()
    interchange.export(dataset, out, name)
    return out.getvalue()


def imported(tmp_path, name: str, payload: bytes, suffix: str = ".json") -> Dataset:
    path = tmp_path / f"in{suffix}"
    path.write_bytes(payload)
    dataset = Dataset(tmp_path / "back", "importer")
    notes = Notes()
    import_articles(dataset, list(interchange.read(path, name, notes)), path.name, notes=notes)
    return dataset


def test_label_studio_export_names_no_user_label_studio_does_not_have(tmp_path):
    """Label Studio takes completed_by only as one of its users' id or email: "Import data
    contains completed_by=root which is not a valid annotator's email or ID"."""
    [task] = orjson.loads(exported(claims(tmp_path / "db"), "labelstudio"))
    assert all("completed_by" not in annotation for annotation in task["annotations"])
    # the analysts are named in the task's meta, by the id Label Studio keeps as import_id
    names = task["meta"]["annotators"]
    assert {names[str(a["id"])]: (a["was_cancelled"], len(a["result"]))
            for a in task["annotations"]} == {"olena": (False, 8), "taras": (True, 0)}
    assert all(type(a["id"]) is int for a in task["annotations"])


def test_label_studio_regions_after_an_emoji_are_counted_in_code_points(tmp_path):
    """Label Studio's Text tag counts code points: in UTF-16 units every region after 🇺🇦
    was drawn and converted three characters late."""
    [task] = orjson.loads(exported(claims(tmp_path / "db"), "labelstudio"))
    regions = [r["value"] for r in task["annotations"][0]["result"] if r["type"] == "labels"]
    assert [(v["start"], v["end"], v["text"]) for v in regions] == [
        (*at("Zelensky met Trump in Riyadh"), "Zelensky met Trump in Riyadh"),
        (*at("Zelensky"), "Zelensky"), (*at("Riyadh"), "Riyadh")]
    assert all(TEXT[v["start"]:v["end"]] == v["text"] for v in regions)


def label_studios_export(task: dict) -> dict:
    """``task`` as Label Studio's JSON export gives it back: its own ids and fields, the
    annotations completed by its user 1, the ids Gloss gave them kept as import_id."""
    annotations = [{**a, "id": 40 + n, "import_id": a["id"], "completed_by": 1,
                    "created_at": "2026-01-05T10:00:00Z", "lead_time": None, "task": 7,
                    "project": 2, "result_count": 0, "unique_id": "u", "last_action": None}
                   for n, a in enumerate(task["annotations"])]
    return {**task, "id": 7, "inner_id": 1, "annotations": annotations, "drafts": [],
            "predictions": [], "total_annotations": 1, "cancelled_annotations": 1,
            "project": 2, "updated_by": None, "comment_authors": []}


def test_label_studios_own_export_reads_back_analysts_statuses_and_no_task_id(tmp_path):
    original = claims(tmp_path / "db")
    [task] = orjson.loads(exported(original, "labelstudio"))
    back = imported(tmp_path, "labelstudio", orjson.dumps([label_studios_export(task)]))
    [article] = list(back.articles())
    assert {s.annotator for s in article.spans} == {"olena"}  # not "1"
    assert article.status == {"olena": "done", "taras": "skipped"}
    assert "labelstudio_id" not in article.document.meta
    assert article.document.meta == next(iter(original.articles())).document.meta
    assert exported(back, "labelstudio") == exported(original, "labelstudio")


def test_a_region_label_studio_drew_after_an_emoji_imports_where_it_was_drawn(tmp_path):
    """A region drawn in Label Studio (its user 1, code points) lands on its own text."""
    start, end = at("Trump")
    task = {"id": 9, "data": {"text": TEXT}, "annotations": [{
        "id": 3, "import_id": None, "completed_by": 1, "was_cancelled": False,
        "ground_truth": False, "result": [{"id": "x1", "type": "labels", "from_name": "label",
                                           "to_name": "text", "origin": "manual",
                                           "value": {"start": start, "end": end,
                                                     "text": "Trump", "labels": ["ACTOR"]}}]}]}
    back = imported(tmp_path, "labelstudio", orjson.dumps([task]))
    [span] = next(iter(back.articles())).spans
    assert (span.start, span.end, span.text, span.annotator) == (start, end, "Trump", "1")


def test_regions_of_older_label_studio_in_utf16_units_still_read(tmp_path):
    start = len(TEXT[:TEXT.index("Riyadh")].encode("utf-16-le")) // 2
    end = start + len("Riyadh")
    task = {"data": {"text": TEXT}, "annotations": [{"completed_by": "olena", "result": [
        {"id": "r", "type": "labels", "value": {"start": start, "end": end, "text": "Riyadh",
                                                 "labels": ["LOCATION"]}}]}]}
    back = imported(tmp_path, "labelstudio", orjson.dumps([task]))
    [span] = next(iter(back.articles())).spans
    assert (span.start, span.end, span.text) == (*at("Riyadh"), "Riyadh")


def test_the_label_studio_config_has_every_label_relation_and_attribute(tmp_path):
    dataset = claims(tmp_path / "db")
    outcome = run("export", "--format", "labelstudio", "--config", "--db", dataset.folder)
    assert outcome.code == 0, outcome.err
    view = ET.fromstring(outcome.out)
    assert [label.get("value") for label in view.iter("Label")] == dataset.labels.names()
    assert [r.get("value") for r in view.iter("Relation")] == ["SOURCE", "ABOUT"]
    chosen = {c.get("name"): [v.get("value") for v in c.iter("Choice")]
              for c in view.iter("Choices")}
    assert chosen["quote"] == ["direct", "indirect", "none"]
    assert {t.get("name") for t in view.iter("TextArea")} == {"canonical", "country"}
    assert all(c.get("perRegion") == "true" and c.get("toName") == "text"
               for c in [*view.iter("Choices"), *view.iter("TextArea")])
    # each result the export writes names a control of the config, of its own type
    [task] = orjson.loads(exported(dataset, "labelstudio"))
    controls = {c.get("name"): c.tag.lower() for c in view.iter()
                if c.get("toName") == "text"}
    for result in task["annotations"][0]["result"]:
        if result["type"] != "relation":
            assert controls[result["from_name"]] == result["type"], result


def test_the_config_is_refused_for_a_format_without_one(tmp_path):
    dataset = claims(tmp_path / "db")
    outcome = run("export", "--format", "doccano", "--config", "--db", dataset.folder)
    assert (outcome.code, outcome.out) == (2, b"")
    assert outcome.err == ("gloss: --config: doccano has no labeling config (Label Studio"
                           " has: --format labelstudio)\n")


def test_a_free_text_attribute_of_the_label_set_is_a_text_area_not_a_choice(tmp_path):
    dataset = claims(tmp_path / "db")
    labels = LabelSet.from_records({"labels": [{"name": n} for n in dataset.labels.names()],
                                    "attributes": [{"name": "quote", "on": ["CLAIM"]}]})
    dataset.replace_labels(labels)
    [task] = orjson.loads(exported(dataset, "labelstudio"))
    kinds = {r.get("from_name"): r["type"] for r in task["annotations"][0]["result"]}
    assert kinds["quote"] == "textarea" and kinds["label"] == "labels"
    # the attributes the label set no longer has (source_kind, canonical) go out, counted
    report = interchange.export(dataset, io.BytesIO(), "labelstudio")
    assert report.warnings == ["2 attributes not in the label set (no control in the"
                               " labeling config)"]


def test_a_doccano_file_is_in_one_form_whatever_its_articles_hold(tmp_path):
    """doccano refused a file mixing `label` records and `entities` records whole
    ("CHECK constraint failed: JSON_VALID(meta)")."""
    dataset = claims(tmp_path / "db")
    plain = "Odesa was shelled on Monday."
    doc = Document.from_text(plain)
    dataset.add_article(doc, [Span.new(plain, 0, 5, "LOCATION", "olena")])
    records = [orjson.loads(line) for line in exported(dataset, "doccano").splitlines()]
    assert [sorted(r) for r in records] == [["entities", "meta", "relations", "text"]] * 2
    [odesa] = [r for r in records if r["text"] == plain]
    assert odesa["entities"] == [{"id": 0, "start_offset": 0, "end_offset": 5,
                                  "label": "LOCATION"}] and odesa["relations"] == []


def test_a_doccano_file_without_links_is_in_the_sequence_labelling_form(tmp_path):
    dataset = Dataset(tmp_path / "db", "olena")
    for text in ("Odesa was shelled.", "Kyiv 🇺🇦 answered."):
        dataset.add_article(Document.from_text(text),
                            [Span.new(text, 0, 4, "LOCATION", "olena")])
    records = [orjson.loads(line) for line in exported(dataset, "doccano").splitlines()]
    assert [r["label"] for r in records] == [[[0, 4, "LOCATION"]]] * 2
    assert all("entities" not in r for r in records)


def test_doccanos_own_export_adds_no_empty_comments_to_the_meta(tmp_path):
    record = {"id": 5, "text": "Odesa was shelled.", "meta": {"annotators": ["olena"]},
              "Comments": [], "entities": [{"id": 1, "label": "LOCATION", "start_offset": 0,
                                            "end_offset": 5}], "relations": []}
    back = imported(tmp_path, "doccano", orjson.dumps(record) + b"\n", ".jsonl")
    [article] = list(back.articles())
    assert "Comments" not in article.document.meta
    assert [s.annotator for s in article.spans] == ["olena"]


def test_every_jsonl_span_has_the_same_fields_so_datasets_types_them(tmp_path):
    """Hugging Face datasets 5 read the spans of a file as untyped JSON when one span had
    `attributes` and another had none: every span now has them, empty or not."""
    dataset = claims(tmp_path / "db")
    plain = "Odesa was shelled on Monday."
    dataset.add_article(Document.from_text(plain), [Span.new(plain, 0, 5, "LOCATION",
                                                             "olena")])
    lines = [orjson.loads(line) for line in exported(dataset, "jsonl").splitlines()]
    fields = {tuple(span) for line in lines for span in line["spans"]}
    assert len(fields) == 1 and "attributes" in next(iter(fields))
    assert [s["attributes"] for line in lines for s in line["spans"]
            if s["text"] == "Odesa"] == [{}]
