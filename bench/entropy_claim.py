"""The paper's entropy claim at small scale: from one SFT'd tiny model, on one fixed swe-mini preference set
and the same number of steps, does ENTROPO (α > β) keep more policy token entropy and more distinct
samples per prompt than DPO / KTO (α = β)?

    python bench/entropy_claim.py [--seeds 0 1 2] [--steps 20]

Data (fixed): the train split's demonstrations (resolved) and the same expert giving up without an edit
(`nofix`, unresolved), both run through the agent loop and sandbox and judged by the fast evaluator; DPO pairs
and KTO rows come from the project's builders. Start: SFT on the demonstrations (shared by every run). A seed
sets the data order (DPO pairing, KTO row order) and the sampling. Measured after training: mean token
entropy of the policy over the assistant tokens of every finished trajectory, and the fraction of
distinct first-turn openings (first 8 and 32 sampled tokens) among K samples per prompt (the paper's
sampling settings). Writes results/claim/claim.csv and prints a Markdown table.
"""

from __future__ import annotations

import argparse
import csv
import statistics
from pathlib import Path

import torch
from transformers import AutoModelForCausalLM, AutoTokenizer

from harness.backends.tiny import resolve_model
from harness.benchmarks import get_benchmark
from harness.demos import build_demos, demo_run_id
from harness.evaluation.run import resolve_sandbox
from harness.records import RolloutRow
from harness.stages import evaluate_rollouts
from harness.store import Store
from methods.data import build_dpo, build_kto, build_sft, examples_from_store
from methods.dpo import MultiTurnDPOConfig, MultiTurnDPOTrainer
from methods.entropo_dpo import EntropoDPOConfig, EntropoDPOTrainer
from methods.entropo_kto import EntropoKTOConfig, EntropoKTOTrainer
from methods.kto import MultiTurnKTOConfig, MultiTurnKTOTrainer
from methods.sft import MultiTurnSFTConfig, MultiTurnSFTTrainer
from methods.train import build_trainer, trainer_args

OUT = Path("results") / "claim"
METHODS = {  # name: (config, trainer, extra config); β = 0.1 in every config
    "DPO": (MultiTurnDPOConfig, MultiTurnDPOTrainer, {}),
    "ENTROPO-DPO": (EntropoDPOConfig, EntropoDPOTrainer, {"alpha": 0.11}),
    "KTO": (MultiTurnKTOConfig, MultiTurnKTOTrainer, {}),
    "ENTROPO-KTO": (EntropoKTOConfig, EntropoKTOTrainer, {"alpha": 0.11}),
    "ENTROPO-KTO (implicit)": (EntropoKTOConfig, EntropoKTOTrainer,
                               {"alpha": 0.11, "value_form": "implicit"}),
}


def examples(store: Store, sandbox: str, workers: int):
    """Demonstrations and no-fix trajectories of the train split, each judged by the fast evaluator."""
    instances = get_benchmark("swe-mini").load("train")
    found = []
    for fix in (True, False):
        run_id = demo_run_id("swe-mini", "train", fix)
        if len(store.keys(RolloutRow, run_id=run_id)) < len(instances):
            build_demos(instances, store, sandbox, workers, fix=fix)
        eval_id = evaluate_rollouts(store, run_id, "fast", workers, sandbox).eval_id
        found.append(examples_from_store(store, run_id, eval_id))
    return found[0] + found[1]


def train(name: str, config_cls: type, trainer_cls: type, extra: dict, rows: list, start: str, tok, seed: int,
          steps: int, lr: float) -> torch.nn.Module:
    """`steps` steps of `trainer_cls` from the model at `start` (full fine-tuning, the paper's schedule)."""
    options = {"max_steps": steps, "learning_rate": lr, **extra}
    args = config_cls(**trainer_args(OUT / "trainer" / f"{name}-{seed}", seed, options))
    trainer = build_trainer(trainer_cls, args, start, tok, rows, with_reference=name != "sft")
    trainer.train()
    return trainer.model.eval()


@torch.no_grad()
def token_entropy(model: torch.nn.Module, rows: list[dict]) -> float:
    """Mean entropy (nats) of the next-token distribution at every assistant token of `rows`."""
    total, count = 0.0, 0
    for row in rows:
        ids = torch.tensor([row["prompt_ids"] + row["completion_ids"]])
        mask = torch.tensor([0] * len(row["prompt_ids"]) + list(row["completion_mask"]), dtype=torch.bool)
        logp = torch.log_softmax(model(input_ids=ids).logits[0, :-1].float(), -1)[mask[1:]]
        total += float(-(logp.exp() * logp).sum())
        count += int(mask[1:].sum())
    return total / count


@torch.no_grad()
def distinct(model: torch.nn.Module, tok, prompts: list[list[dict]], k: int, seed: int,
             lengths: tuple[int, ...]) -> dict[int, float]:
    """Per length n: mean fraction of distinct first-turn openings (first n sampled tokens) among `k`
    samples per prompt (T 0.7, top-p 0.8, top-k 20: the paper's sampling)."""
    fractions: dict[int, list[float]] = {n: [] for n in lengths}
    for i, prompt in enumerate(prompts):
        ids = tok.apply_chat_template(prompt, add_generation_prompt=True, return_tensors="pt",
                                      return_dict=True)
        torch.manual_seed(seed * 1000 + i)
        out = model.generate(**ids, do_sample=True, temperature=0.7, top_p=0.8, top_k=20,
                             num_return_sequences=k, max_new_tokens=max(lengths), min_new_tokens=max(lengths),
                             pad_token_id=tok.pad_token_id)[:, ids["input_ids"].shape[1]:]
        for n in lengths:
            fractions[n].append(len({tuple(seq[:n].tolist()) for seq in out}) / k)
    return {n: statistics.mean(f) for n, f in fractions.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--steps", type=int, default=20, help="preference steps per run")
    parser.add_argument("--sft-steps", type=int, default=60)
    parser.add_argument("--sft-lr", type=float, default=2e-3, help="a start far enough from uniform")
    parser.add_argument("--lr", type=float, default=5e-4, help="the embedded default's learning rate")
    parser.add_argument("--prompts", type=int, default=6)
    parser.add_argument("--samples", type=int, default=8)
    parser.add_argument("--lengths", type=int, nargs="+", default=[8, 32],
                        help="distinct openings counted over the first n sampled tokens")
    parser.add_argument("--methods", nargs="+", choices=list(METHODS), default=list(METHODS))
    parser.add_argument("--sandbox", default="auto")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    tok = AutoTokenizer.from_pretrained(resolve_model("tiny"))
    with Store(OUT / "claim.duckdb") as store:
        data = examples(store, resolve_sandbox(args.sandbox), args.workers)
    measured, report = build_kto(data, tok)  # every finished trajectory: where entropy is measured
    print(report.summary())
    start = OUT / f"sft-{args.sft_steps}-{args.sft_lr}"
    if not (start / "config.json").is_file():
        sft_rows, _ = build_sft(data, tok)
        sft = train("sft", MultiTurnSFTConfig, MultiTurnSFTTrainer, {}, sft_rows, resolve_model("tiny"),
                    tok, 0, args.sft_steps, args.sft_lr)
        sft.save_pretrained(start)
    prompts = [ex.prompt for ex in data if ex.reward > 0][: args.prompts]
    sft_model = AutoModelForCausalLM.from_pretrained(start).eval()
    results = [{"method": "SFT start", "seed": "", "entropy": token_entropy(sft_model, measured),
                **_named(distinct(sft_model, tok, prompts, args.samples, 0, tuple(args.lengths)))}]
    for seed in args.seeds:
        dpo_rows, report = build_dpo(data, tok, seed=seed)
        kto_rows, _ = build_kto(data, tok, seed=seed)
        print(report.summary())
        for name in args.methods:
            config_cls, trainer_cls, extra = METHODS[name]
            rows = dpo_rows if "DPO" in name else kto_rows
            model = train(name, config_cls, trainer_cls, extra, rows, str(start), tok, seed, args.steps,
                          args.lr)
            spread = distinct(model, tok, prompts, args.samples, seed, tuple(args.lengths))
            results.append({"method": name, "seed": seed, "entropy": token_entropy(model, measured),
                            **_named(spread)})
            print(results[-1], flush=True)
    results += [r for r in _stored() if r["method"] not in {"SFT start", *args.methods}]
    with (OUT / "claim.csv").open("w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(results[0]))
        writer.writeheader()
        writer.writerows(results)
    print(table(results, args))


def _stored() -> list[dict]:
    """Rows of an earlier run (a re-run of some `--methods` keeps the others)."""
    path = OUT / "claim.csv"
    return list(csv.DictReader(path.open())) if path.is_file() else []


def table(results: list[dict], args: argparse.Namespace) -> str:
    spreads = [key for key in results[0] if key.startswith("distinct@")]
    lines = [f"{args.steps} steps from the SFT start ({args.sft_steps} steps at lr {args.sft_lr}), "
             f"lr {args.lr}, seeds {args.seeds}, {args.samples} samples x {args.prompts} prompts", "",
             "| method | α | β | token entropy (mean ± sd) | " + " | ".join(spreads) + " |",
             "|---|---|---|---|" + "---|" * len(spreads)]
    for name, (_, _, extra) in METHODS.items():
        if not (rows := [r for r in results if r["method"] == name]):
            continue
        cells = [_ms([r[key] for r in rows]) for key in ["entropy", *spreads]]
        lines.append(f"| {name} | {extra.get('alpha', 0.1)} | 0.1 | " + " | ".join(cells) + " |")
    start = results[0]
    lines.append("| (SFT start) | | | " + " | ".join(f"{start[k]:.4f}" for k in ["entropy", *spreads]) + " |")
    return "\n".join(lines)


def _named(spread: dict[int, float]) -> dict[str, float]:
    return {f"distinct@{n}": value for n, value in spread.items()}


def _ms(values: list) -> str:
    values = [float(v) for v in values]
    sd = statistics.stdev(values) if len(values) > 1 else 0.0
    return f"{statistics.mean(values):.4f} ± {sd:.4f}"


if __name__ == "__main__":
    main()
