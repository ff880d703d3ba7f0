# Two commands do all the set-up on a fresh machine:
#   make run    installs into .venv and starts the app on the default project
#   make test   installs into .venv (with the test tools) and runs the tests
# The first run says what it is doing before each slow step; pip itself stays quiet.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: run test lint check clean

$(BIN)/python:
	@echo "make: creating a Python environment in $(VENV)/ (first run only; $(PYTHON) -m venv)"
	@$(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	@echo "make: installing Annotator and its dependencies into $(VENV)/ (PySide6 and spaCy are" \
		"large: a few minutes the first time, less when pip's cache has them)"
	@$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@
	@echo "make: $(VENV)/ is ready"

run: $(VENV)/.installed
	$(BIN)/annotator

test: $(VENV)/.installed
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest

lint: $(VENV)/.installed
	$(BIN)/lint-imports
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

check: lint test

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache .ruff_cache
