# Two commands on a fresh machine: `make run` and `make test`. Each target is one line.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export DJANGO_SETTINGS_MODULE := config.settings
run: export DJANGO_DEBUG := 1

.PHONY: run test setup setup-dev lint fmt bench messages clean

run: setup
	$(BIN)/python manage.py translations --compile && $(BIN)/python manage.py migrate -v0 && $(BIN)/python manage.py load_places && $(BIN)/python manage.py load_criteria && $(BIN)/python manage.py demo && $(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

test: setup-dev
	DJANGO_TESTING=1 $(BIN)/python manage.py translations --compile && DJANGO_TESTING=1 $(BIN)/python -m pytest $(PYTEST_ARGS)

setup: $(VENV)/.installed

setup-dev: $(VENV)/.installed-dev

$(VENV)/.installed: requirements.txt
	$(PY) -m venv $(VENV) && $(BIN)/pip install -q --disable-pip-version-check -r requirements.txt && touch $@

$(VENV)/.installed-dev: requirements.txt requirements-dev.txt
	$(PY) -m venv $(VENV) && $(BIN)/pip install -q --disable-pip-version-check -r requirements-dev.txt && touch $(VENV)/.installed $@

lint: setup-dev
	$(BIN)/ruff check . && $(BIN)/ruff format --check . && DJANGO_TESTING=1 $(BIN)/python manage.py makemigrations --check --dry-run && DJANGO_TESTING=1 $(BIN)/python manage.py translations --check

fmt: setup-dev
	$(BIN)/ruff check --fix . && $(BIN)/ruff format .

messages: setup-dev
	DJANGO_TESTING=1 $(BIN)/python manage.py translations --extract

bench: setup-dev
	DJANGO_TESTING=1 $(BIN)/python -m bench.run_all --size small

clean:
	rm -rf $(VENV) data/db.sqlite3*
