"""Sampling throughput of the hf backend when 1, 4 or 8 agent threads call `chat` at once (their calls
share one continuous decode), on the 4.0M-parameter "agent"-size model with random weights.

    python bench/hf_batch_speed.py [--threads 1 4 8] [--rounds 3] [--prompt-words 100] [--max-tokens 128]

Each thread has its own chat (--prompt-words filler assignments plus its index: prompt lengths differ,
as agents' do) and calls `chat` once a round (n 1, T 0.7, top-p 0.8, top-k 20, its own seed); the
threads meet at a barrier before each round, so a round's calls arrive together. One untimed warm-up
round, then --rounds timed ones. Tokens/s counts the completion tokens returned over the wall time of
the timed rounds, prefill included; random weights rarely sample eos, so nearly every call returns
--max-tokens (the table shows returned/asked). Ratios are against 1 thread measured in the same run.
"""

from __future__ import annotations

import argparse
import dataclasses
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import torch
from rich.console import Console
from rich.table import Table

from harness.backends import Sampling
from harness.backends.hf import HFBackend
from harness.backends.tiny import build_tiny_model


def chats(count: int, words: int) -> list[list[dict]]:
    """One chat per thread: a system line and an issue of `words` + index filler assignments."""
    return [[{"role": "system", "content": "You fix bugs in Python repositories."},
             {"role": "user", "content": " ".join(f"value{j} = parse(line{j})" for j in range(words + i))}]
            for i in range(count)]


def tokens_per_second(backend: HFBackend, prompts: list[list[dict]], sampling: Sampling,
                      rounds: int) -> tuple[float, int]:
    """Completion tokens per second of one thread per prompt over `rounds` timed rounds (after one
    untimed), and the tokens they returned."""
    starts: list[float] = []  # the barrier's action: the moment every thread has arrived
    barrier = threading.Barrier(len(prompts), action=lambda: starts.append(time.perf_counter()))

    def agent(i: int) -> int:
        returned = 0
        for r in range(rounds + 1):
            barrier.wait()
            [done] = backend.chat(prompts[i], 1, dataclasses.replace(sampling, seed=1000 * r + i))
            returned += done.completion_tokens if r else 0
        barrier.wait()
        return returned

    with ThreadPoolExecutor(len(prompts)) as pool:
        returned = sum(pool.map(agent, range(len(prompts))))
    return returned / (starts[-1] - starts[1]), returned


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 4, 8])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--prompt-words", type=int, default=100)
    parser.add_argument("--max-tokens", type=int, default=128)
    args = parser.parse_args()
    backend = HFBackend(str(build_tiny_model(size="agent")), device="cpu")
    sampling = Sampling(temperature=0.7, top_p=0.8, top_k=20, max_tokens=args.max_tokens)
    prompt_tokens = [backend.prompt_tokens(chat) for chat in chats(max(args.threads), args.prompt_words)]
    rates = {}
    table = Table(title=f"hf backend, agent-size model (random weights), CPU, {torch.get_num_threads()} "
                        f"torch thread(s), prompts of {min(prompt_tokens)}-{max(prompt_tokens)} tokens")
    for col in ("threads", "completion tokens/s", "ratio", "tokens returned/asked"):
        table.add_column(col, justify="right")
    for count in args.threads:
        rates[count], returned = tokens_per_second(backend, chats(count, args.prompt_words), sampling,
                                                   args.rounds)
        asked = count * args.rounds * args.max_tokens
        table.add_row(str(count), f"{rates[count]:.0f}", f"{rates[count] / rates[args.threads[0]]:.2f}x",
                      f"{returned}/{asked}")
    backend.close()
    Console().print(table)


if __name__ == "__main__":
    main()
