# `make run` and `make test` set everything up on first use: a .venv with Gloss installed
# (and its spacy extra: gloss train, model suggestions, spaCy's matcher and tokens in the tests),
# at the versions of constraints.txt. `make release` builds the two files to upload.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PIP := $(BIN)/python -m pip --quiet

.PHONY: run test lint bench release clean

# The distribution was called "gloss" before (another project's name on the index): a venv
# made then holds it, and its gloss.egg-info, on pytest's path, would still name it.
$(STAMP): pyproject.toml constraints.txt tui/__init__.py
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --upgrade pip
	$(PIP) uninstall --yes gloss 2>/dev/null || true
	rm -rf gloss.egg-info
	$(PIP) install -c constraints.txt -e '.[test,spacy]'
# An editable install compiles nothing: where PYTHONDONTWRITEBYTECODE is set, every start
# of gloss compiled its hundred modules from source again (~100 ms before the first frame)
	$(BIN)/python -m compileall -q tui
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/gloss demo

lint: $(STAMP)
	$(BIN)/ruff check tui tests bench

test: lint
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python bench/store.py
	$(BIN)/python bench/reader.py
	$(BIN)/python bench/formats.py
	$(BIN)/python bench/conll.py
	$(BIN)/python bench/imports.py
	$(BIN)/python bench/token_files.py
	$(BIN)/python bench/claims.py
	$(BIN)/python bench/stats.py
	$(BIN)/python bench/library.py
	$(BIN)/python bench/review.py
	$(BIN)/python bench/parquet.py
	$(BIN)/python bench/git_pull.py
	$(BIN)/python bench/suggest.py

# The sdist and the wheel in dist/, checked (the sdist's wheel is the tree's, twine check);
# nothing is uploaded: `twine upload dist/*` is for a maintainer to run.
release: $(STAMP)
	rm -rf dist build
	$(PIP) install -c constraints.txt build twine
	PIP_CONSTRAINT=$(CURDIR)/constraints.txt $(BIN)/python -m build --outdir dist .
	PIP_CONSTRAINT=$(CURDIR)/constraints.txt $(BIN)/python -m build --wheel --outdir build/tree .
	$(BIN)/python .ci/check_dists.py dist/*.tar.gz dist/*.whl build/tree/*.whl
	$(BIN)/twine check --strict dist/*

clean:
	rm -rf $(VENV) .pytest_cache build dist
