# The two commands a newcomer needs are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
WORDPRESS := .cache/wordpress/usr/share/wordpress/wp-includes/version.php

.PHONY: install run test lint format bench-corpus bench-scan bench-db bench-checkins wordpress

$(INSTALLED): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(INSTALLED)

install: $(INSTALLED)

## The control plane on SQLite at http://127.0.0.1:8000 with a local agent.
run: install
	$(BIN)/cleanshift up

$(WORDPRESS):
	scripts/fetch-wordpress.sh .cache/wordpress

wordpress: $(WORDPRESS)

## The whole test suite (SQLite, PostgreSQL, real processes).
test: install $(WORDPRESS)
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy

format: install
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

## Detection on the shared corpus and a clean WordPress.
bench-corpus: install $(WORDPRESS)
	$(BIN)/python bench/corpus_score.py

## Full and quick scans of WordPress against the yara CLI with the same rules.
bench-scan: install $(WORDPRESS)
	command -v yara >/dev/null || apt-get install -y yara
	$(BIN)/python bench/scan.py

## Rows per second and peak memory scanning a million-row table in MariaDB.
bench-db: install
	$(BIN)/python bench/dbscan.py

## Check-ins per second and latency for 1,000 simulated agents on PostgreSQL.
bench-checkins: install
	$(BIN)/python bench/checkins.py --find-max
