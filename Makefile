# Retorno: `make run` serves the demo on SQLite; `make test` runs every check CI runs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEV := DEBUG=1 RETORNO_DEMO=1

.PHONY: run install test lint translations test-py vendor-locale bench clean

$(BIN)/.installed: pyproject.toml
	@scripts/system-deps.sh run
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

install: $(BIN)/.installed

# Compiled catalogues are build output (git ignores them); compile whenever the sources change.
compile-messages: install
	@cd retorno && $(DEV) ../$(BIN)/python ../manage.py compilemessages --ignore 'locale_vendor' -v 0

run: install compile-messages
	@mkdir -p var
	$(DEV) $(BIN)/python manage.py migrate --noinput -v 0
	$(DEV) $(BIN)/python manage.py createcachetable
	$(DEV) $(BIN)/python manage.py load_demo
	$(DEV) $(BIN)/python manage.py runserver 127.0.0.1:8000

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

translations: install
	@scripts/check_translations.sh

test: install
	@scripts/system-deps.sh test
	$(MAKE) --no-print-directory lint
	$(DEV) $(BIN)/python manage.py makemigrations --check --dry-run -v 1
	$(MAKE) --no-print-directory translations compile-messages
	$(BIN)/pytest

vendor-locale: install
	scripts/vendor_locale.sh

# `make bench`: fill a database of its own with 100,000 cases (unless already filled), then load-test
# it under gunicorn with DEBUG off; results go to bench/README.md. DATABASE_URL picks the database
# (default: SQLite var/bench.sqlite3, never the demo's). BENCH_FILL=--reset fills it again.
bench: install compile-messages
	@mkdir -p var
	DATABASE_URL="$${DATABASE_URL:-sqlite:///$(CURDIR)/var/bench.sqlite3}" \
		$(BIN)/python bench/fill.py --cases $(or $(BENCH_CASES),100000) --if-needed $(BENCH_FILL)
	DATABASE_URL="$${DATABASE_URL:-sqlite:///$(CURDIR)/var/bench.sqlite3}" \
		$(BIN)/python bench/load.py $(BENCH_LOAD)
	@echo "Results: bench/README.md (raw figures: var/bench-*.json)"

clean:
	rm -rf $(VENV) staticfiles .pytest_cache
