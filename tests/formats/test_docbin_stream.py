"""The ``.spacy`` export is written a field at a time (``spacy_docbin.py``), never the
whole ``DocBin`` in memory: its bytes must be exactly ``DocBin.to_bytes``'s, whatever the
number and size of the documents (msgpack's heads change at 16 items, 256 and 65,536
bytes), so that spaCy reads it as its own."""

import io
import random

import pytest

from tui.core.document.model import Document, Span
from tui.core.store.corpus import Notes
from tui.core.store.dataset import Dataset
from tui.formats import spacy_docbin

spacy = pytest.importorskip("spacy")
WORDS = ["Kyiv", "said", "Putin", "the", "cease-fire", "🇺🇦", "U.S.", "e-mail", "Zaporizhzhia",
         "on", "Tuesday", "«talks»", "10,000", "troops", "didn't", "\n", "  "]


def reference(articles, annotator=None) -> bytes:
    """The DocBin as spaCy's own ``to_bytes`` writes it, every document held."""
    from spacy.tokens import DocBin
    from spacy.util import filter_spans

    nlp = spacy.blank("en")
    docbin = DocBin(store_user_data=True)
    for article in articles:
        doc = nlp.make_doc(article.document.text)
        kept = [s for s in article.spans if annotator is None or s.annotator == annotator]
        found = [(f, s.origin) for s in kept
                 if (f := doc.char_span(s.start, s.end, label=s.label)) is not None]
        doc.ents = filter_spans([f for f, _ in found])
        doc.spans["gloss"] = [f for f, _ in found]
        if any(origin != "typed" for _, origin in found):
            doc.spans["gloss"].attrs["origins"] = [origin for _, origin in found]
        doc.user_data["gloss_id"] = article.document.id
        docbin.add(doc)
    return docbin.to_bytes()


def dataset_of(folder, sizes: list[int], seed: int) -> Dataset:
    rng = random.Random(seed)
    dataset = Dataset(folder, "alice")
    for n, size in enumerate(sizes):
        text = f"A{n} " + " ".join(rng.choice(WORDS) for _ in range(size))
        edges = [i for i in range(len(text) + 1)
                 if i in (0, len(text)) or (text[i - 1] == " ") != (text[i] == " ")]
        spans = []
        for who in ("alice", "bob"):
            for _ in range(rng.randint(0, 6)):  # on word edges, some off the tokens'
                start, end = sorted(rng.sample(edges, 2)) if len(edges) > 1 else (0, 0)
                if start < end and text[start:end].strip() == text[start:end]:
                    spans.append(Span.new(text, start, end, rng.choice(["ACTOR", "CLAIM"]),
                                          who, origin="seen-name" if rng.random() < 0.3
                                          else "typed"))
        dataset.add_article(Document.from_text(text, {"n": n}), spans)
    return dataset


@pytest.mark.parametrize("sizes", [[], [0], [3, 40], [5] * 20, [9000, 2, 20000]],
                         ids=["none", "empty text", "two", "twenty", "large arrays"])
def test_the_streamed_docbin_is_to_bytes_own(tmp_path, sizes):
    dataset = dataset_of(tmp_path / "db", sizes, seed=len(sizes))
    articles = [dataset.article(doc_id) for doc_id in dataset.ids()]
    for annotator in (None, "bob"):
        out = io.BytesIO()
        assert spacy_docbin.write(articles, out, Notes(), annotator) == len(sizes)
        assert out.getvalue() == reference(articles, annotator)
