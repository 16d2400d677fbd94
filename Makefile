# Two set-up commands (README): `make run` and `make test`. Both create/refresh .venv themselves.
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
DB      ?= results/harness.duckdb
WORKERS ?= 2

.PHONY: run test test-fast bench lint images clean-images

# torch==2.13.0 is pinned in the same install command so pip takes the CPU wheel on disk instead
# of resolving a multi-GB CUDA build; GPU users install `.[gpu]`, which brings its own torch.
$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q torch==2.13.0 -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP)

## The main job on the embedded default: the base tiny model, 16 rollouts per swe-mini test task,
## selected, evaluated and stored (Docker when an engine answers, else bubblewrap).
run: $(STAMP)
	$(BIN)/harness run --method base --budget 16 --workers $(WORKERS) --db $(DB)

## Every test, Docker and slow ones included (what CI runs).
test: $(STAMP)
	$(BIN)/pytest -m "" -q

## The fast local loop: no Docker, no slow tests.
test-fast: $(STAMP)
	$(BIN)/pytest -q

bench: $(STAMP)
	$(BIN)/python bench/eval_speed.py --workers 1 2
	$(BIN)/python bench/agent_speed.py --workers 1 2

lint: $(STAMP)
	$(BIN)/ruff check harness methods analysis tests

images: $(STAMP)
	$(BIN)/harness images build --benchmark swe-mini
