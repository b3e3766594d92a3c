# make demo: set up .venv and run taiyaku on the shipped seed data.
# make lint: ruff, the import-layer check (scripts/check_layers.py) and mypy.
# make check: lint and the fast tests (not marked slow): the edit loop (5 minutes on a slow
#   2-core machine, against 16 for make test).
# make test: lint and every test, slow ones and doctests included (what CI runs), the
#   PostgreSQL ones on a throwaway server (installed with apt when missing), the XLIFF
#   peer test with the npm package xliff (installed with npm when missing).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: demo test check lint clean bytecode browser postgres dictionary xliffpeer

$(BIN)/taiyaku: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

# The bytecode of src/taiyaku, written as an installed package's is at install: where
# $$PYTHONDONTWRITEBYTECODE is set (CI machines), every `python -m taiyaku` a test starts
# would otherwise compile taiyaku's modules again (about 0.3 s a start on a slow core).
bytecode: $(BIN)/taiyaku
	$(BIN)/python -m compileall -q src/taiyaku

demo: bytecode
	$(BIN)/taiyaku demo

lint: $(BIN)/taiyaku
	$(BIN)/ruff check src tests benchmarks scripts
	$(BIN)/python scripts/check_layers.py src/taiyaku
	$(BIN)/mypy

# pytest-xdist spreads the tests over the cores (-n auto), each worker with its own
# PostgreSQL server; --dist worksteal lets an idle worker take tests queued on another
# (loadscope, a module's tests on one worker, left the crash tests' module alone at the end).
PYTEST := $(BIN)/python -m pytest -q -p no:cacheprovider -n auto --dist worksteal

check: lint postgres bytecode
	$(PYTEST) -m "not slow" --doctest-modules src tests

# The browser tests drive Debian's Chromium (never a downloaded build) and need CJK fonts.
browser:
	@command -v chromium >/dev/null && [ -f /usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc ] || \
	  { apt-get update -q && apt-get install -y -q chromium fonts-noto-cjk; }

# The PostgreSQL tests start their own throwaway server (tests/pgserver.py) from Debian's
# binaries, which live off the PATH in /usr/lib/postgresql/<version>/bin.
postgres:
	@command -v initdb >/dev/null || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || \
	  { apt-get update -q && apt-get install -y -q postgresql; }

# The alignment test with the whole JMdict dictionary reads Debian's edict file.
dictionary:
	@[ -f /usr/share/edict/edict ] || { apt-get update -q && apt-get install -y -q edict; }

# The XLIFF peer-reader test runs the npm package xliff (pinned) with the machine's Node.js.
xliffpeer:
	@command -v npm >/dev/null || { echo "npm not found: the XLIFF peer test will be skipped"; exit 0; }; \
	  [ -f "$$(npm root -g)/xliff/package.json" ] || npm install -g --no-fund --no-audit xliff@6.4.0

test: lint browser postgres dictionary xliffpeer bytecode
	$(PYTEST) --doctest-modules src tests

clean:
	rm -rf $(VENV) demo.db demo.db-wal demo.db-shm demo-glossary.xlsx
