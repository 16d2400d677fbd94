# Two set-up commands (README): `make run` and `make test`. Both install what the machine lacks
# (harness/setup/system.sh) and create/refresh .venv themselves.
PY      ?= python3
VENV    := .venv
BIN     := $(VENV)/bin
STAMP   := $(VENV)/.installed
DB      ?= results/harness.duckdb
WORKERS ?= 8

.PHONY: run test test-fast bench claim reproduce-table lint images clean-images system-all system-sandbox

## apt packages and a running dockerd, installed and started as root, else the commands printed;
## `sandbox` settles for bubblewrap when Docker is not there, `all` needs everything.
system-all system-sandbox:
	bash harness/setup/system.sh $(@:system-%=%)

# torch==2.13.0 is pinned in the same install command so pip takes the CPU wheel on disk instead
# of resolving a multi-GB CUDA build; GPU users install `.[gpu]`, which brings its own torch.
$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q torch==2.13.0 -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP)

## The main job on the embedded default: SFT then ENTROPO-KTO on swe-gen's train split (the paper's
## main variant) from the shipped tiny agent, then 16 rollouts per task of 12 held-out test tasks of
## the trained model, evaluated, selected and stored (Docker when an engine answers, else bubblewrap).
run: system-sandbox $(STAMP)
	$(BIN)/harness run --method entropo --budget 16 --workers $(WORKERS) --db $(DB)

## Every test, Docker and slow ones included (what CI runs).
test: system-all $(STAMP)
	$(BIN)/pytest -m "" -q --durations=20

## The fast local loop: no Docker, no slow tests.
test-fast: $(STAMP)
	$(BIN)/pytest -q

bench: system-all $(STAMP)
	$(BIN)/python bench/eval_speed.py --workers 1 2
	$(BIN)/python bench/runner_probes.py
	$(BIN)/python bench/agent_speed.py --workers 1 2
	$(BIN)/python bench/train_speed.py
	$(BIN)/python bench/pretrain_speed.py
	$(BIN)/python bench/selection_speed.py
	$(BIN)/python bench/executor_speed.py
	$(BIN)/python bench/table_speed.py

## The paper's main table: run the grid's missing cells, then render it (PROFILE=smoke: the embedded
## default, swe-gen and the shipped agent; PROFILE=paper: Verified and Lite with Qwen3-Coder-30B-A3B on GPUs).
PROFILE ?= smoke
reproduce-table: system-sandbox $(STAMP)
	$(BIN)/harness grid run $(PROFILE) --db $(DB)
	$(BIN)/harness table $(PROFILE) --db $(DB)

## The paper's entropy claim on the embedded default: SFT + DPO / KTO / ENTROPO-DPO / ENTROPO-KTO at
## seeds 0-2 (analysis/grids/entropy.yaml; seed 0 reuses the smoke grid's cells), then per method the
## sampled tokens' entropy, distinct patches per task and pass@k, mean ± sd over seeds.
claim: system-sandbox $(STAMP)
	$(BIN)/harness grid run entropy --db $(DB)
	$(BIN)/harness seeds entropy --db $(DB)

lint: $(STAMP)
	$(BIN)/ruff check harness methods analysis tests

images: system-all $(STAMP)
	$(BIN)/harness images build --benchmark swe-mini
