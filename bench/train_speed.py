"""Training step time and step memory: our ENTROPO trainers against TRL's, and against full logits.

    python bench/train_speed.py [--model tiny|small-32k|0.5b] [--device cpu|cuda] [--seq N] [--steps 3]
                                [--sections 1 2]

1. EntropoDPOTrainer vs trl.DPOTrainer and EntropoKTOTrainer vs trl.KTOTrainer on the same random-init
   model and the same pre-tokenized batch (ratio ours/TRL, target <= 1.05); default tiny, seq 2048;
2. EntropoDPOTrainer vs a straightforward ENTROPO-DPO on full [2B, T, V] logits (ratio full-logits/ours);
   default small-32k (vocab 32768), seq 4096.

A step is forward + backward + optimizer step on full fine-tuning with a frozen reference copy; each
implementation runs in a fresh process: 1 untimed warm-up, then the median of --steps timed steps.
Step memory is the peak during the timed steps minus what was in use right before them (CUDA allocator
on GPU, the process's resident set on CPU).
"""

from __future__ import annotations

import argparse
import copy
import ctypes
import gc
import re
import statistics
import tempfile
import time
import warnings
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from multiprocessing import get_context

import torch
import torch.nn.functional as F
from rich.console import Console
from rich.table import Table

from methods.head import small_cpu_tiles

SEED = 0
ALPHA, BETA = 0.11, 0.1
MASK_BLOCK = 64  # the completion alternates assistant / observation spans of this many tokens
SHAPES = {  # random-init Qwen3 models, built in code (never downloaded)
    "small-32k": dict(
        vocab_size=32768, hidden_size=256, num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=2,
        head_dim=64, intermediate_size=512,
    ),
    "0.5b": dict(  # Qwen2.5-0.5B's shape
        vocab_size=151936, hidden_size=896, num_hidden_layers=24, num_attention_heads=14,
        num_key_value_heads=2, head_dim=64, intermediate_size=4864, tie_word_embeddings=True,
    ),
}
MODELS = ("tiny", *SHAPES)
DEFAULTS = {1: ("tiny", 2048), 2: ("small-32k", 4096)}  # section: (model, sequence length)
# What TRL's own trainers are constructed with: tokenized by them, never fed (both get our collated batch)
TEXT_ROWS = {
    "dpo": [{"prompt": "Fix parse.", "chosen": "def parse(x):", "rejected": "rm -rf"}],
    "kto": [{"prompt": "Fix parse.", "completion": "def parse(x):", "label": i == 0} for i in range(2)],
}


@dataclass(frozen=True)
class Job:
    """One measurement: `impl` is "ours", "trl" or "full-logits"; `method` "dpo" or "kto"."""

    method: str
    impl: str
    model: str
    device: str
    seq: int
    steps: int

    @property
    def bf16(self) -> bool:
        return self.device == "cuda" and torch.cuda.is_bf16_supported()


def tokenizer():
    from transformers import AutoTokenizer

    from harness.backends.tiny import resolve_model

    return AutoTokenizer.from_pretrained(resolve_model("tiny"))


def build_model(name: str):
    """The tiny model from its folder, or a seeded random Qwen3 of one of `SHAPES`, in fp32 on the CPU."""
    from transformers import AutoModelForCausalLM, Qwen3Config, Qwen3ForCausalLM

    from harness.backends.tiny import resolve_model

    torch.manual_seed(SEED)
    if name == "tiny":
        return AutoModelForCausalLM.from_pretrained(resolve_model("tiny"), dtype=torch.float32)
    return Qwen3ForCausalLM(Qwen3Config(pad_token_id=0, **SHAPES[name])).float()


def synthetic(n: int, vocab: int, gen: torch.Generator) -> tuple[list[int], list[int]]:
    """`n` random token ids (never the pad id 0) and an assistant mask of alternating on/off blocks."""
    ids = torch.randint(1, vocab, (n,), generator=gen).tolist()
    return ids, [int(i // MASK_BLOCK % 2 == 0) for i in range(n)]


def rows(method: str, seq: int, vocab: int) -> list[dict]:
    """Pre-tokenized rows of `seq` tokens (prompt a quarter): one DPO pair, or one desirable and one
    undesirable KTO row."""
    gen = torch.Generator().manual_seed(SEED)
    prompt = [synthetic(seq // 4, vocab, gen)[0] for _ in range(2)]
    (ids_a, mask_a), (ids_b, mask_b) = (synthetic(seq - seq // 4, vocab, gen) for _ in range(2))
    if method == "dpo":
        return [{"prompt_ids": prompt[0], "chosen_ids": ids_a, "chosen_mask": mask_a, "rejected_ids": ids_b,
                 "rejected_mask": mask_b}]
    return [{"prompt_ids": p, "completion_ids": ids, "completion_mask": mask, "label": label}
            for p, ids, mask, label in ((prompt[0], ids_a, mask_a, True), (prompt[1], ids_b, mask_b, False))]


def collate(method: str, examples: list[dict], pad_id: int) -> dict:
    """The batch our trainers' collators make (KTO: after TRL's KL rotation, as `_prepare_dataset` does)."""
    from methods.collators import MultiTurnPreferenceCollator, MultiTurnUnpairedCollator
    from methods.kto import rotate_completions

    if method == "dpo":
        return MultiTurnPreferenceCollator(pad_token_id=pad_id)(examples)
    columns = rotate_completions({key: [row[key] for row in examples] for key in examples[0]})
    return MultiTurnUnpairedCollator(pad_token_id=pad_id)(
        [{key: values[i] for key, values in columns.items()} for i in range(len(examples))]
    )


def config(job: Job, out: str):
    """The trainer config of `job`: fp32 on CPU (bf16 on a GPU that has it), no checkpointing, no saving."""
    from trl import DPOConfig, KTOConfig

    from methods.entropo_dpo import EntropoDPOConfig
    from methods.entropo_kto import EntropoKTOConfig

    common = dict(
        output_dir=out, bf16=job.bf16, use_cpu=job.device == "cpu", gradient_checkpointing=False,
        report_to="none", save_strategy="no", disable_tqdm=True, seed=SEED, max_length=None, beta=BETA,
        per_device_train_batch_size=1 if job.method == "dpo" else 2,
    )
    if job.impl == "trl":
        return (DPOConfig if job.method == "dpo" else KTOConfig)(**common)
    return (EntropoDPOConfig if job.method == "dpo" else EntropoKTOConfig)(alpha=ALPHA, **common)


def trainer_step(job: Job, model, ref, tok, batch: dict, out: str) -> Callable[[], None]:
    """`trainer.training_step` (under the accelerator's autocast, as a prepared model would run) and an
    optimizer step, for our trainer or TRL's, both fed `batch`."""
    from datasets import Dataset
    from trl import DPOTrainer, KTOTrainer

    from methods.entropo_dpo import EntropoDPOTrainer
    from methods.entropo_kto import EntropoKTOTrainer

    classes = {("dpo", "trl"): DPOTrainer, ("kto", "trl"): KTOTrainer,
               ("dpo", "ours"): EntropoDPOTrainer, ("kto", "ours"): EntropoKTOTrainer}
    data = TEXT_ROWS[job.method] if job.impl == "trl" else rows(job.method, job.seq, model.config.vocab_size)
    trainer = classes[job.method, job.impl](
        model, ref, config(job, out), train_dataset=Dataset.from_list(data), processing_class=tok
    )
    trainer.create_optimizer()
    trainer.current_gradient_accumulation_steps = 1  # set by Trainer's training loop, which is not run here

    def step() -> None:
        with trainer.accelerator.autocast():
            trainer.training_step(trainer.model, batch)
        trainer.optimizer.step()
        trainer.optimizer.zero_grad(set_to_none=True)

    return step


def full_logits_step(job: Job, model, ref, batch: dict, out: str) -> Callable[[], None]:
    """The straightforward ENTROPO-DPO: [2B, T, V] logits, log_softmax, gather, masked sum per row, with the
    optimizer our trainer's config builds."""
    from transformers import Trainer

    model.to(job.device).train()
    ref.to(job.device)
    optimizer_cls, kwargs = Trainer.get_optimizer_cls_and_kwargs(config(job, out), model)
    optimizer = optimizer_cls(model.parameters(), **kwargs)
    keys = ("input_ids", "attention_mask", "completion_mask")
    ids, attention, mask = (batch[key].to(job.device) for key in keys)

    def logps(net) -> torch.Tensor:
        logits = net(input_ids=ids, attention_mask=attention, use_cache=False).logits[:, :-1]
        per_token = logits.log_softmax(-1).gather(-1, ids[:, 1:, None]).squeeze(-1)
        return (per_token * mask[:, 1:]).sum(-1)

    def step() -> None:
        with torch.autocast(job.device, dtype=torch.bfloat16, enabled=job.bf16):
            with torch.no_grad():
                ref_w, ref_l = logps(ref).chunk(2)
            pi_w, pi_l = logps(model).chunk(2)
            loss = -F.logsigmoid(ALPHA * (pi_w - pi_l) - BETA * (ref_w - ref_l)).mean()
        loss.backward()
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)

    return step


def status_bytes(key: str) -> int:
    """A `/proc/self/status` field (VmRSS, VmHWM) in bytes."""
    with open("/proc/self/status") as status:
        return int(re.search(rf"^{key}:\s+(\d+) kB", status.read(), re.MULTILINE).group(1)) * 1024


def memory_mark(device: str) -> int:
    """Bytes in use now, with the peak counter reset to them. On CPU freed heap is handed back first
    (glibc malloc_trim), so that the resident set is what is live, then VmHWM is reset to VmRSS."""
    gc.collect()
    if device == "cuda":
        torch.cuda.synchronize()
        torch.cuda.reset_peak_memory_stats()
        return torch.cuda.memory_allocated()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: the resident set may overstate what is live
        pass
    with open("/proc/self/clear_refs", "w") as clear_refs:
        clear_refs.write("5")
    return status_bytes("VmRSS")


def peak_since(device: str, mark: int) -> int:
    if device == "cuda":
        return torch.cuda.max_memory_allocated() - mark
    return status_bytes("VmHWM") - mark


def measure(job: Job) -> tuple[float, int]:
    """In a fresh process: median seconds per step of `job` and the bytes its steps needed."""
    import datasets
    import transformers

    transformers.logging.set_verbosity_error()
    transformers.logging.disable_progress_bar()
    datasets.disable_progress_bars()
    warnings.filterwarnings("ignore", category=FutureWarning)  # `gradient_checkpointing` renamed in v5
    small_cpu_tiles(job.device)  # as methods.train does: TRL's head, tiled for CPU; a no-op with Triton
    tok = tokenizer()
    model = build_model(job.model)
    ref = copy.deepcopy(model).requires_grad_(False).eval()
    batch = collate(job.method, rows(job.method, job.seq, model.config.vocab_size), tok.pad_token_id)
    with tempfile.TemporaryDirectory() as out:
        if job.impl == "full-logits":
            step = full_logits_step(job, model, ref, batch, out)
        else:
            step = trainer_step(job, model, ref, tok, batch, out)
        step()  # warm-up, not timed: optimizer state, allocator and kernel caches
        mark = memory_mark(job.device)
        times = []
        for _ in range(job.steps):
            start = time.perf_counter()
            step()
            if job.device == "cuda":
                torch.cuda.synchronize()
            times.append(time.perf_counter() - start)
        return statistics.median(times), peak_since(job.device, mark)


def run_fresh(job: Job) -> tuple[float, int]:
    """`measure(job)` in a new spawned process, so that its peak memory is its own."""
    with ProcessPoolExecutor(1, mp_context=get_context("spawn")) as pool:
        return pool.submit(measure, job).result()


def ratio(num: float, den: float) -> str:
    return f"{num / den:.2f}x" if den > 0 else "n/a"


def comparison(title: str, names: tuple[str, str], results: list[tuple[str, tuple, tuple]]) -> Table:
    """One row per (label, baseline result, other result): s/step, step MiB and the other/baseline ratios."""
    base, other = names
    table = Table(title=title)
    for col in ("loss", f"{base} s", f"{other} s", f"{other}/{base}", f"{base} MiB", f"{other} MiB",
                f"{other}/{base}"):
        table.add_column(col, justify="right")
    for label, (base_s, base_mem), (other_s, other_mem) in results:
        table.add_row(label, f"{base_s:.3f}", f"{other_s:.3f}", ratio(other_s, base_s),
                      f"{base_mem / 2**20:.0f}", f"{other_mem / 2**20:.0f}", ratio(other_mem, base_mem))
    return table


def section(number: int, args: argparse.Namespace) -> Table:
    """Section 1 (ours vs TRL, DPO and KTO) or 2 (ours vs full logits, DPO), each run in fresh processes."""
    from harness.backends.tiny import VOCAB_SIZE

    model, seq = args.model or DEFAULTS[number][0], args.seq or DEFAULTS[number][1]
    vocab = SHAPES.get(model, {}).get("vocab_size", VOCAB_SIZE)
    setup = f"{model} (vocab {vocab}), {args.device}, seq {seq}, s = median s/step of {args.steps}"

    def run(method: str, impl: str) -> tuple[float, int]:
        return run_fresh(Job(method, impl, model, args.device, seq, args.steps))

    if number == 1:
        results = [(method.upper(), run(method, "trl"), run(method, "ours")) for method in ("dpo", "kto")]
        return comparison(f"1. ENTROPO vs TRL's trainer: {setup} (target ours/TRL <= 1.05)",
                          ("TRL", "ours"), results)
    results = [("DPO", run("dpo", "ours"), run("dpo", "full-logits"))]
    return comparison(f"2. full [2B, T, V] logits vs our trainer: {setup}", ("ours", "full"), results)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", choices=MODELS, help="default: tiny for section 1, small-32k for 2")
    default_device = "cuda" if torch.cuda.is_available() else "cpu"
    parser.add_argument("--device", choices=("cpu", "cuda"), default=default_device)
    parser.add_argument("--seq", type=int, help="tokens per sequence; default 2048 for section 1, 4096 for 2")
    parser.add_argument("--steps", type=int, default=3, help="timed steps per measurement (median)")
    parser.add_argument("--sections", type=int, nargs="+", choices=(1, 2), default=[1, 2])
    args = parser.parse_args()
    console = Console()
    for number in args.sections:
        console.print(section(number, args))
    console.print("MiB: peak during the timed steps minus what was in use right before them "
                  f"({'CUDA allocator' if args.device == 'cuda' else 'resident set'})")


if __name__ == "__main__":
    main()
