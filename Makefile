# Quick start: `make demo` and `make test` set themselves up (a venv in .venv) on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
BENCH_STAMP := $(VENV)/.installed-bench
EXAMPLE := examples/Pohon_Kinerja_Kemacetan.xlsx
OUT := out

.PHONY: demo test fuzz bench setup template aturan clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,graph]'
	touch $(STAMP)

$(BENCH_STAMP): pyproject.toml $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test,graph,bench]'
	touch $(BENCH_STAMP)

setup: $(STAMP)

demo: $(STAMP)
	@mkdir -p $(OUT)
	$(BIN)/pohon-xl turunkan $(EXAMPLE) -o $(OUT)/Pohon_Kinerja_Kemacetan_turunan.xlsx
	@echo
	@echo "Hasil: $(OUT)/Pohon_Kinerja_Kemacetan_turunan.xlsx (buka di Excel atau LibreOffice)"

test: $(STAMP)
	$(BIN)/python -m pytest

# The seeded fuzz test alone (it also runs in `make test`): FUZZ_CASES=1000 FUZZ_SEED=7 make fuzz
fuzz: $(STAMP)
	$(BIN)/python -m pytest -m fuzz tests/excel/test_fuzz.py

# Generates the workbooks once (benchmarks/data/, cached), runs every case as whole processes,
# prints medians, ratios and PASS/FAIL per target; writes benchmarks/results/latest.{json,md}.
bench: $(BENCH_STAMP)
	$(BIN)/python -m benchmarks.run

template: $(STAMP)
	$(BIN)/python -m pohon_xl.excel.template

aturan: $(STAMP)
	$(BIN)/python -m pohon_xl.rules.catalog

clean:
	rm -rf $(OUT) .pytest_cache build *.egg-info
