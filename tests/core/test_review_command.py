"""`gloss review` refuses what it cannot do in one line, exit status 2, before any screen
is drawn and with the dataset as it was."""

import pytest

from tests.app.team import team
from tests.conftest import gloss


@pytest.mark.parametrize(("args", "said"), [
    (["--annotators", "alice,bob", "--reviewer", "bob"],
     "gloss: --reviewer bob is one of the analysts reviewed (--annotators)"),
    (["--annotators", "alice,bob,carol"], "gloss: --annotators: two analysts at most"),
    (["--annotators", "alice,alice"], "gloss: --annotators: alice twice; name two analysts"),
    (["--reviewer", "ol\x1bena"], "gloss: --reviewer: a name is one line of printable text"),
])
def test_bad_options_get_one_line(tmp_path, args, said):
    folder = team(tmp_path / "db").folder
    before = {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}
    result = gloss("review", "--db", folder, *args)
    assert result.returncode == 2
    [line] = result.stderr.splitlines()
    assert line.startswith(said) and "\x1b" not in line
    assert {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()} == before


def test_no_dataset_no_review(tmp_path):
    result = gloss("review", "--db", tmp_path / "nowhere")
    assert result.returncode == 2
    assert result.stderr.strip() == f"gloss: no dataset at {tmp_path / 'nowhere'}"
    assert not (tmp_path / "nowhere").exists()
