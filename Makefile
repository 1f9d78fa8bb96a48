# Two commands for a new user: `make run` and `make test`. See README.md.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
# Links in e-mails point at the server `make run` starts (set SITE_URL to override).
SITE_URL ?= http://$(HOST):$(PORT)

.PHONY: run test lint format bench install install-dev migrate seed worker beat clean messages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall only when a requirements file changed.
$(VENV)/.installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $(VENV)/.installed $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

# Settings never create folders; SQLite, collected static files and the bench live here.
var/static:
	mkdir -p $@

# Laptop targets: debug mode unless the environment says otherwise (it brings a secret key).
LAPTOP := DEBUG=$${DEBUG:-true}

migrate: install | var/static
	$(LAPTOP) $(BIN)/python manage.py migrate --noinput

seed: migrate
	$(LAPTOP) $(BIN)/python manage.py seed_demo --today

## make run [PORT=8000]: install, migrate, load the demo, print the logins, serve http://127.0.0.1:$(PORT)
run: seed
	@echo "Serving http://$(HOST):$(PORT)/  (Ctrl-C stops)"
	DEBUG=true SITE_URL=$(SITE_URL) $(BIN)/python manage.py runserver $(HOST):$(PORT)

## make test: lint, then the whole suite (SQLite and eager tasks unless DATABASE_URL / CELERY_BROKER_URL say otherwise)
test: install-dev | var/static
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

## make messages: collect new strings into locale/de/LC_MESSAGES/django.po and compile it (needs gettext)
messages: install
	DEBUG=true $(BIN)/python manage.py makemessages -l de --no-location --no-obsolete \
		--ignore=.venv --ignore=var --ignore="*/tests/*"
	DEBUG=true $(BIN)/python manage.py compilemessages --ignore=.venv

## make bench: speed figures, printed and written to var/bench/results.json
bench: install-dev | var/static
	$(BIN)/python -m bench

## Production processes (with DATABASE_URL, CELERY_BROKER_URL, SECRET_KEY, ... set)
## make worker: a Celery worker (e-mail, reminders); as many as you like
## make beat: the scheduler; exactly one for the whole site (its schedule is in the database)
# Without a broker, tasks run inside the web process (make run): nothing for these to do.
BROKER_CHECK = test -n "$$CELERY_BROKER_URL" || grep -qs '^CELERY_BROKER_URL=..*' .env || \
	{ echo "Set CELERY_BROKER_URL (e.g. redis://127.0.0.1:6379/0) first." >&2; exit 1; }

worker: install
	@$(BROKER_CHECK)
	$(BIN)/celery -A config worker --loglevel=INFO

beat: install
	@$(BROKER_CHECK)
	$(BIN)/celery -A config beat --loglevel=INFO

clean:
	rm -rf $(VENV) var/static var/bench
