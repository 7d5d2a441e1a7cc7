"""A Gloss model's pipeline run over many short texts: the same annotations as
``nlp.pipe``, bit for bit, for less work.

Two things ``nlp.pipe`` does that suggestions need not:

- It embeds every token anew. The first half of spaCy's token-to-vector layer
  (MultiHashEmbed: four hashed tables, a maxout, a layer norm) is a function of a token's
  NORM, PREFIX, SUFFIX and SHAPE alone, and an article says the same words again and
  again: a 1 MB article is 191,400 tokens and 11,000 distinct ones. Each distinct token is
  embedded once here (every row of those layers is computed on its own, so a row is the
  same float for float whatever rows it is computed with; ``tests/core/test_train.py``
  compares the annotations with ``nlp.pipe``'s); the context layers that follow (the
  window encoder) still see each token in its place.
- It multiplies matrices with blis, which on this machine's processor (AVX-512 that blis
  does not recognise: it falls back to its AVX2 kernel) reaches 88 GFLOP/s of one core,
  where NumPy's OpenBLAS reaches 125. The token-to-vector layer is 885,000 multiply-adds
  a token; with OpenBLAS (one thread: two processes share an article and take both
  cores) the model's layers multiply through NumPy. Its scores differ from blis's in the
  last bits (under 1e-6 on the bench's 1 MB article, the same spans); a row is still
  computed on its own, so the same text gets the same figures whatever it is batched
  with. Without threadpoolctl (which pins OpenBLAS to one thread) blis is kept.
- It batches texts as they come. The entity recognizer takes a step for every token of
  the longest text of a batch, so texts of about the same length are batched together
  here (the order of texts does not change what each gets).

A pipeline whose token-to-vector layer is not spaCy's shared MultiHashEmbed chain (a
model of another shape) is run component by component as ``nlp.pipe`` would.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

BATCH = 64  # texts a batch: the fastest of 16 to 1,000 on a 1 MB article (CPU time)
GROUP = 1024  # texts tokenized together, each of their distinct tokens embedded once
BEAM_WIDTH = 8
# odd 64-bit multipliers mixing a token's four features into one key; two rows that share
# a key and differ are caught and embedded the slow, exact way
_MIX = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9,
                 0x27D4EB2F165667C5], dtype=np.uint64)
_EMBED_LAYERS = ("extract_features", "list2ragged", "with_array", "with_array", "ragged2list")

Scores = dict[tuple[int, int, str], float]


class Pipe:
    """``run`` gives each text's ``Doc`` with the pipeline's annotations and, with
    ``beam``, each entity's probability over a beam of parses; without, the recognizer runs
    as a beam of one parse: the same entities as its greedy loop, 1.7 times faster, since
    that loop takes the GIL back for each validity check of each token."""

    def __init__(self, nlp: Language) -> None:
        self.nlp = nlp
        self._blas = _one_thread_openblas(nlp)
        self._embed = _embed_layers(nlp)

    def run(self, texts: Sequence[str], beam: bool = False
            ) -> Iterator[tuple[Doc, Scores]]:
        for start in range(0, len(texts), GROUP):
            if self._blas is None:
                yield from self._group(texts[start:start + GROUP], beam)
                continue
            with self._blas.limit(limits=1, user_api="blas"):
                group = self._group(texts[start:start + GROUP], beam)
            yield from group

    def _group(self, texts: Sequence[str], beam: bool) -> list[tuple[Doc, Scores]]:
        nlp = self.nlp
        docs = [nlp.make_doc(text) for text in texts]
        scores: list[Scores] = [{} for _ in docs]
        vectors = self._vectors(docs)
        order = sorted(range(len(docs)), key=lambda n: len(docs[n]))
        for at in range(0, len(order), BATCH):
            which = order[at:at + BATCH]
            batch = [docs[n] for n in which]
            for name, component in nlp.pipeline:
                if name == "tok2vec" and vectors is not None:
                    encode = component.model.layers[1]
                    component.set_annotations(batch, encode.predict([vectors[n]
                                                                     for n in which]))
                elif name == "ner":
                    beams = component.beam_parse(batch, beam_width=BEAM_WIDTH if beam else 1)
                    component.set_annotations(batch, beams)
                    if beam:
                        for n, entity_scores in zip(which, component.scored_ents(beams),
                                                    strict=True):
                            scores[n] = entity_scores
                elif hasattr(component, "pipe"):
                    batch = list(component.pipe(batch, batch_size=BATCH))
                else:
                    batch = [component(doc) for doc in batch]
            for n, doc in zip(which, batch, strict=True):
                docs[n] = doc
        return list(zip(docs, scores, strict=True))

    def _vectors(self, docs: list[Doc]) -> list[Any] | None:
        """Each doc's embedded tokens (the token-to-vector layer's first half), each
        distinct token computed once; None for a model of another shape."""
        if self._embed is None:
            return None
        extract, features_to_vectors = self._embed
        features = extract.predict(docs)
        if not docs or not sum(len(f) for f in features):
            return [features_to_vectors.predict(f) for f in features]
        rows = np.ascontiguousarray(np.concatenate(features), dtype=np.uint64)
        keys = np.bitwise_xor.reduce(rows * _MIX, axis=1)
        _, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
        distinct = rows[first]
        if not np.array_equal(distinct[inverse], rows):  # two tokens' keys collide
            distinct, inverse = np.unique(rows, axis=0, return_inverse=True)
        embedded = features_to_vectors.predict(distinct)[inverse.reshape(-1)]
        return np.split(embedded, np.cumsum([len(f) for f in features])[:-1])


def _embed_layers(nlp: Language) -> tuple[Any, Any] | None:
    """The shared token-to-vector layer's feature extractor, and its layers from features
    to vectors (hashed tables, maxout, layer norm) as one model for arrays of features;
    None unless it is spaCy's Tok2Vec.v2 of a MultiHashEmbed."""
    if "tok2vec" not in nlp.pipe_names:
        return None
    model = nlp.get_pipe("tok2vec").model
    if len(model.layers) != 2:
        return None
    embed = model.layers[0]
    names = tuple(layer.name.split("(")[0] for layer in embed.layers)
    if names != _EMBED_LAYERS or "hashembed" not in embed.layers[2].name:
        return None
    from thinc.api import chain

    return embed.layers[0], chain(embed.layers[2], embed.layers[3])


def _one_thread_openblas(nlp: Language) -> Any | None:
    """When NumPy multiplies with OpenBLAS and threadpoolctl can hold it to one thread:
    the pipeline's layers switched to NumPy's matrix product, and the controller that
    holds it to one thread while they run."""
    try:
        from threadpoolctl import ThreadpoolController
    except ImportError:
        return None
    controller = ThreadpoolController().select(internal_api="openblas")
    if not controller.lib_controllers:
        return None
    from thinc.api import NumpyOps

    ops = NumpyOps(use_blis=False)
    for _, component in nlp.pipeline:
        model = getattr(component, "model", None)
        if model is not None:
            for node in model.walk():
                node.ops = ops
    return controller
