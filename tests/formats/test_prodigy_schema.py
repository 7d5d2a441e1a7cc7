"""Prodigy cannot be installed here (a licence): the JSONL export is checked field by field
against Prodigy's documented task format (https://prodi.gy/docs/api-interfaces: ner_manual,
spans_manual and relations), and the same check is first passed by the real Prodigy file
(shared data: 373 annotated headlines as Prodigy's db-out wrote them).

`text`; `tokens` with `text`, `start`, `end`, `id` (and `ws`); `spans` with `start`, `end`,
`label` and `token_start` / `token_end` (inclusive); `relations` with `head` / `child`
(token indices: the last token of each span) and `head_span` / `child_span`; `answer`;
`_annotator_id` / `_session_id` (text); `_input_hash` / `_task_hash` (integers: Gloss
leaves them out, and Prodigy's db-in sets them).
"""

from __future__ import annotations

import io
from typing import Any

import orjson

from tests.clients.corpus import EMOJI_CLAIM, emoji_claim, seed_with_claims
from tests.conftest import shared
from tui import interchange
from tui.core.store.corpus import Notes, import_articles
from tui.core.store.dataset import Dataset

ANSWERS = ("accept", "reject", "ignore")
SPAN_KEYS = ("start", "end", "token_start", "token_end", "label")


def problems(task: dict[str, Any]) -> list[str]:
    """What in ``task`` Prodigy's task format does not allow (none: [])."""
    found = []
    text = task.get("text")
    if not isinstance(text, str):
        return ["no text"]
    tokens = task.get("tokens", [])
    for n, token in enumerate(tokens):
        if not (type(token.get("start")) is int and type(token.get("end")) is int
                and token.get("id") == n and token.get("text") == text[token["start"]:
                                                                        token["end"]]):
            found.append(f"token {n}: {token}")
    if tokens and all("ws" in t for t in tokens) and "".join(
            t["text"] + (" " if t["ws"] else "") for t in tokens) != text:
        found.append("the tokens and their spaces are not the text")  # as spaCy's Doc
    for span in task.get("spans", []):
        found += [f"span: {span}" for problem in [_span(span, text, tokens)] if problem]
    for relation in task.get("relations", []):
        ends = [relation.get(k) for k in ("head_span", "child_span")]
        if not (all(isinstance(e, dict) and _span(e, text, tokens) is None for e in ends)
                and relation.get("head") == ends[0]["token_end"]
                and relation.get("child") == ends[1]["token_end"]
                and isinstance(relation.get("label"), str)):
            found.append(f"relation: {relation}")
    if "answer" in task and task["answer"] not in ANSWERS:
        found.append(f"answer {task['answer']!r}")
    for key in ("_input_hash", "_task_hash"):
        if key in task and type(task[key]) is not int:
            found.append(f"{key} {task[key]!r}")
    for key in ("_annotator_id", "_session_id"):
        if task.get(key) is not None and not isinstance(task[key], str):
            found.append(f"{key} {task[key]!r}")
    return found


def _span(span: dict[str, Any], text: str, tokens: list[dict[str, Any]]) -> str | None:
    if not all(type(span.get(k)) is int for k in SPAN_KEYS[:4]):
        return "offsets"
    if not (isinstance(span.get("label"), str) or span.get("label") is None):
        return "label"
    first, last = span["token_start"], span["token_end"]
    if not (0 <= first <= last < len(tokens) and tokens[first]["start"] == span["start"]
            and tokens[last]["end"] == span["end"]):
        return "tokens"
    if "text" in span and span["text"] != text[span["start"]:span["end"]]:
        return "text"
    return None


def test_the_real_prodigy_file_passes_the_check():
    path = shared("prodigy", "news_headlines_annotated.jsonl")
    tasks = [orjson.loads(line) for line in path.read_bytes().splitlines()]
    assert len(tasks) == 373
    assert [p for task in tasks for p in problems(task)] == []
    assert all(type(t["_input_hash"]) is int and type(t["_task_hash"]) is int for t in tasks)


def exported(dataset: Dataset) -> list[dict[str, Any]]:
    out = io.BytesIO()
    interchange.export(dataset, out, "jsonl")
    return [orjson.loads(line) for line in out.getvalue().splitlines()]


def test_the_seed_with_its_claims_and_a_claim_after_emoji_fit_prodigys_format(tmp_path):
    dataset = seed_with_claims(tmp_path / "db")
    emoji_claim(tmp_path / "db")
    lines = exported(dataset)
    assert [p for line in lines for p in problems(line)] == []
    assert {(line["_annotator_id"], line["_session_id"], line["answer"]) for line in lines} \
        == {("olena", "olena", "accept"), ("taras", "taras", "accept"),
            ("review", "review", "accept"), ("mykola", "mykola", "ignore")}
    assert sum(len(line.get("relations", [])) for line in lines) == 19
    assert not any("_input_hash" in line or "_task_hash" in line for line in lines)
    [claim] = [line for line in lines if line["text"] == EMOJI_CLAIM]
    flag = next(t for t in claim["tokens"] if t["text"] == "🇺🇦")  # one token, not two
    assert (flag["end"] - flag["start"], flag["ws"]) == (2, True)


def test_the_prodigy_file_comes_back_with_prodigys_own_spans(tmp_path):
    path = shared("prodigy", "news_headlines_annotated.jsonl")
    tasks = [orjson.loads(line) for line in path.read_bytes().splitlines()]
    dataset = Dataset(tmp_path / "db", "alice")
    notes = Notes()
    import_articles(dataset, list(interchange.read(path, "jsonl", notes)), path.name, notes=notes)
    lines = {line["text"]: line for line in exported(dataset)}
    assert [p for line in lines.values() for p in problems(line)] == []
    for task in tasks:
        line = lines[task["text"]]
        assert [{k: s[k] for k in SPAN_KEYS} for s in task.get("spans", [])] == [
            {k: s[k] for k in SPAN_KEYS} for s in line["spans"]]
        assert [(t["text"], t["start"], t["end"]) for t in task["tokens"]] == [
            (t["text"], t["start"], t["end"]) for t in line["tokens"]]
        assert line["answer"] == task["answer"]
