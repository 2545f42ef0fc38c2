# Two commands: `make run` (UI at http://127.0.0.1:7860) and `make test` (the whole offline suite).
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

DEV_CORPUS ?= ../shared/corpus/dev

.PHONY: run test eval eval-dev bench clean

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

# The dev corpus (outside the project, never committed): its own index in storage-eval/, per-document table.
eval-dev: $(STAMP)
	$(BIN)/python -m eval run --data $(DEV_CORPUS) --baseline eval/baseline_dev.json --report report-dev.md

bench: $(STAMP)
	$(BIN)/python bench/run.py

clean:
	rm -rf storage storage-eval .pytest_cache
