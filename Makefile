# `make run` and `make test` set everything up on first use: a .venv with Gloss installed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/gloss

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

clean:
	rm -rf $(VENV) .pytest_cache
