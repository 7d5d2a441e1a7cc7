"""Run by spaCy's venv: read Gloss's DocBin and JSONL exports as spaCy does and print, as
JSON, what it found: the DocBin's docs, entities and span group; for each JSONL line, a Doc
made of its own tokens (as Prodigy hands them to spaCy) with each span at its token
indices, and each span made on spaCy's own tokenization with ``Doc.char_span``."""

import json
import sys

import spacy
from spacy.tokens import Doc, DocBin

docbin, jsonl = sys.argv[1], sys.argv[2]
nlp = spacy.blank("en")
docs = list(DocBin().from_disk(docbin).get_docs(nlp.vocab))
found = {"docs": len(docs), "ents": sum(len(d.ents) for d in docs),
         "group": sum(len(d.spans.get("gloss", [])) for d in docs),
         "ent_labels": sorted({e.label_ for d in docs for e in d.ents}),
         "ents_on_their_text": all(e.text == d.text[e.start_char:e.end_char]
                                   for d in docs for e in d.ents)}
lines = spans = by_tokens = by_chars = texts = 0
wrong = []
with open(jsonl, encoding="utf-8") as handle:
    for line in handle:
        record = json.loads(line)
        lines += 1
        tokens = record["tokens"]
        doc = Doc(nlp.vocab, words=[t["text"] for t in tokens],
                  spaces=[t["ws"] for t in tokens])
        texts += doc.text == record["text"]
        own = nlp.make_doc(record["text"])
        for span in record["spans"]:
            spans += 1
            if doc[span["token_start"]:span["token_end"] + 1].text == span["text"]:
                by_tokens += 1
            elif len(wrong) < 5:
                wrong.append(span)
            made = own.char_span(span["start"], span["end"], label=span["label"])
            by_chars += made is not None and made.text == span["text"]
found.update(lines=lines, spans=spans, by_tokens=by_tokens, by_chars=by_chars,
             texts=texts, wrong=wrong)
print(json.dumps(found))
