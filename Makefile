# Two commands: `make run` (the app with demo data) and `make test` (the whole suite).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
export DJANGO_SETTINGS_MODULE := exportregion.settings

.PHONY: run test screenshots install assets migrate demo worker web lint bench-import bench-serve bench-load clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

assets: $(STAMP)
	PYTHON=$(PY) sh scripts/fetch_plotly.sh

migrate: install
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py load_demo

run: assets demo
	@echo ""
	@echo "Exportregion: http://127.0.0.1:$${WEB_PORT:-8000}/   (demo logins: admin, analyst, juror1, juror2, juror3, chair;"
	@echo "               password: $${DEMO_PASSWORD:-exportregion-demo})"
	@echo ""
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" exec $(VENV)/bin/honcho start -f Procfile

# The suite runs in TEST_PROCESSES parallel processes (pytest-xdist; `auto`: one per core), then the few tests
# that stop a shared service (marked serial) on their own.
TEST_PROCESSES ?= auto

# Each process of the suite (the test processes, the Celery workers and servers the tests start) imports the
# same modules: Python keeps them compiled in __pycache__, and pytest its rewritten test modules, even where
# the environment turns that off (PYTHONDONTWRITEBYTECODE), so that only the first process compiles them.
test: export PYTHONDONTWRITEBYTECODE :=
test: assets
	$(PY) manage.py check
	$(PY) -m pytest -n $(TEST_PROCESSES) --dist worksteal $(PYTEST_ARGS)
	$(PY) -m pytest --serial-only $(PYTEST_ARGS)

# The browser tests, saving every page they visit to tests/artifacts/*.png (1366 × 900 and 390 × 844) for a
# person to look at; `make test` leaves the pictures out.
screenshots: assets
	SCREENSHOTS=1 $(PY) -m pytest -p no:cacheprovider -m browser tests/browser $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy
	$(PY) manage.py makemigrations --check --dry-run

bench-import: install
	$(PY) bench/import_bench.py

bench-serve: assets
	$(PY) bench/serve_bench.py

bench-load: assets
	$(PY) bench/load_bench.py

clean:
	rm -rf $(VENV) var/*.sqlite3 var/broker var/staticfiles static/vendor/plotly
