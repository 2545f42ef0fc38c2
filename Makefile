# Two commands: `make run` (UI at http://127.0.0.1:7860) and `make test` (the whole offline suite).
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test eval bench clean

$(STAMP): requirements.txt
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -r requirements.txt
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/python app.py

test: $(STAMP)
	$(BIN)/python -m pytest -q

eval: $(STAMP)
	$(BIN)/python -m eval run --report report.md --json metrics.json

bench: $(STAMP)
	$(BIN)/python bench/run.py

clean:
	rm -rf storage .pytest_cache
