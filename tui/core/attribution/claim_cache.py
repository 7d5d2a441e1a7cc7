"""What the claims board needs of each article, kept between sessions so that the board of
a 5,000-article dataset opens in a fraction of a second, not after reading 48 MB of files.

``<dataset>/.cache/claims.json`` holds, for each article file, its signature (inode,
modification time, size) and a digest: the article's title, date and place in the library,
its claims and the spans they link to (as lists, not objects: parsing is what costs), the
links, and the canonical names its spans were given, counted. A digest is an
:class:`Article` with an empty text, which the claim index takes like any article.

Why it stays right:

- every write of an article file replaces it (a new inode) or changes its time and size, so
  a file whose signature differs from its entry is read again; the signature is taken
  before the file is read, so a file replaced while it is read is read again next time;
- the cache is a cache, never data: one that is missing, unreadable, of another version, of
  another label set's relations, or whose entry is not of the shape written here, is a
  miss, and the file is read. It is written (atomically, without fsync: losing it costs a
  read) only by the app, never by a read-only command;
- a broken article file is never cached: it is read, and named, every time.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Any

from tui.core.attribution.claim_index import names_given
from tui.core.document.model import Document, GlossError, LabelSet, Relation
from tui.core.document.schema import ABOUT, SOURCE
from tui.core.store import cache_file
from tui.core.store.article_file import Article
from tui.core.store.dataset import Dataset
from tui.core.store.storage import CorruptFileError

FOLDER = cache_file.FOLDER
NAME = "claims.json"
VERSION = 2
_ROW_FIELDS = ("start", "end", "label", "text", "annotator", "source", "id", "created",
               "updated")
_RELATION_FIELDS = ("head", "child", "label", "annotator", "id")

Given = Counter[tuple[str, str, str]]  # (label, text folded, canonical name): how often


def digest(article: Article, labels: LabelSet) -> Article:
    """What the board needs of ``article``: its claims and what they link to, no text."""
    heads = {r.head for r in labels.relations if r.name in (SOURCE, ABOUT)}
    links = [r for r in article.relations if r.label in (SOURCE, ABOUT)]
    linked = {r.child for r in links}
    rows = [row for row in article.span_rows if row["label"] in heads or row["id"] in linked]
    kept = {row["id"] for row in rows}
    meta = {"title": article.document.title,
            "date": str(article.document.meta.get("date") or "")}
    return Article(Document(article.document.id, "", meta), None, dict(article.status),
                   article.added, [r for r in links if r.head in kept and r.child in kept],
                   rows=rows, path=article.path)


def cached_articles(dataset: Dataset, problems: list[str], *, write: bool = True
                    ) -> Iterator[tuple[Article, Given]]:
    """A digest of every readable article and its canonical names, in the library's order,
    each from the cache where its file is unchanged; each broken file's one-line error goes
    to ``problems``. The cache is written again when anything changed and ``write``."""
    path = dataset.folder / FOLDER / NAME
    key = _key(dataset.labels)
    old = cache_file.load(path, key)
    entries: dict[str, list[Any]] = {}
    found: list[tuple[Article, Given]] = []
    changed = False
    for doc_id in dataset.ids():
        seen = list(dataset.stamp(doc_id))
        entry = old.get(doc_id)
        item = _from_entry(doc_id, entry) if entry and entry[0] == seen else None
        if item is None:
            changed = True
            try:
                article = dataset.article(doc_id)
            except CorruptFileError as exc:
                problems.append(str(exc))
                continue
            except GlossError:
                continue  # removed since the folder was listed
            item = (digest(article, dataset.labels), names_given(article))
            entry = _entry(seen, *item)
        entries[doc_id] = entry
        found.append(item)
    found.sort(key=lambda item: (item[0].added, item[0].document.id))
    if write and not dataset.read_only and (changed or len(entries) != len(old)):
        cache_file.save(path, key, entries)
    yield from found


def _key(labels: LabelSet) -> list[Any]:
    return [VERSION, sorted([r.name, r.head, r.child] for r in labels.relations)]


def _entry(seen: list[int], article: Article, given: Given) -> list[Any]:
    meta = article.document.meta
    rows = [[*list(row.values())[:9], row.get("attributes", {})] for row in article.span_rows]
    return [seen, meta["title"], meta["date"], article.added, article.status, rows,
            [[r.head, r.child, r.label, r.annotator, r.id] for r in article.relations],
            [[*names, n] for names, n in given.items()]]


def _from_entry(doc_id: str, entry: Any) -> tuple[Article, Given] | None:
    """The digest an entry holds, or None when it is not of the shape written here (a
    cache edited by hand, or cut short): then the file is read. Checked a type set at a
    time, not a call a row: 70,000 rows at 5,000 articles."""
    try:
        _seen, title, date, added, status, rows, relations, names = entry
    except (TypeError, ValueError):
        return None
    if not (type(title) is str and type(date) is str and type(added) is int
            and type(status) is dict and type(rows) is list and type(relations) is list
            and type(names) is list and _types(status.values()) <= _STR
            and _types(rows) <= _LIST and _types(relations) <= _LIST
            and _types(names) <= _LIST):
        return None
    if (any(len(row) != _ROW_LENGTH for row in rows)
            or any(len(link) != _LINK_LENGTH for link in relations)
            or any(len(name) != _NAME_LENGTH for name in names)
            or {type(v) for row in rows for v in row[:2]} - _INT
            or {type(v) for row in rows for v in row[2:9]} - _STR
            or _types(row[9] for row in rows) - _DICT
            or {type(v) for row in rows for v in row[9].values()} - _STR
            or {type(v) for link in relations for v in link} - _STR
            or {type(v) for name in names for v in name[:3]} - _STR
            or _types(name[3] for name in names) - _INT):
        return None
    span_rows = []
    for row in rows:
        made = dict(zip(_ROW_FIELDS, row, strict=False))
        if row[9]:
            made["attributes"] = row[9]
        span_rows.append(made)
    links = [Relation(*link) for link in relations]
    given = Counter({(label, text, name): n for label, text, name, n in names})
    document = Document(doc_id, "", {"title": title, "date": date})
    return Article(document, None, status, added, links, rows=span_rows), given


_STR, _INT, _LIST, _DICT = {str}, {int}, {list}, {dict}
_ROW_LENGTH, _LINK_LENGTH, _NAME_LENGTH = 10, 5, 4


def _types(values: Iterable[Any]) -> set[type]:
    return set(map(type, values))
