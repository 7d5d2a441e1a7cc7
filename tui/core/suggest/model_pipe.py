"""A Gloss model's pipeline run over many short texts: the same annotations as
``nlp.pipe`` for less work.

Two things ``nlp.pipe`` does that suggestions need not:

- It embeds every token anew. The first half of spaCy's token-to-vector layer
  (MultiHashEmbed: four hashed tables, a maxout, a layer norm) is a function of a token's
  NORM, PREFIX, SUFFIX and SHAPE alone, and an article says the same words again and
  again: a 1 MB article is 191,400 tokens and 11,000 distinct ones. Each distinct token is
  embedded once here and kept for the next call (up to KNOWN tokens). Every row of those
  layers is computed on its own, so a row is the same, float for float, whatever rows it
  is computed with (``tests/core/test_train.py`` compares the annotations with
  ``nlp.pipe``'s); the window encoder that follows still sees each token in its place.
- It batches texts as they come. The entity recognizer takes a step for every token of
  the longest text of a batch, so texts of about the same length are batched together
  here (the order of texts does not change what each gets).

- It runs the window encoder (the token-to-vector layer's second half: four residual
  layers of a window of three tokens, a maxout of three pieces and a layer norm) through
  thinc's general layers, which copy each token's window out (a 4.6 MB array a layer for
  a batch of 4,000 tokens), reorder the maxout's pieces in a loop of their own and go over
  the layer norm's rows twice. ``_Encoder`` does the same arithmetic, in the same order,
  with less copying (the windows read in place, the pieces of the maxout laid out side by
  side): about 2 s of CPU instead of 3.1 to 3.6 on a 1 MB article, three quarters of it
  the products.

- Its recognizer's step (spaCy's ``step_forward``) takes the minimum of the batch's scores
  at every step to give to the classes the model never saw, even when it saw them all
  (``_step`` steps without it then); its span finder picks each token past the threshold
  one by one in Python (``_find_spans`` picks them with NumPy, the same spans in order).

A pipeline whose token-to-vector layer is not spaCy's shared MultiHashEmbed chain (a
model of another shape) is run component by component as ``nlp.pipe`` would; one whose
window encoder is of another shape has it run by thinc.

The matrices are multiplied by blis, as spaCy's own: a row of a product is computed the
same whatever rows come with it. NumPy's OpenBLAS multiplies faster (125 GFLOP/s of a
core against blis's 88 on an Intel processor blis runs its AVX2 kernel on) but not row by
row: a product of one to three rows takes another path, and so does a thin one (the
recognizer's 64 by 9 layer at up to 100 rows), so a text's scores would depend on what
it is batched with. On a processor blis 0.7 does not know (a Zen 4) it runs its generic
kernel, SSE without fused multiply-adds, at 30 GFLOP/s; ``blis_kernel`` gives it, before
spaCy's first product, the AVX2 kernel its newer releases run there (95), for spaCy and
this module alike. Where the processor has AVX but not AVX2, the window encoder's
products are made by blis's Sandy Bridge kernel, the generic kernel's arithmetic at 54
(``_avx_sgemm``).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from tui.core.train.blis_kernel import generic_processor, use_known_kernel

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

BATCH = 64  # texts a batch: the fastest of 16 to 1,000 on a 1 MB article (CPU time)
TOKENS = 4000  # tokens a batch at most (past its first text): arrays of a few MB, not 60
GROUP = 1024  # texts tokenized together, each of their distinct tokens embedded once
KNOWN = 100_000  # embedded tokens kept for the next call (42 MB); past it, forgotten
BEAM_WIDTH = 8
# blis 0.7's generic configuration sums a product's terms in runs of KC, each run added to
# the runs before (its blocksize of k for floats); CONTEXT_BYTES holds its context (a few KB)
KC = 256
CONTEXT_BYTES = 1 << 16
# odd 64-bit multipliers mixing a token's four features into one key; two rows that share
# a key and differ are caught and embedded the slow, exact way
_MIX = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9,
                 0x27D4EB2F165667C5], dtype=np.uint64)
_EMBED_LAYERS = ("extract_features", "list2ragged", "with_array", "with_array", "ragged2list")

Scores = dict[tuple[int, int, str], float]
_ONE = np.ones(1, dtype=np.float32)


class Pipe:
    """``run`` gives each text's ``Doc`` with the pipeline's annotations and, with
    ``beam``, each entity's probability over a beam of parses; without, the recognizer runs
    as a beam of one parse: the same entities as its greedy loop, 1.7 times faster, since
    that loop takes the GIL back for each validity check of each token."""

    def __init__(self, nlp: Language) -> None:
        self.nlp = nlp
        self._embed = _embed_layers(nlp)
        self._encode = _Encoder.of(nlp) if self._embed is not None else None
        self._known = _Known()

    def run(self, texts: Sequence[str], beam: bool = False
            ) -> Iterator[tuple[Doc, Scores]]:
        for start in range(0, len(texts), GROUP):
            yield from self._group(texts[start:start + GROUP], beam)

    def _group(self, texts: Sequence[str], beam: bool) -> list[tuple[Doc, Scores]]:
        nlp = self.nlp
        docs = [nlp.make_doc(text) for text in texts]
        scores: list[Scores] = [{} for _ in docs]
        vectors = self._vectors(docs)
        for which in _batches(docs):
            batch = [docs[n] for n in which]
            for name, component in nlp.pipeline:
                if name == "tok2vec" and vectors is not None:
                    encode = self._encode or component.model.layers[1].predict
                    component.set_annotations(batch, encode([vectors[n] for n in which]))
                elif name == "ner":
                    beams = _recognize(component, batch, BEAM_WIDTH if beam else 1)
                    component.set_annotations(batch, beams)
                    if beam:
                        for n, entity_scores in zip(which, component.scored_ents(beams),
                                                    strict=True):
                            scores[n] = entity_scores
                elif name == "span_finder" and _is_span_finder(component):
                    _find_spans(component.cfg, batch, component.predict(batch))
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
        if not sum(len(f) for f in features):
            return [features_to_vectors.predict(f) for f in features]
        rows = np.ascontiguousarray(np.concatenate(features), dtype=np.uint64)
        keys = np.bitwise_xor.reduce(rows * _MIX, axis=1)
        distinct_keys, first, inverse = np.unique(keys, return_index=True,
                                                  return_inverse=True)
        distinct = rows[first]
        if np.array_equal(distinct[inverse], rows):
            vectors = self._known.vectors(distinct_keys, distinct, features_to_vectors)
        else:  # two tokens' keys collide: the exact, slower way
            distinct, inverse = np.unique(rows, axis=0, return_inverse=True)
            vectors = features_to_vectors.predict(distinct)
        embedded = vectors[inverse.reshape(-1)]
        return np.split(embedded, np.cumsum([len(f) for f in features])[:-1])


class _Known:
    """Tokens embedded before (by the key of their features, sorted): the same words come
    back from one stretch of an article to the next and from article to article."""

    def __init__(self) -> None:
        self._keys = np.empty(0, dtype=np.uint64)
        self._rows = np.empty((0, len(_MIX)), dtype=np.uint64)
        self._vectors: Any = None

    def vectors(self, keys: Any, rows: Any, embed: Any) -> Any:
        """The vectors of ``rows`` (distinct, ``keys`` sorted), those not known computed."""
        if not len(self._keys):
            out = embed.predict(rows)
            self._add(keys, rows, out)
            return out
        at = np.minimum(np.searchsorted(self._keys, keys), len(self._keys) - 1)
        known = (self._keys[at] == keys) & (self._rows[at] == rows).all(axis=1)
        out = np.empty((len(keys), self._vectors.shape[1]), dtype=self._vectors.dtype)
        out[known] = self._vectors[at[known]]
        new = ~known
        if new.any():
            out[new] = embed.predict(np.ascontiguousarray(rows[new]))
            fresh = new & (self._keys[at] != keys)  # a key held for other features stays
            self._add(keys[fresh], rows[fresh], out[fresh])
        return out

    def _add(self, keys: Any, rows: Any, vectors: Any) -> None:
        if self._vectors is None or len(self._keys) + len(keys) > KNOWN:
            self._keys, self._rows, self._vectors = keys[:0], rows[:0], vectors[:0]
        keys = np.concatenate([self._keys, keys])
        order = np.argsort(keys, kind="stable")
        self._keys = keys[order]
        self._rows = np.concatenate([self._rows, rows])[order]
        self._vectors = np.concatenate([self._vectors, vectors])[order]


def _recognize(component: Any, docs: list[Doc], width: int) -> list[Any]:
    """The entity recognizer's ``beam_parse``, step for step, with a step of its own when
    the model has seen every class (``_step``)."""
    from spacy.pipeline._parser_internals import _beam_utils

    # spaCy's beam_parse first adds the labels of entities already set on the docs (a
    # training's); these come straight from the tokenizer and hold none
    batch = _beam_utils.BeamBatch(component.moves, component.moves.init_batch(docs), None,
                                  width, density=0.0)
    model = component.model.predict(docs)
    step = _step(model, component.model.attrs.get("unseen_classes"))
    while not batch.is_done:
        states = batch.get_unfinished_states()
        if not states:
            break
        batch.advance(step(states))
    model.clear_memory()
    return list(batch)


def _step(model: Any, unseen: Any) -> Any:
    """spaCy's parser step (``step_forward``) without what it does for training: a step
    then takes the minimum of the whole batch's scores to give to the classes the model
    never saw, even when there are none (6 % of the recognizer's time). A step model of
    another shape, or with ``unseen`` classes (the parser model's own set, from which the
    step model marks them), steps as spaCy's own."""
    if (unseen is None or unseen or not model.attrs.get("has_upper")
            or not all(hasattr(model, name) for name in ("get_token_ids", "state2vec",
                                                         "vec2scores"))):
        return model.predict
    ids, hidden, scores = model.get_token_ids, model.state2vec.predict, model.vec2scores

    def step(states: list[Any]) -> Any:
        return scores.predict(hidden(ids(states)))

    return step


def _is_span_finder(component: Any) -> bool:
    from spacy.pipeline import SpanFinder

    return type(component) is SpanFinder


def _find_spans(cfg: dict[str, Any], docs: list[Doc], scores: Any) -> None:
    """spaCy's ``SpanFinder.set_annotations``: every token past the threshold as a start
    paired with every one past it as an end, in the same order, the tokens picked by
    NumPy rather than one by one in Python."""
    threshold, shortest, longest = cfg["threshold"], cfg["min_length"], cfg["max_length"]
    offset = 0
    for doc in docs:
        here = scores[offset:offset + len(doc)]
        starts = np.flatnonzero(here[:, 0] >= threshold).tolist()
        ends = np.flatnonzero(here[:, 1] >= threshold).tolist()
        doc.spans[cfg["spans_key"]] = [
            doc[start:end + 1] for start in starts for end in ends
            if end >= start and (shortest is None or shortest <= end + 1 - start)
            and (longest is None or end + 1 - start <= longest)]
        offset += len(doc)


def _batches(docs: list[Doc]) -> Iterator[list[int]]:
    """The docs' indices in batches of about the same length, shortest first: at most
    BATCH docs and, past the first doc, TOKENS tokens."""
    which: list[int] = []
    tokens = 0
    for n in sorted(range(len(docs)), key=lambda n: len(docs[n])):
        if which and (len(which) == BATCH or tokens + len(docs[n]) > TOKENS):
            yield which
            which, tokens = [], 0
        which.append(n)
        tokens += len(docs[n])
    if which:
        yield which


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



class _Encoder:
    """spaCy's MaxoutWindowEncoder for inference: the floats of thinc's layers, each
    computed by the same operations in the same order, with less copying.

    - A row's window (the row before, itself, the row after) is, in a C-ordered array,
      three rows that follow each other: blis reads it in place, a matrix whose rows
      overlap, instead of from a copy three times the size. It packs its operand before
      multiplying, so the packed numbers and what it does with them are those of the copy.
    - The maxout's weight rows are reordered so that the pieces of an output come out side
      by side, each a block of columns (a column of a product is computed the same
      wherever it stands): the maxout is two ``np.maximum`` calls.
    - The layer norm's mean is taken once (NumPy's ``var`` takes it again, the same
      way) and its steps are done in place; the same operations as thinc's, in order.

    blis is called through ``bli_sgemm`` (its library's own symbol), as ``blis.py.gemm``
    calls it but for the row stride, or its Sandy Bridge kernel where that gives the
    same floats faster (``_blis_sgemm``); a blis without it leaves the encoder to thinc."""

    def __init__(self, sgemm: Any, pad: int, window: int,
                 layers: list[tuple[Any, Any, Any, Any]]) -> None:
        self._sgemm = sgemm
        self._pad = pad
        self._window = window
        self._layers = layers
        self._width = layers[0][2].shape[0]
        self._one = np.ones(1, dtype=np.float32)
        self._zero = np.zeros(1, dtype=np.float32)

    @classmethod
    def of(cls, nlp: Language) -> _Encoder | None:
        """The pipeline's window encoder, or None unless it is spaCy's
        MaxoutWindowEncoder on thinc's NumPy ops with blis."""
        from thinc.api import NumpyOps

        encoder = nlp.get_pipe("tok2vec").model.layers[1]
        sgemm = _blis_sgemm()
        if (sgemm is None or not encoder.name.startswith("with_array")
                or not isinstance(encoder.ops, NumpyOps) or not encoder.ops.use_blis
                or not encoder.layers or not encoder.layers[0].layers):
            return None
        layers = []
        for residual in encoder.layers[0].layers:
            leaves = _leaves(residual)
            if (not residual.name.startswith("residual")
                    or [leaf.name for leaf in leaves]
                    != ["expand_window", "maxout", "layernorm", "dropout"]):
                return None
            window, maxout, norm, _ = leaves
            weights, bias = maxout.get_param("W"), maxout.get_param("b")
            width, pieces, inputs = weights.shape
            # spaCy's default (a window of 1, 3 pieces) and what was checked float for float
            if (weights.dtype != np.float32 or window.attrs["window_size"] != 1
                    or pieces < 2 or inputs != 3 * width
                    or norm.get_param("G").shape != (width,)):
                return None
            # rows piece by piece (thinc's are output by output): the pieces side by side
            layers.append((np.ascontiguousarray(weights.transpose(1, 0, 2).reshape(
                width * pieces, inputs)), np.ascontiguousarray(bias.T.reshape(-1)),
                norm.get_param("G"), norm.get_param("b")))
        if len({w.shape for w, _, _, _ in layers}) != 1:
            return None
        return cls(sgemm, encoder.attrs["pad"], 1, layers)

    def __call__(self, vectors: list[Any]) -> list[Any]:
        width, pad, window = self._width, self._pad, self._window
        lengths = [len(v) for v in vectors]
        rows = sum(lengths) + pad * (len(vectors) + 1)
        # thinc's flatten: the texts one after the other, ``pad`` zero rows around each;
        # and ``window`` zero rows more at each end, the windows' edges (its seq2col's)
        flat = np.zeros((rows + 2 * window, width), dtype=np.float32)
        tokens = flat[window:window + rows]
        at = pad
        for v, length in zip(vectors, lengths, strict=True):
            tokens[at:at + length] = v
            at += length + pad
        count = np.intp(width)  # as NumPy's mean and var divide: by an intp
        out = np.empty((rows, self._layers[0][0].shape[0]), dtype=np.float32)
        for weights, bias, gain, shift in self._layers:
            self._sgemm(0, 8, rows, weights.shape[0], weights.shape[1],  # 8: transposed
                        self._one.ctypes.data, flat.ctypes.data, width, 1,
                        weights.ctypes.data, weights.shape[1], 1,
                        self._zero.ctypes.data, out.ctypes.data, out.shape[1], 1)
            out += bias
            best = np.maximum(out[:, :width], out[:, width:2 * width])
            for piece in range(2, weights.shape[0] // width):
                np.maximum(best, out[:, piece * width:(piece + 1) * width], out=best)
            # thinc's LayerNorm: (X - mean) * (var + 1e-08) ** -0.5 * G + b
            mean = np.add.reduce(best, axis=1, keepdims=True)
            np.true_divide(mean, count, out=mean, casting="unsafe")
            best -= mean
            var = np.add.reduce(np.square(best), axis=1, keepdims=True)
            np.true_divide(var, count, out=var, casting="unsafe")
            var += 1e-08
            best *= var ** (-1.0 / 2.0)
            best *= gain
            best += shift
            tokens += best  # the residual connection
        out_rows, at = [], pad
        for length in lengths:
            out_rows.append(tokens[at:at + length])
            at += length + pad
        return out_rows


def _leaves(model: Any) -> list[Any]:
    """A thinc model's layers without layers of their own, in the order they run."""
    if not model.layers:
        return [model]
    return [leaf for layer in model.layers for leaf in _leaves(layer)]


def _sgemm_args() -> list[Any]:
    """``bli_sgemm``'s arguments: two trans_t, three dim_t, then alpha, a and its strides,
    b and its strides, beta, c and its strides (dim_t and inc_t are 64-bit)."""
    import ctypes

    size, pointer = ctypes.c_int64, ctypes.c_void_p
    return [ctypes.c_int, ctypes.c_int, size, size, size, pointer, pointer, size, size,
            pointer, size, size, pointer, pointer, size, size]


def _blis_sgemm() -> Any:
    """blis's ``bli_sgemm`` (the library ``blis.py.gemm`` calls), or None; where blis runs
    its generic kernel on a processor with AVX but not AVX2 and fused multiply-adds
    (``blis_kernel``), the same products by its Sandy Bridge kernel (``_avx_sgemm``),
    when they give ``blis.py.gemm``'s floats."""
    import ctypes

    try:
        from blis import cy

        library = ctypes.CDLL(cy.__file__)
        sgemm = library.bli_sgemm
    except (ImportError, OSError, AttributeError):
        return None
    sgemm.argtypes = _sgemm_args()
    sgemm.restype = None
    if not _same_as_blis_py(sgemm):
        return None
    if use_known_kernel():  # blis runs a kernel of its own for this processor now
        return sgemm
    faster = _avx_sgemm(library)
    return faster if faster is not None and _same_as_blis_py(faster) else sgemm


def _avx_sgemm(library: Any) -> Any:
    """blis 0.7 does not know recent processors (a Zen 4 here): it runs its generic
    configuration, a C kernel compiled for SSE that multiplies and then adds each term,
    30 GFLOP/s on this machine. Its Sandy Bridge kernel (AVX, also a multiply and then an
    add, no fused multiply-add) sums the same terms in the same order, 54 GFLOP/s: the
    same floats, once the sum over the shared dimension is cut where the generic
    configuration cuts it (every KC terms, each cut added to what came before). Called
    with blis's own context for that kernel (``bli_sgemm_ex``), only where blis runs the
    generic configuration, of version 0.7 (whose context fits CONTEXT_BYTES), and blis's
    own check of the processor finds AVX; ``_same_as_blis_py`` then compares the floats.
    None where any of that is not so."""
    import ctypes

    try:
        init, gemm = library.bli_cntx_init_sandybridge, library.bli_sgemm_ex
    except AttributeError:
        return None
    if generic_processor(library, "bli_cpuid_is_sandybridge") is None:
        return None
    context = ctypes.create_string_buffer(CONTEXT_BYTES)
    init.argtypes, init.restype = [ctypes.c_void_p], None
    init(context)
    gemm.argtypes = [*_sgemm_args(), ctypes.c_void_p, ctypes.c_void_p]
    gemm.restype = None
    one = _ONE.ctypes.data

    def sgemm(trans_a: int, trans_b: int, m: int, n: int, k: int, alpha: int, a: int,
              rows_a: int, columns_a: int, b: int, rows_b: int, columns_b: int, beta: int,
              c: int, rows_c: int, columns_c: int) -> None:
        # (8: transposed, its k along each row) a float is 4 bytes; no term at all is one
        # call, which sets c to beta * c as bli_sgemm does
        step_a = 4 * (rows_a if trans_a else columns_a)
        step_b = 4 * (columns_b if trans_b else rows_b)
        for at in range(0, max(k, 1), KC):
            gemm(trans_a, trans_b, m, n, min(KC, k - at), alpha, a + at * step_a, rows_a,
                 columns_a, b + at * step_b, rows_b, columns_b, beta if at == 0 else
                 one, c, rows_c, columns_c, context, None)

    return sgemm


def _same_as_blis_py(sgemm: Any) -> bool:
    """Whether ``sgemm`` called as the encoder calls it gives ``blis.py.gemm``'s floats on
    small products, one of them over 600 terms (two cuts at KC): a blis built another way
    (32-bit dimensions, another symbol's meaning, a kernel that fuses its multiplies and
    adds or sums in other runs) is left to thinc rather than trusted."""
    from blis.py import gemm

    rng = np.random.default_rng(0)
    one, zero = np.ones(1, dtype=np.float32), np.zeros(1, dtype=np.float32)
    for rows, columns, terms in ((7, 5, 12), (37, 20, 600)):
        a = rng.standard_normal((rows, terms), dtype=np.float32)
        b = rng.standard_normal((columns, terms), dtype=np.float32)
        out = np.full((rows, columns), np.nan, dtype=np.float32)
        sgemm(0, 8, rows, columns, terms, one.ctypes.data, a.ctypes.data, terms, 1,
              b.ctypes.data, terms, 1, zero.ctypes.data, out.ctypes.data, columns, 1)
        if not np.array_equal(out, gemm(a, b, trans2=True)):
            return False
    return True
