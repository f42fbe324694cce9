# claimledger — two commands for a fresh machine (Python 3.11 and make):
#   make demo   set up .venv and analyse the bundled example
#   make test   set up .venv and run the test suite (with ruff and mypy)
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint setup clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --no-cache-dir -e '.[dev]'
	@# An editable install must point at this checkout, not at another clone on the machine.
	$(BIN)/python -c "import claimledger, pathlib, sys; \
	  here = pathlib.Path('src').resolve(); got = pathlib.Path(claimledger.__file__).resolve(); \
	  sys.exit(0 if here in got.parents else f'claimledger imports from {got}, not {here}')"
	touch $(STAMP)

setup: $(STAMP)

demo: $(STAMP)
	$(BIN)/claimledger analyze examples/kursk.txt --published 2024-12-10

lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy src

test: $(STAMP) lint
	$(BIN)/pytest -q

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
