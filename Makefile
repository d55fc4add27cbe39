# make run: set up and start the app; make test: set up and run lint + the whole suite.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.setup-stamp
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: setup run test lint format translations-update translations-compile bench clean \
	serve-prod worker bench-load
WORKERS ?= 4
# A request past this many seconds is cut off (PDFs and batches run on the job queue, not here).
GUNICORN_TIMEOUT ?= 30
PROD_PORT ?= 8000

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(STAMP): requirements.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements.txt
	touch $(STAMP)

setup: $(STAMP) translations-compile
	$(PY) -m planner setup

translations-compile: $(STAMP)
	$(VENV)/bin/pybabel compile -d translations

# Extract every UI string and merge it into the zh/ru/en catalogues (then translate the .po files).
translations-update: $(STAMP)
	$(VENV)/bin/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k N_ --no-location --sort-output -o translations/messages.pot .
	$(VENV)/bin/pybabel update --no-fuzzy-matching -i translations/messages.pot -d translations

# The dev server and, as a second process, the job queue's consumer (batches, PDFs).
run: setup
	$(PY) run.py --host $(HOST) --port $(PORT)

# The job queue's consumer alone (beside `make serve-prod`, or on another machine sharing
# PLANNER_DATABASE_URL and a redis:// PLANNER_QUEUE_URL). QUEUE_WORKERS threads.
QUEUE_WORKERS ?= 2
worker: setup
	$(PY) -m planner worker --workers $(QUEUE_WORKERS)

# Production-style serving: gunicorn, WORKERS processes (each with its own map memo; plans in the
# one database). Behind a proxy set PLANNER_PROXIES=1; see docs/deploy.md. Batches and PDFs
# need a consumer too: run `make worker` beside it.
serve-prod: setup
	$(VENV)/bin/gunicorn -w $(WORKERS) -b $(HOST):$(PROD_PORT) --access-logfile - \
		--timeout $(GUNICORN_TIMEOUT) --graceful-timeout $(GUNICORN_TIMEOUT) \
		'planner.web:create_app()'

# Load test against a server already running on $(HOST):$(PROD_PORT) (e.g. `make serve-prod`
# with PLANNER_RATELIMIT_ENABLED=false PLANNER_TILES=none): 10 users mixed, then 50 on pages,
# then pages at 10 users while 5 clients make plans and 3 fetch PDFs (needs `make worker`).
bench-load:
	$(PY) bench/load.py --url http://$(HOST):$(PROD_PORT) --users 10 --seconds 30 --mix pages,plans
	$(PY) bench/load.py --url http://$(HOST):$(PROD_PORT) --users 50 --seconds 20 --mix pages
	$(PY) bench/load.py --url http://$(HOST):$(PROD_PORT) --mixed --users 10 --seconds 45

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

test: setup lint
	$(PY) -m pytest -q -n auto

bench: setup
	$(PY) -m pip install --quiet -r bench/requirements.txt
	$(PY) bench/toptw.py
	$(PY) bench/plan.py

clean:
	rm -rf $(VENV) static/vendor
