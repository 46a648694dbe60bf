# Two commands for a fresh machine with Python 3.11+: `make run` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Two stamps: `make run` and `make sync` install only what serving and syncing need (requirements.txt);
# `make test` adds the test and lint tools (requirements-dev.txt).
RUN_STAMP := $(VENV)/.installed-run
STAMP := $(VENV)/.installed-dev

.PHONY: run test lint sync bench clean node-packages

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(RUN_STAMP): requirements.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $(RUN_STAMP)

$(STAMP): requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $(STAMP)

# A per-machine key that signs the forecast model (data/ is gitignored; never a default in code).
MODEL_KEY := data/model-hmac.key

$(MODEL_KEY):
	mkdir -p data
	$(BIN)/python -c "import secrets; print(secrets.token_hex(32))" > $@
	chmod 600 $@

## run: set up, sync the demo data, train the forecast and serve the dashboard on http://localhost:8501
run: $(RUN_STAMP) $(MODEL_KEY)
	$(BIN)/python -m core.sync
	$(BIN)/python -m core.forecast train || true
	FITDASH_MODEL_HMAC_KEY=$${FITDASH_MODEL_HMAC_KEY:-$$(cat $(MODEL_KEY))} $(BIN)/streamlit run streamlit_app.py

# dynalite (a second DynamoDB implementation for the store contract) when node/npm are installed;
# without node the tests skip that leg and say why.
NODE_STAMP := node_modules/.package-lock.json

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error

node-packages:
	@if command -v npm >/dev/null 2>&1; then $(MAKE) --no-print-directory $(NODE_STAMP); \
	else echo "npm not found: the dynalite leg of the store tests will be skipped"; fi

## test: set up, lint and run every test
test: $(STAMP) node-packages
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -n 2 --dist loadgroup

sync: $(RUN_STAMP)
	$(BIN)/python -m core.sync

## bench: benchmarks on generated data (not part of test); writes bench/RESULTS.md
bench: $(STAMP)
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
