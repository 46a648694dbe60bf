# Two commands for a fresh machine with Python 3.11+: `make run` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-dev

.PHONY: run test lint sync bench clean

$(BIN)/python:
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

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
run: $(STAMP) $(MODEL_KEY)
	$(BIN)/python -m core.sync
	FITDASH_MODEL_HMAC_KEY=$${FITDASH_MODEL_HMAC_KEY:-$$(cat $(MODEL_KEY))} $(BIN)/python -m core.forecast train || true
	FITDASH_MODEL_HMAC_KEY=$${FITDASH_MODEL_HMAC_KEY:-$$(cat $(MODEL_KEY))} $(BIN)/streamlit run streamlit_app.py

## test: set up, lint and run every test
test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -n 2 --dist loadgroup

sync: $(STAMP)
	$(BIN)/python -m core.sync

## bench: benchmarks on generated data (not part of test); writes bench/RESULTS.md
bench: $(STAMP)
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
