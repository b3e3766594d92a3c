# make demo: set up .venv and run taiyaku on the shipped seed data.
# make test: set up .venv with the test tools, lint, and run the tests.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test lint clean browser

$(BIN)/taiyaku: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

demo: $(BIN)/taiyaku
	$(BIN)/taiyaku demo

lint: $(BIN)/taiyaku
	$(BIN)/ruff check src tests benchmarks

# The browser tests drive Debian's Chromium (never a downloaded build) and need CJK fonts.
browser:
	@command -v chromium >/dev/null && [ -f /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc ] || \
	  { apt-get update -q && apt-get install -y -q chromium fonts-noto-cjk; }

test: lint browser
	$(BIN)/python -m pytest -q -p no:cacheprovider

clean:
	rm -rf $(VENV) demo.db demo.db-wal demo.db-shm demo-glossary.xlsx
