# patron — run `make help` for the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# uv from the PATH when there is one, else a private copy under .tools/ (made on first use).
UV ?= $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)
UV_VERSION ?= 0.13.9
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: help install run test lint typecheck fmt migrate bench screenshots

help: ## List the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  %-10s %s\n", $$1, $$2}'

.tools/bin/uv:
	python3 -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

$(VENV)/.synced: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen
	@touch $@

install: $(VENV)/.synced ## Create .venv from uv.lock (frozen)

migrate: install ## Apply database migrations (PATRON_DATABASE_URL, default SQLite under ./var/)
	$(BIN)/patron db upgrade

run: migrate ## Upgrade the database and serve on http://127.0.0.1:8000
	$(BIN)/patron serve --host $(HOST) --port $(PORT)

test: install ## Run the test suite (PostgreSQL tests need PATRON_TEST_POSTGRES_URL)
	$(BIN)/pytest

lint: install ## Ruff lint and format check, import-linter contracts
	$(BIN)/ruff check src tests migrations bench tools
	$(BIN)/ruff format --check src tests migrations bench tools
	$(BIN)/lint-imports

typecheck: install ## mypy --strict on src/
	$(BIN)/mypy

fmt: install ## Format and auto-fix with ruff
	$(BIN)/ruff format src tests migrations bench tools
	$(BIN)/ruff check --fix src tests migrations bench tools

bench: install ## Seed, measure ceilings and every face with wrk (~10 min); rewrites docs/performance.md
	@command -v wrk >/dev/null || { export DEBIAN_FRONTEND=noninteractive; \
	  apt-get install -y -q wrk >/dev/null 2>&1 || { apt-get update -q >/dev/null && apt-get install -y -q wrk >/dev/null; }; }
	BENCH_POSTGRES_URL=$${BENCH_POSTGRES_URL:-postgresql://postgres@127.0.0.1:5432/test} $(BIN)/python bench/run.py
	$(BIN)/python bench/enumeration.py 2>/dev/null

screenshots: install ## Screenshots of the admin console into docs/screenshots/ (needs chromium)
	$(BIN)/python tools/screenshots.py
