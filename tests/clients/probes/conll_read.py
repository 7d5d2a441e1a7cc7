"""Run by the CoNLL readers' venv: parse Gloss's CoNLL export with the `conllu` package
(two columns: the token and its tag) and score it against itself with `seqeval` in strict
IOB2 mode, which counts only entities whose tags follow the scheme. Prints, as JSON, the
documents, sentences, tokens, the entities seqeval found per label and the F1."""

import json
import sys

import conllu
from seqeval.metrics import classification_report, f1_score
from seqeval.scheme import IOB2

with open(sys.argv[1], encoding="utf-8") as handle:
    sentences = conllu.parse(handle.read(), fields=["form", "ner"],
                             field_parsers={"ner": lambda line, i: line[i]})
documents = sum(1 for s in sentences if s[0]["form"] == "-DOCSTART-")
tags = [[token["ner"] for token in sentence if token["form"] != "-DOCSTART-"]
        for sentence in sentences]
tags = [sentence for sentence in tags if sentence]
report = classification_report(tags, tags, mode="strict", scheme=IOB2, output_dict=True)
print(json.dumps({
    "documents": documents + 1,
    "sentences": len(tags),
    "tokens": sum(map(len, tags)),
    "entities": {label: int(scores["support"]) for label, scores in report.items()
                 if not label.endswith(" avg")},
    "f1": f1_score(tags, tags, mode="strict", scheme=IOB2),
}))
