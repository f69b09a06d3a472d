# starkeRegion – the two commands a newcomer needs are `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000

.PHONY: run worker test lint format messages clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall when pyproject.toml changes; the stamp files remember what is installed.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -e ".[dev]"
	touch $(VENV)/.installed $@

$(VENV)/.installed-mutation: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet --disable-pip-version-check -e ".[dev,mutation]"
	touch $(VENV)/.installed $(VENV)/.installed-dev $@

## run: the demo on http://pm.localhost:$(PORT) (SQLite, console email, DEBUG on)
run: export DEBUG = 1
run: export SITE_PORT = $(PORT)
run: $(VENV)/.installed
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py createcachetable
	$(BIN)/python manage.py load_demo
	@# Without a worker the hourly expiry job does not run; catch up once at start.
	$(BIN)/python manage.py expire_listings
	@echo "Serving http://pm.localhost:$(PORT), http://ohv.localhost:$(PORT) and the portal http://localhost:$(PORT)"
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

## worker: the task worker, to try the queue as in production. `make run` needs none: it runs
## tasks at once. Start both with the same queue: TASKS_URL=sqlite:///db.sqlite3-tasks make run
worker: export DEBUG = 1
worker: export TASKS_URL ?= sqlite:///db.sqlite3-tasks
worker: $(VENV)/.installed
	$(BIN)/python manage.py run_huey

## test: the whole suite (browser tests need Debian's chromium at /usr/bin/chromium)
test: $(VENV)/.installed-dev
	$(BIN)/pytest $(PYTEST_ARGS)

## bench: seed PostgreSQL (BENCH_DATABASE_URL) with $(BENCH_LISTINGS) listings, measure the
## search and listing pages under a real gunicorn, print timings and EXPLAIN (issue #4); then
## publish one listing against 10,000 saved searches and time the matching (issue #15)
BENCH_LISTINGS ?= 100000
.PHONY: bench
bench: export BENCH_LISTINGS := $(BENCH_LISTINGS)
bench: $(VENV)/.installed-dev
	$(BIN)/python -m tests.bench.seed
	$(BIN)/python -m tests.bench.run
	$(BIN)/python -m tests.bench.matching
	$(BIN)/python -m tests.bench.alerts

## bench-national: the search at the size of Germany (issue #13): seeds its own PostgreSQL
## database (BENCH_NATIONAL_DATABASE_URL) with 400 regions of 2,500 listings, about a quarter
## of an hour the first time, and measures one region's search with varied queries.
.PHONY: bench-national
bench-national: $(VENV)/.installed-dev
	$(BIN)/python -m tests.bench.national

## chaos: the production-like stack of its own (PostgreSQL, Redis, gunicorn, worker, mail server)
## under load while each part is stopped and started again; prints requests by status, what
## /healthz said and mails queued vs delivered, exits 1 if a mail was lost (issue #12).
## A measurement, not part of CI. Needs PostgreSQL 15's initdb and redis-server.
.PHONY: chaos
chaos: $(VENV)/.installed-dev
	$(BIN)/python -m tests.bench.chaos

## mutate: mutation testing of the critical modules ([tool.mutmut] in pyproject.toml) on
## SQLite, each mutant against the tests that call its function; prints the score per
## module (issue #19). Takes about an hour on two cores. A measurement, not part of CI.
## MUTANTS="inquiries.services.*" limits it to the mutants whose names match.
.PHONY: mutate
mutate: $(VENV)/.installed-mutation
	rm -rf mutants
	$(BIN)/mutmut run $(MUTANTS)
	$(BIN)/python -m tests.mutation.score

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## messages: extract translatable strings into locale/de and compile them (and the overrides)
messages: export DEBUG = 1
messages: $(VENV)/.installed-dev
	$(BIN)/python manage.py makemessages --locale de --ignore ".venv/*" --ignore "tests/*" --ignore "mutants/*" --no-obsolete
	$(BIN)/python manage.py compilemessages --locale de --ignore ".venv/*" --ignore "staticfiles/*" --ignore "mutants/*"

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
