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
# One index of DIR and data/ (storage-eval/). Three gates, all always run; any failing fails the target:
# 1. the learned answerer, leave one document out over every dev document and the bundled one
#    (each answered by a ranker fitted without it): eval/baseline_dev_cv.json;
# 2. the rules answerer (NQ_ANSWERER's default) on the documents it was written against, per document:
#    eval/baseline_dev.json;
# 3. the library: the documents eval/gold_library.jsonl was written for and data/ in one index, questions
#    unscoped: eval/baseline_library.json.
RULES_GOLD := $(addprefix --gold eval/gold_dev/,$(addsuffix .jsonl,$(basename $(shell grep -v '^\#' eval/first_round_documents.txt))))
eval-dev: $(STAMP)
	@test -n "$(DEV_CORPUS)" || { echo "usage: make eval-dev DEV_CORPUS=DIR (the folder of dev documents)"; exit 2; }
	@rc=0; \
	$(BIN)/python -m eval run --data "$(DEV_CORPUS)" --cv document --baseline eval/baseline_dev_cv.json \
		--report report-dev-cv.md --json metrics-dev-cv.json || rc=1; \
	$(BIN)/python -m eval run --data "$(DEV_CORPUS)" $(RULES_GOLD) --baseline eval/baseline_dev.json \
		--report report-dev.md || rc=1; \
	$(BIN)/python -m eval run --library --data "$(DEV_CORPUS)" --baseline eval/baseline_library.json \
		--report report-library.md || rc=1; \
	exit $$rc

bench: $(STAMP)
	$(BIN)/python bench/run.py

clean:
	rm -rf storage storage-eval .pytest_cache
