"""`gloss stats --plot` and `gloss stats --format json`, as a script or an analyst runs
them (a real child process: piped, so without colour)."""

from __future__ import annotations

import orjson

from tests.conftest import gloss
from tui.core.dataset import Dataset


def labelled(tmp_path, article):
    dataset = Dataset(tmp_path / "annotations", "alice")
    dataset.new_span(article.id, 0, 5, "ACTOR")  # Putin
    dataset.new_span(article.id, 10, 15, "ACTOR")  # Trump
    Dataset(dataset.folder, "bob").new_span(article.id, 46, 53, "LOCATION")  # Ukraine
    dataset.set_status(article.id, "done")
    return dataset


def test_json_gives_every_figure_for_scripts(tmp_path, article):
    labelled(tmp_path, article)
    result = gloss("stats", "--format", "json", "--db", tmp_path / "annotations")
    assert result.returncode == 0, result.stderr
    figures = orjson.loads(result.stdout)
    assert (figures["articles"], figures["spans"]) == (1, 3)
    assert figures["labels"] == {"ACTOR": 2, "CLAIM": 0, "LOCATION": 1}
    assert figures["spans_per_analyst"] == {"alice": 2, "bob": 1}
    assert figures["progress"]["alice"] == {"done": 1, "skipped": 0, "reviewed": 0, "todo": 0}
    assert figures["progress"]["bob"]["todo"] == 1
    assert sum(figures["spans_per_hour"]["alice"].values()) == 2
    # alice's and bob's versions of the one article, each on its own
    assert figures["spans_per_article"]["max"] == 2 and figures["spans_per_article"]["per"] \
        == "analyst"


def test_plot_draws_each_plot_with_its_numbers_beside_it(tmp_path, article):
    labelled(tmp_path, article)
    result = gloss("stats", "--plot", "--db", tmp_path / "annotations",
                   env={"COLUMNS": "130"})
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "\x1b" not in out  # piped: no colour
    for title in ("Articles per analyst", "Spans per label", "Articles by their spans",
                  "Spans an hour (UTC)", "Claims: source or not"):
        assert title in out
    rows = out.splitlines()
    def beside_a_plot(numbers: str) -> bool:
        return any(numbers in row and row.index(numbers) > row.rindex("┐" if "┐" in row
                                                                      else "│") for row in rows)

    assert beside_a_plot("ACTOR: 2 (66.7 %)")
    assert beside_a_plot("alice: 1 done (100.0 %)")
    assert "█ done  · to do" in out  # the legend of the stacked bars
    assert "no claims yet" in out


def test_plot_and_json_together_is_one_line(tmp_path, article):
    result = gloss("stats", "--plot", "--format", "json", "--db", tmp_path / "annotations")
    assert result.returncode == 2
    assert result.stderr == "gloss: --plot draws, --format json does not: give one of them\n"


def test_json_into_a_closed_pipe_is_quiet(tmp_path, article):
    import subprocess
    import sys

    command = (f"{sys.executable} -m tui stats --format json --db "
               f"{tmp_path / 'annotations'} | head -c 1")
    done = subprocess.run(command, shell=True, capture_output=True, text=True)
    assert done.stdout == "{" and done.stderr == ""
