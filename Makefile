# Only python3 and make are assumed: everything else is installed into .venv from requirements.lock.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell $(PYTHON) -c "import hashlib,sys;print(hashlib.sha256(open('requirements.lock','rb').read()).hexdigest()[:12])")
PYTEST_WORKERS ?= 2

.PHONY: run test install lint format messages clean

$(STAMP): requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.lock
	rm -f $(VENV)/.installed-* && touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	./scripts/run.sh

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	DATABASE_URL=sqlite://:memory: DJANGO_SETTINGS_MODULE=config.settings.test \
		$(BIN)/python manage.py makemigrations --check --dry-run
	# Three runs: the unit and integration tests on $(PYTEST_WORKERS) workers; then the fault tests
	# (real Redis, SMTP, gunicorn and worker processes; their figures print as FAULT lines) and
	# the browser tests (Chromium), each in one process of its own.
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --durations=10 --ignore=tests/faults --ignore=tests/browser $(PYTEST_ARGS)
	$(BIN)/python -m pytest tests/faults $(PYTEST_ARGS)
	$(BIN)/python -m pytest tests/browser $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

messages: $(STAMP)
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python manage.py makemessages \
		-l fi -l sv --ignore=.venv --ignore=tests --ignore=var --no-obsolete
	$(BIN)/python manage.py compilemessages --ignore=.venv

clean:
	rm -rf $(VENV) var staticfiles
