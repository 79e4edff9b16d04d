# Everything a fresh machine needs: `make demo` and `make test` create .venv and install telex into it.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
OUT ?= out

.PHONY: demo test bench bench-quick seeds clean install serve screenshots bench-api bench-load

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

demo: install
	mkdir -p $(OUT)
	$(BIN)/telex run examples --db $(OUT)/demo.duckdb
	$(BIN)/telex export events --db $(OUT)/demo.duckdb --format jsonl --out $(OUT)/demo-events.jsonl
	$(BIN)/telex export events --db $(OUT)/demo.duckdb --format parquet --out $(OUT)/demo-events.parquet
	$(BIN)/telex report --db $(OUT)/demo.duckdb --out $(OUT)/demo-report.html
	@echo
	@echo "Results:"
	@echo "  database      $(OUT)/demo.duckdb"
	@echo "  events        $(OUT)/demo-events.jsonl, $(OUT)/demo-events.parquet"
	@echo "  report        $(OUT)/demo-report.html"

# The reference corpus and its gold events (../shared, where present).
seeds: install
	mkdir -p $(OUT)
	$(BIN)/telex run ../shared/corpus/seeds --db $(OUT)/seeds.duckdb
	$(BIN)/telex eval --db $(OUT)/seeds.duckdb --gold ../shared/gold/seeds.jsonl

test: install
	$(BIN)/python -m pytest -q

# About 17 minutes on 2 idle cores; bench-quick scales it down (same measurements, fewer documents, no repeats).
bench: install
	$(BIN)/python bench/run.py --out $(OUT)/bench.json

bench-quick: install
	$(BIN)/python bench/run.py --docs 600 --small 200 --repeat 1 --out $(OUT)/bench-quick.json

# The dashboard on the example corpus, and the README's screenshots of it (headless Chromium, /usr/bin/chromium).
serve: install
	mkdir -p $(OUT)
	$(BIN)/telex run examples --db $(OUT)/demo.duckdb
	$(BIN)/telex serve --db $(OUT)/demo.duckdb

screenshots: install
	mkdir -p $(OUT)
	$(BIN)/telex run examples --db $(OUT)/demo.duckdb
	$(BIN)/python tools/screenshots.py --db $(OUT)/demo.duckdb --out docs/img

bench-api: install
	$(BIN)/python bench/api_latency.py --out $(OUT)/bench-api.json

# 10,000 requests, 50 at once, against a real `telex serve` on loopback; fails on any error.
bench-load: install
	$(BIN)/python bench/api_load.py --db $(OUT)/demo.duckdb --out $(OUT)/bench-load.json

clean:
	rm -rf $(OUT) .pytest_cache
