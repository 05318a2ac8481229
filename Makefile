# Two commands from a fresh clone: `make run` and `make test`. Everything else is set up on the way.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY_STAMP := $(VENV)/.installed
NODE_STAMP := frontend/node_modules/.installed
# tsc over the PWA's sources, once for both the build and test-frontend (it took ~15 s of CPU,
# twice in every `make test` that rebuilt the PWA).
TYPECHECK_STAMP := frontend/.typechecked
FRONTEND_SOURCES := $(shell find frontend/src frontend/public -type f 2>/dev/null) \
	frontend/index.html frontend/vite.config.ts frontend/tsconfig.json
PYTEST_ARGS ?=
# pytest-xdist workers for the Python suites (each has its own scratch database and temp dirs).
PYTEST_WORKERS ?= auto
PYTEST := $(BIN)/pytest -n $(PYTEST_WORKERS) --dist load

.PHONY: run test setup lint format migrate frontend test-frontend test-e2e test-sqlite test-postgres bench bench-frontend clean

run: setup migrate
	$(BIN)/fortify serve --no-migrate

test: setup lint test-frontend test-sqlite test-postgres test-e2e

setup: $(PY_STAMP) frontend/dist/index.html

$(PY_STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

$(NODE_STAMP): frontend/package.json frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund
	touch $@

$(TYPECHECK_STAMP): $(NODE_STAMP) $(FRONTEND_SOURCES)
	cd frontend && npm run typecheck
	touch $@

# `npm run build` is this typecheck then `vite build`.
frontend/dist/index.html: $(TYPECHECK_STAMP) $(NODE_STAMP) $(FRONTEND_SOURCES)
	cd frontend && npx vite build

frontend: frontend/dist/index.html

migrate: $(PY_STAMP)
	$(BIN)/fortify migrate

# mypy (strict) checks what pyproject's [tool.mypy] `files` names: the app, migrations/,
# tests/, tools/ and bench/. Then the curated catalog is rebuilt in memory from tools/curated_foods/ and compared,
# the scoring tables' TypeScript copy is compared, and ESLint runs on the PWA.
lint: $(PY_STAMP) $(NODE_STAMP)
	$(BIN)/ruff check backend tests migrations bench tools
	$(BIN)/ruff format --check backend tests migrations bench tools
	$(BIN)/mypy
	$(BIN)/python tools/build_curated_catalog.py --check
	$(BIN)/python tools/gen_scoring_tables.py --check
	cd frontend && npm run lint

format: $(PY_STAMP)
	$(BIN)/ruff check --fix backend tests migrations bench tools
	$(BIN)/ruff format backend tests migrations bench tools

test-frontend: $(NODE_STAMP) $(PY_STAMP) $(TYPECHECK_STAMP)
	cd frontend && npm run check:api && npm test

# The PWA in real headless Chromium (/usr/bin/chromium) against a real server; needs the build.
test-e2e: setup
	cd frontend && npm run test:e2e

test-sqlite: $(PY_STAMP)
	FORTIFY_TEST_DATABASE=sqlite $(PYTEST) $(PYTEST_ARGS)

# Runs when PostgreSQL answers; FORTIFY_REQUIRE_POSTGRES=1 (CI) makes a missing server a failure.
test-postgres: $(PY_STAMP)
	@if [ "$$FORTIFY_REQUIRE_POSTGRES" = 1 ] || $(BIN)/python -m tests.pg_probe; then \
		FORTIFY_TEST_DATABASE=postgresql $(PYTEST) $(PYTEST_ARGS); \
	else \
		echo "PostgreSQL does not answer at 127.0.0.1:5432: the PostgreSQL run was skipped."; \
	fi

# Every bench (day report, food search, sync, load, frontend) → docs/benchmarks.md, with the
# machine and the date (about 15 minutes). BENCH_ARGS=--quick for a short load run.
BENCH_ARGS ?=
bench: setup
	$(BIN)/python bench/report.py $(BENCH_ARGS)

bench-frontend: setup
	cd frontend && npm run bench

clean:
	rm -rf $(VENV) frontend/node_modules frontend/dist $(TYPECHECK_STAMP) .mypy_cache .ruff_cache .pytest_cache
