# Quick start: `make demo` and `make test` set themselves up (a venv in .venv) on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
BENCH_STAMP := $(VENV)/.installed-bench
EXAMPLE := examples/Pohon_Kinerja_Kemacetan.xlsx
OUT := out

.PHONY: demo test typecheck fuzz bench setup template aturan clean

# pyproject's requires-python. `python --version` is what every Python (and a fake one in the
# tests) answers; prints "major minor", nothing when the interpreter does not run.
PY_MIN_MINOR := 11
py_version = $(1) --version 2>&1 | sed -n 's/^Python \([0-9]*\)\.\([0-9]*\).*/\1 \2/p'
py_ok = v=$$($(call py_version,$(1))); set -- $$v 0 0; [ "$$1" -gt 3 ] || { [ "$$1" -eq 3 ] && [ "$$2" -ge $(PY_MIN_MINOR) ]; }

# A venv made by an older Python, or half made (the stamp is written last), is made again.
ifneq ($(shell $(call py_ok,$(BIN)/python) && echo ok),ok)
.PHONY: $(STAMP)
endif

$(STAMP): pyproject.toml
	@$(call py_ok,$(PYTHON)) || { v=$$($(PYTHON) --version 2>&1 | grep '^Python'); \
	  id="adalah $$v"; en="is $$v"; [ -n "$$v" ] || { id="tidak ditemukan"; en="was not found"; }; \
	  echo "pohon-xl memerlukan Python 3.$(PY_MIN_MINOR) atau lebih baru; '$(PYTHON)' $$id." >&2; \
	  echo "pohon-xl needs Python 3.$(PY_MIN_MINOR) or newer; '$(PYTHON)' $$en." >&2; \
	  echo "Pasang / install Python 3.$(PY_MIN_MINOR)+, lalu / then: make PYTHON=python3.$(PY_MIN_MINOR) $(or $(MAKECMDGOALS),setup)" >&2; \
	  exit 1; }
	@$(call py_ok,$(BIN)/python) || { echo "rm -rf $(VENV)"; rm -rf $(VENV); }
	@rm -f $(STAMP)
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
	@echo
	$(BIN)/pohon-xl validasi examples/Pohon_Kinerja_Kesalahan_Umum.xlsx -o $(OUT)/Pohon_Kinerja_Kesalahan_Umum_validasi.xlsx || test $$? -eq 1
	@echo
	@echo "Contoh kesalahan: $(OUT)/Pohon_Kinerja_Kesalahan_Umum_validasi.xlsx (lihat sheet Laporan_Validasi)"

test: typecheck
	$(BIN)/python -m pytest

# Settings in pyproject.toml ([tool.mypy]).
typecheck: $(STAMP)
	$(BIN)/mypy pohon_xl

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

# Everything setup, demo and test make (bench's generated workbooks stay: they are slow to make).
clean:
	rm -rf $(VENV) $(OUT) .pytest_cache .mypy_cache build dist *.egg-info
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
