# Two commands: `make run` (UI at http://127.0.0.1:7860) and `make test` (the whole offline suite).
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

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

# A folder of dev documents kept outside the project (never committed): `make eval-dev DEV_CORPUS=DIR`.
# Per document: its own index in storage-eval/, a per-document table, a gate on eval/baseline_dev.json.
# Then the library: DIR plus data/ in one index, questions unscoped (eval/gold_library.jsonl), a gate
# on eval/baseline_library.json. Both always run; either gate failing fails the target.
eval-dev: $(STAMP)
	@test -n "$(DEV_CORPUS)" || { echo "usage: make eval-dev DEV_CORPUS=DIR (the folder of dev documents)"; exit 2; }
	@rc=0; \
	$(BIN)/python -m eval run --data "$(DEV_CORPUS)" --baseline eval/baseline_dev.json --report report-dev.md || rc=1; \
	$(BIN)/python -m eval run --library --data "$(DEV_CORPUS)" --baseline eval/baseline_library.json \
		--report report-library.md || rc=1; \
	exit $$rc

bench: $(STAMP)
	$(BIN)/python bench/run.py

clean:
	rm -rf storage storage-eval .pytest_cache
