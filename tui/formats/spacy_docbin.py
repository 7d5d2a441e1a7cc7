"""spaCy ``DocBin`` (``.spacy``), for ``spacy train``: needs the ``spacy`` extra.

Each article becomes a ``Doc`` from ``spacy.blank("en")``; token-aligned spans that do not
overlap are its ``ents``, and every token-aligned span is in ``doc.spans["gloss"]`` (a
span group may overlap). Spans off token edges are left out and counted. Where some spans
came from accepted suggestions, the group's ``attrs["origins"]`` lists each span's origin.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import IO

from tui.core.disk.install import extra_command
from tui.core.document.model import TYPED
from tui.core.store.corpus import InputError, Notes
from tui.core.store.dataset import Article


def write(articles: Iterable[Article], out: IO[bytes], notes: Notes,
          annotator: str | None) -> int:
    try:
        import spacy
        from spacy.tokens import DocBin
        from spacy.util import filter_spans
    except ImportError as exc:
        raise InputError("spacy", "the .spacy format needs spaCy: "
                                  f"{extra_command('spacy')}") from exc
    nlp = spacy.blank("en")
    docbin = DocBin(store_user_data=True)
    count = 0
    for article in articles:
        doc = nlp.make_doc(article.document.text)
        spans = []
        origins: list[str] = []
        for span in article.spans:
            if annotator is not None and span.annotator != annotator:
                continue
            found = doc.char_span(span.start, span.end, label=span.label)
            if found is None:
                notes.add("spans off token edges left out of the DocBin")
            else:
                spans.append(found)
                origins.append(span.origin)
        ents = filter_spans(spans)
        if len(ents) < len(spans):  # counted a span, as the line says
            notes.add("overlapping spans kept in doc.spans['gloss'] only, not in doc.ents",
                      len(spans) - len(ents))
        doc.ents = ents
        doc.spans["gloss"] = spans
        if any(origin != TYPED for origin in origins):  # from accepted suggestions
            doc.spans["gloss"].attrs["origins"] = origins
        doc.user_data["gloss_id"] = article.document.id
        docbin.add(doc)
        count += 1
    out.write(docbin.to_bytes())
    return count
