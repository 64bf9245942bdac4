# The two commands a new user runs: `make run` and `make test`. Both build .venv from this repo's files.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin

.PHONY: run test test-fast lint bench bench-files nonplans progress icdar ocr-bench fuzz corpus families clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed-run: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@ $(VENV)/.installed-run

run: $(VENV)/.installed-run
	$(BIN)/extractor batch corpus/ --out outputs/

# Every test, the slow ones included; each skipped test says why (-rs in pyproject.toml). The shared samples and
# real-world documents are looked for in ../shared, or where EXTRACTOR_SHARED points.
test: $(VENV)/.installed-test
	$(BIN)/python -m pytest

# The quick loop while working: all but the tests marked slow (real-world folders, fuzzing, other writers, wheel build)
test-fast: $(VENV)/.installed-test
	$(BIN)/python -m pytest -m "not slow"

# ruff (rules in pyproject.toml); tests/test_lint.py runs the same check in `make test`
lint: $(VENV)/.installed-test
	$(BIN)/ruff check .

# Performance report (not a test): raw pdfplumber vs the pipeline, 1 vs 2 workers, cache, diff, and per file of the
# real-world folders (pages, raw s, ours s, ratio) -> bench/results.json
bench: $(VENV)/.installed-test
	$(BIN)/python bench/run.py

# Only the per-file ratios against raw pdfplumber (../shared/realworld folders) and the cached re-run time
bench-files: $(VENV)/.installed-test
	$(BIN)/python bench/run.py --files-only

# Actions found in PDFs that hold no plan (ICDAR 2013, pdfplumber's test files): false positives -> bench/nonplans_results.json
nonplans: $(VENV)/.installed-test
	$(BIN)/python bench/nonplans.py -v

# The status reader on the labelled progress texts: accuracy, per-class precision/recall -> bench/progress_results.json
progress: $(VENV)/.installed-test
	$(BIN)/python bench/progress.py

# Table detection/structure vs the ICDAR 2013 ground truth (../shared/realworld/icdar2013), ours vs plain pdfplumber -> bench/icdar_results.json
icdar: $(VENV)/.installed-test
	$(BIN)/python bench/icdar.py

# OCR on 150-dpi image-only renderings of the shared sample PDFs, scored against their gold -> bench/ocr_results.json
ocr-bench: $(VENV)/.installed-test
	$(BIN)/python bench/ocr.py --workers 2

# Longer fuzzing than `make test`: more mutated files in one batch, more hypothesis examples
fuzz: $(VENV)/.installed-test
	EXTRACTOR_FUZZ_FILES=1500 EXTRACTOR_FUZZ_EXAMPLES=1000 $(BIN)/python -m pytest tests/test_fuzz.py

# corpus/ and tests/corpus_gold/: the synthetic plans (incl. three layout families), byte for byte
corpus: $(VENV)/.installed-test
	$(BIN)/python -m tests.synth corpus/ --gold tests/corpus_gold/

# Every layout family of issue #12 as a scoring set (outputs/families/docs, gold): score.py extract --set it
families: $(VENV)/.installed-test
	$(BIN)/python -m tests.synth --families outputs/families

clean:
	rm -rf $(VENV) outputs/*
