import pytest

from tui.core.disk.storage import CorruptFileError, StorageError, article_lock
from tui.core.document.model import Document, GlossError, LabelSet, OffsetError, Span
from tui.core.store.dataset import Dataset


def test_a_labelled_span_is_on_disk_when_the_save_returns(dataset, article):
    span = dataset.new_span(article.id, 0, 5, "ACTOR")
    fresh = Dataset(dataset.folder, "bob")  # another process would see the same file
    [saved] = fresh.spans(article.id)
    assert (saved.start, saved.end, saved.label, saved.text) == (0, 5, "ACTOR", "Putin")
    assert saved.annotator == "alice" and saved.id == span.id and saved.created


def test_remove_relabel_restore_and_status(dataset, article):
    span = dataset.new_span(article.id, 10, 15, "ACTOR")
    relabelled = dataset.relabel_span(article.id, span.id, "LOCATION")
    assert [s.label for s in dataset.spans(article.id)] == ["LOCATION"]
    assert relabelled.updated >= span.updated
    removed = dataset.remove_span(article.id, span.id)
    assert dataset.spans(article.id) == []
    dataset.restore_span(article.id, removed)
    assert dataset.spans(article.id) == [removed]
    assert dataset.status(article.id) == "todo"
    dataset.set_status(article.id, "done")
    assert dataset.status(article.id) == "done"
    assert Dataset(dataset.folder, "bob").status(article.id) == "todo"
    with pytest.raises(GlossError, match="status must be one of"):
        dataset.set_status(article.id, "finished")


def test_saving_the_same_span_twice_keeps_one(dataset, article):
    span = Span.new(article.text, 0, 5, "ACTOR", "alice")
    dataset.save_span(article.id, span)
    dataset.save_span(article.id, span)  # a retry after a failed save
    assert len(dataset.spans(article.id)) == 1


@pytest.mark.parametrize(("start", "end", "reason"), [
    (-1, 3, "outside the text"), (5, 500, "outside the text"), (4, 4, "outside the text"),
    (9, 2, "outside the text"),
])
def test_offsets_outside_the_text_are_refused(dataset, article, start, end, reason):
    with pytest.raises(OffsetError, match=reason):
        dataset.new_span(article.id, start, end, "ACTOR")
    assert dataset.spans(article.id) == []


def test_a_span_splitting_an_emoji_or_accent_is_refused(dataset):
    doc = Document.from_text("Flag 🇺🇦 and Cafe\u0301 and 👩‍👩‍👧.")
    dataset.add_article(doc)
    flag = doc.text.index("🇺🇦")
    with pytest.raises(OffsetError, match="splits a character"):
        dataset.new_span(doc.id, flag, flag + 1, "LOCATION")
    family = doc.text.index("👩")
    with pytest.raises(OffsetError, match="splits a character"):
        dataset.new_span(doc.id, family, family + 2, "ACTOR")
    span = dataset.new_span(doc.id, flag, flag + 2, "LOCATION")
    assert span.text == "🇺🇦"


def test_adding_the_same_article_twice_adds_nothing(dataset, article):
    assert dataset.add_article(Document.from_text(article.text)) == (False, 0)
    assert dataset.ids() == [article.id]


def test_articles_are_listed_in_the_order_they_were_added(dataset):
    ids = [Document.from_text(f"Article {n}\n\nbody").id for n in (3, 1, 2)]
    for n in (3, 1, 2):
        dataset.add_article(Document.from_text(f"Article {n}\n\nbody"))
    rows, problems = dataset.summaries()
    assert [r.id for r in rows] == ids and problems == []
    assert rows[0].title == "Article 3" and rows[0].status == "todo"


def test_a_broken_article_file_is_named_and_never_overwritten(dataset, article):
    other = Document.from_text("Another article about Odesa.")
    dataset.add_article(other)
    broken = dataset.path(article.id)
    original = broken.read_bytes()
    broken.write_bytes(original[: len(original) // 2])  # cut short, as by hand
    rows, problems = dataset.summaries()
    assert [r.id for r in rows] == [other.id]
    assert len(problems) == 1 and str(broken) in problems[0] and "not valid JSON" in problems[0]
    with pytest.raises(CorruptFileError, match=str(broken)):
        dataset.new_span(article.id, 0, 5, "ACTOR")
    assert broken.read_bytes() == original[: len(original) // 2]
    dataset.new_span(other.id, 0, 7, "CLAIM")  # the other articles still open and save
    assert len(dataset.spans(other.id)) == 1


def test_a_locked_article_gives_a_clear_error_not_a_hang(tmp_path, article, dataset):
    impatient = Dataset(dataset.folder, "bob", lock_timeout=0.05)
    with article_lock(dataset.path(article.id)), \
            pytest.raises(StorageError, match="locked by another process"):
        impatient.new_span(article.id, 0, 5, "ACTOR")
    assert dataset.spans(article.id) == []


def test_leftover_temp_files_are_removed_on_open_once_their_writer_is_gone(dataset, article):
    dead, live = (f"{n:016x}" for n in (1, 2))
    (dataset.folder / f".{dead}.owner").touch()  # its writer was killed: nobody holds it
    temps = [dataset.folder / f".{article.id}.json.{who}.deadbeef.tmp" for who in (dead, live)]
    for temp in temps:
        temp.write_bytes(b'{"half": ')
    alive = Dataset(dataset.folder, "bob")
    alive.owner.token = live
    alive.owner.claim()  # a live writer, as another process would hold it
    Dataset(dataset.folder, "alice")
    assert [t.exists() for t in temps] == [False, True]
    assert not (dataset.folder / f".{dead}.owner").exists()
    assert dataset.path(article.id).exists()


def test_label_set_default_replace_and_grow(dataset):
    assert [(lb.name, lb.key) for lb in dataset.labels.labels] == [
        ("ACTOR", "1"), ("CLAIM", "2"), ("LOCATION", "3")]
    dataset.replace_labels(LabelSet.from_names(["PERSON", "ORG"]))
    assert Dataset(dataset.folder, "bob").labels.names() == ["PERSON", "ORG"]
    assert dataset.ensure_labels(["ORG", "GPE"]) == ["GPE"]
    assert Dataset(dataset.folder, "bob").labels.get("GPE").key == "3"


def test_bulk_add_merges_into_existing_articles_and_creates_new_ones(dataset, article):
    dataset.new_span(article.id, 0, 5, "ACTOR")
    fresh = Document.from_text("Odesa was shelled overnight.")
    results = dataset.add_articles([
        (Document.from_text(article.text), [Span.new(article.text, 10, 15, "ACTOR", "bob"),
                                            Span.new(article.text, 0, 5, "ACTOR", "alice")],
         []),
        (fresh, [Span.new(fresh.text, 0, 5, "LOCATION", "bob")], []),
    ])
    assert results == [(False, 1), (True, 1)]
    assert [s.text for s in dataset.spans(article.id)] == ["Putin", "Trump"]
    assert [s.text for s in Dataset(dataset.folder, "x").spans(fresh.id)] == ["Odesa"]
    assert not list(dataset.folder.glob(".*.tmp"))


def test_article_files_are_tinydb_databases(dataset, article):
    from tinydb import Query, TinyDB

    from tui.core.disk.storage import AtomicStorage

    dataset.new_span(article.id, 0, 5, "ACTOR")
    dataset.set_status(article.id, "done")
    with TinyDB(dataset.path(article.id), storage=AtomicStorage) as db:
        assert db.table("article").all()[0]["text"] == article.text
        assert db.table("spans").search(Query().label == "ACTOR")[0]["text"] == "Putin"
        assert db.table("status").all()[0]["status"] == "done"
        db.table("spans").insert(Span.new(article.text, 10, 15, "ACTOR", "bob").to_record())
    assert [s.text for s in dataset.spans(article.id)] == ["Putin", "Trump"]


def test_relations_follow_kept_spans_and_go_with_a_removed_one(dataset, article):
    from tui.core.document.model import Relation

    putin = dataset.new_span(article.id, 0, 5, "ACTOR")
    again = Span.new(article.text, 0, 5, "ACTOR", "alice")  # the same span, imported
    kyiv = Span.new(article.text, 53, 57, "LOCATION", "alice")
    dataset.add_article(Document.from_text(article.text), [again, kyiv],
                        [Relation(again.id, kyiv.id, "Located", "alice")])
    [relation] = dataset.article(article.id).relations
    assert (relation.head, relation.child, relation.label) == (putin.id, kyiv.id, "Located")
    dataset.remove_span(article.id, kyiv.id)
    assert dataset.article(article.id).relations == []


def test_another_writer_between_two_saves_is_never_overwritten(dataset, article):
    other = Dataset(dataset.folder, "bob")  # another process, in effect: its own memory
    dataset.new_span(article.id, 0, 5, "ACTOR")
    other.new_span(article.id, 10, 15, "ACTOR")
    dataset.new_span(article.id, 53, 57, "LOCATION")
    assert [s.text for s in Dataset(dataset.folder, "x").spans(article.id)] == [
        "Putin", "Trump", "Kyiv"]


def test_a_failed_write_leaves_nothing_behind_in_memory(dataset, article, monkeypatch):
    import tui.core.store.dataset as module

    dataset.new_span(article.id, 0, 5, "ACTOR")

    def full_disk(path, payload, fsync, token=None):
        raise StorageError(f"{path}: not saved: the disk is full")

    monkeypatch.setattr(module, "stage", full_disk)
    with pytest.raises(StorageError, match="disk is full"):
        dataset.new_span(article.id, 10, 15, "ACTOR")
    monkeypatch.undo()
    dataset.new_span(article.id, 53, 57, "LOCATION")
    assert [s.text for s in Dataset(dataset.folder, "x").spans(article.id)] == [
        "Putin", "Kyiv"]


def test_spans_are_made_from_the_checked_rows_in_order(dataset, article):
    text = article.text
    quote = Span.new(text, 0, 5, "CLAIM", "bob").with_attribute("quote", "yes")
    dataset.add_articles([(Document.from_text(text), [
        Span.new(text, 10, 15, "ACTOR", "bob"), quote, Span.new(text, 0, 15, "CLAIM", "al"),
        Span.new(text, 0, 5, "ACTOR", "bob")], [])])
    read = dataset.article(article.id)
    assert [(s.start, s.end, s.label) for s in read.spans] == [
        (0, 15, "CLAIM"), (0, 5, "ACTOR"), (0, 5, "CLAIM"), (10, 15, "ACTOR")]
    assert read.spans[2].attribute("quote") == "yes"  # a row with attributes, as saved
    assert read.span_rows == [s.to_record() for s in read.spans]
    [row] = Dataset(dataset.folder, "bob").summaries()[0]
    assert (row.spans, row.every) == (3, 4)  # a team's article: bob's, of every analyst's


def test_no_lock_file_is_ever_made(dataset):
    docs = [Document.from_text(f"Article {n}: talks in Kyiv resume.") for n in range(20)]
    dataset.add_articles([(doc, [], []) for doc in docs], keep_tokens=False)
    assert sorted(dataset.ids()) == sorted(doc.id for doc in docs)
    dataset.new_span(docs[0].id, 0, 7, "ACTOR")  # locks the article file itself
    dataset.ensure_labels(["NEW"])
    assert {p.name for p in dataset.folder.iterdir() if p.name.startswith(".")} == {
        ".cache", f".{dataset.owner.token}.owner"}  # the index; this writer's, while it lives
    assert [p.name for p in (dataset.folder / ".cache").iterdir()] == ["index.sqlite"]
    dataset.owner.release()
    assert [p.name for p in dataset.folder.iterdir() if p.name.startswith(".")] == [".cache"]


def test_a_failed_import_writes_nothing(dataset, article, monkeypatch):
    dataset.new_span(article.id, 0, 5, "ACTOR")
    before = {p.name: p.read_bytes() for p in dataset.folder.iterdir() if p.is_file()}
    first, second = (Document.from_text(f"Article {n}: talks in Kyiv resume.")
                     for n in range(2))

    def full(labels, change):
        raise StorageError("labels.json: not saved: the disk is full")

    monkeypatch.setattr(dataset, "stage_labels", full)
    with pytest.raises(StorageError, match="disk is full"):
        dataset.add_articles([(first, [], []), (second, [], []),
                              (Document.from_text(article.text),
                               [Span.new(article.text, 10, 15, "ACTOR", "bob")], [])],
                             labels=["NEW"])
    assert {p.name: p.read_bytes() for p in dataset.folder.iterdir() if p.is_file()} == before
    assert not list(dataset.folder.glob(".*.tmp"))


def test_a_save_made_while_an_import_stages_is_kept(dataset, article, monkeypatch):
    """bob saves into an article this import has merged into, and makes an article it
    brings as new, after it staged them: both are merged again at the commit."""
    fresh = Document.from_text("Odesa was shelled overnight.")
    other = Dataset(dataset.folder, "bob")  # another process, in effect
    committing = dataset.committing

    def meanwhile():
        other.new_span(article.id, 30, 40, "CLAIM")
        other.add_article(fresh, [Span.new(fresh.text, 0, 5, "LOCATION", "bob")])
        return committing()

    monkeypatch.setattr(dataset, "committing", meanwhile)
    results = dataset.add_articles([
        (Document.from_text(article.text), [Span.new(article.text, 10, 15, "ACTOR", "alice")],
         []),
        (fresh, [Span.new(fresh.text, 6, 9, "ACTOR", "alice")], []),
    ])
    assert results == [(False, 1), (False, 1)]
    assert sorted(s.text for s in dataset.spans(article.id)) == ["Trump", "cease-fire"]
    assert sorted(s.text for s in dataset.spans(fresh.id)) == ["Odesa", "was"]
    assert not list(dataset.folder.glob(".*.tmp"))


def test_relations_are_saved_once_and_removed_alone_or_with_their_span(dataset, article):
    from tui.core.document.model import Relation

    claim = dataset.new_span(article.id, 30, 40, "CLAIM")
    putin = dataset.new_span(article.id, 0, 5, "ACTOR")
    link = Relation(claim.id, putin.id, "SOURCE", "alice")
    assert dataset.save_relation(article.id, link) == link
    again = Relation(claim.id, putin.id, "SOURCE", "bob")  # the same link, another process
    assert dataset.save_relation(article.id, again).id == link.id
    assert Dataset(dataset.folder, "x").article(article.id).relations == [link]
    dataset.remove_relation(article.id, link.id)
    assert dataset.article(article.id).relations == []
    dataset.save_relation(article.id, link)
    dataset.remove_span(article.id, putin.id)
    assert dataset.article(article.id).relations == []
    with pytest.raises(GlossError, match="no span"):
        dataset.save_relation(article.id, link)  # its actor is gone
