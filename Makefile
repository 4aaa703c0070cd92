# Trường Số: the two commands are `make demo` and `make test`. `make help` lists the rest.
# Each target creates .venv (Python 3.11+) and installs the project when needed.

SHELL := /bin/bash
.DEFAULT_GOAL := help
PY := .venv/bin/python
VENV := source scripts/lib.sh && ensure_venv

.PHONY: help demo test lint format migrate messages bench venv clean distclean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

demo: ## demonstration data, worker and web server at http://127.0.0.1:8000 (Ctrl-C stops)
	@scripts/demo.sh

test: ## lint, migration check, tests on SQLite then on a throwaway PostgreSQL cluster
	@scripts/test.sh

venv: ## create .venv and install the project with its dev dependencies
	@$(VENV)

lint: ## ruff check and ruff format --check
	@$(VENV) && .venv/bin/ruff check . && .venv/bin/ruff format --check .

format: ## ruff format and ruff check --fix
	@$(VENV) && .venv/bin/ruff format . && .venv/bin/ruff check --fix .

migrate: ## apply migrations to the database (DATABASE_URL, else var/truongso.sqlite3)
	@$(VENV) && $(PY) manage.py migrate

messages: ## update the English catalogue from the Vietnamese source strings and compile it
	@$(VENV) && scripts/messages.sh

bench: ## run bench/*.py (or BENCH=bench/x.py, with BENCH_ARGS) on a throwaway PostgreSQL cluster
	@$(VENV) && scripts/bench.sh $(BENCH)

clean: ## remove caches, test results, collected static files and build leftovers
	rm -rf .ruff_cache .pytest_cache .hypothesis build src/*.egg-info var/test-results var/static bench/out
	find . -path ./.venv -prune -o -name __pycache__ -type d -exec rm -rf {} +

distclean: clean ## also remove .venv, fetched assets and var/ (the demo database and its secret key)
	rm -rf .venv node_modules src/truongso/static/vendor var
