VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test test-fast lint bench clean

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(VENV)/bin/ocop-bot run

test: $(STAMP)
	$(PY) -m pytest -q -n 4

test-fast: $(STAMP)  # everything but the slow process tests (restart, kill -9)
	$(PY) -m pytest -q -n 4 -m "not slow"

lint: $(STAMP)
	$(VENV)/bin/ruff check bot handlers storage messages tests bench fakes
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

clean:
	rm -rf $(VENV)
