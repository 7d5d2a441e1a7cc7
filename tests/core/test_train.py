"""gloss train: which articles count, which component learns which label, a tiny training
run end to end (the model, its card, the latest pointer, the finder's suggestions), and the
one line without spaCy."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import orjson
import pytest

from tests.conftest import gloss
from tui.core.disk.install import distribution, extra_command
from tui.core.document.model import Document, Relation, Span
from tui.core.store.dataset import Dataset
from tui.core.train import pipeline, store
from tui.core.train.examples import Example, Which, choose, split
from tui.core.train.pipeline import plan

needs_spacy = pytest.mark.skipif(importlib.util.find_spec("spacy") is None,
                                 reason="the spacy extra is not installed")

NAMES = ["Putin", "Zelensky", "Trump", "Macron", "Scholz", "Erdogan"]
PLACES = ["Kyiv", "Moscow", "Paris", "Berlin", "Ankara", "Riyadh"]


def article(n: int) -> tuple[Document, list[Span], list[Relation]]:
    who, where = NAMES[n % 6], PLACES[(n + 1) % 6]
    text = (f"{who} met officials in {where} on day {n}.\n"
            f"{who} said the talks in {where} were a success and would go on.")
    doc = Document.from_text(text)
    actor = Span.new(text, 0, len(who), "ACTOR", "alice")
    place = text.index(where)
    location = Span.new(text, place, place + len(where), "LOCATION", "alice")
    start = text.index("the talks")
    claim = Span.new(text, start, len(text) - 1, "CLAIM", "alice")
    inner = text.index(where, start)
    inner_place = Span.new(text, inner, inner + len(where), "LOCATION", "alice")
    said = text.index(who, 1)
    speaker = Span.new(text, said, said + len(who), "ACTOR", "alice")
    links = [Relation(claim.id, speaker.id, "SOURCE", "alice"),
             Relation(claim.id, inner_place.id, "ABOUT", "alice")]
    return doc, [actor, location, claim, inner_place, speaker], links


def make_db(folder):
    dataset = Dataset(folder, "alice")
    items = [article(n) for n in range(14)]
    dataset.add_articles(items, labels=["ACTOR", "CLAIM", "LOCATION"])
    for doc, _, _ in items[:12]:
        dataset.set_status(doc.id, "done")
    Dataset(folder, "bob").set_status(items[0][0].id, "done")  # two answers, none reviewed
    return folder


@pytest.fixture
def db(tmp_path):
    return make_db(tmp_path / "db")


def test_which_articles_count_is_said(db):
    dataset = Dataset.existing(db, "x")
    chosen = choose(dataset.readable([]), Which())
    assert len(chosen.examples) == 11
    assert chosen.left_out == {
        "done by several analysts and not reviewed (review, or --annotator)": 1,
        "not finished (to do, skipped or never opened)": 2}
    alice = choose(dataset.readable([]), Which(annotator="alice"))
    assert len(alice.examples) == 12 and all(e.analyst == "alice" for e in alice.examples)
    assert choose(dataset.readable([]), Which(reviewed=True)).left_out == {"not reviewed": 14}


def test_the_split_is_the_same_for_the_same_seed_whatever_the_order(db):
    examples = choose(Dataset.existing(db, "x").readable([]), Which()).examples
    train, held = split(examples, 0.2, 7)
    _, held_again = split(list(reversed(examples)), 0.2, 7)
    assert [e.doc_id for e in held] == [e.doc_id for e in held_again] and len(held) == 2
    assert {e.doc_id for e in train} | {e.doc_id for e in held} == {e.doc_id for e in examples}
    assert [e.doc_id for e in split(examples, 0.2, 8)[1]] != [e.doc_id for e in held]


def test_names_go_to_the_recognizer_claims_to_the_span_categorizer(db):
    examples = choose(Dataset.existing(db, "x").readable([]), Which()).examples
    labels = plan(examples)
    assert labels.ner == ("ACTOR", "LOCATION") and labels.spans == ("CLAIM",)
    assert labels.components == ["ner", "span_finder", "spancat"]


@pytest.mark.parametrize(("args", "what"), [
    (["train"], "gloss train"), (["suggest", "--model", "m"], "gloss suggest --model"),
    (["read", "--next", "uncertain"], "gloss read --next uncertain")])
def test_without_spacy_one_line_names_the_extra(db, args, what):
    before = {p: p.read_bytes() for p in db.rglob("*") if p.is_file()}
    code = ("import sys; sys.modules['spacy'] = None; sys.argv = ['gloss', *"
            f"{args!r}, '--db', {str(db)!r}]; from tui.cli import entry; entry()")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1, result.stderr
    assert extra_command("spacy") in result.stderr and f"{what} needs spaCy" in \
        result.stderr
    assert {p: p.read_bytes() for p in db.rglob("*") if p.is_file()} == before


def test_the_hint_names_the_installed_distribution(monkeypatch):
    """Installed from a registry (not a checkout), the hint names the distribution as its
    metadata spells it, not a name written into the code."""
    from tui.core.disk import install

    monkeypatch.setattr(install, "_editable_source", lambda: None)
    assert f"'{distribution()}[spacy]'" in install.extra_command("spacy") or \
        f"{distribution()}[spacy]" in install.extra_command("spacy")
    import importlib.metadata

    assert importlib.metadata.packages_distributions()["tui"][0] == distribution()


TINY = ("--max-epochs", "1", "--seed", "3")  # a few steps: the run, not the model, is tested


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """A dataset and one tiny training of it (the module's tests share it: the training
    is most of their time)."""
    if importlib.util.find_spec("spacy") is None:
        pytest.skip("the spacy extra is not installed")
    db = make_db(tmp_path_factory.mktemp("trained") / "db")
    result = gloss("train", "--db", db, *TINY)
    assert result.returncode == 0, result.stderr
    return db, result


@needs_spacy
def test_a_tiny_training_run_writes_a_model_its_card_and_latest(trained):
    db, first = trained
    assert "11 articles of" in first.stderr and "2 not finished" in first.stderr
    assert "entity recognizer: ACTOR, LOCATION; span categorizer: CLAIM" in first.stderr
    for label in ("ACTOR", "CLAIM", "LOCATION", "SOURCE", "ABOUT"):
        assert label in first.stdout
    home = db / "models" / "default"
    model = home / (home / "latest").read_text().strip()
    card = orjson.loads((model / "card.json").read_bytes())
    assert card["format"] == "gloss-model" and card["name"] == "default"
    assert card["labels"] == {"ner": ["ACTOR", "LOCATION"], "spancat": ["CLAIM"]}
    # the card says which token-to-vector layer the saved config trained
    from thinc.api import Config

    encode = Config().from_disk(model / "config.cfg")["components"]["tok2vec"]["model"][
        "encode"]
    assert card["tok2vec"] == {k: encode[k] for k in ("width", "depth", "maxout_pieces")}
    # every claim is "the talks in PLACE were a success and would go on": 11 tokens
    assert card["span_finder"]["max_length"] == 11
    assert 0 < card["span_finder"]["threshold"] < 1
    assert card["data"]["train"]["articles"] + card["data"]["held_out"]["articles"] == 11
    assert card["data"]["left_out"]["not finished (to do, skipped or never opened)"] == 2
    assert card["split"]["seed"] == 3 and card["split"]["eval_split"] == 0.2
    assert len(card["split"]["held_out_ids"]) == card["data"]["held_out"]["articles"]
    assert set(card["scores"]["labels"]) == {"ACTOR", "CLAIM", "LOCATION"}
    assert all(0 <= f["f"] <= 1 for f in card["scores"]["labels"].values())
    assert card["spacy"] and card["created"] and card["training"]["steps"] >= 1
    before = {p: p.read_bytes() for p in model.rglob("*") if p.is_file()}

    second = gloss("train", "--db", db, *TINY)
    assert second.returncode == 0, second.stderr
    newer = home / (home / "latest").read_text().strip()
    assert newer != model  # a new folder; the first is as it was, for whoever reads it
    assert {p: p.read_bytes() for p in model.rglob("*") if p.is_file()} == before
    again = orjson.loads((newer / "card.json").read_bytes())
    assert again["scores"] == card["scores"]  # the same seed: the same model
    assert not [p for p in home.iterdir() if p.name.startswith(".")]


@needs_spacy
def test_the_finder_suggests_spans_in_the_text_with_sources(trained):
    from tui.core.suggest.model_finder import ModelFinder

    db, _ = trained
    finder = ModelFinder.load(db)
    dataset = Dataset.existing(db, "x")
    text = "\n".join(dataset.document(i).text for i in dataset.ids()[:3])
    for beam in (False, True):
        found = finder.find(text, beam=beam)
        for suggestion in found:
            assert 0 <= suggestion.start < suggestion.end <= len(text)
            assert suggestion.kind == "model" and 0.0 <= suggestion.score <= 1.0
            assert suggestion.label in ("ACTOR", "CLAIM", "LOCATION")
            if suggestion.source is not None:  # a claim's speaker: an actor it found
                assert suggestion.label == "CLAIM"
                assert (suggestion.source.start, suggestion.source.end, "ACTOR") in \
                    {s.key for s in found}
    assert 0.0 <= finder.uncertainty(text) <= 1.0
    window = finder.find(text, 0, 10)
    assert window == [s for s in finder.find(text) if s.end <= text.index("\n")]


@needs_spacy
def test_a_worker_process_finds_what_one_process_finds(trained, monkeypatch):
    from tui.core.suggest import model_finder, model_worker

    db, _ = trained
    finder = model_finder.ModelFinder.load(db)
    dataset = Dataset.existing(db, "x")
    text = "\n".join(dataset.document(i).text for i in dataset.ids())
    one = finder.scored(text)
    monkeypatch.setattr(model_finder, "PARALLEL_CHARS", 0)
    monkeypatch.setattr(model_worker, "STRETCH_CHARS", 200)  # many stretches to share
    try:
        finder.scored(text)  # starts the worker
        assert finder._worker is not None and finder._worker._ready.result(timeout=120)
        two = finder.scored(text)
        assert two.suggestions == one.suggestions and one.suggestions
        assert two.uncertainty == pytest.approx(one.uncertainty)
        process = finder._worker._process
        process.kill()  # a worker killed mid-way: its stretches are found here
        process.wait()
        assert finder.scored(text).suggestions == one.suggestions
    finally:
        finder.close()


@needs_spacy
def test_a_finder_loaded_for_long_articles_has_its_worker_loading_already(trained, tmp_path,
                                                                            monkeypatch):
    """``gloss suggest --model`` on a dataset with a long article: the worker is started
    before this process loads spaCy, so both loads share the two cores; a model that
    fails to load here takes its worker down with it."""
    import shutil

    from tui.core.suggest import model_finder
    from tui.core.train.store import ModelError

    db, _ = trained
    finder = model_finder.ModelFinder.load(db, worker=True)
    try:
        assert finder._worker is not None and finder._worker.wait_ready(120)
    finally:
        finder.close()
    started: list[model_finder.Worker] = []

    class Recorded(model_finder.Worker):
        def __init__(self, folder: Path) -> None:
            super().__init__(folder)
            started.append(self)

    monkeypatch.setattr(model_finder, "Worker", Recorded)
    broken = tmp_path / "broken"
    shutil.copytree(store.resolve(db), broken)
    (broken / "config.cfg").write_text("[nlp\n", encoding="utf-8")
    with pytest.raises(ModelError, match="cannot be loaded"):
        model_finder.ModelFinder.load(broken, worker=True)
    assert len(started) == 1
    assert started[0]._process.wait(timeout=120) is not None  # its input closed: it ended


@needs_spacy
def test_a_finder_on_one_core_starts_no_worker(trained, monkeypatch):
    """Allowed one core, a long article is found here: a worker would load the model a
    second time only to wait for the same core."""
    import os

    from tui.core.suggest import model_finder

    db, _ = trained
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0}, raising=False)
    monkeypatch.setattr(model_finder, "PARALLEL_CHARS", 0)
    finder = model_finder.ModelFinder.load(db, worker=True)
    try:
        text = Dataset.existing(db, "x").document(Dataset.existing(db, "x").ids()[0]).text
        finder.find(text)  # long enough for a worker, on two cores
        assert finder._worker is None
    finally:
        finder.close()


def test_only_a_file_as_long_as_the_parallel_stretch_may_hold_a_long_article(tmp_path):
    from tui.suggest_command import has_long_articles

    dataset = Dataset(tmp_path / "db", "alice")
    dataset.add_articles([(Document.from_text("Kyiv said so.\n" * 10), [], [])])
    assert not has_long_articles(dataset, 10_000)
    dataset.add_articles([(Document.from_text("Kyiv said so.\n" * 1000), [], [])])
    assert has_long_articles(dataset, 10_000)


@needs_spacy
def test_the_finders_pipeline_annotates_as_spacys_own(trained, monkeypatch):
    """Tokens embedded once a group and kept from call to call, texts batched by length,
    the window encoder run by Gloss's own arithmetic: the tensors, entities and span
    scores are nlp.pipe's, float for float."""
    import numpy as np

    from tui.core.suggest import model_pipe
    from tui.core.suggest.model_finder import ModelFinder

    db, _ = trained
    finder = ModelFinder.load(db)
    dataset = Dataset.existing(db, "x")
    texts = [line for i in dataset.ids() for line in dataset.document(i).text.split("\n")
             if line.strip()]
    texts += ["Olena Petrenko said so.", "Kyiv", "", texts[0] + " " + texts[-1]]
    monkeypatch.setattr(model_pipe, "GROUP", 5)  # several groups, batches and a cache
    monkeypatch.setattr(model_pipe, "BATCH", 3)
    monkeypatch.setattr(model_pipe, "TOKENS", 30)  # and batches cut by their tokens
    pipe = model_pipe.Pipe(finder.nlp)
    assert pipe._embed is not None  # the model of the shape Gloss trains: the fast way
    assert pipe._encode is not None
    list(pipe.run(texts[-7:]))  # some tokens known from a call before
    ours = [doc for doc, _ in pipe.run(texts)]
    theirs = list(finder.nlp.pipe(texts))
    assert [d.text for d in ours] == texts
    for doc, want in zip(ours, theirs, strict=True):
        assert np.array_equal(doc.tensor, want.tensor)
        assert [(e.start, e.end, e.label_) for e in doc.ents] == \
            [(e.start, e.end, e.label_) for e in want.ents]
        group, wanted = doc.spans["sc"], want.spans["sc"]
        assert [(s.start, s.end, s.label_) for s in group] == \
            [(s.start, s.end, s.label_) for s in wanted]
        if wanted.attrs.get("scores") is not None:  # none where nothing was a candidate
            assert np.array_equal(group.attrs["scores"], wanted.attrs["scores"])
        # the span finder's candidates, picked by NumPy here and one by one in spaCy
        assert [(s.start, s.end) for s in doc.spans[pipeline.CANDIDATES_KEY]] == \
            [(s.start, s.end) for s in want.spans[pipeline.CANDIDATES_KEY]]
    assert any(doc.ents for doc in ours)  # (a tiny model's categorizer may find none)


@needs_spacy
@pytest.mark.parametrize(("shortest", "longest"), [(None, None), (2, 5), (1, 1)])
def test_the_finders_candidates_are_the_span_finders_own(trained, shortest, longest):
    """The span finder's starts and ends picked by NumPy (model_pipe._find_spans): the
    spans spaCy's SpanFinder.set_annotations makes from the same scores, in its order (a
    tiny model's scores pass the threshold rarely: these are drawn)."""
    import numpy as np

    from tui.core.suggest import model_pipe
    from tui.core.suggest.model_finder import ModelFinder

    db, _ = trained
    nlp = ModelFinder.load(db).nlp
    finder = nlp.get_pipe("span_finder")
    finder.cfg.update(min_length=shortest, max_length=longest)
    texts = ["Olena Petrenko said the talks in Kyiv would go on.", "Kyiv", "No, said he."]
    ours, theirs = [nlp.make_doc(t) for t in texts], [nlp.make_doc(t) for t in texts]
    scores = np.random.default_rng(7).random((sum(len(d) for d in ours), 2),
                                             dtype=np.float32)
    scores[0] = finder.cfg["threshold"]  # on the threshold: a start and an end
    model_pipe._find_spans(finder.cfg, ours, scores)
    finder.set_annotations(theirs, scores)
    for doc, want in zip(ours, theirs, strict=True):
        key = finder.cfg["spans_key"]
        assert [(s.start, s.end) for s in doc.spans[key]] == \
            [(s.start, s.end) for s in want.spans[key]]
    assert ours[0].spans[finder.cfg["spans_key"]]


@needs_spacy
def test_the_finders_beam_scores_are_spacys_beam_parse(trained, monkeypatch):
    """The recognizer stepped by Gloss's loop (model_pipe._recognize): each entity's
    probability over a beam of parses is what spaCy's own beam_parse gives, to the bit."""
    from tui.core.suggest import model_pipe
    from tui.core.suggest.model_finder import ModelFinder

    db, _ = trained
    nlp = ModelFinder.load(db).nlp
    dataset = Dataset.existing(db, "x")
    texts = [line for i in dataset.ids() for line in dataset.document(i).text.split("\n")
             if line.strip()]
    monkeypatch.setattr(model_pipe, "BATCH", 4)
    ours = [scores for _, scores in model_pipe.Pipe(nlp).run(texts, beam=True)]
    docs = list(nlp.pipe(texts, disable=["ner", "span_finder", "spancat"]))
    ner = nlp.get_pipe("ner")
    theirs = ner.scored_ents(ner.beam_parse(docs, beam_width=model_pipe.BEAM_WIDTH))
    assert ours == theirs
    assert any(scores for scores in ours)


@needs_spacy
def test_a_blis_symbol_that_does_not_multiply_as_blis_py_is_not_used():
    from tui.core.suggest import model_pipe

    assert model_pipe._blis_sgemm() is not None  # this venv's blis: checked and used
    assert not model_pipe._same_as_blis_py(lambda *args: None)  # writes nothing


class _Library:
    """blis's library with one of its functions answering otherwise."""

    def __init__(self, library, name, answer):
        self.library, self.name, self.answer = library, name, answer

    def __getattr__(self, name):
        if name == self.name:
            return lambda *args: self.answer
        return getattr(self.library, name)


@needs_spacy
def test_blis_generic_products_by_its_avx_kernel_are_blis_py_s(monkeypatch):
    """Where blis runs its generic kernel on a processor with AVX (a Zen 4 here), the
    encoder multiplies with blis's Sandy Bridge kernel, the sum cut every KC terms as the
    generic kernel cuts it: blis.py.gemm's floats, on products read in place as the
    encoder reads its windows. Cut elsewhere they differ and the check refuses them; on
    another processor, or a processor without AVX, the kernel is not used."""
    import ctypes
    import os

    import numpy as np
    from blis import cy
    from blis.py import gemm

    from tui.core.suggest import model_pipe
    from tui.core.train import blis_kernel

    if os.environ.get("GLOSS_BLIS_GENERIC") != "1" and blis_kernel.use_known_kernel():
        # blis runs its AVX2 kernel in this process now (``blis_kernel``): the Sandy
        # Bridge kernel is for a processor without it, checked in a process where blis
        # keeps its own generic choice
        test = f"{__file__}::test_blis_generic_products_by_its_avx_kernel_are_blis_py_s"
        run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                              test], capture_output=True,
                             text=True, env={**os.environ, "GLOSS_BLIS_GENERIC": "1"})
        assert run.returncode == 0 and "1 passed" in run.stdout, run.stdout + run.stderr
        return
    library = ctypes.CDLL(cy.__file__)
    assert model_pipe._avx_sgemm(_Library(library, "bli_cpuid_is_sandybridge", False)) \
        is None
    assert model_pipe._avx_sgemm(_Library(library, "bli_arch_string", b"haswell")) is None
    faster = model_pipe._avx_sgemm(library)
    if faster is None:
        pytest.skip("blis runs a kernel of its own for this processor")
    assert model_pipe._same_as_blis_py(faster)
    assert model_pipe._blis_sgemm().__name__ == faster.__name__  # the one the encoder uses
    rng = np.random.default_rng(3)
    flat = rng.standard_normal((1002, 96), dtype=np.float32)  # 1,000 windows of 3 rows
    weights = rng.standard_normal((288, 288), dtype=np.float32)
    windows = np.lib.stride_tricks.sliding_window_view(flat, (3, 96)).reshape(1000, 288)
    out = np.full((1000, 288), np.nan, dtype=np.float32)
    one, zero = np.ones(1, dtype=np.float32), np.zeros(1, dtype=np.float32)
    faster(0, 8, 1000, 288, 288, one.ctypes.data, flat.ctypes.data, 96, 1,
           weights.ctypes.data, 288, 1, zero.ctypes.data, out.ctypes.data, 288, 1)
    assert np.array_equal(out, gemm(np.ascontiguousarray(windows), weights, trans2=True))
    monkeypatch.setattr(model_pipe, "KC", 384)
    assert not model_pipe._same_as_blis_py(faster)


@needs_spacy
@pytest.mark.parametrize("encoder", ["mish", "no blis symbol"])
def test_a_window_encoder_gloss_cannot_run_is_left_to_thinc(encoder, monkeypatch):
    """A token-to-vector layer whose window encoder is not the MaxoutWindowEncoder (or a
    blis without ``bli_sgemm``): embedded the fast way, encoded by thinc, the tensors
    those of nlp.pipe. (spaCy's Mish encoder does not pad between texts, so what it gives
    a text depends on the texts batched with it: it is given one.)"""
    import numpy as np
    import spacy

    from tui.core.suggest import model_pipe

    nlp = spacy.blank("en")
    shape = {"@architectures": "spacy.MishWindowEncoder.v2", "width": 32, "window_size": 1,
             "depth": 2}
    if encoder != "mish":
        shape = {**shape, "@architectures": "spacy.MaxoutWindowEncoder.v2",
                 "maxout_pieces": 3}
        monkeypatch.setattr(model_pipe, "_blis_sgemm", lambda: None)
    nlp.add_pipe("tok2vec", config={"model": {
        "@architectures": "spacy.Tok2Vec.v2", "encode": shape,
        "embed": {"@architectures": "spacy.MultiHashEmbed.v2", "width": 32,
                  "attrs": ["NORM", "PREFIX", "SUFFIX", "SHAPE"],
                  "rows": [500, 250, 250, 250], "include_static_vectors": False}}})
    nlp.initialize()
    texts = ["Olena Petrenko said so in Kyiv."]
    if encoder != "mish":
        texts += ["Kyiv", "", "Putin met Macron in Paris on Monday."]
    pipe = model_pipe.Pipe(nlp)
    assert pipe._embed is not None and pipe._encode is None
    ours = [doc for doc, _ in pipe.run(texts)]
    for doc, want in zip(ours, nlp.pipe(texts), strict=True):
        assert doc.text == want.text
        assert np.array_equal(doc.tensor, want.tensor)


def test_an_article_is_shared_in_stretches_shorter_towards_its_middle():
    from tui.core.suggest.model_worker import STRETCH_CHARS, _stretches

    pieces = [(n * 1001, f"{n:04d}" + "x" * 996) for n in range(1000)]  # 1 MB of lines
    stretches = _stretches(pieces)
    assert [p for stretch in stretches for p in stretch] == pieces  # whole, in order
    sizes = [sum(len(text) for _, text in stretch) for stretch in stretches]
    assert max(sizes) <= STRETCH_CHARS + 1000
    middle = sizes[len(sizes) // 2 - 2:len(sizes) // 2 + 2]
    assert max(middle) <= STRETCH_CHARS // 4 < min(sizes[:3] + sizes[-4:-1])  # (and a rest)
    assert _stretches([(0, "short")]) == [[(0, "short")]]


@needs_spacy
def test_suggest_model_writes_the_model_as_an_analyst_that_agree_measures(trained,
                                                                          tmp_path):
    db = tmp_path / "db"
    shutil.copytree(trained[0], db)
    result = gloss("suggest", "--db", db, "--model", db)
    assert result.returncode == 0, result.stderr
    assert "as model" in result.stderr and "model " + str(db / "models") in result.stderr
    dataset = Dataset.existing(db, "model")
    wrote = [s for i in dataset.ids() for s in dataset.spans(i, "model")]
    assert all(s.origin == "model" and s.label in ("ACTOR", "CLAIM", "LOCATION")
               for s in wrote)
    assert all(dataset.status(i) == "done" for i in dataset.ids())
    agree = gloss("agree", "--db", db, "--annotators", "model,alice")
    assert agree.returncode == 0, agree.stderr
    assert "model" in agree.stdout and "alice" in agree.stdout
    again = gloss("suggest", "--db", db, "--model", db, "--as", "model")
    assert again.returncode == 0 and "0 new in the dataset" in again.stderr


@needs_spacy
def test_next_uncertain_picks_an_article_still_to_do(trained, capsys):
    from tui.next_command import least_sure

    db, _ = trained
    dataset = Dataset(db, "alice")
    to_do = {a.document.id for a in dataset.readable([]) if not a.status}
    chosen = least_sure(dataset, None)
    assert chosen in to_do and len(to_do) == 2
    assert "least sure of" in capsys.readouterr().err


def test_too_few_articles_is_one_line(tmp_path):
    if importlib.util.find_spec("spacy") is None:
        pytest.skip("the spacy extra is not installed")
    dataset = Dataset(tmp_path / "db", "alice")
    doc, spans, links = article(0)
    dataset.add_articles([(doc, spans, links)])
    dataset.set_status(doc.id, "done")
    result = gloss("train", "--db", tmp_path / "db")
    assert result.returncode == 2 and result.stderr.count("gloss:") == 1
    assert "too few" in result.stderr and not (tmp_path / "db" / "models").exists()
    assert store.MODELS not in [p.name for p in (tmp_path / "db").iterdir()]


@needs_spacy
def test_the_memory_corpus_yields_what_spacys_corpus_reads_from_a_docbin(db, tmp_path):
    """gloss.corpus.v1 stands in for spacy.Corpus.v1: the same examples in the same order
    (the training is the same: the fashion brands bench gives spaCy's figures exactly)."""
    import spacy
    from spacy.tokens import DocBin
    from spacy.training import Corpus as SpacyCorpus

    from tui.core.train import corpus, pipeline

    examples = choose(Dataset.existing(db, "x").readable([]), Which()).examples
    examples.append(Example("empty", "", (), (), "alice"))  # spaCy leaves it out too
    labels = plan(examples)
    nlp = spacy.blank("en")
    docs = [pipeline.make_doc(nlp, e, labels, Counter()) for e in examples]
    DocBin(docs=docs, store_user_data=True).to_disk(tmp_path / "train.spacy")
    theirs = list(SpacyCorpus(tmp_path / "train.spacy")(nlp))
    ours = list(corpus.Corpus(examples, labels, Counter()).reader(0, None)(nlp))
    again = list(corpus.Corpus(examples, labels, Counter()).reader(0, None)(nlp))
    assert len(ours) == len(theirs) == len(examples) - 1
    for a, b, c in zip(ours, theirs, again, strict=True):
        assert [t.text for t in a.predicted] == [t.text for t in b.predicted]
        assert [t.norm_ for t in a.predicted] == [t.norm_ for t in b.predicted]
        assert [(e.start, e.end, e.label_) for e in a.reference.ents] == \
            [(e.start, e.end, e.label_) for e in b.reference.ents]
        assert {k: [(s.start, s.end, s.label_) for s in g]
                for k, g in a.reference.spans.items()} == \
            {k: [(s.start, s.end, s.label_) for s in g] for k, g in b.reference.spans.items()}
        assert a.predicted is not c.predicted  # each pass its own docs to annotate
    capped = list(corpus.Corpus(examples, labels, Counter()).reader(30, None)(nlp))
    assert 0 < len(capped) < len(ours) and sum(len(e.reference) for e in capped[:-1]) < 30


@needs_spacy
def test_the_model_reads_a_line_break_as_a_space_and_the_finder_reaches_most_claims():
    import spacy

    from tui.core.train import pipeline

    doc, spans, _ = article(1)
    example = Example(doc.id, doc.text, tuple(spans), (), "alice")
    labels = plan([example])
    made = pipeline.make_doc(spacy.blank("en"), example, labels, Counter())
    assert "\n" in doc.text and not any(t.is_space for t in made)
    assert [(e.start_char, e.end_char) for e in made.ents] == sorted(
        (s.start, s.end) for s in spans if s.label in labels.ner)
    long = [Example(str(n), "x " * n, (Span.new("x " * n, 0, 2 * n - 1, "CLAIM", "a"),), (),
                    "a") for n in range(1, 101)]
    assert pipeline.span_length(long, pipeline.Plan((), ("CLAIM",)), spacy.blank("en")) == 80
    assert pipeline.span_length(long[:40], pipeline.Plan((), ("CLAIM",)),
                                spacy.blank("en")) == 38
